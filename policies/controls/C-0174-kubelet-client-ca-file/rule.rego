package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "client-ca-file",
		"config": ["authentication", "x509", "clientCAFile"],
		"test": "set",
		"problem": "cannot authenticate client certificates",
		"comp": "kubelet",
		"score": 7,
	})
}
