package armo_builtins

import data.vigil.alert
import data.vigil.pss

# The longest wait this control accepts, in seconds.
max_timeout := 15

deny contains msga if {
	some obj in input
	some i, hook in obj.webhooks
	t := effective_timeout(obj, hook)
	t.seconds > max_timeout
	path := sprintf("webhooks[%d].timeoutSeconds", [i])
	msga := alert.make(
		obj,
		sprintf("webhook %q of %s can hold every matching API request for %d seconds (%s)", [pss.get(hook, "name", ""), alert.name(obj), t.seconds, t.why]),
		3,
		[path],
		[{"path": path, "value": "10"}],
	)
}

effective_timeout(_, hook) := {"seconds": hook.timeoutSeconds, "why": "timeoutSeconds"} if {
	is_number(hook.timeoutSeconds)
}

effective_timeout(obj, hook) := {"seconds": 30, "why": "unset, which means 30 seconds in v1beta1"} if {
	obj.apiVersion == "admissionregistration.k8s.io/v1beta1"
	pss.get(hook, "timeoutSeconds", null) == null
}
