package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# A container whose effective runAsGroup is 0.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	some c in workload.containers(obj)
	g := secctx.effective(obj, spec, c, "runAsGroup")
	g.value == 0
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " runs with the root group: runAsGroup is 0 (set on the ", g.level, ")"]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [g.path],
		"fixPaths": [{"path": g.path, "value": "YOUR_VALUE"}],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# A pod that gives its volumes group 0 or adds group 0 to every process.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	not spec.os.name == "windows"
	psc := spec.securityContext
	base := concat("", [workload.prefix[obj.kind], ".securityContext"])
	fs := [concat("", [base, ".fsGroup"]) | psc.fsGroup == 0]
	supp := [concat("", [base, ".supplementalGroups[", format_int(i, 10), "]"]) | some i, g in secctx.as_array(psc.supplementalGroups); g == 0]
	count(fs) + count(supp) > 0
	what := array.concat(["fsGroup is 0" | count(fs) > 0], ["supplementalGroups contains 0" | count(supp) > 0])
	msga := {
		"alertMessage": concat("", [obj.kind, "/", obj.metadata.name, " gives its containers the root group: ", concat(" and ", what)]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": array.concat(fs, supp),
		"fixPaths": [{"path": p, "value": "YOUR_VALUE"} | some p in fs],
		"deletePaths": supp,
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
