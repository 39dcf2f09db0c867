package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "audit-log-maxage",
		"test": "min",
		"min": 30,
		"default": "0",
		"problem": "keeps audit logs for less than 30 days",
		"score": 4,
	})
}
