package armo_builtins

import data.vigil.alert
import data.vigil.pss

# namespace of an object; objects without one share the same bucket.
namespace(o) := pss.get(o, ["metadata", "namespace"], "default")

# The PodDisruptionBudgets and HorizontalPodAutoscalers, and lookup tables
# built from them. They are complete rules, so they are evaluated once for
# all workloads (a partial rule queried with a key would scan the input
# again for every workload).
pdb_list := [p | some p in input; p.kind == "PodDisruptionBudget"]

pdbs := {ns: [p | some p in pdb_list; namespace(p) == ns] | some ns in {namespace(p) | some p in pdb_list}}

# The minReplicas of the autoscalers targeting each workload, by
# [namespace, kind, name].
hpa_targets := [[[namespace(h), h.spec.scaleTargetRef.kind, h.spec.scaleTargetRef.name], m] |
	some h in input
	h.kind == "HorizontalPodAutoscaler"
	m := pss.get(h.spec, "minReplicas", 1)
	is_number(m)
]

hpa_min := {key: [m | some t in hpa_targets; t[0] == key; m := t[1]] | some t in hpa_targets; key := t[0]}

deny contains msga if {
	some w in input
	w.kind in {"Deployment", "StatefulSet"}
	n := replicas(w)
	n > 1
	labels := pss.get(w, ["spec", "template", "metadata", "labels"], {})
	not protected(w, labels)
	msga := {
		"alertMessage": sprintf("%s runs %s but no PodDisruptionBudget selects its pods: a node drain or cluster upgrade can evict them all at once", [alert.name(w), describe(w, n)]),
		"alertScore": 3,
		"reviewPaths": ["spec.template.metadata.labels"],
		"alertObject": {"k8sApiObjects": [w]},
	}
}

# replicas is the most replicas the workload is sure to run: its own
# count, or more when autoscalers targeting it keep more.
replicas(w) := max(array.concat([spec_replicas(w)], mins)) if {
	count(hpa_min) > 0
	mins := hpa_min[[namespace(w), w.kind, w.metadata.name]]
} else := spec_replicas(w)

spec_replicas(w) := r if {
	r := w.spec.replicas
	is_number(r)
} else := 1

describe(w, n) := sprintf("%d replicas", [n]) if n == spec_replicas(w)

else := sprintf("at least %d replicas (HorizontalPodAutoscaler minReplicas)", [n])

protected(w, labels) if {
	count(pdbs) > 0
	some p in pdbs[namespace(w)]
	selects(p, labels)
}

# A null selector selects nothing; an empty one selects every pod in
# policy/v1 and none in policy/v1beta1.
selects(p, labels) if {
	sel := p.spec.selector
	is_object(sel)
	not empty_in_beta(p, sel)
	pss.selector_matches(sel, labels)
}

empty_in_beta(p, sel) if {
	p.apiVersion == "policy/v1beta1"
	count(pss.get(sel, "matchLabels", {})) == 0
	count(pss.get(sel, "matchExpressions", [])) == 0
}
