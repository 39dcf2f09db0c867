package armo_builtins

import data.vigil.alert
import data.vigil.workload

# Kubernetes' default mode for secret and projected volumes.
default_mode := 420

world_readable(mode) if bits.and(mode, 4) != 0

deny contains msga if {
	some obj in input
	some v in workload.volumes(obj)
	is_object(v.volume.secret)
	mode := object.get(v.volume.secret, "defaultMode", default_mode)
	world_readable(mode)
	path := concat("", [v.path, ".secret.defaultMode"])
	msga := alert.make(
		obj,
		sprintf("secret volume %q of %s %s is readable by every user in the container (mode %o)", [v.volume.name, obj.kind, obj.metadata.name, mode]),
		3,
		[path],
		[{"path": path, "value": "0400"}],
	)
}

deny contains msga if {
	some obj in input
	some v in workload.volumes(obj)
	some i, src in v.volume.projected.sources
	is_object(src.secret)
	mode := object.get(v.volume.projected, "defaultMode", default_mode)
	world_readable(mode)
	path := concat("", [v.path, ".projected.defaultMode"])
	msga := alert.make(
		obj,
		sprintf("projected volume %q of %s %s exposes secret %q to every user in the container (mode %o)", [v.volume.name, obj.kind, obj.metadata.name, src.secret.name, mode]),
		3,
		[path],
		[{"path": path, "value": "0400"}],
	)
}

deny contains msga if {
	some obj in input
	some v in workload.volumes(obj)
	some j, item in v.volume.secret.items
	world_readable(item.mode)
	path := sprintf("%s.secret.items[%d].mode", [v.path, j])
	msga := alert.make(
		obj,
		sprintf("secret file %q in volume %q of %s %s is readable by every user (mode %o)", [item.path, v.volume.name, obj.kind, obj.metadata.name, item.mode]),
		3,
		[path],
		[{"path": path, "value": "0400"}],
	)
}
