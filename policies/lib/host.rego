# Helpers for host controls: the CIS Kubernetes Benchmark checks of
# control-plane and node configuration, judged on the host scanner's objects
# (shapes in docs/HOST-OBJECTS.md: KubeletInfo, ControlPlaneInfo,
# KubeProxyInfo, CNIInfo).
#
# A control describes its check as a spec and lets check(obj, spec),
# file_mode(obj, spec) or file_owner(obj, spec) return its alerts (a set,
# empty when the object passes). A spec names:
#
#   comp     the component: apiserver, controller-manager, scheduler, etcd,
#            kubelet, kube-proxy. An object without it (a worker has no API
#            server) has nothing to judge and passes.
#   flag     the command-line flag, without dashes.
#   config   the path of the same setting in the component's configuration
#            file (kubelet, kube-proxy, etcd --config-file), if it has one.
#   gate     instead of flag: a feature gate (--feature-gates entries win
#            gate by gate over the config file's featureGates).
#   test     how the value is judged (see passes below), with want, item
#            or min as the test needs.
#   default  the value that applies when the setting is not given;
#            configDefault overrides it when the component reads a
#            configuration file (the kubelet's defaults differ: its flags
#            keep legacy insecure defaults, its config file secure ones).
#   unless   {flag, config, want}: another setting that makes this one
#            moot (a kubelet bootstrapping its serving certificate).
#   deferTo  a flag naming a file that replaces the setting
#            (--authorization-config): Vigil does not read it and asks for
#            a review.
#   suggest  the value to recommend when the test does not imply one.
#   problem  what is wrong, for the message ("accepts anonymous requests").
#   score    the alert score.
#
# Where a value comes from decides the paths: a wrong value set somewhere
# is a failedPath there (data.APIServerInfo.cmdLine,
# data.configFile.content); a setting left to an insecure default (or a
# required setting left out) is a reviewPath where it should be set. No
# alert has a fixPath: host files are not manifests `vigil fix` can edit.
package vigil.host

import data.cautils

# components says where each component's settings live in its object.
# etcd ignores every flag once it is given --config-file (configOnly).
components := {
	"apiserver": {
		"label": "kube-apiserver", "kind": "ControlPlaneInfo",
		"cmd": ["data", "APIServerInfo", "cmdLine"], "src": "APIServerInfo.cmdLine",
	},
	"controller-manager": {
		"label": "kube-controller-manager", "kind": "ControlPlaneInfo",
		"cmd": ["data", "controllerManagerInfo", "cmdLine"], "src": "controllerManagerInfo.cmdLine",
	},
	"scheduler": {
		"label": "kube-scheduler", "kind": "ControlPlaneInfo",
		"cmd": ["data", "schedulerInfo", "cmdLine"], "src": "schedulerInfo.cmdLine",
	},
	"etcd": {
		"label": "etcd", "kind": "ControlPlaneInfo",
		"cmd": ["data", "vigil", "etcd", "cmdLine"], "src": "etcd.cmdLine",
		"config": ["data", "etcdConfigFile"], "configFlag": "config-file", "configOnly": true,
	},
	"kubelet": {
		"label": "kubelet", "kind": "KubeletInfo",
		"cmd": ["data", "cmdLine"], "src": "cmdLine",
		"config": ["data", "configFile"], "configFlag": "config",
	},
	"kube-proxy": {
		"label": "kube-proxy", "kind": "KubeProxyInfo",
		"cmd": ["data", "cmdLine"], "src": "cmdLine",
		"config": ["data", "configFile"], "configFlag": "config",
	},
}

# ---------------------------------------------------------------------------
# Command lines

# cmdline is the component's command line; undefined when the object does
# not carry the component.
cmdline(obj, comp) := cmd if {
	c := components[comp]
	obj.kind == c.kind
	cmd := object.get(obj, c.cmd, null)
	is_string(cmd)
} else := cmd if {
	# Kubescape's host scanner has no field for etcd's command line; its
	# static-pod manifest has it.
	comp == "etcd"
	obj.kind == "ControlPlaneInfo"
	m := decode(obj.data.etcdConfigFile)
	m.kind == "Pod"
	c := m.spec.containers[0]
	cmd := concat(" ", array.concat(object.get(c, "command", []), object.get(c, "args", [])))
}

present(obj, comp) if is_string(cmdline(obj, comp))

# cmd_path is where the command line sits in the object, for alert paths.
cmd_path(obj, comp) := concat(".", components[comp].cmd) if {
	is_string(object.get(obj, components[comp].cmd, null))
} else := "data.etcdConfigFile.content" if {
	comp == "etcd"
} else := concat(".", components[comp].cmd)

tokens(cmd) := [t | some t in regex.split(`\s+`, cmd); t != ""]

# flag_name is the name of the flag a token starts ("--a=b", "--a", "-a"),
# undefined for values (negative numbers included).
flag_name(tok) := name if {
	startswith(tok, "-")
	not regex.match(`^-[0-9]`, tok)
	bare := trim_left(tok, "-")
	bare != ""
	name := split(bare, "=")[0]
}

is_value(tok) if not startswith(tok, "-")

is_value(tok) if regex.match(`^-[0-9]`, tok)

flag_value(toks, i) := substring(toks[i], indexof(toks[i], "=") + 1, -1) if {
	contains(toks[i], "=")
} else := toks[i + 1] if {
	is_value(toks[i + 1])
} else := "true"

# flags parses a command line into {name: [value, ...]}, every value in
# order: single-valued flags take the last one, list flags
# (--enable-admission-plugins, --tls-cipher-suites, --feature-gates)
# accumulate all of them, as the components' flag library does.
flags(cmd) := {name: [v | some i, u in toks; flag_name(u) == name; v := flag_value(toks, i)] |
	toks := tokens(cmd)
	some t in toks
	name := flag_name(t)
}

# ---------------------------------------------------------------------------
# Configuration files

# decode reads a file's base64 content as YAML (or JSON).
decode(file) := yaml.unmarshal(base64.decode(file.content))

# config_in_use: the component reads its configuration file. When the
# command line is not a live process's (a static-pod manifest, a
# distribution's config, or none at all), it may lack flags the
# distribution passes itself, so the file found is trusted.
config_in_use(obj, comp) if flags(cmdline(obj, comp))[components[comp].configFlag]

config_in_use(obj, comp) if {
	comp in {"kubelet", "kube-proxy"}
	flags(cmdline(obj, comp))["config-dir"]
}

config_in_use(obj, comp) if {
	comp in {"kubelet", "kube-proxy"}
	src := object.get(obj, ["data", "vigil", "sources", "cmdLine"], null)
	is_string(src)
	not startswith(src, "/proc/")
}

config_in_use(obj, comp) if {
	comp in {"kubelet", "kube-proxy"}
	cmdline(obj, comp) == ""
}

config_file(obj, comp) := f if {
	f := object.get(obj, components[comp].config, null)
	is_string(f.content)
}

# config is the decoded configuration file the component reads.
config(obj, comp) := cfg if {
	config_in_use(obj, comp)
	cfg := decode(config_file(obj, comp))
	is_object(cfg)
	object.get(cfg, "kind", "") != "Pod"
}

config_path(comp) := concat(".", array.concat(components[comp].config, ["content"]))

# ---------------------------------------------------------------------------
# Settings

# str renders a configuration value in command-line syntax.
str(v) := v if {
	is_string(v)
} else := concat(",", [sprintf("%v", [x]) | some x in v]) if {
	is_array(v)
} else := concat(",", [sprintf("%v=%v", [k, x]) | some k, x in v]) if {
	is_object(v)
} else := sprintf("%v", [v])

from_flag(obj, comp, flag) := s if {
	vals := flags(cmdline(obj, comp))[flag]
	s := {
		"source": "flag", "values": vals, "value": vals[count(vals) - 1],
		"path": cmd_path(obj, comp),
		"where": sprintf("--%s is %q on the command line", [flag, vals[count(vals) - 1]]),
	}
}

from_config(obj, comp, key) := s if {
	count(key) > 0
	v := object.get(config(obj, comp), key, null)
	v != null
	s := {
		"source": "config", "values": [str(v)], "value": str(v),
		"path": config_path(comp),
		"where": sprintf("%s is %q in %s", [concat(".", key), str(v), config_file(obj, comp).path]),
	}
}

config_only(obj, comp) if {
	components[comp].configOnly
	config(obj, comp)
}

# setting is where the component gets a setting from: the command line,
# which wins over the configuration file, as in the components themselves
# (except etcd, which ignores its flags when it reads a config file).
# Undefined when it is set nowhere.
setting(obj, comp, flag, key) := s if {
	config_only(obj, comp)
	s := from_config(obj, comp, key)
} else := s if {
	not config_only(obj, comp)
	s := from_flag(obj, comp, flag)
} else := s if {
	not config_only(obj, comp)
	s := from_config(obj, comp, key)
}

# gate_setting is one feature gate: --feature-gates entries win gate by
# gate over the config file's featureGates.
gate_setting(obj, comp, gate) := s if {
	vals := [v |
		some list in flags(cmdline(obj, comp))["feature-gates"]
		some kv in split(list, ",")
		parts := split(trim_space(kv), "=")
		parts[0] == gate
		v := trim_space(parts[1])
	]
	count(vals) > 0
	v := vals[count(vals) - 1]
	s := {
		"source": "flag", "values": [v], "value": v,
		"path": cmd_path(obj, comp),
		"where": sprintf("--feature-gates sets %s=%s on the command line", [gate, v]),
	}
} else := s if {
	v := config(obj, comp).featureGates[gate]
	s := {
		"source": "config", "values": [str(v)], "value": str(v),
		"path": config_path(comp),
		"where": sprintf("featureGates.%s is %v in %s", [gate, v, config_file(obj, comp).path]),
	}
}

given(obj, spec) := gate_setting(obj, spec.comp, spec.gate) if {
	spec.gate
} else := setting(obj, spec.comp, spec.flag, object.get(spec, "config", []))

default_value(obj, spec) := spec.configDefault if {
	object.get(spec, "configDefault", null) != null
	config_in_use(obj, spec.comp)
} else := spec.default

# effective is the value the component runs with: the one given, else its
# default (marked "default": true); undefined when neither exists.
effective(obj, spec) := s if {
	s := given(obj, spec)
} else := {"source": "default", "default": true, "values": [v], "value": v} if {
	v := default_value(obj, spec)
}

# items are the entries of a list setting, across repeated flags.
items(s) := {trim_space(x) |
	some v in s.values
	some x in split(v, ",")
	trim_space(x) != ""
}

norm_bool(v) := "true" if {
	lower(v) in {"true", "t", "1"}
} else := "false" if {
	lower(v) in {"false", "f", "0"}
} else := v

# loopback holds the addresses that keep a port on the node itself.
loopback(addr) if addr in {"127.0.0.1", "localhost", "::1", "[::1]"}

loopback(addr) if startswith(addr, "127.")

# host_part strips the port from "address:port" (kube-proxy's bind
# addresses carry one); a bare IPv6 address has several colons.
host_part(v) := trim_prefix(split(v, "]")[0], "[") if {
	startswith(v, "[")
} else := split(v, ":")[0] if {
	count(indexof_n(v, ":")) == 1
} else := v

# strong_ciphers are the TLS 1.2 suites with forward secrecy and AEAD
# encryption, plus the TLS 1.3 suites (all strong).
strong_ciphers := {
	"TLS_AES_128_GCM_SHA256",
	"TLS_AES_256_GCM_SHA384",
	"TLS_CHACHA20_POLY1305_SHA256",
	"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
	"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
	"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
	"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
	"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
}

# passes judges a value by the spec's test.
passes(spec, s) if {
	spec.test == "bool"
	norm_bool(s.value) == spec.want
}

passes(spec, s) if {
	spec.test == "equals"
	s.value in spec.want
}

passes(spec, s) if {
	spec.test == "set"
	s.value != ""
}

passes(spec, s) if {
	spec.test == "unset"
	s.value == ""
}

passes(spec, s) if {
	spec.test == "has"
	spec.item in items(s)
}

passes(spec, s) if {
	spec.test == "lacks"
	not spec.item in items(s)
}

passes(spec, s) if {
	spec.test == "min"
	to_number(s.value) >= spec.min
}

passes(spec, s) if {
	spec.test == "nonzero-duration"
	time.parse_duration_ns(s.value) != 0
}

# The kubelet cannot tell a zero duration in its config file from a
# missing one and applies the default to both (kubeadm writes "0s").
passes(spec, s) if {
	spec.test == "nonzero-duration"
	s.source == "config"
	time.parse_duration_ns(s.value) == 0
}

passes(spec, s) if {
	spec.test == "positive"
	to_number(s.value) > 0
}

passes(spec, s) if {
	spec.test == "loopback"
	loopback(host_part(s.value))
}

# An empty address means the component's default (localhost for
# kube-proxy's metrics).
passes(spec, s) if {
	spec.test == "loopback"
	s.value == ""
}

# Event recording: 0 lifts the limit, anything below spec.min drops
# events in a burst.
passes(spec, s) if {
	spec.test == "qps"
	to_number(s.value) == 0
}

passes(spec, s) if {
	spec.test == "qps"
	to_number(s.value) >= spec.min
}

passes(spec, s) if {
	spec.test == "ciphers"
	count(items(s)) > 0
	every c in items(s) {
		c in strong_ciphers
	}
}

# A value the test cannot read (a malformed number) is not failed: the
# component itself refuses to start with it.
unreadable(spec, s) if {
	spec.test in {"min", "positive", "qps"}
	not is_number(to_number(s.value))
}

unreadable(spec, s) if {
	spec.test == "nonzero-duration"
	not is_number(time.parse_duration_ns(s.value))
}

# unless: another setting that makes this one moot (a kubelet that
# bootstraps its serving certificate needs no --tls-cert-file).
excused(obj, spec) if {
	u := spec.unless
	s := setting(obj, spec.comp, u.flag, object.get(u, "config", []))
	norm_bool(s.value) in u.want
}

# ---------------------------------------------------------------------------
# Alerts

node(obj) := object.get(obj, ["metadata", "name"], "")

label(obj, comp) := sprintf("%s on node %s", [components[comp].label, node(obj)])

# where_to_set names the places a missing setting belongs: the config
# file when the component reads one and has the field, else its command line.
where_to_set(obj, spec) := {"path": config_path(spec.comp), "text": sprintf("set %s in %s", [config_text(spec), config_file(obj, spec.comp).path])} if {
	count(object.get(spec, "config", [])) > 0
	config_only(obj, spec.comp)
} else := {"path": config_path(spec.comp), "text": sprintf("set %s in %s or %s on the command line", [config_text(spec), config_file(obj, spec.comp).path, flag_text(spec)])} if {
	count(object.get(spec, "config", [])) > 0
	config(obj, spec.comp)
} else := {"path": cmd_path(obj, spec.comp), "text": sprintf("add %s to --%s on the command line", [spec.item, spec.flag])} if {
	spec.test == "has"
} else := {"path": cmd_path(obj, spec.comp), "text": sprintf("set %s on the command line", [flag_text(spec)])} if {
	spec.flag
} else := {"path": cmd_path(obj, spec.comp), "text": sprintf("set --feature-gates=%s=true on the command line", [spec.gate])}

# suggested is the value to give a setting, when one value fits all.
suggested(spec) := spec.suggest if {
	spec.suggest
} else := spec.want if {
	spec.test == "bool"
} else := spec.want[0] if {
	spec.test == "equals"
} else := "127.0.0.1" if {
	spec.test == "loopback"
} else := sprintf("%v", [spec.min]) if {
	spec.test == "min"
} else := ""

flag_text(spec) := sprintf("--%s=%s", [spec.flag, suggested(spec)]) if {
	suggested(spec) != ""
} else := sprintf("--%s", [spec.flag])

config_text(spec) := sprintf("%s: %s", [concat(".", spec.config), suggested(spec)]) if {
	suggested(spec) != ""
} else := concat(".", spec.config)

setting_name(spec) := sprintf("--%s", [spec.flag]) if {
	spec.flag
} else := sprintf("feature gate %s", [spec.gate])

alert(obj, msg, score, failed, review) := {
	"alertMessage": msg,
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": failed,
	"reviewPaths": review,
	"deletePaths": [],
	"fixPaths": [],
	"alertObject": {"k8sApiObjects": [obj]},
}

# caveat warns that a setting reported missing may be passed by the
# distribution itself (k3s and RKE2 run the components in-process with
# flags of their own, which the collector cannot see).
caveat(obj, comp) := sprintf(" (%s passes flags of its own that Vigil cannot see: check what it sets)", [object.get(obj, ["data", "vigil", "layout"], "the distribution")]) if {
	src := object.get(obj, ["data", "vigil", "sources", components[comp].src], "")
	contains(src, "defaults not included")
} else := ""

value_alert(obj, spec, s) := alert(obj, sprintf("%s %s: %s", [label(obj, spec.comp), spec.problem, s.where]), spec.score, [s.path], []) if {
	not s.default
} else := alert(obj, msg, spec.score, [], [w.path]) if {
	s.value == ""
	w := where_to_set(obj, spec)
	msg := sprintf("%s %s: %s is not set; %s%s", [label(obj, spec.comp), spec.problem, setting_name(spec), w.text, caveat(obj, spec.comp)])
} else := alert(obj, msg, spec.score, [], [w.path]) if {
	w := where_to_set(obj, spec)
	msg := sprintf("%s %s: %s is not set and defaults to %q; %s%s", [label(obj, spec.comp), spec.problem, setting_name(spec), s.value, w.text, caveat(obj, spec.comp)])
}

# check returns the alerts of a setting check (empty when it passes).
check(obj, spec) := ({a |
	present(obj, spec.comp)
	s := effective(obj, spec)
	not passes(spec, s)
	not unreadable(spec, s)
	not excused(obj, spec)
	not deferred(obj, spec)
	a := value_alert(obj, spec, s)
} | {a |
	# A required setting with no default.
	present(obj, spec.comp)
	not spec.test in {"unset", "lacks"}
	not effective(obj, spec)
	not excused(obj, spec)
	not deferred(obj, spec)
	w := where_to_set(obj, spec)
	msg := sprintf("%s %s: %s is not set; %s%s", [label(obj, spec.comp), spec.problem, setting_name(spec), w.text, caveat(obj, spec.comp)])
	a := alert(obj, msg, spec.score, [], [w.path])
}) | {a |
	# The setting is decided by another file (--authorization-config):
	# a human has to read it.
	present(obj, spec.comp)
	d := deferred(obj, spec)
	msg := sprintf("%s: %s is replaced by the file --%s names (%s), which Vigil does not read; check it", [label(obj, spec.comp), setting_name(spec), spec.deferTo, d.value])
	a := alert(obj, msg, spec.score, [], [d.path])
}

# deferred: the spec's setting is replaced by a file named by another flag
# (spec.deferTo) and is not given itself.
deferred(obj, spec) := s if {
	not given(obj, spec)
	s := from_flag(obj, spec.comp, spec.deferTo)
}

# ---------------------------------------------------------------------------
# Files

# unreadable_file says why a file a flag names has no content to judge.
unreadable_file(obj, path) := "does not exist" if {
	some m in object.get(obj, ["data", "vigil", "missing"], [])
	m.path == path
} else := "could not be read; check it by hand"

# select returns the files at a dotted selector ("data.PKIDir", or
# "data.PKIFiles[*]" for each file of a list) with their paths.
select(obj, sel) := [{"file": f, "path": sel}] if {
	not endswith(sel, "[*]")
	f := object.get(obj, split(sel, "."), null)
	is_object(f)
}

select(obj, sel) := [{"file": f, "path": sprintf("%s[%d]", [base, i])} |
	some i, f in object.get(obj, split(base, "."), [])
] if {
	endswith(sel, "[*]")
	base := trim_suffix(sel, "[*]")
}

suffix_ok(spec, path) if not spec.suffixes

suffix_ok(spec, path) if {
	some s in spec.suffixes
	endswith(path, s)
}

files(obj, spec) := [f |
	some sel in spec.files
	some f in select(obj, sel)
	suffix_ok(spec, f.file.path)
]

octal(mode) := sprintf("%04o", [mode])

# file_mode fails each file of the spec whose mode grants more than
# spec.max (an integer mode).
file_mode(obj, spec) := {a |
	some f in files(obj, spec)
	is_number(f.file.permissions)
	not cautils.unix_permissions_allow(spec.max, f.file.permissions)
	msg := sprintf("%s on node %s has mode %s; it should be %s or stricter", [f.file.path, node(obj), octal(f.file.permissions), octal(spec.max)])
	a := alert(obj, msg, spec.score, [concat(".", [f.path, "permissions"])], [])
}

owner_name(own) := sprintf("%s:%s", [object.get(own, "username", sprintf("%v", [own.uid])), object.get(own, "groupname", sprintf("%v", [own.gid]))])

owned_by(own, "root", "root") if {
	own.uid == 0
	own.gid == 0
}

owned_by(own, user, group) if {
	user != "root"
	own.username == user
	own.groupname == group
}

# file_owner fails each file of the spec not owned by spec.user and
# spec.group. An owner the collector could not read is not judged.
file_owner(obj, spec) := {a |
	some f in files(obj, spec)
	own := f.file.ownership
	object.get(own, "err", "") == ""
	not owned_by(own, spec.user, spec.group)
	msg := sprintf("%s on node %s is owned by %s; it should be owned by %s:%s", [f.file.path, node(obj), owner_name(own), spec.user, spec.group])
	a := alert(obj, msg, spec.score, [concat(".", [f.path, "ownership"])], [])
}

# ---------------------------------------------------------------------------
# Encryption at rest

strong_providers := {"aescbc", "kms", "secretbox"}

secrets_patterns := {"secrets", "*.", "*.*"}

# encryption_alerts judges the provider that encrypts Secrets: the first
# provider of the first resources entry that covers them (the API server's
# own choice when wildcards overlap).
encryption_alerts(obj, score) := ({a |
	present(obj, "apiserver")
	not from_flag(obj, "apiserver", "encryption-provider-config")
	msg := sprintf("%s stores Secrets unencrypted: --encryption-provider-config is not set", [label(obj, "apiserver")])
	a := alert(obj, msg, score, [], ["data.APIServerInfo.cmdLine"])
} | {a |
	present(obj, "apiserver")
	from_flag(obj, "apiserver", "encryption-provider-config")
	f := obj.data.APIServerInfo.encryptionProviderConfigFile
	problem := encryption_problem(decode(f))
	msg := sprintf("%s: %s %s", [label(obj, "apiserver"), f.path, problem])
	a := alert(obj, msg, score, ["data.APIServerInfo.encryptionProviderConfigFile.content"], [])
}) | {a |
	present(obj, "apiserver")
	s := from_flag(obj, "apiserver", "encryption-provider-config")
	not decode(object.get(obj.data.APIServerInfo, "encryptionProviderConfigFile", {}))
	msg := sprintf("%s: the encryption configuration %s %s", [label(obj, "apiserver"), s.value, unreadable_file(obj, s.value)])
	a := alert(obj, msg, score, [], ["data.APIServerInfo.cmdLine"])
}

secrets_entries(conf) := [e |
	some e in object.get(conf, "resources", [])
	some r in object.get(e, "resources", [])
	r in secrets_patterns
]

encryption_problem(conf) := "does not list secrets, so they are stored unencrypted" if {
	count(secrets_entries(conf)) == 0
} else := sprintf("encrypts secrets with aesgcm, whose keys must be rotated every 200,000 writes; use kms, aescbc or secretbox", []) if {
	first_provider(conf) == "aesgcm"
} else := sprintf("leaves Secrets unencrypted: the first provider for secrets is %s", [first_provider(conf)]) if {
	not first_provider(conf) in strong_providers
}

first_provider(conf) := name if {
	some name, _ in secrets_entries(conf)[0].providers[0]
} else := "none"

# ---------------------------------------------------------------------------
# etcd's certificate authority

# etcd_shared_ca_alerts fails etcd trusting the CA file the API server
# takes client certificates from: every identity the cluster CA signs
# would then be an etcd client.
etcd_shared_ca_alerts(obj, score) := {a |
	e := setting(obj, "etcd", "trusted-ca-file", ["client-transport-security", "trusted-ca-file"])
	api := from_flag(obj, "apiserver", "client-ca-file")
	e.value == api.value
	msg := sprintf("etcd on node %s trusts %s, the CA kube-apiserver accepts client certificates from (--client-ca-file): every certificate that CA issues can reach etcd", [node(obj), e.value])
	a := alert(obj, msg, score, [e.path], [])
}

# ---------------------------------------------------------------------------
# Audit policy

levels := {"None": 0, "Metadata": 1, "Request": 2, "RequestResponse": 3}

# audit_policy is the API server's decoded audit policy; undefined when
# there is none or it cannot be read.
audit_policy(obj) := decode(obj.data.APIServerInfo.auditPolicyFile)

no_policy_alert(obj, score) := a if {
	present(obj, "apiserver")
	not from_flag(obj, "apiserver", "audit-policy-file")
	msg := sprintf("%s records no audit events: --audit-policy-file is not set", [label(obj, "apiserver")])
	a := alert(obj, msg, score, [], ["data.APIServerInfo.cmdLine"])
} else := a if {
	present(obj, "apiserver")
	s := from_flag(obj, "apiserver", "audit-policy-file")
	not audit_policy(obj)
	msg := sprintf("%s: the audit policy %s %s", [label(obj, "apiserver"), s.value, unreadable_file(obj, s.value)])
	a := alert(obj, msg, score, [], ["data.APIServerInfo.cmdLine"])
}

# audit_policy_alerts fails a missing policy and one that records nothing.
audit_policy_alerts(obj, score) := {a |
	a := no_policy_alert(obj, score)
} | {a |
	present(obj, "apiserver")
	p := audit_policy(obj)
	problem := empty_policy(p)
	msg := sprintf("%s: the audit policy %s %s", [label(obj, "apiserver"), obj.data.APIServerInfo.auditPolicyFile.path, problem])
	a := alert(obj, msg, score, ["data.APIServerInfo.auditPolicyFile.content"], [])
}

empty_policy(p) := "has no rules, so nothing is recorded" if {
	count(object.get(p, "rules", [])) == 0
} else := "records nothing: every rule has level None" if {
	every r in p.rules {
		object.get(r, "level", "None") == "None"
	}
}

# The requests an audit trail needs, by concern. Sensitive resources must
# be recorded at exactly Metadata: Request keeps the bodies of writes,
# RequestResponse everything, secret values included.
audit_requests := [
	{"group": "", "resource": "secrets", "verb": "get", "sensitive": true},
	{"group": "", "resource": "secrets", "verb": "create", "sensitive": true},
	{"group": "", "resource": "secrets", "verb": "update", "sensitive": true},
	{"group": "", "resource": "configmaps", "verb": "get", "sensitive": true},
	{"group": "", "resource": "configmaps", "verb": "update", "sensitive": true},
	{"group": "authentication.k8s.io", "resource": "tokenreviews", "verb": "create", "sensitive": true},
	{"group": "", "resource": "pods", "verb": "create"},
	{"group": "", "resource": "pods", "verb": "update"},
	{"group": "", "resource": "pods", "verb": "patch"},
	{"group": "", "resource": "pods", "verb": "delete"},
	{"group": "apps", "resource": "deployments", "verb": "create"},
	{"group": "apps", "resource": "deployments", "verb": "update"},
	{"group": "apps", "resource": "deployments", "verb": "patch"},
	{"group": "apps", "resource": "deployments", "verb": "delete"},
	{"group": "", "resource": "pods", "sub": "exec", "verb": "create"},
	{"group": "", "resource": "pods", "sub": "attach", "verb": "create"},
	{"group": "", "resource": "pods", "sub": "portforward", "verb": "create"},
	{"group": "", "resource": "pods", "sub": "proxy", "verb": "get"},
	{"group": "", "resource": "services", "sub": "proxy", "verb": "get"},
]

req_name(req) := concat("/", [req.resource, req.sub]) if {
	req.sub
} else := req.resource

# rule_resource_matches follows the API server's audit policy checker:
# "*" matches everything, "*/sub" a subresource of anything, "res/*" a
# resource and its subresources.
rule_resource_matches(res, req) if res == "*"

rule_resource_matches(res, req) if res == req_name(req)

rule_resource_matches(res, req) if {
	req.sub
	res == concat("", ["*/", req.sub])
}

rule_resource_matches(res, req) if res == concat("", [req.resource, "/*"])

rule_matches(rule, req) if {
	count(object.get(rule, "users", [])) == 0
	count(object.get(rule, "userGroups", [])) == 0
	count(object.get(rule, "namespaces", [])) == 0
	count(object.get(rule, "nonResourceURLs", [])) == 0
	verbs_match(rule, req)
	resources_match(rule, req)
}

verbs_match(rule, req) if count(object.get(rule, "verbs", [])) == 0

verbs_match(rule, req) if req.verb in rule.verbs

resources_match(rule, req) if count(object.get(rule, "resources", [])) == 0

resources_match(rule, req) if {
	some gr in rule.resources
	object.get(gr, "group", "") == req.group
	count(object.get(gr, "resourceNames", [])) == 0
	group_resources_match(gr, req)
}

group_resources_match(gr, req) if count(object.get(gr, "resources", [])) == 0

group_resources_match(gr, req) if {
	some res in gr.resources
	rule_resource_matches(res, req)
}

# audit_level is the level the policy records a request at: the first
# matching rule's, None when no rule matches.
audit_level(p, req) := object.get(p.rules[i], "level", "None") if {
	matching := [j | some j, r in object.get(p, "rules", []); rule_matches(r, req)]
	count(matching) > 0
	i := matching[0]
} else := "None"

leaks(level, req) if level == "RequestResponse"

leaks("Request", req) if req.verb in {"create", "update", "patch"}

# audit_gaps describes, per resource, the verbs the policy does not record
# and the verbs it records with their contents.
audit_gaps(p) := array.concat(
	[sprintf("%s not recorded (%s)", [n, concat(", ", vs)]) |
		some n in names
		vs := [req.verb | some req in audit_requests; req_name(req) == n; audit_level(p, req) == "None"]
		count(vs) > 0
	],
	[sprintf("%s recorded at %s, which copies their contents into the log (%s)", [n, lvl, concat(", ", vs)]) |
		some n in names
		vs := [req.verb | some req in audit_requests; req_name(req) == n; req.sensitive; leaks(audit_level(p, req), req)]
		count(vs) > 0
		lvl := [audit_level(p, req) | some req in audit_requests; req_name(req) == n; req.verb == vs[0]][0]
	],
) if {
	names := {req_name(req) | some req in audit_requests}
}

# audit_coverage_alerts fails a policy that leaves a key request
# unrecorded, or records a sensitive one with its contents.
audit_coverage_alerts(obj, score) := {a |
	a := no_policy_alert(obj, score)
} | {a |
	present(obj, "apiserver")
	p := audit_policy(obj)
	gaps := audit_gaps(p)
	count(gaps) > 0
	msg := sprintf("%s: the audit policy %s misses key requests: %s", [label(obj, "apiserver"), obj.data.APIServerInfo.auditPolicyFile.path, concat("; ", gaps)])
	a := alert(obj, msg, score, ["data.APIServerInfo.auditPolicyFile.content"], [])
}
