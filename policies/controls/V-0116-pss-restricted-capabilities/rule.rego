package armo_builtins

import data.vigil.pss
import data.vigil.secctx

# Windows pods are exempt (secctx.linux_containers leaves them out). The
# names are compared as written: the standard does not normalise them.

# The container does not drop ALL.
deny contains msga if {
	some c in secctx.linux_containers
	not "ALL" in secctx.drop_list(c)
	path := secctx.drop_path(c)
	msga := {
		"alertMessage": concat("", [pss.container_label(c), " does not drop ALL capabilities: it keeps the runtime's default set"]),
		"alertScore": 4,
		"failedPaths": [path],
		"fixPaths": [{"path": secctx.drop_append(c), "value": "ALL"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

# The container adds capabilities other than NET_BIND_SERVICE.
# secctx.added(c)[i] is the entry at index i, its path built once for the
# controls about added capabilities.
deny contains msga if {
	some c in secctx.linux_containers
	added := c.container.securityContext.capabilities.add
	is_array(added)
	bad := [i | some i, cap in added; cap != "NET_BIND_SERVICE"]
	count(bad) > 0
	adds := secctx.added(c)
	paths := [adds[i].path | some i in bad]
	msga := {
		"alertMessage": concat("", [pss.container_label(c), " adds ", pss.quoted([added[i] | some i in bad]), ": the restricted profile allows adding only NET_BIND_SERVICE"]),
		"alertScore": 4,
		"failedPaths": paths,
		"deletePaths": paths,
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
