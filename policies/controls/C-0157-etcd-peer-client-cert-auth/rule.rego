package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "peer-client-cert-auth",
		"config": ["peer-transport-security", "client-cert-auth"],
		"test": "bool",
		"want": "true",
		"default": "false",
		"problem": "does not require peer certificates",
		"comp": "etcd",
		"score": 7,
	})
}
