package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "disable-admission-plugins",
		"test": "lacks",
		"item": "NamespaceLifecycle",
		"default": "",
		"problem": "disables the NamespaceLifecycle admission plugin",
		"score": 4,
	})
}
