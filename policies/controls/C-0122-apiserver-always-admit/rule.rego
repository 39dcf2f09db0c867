package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "enable-admission-plugins",
		"test": "lacks",
		"item": "AlwaysAdmit",
		"default": "",
		"problem": "enables the AlwaysAdmit admission plugin",
		"score": 8,
	})
}
