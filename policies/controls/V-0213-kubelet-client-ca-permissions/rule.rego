package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.file_mode(obj, {
		"files": ["data.clientCAFile"],
		"max": 420,
		"score": 6,
	})
}
