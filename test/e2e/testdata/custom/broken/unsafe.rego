# METADATA
# title: Broken rule
# custom:
#   id: BROKEN-1
#   severity: low
#   kinds: [Pod]
package acme.broken

deny contains msg if {
	input.spec.hostNetwork
	msg := reason
}
