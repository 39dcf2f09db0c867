package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "service-account-lookup",
		"test": "bool",
		"want": "true",
		"default": "true",
		"problem": "accepts tokens of deleted service accounts",
		"score": 6,
	})
}
