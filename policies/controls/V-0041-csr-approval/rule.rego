package armo_builtins

import data.vigil.rbac

subject_key(v) := concat("/", [v.kind, rbac.subject_namespace(v), v.name])

# Subjects that hold each half of the approval permission, from any of
# their bindings.
can_update_approval := {subject_key(v) |
	some v in input
	idx := rbac.grant_index(v)
	idx.csr_approval
}

can_approve_signer := {subject_key(v) |
	some v in input
	idx := rbac.grant_index(v)
	idx.signer_approve
}

deny contains msga if {
	some vector in input
	hs := rbac.hits_any(vector, ["csr_approval", "signer_approve"])
	count(hs) > 0
	key := subject_key(vector)
	key in can_update_approval
	key in can_approve_signer
	not rbac.system_subject(vector)
	msga := rbac.grant_alert(vector, "approve certificate signing requests", hs, 8)
}
