# Helpers for RBAC rules that use the subject-role-rolebinding aggregator:
# each input is a subject vector (the subject's own fields plus
# relatedObjects, holding the role when known and the binding).
package vigil.rbac

# binding returns the binding of a subject vector and its index.
binding(vector) := [i, b] if {
	some i, b in vector.relatedObjects
	endswith(b.kind, "Binding")
}

# role returns the role of a subject vector and its index (undefined when
# the role is not among the scanned objects).
role(vector) := [i, r] if {
	some i, r in vector.relatedObjects
	r.kind in {"Role", "ClusterRole"}
}

# subject_index is the index of the vector's subject in its binding.
subject_index(vector, b) := i if {
	some i, s in b.subjects
	s.kind == vector.kind
	s.name == vector.name
	object.get(s, "namespace", "") == object.get(vector, "namespace", "")
}

# subject_name renders "Kind namespace/name" for messages.
subject_name(v) := sprintf("%s %s/%s", [v.kind, v.namespace, v.name]) if v.namespace
else := sprintf("%s %s", [v.kind, v.name])

# system_subject is true for subjects that belong to Kubernetes itself.
system_subject(v) if startswith(v.name, "system:")

system_subject(v) if v.namespace in {"kube-system"}

# grants is true when a policy rule of the role covers the verb on the
# resource in the API group, wildcards included.
grants(rule, group, resource, verb) if {
	some g in rule.apiGroups
	g in {group, "*"}
	some r in rule.resources
	r in {resource, "*"}
	some v in rule.verbs
	v in {verb, "*"}
}

# rule_paths gives the paths of a role rule's verbs and resources inside a
# vector: relatedObjects[i].rules[j].
rule_path(ri, j) := sprintf("relatedObjects[%d].rules[%d]", [ri, j])
