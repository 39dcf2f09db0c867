package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# One alert per container, naming every variable that reads a Secret.
# Containers are read from the pod spec directly, and the references are
# found before any path or text is built, so containers without one cost
# little.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some field in workload.container_fields
	some i, ct in spec[field]
	env := [[j, e.name, object.get(ref, "name", "")] |
		some j, e in ct.env
		ref := e.valueFrom.secretKeyRef
	]
	env_from := [[j, object.get(ref, "name", "")] |
		some j, e in ct.envFrom
		ref := e.secretRef
	]
	count(env) + count(env_from) > 0
	container := concat("", [workload.prefix[obj.kind], ".", field, "[", format_int(i, 10), "]"])
	uses := array.concat(
		[u |
			some [j, name, secret] in env
			u := {
				"path": sprintf("%s.env[%d].valueFrom.secretKeyRef", [container, j]),
				"what": sprintf("%q from Secret %q", [name, secret]),
			}
		],
		[u |
			some [j, secret] in env_from
			u := {
				"path": sprintf("%s.envFrom[%d].secretRef", [container, j]),
				"what": sprintf("every key of Secret %q", [secret]),
			}
		],
	)
	msga := {
		"alertMessage": sprintf("%s %q in %s reads Secrets into environment variables: %s", [wlconfig.kind_of_container[field], ct.name, wlconfig.alert_name(obj), concat(", ", [u.what | some u in uses])]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [u.path | some u in uses],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
