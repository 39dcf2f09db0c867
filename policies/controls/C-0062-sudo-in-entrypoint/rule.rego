package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# sudo as a word of its own: the whole argument, the start of a shell
# command, or after a path, a separator or an opening quote or paren.
sudo_pattern := "(^|[\\s;&|(\u0060'\"/])sudo($|[\\s;&|)\u0060'\"])"

deny contains msga if {
	some c in workload.input_containers
	paths := [p |
		some field in ["command", "args"]
		args := c.container[field]
		is_array(args)
		some i, arg in args
		is_string(arg)
		contains(arg, "sudo")
		regex.match(sudo_pattern, arg)
		p := concat("", [c.path, ".", field, "[", format_int(i, 10), "]"])
	]
	count(paths) > 0
	msga := {
		"alertMessage": concat("", [secctx.label(c), " invokes sudo in its entrypoint"]),
		"alertScore": 5,
		"failedPaths": paths,
		"alertObject": {"k8sApiObjects": [c.obj]},
	}
}
