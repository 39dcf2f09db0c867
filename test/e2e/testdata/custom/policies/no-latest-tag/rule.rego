# METADATA
# title: Image without a pinned tag
# description: An image tagged latest, or not tagged, changes under the workload without a deploy.
# custom:
#   id: ACME-0002
#   severity: medium
#   remediation: Pin every image to a version tag or a digest.
#   kinds: [workloads]
package acme.images

import data.vigil.workload

deny contains msg if {
	some c in workload.containers(input)
	image := c.container.image
	not contains(image, "@")
	not pinned(image)
	msg := sprintf("container %q of %s %s uses image %q without a pinned tag", [c.container.name, input.kind, input.metadata.name, image])
}

pinned(image) if {
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	not endswith(last, ":latest")
}
