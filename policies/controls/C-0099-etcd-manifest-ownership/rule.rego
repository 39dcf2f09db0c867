package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.file_owner(obj, {
		"files": ["data.etcdConfigFile"],
		"user": "root",
		"group": "root",
		"score": 6,
	})
}
