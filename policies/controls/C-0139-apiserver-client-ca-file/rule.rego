package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "client-ca-file",
		"test": "set",
		"problem": "cannot authenticate client certificates",
		"score": 7,
	})
}
