package armo_builtins

import data.vigil.alert
import data.vigil.pss

deny contains msga if {
	some obj in input
	some i, hook in obj.webhooks
	policy := effective_policy(obj, hook)
	policy.value == "Ignore"
	msga := alert.make(
		obj,
		sprintf("webhook %q of %s fails open (%s): requests are admitted unchecked whenever the webhook is unreachable", [pss.get(hook, "name", ""), alert.name(obj), policy.why]),
		4,
		[sprintf("webhooks[%d].failurePolicy", [i])],
		[],
	)
}

# effective_policy is the failure policy the API server applies, and how
# it came to be.
effective_policy(_, hook) := {"value": "Ignore", "why": "failurePolicy: Ignore"} if {
	hook.failurePolicy == "Ignore"
}

effective_policy(obj, hook) := {"value": "Ignore", "why": "no failurePolicy, which defaults to Ignore in v1beta1"} if {
	obj.apiVersion == "admissionregistration.k8s.io/v1beta1"
	pss.get(hook, "failurePolicy", null) == null
}
