package library

import (
	"fmt"
	"strings"

	"github.com/vigilsec/vigil/pkg/policy"
)

// kindGroups gives the API groups a kind is served from, old ones included,
// so manifests written for retired API versions are still judged.
var kindGroups = map[string][]string{
	"Pod": {""}, "ReplicationController": {""}, "Service": {""}, "ConfigMap": {""}, "Secret": {""},
	"ServiceAccount": {""}, "Namespace": {""}, "Node": {""}, "PersistentVolume": {""},
	"PersistentVolumeClaim": {""}, "LimitRange": {""}, "ResourceQuota": {""}, "Endpoints": {""},
	"Deployment": {"apps", "extensions"}, "ReplicaSet": {"apps", "extensions"},
	"DaemonSet": {"apps", "extensions"}, "StatefulSet": {"apps"},
	"Job": {"batch"}, "CronJob": {"batch"},
	"Role": {"rbac.authorization.k8s.io"}, "ClusterRole": {"rbac.authorization.k8s.io"},
	"RoleBinding": {"rbac.authorization.k8s.io"}, "ClusterRoleBinding": {"rbac.authorization.k8s.io"},
	"NetworkPolicy": {"networking.k8s.io", "extensions"}, "Ingress": {"networking.k8s.io", "extensions"},
	"IngressClass":                   {"networking.k8s.io"},
	"PodDisruptionBudget":            {"policy"},
	"PodSecurityPolicy":              {"policy", "extensions"},
	"HorizontalPodAutoscaler":        {"autoscaling"},
	"CustomResourceDefinition":       {"apiextensions.k8s.io"},
	"APIService":                     {"apiregistration.k8s.io"},
	"ValidatingWebhookConfiguration": {"admissionregistration.k8s.io"},
	"MutatingWebhookConfiguration":   {"admissionregistration.k8s.io"},
	"ValidatingAdmissionPolicy":      {"admissionregistration.k8s.io"},
	"StorageClass":                   {"storage.k8s.io"},
	"CSIDriver":                      {"storage.k8s.io"},
	"RuntimeClass":                   {"node.k8s.io"},
	"PriorityClass":                  {"scheduling.k8s.io"},
	"CertificateSigningRequest":      {"certificates.k8s.io"},
}

// groupAliases name common sets of kinds.
var groupAliases = map[string][]string{
	"workloads": {"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"},
	"rbac":      {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"},
	"webhooks":  {"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"},
}

// KindMatch turns a kind shorthand into rule matches: a kind name
// ("Deployment"), an alias ("workloads", "rbac", "webhooks") or an explicit
// "group/version/Kind" ("networking.istio.io/*/Gateway", "*/*/Kind").
func KindMatch(k string) ([]policy.Match, error) {
	if kinds, ok := groupAliases[k]; ok {
		var out []policy.Match
		for _, kind := range kinds {
			m, err := KindMatch(kind)
			if err != nil {
				return nil, err
			}
			out = append(out, m...)
		}
		return out, nil
	}
	if parts := strings.Split(k, "/"); len(parts) == 3 {
		return []policy.Match{{APIGroups: []string{parts[0]}, APIVersions: []string{parts[1]}, Resources: []string{parts[2]}}}, nil
	}
	groups, ok := kindGroups[k]
	if !ok {
		return nil, fmt.Errorf("unknown kind %q: use group/version/Kind for kinds outside the built-in table", k)
	}
	return []policy.Match{{APIGroups: groups, APIVersions: []string{"*"}, Resources: []string{k}}}, nil
}
