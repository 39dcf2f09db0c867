package armo_builtins

import data.vigil.host

specs := [
	{
		"flag": "kubelet-client-certificate",
		"test": "set",
		"problem": "has no client certificate for kubelets",
		"comp": "apiserver",
		"score": 7,
	},
	{
		"flag": "kubelet-client-key",
		"test": "set",
		"problem": "has no client certificate for kubelets",
		"comp": "apiserver",
		"score": 7,
	},
]

deny contains msga if {
	some obj in input
	some spec in specs
	some msga in host.check(obj, spec)
}
