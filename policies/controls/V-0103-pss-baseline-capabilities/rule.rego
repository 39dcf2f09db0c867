package armo_builtins

import data.vigil.pss
import data.vigil.secctx
import data.vigil.workload

# The capabilities the baseline profile allows a container to add.
allowed := {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

# The names are compared as written (the standard does not normalise
# them); secctx.added(c)[i] is the entry at index i, its path built once
# for the controls about added capabilities.
deny contains msga if {
	some c in workload.input_containers
	added := c.container.securityContext.capabilities.add
	is_array(added)
	bad := [i | some i, cap in added; not cap in allowed]
	count(bad) > 0
	adds := secctx.added(c)
	paths := [adds[i].path | some i in bad]
	msga := {
		"alertMessage": concat("", [pss.container_label(c), " adds capabilities the baseline profile forbids: ", pss.quoted([added[i] | some i in bad])]),
		"alertScore": 6,
		"failedPaths": paths,
		"deletePaths": paths,
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
