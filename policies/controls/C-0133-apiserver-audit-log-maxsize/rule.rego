package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "audit-log-maxsize",
		"test": "min",
		"min": 100,
		"default": "0",
		"problem": "rotates audit logs before they reach 100 MB",
		"score": 4,
	})
}
