package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.file_mode(obj, {
		"files": ["data.serviceFiles[*]"],
		"max": 384,
		"score": 6,
	})
}
