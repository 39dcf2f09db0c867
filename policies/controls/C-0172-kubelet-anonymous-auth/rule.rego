package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "anonymous-auth",
		"config": ["authentication", "anonymous", "enabled"],
		"test": "bool",
		"want": "false",
		"default": "true",
		"configDefault": "false",
		"problem": "accepts anonymous requests",
		"comp": "kubelet",
		"score": 8,
	})
}
