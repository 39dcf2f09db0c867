package armo_builtins

import data.vigil.rbac

subject_key(v) := concat("/", [v.kind, rbac.subject_namespace(v), v.name])

# Subjects that hold each half of the approval permission, from any of
# their bindings.
can_update_approval := {subject_key(v) |
	some v in input
	count(rbac.hits(v, "csr_approval")) > 0
}

can_approve_signer := {subject_key(v) |
	some v in input
	count(rbac.hits(v, "signer_approve")) > 0
}

deny contains msga if {
	some vector in input
	not rbac.system_subject(vector)
	key := subject_key(vector)
	key in can_update_approval
	key in can_approve_signer
	hs := rbac.hits(vector, "csr_approval") | rbac.hits(vector, "signer_approve")
	count(hs) > 0
	msga := rbac.grant_alert(vector, "approve certificate signing requests", hs, 8)
}
