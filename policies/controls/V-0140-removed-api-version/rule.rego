package armo_builtins

# removed maps "apiVersion kind" to [release that stopped serving it,
# replacement, whether only apiVersion changes]. Kinds not listed under a
# removed group version use its "*" entry.
removed := {
	"extensions/v1beta1 Ingress": ["1.22", "networking.k8s.io/v1", false],
	"extensions/v1beta1 NetworkPolicy": ["1.16", "networking.k8s.io/v1", true],
	"extensions/v1beta1 PodSecurityPolicy": ["1.16", "none (Pod Security admission)", false],
	"extensions/v1beta1 *": ["1.16", "apps/v1", false],
	"apps/v1beta1 *": ["1.16", "apps/v1", false],
	"apps/v1beta2 *": ["1.16", "apps/v1", false],
	"networking.k8s.io/v1beta1 *": ["1.22", "networking.k8s.io/v1", false],
	"rbac.authorization.k8s.io/v1beta1 *": ["1.22", "rbac.authorization.k8s.io/v1", true],
	"rbac.authorization.k8s.io/v1alpha1 *": ["1.22", "rbac.authorization.k8s.io/v1", true],
	"apiextensions.k8s.io/v1beta1 *": ["1.22", "apiextensions.k8s.io/v1", false],
	"admissionregistration.k8s.io/v1beta1 *": ["1.22", "admissionregistration.k8s.io/v1", false],
	"apiregistration.k8s.io/v1beta1 *": ["1.22", "apiregistration.k8s.io/v1", true],
	"batch/v1beta1 *": ["1.25", "batch/v1", true],
	"batch/v2alpha1 *": ["1.21", "batch/v1", true],
	"policy/v1beta1 PodSecurityPolicy": ["1.25", "none (Pod Security admission)", false],
	"policy/v1beta1 *": ["1.25", "policy/v1", false],
	"autoscaling/v2beta1 *": ["1.25", "autoscaling/v2", false],
	"autoscaling/v2beta2 *": ["1.26", "autoscaling/v2", true],
	"discovery.k8s.io/v1beta1 *": ["1.25", "discovery.k8s.io/v1", false],
	"events.k8s.io/v1beta1 *": ["1.25", "events.k8s.io/v1", false],
	"node.k8s.io/v1beta1 *": ["1.25", "node.k8s.io/v1", true],
	"storage.k8s.io/v1beta1 *": ["1.22", "storage.k8s.io/v1", false],
	"scheduling.k8s.io/v1beta1 *": ["1.22", "scheduling.k8s.io/v1", true],
	"scheduling.k8s.io/v1alpha1 *": ["1.17", "scheduling.k8s.io/v1", true],
	"certificates.k8s.io/v1beta1 *": ["1.22", "certificates.k8s.io/v1", false],
	"coordination.k8s.io/v1beta1 *": ["1.22", "coordination.k8s.io/v1", true],
	"flowcontrol.apiserver.k8s.io/v1beta1 *": ["1.26", "flowcontrol.apiserver.k8s.io/v1", false],
	"flowcontrol.apiserver.k8s.io/v1beta2 *": ["1.29", "flowcontrol.apiserver.k8s.io/v1", false],
	"flowcontrol.apiserver.k8s.io/v1beta3 *": ["1.32", "flowcontrol.apiserver.k8s.io/v1", true],
}

# removed_versions lets the many objects on current versions fail fast.
removed_versions := {v | some k, _ in removed; v := split(k, " ")[0]}

entry(obj) := removed[concat(" ", [obj.apiVersion, obj.kind])]

entry(obj) := removed[concat(" ", [obj.apiVersion, "*"])] if {
	not removed[concat(" ", [obj.apiVersion, obj.kind])]
}

# One pass over the objects (this rule sees every object): the fix, and
# the note in the message, depend on whether only apiVersion changes.
deny contains msga if {
	some obj in input
	removed_versions[obj.apiVersion]
	[release, replacement, same_schema] := entry(obj)
	msga := {
		"alertMessage": sprintf("%s %s uses %s, which Kubernetes %s stopped serving: use %s%s", [obj.kind, obj.metadata.name, obj.apiVersion, release, replacement, schema_note[same_schema]]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": ["apiVersion"],
		# Changing apiVersion is a safe fix only when the schema is the same.
		"fixPaths": [{"path": "apiVersion", "value": replacement} | same_schema],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

schema_note := {true: "", false: " (check the schema: fields changed)"}
