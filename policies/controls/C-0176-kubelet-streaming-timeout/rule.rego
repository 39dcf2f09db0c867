package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "streaming-connection-idle-timeout",
		"config": ["streamingConnectionIdleTimeout"],
		"test": "nonzero-duration",
		"default": "4h0m0s",
		"problem": "never closes idle exec and port-forward connections",
		"comp": "kubelet",
		"score": 3,
	})
}
