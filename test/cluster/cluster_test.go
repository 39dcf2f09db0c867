// Package cluster_test scans a real Kubernetes API server (built by
// test/k8s/build.sh, started by test/k8s/k8stest) with the vigil binary:
// as an administrator, as a user with no rights and as a user allowed to
// read one namespace. Without the binaries the tests skip, unless
// VIGIL_REQUIRE_K8S=1 (CI) makes that a failure.
package cluster_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigilsec/vigil/test/clitest"
	"github.com/vigilsec/vigil/test/k8s/k8stest"
)

// env is what the tests share: the binary, the cluster, the admin clients.
type env struct {
	vigil      string
	kubeconfig string
	cluster    *k8stest.Cluster
	admin      *k8stest.Client
}

var (
	shared  *env
	skipMsg string
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster tests:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	if _, err := k8stest.BinDir(); err != nil {
		if os.Getenv("VIGIL_REQUIRE_K8S") == "1" {
			return 1, err
		}
		skipMsg = err.Error()
		return m.Run(), nil
	}
	dir, err := os.MkdirTemp("", "vigil-cluster")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	bin, err := clitest.Build(dir)
	if err != nil {
		return 1, fmt.Errorf("build vigil: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := k8stest.Start(ctx, filepath.Join(dir, "cluster"))
	if err != nil {
		return 1, err
	}
	defer c.Stop()
	admin, err := k8stest.NewClient(c.Kubeconfig, k8stest.Admin)
	if err != nil {
		return 1, err
	}
	objects, err := os.ReadFile(filepath.Join("testdata", "objects.yaml"))
	if err != nil {
		return 1, err
	}
	if err := admin.CreateStream(ctx, objects); err != nil {
		return 1, fmt.Errorf("create test objects: %w", err)
	}
	shared = &env{vigil: bin, kubeconfig: c.Kubeconfig, cluster: c, admin: admin}
	return m.Run(), nil
}

func need(t testing.TB) *env {
	t.Helper()
	if shared == nil {
		t.Skip(skipMsg)
	}
	return shared
}

// scan runs vigil against the test cluster with a kubeconfig context.
func (e *env) scan(t *testing.T, kubeContext string, args ...string) clitest.Result {
	t.Helper()
	all := append([]string{"scan", "--kubeconfig", e.kubeconfig, "--context", kubeContext}, args...)
	return clitest.Run(t, e.vigil, nil, "", all...)
}

func inputs(rep map[string]any) map[string]any {
	return rep["vigil"].(map[string]any)["inputs"].(map[string]any)
}

func coverage(rep map[string]any) float64 {
	return rep["vigil"].(map[string]any)["coverage"].(map[string]any)["percent"].(float64)
}

func skipped(rep map[string]any) map[string]string {
	out := map[string]string{}
	list, _ := rep["vigil"].(map[string]any)["skippedControls"].([]any)
	for _, s := range list {
		s := s.(map[string]any)
		out[s["controlID"].(string)], _ = s["reason"].(string)
	}
	return out
}

func controlSummary(rep map[string]any, id string) map[string]any {
	c, _ := rep["summaryDetails"].(map[string]any)["controls"].(map[string]any)[id].(map[string]any)
	return c
}

// clusterOnly reports whether a control is for file scans only (so it
// is judged from files but not in a cluster) or made from cluster facts.
func fileOnly(rep map[string]any, id string) bool {
	c := controlSummary(rep, id)
	info, _ := c["statusInfo"].(map[string]any)
	return info["subStatus"] == "irrelevant" && len(c["resourceIDs"].(map[string]any)) == 0
}

func expect(t *testing.T, v map[string]map[string]string, object, control, status string) {
	t.Helper()
	got, ok := v[object][control]
	if !ok {
		t.Errorf("%s: no verdict for %s (object judged by %d controls)", control, object, len(v[object]))
		return
	}
	if got != status {
		t.Errorf("%s on %s: %s, want %s", control, object, got, status)
	}
}

func TestAdminScan(t *testing.T) {
	e := need(t)
	// No path: the cluster of the kubeconfig given by KUBECONFIG.
	r := clitest.Run(t, e.vigil, []string{"KUBECONFIG=" + e.kubeconfig}, "",
		"scan", "framework", "security,devopsbest,allcontrols", "--format", "json")
	r.MustCode(t, 0)
	rep := clitest.Report(t, r.Stdout)
	v := clitest.Verdicts(t, rep)

	expect(t, v, "Deployment/team-a/web", "C-0057", "failed")
	expect(t, v, "Deployment/team-b/api", "C-0057", "passed")
	// The orphan pod is judged; the deployment's ReplicaSet and Pod are
	// judged at the deployment, not again.
	expect(t, v, "Pod/team-a/debug", "C-0041", "failed")
	for _, owned := range []string{"ReplicaSet/team-a/web-5d8f7", "Pod/team-a/web-5d8f7-x2k4q"} {
		if _, ok := v[owned]; ok {
			t.Errorf("%s is owned by a listed controller but was judged on its own", owned)
		}
	}
	// Relational controls see the namespace's NetworkPolicies.
	expect(t, v, "Namespace//team-a", "C-0054", "failed")
	expect(t, v, "Namespace//team-b", "C-0054", "passed")
	// RBAC: the wildcard role, and the service account it reaches.
	expect(t, v, "ClusterRole//everything", "C-0187", "failed")
	// A CRD that accepts any field.
	expect(t, v, "CustomResourceDefinition//widgets.example.com", "V-0126", "failed")
	// Cluster facts: the test server runs Kubernetes 1.33.
	expect(t, v, "ClusterInfo//admin", "V-0163", "failed")
	if rep["clusterName"] != "admin" {
		t.Errorf("clusterName = %v", rep["clusterName"])
	}

	in := inputs(rep)
	if n := in["apiRequests"].(float64); n < 5 || n > 200 {
		t.Errorf("apiRequests = %v", n)
	}
	if u, ok := in["unavailable"]; ok {
		t.Errorf("the administrator could not list: %v", u)
	}
	// Only controls waiting for inputs, and host controls without
	// --host-scan, may be skipped.
	for id, reason := range skipped(rep) {
		if !strings.HasPrefix(reason, "needs control inputs") && !strings.HasPrefix(reason, "needs host scanner data") {
			t.Errorf("%s skipped: %s", id, reason)
		}
	}
	// V-0140 judges files only: a cluster serves objects only in versions
	// it still serves.
	if s := controlSummary(rep, "V-0140")["statusInfo"].(map[string]any)["subStatus"]; s != "irrelevant" {
		t.Errorf("V-0140 sub-status %v on a cluster", s)
	}
	if strings.Contains(r.Stdout, "vigil-test-secret-value") {
		t.Error("a secret's value appears in the report")
	}
}

func TestCustomResourceControl(t *testing.T) {
	e := need(t)
	r := e.scan(t, k8stest.Admin, "--use-from", filepath.Join("test", "cluster", "testdata", "widgets.json"), "--format", "json")
	r.MustCode(t, 0)
	v := clitest.Verdicts(t, clitest.Report(t, r.Stdout))
	expect(t, v, "Widget/team-b/gadget", "X-0001", "failed")
}

// TestSameVerdictsAsFiles exports what the cluster scan judged to files
// and scans them: every verdict must be the same.
func TestSameVerdictsAsFiles(t *testing.T) {
	e := need(t)
	r := e.scan(t, k8stest.Admin, "framework", "allcontrols", "--format", "json")
	r.MustCode(t, 0)
	rep := clitest.Report(t, r.Stdout)
	fromCluster := clitest.Verdicts(t, rep)

	dir := t.TempDir()
	n := 0
	for _, res := range rep["resources"].([]any) {
		obj := res.(map[string]any)["object"].(map[string]any)
		if _, subject := obj["relatedObjects"]; subject || obj["kind"] == "ClusterInfo" {
			continue // made by Vigil (RBAC subjects, cluster facts), not API objects
		}
		b, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		n++
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.json", n)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if n < 20 {
		t.Fatalf("only %d objects exported", n)
	}
	f := clitest.Run(t, e.vigil, nil, "", "scan", "framework", "allcontrols", dir, "--plain", "--format", "json")
	f.MustCode(t, 0)
	fromFiles := clitest.Verdicts(t, clitest.Report(t, f.Stdout))

	compared := 0
	for obj, controls := range fromCluster {
		if strings.HasPrefix(obj, "ClusterInfo/") {
			continue
		}
		for id, status := range controls {
			compared++
			if got := fromFiles[obj][id]; got != status {
				t.Errorf("%s on %s: %s from the cluster, %q from files", id, obj, status, got)
			}
		}
	}
	for obj, controls := range fromFiles {
		for id, status := range controls {
			if _, ok := fromCluster[obj][id]; !ok && !fileOnly(rep, id) {
				t.Errorf("%s on %s: %s from files, not judged in the cluster", id, obj, status)
			}
		}
	}
	if compared < 500 {
		t.Errorf("only %d verdicts compared", compared)
	}
}

// TestNoRights: a user who may list nothing gets every control that needs
// objects skipped with the reason, a warning per kind, and a coverage
// figure that says how little was checked; nothing passes by default.
func TestNoRights(t *testing.T) {
	e := need(t)
	r := e.scan(t, k8stest.Alice, "--format", "json")
	r.MustCode(t, 0)
	rep := clitest.Report(t, r.Stdout)
	un, _ := inputs(rep)["unavailable"].([]any)
	if len(un) < 5 {
		t.Fatalf("unavailable kinds: %v", un)
	}
	first := un[0].(map[string]any)
	if first["verb"] != "list" || !strings.Contains(first["reason"].(string), "forbidden") {
		t.Errorf("unavailable entry: %v", first)
	}
	if c := coverage(rep); c > 10 {
		t.Errorf("coverage %v%% for a user who can list nothing", c)
	}
	sk := skipped(rep)
	if !strings.Contains(sk["C-0057"], "cannot list") {
		t.Errorf("C-0057 skip reason: %q", sk["C-0057"])
	}
	for id, c := range rep["summaryDetails"].(map[string]any)["controls"].(map[string]any) {
		c := c.(map[string]any)
		info := c["statusInfo"].(map[string]any)
		if info["status"] == "passed" && info["subStatus"] != "irrelevant" && id != "V-0163" {
			t.Errorf("%s passed although nothing could be listed", id)
		}
	}
	// The pretty output names what could not be listed.
	p := e.scan(t, k8stest.Alice)
	p.MustCode(t, 0)
	if !strings.Contains(p.Stdout, "cannot list deployments.apps (Deployment) cluster-wide: forbidden") {
		t.Errorf("pretty output does not name the forbidden kinds:\n%s", p.Stdout)
	}
}

// TestNamespaceRestricted: bob may read team-a only (the "view" role).
func TestNamespaceRestricted(t *testing.T) {
	e := need(t)
	r := e.scan(t, k8stest.Bob, "--format", "json")
	r.MustCode(t, 0)
	rep := clitest.Report(t, r.Stdout)
	un, _ := inputs(rep)["unavailable"].([]any)
	hint := false
	for _, u := range un {
		if strings.Contains(u.(map[string]any)["reason"].(string), "--include-namespaces") {
			hint = true
		}
	}
	if !hint {
		t.Errorf("no hint to use --include-namespaces in %v", un)
	}

	r = e.scan(t, k8stest.Bob, "--include-namespaces", "team-a", "--format", "json")
	r.MustCode(t, 0)
	rep = clitest.Report(t, r.Stdout)
	v := clitest.Verdicts(t, rep)
	expect(t, v, "Deployment/team-a/web", "C-0057", "failed")
	for obj := range v {
		if strings.Contains(obj, "/team-b/") {
			t.Errorf("%s is outside the included namespace", obj)
		}
	}
	// "view" may not read RBAC objects or cluster-scoped kinds: the
	// controls that need them are skipped, the others evaluated.
	sk := skipped(rep)
	if !strings.Contains(sk["C-0187"], "forbidden") {
		t.Errorf("C-0187 skip reason: %q", sk["C-0187"])
	}
	if _, ok := sk["C-0057"]; ok {
		t.Errorf("C-0057 skipped: %s", sk["C-0057"])
	}
	if c := coverage(rep); c <= 10 || c >= 100 {
		t.Errorf("coverage %v%%, want partial", c)
	}
}

func TestDryRun(t *testing.T) {
	e := need(t)
	r := e.scan(t, k8stest.Admin, "--dry-run")
	r.MustCode(t, 0)
	if !strings.Contains(r.Stdout, "All allowed") || !strings.Contains(r.Stdout, "list deployments.apps") {
		t.Errorf("admin dry run:\n%s", r.Stdout)
	}
	r = e.scan(t, k8stest.Bob, "--dry-run", "--include-namespaces", "team-a")
	r.MustCode(t, 1)
	for _, want := range []string{"clusterroles.rbac.authorization.k8s.io", "DENIED", "missing"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("bob's dry run lacks %q:\n%s", want, r.Stdout)
		}
	}
	if !regexpMatch(`list deployments\.apps +in team-a +allowed`, r.Stdout) {
		t.Errorf("bob may list deployments in team-a:\n%s", r.Stdout)
	}
	// A dry run lists nothing: no report.
	if strings.Contains(r.Stdout, "Compliance score") {
		t.Error("dry run scanned")
	}
}

func TestFilters(t *testing.T) {
	e := need(t)
	r := e.scan(t, k8stest.Admin, "--label-selector", "app=web", "--format", "json")
	r.MustCode(t, 0)
	for obj := range clitest.Verdicts(t, clitest.Report(t, r.Stdout)) {
		if !strings.HasPrefix(obj, "Deployment/team-a/web") && !strings.HasPrefix(obj, "ClusterInfo/") {
			t.Errorf("%s does not carry app=web", obj)
		}
	}
	r = e.scan(t, k8stest.Admin, "--exclude-namespaces", "team-a", "--format", "json")
	r.MustCode(t, 0)
	v := clitest.Verdicts(t, clitest.Report(t, r.Stdout))
	for obj := range v {
		// A subject of a cluster-wide binding stays: the binding is in
		// scope and grants it power everywhere.
		if (strings.Contains(obj, "/team-a/") && !strings.Contains(obj, "(subject)")) || obj == "Namespace//team-a" {
			t.Errorf("%s is in an excluded namespace", obj)
		}
	}
	expect(t, v, "Deployment/team-b/api", "C-0057", "passed")
}

// TestPaging: one object per page gives the same verdicts with more
// requests.
func TestPaging(t *testing.T) {
	e := need(t)
	a := e.scan(t, k8stest.Admin, "--format", "json")
	b := e.scan(t, k8stest.Admin, "--format", "json", "--page-size", "1", "--api-concurrency", "1")
	a.MustCode(t, 0)
	b.MustCode(t, 0)
	ra, rb := clitest.Report(t, a.Stdout), clitest.Report(t, b.Stdout)
	va, vb := clitest.Verdicts(t, ra), clitest.Verdicts(t, rb)
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	if !bytes.Equal(ja, jb) {
		t.Error("verdicts differ with one object per page")
	}
	if inputs(rb)["apiRequests"].(float64) <= inputs(ra)["apiRequests"].(float64) {
		t.Errorf("paging by 1 made %v requests, by 500 %v", inputs(rb)["apiRequests"], inputs(ra)["apiRequests"])
	}
}

func TestConnectionErrors(t *testing.T) {
	e := need(t)
	r := e.scan(t, "no-such-context")
	r.MustCode(t, 2)
	if !strings.Contains(r.Stderr, "no-such-context") {
		t.Errorf("stderr: %s", r.Stderr)
	}
	// A server that does not answer: a clear error within the timeout.
	dir := t.TempDir()
	kc := filepath.Join(dir, "kubeconfig")
	os.WriteFile(kc, []byte(`apiVersion: v1
kind: Config
clusters: [{name: gone, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: gone, context: {cluster: gone, user: u}}]
current-context: gone
`), 0o600)
	start := time.Now()
	r = clitest.Run(t, e.vigil, nil, "", "scan", "--kubeconfig", kc, "--timeout", "20s")
	if r.Code == 0 || !strings.Contains(r.Stderr, "127.0.0.1:1") {
		t.Errorf("exit %d, stderr: %s", r.Code, r.Stderr)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %s", d)
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
