package armo_builtins

import data.vigil.alert
import data.vigil.pss

# Annotations by which a controller fills in the caBundle.
injectors := {"cert-manager.io/inject-ca-from", "cert-manager.io/inject-ca-from-secret", "certmanager.k8s.io/inject-ca-from", "service.beta.openshift.io/inject-cabundle"}

deny contains msga if {
	some svc in input
	svc.spec.insecureSkipTLSVerify == true
	svc.spec.service != null
	msga := {
		"alertMessage": sprintf("APIService %q forwards requests for %s to service %s/%s without verifying its TLS certificate", [svc.metadata.name, group(svc), pss.get(svc.spec.service, "namespace", ""), pss.get(svc.spec.service, "name", "")]),
		"alertScore": 6,
		"packagename": "armo_builtins",
		"failedPaths": ["spec.insecureSkipTLSVerify"],
		"deletePaths": ["spec.insecureSkipTLSVerify"],
		"fixPaths": ca_fix(svc),
		"alertObject": {"k8sApiObjects": [svc]},
	}
}

group(svc) := sprintf("%s/%s", [pss.get(svc.spec, "group", ""), pss.get(svc.spec, "version", "")])

# The CA must come from the user, unless a controller injects it.
ca_fix(svc) := [] if {
	some a, _ in pss.get(svc, ["metadata", "annotations"], {})
	a in injectors
} else := [] if {
	pss.get(svc.spec, "caBundle", "") != ""
} else := [{"path": "spec.caBundle", "value": "YOUR_BASE64_CA_BUNDLE"}]
