# Helpers for rules about security contexts and host namespaces: where a
# setting is effective for a container (container level over pod level, as
# the kubelet resolves it), Linux capabilities as the container runtime
# applies them, and seccomp/AppArmor profiles from fields or legacy
# annotations.
#
# The helpers read fields through plain references (an undefined reference
# means "not set") rather than object.get chains, and rules build their
# alerts inline: both run for every container of every workload, and on
# large inventories each function call is measurable.
package vigil.secctx

import data.vigil.workload

# ---------------------------------------------------------------------------
# Messages

# ctr_kind names each container field of workload.containers in messages
# ("init container \"setup\" in Deployment/web"). Container names are DNS
# labels, so messages need not escape them.
ctr_kind := {
	"containers": "container",
	"initContainers": "init container",
	"ephemeralContainers": "ephemeral container",
}

# ---------------------------------------------------------------------------
# Security contexts

as_array(x) := x if is_array(x)

else := []

# pod_sc is the pod-level security context ({} when absent or null).
pod_sc(spec) := sc if {
	sc := spec.securityContext
	is_object(sc)
} else := {}

# csc is a container's own security context ({} when absent or null).
csc(c) := sc if {
	sc := c.container.securityContext
	is_object(sc)
} else := {}

# pod_sc_path is the dotted path of the pod-level security context.
pod_sc_path(obj) := concat("", [workload.prefix[obj.kind], ".securityContext"])

# windows is true for pods that declare the Windows OS. Kubernetes forbids
# the Linux-only security settings on them, and the Pod Security Standards
# exempt them from the Linux-only checks.
windows(spec) if spec.os.name == "windows"

# effective resolves a field that exists in both the pod and the container
# security context (runAsUser, runAsGroup, runAsNonRoot, seLinuxOptions,
# seccompProfile, appArmorProfile): the container's value wins when set.
# It is {"value", "path", "level"}, undefined when neither level sets it.
effective(obj, spec, c, field) := {"value": v, "path": concat("", [c.path, ".securityContext.", field]), "level": "container"} if {
	v := c.container.securityContext[field]
	v != null
} else := {"value": v, "path": concat("", [pod_sc_path(obj), ".", field]), "level": "pod"} if {
	v := spec.securityContext[field]
	v != null
}

# effective_windows resolves a windowsOptions field; the kubelet merges
# windowsOptions field by field.
effective_windows(obj, spec, c, field) := {"value": v, "path": concat("", [c.path, ".securityContext.windowsOptions.", field]), "level": "container"} if {
	v := c.container.securityContext.windowsOptions[field]
	v != null
} else := {"value": v, "path": concat("", [pod_sc_path(obj), ".windowsOptions.", field]), "level": "pod"} if {
	v := spec.securityContext.windowsOptions[field]
	v != null
}

# effective_value is the value effective() resolves, without building its
# path: checks read it first and build paths only for findings.
effective_value(spec, c, field) := v if {
	v := c.container.securityContext[field]
	v != null
} else := v if {
	v := spec.securityContext[field]
	v != null
}

# privileged is true for a container that sets privileged: true.
privileged(c) if c.container.securityContext.privileged == true

# non_root_required is true when runAsNonRoot is effectively true. (Rules
# negate it through this function: `not f(x).field == v` is undefined, not
# true, when f(x) itself is undefined, because OPA evaluates the call
# outside the negation.)
non_root_required(_, spec, c) if effective_value(spec, c, "runAsNonRoot") == true

# positive_user is true when the effective runAsUser is a non-zero UID.
positive_user(spec, c) if {
	u := effective_value(spec, c, "runAsUser")
	is_number(u)
	u > 0
}

# ---------------------------------------------------------------------------
# Capabilities

# cap_name normalises a capability name: upper case, without "CAP_".
cap_name(x) := trim_prefix(upper(trim_space(x)), "CAP_") if is_string(x)

else := ""

# added lists a container's added capabilities as {"name", "path"}.
added(c) := [{"name": cap_name(x), "path": concat("", [c.path, ".securityContext.capabilities.add[", format_int(i, 10), "]"])} |
	some i, x in as_array(c.container.securityContext.capabilities.add)
]

# drop_list is a container's list of dropped capabilities.
drop_list(c) := d if {
	d := c.container.securityContext.capabilities.drop
	is_array(d)
} else := []

# dropped is the set of normalised capabilities a container drops.
dropped(c) := {cap_name(x) | some x in as_array(c.container.securityContext.capabilities.drop)}

# drop_path is the path of a container's list of dropped capabilities.
drop_path(c) := concat("", [c.path, ".securityContext.capabilities.drop"])

# drop_append is the path that appends one more entry to the drop list.
drop_append(c) := concat("", [c.path, ".securityContext.capabilities.drop[", format_int(count(drop_list(c)), 10), "]"])

# has_cap is true when the container ends up holding the capability, as
# containerd and CRI-O apply the lists: add ALL, then drop ALL, then the
# single additions, then the single drops. The runtime's default set is
# assumed to include the capability (true for NET_RAW with containerd and
# Docker). Privileged containers get every capability whatever the lists.
# drops is dropped(c), passed in so callers compute it once.
has_cap(c, _, _) if privileged(c)

has_cap(c, drops, cap) if {
	not privileged(c)
	not cap in drops
	held_after_drop_all(c, drops, cap)
}

held_after_drop_all(_, drops, _) if not "ALL" in drops

held_after_drop_all(c, _, cap) if {
	some x in as_array(c.container.securityContext.capabilities.add)
	cap_name(x) == cap
}

# ---------------------------------------------------------------------------
# Privilege escalation

# escalation describes why a container may gain more privileges than its
# parent process: {"failed", "fixes", "deletes", "why"}; undefined when
# allowPrivilegeEscalation is effectively false. Kubernetes treats it as
# always true for privileged containers and those adding CAP_SYS_ADMIN
# (ALL includes it) unless they drop it again.
escalation(c) := r if {
	# The common case: nothing but allowPrivilegeEscalation to look at.
	not c.container.securityContext.privileged == true
	not c.container.securityContext.capabilities.add
	not c.container.securityContext.allowPrivilegeEscalation == false
	p := ape_path(c)
	r := {"failed": [p], "fixes": [{"path": p, "value": "false"}], "deletes": [], "why": ape_reason(c)}
} else := escalation_general(c) if {
	c.container.securityContext.privileged == true
} else := escalation_general(c) if {
	c.container.securityContext.capabilities.add
}

# escalation_general handles privileged containers and added capabilities.
escalation_general(c) := r if {
	ap := ape_path(c)
	priv := [p | c.container.securityContext.privileged == true; p := concat("", [c.path, ".securityContext.privileged"])]
	sysadmin := sys_admin_adds(c)
	ape := [ap | not c.container.securityContext.allowPrivilegeEscalation == false]
	failed := array.concat(array.concat(priv, sysadmin), ape)
	count(failed) > 0
	fixes := array.concat(
		[{"path": p, "value": "false"} | some p in priv],
		[{"path": ap, "value": "false"} | count(ape) > 0],
	)
	why := array.concat(
		array.concat(
			["it runs privileged" | count(priv) > 0],
			["it adds CAP_SYS_ADMIN" | count(sysadmin) > 0],
		),
		[ape_reason(c) | count(ape) > 0],
	)
	r := {"failed": failed, "fixes": fixes, "deletes": sysadmin, "why": concat(" and ", why)}
}

# sys_admin_adds are the paths of add entries that grant CAP_SYS_ADMIN.
sys_admin_adds(c) := [] if {
	not c.container.securityContext.capabilities.add
} else := [a.path | some a in added(c); a.name in {"SYS_ADMIN", "ALL"}; not "SYS_ADMIN" in dropped(c)]

# ape_path is the path of a container's allowPrivilegeEscalation (a call,
# so that the controls reporting it build it once).
ape_path(c) := concat("", [c.path, ".securityContext.allowPrivilegeEscalation"])

ape_reason(c) := "allowPrivilegeEscalation is true" if c.container.securityContext.allowPrivilegeEscalation == true

else := "allowPrivilegeEscalation is not set to false"

# ---------------------------------------------------------------------------
# User and group

# non_root_finding describes a container that may run as root (neither it
# nor the pod sets runAsNonRoot: true, and the effective runAsUser is not a
# non-zero UID): {"failed", "fixes", "zero"}; undefined otherwise. The fix
# sets runAsNonRoot: true on the container, and asks for a UID when the
# container is explicitly given UID 0 (it would not start otherwise).
non_root_finding(obj, spec, c) := r if {
	# Decide on the values; build the paths only for a finding.
	not non_root_required(obj, spec, c)
	not positive_user(spec, c)
	not windows_non_admin(obj, spec, c)
	nonroot := [n | n := effective(obj, spec, c, "runAsNonRoot")]
	user := [u | u := effective(obj, spec, c, "runAsUser")]
	zero := [u.path | some u in user; u.value == 0]
	explicit := array.concat([n.path | some n in nonroot], zero)
	nonroot_path := concat("", [c.path, ".securityContext.runAsNonRoot"])
	r := {
		"failed": first_non_empty(explicit, [nonroot_path]),
		"fixes": array.concat(
			[{"path": nonroot_path, "value": "true"}],
			[{"path": concat("", [c.path, ".securityContext.runAsUser"]), "value": "YOUR_VALUE"} | count(zero) > 0],
		),
		"zero": count(zero) > 0,
	}
}

positive_uid(user) if {
	is_number(user[0].value)
	user[0].value > 0
}

non_root_msg(true) := " runs as root: its runAsUser is 0 and runAsNonRoot is not true"

non_root_msg(false) := " may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser"

# windows_non_admin is true for a container of a Windows pod that runs as
# a named user other than the administrator accounts.
windows_non_admin(obj, spec, c) if {
	windows(spec)
	n := effective_windows(obj, spec, c, "runAsUserName").value
	is_string(n)
	n != ""
	not lower(n) in {"containeradministrator", "nt authority\\system"}
}

# first_non_empty is a when it has elements, else b.
first_non_empty(a, b) := a if count(a) > 0

else := b

# root_user describes a container whose effective runAsUser is 0 while
# runAsNonRoot is not in force; undefined otherwise.
root_user(obj, spec, c) := u if {
	effective_value(spec, c, "runAsUser") == 0
	not non_root_required(obj, spec, c)
	u := effective(obj, spec, c, "runAsUser")
}

# ---------------------------------------------------------------------------
# Seccomp and AppArmor profiles

# annotations_path is where each workload kind keeps the annotations of
# the pods it runs. (workload.pod_meta returns the whole pod template,
# {metadata, spec}, for kinds other than Pod, so it is not used here.)
annotations_path := {
	"Pod": ["metadata", "annotations"],
	"Deployment": ["spec", "template", "metadata", "annotations"],
	"ReplicaSet": ["spec", "template", "metadata", "annotations"],
	"StatefulSet": ["spec", "template", "metadata", "annotations"],
	"DaemonSet": ["spec", "template", "metadata", "annotations"],
	"Job": ["spec", "template", "metadata", "annotations"],
	"ReplicationController": ["spec", "template", "metadata", "annotations"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "metadata", "annotations"],
}

# annotation returns the value of a pod annotation of a workload.
annotation(obj, key) := v if {
	a := object.get(obj, annotations_path[obj.kind], null)
	v := a[key]
	is_string(v)
}

# annotation_path is the dotted path of a pod annotation. The key keeps its
# own dots and slashes, as the field sits in the object.
annotation_path(obj, key) := concat("", [workload.meta_prefix[obj.kind], ".annotations.", key])

seccomp_container_annotation(c) := concat("", ["container.seccomp.security.alpha.kubernetes.io/", c.container.name])

seccomp_pod_annotation := "seccomp.security.alpha.kubernetes.io/pod"

apparmor_container_annotation(c) := concat("", ["container.apparmor.security.beta.kubernetes.io/", c.container.name])

# annotation_type maps a legacy profile annotation value to the type of
# the profile field.
annotation_type(v) := "RuntimeDefault" if {
	v in {"runtime/default", "docker/default"}
} else := "Unconfined" if {
	v == "unconfined"
} else := "Localhost" if {
	startswith(v, "localhost/")
} else := "Invalid"

# seccomp is the seccomp profile in force for a container and where it
# comes from: {"type", "path", "source"}, source one of "container",
# "container-annotation", "pod", "pod-annotation" or "none" (type "" and
# path "" then). The API server copies a legacy annotation into the
# matching field when the field is unset, so a field wins over the
# annotation at the same level and the container level wins over the pod.
seccomp(obj, spec, c) := no_profile if {
	# Fast path for the common case: nothing sets a profile.
	not c.container.securityContext.seccompProfile
	not spec.securityContext.seccompProfile
	not has_profile_annotations(obj)
} else := {"type": t, "path": concat("", [c.path, ".securityContext.seccompProfile.type"]), "source": "container"} if {
	t := c.container.securityContext.seccompProfile.type
} else := {"type": annotation_type(v), "path": annotation_path(obj, k), "source": "container-annotation"} if {
	k := seccomp_container_annotation(c)
	v := annotation(obj, k)
} else := {"type": t, "path": concat("", [pod_sc_path(obj), ".seccompProfile.type"]), "source": "pod"} if {
	t := spec.securityContext.seccompProfile.type
} else := {"type": annotation_type(v), "path": annotation_path(obj, seccomp_pod_annotation), "source": "pod-annotation"} if {
	v := annotation(obj, seccomp_pod_annotation)
} else := no_profile

no_profile := {"type": "", "path": "", "source": "none"}

# has_profile_annotations is true when the pods of a workload carry a
# legacy seccomp or AppArmor annotation.
has_profile_annotations(obj) if count(profile_annotations(obj)) > 0

# profile_annotations are the legacy seccomp and AppArmor annotations of
# the pods of a workload ({} when there are none). It is always defined,
# so OPA computes it once per workload for every container and rule that
# asks (OPA does not cache a call whose result is undefined).
profile_annotations(obj) := {k: v |
	a := object.get(obj, annotations_path[obj.kind], null)
	is_object(a)
	some k, v in a
	some prefix in profile_annotation_prefixes
	startswith(k, prefix)
}

profile_annotation_prefixes := [
	"seccomp.security.alpha.kubernetes.io/",
	"container.seccomp.security.alpha.kubernetes.io/",
	"container.apparmor.security.beta.kubernetes.io/",
]

# apparmor is the AppArmor profile in force for a container, in the same
# shape as seccomp (there is no pod-level annotation).
apparmor(obj, spec, c) := no_profile if {
	not c.container.securityContext.appArmorProfile
	not spec.securityContext.appArmorProfile
	not has_profile_annotations(obj)
} else := {"type": t, "path": concat("", [c.path, ".securityContext.appArmorProfile.type"]), "source": "container"} if {
	t := c.container.securityContext.appArmorProfile.type
} else := {"type": annotation_type(v), "path": annotation_path(obj, k), "source": "container-annotation"} if {
	k := apparmor_container_annotation(c)
	v := annotation(obj, k)
} else := {"type": t, "path": concat("", [pod_sc_path(obj), ".appArmorProfile.type"]), "source": "pod"} if {
	t := spec.securityContext.appArmorProfile.type
} else := no_profile

# profile_fix sets a profile at the place it comes from: annotations take
# "runtime/default", fields "RuntimeDefault".
profile_fix(p) := {"path": p.path, "value": "runtime/default"} if endswith(p.source, "annotation")

else := {"path": p.path, "value": "RuntimeDefault"}

# confining_profile is true for profile types that restrict the container.
confining_profile := {"RuntimeDefault", "Localhost"}

# ---------------------------------------------------------------------------
# SELinux

# selinux_confining is true when the container is given SELinux options
# that still confine it (spc_t is the unconfined "super privileged" type).
# The container's seLinuxOptions replace the pod's as a whole.
selinux_confining(obj, spec, c) if {
	opts := effective(obj, spec, c, "seLinuxOptions").value
	is_object(opts)
	some k in ["user", "role", "type", "level"]
	is_string(opts[k])
	opts[k] != ""
	object.get(opts, "type", "") != "spc_t"
}

# allowed_selinux_types are the types the Pod Security Standards baseline
# profile accepts (besides none).
allowed_selinux_types := {"container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

# ---------------------------------------------------------------------------
# Host ports

# host_ports lists the paths of a container's ports that set a hostPort
# (0 means none).
host_ports(c) := [concat("", [c.path, ".ports[", format_int(i, 10), "].hostPort"]) |
	some i, p in as_array(c.container.ports)
	is_number(p.hostPort)
	p.hostPort != 0
]

# ---------------------------------------------------------------------------
# Containers of the input, and findings several controls share
#
# The rules that match workloads are evaluated together, in one query per
# block of objects (docs/ARCHITECTURE.md, "The engine"), and OPA caches
# complete rules and function results within a query: a list here is
# built once per block, a call with the same arguments once per container,
# however many rules use them. Rules pass elements of linux_containers or
# workload.input_containers, so their calls share one cache entry.
#
# Where two controls report the same finding (a Kubescape control and its
# CIS counterpart), the whole alert is built here once for both. Those
# functions are null, not undefined, when there is no finding: OPA does not
# cache undefined results, and the second rule would decide it again.

# linux_containers are the elements of workload.input_containers whose pod
# does not declare the Windows OS: the Linux-only checks apply to them.
linux_containers := [c |
	some c in workload.input_containers
	not c.spec.os.name == "windows"
]

# label names a container of workload.input_containers in messages:
# `init container "setup" in Deployment/web`.
label(c) := concat("", [ctr_kind[c.field], " \"", c.container.name, "\" in ", c.obj.kind, "/", c.obj.metadata.name])

# escalation_alert is the finding of C-0016 and C-0197 (allowPrivilegeEscalation)
# for an element of linux_containers; null when the container cannot
# escalate.
escalation_alert(c) := {
	"alertMessage": concat("", [label(c), " allows privilege escalation: ", e.why]),
	"alertScore": 6,
	"failedPaths": e.failed,
	"fixPaths": e.fixes,
	"deletePaths": e.deletes,
	"alertObject": {"k8sApiObjects": [c.obj]},
} if {
	e := escalation(c)
} else := null

# non_root_alert is the finding of C-0013 and C-0198 (containers that may
# run as root) for an element of workload.input_containers; null when the
# container runs as non-root.
non_root_alert(c) := {
	"alertMessage": concat("", [label(c), non_root_msg(f.zero)]),
	"alertScore": 6,
	"failedPaths": f.failed,
	"fixPaths": f.fixes,
	"alertObject": {"k8sApiObjects": [c.obj]},
} if {
	f := non_root_finding(c.obj, c.spec, c)
} else := null

# drop_all_alert is the finding of C-0201 and V-0001 for an element of
# linux_containers that does not drop ALL capabilities (the rules decide
# that).
drop_all_alert(c) := {
	"alertMessage": concat("", [label(c), " does not drop ALL capabilities: ", kept(c)]),
	"alertScore": 4,
	"failedPaths": [drop_path(c)],
	"fixPaths": [{"path": drop_append(c), "value": "ALL"}],
	"alertObject": {"k8sApiObjects": [c.obj]},
}

# kept says which capabilities a container that does not drop ALL holds.
kept(c) := "it runs privileged, so it holds every capability" if c.container.securityContext.privileged == true

else := concat("", ["it keeps the runtime's default set", dropped_note(dropped(c)), added_note(c)])

dropped_note(drops) := concat("", [" minus ", concat(", ", sort(drops))]) if count(drops) > 0

else := ""

added_note(c) := concat("", [" and adds ", concat(", ", [a.name | some a in adds])]) if {
	adds := added(c)
	count(adds) > 0
} else := ""

# host_port_alert is the finding of C-0044 and C-0204 for an element of
# workload.input_containers that binds host ports; null when it binds none.
host_port_alert(c) := {
	"alertMessage": concat("", [label(c), " binds a port on the node ", r.what]),
	"alertScore": 4,
	"failedPaths": paths,
	"deletePaths": r.deletes,
	"reviewPaths": r.reviews,
	"alertObject": {"k8sApiObjects": [c.obj]},
} if {
	paths := host_ports(c)
	count(paths) > 0
	r := host_port_remedy(c, paths)
} else := null

# With hostNetwork the API server sets hostPort to the container port
# anyway, so removing it changes nothing: the pod's host networking is
# what needs a decision.
host_port_remedy(c, paths) := {
	"what": "(hostPort) while the pod uses the host network",
	"deletes": [],
	"reviews": [concat("", [workload.prefix[c.obj.kind], ".hostNetwork"])],
} if {
	c.spec.hostNetwork == true
} else := {
	"what": concat("", ["(hostPort ", concat(", ", [format_int(p.hostPort, 10) | some p in c.container.ports; is_number(p.hostPort); p.hostPort != 0]), ")"]),
	"deletes": paths,
	"reviews": [],
}

# pod_seccomp_path is the path of the pod-level seccomp profile type of a
# workload, where a fix for every container goes.
pod_seccomp_path(obj) := concat("", [workload.prefix[obj.kind], ".securityContext.seccompProfile.type"])
