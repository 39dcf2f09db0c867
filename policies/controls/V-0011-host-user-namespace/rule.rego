package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# Capabilities count when they are in insecureCapabilities: a user
# namespace makes little difference for narrow ones such as
# NET_BIND_SERVICE or IPC_LOCK.
insecure := {secctx.cap_name(x) | some x in data.postureControlInputs.insecureCapabilities}

# Pods that use a host namespace cannot have their own user namespace, so
# they are left to the host-namespace controls.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.hostUsers == false
	not spec.os.name == "windows"
	not spec.hostNetwork == true
	not spec.hostPID == true
	not spec.hostIPC == true
	names := [c.container.name | some c in workload.containers(obj); powerful(c)]
	count(names) > 0
	path := concat("", [workload.prefix[obj.kind], ".hostUsers"])
	msga := {
		"alertMessage": concat("", [obj.kind, "/", obj.metadata.name, " runs containers that are privileged or add powerful capabilities (", concat(", ", names), ") in the node's user namespace (hostUsers is not false): their root user and capabilities are the node's"]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

powerful(c) if c.container.securityContext.privileged == true

powerful(c) if {
	some x in secctx.as_array(c.container.securityContext.capabilities.add)
	secctx.cap_name(x) in insecure
}
