package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "disable-admission-plugins",
		"test": "lacks",
		"item": "ServiceAccount",
		"default": "",
		"problem": "disables the ServiceAccount admission plugin",
		"score": 5,
	})
}
