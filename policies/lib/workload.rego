# Helpers for rules about workloads: where a kind keeps its pod spec, and
# every container of it with the path a finding should point at.
package vigil.workload

# spec_path maps each workload kind to the path of its pod spec.
spec_path := {
	"Pod": ["spec"],
	"Deployment": ["spec", "template", "spec"],
	"ReplicaSet": ["spec", "template", "spec"],
	"StatefulSet": ["spec", "template", "spec"],
	"DaemonSet": ["spec", "template", "spec"],
	"Job": ["spec", "template", "spec"],
	"ReplicationController": ["spec", "template", "spec"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}

# prefix maps each workload kind to the dotted path of its pod spec.
prefix := {
	"Pod": "spec",
	"Deployment": "spec.template.spec",
	"ReplicaSet": "spec.template.spec",
	"StatefulSet": "spec.template.spec",
	"DaemonSet": "spec.template.spec",
	"Job": "spec.template.spec",
	"ReplicationController": "spec.template.spec",
	"CronJob": "spec.jobTemplate.spec.template.spec",
}

# meta_prefix maps each workload kind to the dotted path of its pod
# metadata (labels and annotations of the pods it runs).
meta_prefix := {
	"Pod": "metadata",
	"Deployment": "spec.template.metadata",
	"ReplicaSet": "spec.template.metadata",
	"StatefulSet": "spec.template.metadata",
	"DaemonSet": "spec.template.metadata",
	"Job": "spec.template.metadata",
	"ReplicationController": "spec.template.metadata",
	"CronJob": "spec.jobTemplate.spec.template.metadata",
}

# pod_spec is the pod spec of a workload (undefined for other kinds).
pod_spec(obj) := spec if {
	spec := object.get(obj, spec_path[obj.kind], null)
	spec != null
}

# pod_meta is the metadata of the pods a workload runs: the template's
# metadata, or the Pod's own.
pod_meta(obj) := object.get(obj, array.concat(array.slice(spec_path[obj.kind], 0, count(spec_path[obj.kind]) - 1), ["metadata"]), {})

# container_fields are the pod spec fields that hold containers.
container_fields := ["containers", "initContainers", "ephemeralContainers"]

# containers lists every container of a workload (init and ephemeral
# containers included) as {"container", "path", "field", "index"}, where
# path is the dotted path of the container ("spec.containers[0]").
containers(obj) := [x |
	spec := pod_spec(obj)
	p := prefix[obj.kind]
	some field in container_fields
	some i, c in spec[field]
	x := {"container": c, "path": concat("", [p, ".", field, "[", format_int(i, 10), "]"]), "field": field, "index": i}
]

# volumes lists the pod volumes of a workload as {"volume", "path"}.
volumes(obj) := [x |
	spec := pod_spec(obj)
	p := prefix[obj.kind]
	some i, v in spec.volumes
	x := {"volume": v, "path": concat("", [p, ".volumes[", format_int(i, 10), "]"])}
]

# is_workload is true for the kinds that run pods.
is_workload(obj) if spec_path[obj.kind]

# ---------------------------------------------------------------------------
# The workloads of the input, indexed once per evaluation
#
# The engine evaluates every rule that matches workloads on a block of
# objects in one query, and OPA computes a complete rule once per query.
# Rules that iterate these lists therefore share one walk of the input,
# where each calling pod_spec(obj) and containers(obj) per object costs
# two function calls per object and rule, cached or not.

# input_pods lists the workloads of the input as {"obj", "spec", "prefix"}:
# the object, its pod spec and the dotted path of the pod spec.
input_pods := [{"obj": obj, "spec": spec, "prefix": prefix[obj.kind]} |
	some obj in input
	spec := pod_spec(obj)
]

# input_containers lists the containers of input_pods exactly as
# containers(obj) does, each with its workload and pod spec: {"obj",
# "spec", "container", "path", "field", "index"}. An element can be passed
# wherever a helper takes an element of containers(obj).
input_containers := [x |
	some w in input_pods
	some field in container_fields
	some i, c in w.spec[field]
	x := {
		"obj": w.obj,
		"spec": w.spec,
		"container": c,
		"path": concat("", [w.prefix, ".", field, "[", format_int(i, 10), "]"]),
		"field": field,
		"index": i,
	}
]

# input_volumes lists the pod volumes of input_pods exactly as volumes(obj)
# does, each with its workload: {"obj", "volume", "path"}.
input_volumes := [x |
	some w in input_pods
	some i, v in w.spec.volumes
	x := {"obj": w.obj, "volume": v, "path": concat("", [w.prefix, ".volumes[", format_int(i, 10), "]"])}
]
