# Helpers for rules about security contexts and host namespaces: where a
# setting is effective for a container (container level over pod level, as
# the kubelet resolves it), Linux capabilities as the container runtime
# applies them, and seccomp/AppArmor profiles from fields or legacy
# annotations.
package vigil.secctx

import data.vigil.alert as valert
import data.vigil.workload

# ---------------------------------------------------------------------------
# Alerts and labels

# alert builds an alert with every path list of the rule contract.
alert(obj, msg, score, failed, fixes, deletes, reviews) := {
	"alertMessage": msg,
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": failed,
	"fixPaths": fixes,
	"deletePaths": deletes,
	"reviewPaths": reviews,
	"alertObject": {"k8sApiObjects": [obj]},
}

# ctr renders a container entry of workload.containers for messages:
# `init container "setup" in Deployment/web`.
ctr(obj, c) := sprintf("%s %q in %s", [ctr_kind[c.field], c.container.name, valert.name(obj)])

ctr_kind := {
	"containers": "container",
	"initContainers": "init container",
	"ephemeralContainers": "ephemeral container",
}

# ---------------------------------------------------------------------------
# Security contexts

as_object(x) := x if is_object(x)

else := {}

as_array(x) := x if is_array(x)

else := []

# pod_sc is the pod-level security context ({} when absent or null).
pod_sc(spec) := as_object(object.get(spec, "securityContext", {}))

# csc is a container's own security context ({} when absent or null).
csc(c) := as_object(object.get(c.container, "securityContext", {}))

# pod_sc_path is the dotted path of the pod-level security context.
pod_sc_path(obj) := concat("", [workload.prefix[obj.kind], ".securityContext"])

# csc_path is the dotted path of a container's security context.
csc_path(c) := concat("", [c.path, ".securityContext"])

# windows is true for pods that declare the Windows OS. Kubernetes forbids
# the Linux-only security settings on them, and the Pod Security Standards
# exempt them from the Linux-only checks.
windows(spec) if spec.os.name == "windows"

# effective resolves a field that exists in both the pod and the container
# security context (runAsUser, runAsGroup, runAsNonRoot, seLinuxOptions,
# seccompProfile, appArmorProfile): the container's value wins when set.
# It is {"value", "path", "level"}, undefined when neither level sets it.
effective(obj, spec, c, field) := {"value": v, "path": concat("", [csc_path(c), ".", field]), "level": "container"} if {
	v := object.get(csc(c), field, null)
	v != null
} else := {"value": v, "path": concat("", [pod_sc_path(obj), ".", field]), "level": "pod"} if {
	v := object.get(pod_sc(spec), field, null)
	v != null
}

# effective_windows resolves a windowsOptions field; the kubelet merges
# windowsOptions field by field.
effective_windows(obj, spec, c, field) := {"value": v, "path": concat("", [csc_path(c), ".windowsOptions.", field]), "level": "container"} if {
	v := object.get(as_object(object.get(csc(c), "windowsOptions", {})), field, null)
	v != null
} else := {"value": v, "path": concat("", [pod_sc_path(obj), ".windowsOptions.", field]), "level": "pod"} if {
	v := object.get(as_object(object.get(pod_sc(spec), "windowsOptions", {})), field, null)
	v != null
}

# privileged is true for a container that sets privileged: true.
privileged(c) if csc(c).privileged == true

# runs_as_non_root is true when the kubelet will refuse to start the
# container as root: runAsNonRoot is effectively true, or the effective
# runAsUser is a non-zero UID.
runs_as_non_root(obj, spec, c) if effective(obj, spec, c, "runAsNonRoot").value == true

runs_as_non_root(obj, spec, c) if {
	u := effective(obj, spec, c, "runAsUser").value
	is_number(u)
	u > 0
}

# ---------------------------------------------------------------------------
# Capabilities

# cap_name normalises a capability name: upper case, without "CAP_".
cap_name(x) := trim_prefix(upper(trim_space(x)), "CAP_") if is_string(x)

else := ""

# caps_path is the dotted path of a container's capabilities.
caps_path(c) := concat("", [csc_path(c), ".capabilities"])

# added lists a container's added capabilities as {"name", "path"}.
added(c) := [{"name": cap_name(x), "path": sprintf("%s.add[%d]", [caps_path(c), i])} |
	some i, x in as_array(object.get(as_object(object.get(csc(c), "capabilities", {})), "add", []))
]

# drop_list is a container's list of dropped capabilities.
drop_list(c) := as_array(object.get(as_object(object.get(csc(c), "capabilities", {})), "drop", []))

# dropped is the set of normalised capabilities a container drops.
dropped(c) := {cap_name(x) | some x in drop_list(c)}

# drop_append is the path that appends one more entry to the drop list.
drop_append(c) := sprintf("%s.drop[%d]", [caps_path(c), count(drop_list(c))])

# has_cap is true when the container ends up holding the capability, as
# containerd and CRI-O apply the lists: add ALL, then drop ALL, then the
# single additions, then the single drops. The runtime's default set is
# assumed to include the capability (true for NET_RAW with containerd and
# Docker). Privileged containers get every capability whatever the lists.
has_cap(c, cap) if privileged(c)

has_cap(c, cap) if {
	not privileged(c)
	not cap in dropped(c)
	some a in added(c)
	a.name == cap
}

has_cap(c, cap) if {
	not privileged(c)
	not cap in dropped(c)
	not "ALL" in dropped(c)
}

# ---------------------------------------------------------------------------
# Privilege escalation

# escalation describes why a container may gain more privileges than its
# parent process: {"failed", "fixes", "deletes", "why"}; undefined when
# allowPrivilegeEscalation is effectively false. Kubernetes treats it as
# always true for privileged containers and those adding CAP_SYS_ADMIN
# (ALL includes it).
escalation(c) := r if {
	sc := csc(c)
	ape_path := concat("", [csc_path(c), ".allowPrivilegeEscalation"])
	priv := [p | privileged(c); p := concat("", [csc_path(c), ".privileged"])]
	sysadmin := [a.path | some a in added(c); a.name in {"SYS_ADMIN", "ALL"}; not "SYS_ADMIN" in dropped(c)]
	ape := [ape_path | object.get(sc, "allowPrivilegeEscalation", null) != false]
	failed := array.concat(array.concat(priv, sysadmin), ape)
	count(failed) > 0
	fixes := array.concat(
		[{"path": p, "value": "false"} | some p in priv],
		[{"path": ape_path, "value": "false"}],
	)
	why := array.concat(array.concat(
		["it runs privileged" | count(priv) > 0],
		["it adds CAP_SYS_ADMIN" | count(sysadmin) > 0],
	), [ape_reason(sc) | count(ape) > 0])
	r := {"failed": failed, "fixes": fixes, "deletes": sysadmin, "why": concat(" and ", why)}
}

ape_reason(sc) := "allowPrivilegeEscalation is true" if sc.allowPrivilegeEscalation == true

else := "allowPrivilegeEscalation is not set to false"

# ---------------------------------------------------------------------------
# User and group

# root_user describes a container whose effective runAsUser is 0 while
# runAsNonRoot is not in force; undefined otherwise.
root_user(obj, spec, c) := u if {
	u := effective(obj, spec, c, "runAsUser")
	u.value == 0
	not effective(obj, spec, c, "runAsNonRoot").value == true
}

# ---------------------------------------------------------------------------
# Seccomp and AppArmor profiles

# annotations are the annotations of the pods a workload runs.
annotations(obj) := as_object(object.get(workload.pod_meta(obj), "annotations", {}))

# annotation_path is the dotted path of a pod annotation. The key keeps its
# own dots and slashes, as the field sits in the object.
annotation_path(obj, key) := concat("", [workload.meta_prefix[obj.kind], ".annotations.", key])

seccomp_container_annotation(c) := concat("", ["container.seccomp.security.alpha.kubernetes.io/", c.container.name])

seccomp_pod_annotation := "seccomp.security.alpha.kubernetes.io/pod"

apparmor_container_annotation(c) := concat("", ["container.apparmor.security.beta.kubernetes.io/", c.container.name])

# annotation_type maps a legacy profile annotation value to the type of
# the profile field.
annotation_type(v) := "RuntimeDefault" if v in {"runtime/default", "docker/default"}

else := "Unconfined" if v == "unconfined"

else := "Localhost" if startswith(v, "localhost/")

else := "Invalid"

# seccomp is the seccomp profile in force for a container and where it
# comes from: {"type", "path", "source"}, source one of "container",
# "container-annotation", "pod", "pod-annotation" or "none" (type "" and
# path "" then). The API server copies a legacy annotation into the
# matching field when the field is unset, so a field wins over the
# annotation at the same level and the container level wins over the pod.
seccomp(obj, spec, c) := {"type": t, "path": concat("", [csc_path(c), ".seccompProfile.type"]), "source": "container"} if {
	t := csc(c).seccompProfile.type
} else := {"type": annotation_type(v), "path": annotation_path(obj, k), "source": "container-annotation"} if {
	k := seccomp_container_annotation(c)
	v := annotations(obj)[k]
} else := {"type": t, "path": concat("", [pod_sc_path(obj), ".seccompProfile.type"]), "source": "pod"} if {
	t := pod_sc(spec).seccompProfile.type
} else := {"type": annotation_type(v), "path": annotation_path(obj, seccomp_pod_annotation), "source": "pod-annotation"} if {
	v := annotations(obj)[seccomp_pod_annotation]
} else := {"type": "", "path": "", "source": "none"}

# apparmor is the AppArmor profile in force for a container, in the same
# shape as seccomp (there is no pod-level annotation).
apparmor(obj, spec, c) := {"type": t, "path": concat("", [csc_path(c), ".appArmorProfile.type"]), "source": "container"} if {
	t := csc(c).appArmorProfile.type
} else := {"type": annotation_type(v), "path": annotation_path(obj, k), "source": "container-annotation"} if {
	k := apparmor_container_annotation(c)
	v := annotations(obj)[k]
} else := {"type": t, "path": concat("", [pod_sc_path(obj), ".appArmorProfile.type"]), "source": "pod"} if {
	t := pod_sc(spec).appArmorProfile.type
} else := {"type": "", "path": "", "source": "none"}

# profile_fix sets a profile at the place it comes from: annotations take
# "runtime/default", fields "RuntimeDefault".
profile_fix(p) := {"path": p.path, "value": "runtime/default"} if endswith(p.source, "annotation")

else := {"path": p.path, "value": "RuntimeDefault"}

# confining_profile is true for profile types that restrict the container.
confining_profile := {"RuntimeDefault", "Localhost"}

# ---------------------------------------------------------------------------
# SELinux

# selinux is the SELinux options in force for a container; the container's
# seLinuxOptions replace the pod's as a whole. {"value", "path"}.
selinux(obj, spec, c) := s if {
	s := effective(obj, spec, c, "seLinuxOptions")
	is_object(s.value)
}

# selinux_confining is true when the container is given SELinux options
# that still confine it (spc_t is the unconfined "super privileged" type).
selinux_confining(obj, spec, c) if {
	opts := selinux(obj, spec, c).value
	some k in ["user", "role", "type", "level"]
	is_string(opts[k])
	opts[k] != ""
	object.get(opts, "type", "") != "spc_t"
}

# allowed_selinux_types are the types the Pod Security Standards baseline
# profile accepts (besides none).
allowed_selinux_types := {"container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

# ---------------------------------------------------------------------------
# Host namespaces

# host_namespaces lists the host namespace flags a pod sets to true.
host_namespaces(spec) := [f | some f in ["hostNetwork", "hostPID", "hostIPC"]; spec[f] == true]
