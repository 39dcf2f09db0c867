package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "read-only-port",
		"config": ["readOnlyPort"],
		"test": "equals",
		"want": ["0"],
		"default": "10255",
		"configDefault": "0",
		"problem": "serves its read-only port",
		"comp": "kubelet",
		"score": 6,
	})
}
