package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "kubelet-certificate-authority",
		"test": "set",
		"problem": "does not verify kubelets' serving certificates",
		"score": 6,
	})
}
