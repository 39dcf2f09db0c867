package armo_builtins

import data.vigil.rbac

default_account(v) if {
	v.kind == "ServiceAccount"
	v.name == "default"
}

default_account(v) if {
	v.kind == "User"
	startswith(v.name, "system:serviceaccount:")
	endswith(v.name, ":default")
	count(split(v.name, ":")) == 4
}

# grants_nothing is true for a scanned role with no rules and no
# aggregation.
grants_nothing(vector) if {
	[_, r] := rbac.role(vector)
	count(rbac.list(object.get(r, "rules", []))) == 0
	not r.aggregationRule
}

fixes(vector) := [{"path": concat("", [rbac.subject_path(vector), ".name"]), "value": "YOUR_SERVICE_ACCOUNT"}] if {
	vector.kind == "ServiceAccount"
} else := []

deny contains msga if {
	some vector in input
	default_account(vector)
	not grants_nothing(vector)
	[_, b] := rbac.binding(vector)
	path := concat("", [rbac.subject_path(vector), ".name"])
	msga := {
		"alertMessage": sprintf(
			"%s %s binds the default service account (%s) to %s: every pod there that names no service account gets it",
			[b.kind, rbac.name(b), rbac.subject_name(vector), rbac.source_role(vector)],
		),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"reviewPaths": [],
		"deletePaths": [],
		"fixPaths": fixes(vector),
		"alertObject": {"externalObjects": vector},
	}
}
