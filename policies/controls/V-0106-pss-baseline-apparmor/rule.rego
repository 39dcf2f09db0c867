package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.secctx
import data.vigil.workload

allowed_types := {"RuntimeDefault", "Localhost"}

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

# A profile set in the pod securityContext.
deny contains msga if {
	some w in workload.input_pods
	profile := w.spec.securityContext.appArmorProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	obj := w.obj
	path := concat("", [w.prefix, ".securityContext.appArmorProfile.type"])
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
	some c in workload.input_containers
	profile := c.container.securityContext.appArmorProfile
	profile != null
	type := pss.get(profile, "type", "")
	not type in allowed_types
	path := concat("", [c.path, ".securityContext.appArmorProfile.type"])
	msga := alert.make(
		c.obj,
		sprintf("%s sets AppArmor profile type %q: only RuntimeDefault and Localhost are allowed", [pss.container_label(c), type]),
		5,
		[path],
		[{"path": path, "value": "RuntimeDefault"}],
	)
}

# The deprecated per-container annotations on the pod metadata, among the
# legacy profile annotations secctx collects once per workload.
deny contains msga if {
	some w in workload.input_pods
	some key, value in secctx.profile_annotations(w.obj)
	startswith(key, annotation_prefix)
	not allowed_annotation(value)
	obj := w.obj
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
