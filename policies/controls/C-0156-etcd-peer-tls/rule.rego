package armo_builtins

import data.vigil.host

specs := [
	{
		"flag": "peer-cert-file",
		"test": "set",
		"problem": "replicates to peers without TLS",
		"config": ["peer-transport-security", "cert-file"],
		"comp": "etcd",
		"score": 7,
	},
	{
		"flag": "peer-key-file",
		"test": "set",
		"problem": "replicates to peers without TLS",
		"config": ["peer-transport-security", "key-file"],
		"comp": "etcd",
		"score": 7,
	},
]

deny contains msga if {
	some obj in input
	some spec in specs
	some msga in host.check(obj, spec)
}
