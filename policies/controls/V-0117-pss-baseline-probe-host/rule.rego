package armo_builtins

import data.vigil.workload

# The probe and lifecycle handlers of a container that connect somewhere:
# a host there makes the kubelet connect to it from the node. The host is
# checked before any path is built.
deny contains msga if {
	some c in workload.input_containers
	some probe in ["livenessProbe", "readinessProbe", "startupProbe"]
	some kind in ["httpGet", "tcpSocket"]
	host := c.container[probe][kind].host
	is_string(host)
	host != ""
	msga := host_alert(c, host, concat(".", [c.path, probe, kind, "host"]))
}

deny contains msga if {
	some c in workload.input_containers
	some hook in ["postStart", "preStop"]
	some kind in ["httpGet", "tcpSocket"]
	host := c.container.lifecycle[hook][kind].host
	is_string(host)
	host != ""
	msga := host_alert(c, host, concat(".", [c.path, "lifecycle", hook, kind, "host"]))
}

host_alert(c, host, path) := {
	"alertMessage": sprintf("container %q in %s/%s sends a probe or hook to host %q: the kubelet connects to it from the node", [c.container.name, c.obj.kind, c.obj.metadata.name, host]),
	"alertScore": 5,
	"failedPaths": [path],
	"deletePaths": [path],
	"alertObject": {"k8sApiObjects": [c.obj]},
}
