package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "anonymous-auth",
		"test": "bool",
		"want": "false",
		"default": "true",
		"problem": "accepts anonymous requests",
		"score": 8,
	})
}
