package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"comp": "apiserver",
		"flag": "authorization-mode",
		"test": "has",
		"item": "Node",
		"default": "AlwaysAllow",
		"deferTo": "authorization-config",
		"suggest": "Node,RBAC",
		"problem": "does not use the Node authorizer",
		"score": 7,
	})
}
