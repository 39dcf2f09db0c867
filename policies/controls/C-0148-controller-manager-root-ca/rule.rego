package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "controller-manager",
		"flag": "root-ca-file",
		"test": "set",
		"problem": "does not give pods the API server's CA",
		"score": 5,
	})
}
