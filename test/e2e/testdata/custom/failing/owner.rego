# METADATA
# title: Owner label
# custom:
#   id: FAIL-1
#   severity: low
#   kinds: [Deployment]
package acme.failing

deny contains msg if {
	not input.metadata.labels.owner
	msg := "no owner"
}
