package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# sudo as a word of its own: the whole argument, the start of a shell
# command, or after a path, a separator or an opening quote or paren.
sudo_pattern := "(^|[\\s;&|(\u0060'\"/])sudo($|[\\s;&|)\u0060'\"])"

deny contains msga if {
	some obj in input
	workload.pod_spec(obj)
	some c in workload.containers(obj)
	paths := [p |
		some field in ["command", "args"]
		some i, arg in secctx.as_array(c.container[field])
		is_string(arg)
		contains(arg, "sudo")
		regex.match(sudo_pattern, arg)
		p := concat("", [c.path, ".", field, "[", format_int(i, 10), "]"])
	]
	count(paths) > 0
	msga := {
		"alertMessage": concat("", [secctx.ctr_kind[c.field], " \"", c.container.name, "\" in ", obj.kind, "/", obj.metadata.name, " invokes sudo in its entrypoint"]),
		"alertScore": 5,
		"packagename": "armo_builtins",
		"failedPaths": paths,
		"fixPaths": [],
		"deletePaths": [],
		"reviewPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
