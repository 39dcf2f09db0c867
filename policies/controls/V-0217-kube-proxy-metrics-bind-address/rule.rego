package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "metrics-bind-address",
		"config": ["metricsBindAddress"],
		"test": "loopback",
		"default": "127.0.0.1:10249",
		"problem": "serves metrics beyond localhost",
		"comp": "kube-proxy",
		"score": 4,
	})
}
