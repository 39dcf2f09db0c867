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
	some obj in input
	spec := workload.pod_spec(obj)
	sysctls := spec.securityContext.sysctls
	count(sysctls) > 0
	base := concat("", [workload.prefix[obj.kind], ".securityContext.sysctls"])
	bad := [{"i": format_int(i, 10), "name": s.name} | some i, s in secctx.as_array(sysctls); not safe(s.name)]
	count(bad) > 0
	msga := {
		"alertMessage": concat("", [obj.kind, "/", obj.metadata.name, " sets sysctls outside the safe set: ", concat(", ", [b.name | some b in bad])]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": [concat("", [base, "[", b.i, "].name"]) | some b in bad],
		"fixPaths": [],
		"deletePaths": [concat("", [base, "[", b.i, "]"]) | some b in bad],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# Sysctl names may use slashes as separators; the safe names have no dots
# inside a component, so swapping slashes for dots is enough here.
safe(name) if replace(name, "/", ".") in safe_sysctls
