package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

# The container does not drop ALL.
deny contains msga if {
	some obj in input
	not pss.windows_pod(obj)
	some c in workload.containers(obj)
	dropped := list(pss.get(pss.container_sc(c), ["capabilities", "drop"], []))
	not "ALL" in dropped
	path := concat("", [c.path, ".securityContext.capabilities.drop"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s does not drop ALL capabilities: it keeps the runtime's default set", [c.container.name, alert.name(obj)]),
		4,
		[path],
		[{"path": sprintf("%s[%d]", [path, count(dropped)]), "value": "ALL"}],
	)
}

# The container adds capabilities other than NET_BIND_SERVICE.
deny contains msga if {
	some obj in input
	not pss.windows_pod(obj)
	some c in workload.containers(obj)
	added := list(pss.get(pss.container_sc(c), ["capabilities", "add"], []))
	bad := [i | some i, cap in added; cap != "NET_BIND_SERVICE"]
	count(bad) > 0
	paths := [sprintf("%s.securityContext.capabilities.add[%d]", [c.path, i]) | some i in bad]
	msga := {
		"alertMessage": sprintf("container %q in %s adds %s: the restricted profile allows adding only NET_BIND_SERVICE", [c.container.name, alert.name(obj), pss.quoted([added[i] | some i in bad])]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"deletePaths": paths,
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

list(x) := x if is_array(x)

else := []
