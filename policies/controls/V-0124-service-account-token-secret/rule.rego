package armo_builtins

import data.vigil.alert
import data.vigil.pss

deny contains msga if {
	some secret in input
	secret.type == "kubernetes.io/service-account-token"
	msga := alert.make(
		secret,
		sprintf("Secret %q holds a token of %s that never expires", [secret.metadata.name, account(secret)]),
		6,
		["type"],
		[],
	)
}

account(secret) := sprintf("service account %q", [name]) if {
	name := pss.get(secret, ["metadata", "annotations", "kubernetes.io/service-account.name"], "")
	name != ""
} else := "a service account"
