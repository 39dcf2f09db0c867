package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "controller-manager",
		"flag": "use-service-account-credentials",
		"test": "bool",
		"want": "true",
		"default": "false",
		"problem": "runs all controllers under one shared identity",
		"score": 6,
	})
}
