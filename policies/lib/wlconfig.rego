# Helpers for the workload-configuration controls: resources, probes,
# images, service-account tokens, credentials, labels and host paths.
package vigil.wlconfig

import data.vigil.workload

# ns is the namespace an object names ("" when the manifest leaves it to
# the command line).
ns(obj) := object.get(obj.metadata, "namespace", "")

# workload_kinds are the kinds that run pods, for scoping relational rules.
workload_kinds := {"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"}

# ---------------------------------------------------------------------------
# Containers

# container_desc renders `container "app" in Deployment/web` for messages,
# naming init and ephemeral containers as such.
container_desc(obj, c) := sprintf("%s %q in %s", [kind_of_container[c.field], c.container.name, alert_name(obj)])

kind_of_container := {
	"containers": "container",
	"initContainers": "init container",
	"ephemeralContainers": "ephemeral container",
}

alert_name(obj) := concat("/", [obj.kind, obj.metadata.name])

# ---------------------------------------------------------------------------
# Resources

# Namespaces whose LimitRange gives containers a default limit or request
# for a resource, as [namespace, resource]. The API server fills a
# LimitRange's default limit from max, and its default request from
# default, max or min, so each of those fields supplies a value.
# (Complete rules, so that they are built once per evaluation and looked
# up per container.)
limitrange_limit := {[ns(lr), r] |
	some lr in input
	lr.kind == "LimitRange"
	some item in lr.spec.limits
	item.type == "Container"
	some f in ["default", "max"]
	some r, _ in item[f]
}

limitrange_defaults := {"limits": limitrange_limit, "requests": limitrange_request}

limitrange_request := {[ns(lr), r] |
	some lr in input
	lr.kind == "LimitRange"
	some item in lr.spec.limits
	item.type == "Container"
	some f in ["defaultRequest", "default", "max", "min"]
	some r, _ in item[f]
}

# missing_resources indexes, once per evaluation, every container (init
# containers included) that gets no value for a resource, by kind ("limits",
# "requests") and resource ("cpu", "memory"). A container has the value
# when it states it or, since an unstated request defaults to the limit,
# states the limit; the same goes for pod-level resources, which cover every
# container, and for the defaults of a LimitRange in its namespace.
# The resource controls (C-0004, C-0009, C-0050, C-0268..C-0271) share one
# evaluation and ask for overlapping pairs, so each missing value is found,
# and its path and message built, once for all of them: an entry holds the
# alert without its score (each control adds its own).
missing_resources := {k: {r: missing_resource(k, r) | some r in ["cpu", "memory"]} | some k in ["limits", "requests"]}

# (It runs once per kind and resource over every object; the paths and
# the LimitRange namespaces are bound before the loop, and pod_spec, which
# is undefined for a LimitRange, stands for the kind test.)
missing_resource(k, r) := [a |
	own := ["resources", k, r]
	limit := ["resources", "limits", r]
	defaulted := {n | some [n, r] in limitrange_defaults[k]}
	some obj in input
	spec := workload.pod_spec(obj)
	object.get(spec, own, null) == null
	object.get(spec, limit, null) == null
	not object.get(obj.metadata, "namespace", "") in defaulted
	some field in ["containers", "initContainers"]
	some i, ct in spec[field]
	object.get(ct, own, null) == null
	object.get(ct, limit, null) == null
	path := sprintf("%s.%s[%d].resources.%s.%s", [workload.prefix[obj.kind], field, i, k, r])
	a := {
		"alertMessage": sprintf("%s %q in %s/%s sets no %s", [kind_of_container[field], ct.name, obj.kind, obj.metadata.name, resource_desc[k][r]]),
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": placeholder[k][r]}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
]

# placeholder values for fixes that need a number from the user.
placeholder := {
	"limits": {"cpu": "YOUR_CPU_LIMIT", "memory": "YOUR_MEMORY_LIMIT"},
	"requests": {"cpu": "YOUR_CPU_REQUEST", "memory": "YOUR_MEMORY_REQUEST"},
}

resource_desc := {
	"limits": {"cpu": "CPU limit", "memory": "memory limit"},
	"requests": {"cpu": "CPU request", "memory": "memory request"},
}

resource_word := {"cpu": "CPU", "memory": "memory"}

kind_word := {"limits": "limit", "requests": "request"}

# ---------------------------------------------------------------------------
# Quantities

# quantity_nano parses a Kubernetes quantity ("500m", "1.5Gi", "2", "1e3",
# or a plain number) into an integer count of nano-units, so CPU (cores) and
# memory (bytes) compare exactly. Undefined when it does not parse.
# (An else chain: the forms exclude each other, and the chain stops at the
# first that applies instead of trying all three.)
quantity_nano(q) := round(q * 1000000000) if {
	is_number(q)
} else := v if {
	is_string(q)
	m := regex.find_all_string_submatch_n(quantity_re, trim_space(q), 1)[0]
	not exponent(m[2])
	v := round(to_number(trim_prefix(m[1], "+")) * suffix_nano[m[2]])
} else := v if {
	is_string(q)
	m := regex.find_all_string_submatch_n(quantity_re, trim_space(q), 1)[0]
	exponent(m[2])
	v := round(to_number(trim_prefix(trim_space(q), "+")) * 1000000000)
}

exponent(s) if regex.match(`^[eE][+-]?[0-9]+$`, s)

quantity_re := `^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$`

suffix_nano := {
	"": 1000000000,
	"n": 1,
	"u": 1000,
	"m": 1000000,
	"k": 1000000000000,
	"M": 1000000000000000,
	"G": 1000000000000000000,
	"T": 1000000000000000000000,
	"P": 1000000000000000000000000,
	"E": 1000000000000000000000000000,
	"Ki": 1024000000000,
	"Mi": 1048576000000000,
	"Gi": 1073741824000000000,
	"Ti": 1099511627776000000000,
	"Pi": 1125899906842624000000000,
	"Ei": 1152921504606846976000000000,
}

# bound_alerts checks the declared resources.kind[r] of each container and
# init container against the min and max control inputs and returns
# alerts for values outside. When kind is "requests" and only a limit is
# declared, the request the API server derives from the limit is checked,
# at the limit's path.
bound_alerts(obj, kind, r, min_key, max_key, score) := {a |
	spec := workload.pod_spec(obj)
	some field in ["containers", "initContainers"]
	some i, ct in spec[field]
	[src, v] := bound_value(ct, kind, r)
	n := quantity_nano(v)
	some [cmp, key] in [["below the minimum", min_key], ["above the maximum", max_key]]
	some [b, bn] in bound_nanos[key]
	outside(cmp, n, bn)
	base := sprintf("%s.%s[%d].resources.", [workload.prefix[obj.kind], field, i])
	a := {
		"alertMessage": sprintf("%s %q in %s has a %s %s of %v%s, %s %v", [kind_of_container[field], ct.name, alert_name(obj), resource_word[r], kind_word[kind], v, derived_note(src, kind), cmp, b]),
		"alertScore": score,
		"packagename": "armo_builtins",
		"failedPaths": [concat("", [base, src, ".", r])],
		"fixPaths": [{"path": concat("", [base, kind, ".", r]), "value": placeholder[kind][r]}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# bound_value is [where, value] of the container's kind[r], where is the
# resources field it comes from.
bound_value(ct, kind, r) := [kind, v] if {
	v := object.get(ct, ["resources", kind, r], null)
	v != null
} else := ["limits", v] if {
	kind == "requests"
	v := object.get(ct, ["resources", "limits", r], null)
	v != null
}

# The bounds of the resource controls, parsed once per evaluation.
bound_nanos := {key: [[b, quantity_nano(b)] |
	some b in data.postureControlInputs[key]
	quantity_nano(b)
] |
	some key in [
		"cpu_limit_min", "cpu_limit_max", "memory_limit_min", "memory_limit_max",
		"cpu_request_min", "cpu_request_max", "memory_request_min", "memory_request_max",
	]
}

# bounds lists the configured bounds of each bound control ("cpu_limit",
# "memory_request", ...) as [comparison, bound as written, bound in
# nano-units]: empty when neither its min nor its max input is set, so
# the control can stop before looking at any container.
bounds := {name: [[cmp, b, bn] |
	some [cmp, suffix] in [["below the minimum", "_min"], ["above the maximum", "_max"]]
	some [b, bn] in bound_nanos[concat("", [name, suffix])]
] |
	some name in ["cpu_limit", "memory_limit", "cpu_request", "memory_request"]
}

outside("below the minimum", n, b) if n < b

outside("above the maximum", n, b) if n > b

derived_note(src, kind) := " (taken from its limit)" if {
	src != kind
} else := ""

# ---------------------------------------------------------------------------
# Images

# image_parts splits an image reference into name (registry and
# repository), tag and digest ("" when absent). Undefined for templated
# references (${VAR}, {{ }}) and empty ones, which cannot be judged.
image_parts(image) := {"name": m[1], "tag": m[2], "digest": m[3]} if {
	is_string(image)
	image != ""
	not templated(image)
	m := regex.find_all_string_submatch_n(`^((?:[^/@]*/)*[^/:@]*)(?::([^/:@]+))?(?:@(.+))?$`, image, 1)[0]
}

templated(s) if contains(s, "${")
else if contains(s, "$(")
else if contains(s, "{{")

# floating is true when an image resolves through a moving tag: no tag and
# no digest, or the tag "latest" without a digest.
floating(p) if {
	p.digest == ""
	p.tag in {"", "latest"}
}

# ---------------------------------------------------------------------------
# Service accounts

# service_account is the service account a pod runs as, the deprecated
# serviceAccount field included; "default" when it names none.
service_account(spec) := spec.serviceAccountName if {
	is_string(spec.serviceAccountName)
	spec.serviceAccountName != ""
} else := spec.serviceAccount if {
	is_string(spec.serviceAccount)
	spec.serviceAccount != ""
} else := "default"

# service_account_path is where the service account is (or should be) named.
service_account_path(obj) := concat("", [workload.prefix[obj.kind], ".serviceAccount"]) if {
	spec := workload.pod_spec(obj)
	object.get(spec, "serviceAccountName", "") == ""
	is_string(spec.serviceAccount)
	spec.serviceAccount != ""
} else := concat("", [workload.prefix[obj.kind], ".serviceAccountName"])

# Service accounts among the objects, as "namespace/name": all of them, and
# those that let pods mount their token (they do not set
# automountServiceAccountToken to false). Sets rather than a map, so that
# an account defined twice (two overlays, two copies of an example) cannot
# make the lookup conflict; it counts as mounting if any copy does.
# Complete rules, built once per evaluation.
# (The keys are built inline rather than with sa_key and ns: a function
# call per object costs more than the concatenation.)
sa_known := {concat("/", [object.get(sa.metadata, "namespace", ""), sa.metadata.name]) |
	some sa in input
	sa.kind == "ServiceAccount"
}

sa_mounting := {concat("/", [object.get(sa.metadata, "namespace", ""), sa.metadata.name]) |
	some sa in input
	sa.kind == "ServiceAccount"
	object.get(sa, "automountServiceAccountToken", true) != false
}

sa_key(n, name) := concat("/", [n, name])

# token_mount describes whether a workload's pods get a service-account
# token mounted automatically: {"mounted", "explicit" (the pod spec decides),
# "why"}. The pod's
# automountServiceAccountToken wins; when unset, its ServiceAccount's
# decides; an unknown ServiceAccount mounts (the API default). Relational
# rules only.
token_mount(obj) := {"mounted": spec.automountServiceAccountToken == true, "explicit": true, "why": why} if {
	spec := workload.pod_spec(obj)
	is_boolean(spec.automountServiceAccountToken)
	why := "the pod sets automountServiceAccountToken: true"
} else := {"mounted": key in sa_mounting, "explicit": false, "why": why} if {
	spec := workload.pod_spec(obj)
	sa := service_account(spec)
	key := concat("/", [object.get(obj.metadata, "namespace", ""), sa])
	key in sa_known
	why := sprintf("its ServiceAccount %q does not set automountServiceAccountToken: false", [sa])
} else := {"mounted": true, "explicit": false, "why": why} if {
	spec := workload.pod_spec(obj)
	why := sprintf("neither the pod nor its ServiceAccount %q (not among the scanned objects) sets automountServiceAccountToken: false", [service_account(spec)])
}

automount_path(obj) := concat("", [workload.prefix[obj.kind], ".automountServiceAccountToken"])

# ---------------------------------------------------------------------------
# Credentials

# key_forms are the forms a key name is compared in: lower case with "-"
# and "." turned into "_", plus, for mixed-case names, the same after
# splitting camelCase ("dbPassword" and "db.password" both give
# "db_password"). The regular expression only runs on mixed-case names.
key_forms(k) := {simple_key(k), simple_key(regex.replace(k, `([a-z0-9])([A-Z])`, "${1}_${2}"))} if {
	lower(k) != k
	upper(k) != k
} else := {simple_key(k)}

simple_key(k) := replace(replace(lower(k), "-", "_"), ".", "_")

# The credential inputs, normalised once per evaluation and folded into one
# regular expression each, so a key or value is tested with a single match.
sensitive_names := {simple_key(s) | some s in data.postureControlInputs.sensitiveKeyNames}

allowed_names := {simple_key(a) | some a in data.postureControlInputs.sensitiveKeyNamesAllowed}

allowed_values := {v | some v in data.postureControlInputs.sensitiveValuesAllowed}

sensitive_name_re := alternation(sensitive_names)

allowed_name_re := alternation(allowed_names)

value_re := concat("|", [concat("", ["(?:", re, ")"]) | some re in data.postureControlInputs.sensitiveValues])

# alternation matches any of the literal strings (none when empty).
alternation(words) := concat("|", [regex.replace(w, `[.*+?()\[\]{}|^$\\]`, `\$0`) | some w in words]) if {
	count(words) > 0
} else := `[^\s\S]`

# sensitive_key is true when a key name contains a sensitiveKeyNames entry
# and no sensitiveKeyNamesAllowed entry (case-insensitive).
sensitive_key(k) if {
	forms := key_forms(k)
	some f in forms
	regex.match(sensitive_name_re, f)
	not allowed_key(forms)
}

allowed_key(forms) if {
	some f in forms
	regex.match(allowed_name_re, f)
}

# plain_value is true for literal values that can be judged: non-empty
# strings that are not allowed values, references to other variables,
# templates, numbers, file paths or URLs without a password.
plain_value(v) if {
	is_string(v)
	t := trim_space(v)
	t != ""
	not v in allowed_values
	not t in allowed_values
	not reference_value(t)
}

# (An else chain, so that the tests stop at the first that matches.)
reference_value(t) if regex.match(`^(\$\(|\$\{|\{\{|<|%\(|ENC\(|vault:|ref\+|secretref:)`, t)
else if regex.match(`^[0-9]+(\.[0-9]+)?$`, t)
else if regex.match(`^[\[{]|^(?i:null|~|none|nil|undefined)$`, t)
else if placeholder_value(t)
else if regex.match(`^(/[A-Za-z0-9._@-]+)+/?$`, t)
else if {
	regex.match(`^[A-Za-z][A-Za-z0-9+.-]*://`, t)
	not url_password(t)
}

# placeholder_value is true for values left for a person to fill in
# ("INSERT_TOKEN", "<password>", "xxxx").
placeholder_value(t) if regex.match(`^(?i:(insert|replace|your|enter|put)[_-]|x{4,}$|\*{3,}$|<[^>]*>$)`, t)

# url_password is true for a URL that embeds a literal password
# (scheme://user:password@host).
url_password(t) if {
	m := regex.find_all_string_submatch_n(`^[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:([^/\s@]+)@`, t, 1)[0]
	not regex.match(`^(\$|\{|<|%)`, m[1])
}

# sensitive_value is true when a literal value matches a sensitiveValues
# expression, or is a URL carrying a password.
sensitive_value(v) if {
	is_string(v)
	value_re != ""
	regex.match(value_re, v)
	not v in allowed_values
} else if {
	is_string(v)
	contains(v, "://")
	contains(v, "@")
	url_password(trim_space(v))
}

# env_reason is credential_reason(e.name, e.value) for an environment
# variable, except that it does not need the name to judge the value (the
# caller needs it for its message anyway). One argument rather than two:
# function calls with several arguments cost more.
env_reason(e) := "a literal value whose name suggests a credential" if {
	sensitive_key(e.name)
	plain_value(e.value)
} else := "a literal value that looks like a credential" if {
	sensitive_value(e.value)
}

# credential_reason says why a key/value pair holds a credential, without
# repeating the value.
credential_reason(k, v) := "a literal value whose name suggests a credential" if {
	sensitive_key(k)
	plain_value(v)
} else := "a literal value that looks like a credential" if {
	sensitive_value(v)
}

# embedded_credentials lists the keys of "key: value" or "key=value" lines
# inside a multi-line value (a configuration file) that set a credential.
embedded_credentials(v) := {k |
	contains(v, "\n")
	count(v) <= 200000
	some m in regex.find_all_string_submatch_n(`(?m)^[ \t]*["']?([A-Za-z0-9_.\-]+)["']?[ \t]*[:=][ \t]*(.*)$`, v, -1)
	k := m[1]
	sensitive_key(k)
	plain_value(line_value(m[2]))
}

# line_value strips quotes, a trailing comma and a trailing comment from the
# value part of a configuration line; block scalars and nested maps
# (nothing after the separator, "|" or ">") yield "".
line_value(s) := "" if {
	regex.match(`^\s*([|>][-+0-9]*)?\s*(#.*)?$`, s)
} else := trim(regex.replace(trim_space(s), `\s+#.*$|,$`, ""), `"' `)

# ---------------------------------------------------------------------------
# Host paths

# clean_path normalises an absolute path: repeated and trailing slashes
# go, "." and ".." components are resolved.
# Most paths are already clean: with no "//", no "/." and no trailing
# slash none of the rewrites below can change them, so the regular
# expressions only run on the others.
clean_path(p) := p if {
	p != ""
	not contains(p, "//")
	not contains(p, "/.")
	not endswith(p, "/")
} else := out if {
	s0 := regex.replace(concat("", [p, "/"]), `/+`, "/")
	s1 := regex.replace(s0, `(/\.)+/`, "/")
	s2 := up(up(up(up(up(up(s1))))))
	s3 := regex.replace(s2, `^(/\.\.)+/`, "/")
	out := trim_suffix_slash(s3)
}

up(s) := regex.replace(s, `/(?:[^/.][^/]*|\.[^/.][^/]*|\.\.[^/]+)/\.\./`, "/")

trim_suffix_slash(s) := s if {
	s == "/"
} else := trim_suffix(s, "/")

# host_volumes lists the pod's hostPath volumes as {"name", "host", "path"}:
# the normalised host path and the dotted path of hostPath.path.
# (It reads the pod spec's volumes itself rather than workload.volumes, so
# that paths are only built for hostPath volumes.)
host_volumes(obj) := [x |
	spec := workload.pod_spec(obj)
	some i, v in spec.volumes
	raw := v.hostPath.path
	is_string(raw)
	x := {
		"name": v.name,
		"host": clean_path(raw),
		"raw": raw,
		"path": concat("", [workload.prefix[obj.kind], ".volumes[", format_int(i, 10), "].hostPath.path"]),
	}
]

# under is true when path p is base or lies below it.
under(p, base) if p == base

under(p, base) if startswith(p, concat("", [base, "/"]))

under(p, "/") if startswith(p, "/")

# ---------------------------------------------------------------------------
# Labels

# has_any_label is true when the workload or the pods it runs carry one of
# the wanted labels.
has_any_label(obj, wanted) if {
	some l in wanted
	object.get(obj.metadata, ["labels", l], null) != null
}

has_any_label(obj, wanted) if {
	obj.kind != "Pod"
	meta := template_meta(obj)
	some l in wanted
	object.get(meta, ["labels", l], null) != null
}

# label_keys is the set of labels (with a value other than null) the
# workload or the pods it runs carry: has_any_label(obj, wanted) is
# count(label_keys(obj) & wanted) > 0. One argument, so that the label
# controls share it.
label_keys(obj) := {l | some l, v in obj.metadata.labels; v != null} | {l |
	obj.kind != "Pod"
	some l, v in template_meta(obj).labels
	v != null
}

# template_meta is the metadata of a controller's pod template. (The shared
# workload.pod_meta returns the whole template rather than its metadata.)
template_meta(obj) := object.get(obj, array.concat(array.slice(p, 0, count(p) - 1), ["metadata"]), {}) if {
	p := workload.spec_path[obj.kind]
}

# ---------------------------------------------------------------------------
# Long-running pods

# serving_kinds keep their pods running; Jobs and CronJobs run to completion.
serving_kinds := {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController"}

# long_running is true for workloads whose pods are meant to keep running:
# controllers other than Jobs and CronJobs, and Pods that restart Always
# and are not run by a Job.
long_running(obj) if obj.kind in serving_kinds
else if {
	obj.kind == "Pod"
	object.get(obj.spec, "restartPolicy", "Always") == "Always"
	not job_owned(obj)
}

job_owned(obj) if {
	some o in obj.metadata.ownerReferences
	o.kind in {"Job", "CronJob"}
}

# image_allowed is true when an image (fully qualified name, or as written)
# starts with an entry of imageRepositoryAllowList at a name boundary: the
# entry ends with "/", or the image continues with "/", ":" or "@" after it,
# or equals it. "ghcr.io/acme" allows "ghcr.io/acme/app:1" but not
# "ghcr.io/acme-evil/app".
image_allowed(names) if {
	some e in data.postureControlInputs.imageRepositoryAllowList
	p := allow_entry(e)
	p != ""
	some n in names
	prefix_match(n, p)
}

allow_entry(e) := concat("", ["docker.io/", substring(t, 16, -1)]) if {
	t := trim_space(e)
	startswith(t, "index.docker.io/")
} else := trim_space(e)

prefix_match(n, p) if {
	endswith(p, "/")
	startswith(n, p)
}

prefix_match(n, p) if n == p

prefix_match(n, p) if {
	not endswith(p, "/")
	startswith(n, p)
	substring(n, count(p), 1) in {"/", ":", "@"}
}

# The service-account findings come in two forms: *_finding(obj) is the
# alert without its score, one argument so that rules of a group share it
# and the call stays cheap (a rule adds its score in an object literal);
# *_alert(obj, score) is the whole alert.

# token_finding reports a workload whose pods get a service-account token
# mounted automatically. Relational rules only.
token_finding(obj) := {
	"alertMessage": sprintf("%s mounts a service-account token into its pods: %s", [alert_name(obj), t.why]),
	"failedPaths": [path],
	"fixPaths": [{"path": path, "value": "false"}],
	"alertObject": {"k8sApiObjects": [obj]},
} if {
	t := token_mount(obj)
	t.mounted
	path := automount_path(obj)
}

token_alert(obj, score) := scored(token_finding(obj), score)

# sa_automount_finding reports a ServiceAccount that lets pods mount its
# token by default.
sa_automount_finding(sa) := {
	"alertMessage": sprintf("ServiceAccount/%s does not set automountServiceAccountToken: false, so every pod using it gets its token unless the pod opts out", [sa.metadata.name]),
	"failedPaths": ["automountServiceAccountToken"],
	"fixPaths": [{"path": "automountServiceAccountToken", "value": "false"}],
	"alertObject": {"k8sApiObjects": [sa]},
} if {
	sa.kind == "ServiceAccount"
	object.get(sa, "automountServiceAccountToken", true) != false
}

sa_automount_alert(sa, score) := scored(sa_automount_finding(sa), score)

# default_sa_finding reports a workload that runs as its namespace's default
# service account and gets that account's token mounted. Relational rules
# only.
default_sa_finding(obj) := {
	"alertMessage": sprintf("%s runs as the default service account %s and mounts its token: %s", [alert_name(obj), default_how(spec), t.why]),
	"failedPaths": array.concat([service_account_path(obj)], [path | t.explicit]),
	"fixPaths": [{"path": path, "value": "false"}],
	"alertObject": {"k8sApiObjects": [obj]},
} if {
	spec := workload.pod_spec(obj)
	service_account(spec) == "default"
	t := token_mount(obj)
	t.mounted
	path := automount_path(obj)
}

default_sa_alert(obj, score) := scored(default_sa_finding(obj), score)

# scored completes a finding into an alert.
scored(f, score) := object.union(f, {"alertScore": score, "packagename": "armo_builtins"})

default_how(spec) := "(named explicitly)" if {
	object.get(spec, "serviceAccountName", "") == "default"
} else := "(named explicitly)" if {
	object.get(spec, "serviceAccount", "") == "default"
} else := "(no service account named)"

explicit_true(obj, t) := [automount_path(obj)] if t.explicit

else := []

# ---------------------------------------------------------------------------
# Namespaces

# default_ns_builtin is true for the objects Kubernetes itself keeps in the
# default namespace; they do not mean anyone uses it.
default_ns_builtin(obj) if {
	obj.kind in {"Service", "Endpoints", "EndpointSlice"}
	obj.metadata.name == "kubernetes"
}

default_ns_builtin(obj) if {
	obj.kind == "EndpointSlice"
	obj.metadata.labels["kubernetes.io/service-name"] == "kubernetes"
}

default_ns_builtin(obj) if {
	obj.kind == "ServiceAccount"
	obj.metadata.name == "default"
}

default_ns_builtin(obj) if {
	obj.kind == "ConfigMap"
	obj.metadata.name == "kube-root-ca.crt"
}

default_ns_builtin(obj) if {
	obj.kind == "Secret"
	obj.type == "kubernetes.io/service-account-token"
	obj.metadata.annotations["kubernetes.io/service-account.name"] == "default"
}

default_ns_builtin(obj) if obj.kind == "Event"

# in_default_namespace is true for objects that name the default namespace
# explicitly (a manifest without a namespace goes wherever it is applied).
in_default_namespace(obj) if obj.metadata.namespace == "default"

namespace_alert(obj, score, what) := {
	"alertMessage": sprintf("%s is explicitly placed in the default namespace%s", [alert_name(obj), what]),
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": ["metadata.namespace"],
	"fixPaths": [{"path": "metadata.namespace", "value": "YOUR_NAMESPACE"}],
	"alertObject": {"k8sApiObjects": [obj]},
}

# label_alert reports a workload that carries none of the wanted labels.
label_alert(obj, wanted, score, what) := {
	"alertMessage": sprintf("%s and its pods carry none of the %s: %s", [alert_name(obj), what, concat(", ", wanted)]),
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": ["metadata.labels"],
	"fixPaths": [{"path": concat(".", ["metadata.labels", wanted[0]]), "value": "YOUR_LABEL_VALUE"}],
	"alertObject": {"k8sApiObjects": [obj]},
} if {
	count(wanted) > 0
	not has_any_label(obj, wanted)
}

# Container runtime sockets, by file name.
runtime_sockets := {
	"docker.sock", "containerd.sock", "containerd.sock.ttrpc", "crio.sock",
	"podman.sock", "dockershim.sock", "cri-dockerd.sock",
}

# Host directories that hold a runtime socket. /var/run is a link to /run
# on current systems; both spellings appear in manifests.
runtime_socket_dirs := {
	"/", "/run", "/var/run", "/run/containerd", "/var/run/containerd",
	"/run/docker", "/var/run/docker", "/run/crio", "/var/run/crio",
	"/run/podman", "/var/run/podman",
}

# runtime_socket describes why a normalised host path exposes the runtime.
runtime_socket(p) := "the container runtime socket" if {
	parts := split(p, "/")
	parts[count(parts) - 1] in runtime_sockets
} else := "a host directory that holds the container runtime socket" if {
	p in runtime_socket_dirs
}

# Host paths that give a container power over the node or its secrets.
sensitive_paths := {
	"/", "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/home",
	"/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd",
	"/var/lib/etcd", "/etc/kubernetes", "/var/log",
}

# Paths whose whole subtree is sensitive.
sensitive_trees := {"/etc/kubernetes", "/var/lib/kubelet", "/proc", "/sys"}

# sensitive_host is true for a sensitive path, a path below a sensitive
# tree, or a directory above a sensitive path, which exposes it too
# (/var/lib holds the kubelet's and the runtime's state). The trees are
# sensitive paths themselves, and every sensitive path is absolute, so
# under() reduces to prefix tests on "path/". (An else chain: the first
# test that holds decides.)
sensitive_host(p) if p in sensitive_paths
else if {
	some t in sensitive_trees
	startswith(p, concat("", [t, "/"]))
} else if {
	below := concat("", [p, "/"])
	some s in sensitive_paths
	startswith(s, below)
}

# Files and directories where nodes keep cloud credentials.
cloud_credential_paths := {
	"/etc/kubernetes/azure.json", "/etc/kubernetes/cloud.conf",
	"/var/lib/waagent", "/etc/gcp", "/root/.aws", "/root/.azure",
	"/root/.config/gcloud",
}

cloud_credential_home := `^/home/[^/]+/(\.aws|\.azure|\.config/gcloud)(/|$)`

# cloud_credential names the credential locations a normalised host path
# reaches: the path itself, a file below it, or a directory above it.
cloud_credential(p) := listed(sort(found)) if {
	found := {c |
		some c in cloud_credential_paths
		related(p, c)
	} | home_credential(p)
	count(found) > 0
}

# listed renders up to three items, then how many more there are.
listed(xs) := concat(", ", xs) if {
	count(xs) <= 3
} else := sprintf("%s and %d more", [concat(", ", array.slice(xs, 0, 3)), count(xs) - 3])

related(p, c) if under(p, c)

related(p, c) if under(c, p)

home_credential(p) := {p} if {
	regex.match(cloud_credential_home, p)
} else := {"/home/*/.aws", "/home/*/.azure", "/home/*/.config/gcloud"} if {
	regex.match(`^/home(/[^/]+)?$|^/$`, p)
} else := set()

# shown renders a host path for messages, with the normalised form when it
# differs from what the manifest says.
shown(v) := sprintf("%q", [v.raw]) if {
	v.raw == v.host
} else := sprintf("%q (that is %s)", [v.raw, v.host])

hostpath_alert(obj, v, score, msg) := {
	"alertMessage": msg,
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": [v.path],
	"fixPaths": [],
	"alertObject": {"k8sApiObjects": [obj]},
}
