package armo_builtins

import data.vigil.rbac

deny contains msga if {
	vector := input[_]
	not rbac.system_subject(vector)
	[bi, b] := rbac.binding(vector)
	b.roleRef.kind == "ClusterRole"
	b.roleRef.name == "cluster-admin"
	si := rbac.subject_index(vector, b)
	path := sprintf("relatedObjects[%d].roleRef.name", [bi])
	msga := {
		"alertMessage": sprintf("%s is bound to cluster-admin by %s %s", [rbac.subject_name(vector), b.kind, b.metadata.name]),
		"alertScore": 9,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"reviewPaths": [sprintf("relatedObjects[%d].subjects[%d]", [bi, si])],
		"deletePaths": [],
		"fixPaths": [],
		"alertObject": {"externalObjects": vector},
	}
}
