package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "protect-kernel-defaults",
		"config": ["protectKernelDefaults"],
		"test": "bool",
		"want": "true",
		"default": "false",
		"problem": "may change kernel settings it depends on",
		"comp": "kubelet",
		"score": 3,
	})
}
