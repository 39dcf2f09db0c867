package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "authorization-mode",
		"config": ["authorization", "mode"],
		"test": "lacks",
		"item": "AlwaysAllow",
		"default": "AlwaysAllow",
		"configDefault": "Webhook",
		"suggest": "Webhook",
		"problem": "authorizes every request (AlwaysAllow)",
		"comp": "kubelet",
		"score": 9,
	})
}
