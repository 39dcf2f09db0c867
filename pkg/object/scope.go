package object

// clusterScoped lists the built-in kinds that live outside namespaces. Custom
// resources are assumed namespaced unless a cluster says otherwise.
var clusterScoped = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true, "ComponentStatus": true,
	"ClusterRole": true, "ClusterRoleBinding": true,
	"CustomResourceDefinition": true, "APIService": true,
	"MutatingWebhookConfiguration": true, "ValidatingWebhookConfiguration": true,
	"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
	"MutatingAdmissionPolicy": true, "MutatingAdmissionPolicyBinding": true,
	"StorageClass": true, "CSIDriver": true, "CSINode": true, "VolumeAttachment": true,
	"PriorityClass": true, "RuntimeClass": true, "IngressClass": true,
	"PodSecurityPolicy": true, "CertificateSigningRequest": true,
	"FlowSchema": true, "PriorityLevelConfiguration": true,
	"GatewayClass": true, "ClusterIssuer": true,
	"SelfSubjectAccessReview": true, "SelfSubjectRulesReview": true, "SubjectAccessReview": true,
	"TokenReview": true, "IPAddress": true, "ServiceCIDR": true,
	"DeviceClass": true, "ResourceSlice": true,
}

// IsClusterScoped reports whether objects of a kind live outside namespaces.
func IsClusterScoped(kind string) bool { return clusterScoped[kind] }

// EffectiveNamespace is the namespace an object lands in when applied: its
// own, or "default" for a namespaced object that names none. Cluster-scoped
// objects have none.
func (o *Object) EffectiveNamespace() string {
	if IsClusterScoped(o.ID.Kind) {
		if o.ID.Kind == "Namespace" {
			return o.ID.Name
		}
		return ""
	}
	if o.ID.Namespace == "" {
		return "default"
	}
	return o.ID.Namespace
}
