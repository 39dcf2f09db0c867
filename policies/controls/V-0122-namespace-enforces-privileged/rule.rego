package armo_builtins

import data.vigil.alert
import data.vigil.pss

label := "pod-security.kubernetes.io/enforce"

deny contains msga if {
	some ns in input
	pss.get(ns, ["metadata", "labels", label], null) == "privileged"
	not ns.metadata.name in data.postureControlInputs.trustedSystemNamespaces
	msga := alert.make(
		ns,
		sprintf("namespace %q enforces the privileged Pod Security level: privileged and host-access pods are admitted", [ns.metadata.name]),
		5,
		[concat("", ["metadata.labels.", label])],
		[],
	)
}
