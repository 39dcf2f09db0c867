# METADATA
# title: Service without a team annotation
# custom:
#   id: ACME-0003
#   severity: low
#   kinds: [Service]
#   frameworks: [acme-baseline]
package acme.services

deny contains msg if {
	not input.metadata.annotations["acme.example/team"]
	msg := sprintf("Service %s has no acme.example/team annotation", [input.metadata.name])
}
