package armo_builtins

import data.vigil.alert

wildcard(x) if x == "*"

wildcard(x) if startswith(x, "*/")

kubernetes_role(r) if {
	r.kind == "ClusterRole"
	r.metadata.name == "cluster-admin"
}

kubernetes_role(r) if startswith(r.metadata.name, "system:")

deny contains msga if {
	some r in input
	r.kind in {"Role", "ClusterRole"}
	not kubernetes_role(r)
	found := [x |
		some j, pr in r.rules
		some f in ["verbs", "resources"]
		some k, v in pr[f]
		wildcard(v)
		x := {"path": sprintf("rules[%d].%s[%d]", [j, f, k]), "what": sprintf("%s %q in rules[%d]", [f, v, j])}
	]
	count(found) > 0
	msga := alert.make(
		r,
		sprintf("%s uses wildcards: %s", [alert.name(r), concat(", ", [x.what | some x in found])]),
		5,
		[x.path | some x in found],
		[],
	)
}
