package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# One alert per container, naming every variable that reads a Secret.
deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some c in workload.containers(obj)
	uses := secret_uses(c)
	count(uses) > 0
	msga := {
		"alertMessage": sprintf("%s reads Secrets into environment variables: %s", [wlconfig.container_desc(obj, c), concat(", ", [u.what | some u in uses])]),
		"alertScore": 4,
		"packagename": "armo_builtins",
		"failedPaths": [u.path | some u in uses],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

secret_uses(c) := array.concat(
	[u |
		some j, e in c.container.env
		ref := e.valueFrom.secretKeyRef
		u := {
			"path": sprintf("%s.env[%d].valueFrom.secretKeyRef", [c.path, j]),
			"what": sprintf("%q from Secret %q", [e.name, object.get(ref, "name", "")]),
		}
	],
	[u |
		some j, e in c.container.envFrom
		ref := e.secretRef
		u := {
			"path": sprintf("%s.envFrom[%d].secretRef", [c.path, j]),
			"what": sprintf("every key of Secret %q", [object.get(ref, "name", "")]),
		}
	],
)
