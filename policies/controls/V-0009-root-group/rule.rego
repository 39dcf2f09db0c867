package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# A container whose effective runAsGroup is 0.
deny contains msga if {
	some c in secctx.linux_containers
	secctx.effective_value(c.spec, c, "runAsGroup") == 0
	g := secctx.effective(c.obj, c.spec, c, "runAsGroup")
	msga := {
		"alertMessage": concat("", [secctx.label(c), " runs with the root group: runAsGroup is 0 (set on the ", g.level, ")"]),
		"alertScore": 3,
		"failedPaths": [g.path],
		"fixPaths": [{"path": g.path, "value": "YOUR_VALUE"}],
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}

# A pod that gives its volumes group 0 or adds group 0 to every process.
deny contains msga if {
	some w in workload.input_pods
	psc := w.spec.securityContext
	root_group(psc)
	not w.spec.os.name == "windows"
	base := concat("", [w.prefix, ".securityContext"])
	fs := [concat("", [base, ".fsGroup"]) | psc.fsGroup == 0]
	supp := [concat("", [base, ".supplementalGroups[", format_int(i, 10), "]"]) | some i, g in secctx.as_array(psc.supplementalGroups); g == 0]
	count(fs) + count(supp) > 0
	what := array.concat(["fsGroup is 0" | count(fs) > 0], ["supplementalGroups contains 0" | count(supp) > 0])
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " gives its containers the root group: ", concat(" and ", what)]),
		"alertScore": 3,
		"failedPaths": array.concat(fs, supp),
		"fixPaths": [{"path": p, "value": "YOUR_VALUE"} | some p in fs],
		"deletePaths": supp,
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

# root_group is true when a pod security context sets fsGroup or a
# supplemental group to 0: decided before any path is built.
root_group(psc) if {
	psc.fsGroup == 0
} else := true if {
	some g in secctx.as_array(psc.supplementalGroups)
	g == 0
}
