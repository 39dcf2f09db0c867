package armo_builtins

import data.vigil.alert
import data.vigil.pss

label := "pod-security.kubernetes.io/enforce"

# Validating webhooks that check the creation of pods in every namespace
# their namespaceSelector selects (policy engines). Webhooks limited by an
# objectSelector see only some pods and do not count. (A complete rule:
# evaluated once, and not read as alerts as a partial set would be.)
pod_hooks := {hook |
	some obj in input
	obj.kind == "ValidatingWebhookConfiguration"
	some hook in obj.webhooks
	some rule in pss.get(hook, "rules", [])
	pss.rule_covers(rule, "", "pods", {"CREATE"})
	pss.get(hook, "objectSelector", {}) in [{}, null]
}

deny contains msga if {
	some ns in input
	ns.kind == "Namespace"
	not ns.metadata.name in data.postureControlInputs.trustedSystemNamespaces
	pss.get(ns, ["metadata", "labels", label], null) == null
	not checked_by_webhook(ns)
	path := concat("", ["metadata.labels.", label])
	msga := alert.make(
		ns,
		sprintf("namespace %q has no %s label and no validating webhook checks its pods: any pod, privileged ones included, is admitted", [ns.metadata.name, label]),
		4,
		[path],
		[{"path": path, "value": "baseline"}],
	)
}

checked_by_webhook(ns) if {
	count(pod_hooks) > 0
	labels := pss.namespace_labels(ns)
	some hook in pod_hooks
	selects(pss.get(hook, "namespaceSelector", null), labels)
}

# A missing namespaceSelector selects every namespace.
selects(null, _)

selects(sel, labels) if pss.selector_matches(sel, labels)
