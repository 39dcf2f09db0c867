package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "token-auth-file",
		"test": "unset",
		"problem": "authenticates users with a static token file",
		"score": 7,
	})
}
