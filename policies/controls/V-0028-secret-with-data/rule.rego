package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some obj in input
	obj.kind == "Secret"
	object.get(obj, "type", "Opaque") != "kubernetes.io/service-account-token"
	entries := [[f, k] |
		some f in ["data", "stringData"]
		some k, v in obj[f]
		filled(f, v)
	]
	count(entries) > 0
	msga := {
		"alertMessage": sprintf("Secret/%s carries %d secret value(s) in the manifest: %s", [obj.metadata.name, count(entries), concat(", ", [sprintf("%s.%s", e) | some e in entries])]),
		"alertScore": 7,
		"packagename": "armo_builtins",
		"failedPaths": [concat(".", e) | some e in entries],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# An entry holds a value unless it is empty or a placeholder for a template
# tool or a person to fill in (data values are base64 and are decoded
# first).
filled("stringData", v) if real_value(v)

filled("data", v) if real_value(base64.decode(v))

filled("data", v) if {
	is_string(v)
	not base64.is_valid(v)
	trim_space(v) != ""
}

real_value(v) if {
	is_string(v)
	t := trim_space(v)
	t != ""
	not wlconfig.templated(t)
	not wlconfig.placeholder_value(t)
}
