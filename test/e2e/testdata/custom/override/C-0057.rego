# METADATA
# title: Privileged container (Acme's rule)
# description: Acme allows privileged containers in the node-agents namespace only.
# custom:
#   id: C-0057
#   severity: critical
#   kinds: [workloads]
package acme.privileged

import data.vigil.workload

deny contains msg if {
	input.metadata.namespace != "node-agents"
	some c in workload.containers(input)
	c.container.securityContext.privileged == true
	msg := sprintf("container %q runs privileged outside node-agents", [c.container.name])
}
