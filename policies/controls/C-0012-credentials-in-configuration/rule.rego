package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# Literal environment values of containers.
deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	some c in workload.containers(obj)
	some j, e in c.container.env
	object.get(e, "valueFrom", null) == null
	reason := wlconfig.credential_reason(e.name, e.value)
	env := sprintf("%s.env[%d]", [c.path, j])
	path := concat("", [env, ".value"])
	msga := {
		"alertMessage": sprintf("%s sets environment variable %q to %s", [wlconfig.container_desc(obj, c), e.name, reason]),
		"alertScore": 8,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"deletePaths": [path],
		"fixPaths": [
			{"path": concat("", [env, ".valueFrom.secretKeyRef.name"]), "value": "YOUR_SECRET_NAME"},
			{"path": concat("", [env, ".valueFrom.secretKeyRef.key"]), "value": "YOUR_SECRET_KEY"},
		],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# ConfigMap entries that are credentials themselves. The entry's name
# only counts for single-line values; a file is judged by its content.
deny contains msga if {
	some obj in input
	obj.kind == "ConfigMap"
	some k, v in obj.data
	reason := entry_reason(k, v)
	msga := cm_alert(obj, k, sprintf("ConfigMap/%s entry %q holds %s", [obj.metadata.name, k, reason]))
}

# ConfigMap entries that are configuration files setting credentials.
deny contains msga if {
	some obj in input
	obj.kind == "ConfigMap"
	some k, v in obj.data
	not entry_reason(k, v)
	keys := wlconfig.embedded_credentials(v)
	count(keys) > 0
	msga := cm_alert(obj, k, sprintf("ConfigMap/%s entry %q is a configuration file that sets %s to literal values", [obj.metadata.name, k, concat(", ", [sprintf("%q", [x]) | some x in keys])]))
}

entry_reason(k, v) := "a literal value whose name suggests a credential" if {
	is_string(v)
	not contains(trim_right(v, "\n"), "\n")
	wlconfig.sensitive_key(k)
	wlconfig.plain_value(v)
} else := "a value that looks like a credential" if {
	wlconfig.sensitive_value(v)
}

cm_alert(obj, k, msg) := {
	"alertMessage": msg,
	"alertScore": 8,
	"packagename": "armo_builtins",
	"failedPaths": [concat(".", ["data", k])],
	"fixPaths": [],
	"alertObject": {"k8sApiObjects": [obj]},
}
