package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "encryption-provider-config",
		"test": "set",
		"problem": "does not encrypt data at rest",
		"score": 7,
	})
}
