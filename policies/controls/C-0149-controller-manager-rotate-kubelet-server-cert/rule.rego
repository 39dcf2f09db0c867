package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"gate": "RotateKubeletServerCertificate",
		"test": "bool",
		"want": "true",
		"default": "true",
		"problem": "keeps kubelets from rotating their serving certificates",
		"comp": "controller-manager",
		"score": 5,
	})
}
