package armo_builtins

import data.vigil.rbac

anonymous_names := {"system:anonymous", "system:unauthenticated"}

# Endpoints Kubernetes serves to everyone on purpose.
public_urls := {
	"/healthz", "/livez", "/readyz", "/version", "/version/",
	"/.well-known/openid-configuration", "/.well-known/openid-configuration/",
	"/openid/v1/jwks", "/openid/v1/jwks/",
}

# public_rule is a role rule that exposes only public information: the
# endpoints above, or kubeadm's cluster-info ConfigMap in kube-public.
public_rule(pr, _) if {
	count(rbac.list(object.get(pr, "resources", []))) == 0
	every u in rbac.list(object.get(pr, "nonResourceURLs", [])) {
		u in public_urls
	}
	every v in pr.verbs {
		v in {"get", "head"}
	}
}

public_rule(pr, b) if {
	b.kind == "RoleBinding"
	b.metadata.namespace == "kube-public"
	pr.apiGroups == [""]
	pr.resources == ["configmaps"]
	pr.resourceNames == ["cluster-info"]
	pr.verbs == ["get"]
}

public_only(vector) if {
	[_, r] := rbac.role(vector)
	[_, b] := rbac.binding(vector)
	every pr in rbac.list(object.get(r, "rules", [])) {
		public_rule(pr, b)
	}
}

public_only(vector) if {
	not rbac.role(vector)
	[_, b] := rbac.binding(vector)
	b.roleRef.kind == "ClusterRole"
	b.roleRef.name in {"system:public-info-viewer", "system:service-account-issuer-discovery"}
}

public_only(vector) if {
	not rbac.role(vector)
	[_, b] := rbac.binding(vector)
	b.kind == "RoleBinding"
	b.roleRef.kind == "Role"
	b.roleRef.name == "kubeadm:bootstrap-signer-clusterinfo"
	b.metadata.namespace == "kube-public"
}

deny contains msga if {
	some vector in input
	vector.name in anonymous_names
	not public_only(vector)
	[_, b] := rbac.binding(vector)
	path := rbac.subject_path(vector)
	msga := {
		"alertMessage": sprintf(
			"%s is a subject of %s %s: anyone who reaches the API server without credentials gets %s %s",
			[rbac.subject_name(vector), b.kind, rbac.name(b), rbac.source_role(vector), rbac.where(vector)],
		),
		"alertScore": 8,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"reviewPaths": [],
		"deletePaths": [path],
		"fixPaths": [],
		"alertObject": {"externalObjects": vector},
	}
}
