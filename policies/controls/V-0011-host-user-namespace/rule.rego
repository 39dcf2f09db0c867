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
	some w in workload.input_pods
	spec := w.spec
	not spec.hostUsers == false
	not spec.os.name == "windows"
	not spec.hostNetwork == true
	not spec.hostPID == true
	not spec.hostIPC == true
	# The containers as workload.containers lists them, read in place.
	names := [c.name |
		some field in workload.container_fields
		some i, c in spec[field]
		is_number(i)
		powerful(c)
	]
	count(names) > 0
	path := concat("", [w.prefix, ".hostUsers"])
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " runs containers that are privileged or add powerful capabilities (", concat(", ", names), ") in the node's user namespace (hostUsers is not false): their root user and capabilities are the node's"]),
		"alertScore": 3,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "false"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

# powerful is true for a container (the object itself) that runs
# privileged or adds an insecure capability.
powerful(c) if {
	c.securityContext.privileged == true
} else := true if {
	some x in secctx.as_array(c.securityContext.capabilities.add)
	secctx.cap_name(x) in insecure
}
