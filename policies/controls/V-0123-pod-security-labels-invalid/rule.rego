package armo_builtins

import data.vigil.alert
import data.vigil.pss

prefix := "pod-security.kubernetes.io/"

levels := {"privileged", "baseline", "restricted"}

# What Pod Security admission does with an invalid value of each mode.
fallback := {
	"enforce": "treats it as restricted",
	"audit": "treats it as privileged, so nothing is audited",
	"warn": "treats it as privileged, so nobody is warned",
}

version_modes := {"enforce-version", "audit-version", "warn-version"}

# An invalid level.
deny contains msga if {
	some ns in input
	some key, value in pss.get(ns, ["metadata", "labels"], {})
	mode := trim_prefix(key, prefix)
	mode != key
	fallback[mode]
	not value in levels
	path := concat("", ["metadata.labels.", key])
	msga := alert.make(
		ns,
		sprintf("namespace %q sets %s to %q, which is not privileged, baseline or restricted: Pod Security admission %s", [ns.metadata.name, key, value, fallback[mode]]),
		3,
		[path],
		[{"path": path, "value": lower(value)} | is_string(value); lower(value) in levels],
	)
}

# An invalid version.
deny contains msga if {
	some ns in input
	some key, value in pss.get(ns, ["metadata", "labels"], {})
	mode := trim_prefix(key, prefix)
	mode in version_modes
	not valid_version(value)
	path := concat("", ["metadata.labels.", key])
	msga := alert.make(
		ns,
		sprintf("namespace %q sets %s to %q, which is neither \"latest\" nor \"v1.N\": Pod Security admission uses the latest version instead", [ns.metadata.name, key, value]),
		3,
		[path],
		[{"path": path, "value": v} | some v in [corrected_version(value)]],
	)
}

# A key under the prefix that Pod Security admission does not know.
deny contains msga if {
	some ns in input
	some key, _ in pss.get(ns, ["metadata", "labels"], {})
	mode := trim_prefix(key, prefix)
	mode != key
	not fallback[mode]
	not mode in version_modes
	msga := alert.make(
		ns,
		sprintf("namespace %q has label %s, which Pod Security admission does not know and ignores (keys are enforce, audit, warn and their -version forms)", [ns.metadata.name, key]),
		3,
		[concat("", ["metadata.labels.", key])],
		[],
	)
}

# A setting written as an annotation, which Pod Security admission ignores.
deny contains msga if {
	some ns in input
	some key, value in pss.get(ns, ["metadata", "annotations"], {})
	mode := trim_prefix(key, prefix)
	known_mode(mode)
	path := concat("", ["metadata.annotations.", key])
	label := concat("", ["metadata.labels.", key])
	msga := {
		"alertMessage": sprintf("namespace %q sets %s as an annotation: Pod Security admission reads only labels, so it has no effect", [ns.metadata.name, key]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"deletePaths": [path],
		"fixPaths": [{"path": label, "value": value} | pss.get(ns, ["metadata", "labels", key], null) == null],
		"alertObject": {"k8sApiObjects": [ns]},
	}
}

known_mode(m) if fallback[m]

known_mode(m) if m in version_modes

valid_version("latest")

valid_version(v) if {
	is_string(v)
	regex.match(`^v1\.(0|[1-9][0-9]*)$`, v)
}

# corrected_version fixes the obvious slips: a missing or upper-case "v",
# upper-case LATEST.
corrected_version(v) := lower(v) if {
	is_string(v)
	valid_version(lower(v))
}

else := concat("", ["v", v]) if {
	is_string(v)
	valid_version(concat("", ["v", v]))
}
