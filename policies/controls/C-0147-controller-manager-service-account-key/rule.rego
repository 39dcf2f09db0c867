package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "controller-manager",
		"flag": "service-account-private-key-file",
		"test": "set",
		"problem": "has no service-account signing key",
		"score": 5,
	})
}
