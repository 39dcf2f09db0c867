package armo_builtins

import data.vigil.network
import data.vigil.workload

# Only workloads that an externally reachable Service selects can fail:
# network.exposure lists them with those Services.
deny contains msga if {
	some w, svcs in network.exposure
	_suspicious(workload.pod_spec(w))
	findings := _findings(w)
	count(findings) > 0
	msga := {
		"alertMessage": sprintf("%s is reachable from outside the cluster through %s and %s", [
			network.where(w),
			network.exposure_text(svcs),
			concat("; ", [f.what | some f in findings]),
		]),
		"alertScore": 9,
		"packagename": "armo_builtins",
		"failedPaths": [p | some f in findings; some p in f.failed],
		"reviewPaths": [],
		"deletePaths": [p | some f in findings; some p in object.get(f, "delete", [])],
		"fixPaths": [x | some f in findings; some x in object.get(f, "fix", [])],
		"relatedObjects": network.related_objects(svcs),
		"alertObject": {"k8sApiObjects": [w]},
	}
}

# Cheap first tests, before findings and their paths are built (an else
# chain: the first test that holds settles it).
_suspicious(spec) if {
	some f in ["hostPID", "hostIPC", "hostNetwork"]
	spec[f] == true
} else if {
	spec.volumes[_].hostPath
} else if {
	some f in workload.container_fields
	spec[f][_].securityContext.capabilities.add
} else if {
	spec.securityContext.runAsUser == 0
} else if {
	some f in workload.container_fields
	spec[f][_].securityContext.runAsUser == 0
}

_findings(w) := array.concat(array.concat(_host_namespaces(w), _runtime_sockets(w)), array.concat(_capabilities(w), _root_escalation(w)))

_host_namespaces(w) := [f |
	spec := workload.pod_spec(w)
	some field in ["hostPID", "hostIPC", "hostNetwork"]
	spec[field] == true
	path := concat(".", [workload.prefix[w.kind], field])
	f := {"what": sprintf("shares the node's %s", [_namespace_names[field]]), "failed": [path], "fix": [{"path": path, "value": "false"}]}
]

_namespace_names := {"hostPID": "process namespace", "hostIPC": "IPC namespace", "hostNetwork": "network namespace"}

# Container runtime sockets, and directories that hold them.
_socket_dirs := {"/run", "/var/run", "/run/containerd", "/var/run/containerd", "/run/crio", "/var/run/crio", "/run/docker", "/var/run/docker", "/run/podman", "/var/run/podman"}

_socket_names := {"docker.sock", "containerd.sock", "crio.sock", "dockershim.sock", "cri-dockerd.sock", "podman.sock"}

_runtime_socket(path) if {
	p := trim_suffix(path, "/")
	p in _socket_dirs
}

_runtime_socket(path) if path == "/"

_runtime_socket(path) if {
	parts := split(trim_suffix(path, "/"), "/")
	parts[count(parts) - 1] in _socket_names
}

_runtime_sockets(w) := [f |
	some v in workload.volumes(w)
	path := v.volume.hostPath.path
	is_string(path)
	_runtime_socket(path)
	f := {"what": sprintf("mounts host path %s, which gives access to the container runtime socket", [path]), "failed": [concat("", [v.path, ".hostPath.path"])]}
]

_capabilities(w) := [f |
	some c in workload.containers(w)
	some j, cap in network.as_array(object.get(c.container, ["securityContext", "capabilities", "add"], []))
	trim_prefix(upper(cap), "CAP_") in {"SYS_ADMIN", "ALL"}
	path := sprintf("%s.securityContext.capabilities.add[%d]", [c.path, j])
	f := {"what": sprintf("container %q adds capability %s", [c.container.name, cap]), "failed": [path], "delete": [path]}
]

_root_escalation(w) := [f |
	spec := workload.pod_spec(w)
	some c in workload.containers(w)
	[uid_path, uid] := _run_as_user(w, spec, c)
	uid == 0
	not _non_root(spec, c)
	not c.container.securityContext.allowPrivilegeEscalation == false
	not c.container.securityContext.privileged == true
	ape := concat("", [c.path, ".securityContext.allowPrivilegeEscalation"])
	f := {
		"what": sprintf("container %q runs as root with privilege escalation allowed", [c.container.name]),
		"failed": [uid_path, ape],
		"fix": [{"path": ape, "value": "false"}],
	}
]

# runAsNonRoot (the container's, or else the pod's) stops a container whose
# user is 0 from starting at all.
_non_root(_, c) if c.container.securityContext.runAsNonRoot == true

_non_root(spec, c) if {
	not c.container.securityContext.runAsNonRoot == false
	spec.securityContext.runAsNonRoot == true
}

_run_as_user(w, spec, c) := [concat("", [c.path, ".securityContext.runAsUser"]), c.container.securityContext.runAsUser] if {
	is_number(c.container.securityContext.runAsUser)
} else := [concat("", [workload.prefix[w.kind], ".securityContext.runAsUser"]), spec.securityContext.runAsUser] if {
	is_number(spec.securityContext.runAsUser)
}
