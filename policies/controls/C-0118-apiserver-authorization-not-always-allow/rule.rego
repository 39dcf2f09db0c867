package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "authorization-mode",
		"test": "lacks",
		"item": "AlwaysAllow",
		"default": "AlwaysAllow",
		"deferTo": "authorization-config",
		"suggest": "Node,RBAC",
		"problem": "authorizes every request (AlwaysAllow)",
		"score": 9,
	})
}
