package armo_builtins

# Minimum replicas set by an autoscaler, per "namespace/Kind/name" target.
# A complete rule: computed once per evaluation, then looked up per object.
# Two autoscalers on one target (a mistake in itself) keep the lower minimum.
hpa_targets := [[key, object.get(h.spec, "minReplicas", 1)] |
	some h in input
	h.kind == "HorizontalPodAutoscaler"
	t := h.spec.scaleTargetRef
	key := concat("/", [object.get(h.metadata, "namespace", "default"), t.kind, t.name])
]

hpa_min := {key: min({m | some [k, m] in hpa_targets; k == key}) | some [key, _] in hpa_targets}

deny contains msga if {
	some obj in input
	obj.kind in {"Deployment", "StatefulSet"}
	key := concat("/", [object.get(obj.metadata, "namespace", "default"), obj.kind, obj.metadata.name])
	not hpa_min[key]
	object.get(obj.spec, "replicas", 1) == 1
	msga := {
		"alertMessage": sprintf("%s %s runs a single replica: it is unavailable during every rollout or node drain", [obj.kind, obj.metadata.name]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": ["spec.replicas"],
		"fixPaths": [{"path": "spec.replicas", "value": "2"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

deny contains msga if {
	some obj in input
	obj.kind in {"Deployment", "StatefulSet"}
	key := concat("/", [object.get(obj.metadata, "namespace", "default"), obj.kind, obj.metadata.name])
	hpa_min[key] == 1
	msga := {
		"alertMessage": sprintf("%s %s may scale down to a single replica (its autoscaler's minReplicas is 1)", [obj.kind, obj.metadata.name]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": [],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
