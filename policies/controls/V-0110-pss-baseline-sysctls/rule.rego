package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

# The sysctls the baseline profile allows (the latest version of the list).
allowed := {
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.ping_group_range",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
	"net.ipv4.tcp_slow_start_after_idle",
	"net.ipv4.tcp_notsent_lowat",
}

deny contains msga if {
	some w in workload.input_pods
	sysctls := w.spec.securityContext.sysctls
	some i, s in sysctls
	name := pss.get(s, "name", "")
	not name in allowed
	obj := w.obj
	item := concat("", [w.prefix, sprintf(".securityContext.sysctls[%d]", [i])])
	msga := {
		"alertMessage": sprintf("%s sets sysctl %q, which the baseline profile does not allow", [alert.name(obj), name]),
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": [concat("", [item, ".name"])],
		"deletePaths": [item],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
