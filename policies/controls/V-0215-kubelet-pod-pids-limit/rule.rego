package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "pod-max-pids",
		"config": ["podPidsLimit"],
		"test": "positive",
		"default": "-1",
		"suggest": "4096",
		"problem": "lets a pod start unlimited processes",
		"comp": "kubelet",
		"score": 4,
	})
}
