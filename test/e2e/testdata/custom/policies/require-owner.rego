# METADATA
# title: Workload without an owner label
# description: >-
#   Every workload carries an "owner" label naming the team that runs it,
#   so that an alert about it reaches someone who can act.
# related_resources:
#   - https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
# custom:
#   id: ACME-0001
#   severity: high
#   remediation: Add metadata.labels.owner with the name of the owning team.
#   kinds: [Deployment, StatefulSet, DaemonSet]
#   frameworks: [security, acme-baseline]
package armo_builtins

deny contains alert if {
	some obj in input
	not obj.metadata.labels.owner
	alert := {
		"alertMessage": sprintf("%s %s has no owner label", [obj.kind, obj.metadata.name]),
		"alertScore": 7,
		"failedPaths": [],
		"fixPaths": [{"path": "metadata.labels.owner", "value": "YOUR_TEAM"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
