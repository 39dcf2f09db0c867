package armo_builtins

import data.vigil.alert
import data.vigil.workload

# Tokens valid for more than a day are long-lived.
max_seconds := 86400

deny contains msga if {
	some obj in input
	some v in workload.volumes(obj)
	some i, src in v.volume.projected.sources
	src.serviceAccountToken.expirationSeconds > max_seconds
	path := sprintf("%s.projected.sources[%d].serviceAccountToken.expirationSeconds", [v.path, i])
	msga := alert.make(
		obj,
		sprintf("volume %q of %s %s projects a service account token valid for %d hours", [v.volume.name, obj.kind, obj.metadata.name, src.serviceAccountToken.expirationSeconds / 3600]),
		4,
		[path],
		[{"path": path, "value": "3600"}],
	)
}
