package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "controller-manager",
		"flag": "profiling",
		"test": "bool",
		"want": "false",
		"default": "true",
		"problem": "serves profiling data",
		"score": 3,
	})
}
