package armo_builtins

import data.vigil.alert
import data.vigil.pss

# The webhook posts the objects it intercepts to an endpoint outside the
# cluster, and applies the changes that endpoint returns.
deny contains msga if {
	some obj in input
	some i, hook in obj.webhooks
	url := hook.clientConfig.url
	is_string(url)
	not pss.in_cluster_host(pss.webhook_host(url))
	msga := alert.review(
		obj,
		sprintf("webhook %q of %s lets %s, outside the cluster, read and rewrite the objects it intercepts", [pss.get(hook, "name", ""), alert.name(obj), url]),
		5,
		[sprintf("webhooks[%d].clientConfig.url", [i])],
	)
}

# The webhook receives Secrets and may rewrite them.
deny contains msga if {
	some obj in input
	some i, hook in obj.webhooks
	paths := pss.secret_rule_paths(hook, sprintf("webhooks[%d]", [i]))
	count(paths) > 0
	msga := alert.review(
		obj,
		sprintf("webhook %q of %s receives %s: it reads their content and may rewrite them", [pss.get(hook, "name", ""), alert.name(obj), what(hook)]),
		5,
		paths,
	)
}

what(hook) := "every resource, Secrets included" if pss.intercepts_everything(hook)

else := "Secrets"
