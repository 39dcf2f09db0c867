package armo_builtins

import data.vigil.alert
import data.vigil.workload

deny contains msga if {
	some obj in input
	some c in workload.containers(obj)
	# Ephemeral containers cannot set resources.
	c.field != "ephemeralContainers"
	not c.container.resources.limits["ephemeral-storage"]
	path := concat("", [c.path, ".resources.limits.ephemeral-storage"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s %s has no ephemeral-storage limit", [c.container.name, obj.kind, obj.metadata.name]),
		2,
		[path],
		[{"path": path, "value": "YOUR_EPHEMERAL_STORAGE_LIMIT"}],
	)
}
