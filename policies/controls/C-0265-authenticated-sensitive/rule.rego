package armo_builtins

import data.vigil.rbac

deny contains msga if {
	some vector in input
	vector.kind == "Group"
	vector.name == "system:authenticated"
	idx := rbac.grant_index(vector)
	found := {id: hs |
		some id, _ in rbac.sensitive
		hs := idx[id]
	}
	count(found) > 0
	labels := sort({rbac.sensitive[id] | some id, _ in found})
	paths := sort({p | some hs in found; some p in rbac.paths(hs)})
	path := rbac.subject_path(vector)
	msga := {
		"alertMessage": sprintf(
			"every authenticated user and service account can %s %s (%s)",
			[concat(", ", labels), rbac.where(vector), rbac.source(vector)],
		),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"reviewPaths": [],
		"deletePaths": [path],
		"fixPaths": [],
		"alertObject": {"externalObjects": vector},
	}
}
