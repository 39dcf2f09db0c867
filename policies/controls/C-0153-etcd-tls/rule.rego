package armo_builtins

import data.vigil.host

specs := [
	{
		"flag": "cert-file",
		"test": "set",
		"problem": "serves clients without TLS",
		"config": ["client-transport-security", "cert-file"],
		"comp": "etcd",
		"score": 8,
	},
	{
		"flag": "key-file",
		"test": "set",
		"problem": "serves clients without TLS",
		"config": ["client-transport-security", "key-file"],
		"comp": "etcd",
		"score": 8,
	},
]

deny contains msga if {
	some obj in input
	some spec in specs
	some msga in host.check(obj, spec)
}
