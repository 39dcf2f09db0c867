package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "make-iptables-util-chains",
		"config": ["makeIPTablesUtilChains"],
		"test": "bool",
		"want": "true",
		"default": "true",
		"problem": "does not manage its iptables chains",
		"comp": "kubelet",
		"score": 3,
	})
}
