package armo_builtins

import data.vigil.host

specs := [
	{
		"flag": "tls-cert-file",
		"test": "set",
		"problem": "has no configured serving certificate",
		"comp": "apiserver",
		"score": 7,
	},
	{
		"flag": "tls-private-key-file",
		"test": "set",
		"problem": "has no configured serving certificate",
		"comp": "apiserver",
		"score": 7,
	},
]

deny contains msga if {
	some obj in input
	some spec in specs
	some msga in host.check(obj, spec)
}
