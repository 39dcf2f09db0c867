package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"gate": "RotateKubeletServerCertificate",
		"test": "bool",
		"want": "true",
		"default": "true",
		"problem": "cannot rotate its serving certificate",
		"comp": "kubelet",
		"score": 5,
	})
}
