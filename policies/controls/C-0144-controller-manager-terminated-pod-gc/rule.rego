package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "controller-manager",
		"flag": "terminated-pod-gc-threshold",
		"test": "positive",
		"default": "12500",
		"problem": "never garbage-collects terminated pods",
		"score": 3,
	})
}
