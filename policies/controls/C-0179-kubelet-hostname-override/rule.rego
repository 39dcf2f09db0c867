package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "hostname-override",
		"test": "unset",
		"problem": "overrides its hostname",
		"comp": "kubelet",
		"score": 3,
	})
}
