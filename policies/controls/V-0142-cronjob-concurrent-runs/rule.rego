package armo_builtins

import data.vigil.alert

deny contains msga if {
	some obj in input
	obj.kind == "CronJob"
	object.get(obj.spec, "concurrencyPolicy", "Allow") == "Allow"
	msga := alert.make(
		obj,
		sprintf("CronJob %s allows overlapping runs (concurrencyPolicy Allow)", [obj.metadata.name]),
		2,
		["spec.concurrencyPolicy"],
		[{"path": "spec.concurrencyPolicy", "value": "Forbid"}],
	)
}
