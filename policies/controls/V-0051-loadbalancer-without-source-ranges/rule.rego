package armo_builtins

import data.vigil.network

_open := {"0.0.0.0/0", "::/0"}

_public_lb(svc) if {
	svc.kind == "Service"
	svc.spec.type == "LoadBalancer"
	not network.internal_lb_annotations(object.get(svc, ["metadata", "annotations"], {}))
	not _annotated_ranges(svc)
}

# The legacy annotation restricts sources like the field does (the field
# wins when both are set).
_annotated_ranges(svc) if {
	count(network.as_array(object.get(svc, ["spec", "loadBalancerSourceRanges"], []))) == 0
	a := svc.metadata.annotations["service.beta.kubernetes.io/load-balancer-source-ranges"]
	ranges := [trim_space(r) | some r in split(a, ","); trim_space(r) != ""]
	some r in ranges
	not r in _open
}

# No ranges at all.
deny contains msga if {
	some svc in input
	_public_lb(svc)
	count(network.as_array(object.get(svc, ["spec", "loadBalancerSourceRanges"], []))) == 0
	msga := network.make(
		svc,
		sprintf("LoadBalancer %s sets no loadBalancerSourceRanges: it accepts connections from any address", [network.where(svc)]),
		6,
		{
			"failed": ["spec.loadBalancerSourceRanges"],
			"fix": [{"path": "spec.loadBalancerSourceRanges[0]", "value": "YOUR_CIDR"}],
		},
		[],
	)
}

# A range that covers every address, beside narrower ones: deleting it
# leaves the narrower ones in force.
deny contains msga if {
	some svc in input
	_public_lb(svc)
	ranges := network.as_array(svc.spec.loadBalancerSourceRanges)
	open := [i | some i, r in ranges; trim_space(r) in _open]
	count(open) > 0
	count(open) < count(ranges)
	paths := [sprintf("spec.loadBalancerSourceRanges[%d]", [i]) | some i in open]
	msga := network.make(
		svc,
		sprintf("LoadBalancer %s lists a source range that covers every address: it accepts connections from anywhere", [network.where(svc)]),
		6,
		{"failed": paths, "delete": paths},
		[],
	)
}

# Only ranges that cover every address: they must be replaced.
deny contains msga if {
	some svc in input
	_public_lb(svc)
	ranges := network.as_array(svc.spec.loadBalancerSourceRanges)
	count(ranges) > 0
	every r in ranges {
		trim_space(r) in _open
	}
	paths := [sprintf("spec.loadBalancerSourceRanges[%d]", [i]) | some i, _ in ranges]
	msga := network.make(
		svc,
		sprintf("LoadBalancer %s only allows source ranges that cover every address: it accepts connections from anywhere", [network.where(svc)]),
		6,
		{"failed": paths, "fix": [{"path": "spec.loadBalancerSourceRanges[0]", "value": "YOUR_CIDR"}]},
		[],
	)
}
