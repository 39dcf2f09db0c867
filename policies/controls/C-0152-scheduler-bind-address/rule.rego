package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "scheduler",
		"flag": "bind-address",
		"test": "loopback",
		"default": "0.0.0.0",
		"problem": "listens beyond localhost",
		"score": 5,
	})
}
