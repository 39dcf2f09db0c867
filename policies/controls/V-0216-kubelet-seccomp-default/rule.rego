package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "seccomp-default",
		"config": ["seccompDefault"],
		"test": "bool",
		"want": "true",
		"default": "false",
		"problem": "runs containers without a seccomp profile by default",
		"comp": "kubelet",
		"score": 4,
	})
}
