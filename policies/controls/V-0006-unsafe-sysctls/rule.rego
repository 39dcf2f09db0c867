package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# The namespaced sysctls Kubernetes allows by default (and the Pod
# Security Standards baseline profile accepts), as of Kubernetes 1.32.
safe_sysctls := {
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
}

deny contains msga if {
	some w in workload.input_pods
	sysctls := w.spec.securityContext.sysctls
	count(sysctls) > 0
	base := concat("", [w.prefix, ".securityContext.sysctls"])
	bad := [{"i": format_int(i, 10), "name": s.name} | some i, s in secctx.as_array(sysctls); not safe(s.name)]
	count(bad) > 0
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " sets sysctls outside the safe set: ", concat(", ", [b.name | some b in bad])]),
		"alertScore": 6,
		"failedPaths": [concat("", [base, "[", b.i, "].name"]) | some b in bad],
		"deletePaths": [concat("", [base, "[", b.i, "]"]) | some b in bad],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

# Sysctl names may use slashes as separators; the safe names have no dots
# inside a component, so swapping slashes for dots is enough here.
safe(name) if replace(name, "/", ".") in safe_sysctls
