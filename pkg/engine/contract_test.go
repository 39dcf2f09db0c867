package engine

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/source"
)

const objects = `apiVersion: v1
kind: Pod
metadata: {name: priv, namespace: a}
spec:
  containers:
  - name: c
    image: nginx
    securityContext: {privileged: true}
    ports: [{containerPort: 80, hostPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: a}
spec:
  containers: [{name: c, image: "ghcr.io/acme/app:1.0"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: a}
spec:
  template:
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: all, namespace: a}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bind-all, namespace: a}
roleRef: {kind: Role, name: all, apiGroup: rbac.authorization.k8s.io}
subjects:
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: builder, namespace: a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admins}
roleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}
subjects:
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
`

var podMatch = []policy.Match{{APIGroups: []string{""}, APIVersions: []string{"v1"}, Resources: []string{"Pod"}}}

func inventory(t *testing.T) *source.Inventory {
	t.Helper()
	res := manifest.Decode([]byte(objects), manifest.Options{Path: "objects.yaml"})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	return &source.Inventory{Target: source.TargetFile, Objects: res.Objects}
}

func run(t *testing.T, rule *policy.Rule, opts Options) (*Result, *RuleResult) {
	t.Helper()
	c := &policy.Control{ControlID: "C-TEST", Name: "test", BaseScore: 5, Rules: []*policy.Rule{rule}}
	e, err := New(context.Background(), []*policy.Control{c}, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Evaluate(context.Background(), inventory(t))
	if err != nil {
		t.Fatal(err)
	}
	return res, res.Controls[0].Rules[0]
}

// verdicts renders a rule result as "name=paths" for failed objects and
// "name" for passed ones, sorted.
func verdicts(res *Result, rr *RuleResult) []string {
	var out []string
	for _, i := range rr.Scope {
		o := res.Objects[i]
		s := o.ID.Kind + "/" + o.ID.Name
		if as := rr.Alerts[i]; len(as) > 0 {
			var paths []string
			for _, a := range as {
				paths = append(paths, a.FailedPaths...)
				for _, f := range a.FixPaths {
					paths = append(paths, f.Path+"="+f.Value)
				}
			}
			s += "=" + strings.Join(paths, ",")
		}
		if msg, ok := rr.Errored[i]; ok {
			s += "!" + msg[:min(len(msg), 20)]
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestRuleContract(t *testing.T) {
	cases := []struct {
		name string
		rule *policy.Rule
		opts Options
		want []string
		skip string
	}{
		{
			name: "v0 syntax, every set read as alerts, paths and fixes",
			rule: &policy.Rule{Name: "priv", Match: podMatch, Rule: `package armo_builtins
deny[msga] {
	pod := input[_]
	c := pod.spec.containers[i]
	c.securityContext.privileged == true
	p := sprintf("spec.containers[%v].securityContext.privileged", [i])
	msga := {"alertMessage": "priv", "failedPaths": [p], "fixPaths": [{"path": p, "value": "false"}], "alertObject": {"k8sApiObjects": [pod]}}
}
violation[msga] {
	pod := input[_]
	pod.spec.containers[i].ports[j].hostPort
	msga := {"alertMessage": "port", "failedPaths": [sprintf("spec.containers[%v].ports[%v].hostPort", [i, j])], "alertObject": {"k8sApiObjects": [pod]}}
}
helper_strings[x] { x := "not an alert" }`},
			want: []string{"Pod/plain", "Pod/priv=spec.containers[0].ports[0].hostPort,spec.containers[0].securityContext.privileged,spec.containers[0].securityContext.privileged=false"},
		},
		{
			name: "v1 syntax with control inputs",
			rule: &policy.Rule{Name: "registry", Match: podMatch,
				ControlConfigInputs: []policy.ControlInputRef{{Path: "settings.postureControlInputs.allowed"}},
				Rule: `package armo_builtins
deny contains msga if {
	pod := input[_]
	some i, c in pod.spec.containers
	not allowed(image.parse_normalized_name(c.image))
	msga := {"alertMessage": "registry", "failedPaths": [sprintf("spec.containers[%d].image", [i])], "alertObject": {"k8sApiObjects": [pod]}}
}
allowed(img) if {
	some prefix in data.postureControlInputs.allowed
	startswith(img, prefix)
}`},
			opts: Options{Inputs: policy.Inputs{"allowed": {"ghcr.io/acme/"}}},
			want: []string{"Pod/plain", "Pod/priv=spec.containers[0].image"},
		},
		{
			name: "match by apiGroup and wildcard version selects Deployments only",
			rule: &policy.Rule{Name: "deploys", Match: []policy.Match{{APIGroups: []string{"apps"}, APIVersions: []string{"*"}, Resources: []string{"Deployment"}}},
				Rule: `package armo_builtins
deny contains {"alertMessage": "d", "failedPaths": ["spec"], "alertObject": {"k8sApiObjects": [o]}} if { some o in input }`},
			want: []string{"Deployment/web=spec"},
		},
		{
			name: "resource enumerator narrows the scope",
			rule: &policy.Rule{Name: "enum", Match: podMatch,
				ResourceEnumerator: `package armo_builtins
deny contains {"alertObject": {"k8sApiObjects": [p]}} if { some p in input; p.metadata.name == "priv" }`,
				Rule: `package armo_builtins
deny contains {"alertMessage": "x", "failedPaths": [], "alertObject": {"k8sApiObjects": [p]}} if { some p in input; p.metadata.name == "nothing" }`},
			want: []string{"Pod/priv"},
		},
		{
			name: "subject-role-rolebinding aggregator gives one vector per binding subject",
			rule: &policy.Rule{Name: "rbac", Attributes: map[string]any{"resourcesAggregator": "subject-role-rolebinding"},
				Match: []policy.Match{{APIGroups: []string{"rbac.authorization.k8s.io"}, APIVersions: []string{"v1"}, Resources: []string{"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}}},
				Rule: `package armo_builtins
deny contains msga if {
	v := input[_]
	role := v.relatedObjects[i]
	endswith(role.kind, "Role")
	binding := v.relatedObjects[j]
	endswith(binding.kind, "Binding")
	role.rules[k].verbs[_] == "*"
	msga := {"alertMessage": sprintf("%s %s", [v.kind, v.name]), "failedPaths": [sprintf("relatedObjects[%d].rules[%d].verbs", [i, k])], "alertObject": {"externalObjects": v}}
}`},
			want: []string{"ServiceAccount/builder=relatedObjects[0].rules[0].verbs", "User/alice=relatedObjects[0].rules[0].verbs"},
		},
		{
			name: "cautils and kubernetes.api.client dependencies",
			rule: &policy.Rule{Name: "deps", Match: podMatch,
				RuleDependencies: []policy.RuleDependency{{PackageName: "cautils"}},
				Rule: `package armo_builtins
import data.cautils
deny contains {"alertMessage": "m", "failedPaths": ["metadata.name"], "alertObject": {"k8sApiObjects": [p]}} if {
	some p in input
	cautils.list_contains(["priv"], p.metadata.name)
	cautils.unix_permissions_allow(420, 384)
	not cautils.unix_permissions_allow(384, 420)
	cautils.unix_permission(493).group.execute
}`},
			want: []string{"Pod/plain", "Pod/priv=metadata.name"},
		},
		{
			name: "rules that query the live API are skipped in file scans",
			rule: &policy.Rule{Name: "live", Match: podMatch, Rule: `package armo_builtins
import data.kubernetes.api.client
deny contains {"alertMessage": "m", "alertObject": {"k8sApiObjects": [x]}} if { x := client.query_all("pods") }`},
			skip: "needs live Kubernetes API queries",
		},
		// Host-sensor rules: see TestHostRulesByTarget.
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, rr := run(t, tc.rule, tc.opts)
			if tc.skip != "" {
				if !strings.Contains(rr.Skipped, tc.skip) {
					t.Fatalf("skipped = %q, want %q", rr.Skipped, tc.skip)
				}
				return
			}
			if rr.Skipped != "" {
				t.Fatalf("skipped: %s", rr.Skipped)
			}
			if got := verdicts(res, rr); !slices.Equal(got, tc.want) {
				t.Errorf("verdicts:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestRelatedObjectsAndVia(t *testing.T) {
	rule := &policy.Rule{Name: "rbac", Attributes: map[string]any{"resourcesAggregator": "subject-role-rolebinding"},
		Match: []policy.Match{{APIGroups: []string{"rbac.authorization.k8s.io"}, APIVersions: []string{"*"}, Resources: []string{"RoleBinding", "ClusterRoleBinding", "Role", "ClusterRole"}}},
		Rule: `package armo_builtins
deny contains msga if {
	v := input[_]
	b := v.relatedObjects[i]
	b.kind == "ClusterRoleBinding"
	msga := {"alertMessage": "admin", "failedPaths": [sprintf("relatedObjects[%d].roleRef.name", [i])],
		"relatedObjects": [{"object": b, "reviewPaths": ["roleRef"]}],
		"alertObject": {"externalObjects": v}}
}`}
	res, rr := run(t, rule, Options{})
	var alice int = -1
	for _, i := range rr.Scope {
		if res.Objects[i].ID.Name == "alice" {
			alice = i
		}
	}
	as := rr.Alerts[alice]
	if len(as) != 1 {
		t.Fatalf("alerts for alice = %+v", as)
	}
	a := as[0]
	// The vector's own related objects come first, so relatedObjects[i]
	// paths resolve to them; then the alert's relatedObjects.
	if len(a.Related) != 2 || a.Related[0].ID.Kind != "ClusterRoleBinding" || a.Related[1].ID.Name != "admins" || a.Related[1].ReviewPaths[0] != "roleRef" {
		t.Errorf("related = %+v", a.Related)
	}
	if subj := res.Objects[alice]; !subj.Synthetic || len(subj.Related) != 3 {
		t.Errorf("subject alice: synthetic=%v related=%d (want role, binding, cluster binding)", subj.Synthetic, len(subj.Related))
	}
}

func TestCompileErrorsNameControlRuleAndLine(t *testing.T) {
	bad := &policy.Control{ControlID: "C-0999", Name: "broken", Rules: []*policy.Rule{{Name: "broken-rule", File: "broken.rego", Match: podMatch,
		Rule: "package armo_builtins\n\ndeny contains msga if {\n\tmsga := undefined_function(input)\n}\n"}}}
	good := &policy.Control{ControlID: "C-0001", Name: "fine", Rules: []*policy.Rule{{Name: "fine", Match: podMatch,
		Rule: "package armo_builtins\ndeny contains x if { x := input[_]; false }\n"}}}
	e, err := New(context.Background(), []*policy.Control{bad, good}, Options{})
	if err == nil {
		t.Fatal("want a compile error")
	}
	msg := err.Error()
	for _, want := range []string{"control C-0999", "rule broken-rule", "broken.rego:4"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	res, err := e.Evaluate(context.Background(), inventory(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Controls[0].Skipped, "did not compile") || res.Controls[1].Skipped != "" {
		t.Errorf("broken control must be skipped, the good one evaluated: %q / %q", res.Controls[0].Skipped, res.Controls[1].Skipped)
	}
}

func TestEvaluationErrorIsolatesObject(t *testing.T) {
	// A complete rule with conflicting values errors at evaluation time,
	// but only for the object that triggers it.
	rule := &policy.Rule{Name: "conflict", Match: podMatch, PerObject: true, Rule: `package armo_builtins
deny contains {"alertMessage": "x", "failedPaths": ["spec"], "alertObject": {"k8sApiObjects": [p]}} if {
	some p in input
	v := value(p)
	v == 1
}
value(p) := 1 if p.metadata.name == "plain"
value(p) := 1 if p.metadata.name == "priv"
value(p) := 2 if p.metadata.name == "priv"`}
	res, rr := run(t, rule, Options{})
	got := verdicts(res, rr)
	if len(got) != 2 || got[0] != "Pod/plain=spec" || !strings.HasPrefix(got[1], "Pod/priv!evaluation failed") {
		t.Errorf("verdicts = %q", got)
	}
}

func TestNormalizeImage(t *testing.T) {
	cases := map[string]string{
		"nginx":                                   "docker.io/library/nginx",
		"nginx:1.27":                              "docker.io/library/nginx:1.27",
		"library/nginx":                           "docker.io/library/nginx",
		"bitnami/redis:7":                         "docker.io/bitnami/redis:7",
		"index.docker.io/library/nginx":           "docker.io/library/nginx",
		"ghcr.io/acme/app:1.0":                    "ghcr.io/acme/app:1.0",
		"localhost/app":                           "localhost/app",
		"registry:5000/team/app:v2":               "registry:5000/team/app:v2",
		"quay.io/prometheus/node-exporter":        "quay.io/prometheus/node-exporter",
		"nginx@sha256:" + strings.Repeat("a", 64): "docker.io/library/nginx@sha256:" + strings.Repeat("a", 64),
	}
	for in, want := range cases {
		got, err := NormalizeImage(in)
		if err != nil || got != want {
			t.Errorf("NormalizeImage(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "Nginx", "nginx:", "a b", "nginx@sha256:short"} {
		if got, err := NormalizeImage(bad); err == nil {
			t.Errorf("NormalizeImage(%q) = %q, want an error", bad, got)
		}
	}
}

// TestDuplicateIdentities: the same Pod defined in two files must get its
// own verdict, with per-object and with relational rules.
func TestDuplicateIdentities(t *testing.T) {
	a := manifest.Decode([]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: nginx}\nspec:\n  containers: [{name: c, image: nginx}]\n"), manifest.Options{Path: "a.yaml"})
	b := manifest.Decode([]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: nginx}\nspec:\n  containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n"), manifest.Options{Path: "b.yaml"})
	inv := &source.Inventory{Target: source.TargetFile, Objects: append(a.Objects, b.Objects...)}
	body := `package armo_builtins
deny contains {"alertMessage": "priv", "failedPaths": ["spec"], "alertObject": {"k8sApiObjects": [p]}} if {
	some p in input
	p.spec.containers[_].securityContext.privileged == true
}`
	for _, perObject := range []bool{true, false} {
		c := &policy.Control{ControlID: "C-1", Rules: []*policy.Rule{{Name: "r", Match: podMatch, PerObject: perObject, Rule: body}}}
		e, err := New(context.Background(), []*policy.Control{c}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Evaluate(context.Background(), inv)
		if err != nil {
			t.Fatal(err)
		}
		rr := res.Controls[0].Rules[0]
		if len(rr.Alerts) != 1 || len(rr.Alerts[1]) != 1 || len(rr.Scope) != 2 {
			t.Errorf("perObject=%v: alerts %v scope %v; want only b.yaml's pod to fail", perObject, rr.Alerts, rr.Scope)
		}
	}
}

// TestServiceAccountSubjectWithoutNamespace: a RoleBinding's service
// account subject without a namespace is the account of the binding's
// namespace; two such bindings in two namespaces are two subjects.
func TestServiceAccountSubjectWithoutNamespace(t *testing.T) {
	res := manifest.Decode([]byte(`apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: a, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
subjects: [{kind: ServiceAccount, name: helper}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: data}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: helper}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: c, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: helper, namespace: shop}]
`), manifest.Options{Path: "sa.yaml"})
	c := &policy.Control{ControlID: "C-1", Rules: []*policy.Rule{{Name: "r", Attributes: map[string]any{"resourcesAggregator": "subject-role-rolebinding"},
		Match: []policy.Match{{APIGroups: []string{"*"}, APIVersions: []string{"*"}, Resources: []string{"RoleBinding"}}},
		Rule: `package armo_builtins
deny contains {"alertMessage": v.relatedObjects[0].roleRef.name, "alertObject": {"externalObjects": v}} if {
	v := input[_]
	v.relatedObjects[0].roleRef.name == "admin"
}`}}}
	e, err := New(context.Background(), []*policy.Control{c}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Evaluate(context.Background(), &source.Inventory{Target: source.TargetFile, Objects: res.Objects})
	if err != nil {
		t.Fatal(err)
	}
	rr := r.Controls[0].Rules[0]
	got := map[string]bool{}
	for _, i := range rr.Scope {
		o := r.Objects[i]
		got[o.ID.Namespace+"/"+o.ID.Name+fmt.Sprint(len(rr.Alerts[i]) > 0)] = true
	}
	if len(got) != 2 || !got["shop/helpertrue"] || !got["data/helperfalse"] {
		t.Errorf("subjects = %v, want shop/helper failing and data/helper passing", got)
	}
}

// TestScanningScope: a control for file scans is not evaluated in a
// cluster scan, and says why.
func TestScanningScope(t *testing.T) {
	c := &policy.Control{ControlID: "C-1", ScanningScope: &policy.ScanningScope{Matches: []string{"file"}}, Rules: []*policy.Rule{{Name: "r", Match: podMatch,
		Rule: "package armo_builtins\ndeny contains {\"alertMessage\": \"x\", \"alertObject\": {\"k8sApiObjects\": [p]}} if { some p in input }"}}}
	e, err := New(context.Background(), []*policy.Control{c}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	inv := inventory(t)
	inv.Target = source.TargetCluster
	res, err := e.Evaluate(context.Background(), inv)
	if err != nil {
		t.Fatal(err)
	}
	if cr := res.Controls[0]; !strings.Contains(cr.NotApplicable, "file scans only") || len(cr.Rules) != 0 {
		t.Errorf("control result = %+v", cr)
	}
	inv.Target = source.TargetFile
	if res, _ = e.Evaluate(context.Background(), inv); res.Controls[0].NotApplicable != "" || len(res.Controls[0].Rules[0].Alerts) != 2 {
		t.Errorf("file scan: %+v", res.Controls[0])
	}
}
