package armo_builtins

import data.vigil.alert
import data.vigil.workload

deny contains msga if {
	some obj in input
	some v in workload.volumes(obj)
	is_object(v.volume.emptyDir)
	not v.volume.emptyDir.sizeLimit
	path := concat("", [v.path, ".emptyDir.sizeLimit"])
	msga := alert.make(
		obj,
		sprintf("emptyDir volume %q of %s %s has no sizeLimit", [v.volume.name, obj.kind, obj.metadata.name]),
		2,
		[path],
		[{"path": path, "value": "YOUR_SIZE_LIMIT"}],
	)
}
