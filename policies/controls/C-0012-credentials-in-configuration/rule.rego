package armo_builtins

import data.vigil.wlconfig
import data.vigil.workload

# Literal environment values of containers (init and ephemeral ones
# included). Containers are read from the pod spec directly, so that paths
# are only built for the variables that fail.
deny contains msga if {
	some obj in input
	spec := workload.pod_spec(obj)
	some field in workload.container_fields
	some i, ct in spec[field]
	some j, e in ct.env
	object.get(e, "valueFrom", null) == null
	reason := wlconfig.env_reason(e)
	container := concat("", [workload.prefix[obj.kind], ".", field, "[", format_int(i, 10), "]"])
	env := sprintf("%s.env[%d]", [container, j])
	path := concat("", [env, ".value"])
	msga := {
		"alertMessage": sprintf("%s %q in %s sets environment variable %q to %s", [wlconfig.kind_of_container[field], ct.name, wlconfig.alert_name(obj), e.name, reason]),
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
	msga := {
		"alertMessage": sprintf("ConfigMap/%s entry %q holds %s", [obj.metadata.name, k, reason]),
		"alertScore": 8,
		"packagename": "armo_builtins",
		"failedPaths": [concat(".", ["data", k])],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# ConfigMap entries that are configuration files setting credentials.
# (Only multi-line values can be: that cheap test comes first.)
deny contains msga if {
	some obj in input
	obj.kind == "ConfigMap"
	some k, v in obj.data
	contains(v, "\n")
	not entry_reason(k, v)
	keys := wlconfig.embedded_credentials(v)
	count(keys) > 0
	msga := {
		"alertMessage": sprintf("ConfigMap/%s entry %q is a configuration file that sets %s to literal values", [obj.metadata.name, k, concat(", ", [sprintf("%q", [x]) | some x in keys])]),
		"alertScore": 8,
		"packagename": "armo_builtins",
		"failedPaths": [concat(".", ["data", k])],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

entry_reason(k, v) := "a literal value whose name suggests a credential" if {
	is_string(v)
	not contains(trim_right(v, "\n"), "\n")
	wlconfig.sensitive_key(k)
	wlconfig.plain_value(v)
} else := "a value that looks like a credential" if {
	wlconfig.sensitive_value(v)
}
