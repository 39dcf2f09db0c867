package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# One alert per container and missing value. Judged with every object at
# once, so LimitRange defaults of the workload's namespace are known.
# Pod-level resources and LimitRange defaults cover every container of a
# pod, so they are checked before the containers. A request that is not
# stated defaults to the limit, hence the second check on each level.
deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	spec := workload.pod_spec(obj)
	some [k, r] in [["limits", "cpu"], ["requests", "cpu"]]
	object.get(spec, ["resources", k, r], null) == null
	object.get(spec, ["resources", "limits", r], null) == null
	not [object.get(obj.metadata, "namespace", ""), r] in wlconfig.limitrange_defaults[k]
	some field in ["containers", "initContainers"]
	some i, ct in spec[field]
	object.get(ct, ["resources", k, r], null) == null
	object.get(ct, ["resources", "limits", r], null) == null
	path := sprintf("%s.%s[%d].resources.%s.%s", [workload.prefix[obj.kind], field, i, k, r])
	msga := {
		"alertMessage": sprintf("%s %q in %s/%s sets no %s", [wlconfig.kind_of_container[field], ct.name, obj.kind, obj.metadata.name, wlconfig.resource_desc[k][r]]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": wlconfig.placeholder[k][r]}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
