package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "rotate-certificates",
		"config": ["rotateCertificates"],
		"test": "bool",
		"want": "true",
		"default": "false",
		"problem": "does not rotate its client certificate",
		"comp": "kubelet",
		"score": 5,
	})
}
