package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "auto-tls",
		"config": ["client-transport-security", "auto-tls"],
		"test": "bool",
		"want": "false",
		"default": "false",
		"problem": "serves clients with a self-signed certificate",
		"comp": "etcd",
		"score": 6,
	})
}
