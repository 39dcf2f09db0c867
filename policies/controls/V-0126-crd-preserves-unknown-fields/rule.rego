package armo_builtins

import data.vigil.alert
import data.vigil.pss

key := "x-kubernetes-preserve-unknown-fields"

# A served version whose schema keeps unknown fields at its root (v1
# per-version schemas, also allowed in v1beta1).
deny contains msga if {
	some crd in input
	some i, v in pss.get(crd, ["spec", "versions"], [])
	pss.get(v, "served", true) != false
	pss.get(v, ["schema", "openAPIV3Schema", key], false) == true
	path := sprintf("spec.versions[%d].schema.openAPIV3Schema.%s", [i, key])
	msga := alert.make(
		crd,
		sprintf("CustomResourceDefinition %q keeps unknown fields at the root of the schema of version %s: any field is stored unvalidated", [crd.metadata.name, pss.get(v, "name", "")]),
		2,
		[path],
		[],
	)
}

# The v1beta1 top-level schema keeps unknown fields at its root.
deny contains msga if {
	some crd in input
	crd.apiVersion == "apiextensions.k8s.io/v1beta1"
	pss.get(crd, ["spec", "validation", "openAPIV3Schema", key], false) == true
	path := sprintf("spec.validation.openAPIV3Schema.%s", [key])
	msga := alert.make(
		crd,
		sprintf("CustomResourceDefinition %q keeps unknown fields at the root of its schema: any field is stored unvalidated", [crd.metadata.name]),
		2,
		[path],
		[],
	)
}

# v1beta1 definitions do not prune unless told to.
deny contains msga if {
	some crd in input
	crd.apiVersion == "apiextensions.k8s.io/v1beta1"
	value := pss.get(crd, ["spec", "preserveUnknownFields"], null)
	value != false
	msga := alert.make(
		crd,
		sprintf("CustomResourceDefinition %q %s: unknown fields of its resources are stored instead of pruned", [crd.metadata.name, why(value)]),
		2,
		["spec.preserveUnknownFields"],
		[],
	)
}

why(true) := "sets preserveUnknownFields: true"

why(v) := "is a v1beta1 definition without preserveUnknownFields: false" if v != true
