package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "audit-log-maxbackup",
		"test": "min",
		"min": 10,
		"default": "0",
		"problem": "keeps fewer than 10 rotated audit log files",
		"score": 4,
	})
}
