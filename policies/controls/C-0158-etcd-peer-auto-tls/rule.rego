package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "peer-auto-tls",
		"config": ["peer-transport-security", "auto-tls"],
		"test": "bool",
		"want": "false",
		"default": "false",
		"problem": "uses self-signed peer certificates",
		"comp": "etcd",
		"score": 6,
	})
}
