package armo_builtins

import data.vigil.alert
import data.vigil.pss

deny contains msga if {
	some pv in input
	source := pv.spec.hostPath
	source != null
	msga := alert.make(
		pv,
		sprintf("PersistentVolume %q exposes the node path %q to any pod that binds it", [pv.metadata.name, pss.get(source, "path", "")]),
		6,
		["spec.hostPath"],
		[],
	)
}
