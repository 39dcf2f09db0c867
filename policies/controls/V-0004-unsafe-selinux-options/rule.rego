package armo_builtins

import data.vigil.secctx
import data.vigil.workload

deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	opts := spec.securityContext.seLinuxOptions
	bad := unsafe(opts, concat("", [workload.prefix[obj.kind], ".securityContext.seLinuxOptions"]))
	count(bad) > 0
	msga := selinux_alert(obj, concat("", [obj.kind, "/", obj.metadata.name, " sets unsafe pod-level SELinux options"]), bad)
}

deny contains msga if {
	some obj in input
	workload.pod_spec(obj)
	some c in workload.containers(obj)
	opts := c.container.securityContext.seLinuxOptions
	bad := unsafe(opts, concat("", [c.path, ".securityContext.seLinuxOptions"]))
	count(bad) > 0
	msga := selinux_alert(obj, concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " sets unsafe SELinux options"]), bad)
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
