package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# A container whose own security context is missing, or sets nothing that
# restricts it (privileged: false or an empty capabilities object only
# restate the defaults). On Windows pods the container-level settings are
# few and the pod-level windowsOptions apply to every container, so a
# pod-level context counts there.
deny contains msga if {
	some c in workload.input_containers
	sc := secctx.csc(c)
	not restricting(sc)
	not windows_context(c.spec, sc)
	msga := {
		"alertMessage": concat("", [secctx.label(c), problem(sc), pod_note(c.spec)]),
		"alertScore": 3,
		"failedPaths": [concat("", [c.path, ".securityContext"])],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

# restricting is true for a security context with at least one setting
# that narrows what the container may do. (An else chain: OPA stops at the
# first setting found, where separate clauses would all be evaluated.)
restricting(sc) if {
	sc.runAsNonRoot == true
} else := true if {
	sc.allowPrivilegeEscalation == false
} else := true if {
	count(sc.capabilities.drop) > 0
} else := true if {
	sc.readOnlyRootFilesystem == true
} else := true if {
	is_number(sc.runAsUser)
	sc.runAsUser > 0
} else := true if {
	sc.seccompProfile.type in secctx.confining_profile
} else := true if {
	sc.appArmorProfile.type in secctx.confining_profile
} else := true if {
	count(sc.seLinuxOptions) > 0
}

windows_context(spec, sc) if {
	spec.os.name == "windows"
	count(sc) + count(secctx.pod_sc(spec)) > 0
}

problem(sc) := " has no security context: it runs with every default" if count(sc) == 0

else := " has a security context that restricts nothing: it sets none of runAsNonRoot, a non-zero runAsUser, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, dropped capabilities, SELinux options or a confining profile"

pod_note(spec) := " (the pod-level security context cannot set allowPrivilegeEscalation, capabilities or readOnlyRootFilesystem)" if {
	count(secctx.pod_sc(spec)) > 0
} else := ""
