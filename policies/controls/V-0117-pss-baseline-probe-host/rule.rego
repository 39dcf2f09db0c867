package armo_builtins

import data.vigil.workload

# endpoints lists the probe and lifecycle handlers of a container that
# connect somewhere, as [dotted path, handler].
endpoints(c) := array.concat(
	[[concat(".", [c.path, probe, kind]), h] |
		some probe in ["livenessProbe", "readinessProbe", "startupProbe"]
		some kind in ["httpGet", "tcpSocket"]
		h := c.container[probe][kind]
	],
	[[concat(".", [c.path, "lifecycle", hook, kind]), h] |
		some hook in ["postStart", "preStop"]
		some kind in ["httpGet", "tcpSocket"]
		h := c.container.lifecycle[hook][kind]
	],
)

deny contains msga if {
	some obj in input
	some c in workload.containers(obj)
	some [p, h] in endpoints(c)
	is_string(h.host)
	h.host != ""
	path := concat("", [p, ".host"])
	msga := {
		"alertMessage": sprintf("container %q in %s/%s sends a probe or hook to host %q: the kubelet connects to it from the node", [c.container.name, obj.kind, obj.metadata.name, h.host]),
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"deletePaths": [path],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
