package armo_builtins

import data.vigil.workload

sandboxed := {lower(n) | some n in data.postureControlInputs.sandboxedNamespaces}

sandbox_classes := {lower(n) | some n in data.postureControlInputs.sandboxRuntimeClasses}

# An object without a namespace lands in "default" when applied.
deny contains msga if {
	some w in workload.input_pods
	spec := w.spec
	ns := object.get(w.obj.metadata, "namespace", "default")
	lower(ns) in sandboxed
	not lower(object.get(spec, "runtimeClassName", "")) in sandbox_classes
	path := concat("", [w.prefix, ".runtimeClassName"])
	msga := {
		"alertMessage": concat("", [w.obj.kind, "/", w.obj.metadata.name, " runs in namespace \"", ns, "\", which requires a sandbox, ", runtime(spec)]),
		"alertScore": 6,
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "YOUR_VALUE"}],
		"alertObject": {"k8sApiObjects": [w.obj]},
	}
}

runtime(spec) := concat("", ["with runtimeClassName \"", spec.runtimeClassName, "\", which is not a sandbox runtime"]) if {
	is_string(spec.runtimeClassName)
	spec.runtimeClassName != ""
} else := "without a sandbox runtimeClassName"
