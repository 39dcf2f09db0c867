package armo_builtins

import data.vigil.host

specs := [
	{
		"flag": "etcd-certfile",
		"test": "set",
		"problem": "has no client certificate for etcd",
		"comp": "apiserver",
		"score": 8,
	},
	{
		"flag": "etcd-keyfile",
		"test": "set",
		"problem": "has no client certificate for etcd",
		"comp": "apiserver",
		"score": 8,
	},
]

deny contains msga if {
	some obj in input
	some spec in specs
	some msga in host.check(obj, spec)
}
