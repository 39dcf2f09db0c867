package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

allowed_types := {"RuntimeDefault", "Localhost"}

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

# A profile set in the pod securityContext.
deny contains msga if {
	some obj in input
	profile := pss.pod_sc(obj).appArmorProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := pss.pod_path(obj, ".securityContext.appArmorProfile.type")
	msga := alert.make(
		obj,
		sprintf("%s sets AppArmor profile type %q in its pod securityContext: only RuntimeDefault and Localhost are allowed", [alert.name(obj), type]),
		5,
		[path],
		[{"path": path, "value": "RuntimeDefault"}],
	)
}

# A profile set in a container's securityContext.
deny contains msga if {
	some obj in input
	some c in workload.containers(obj)
	profile := pss.container_sc(c).appArmorProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := concat("", [c.path, ".securityContext.appArmorProfile.type"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s sets AppArmor profile type %q: only RuntimeDefault and Localhost are allowed", [c.container.name, alert.name(obj), type]),
		5,
		[path],
		[{"path": path, "value": "RuntimeDefault"}],
	)
}

# The deprecated per-container annotations on the pod metadata.
deny contains msga if {
	some obj in input
	annotations := pss.pod_meta(obj).annotations
	is_object(annotations)
	some key, value in annotations
	startswith(key, annotation_prefix)
	not allowed_annotation(value)
	path := pss.meta_path(obj, concat("", [".annotations.", key]))
	msga := alert.make(
		obj,
		sprintf("%s sets annotation %s to %q: only runtime/default and localhost/<profile> are allowed", [alert.name(obj), key, value]),
		5,
		[path],
		[{"path": path, "value": "runtime/default"}],
	)
}

allowed_annotation(v) if v in {"", "runtime/default"}

allowed_annotation(v) if startswith(v, "localhost/")
