package armo_builtins

import data.vigil.alert
import data.vigil.pss

# The webhook posts the objects it intercepts to an endpoint outside the
# cluster.
deny contains msga if {
	some obj in input
	some i, hook in obj.webhooks
	url := hook.clientConfig.url
	is_string(url)
	not pss.in_cluster_host(pss.webhook_host(url))
	msga := alert.review(
		obj,
		sprintf("webhook %q of %s sends the objects it validates to %s, outside the cluster", [pss.get(hook, "name", ""), alert.name(obj), url]),
		5,
		[sprintf("webhooks[%d].clientConfig.url", [i])],
	)
}

# The webhook receives Secrets.
deny contains msga if {
	some obj in input
	some i, hook in obj.webhooks
	paths := pss.secret_rule_paths(hook, sprintf("webhooks[%d]", [i]))
	count(paths) > 0
	msga := alert.review(
		obj,
		sprintf("webhook %q of %s receives %s: it reads their content when they are created, updated or deleted", [pss.get(hook, "name", ""), alert.name(obj), what(hook)]),
		5,
		paths,
	)
}

what(hook) := "every resource, Secrets included" if pss.intercepts_everything(hook)

else := "Secrets"
