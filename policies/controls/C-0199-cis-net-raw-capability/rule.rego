package armo_builtins

import data.vigil.secctx

deny contains msga if {
	some c in secctx.linux_containers
	f := net_raw(c)
	msga := {
		"alertMessage": concat("", [secctx.label(c), " keeps the NET_RAW capability: ", f.why]),
		"alertScore": 5,
		"failedPaths": f.failed,
		"fixPaths": f.fixes,
		"deletePaths": f.deletes,
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

# net_raw describes a container that holds NET_RAW: {"failed", "fixes",
# "deletes", "why"}; undefined when it does not.
net_raw(c) := {
	"failed": [secctx.drop_path(c)],
	"fixes": [{"path": concat("", [c.path, ".securityContext.capabilities.drop[0]"]), "value": "NET_RAW"}],
	"deletes": [],
	"why": "it drops neither NET_RAW nor ALL",
} if {
	# The common case: no capability settings at all.
	not c.container.securityContext.capabilities
	not c.container.securityContext.privileged == true
} else := r if {
	drops := secctx.dropped(c)
	secctx.has_cap(c, drops, "NET_RAW")
	adds := secctx.added(c)
	priv := [concat("", [c.path, ".securityContext.privileged"]) | c.container.securityContext.privileged == true]
	granting := [a.path | some a in adds; a.name in {"NET_RAW", "ALL"}]
	r := {
		"failed": secctx.first_non_empty(array.concat(priv, granting), [secctx.drop_path(c)]),
		"fixes": array.concat(
			[{"path": p, "value": "false"} | some p in priv],
			[{"path": secctx.drop_append(c), "value": "NET_RAW"} | not "NET_RAW" in drops],
		),
		"deletes": [a.path | some a in adds; a.name == "NET_RAW"],
		"why": net_raw_reason(count(priv) > 0, count(granting) > 0),
	}
}

net_raw_reason(true, _) := "it runs privileged"

net_raw_reason(false, true) := "it adds NET_RAW or ALL"

net_raw_reason(false, false) := "it drops neither NET_RAW nor ALL"
