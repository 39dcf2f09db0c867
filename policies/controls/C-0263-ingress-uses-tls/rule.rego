package armo_builtins

import data.vigil.network

# Annotations that put a certificate on the cloud load balancer in front of
# the Ingress.
_lb_certificate_annotations := {
	"alb.ingress.kubernetes.io/certificate-arn",
	"ingress.gcp.kubernetes.io/pre-shared-cert",
	"networking.gke.io/managed-certificates",
	"appgw.ingress.kubernetes.io/appgw-ssl-certificate",
}

_lb_certificate(ing) if {
	some k, v in network.as_object(object.get(ing, ["metadata", "annotations"], {}))
	k in _lb_certificate_annotations
	v != ""
}

_tls(ing) := network.as_array(object.get(ing, ["spec", "tls"], []))

_hosts(ing) := [r.host | some r in network.as_array(object.get(ing, ["spec", "rules"], [])); is_string(r.host); r.host != ""]

deny contains msga if {
	some ing in input
	ing.kind == "Ingress"
	count(_tls(ing)) == 0
	not _lb_certificate(ing)
	hosts := _hosts(ing)
	msga := network.make(
		ing,
		sprintf("%s has no TLS configuration: %s", [network.where(ing), _served(hosts)]),
		6,
		{
			"failed": ["spec.tls"],
			"fix": array.concat(
				[{"path": sprintf("spec.tls[0].hosts[%d]", [i]), "value": h} | some i, h in _unique(hosts)],
				[{"path": "spec.tls[0].secretName", "value": "YOUR_TLS_SECRET"}],
			),
		},
		[],
	)
}

deny contains msga if {
	some ing in input
	ing.kind == "Ingress"
	tls := _tls(ing)
	count(tls) > 0
	not _lb_certificate(ing)
	not _catch_all(tls)
	uncovered := [[i, r.host] |
		some i, r in network.as_array(ing.spec.rules)
		is_string(r.host)
		r.host != ""
		not _covered(r.host, tls)
	]
	count(uncovered) > 0
	msga := network.make(
		ing,
		sprintf("%s serves %s without TLS: no tls entry lists %s", [
			network.where(ing),
			concat(", ", [u[1] | some u in uncovered]),
			_them(uncovered),
		]),
		6,
		{"failed": [sprintf("spec.rules[%d].host", [u[0]]) | some u in uncovered], "review": ["spec.tls"]},
		[],
	)
}

_served(hosts) := "all its hosts are served over plain HTTP" if count(hosts) == 0

else := sprintf("%s served over plain HTTP", [concat(", ", _unique(hosts))])

_them(uncovered) := "it" if count(uncovered) == 1

else := "them"

_unique(xs) := [x | some i, x in xs; not x in array.slice(xs, 0, i)]

# A tls entry without hosts applies to every host the controller serves.
_catch_all(tls) if {
	some t in tls
	count(network.as_array(object.get(t, "hosts", []))) == 0
}

_covered(host, tls) if {
	some t in tls
	some h in network.as_array(t.hosts)
	_host_matches(lower(h), lower(host))
}

_host_matches(h, h)

# A wildcard certificate host covers exactly one more label.
_host_matches(h, host) if {
	startswith(h, "*.")
	not startswith(host, "*.")
	suffix := substring(h, 1, -1)
	endswith(host, suffix)
	not contains(trim_suffix(host, suffix), ".")
}
