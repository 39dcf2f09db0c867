package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

# The capabilities the baseline profile allows a container to add.
allowed := {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

deny contains msga if {
	some obj in input
	some c in workload.containers(obj)
	added := pss.get(pss.container_sc(c), ["capabilities", "add"], [])
	is_array(added)
	bad := [i | some i, cap in added; not cap in allowed]
	count(bad) > 0
	names := [added[i] | some i in bad]
	paths := [sprintf("%s.securityContext.capabilities.add[%d]", [c.path, i]) | some i in bad]
	msga := {
		"alertMessage": sprintf("container %q in %s adds capabilities the baseline profile forbids: %s", [c.container.name, alert.name(obj), pss.quoted(names)]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"deletePaths": paths,
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
