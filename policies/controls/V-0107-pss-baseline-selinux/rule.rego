package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

# The SELinux types the baseline profile allows ("" is the same as unset).
allowed_types := {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

deny contains msga if {
	some w in workload.input_pods
	opts := w.spec.securityContext.seLinuxOptions
	problems := bad_fields(opts)
	count(problems) > 0
	obj := w.obj
	paths := [concat("", [w.prefix, ".securityContext.seLinuxOptions.", f]) | some f in problems]
	msga := alert_for(obj, sprintf("%s sets %s in its pod securityContext", [alert.name(obj), describe(opts, problems)]), paths)
}

deny contains msga if {
	some c in workload.input_containers
	opts := c.container.securityContext.seLinuxOptions
	problems := bad_fields(opts)
	count(problems) > 0
	paths := [concat("", [c.path, ".securityContext.seLinuxOptions.", f]) | some f in problems]
	msga := alert_for(c.obj, sprintf("%s sets %s", [pss.container_label(c), describe(opts, problems)]), paths)
}

# bad_fields lists the seLinuxOptions fields the profile forbids, in order.
bad_fields(opts) := [f |
	is_object(opts)
	some f in ["type", "user", "role"]
	bad(f, object.get(opts, f, ""))
]

bad("type", v) if not v in allowed_types

bad(f, v) if {
	f in {"user", "role"}
	v != ""
}

describe(opts, fields) := concat(" and ", [sprintf("SELinux %s %q", [f, opts[f]]) | some f in fields])

alert_for(obj, msg, paths) := {
	"alertMessage": concat("", [msg, ": the baseline profile allows only the container_* types and no custom user or role"]),
	"alertScore": 5,
	"packagename": "armo_builtins",
	"failedPaths": paths,
	"deletePaths": paths,
	"fixPaths": [],
	"alertObject": {"k8sApiObjects": [obj]},
}
