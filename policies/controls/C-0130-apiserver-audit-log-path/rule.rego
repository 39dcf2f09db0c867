package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "audit-log-path",
		"test": "set",
		"problem": "writes no audit log",
		"score": 6,
	})
}
