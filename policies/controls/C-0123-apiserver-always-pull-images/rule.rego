package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "enable-admission-plugins",
		"test": "has",
		"item": "AlwaysPullImages",
		"default": "",
		"problem": "does not enable the AlwaysPullImages admission plugin",
		"score": 4,
	})
}
