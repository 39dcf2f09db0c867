package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some w in workload.input_pods
	opts := w.spec.securityContext.seLinuxOptions
	bad := unsafe(opts, concat("", [w.prefix, ".securityContext.seLinuxOptions"]))
	count(bad) > 0
	msga := selinux_alert(w.obj, concat("", [w.obj.kind, "/", w.obj.metadata.name, " sets unsafe pod-level SELinux options"]), bad)
}

deny contains msga if {
	some c in workload.input_containers
	opts := c.container.securityContext.seLinuxOptions
	bad := unsafe(opts, concat("", [c.path, ".securityContext.seLinuxOptions"]))
	count(bad) > 0
	msga := selinux_alert(c.obj, concat("", [secctx.label(c), " sets unsafe SELinux options"]), bad)
}

# unsafe lists the offending options as {"path", "what"}: a type outside
# the container types, and any user or role.
unsafe(opts, base) := array.concat(
	[{"path": concat("", [base, ".type"]), "what": concat("", ["type ", opts.type])} |
		is_string(opts.type)
		opts.type != ""
		not opts.type in secctx.allowed_selinux_types
	],
	[{"path": concat("", [base, ".", k]), "what": concat("", [k, " ", opts[k]])} |
		some k in ["user", "role"]
		is_string(opts[k])
		opts[k] != ""
	],
)

# Removing a field falls back to the runtime's confined defaults.
selinux_alert(obj, msg, bad) := {
	"alertMessage": concat("", [msg, ": ", concat(", ", [b.what | some b in bad])]),
	"alertScore": 6,
	"packagename": "armo_builtins",
	"failedPaths": [b.path | some b in bad],
	"fixPaths": [],
	"deletePaths": [b.path | some b in bad],
	"reviewPaths": [],
	"alertObject": {"k8sApiObjects": [obj]},
}
