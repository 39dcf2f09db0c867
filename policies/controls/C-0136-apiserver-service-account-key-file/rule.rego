package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "service-account-key-file",
		"test": "set",
		"problem": "has no service-account verification key file",
		"score": 5,
	})
}
