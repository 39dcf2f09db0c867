package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "client-cert-auth",
		"config": ["client-transport-security", "client-cert-auth"],
		"test": "bool",
		"want": "true",
		"default": "false",
		"problem": "does not require client certificates",
		"comp": "etcd",
		"score": 9,
	})
}
