package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "etcd-cafile",
		"test": "set",
		"problem": "does not verify etcd's serving certificate",
		"score": 7,
	})
}
