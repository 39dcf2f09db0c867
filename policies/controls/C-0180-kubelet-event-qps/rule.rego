package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "event-qps",
		"config": ["eventRecordQPS"],
		"test": "qps",
		"min": 5,
		"default": "50",
		"problem": "drops events above a very low rate",
		"comp": "kubelet",
		"score": 2,
	})
}
