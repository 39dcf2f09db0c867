// Package e2e runs the vigil binary as users do and checks exit codes,
// outputs and error messages.
package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/test/clitest"
)

var vigil string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vigil-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if vigil, err = clitest.Build(dir); err != nil {
		fmt.Fprintln(os.Stderr, "build vigil:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func repoRoot() string { return clitest.RepoRoot() }

func run(t *testing.T, stdin string, args ...string) clitest.Result {
	t.Helper()
	return clitest.Run(t, vigil, nil, stdin, args...)
}

func report(t *testing.T, s string) map[string]any { t.Helper(); return clitest.Report(t, s) }

func controlStatus(t *testing.T, rep map[string]any, id string) string {
	t.Helper()
	return clitest.ControlStatus(t, rep, id)
}

const privilegedPod = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
spec:
  containers:
  - name: c
    image: nginx:1.27
    securityContext: {privileged: true}
`

func TestScanExamples(t *testing.T) {
	r := run(t, "", "scan", "examples/")
	r.MustCode(t, 0)
	for _, want := range []string{"C-0057", "Privileged container", "Compliance score", "Coverage"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Stdout)
		}
	}
	if strings.Contains(r.Stdout, "\x1b[") {
		t.Error("colour codes written to a pipe")
	}
	v := run(t, "", "scan", "examples/", "-v")
	if !strings.Contains(v.Stdout, "examples/shop/api.yaml") || !strings.Contains(v.Stdout, "spec.template.spec.containers[1].securityContext.privileged") {
		t.Errorf("verbose output lacks locations and paths:\n%s", v.Stdout)
	}
}

func TestStdin(t *testing.T) {
	r := run(t, privilegedPod, "scan", "control", "C-0057", "-", "--format", "json")
	r.MustCode(t, 0)
	rep := report(t, r.Stdout)
	if controlStatus(t, rep, "C-0057") != "failed" {
		t.Errorf("privileged pod from stdin should fail C-0057")
	}
}

func TestBrokenFileAmongGoodOnes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "good.yaml"), []byte(privilegedPod), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n"), 0o644)
	r := run(t, "", "scan", "control", "C-0057", dir, "--format", "json")
	r.MustCode(t, 2)
	if !strings.Contains(r.Stderr, filepath.Join(dir, "broken.yaml")+":4") {
		t.Errorf("stderr should name the broken file and line:\n%s", r.Stderr)
	}
	rep := report(t, r.Stdout)
	if controlStatus(t, rep, "C-0057") != "failed" {
		t.Errorf("the good file must still be scanned")
	}
	errs := rep["vigil"].(map[string]any)["inputs"].(map[string]any)["errors"].([]any)
	if len(errs) != 1 {
		t.Errorf("report should list the failed input: %v", errs)
	}
}

func TestUnknownNames(t *testing.T) {
	r := run(t, "", "scan", "control", "C-9999", "examples/")
	r.MustCode(t, 2)
	if !strings.Contains(r.Stderr, `unknown control "C-9999"`) {
		t.Errorf("stderr: %s", r.Stderr)
	}
	r = run(t, "", "scan", "framework", "securty", "examples/")
	r.MustCode(t, 2)
	if !strings.Contains(r.Stderr, `did you mean "security"`) {
		t.Errorf("stderr: %s", r.Stderr)
	}
	run(t, "", "scan", "examples/", "--format", "yaml").MustCode(t, 2)
	run(t, "", "scan", "examples/", "--exclude-controls", "C-4242").MustCode(t, 2)
	run(t, "", "scan").MustCode(t, 2)
	run(t, "", "scan", "examples/", "--severity-threshold", "urgent").MustCode(t, 2)
	run(t, "", "scan", "does-not-exist/").MustCode(t, 2)
	run(t, "", "scan", "examples/", "--no-such-flag").MustCode(t, 2)
}

func TestGates(t *testing.T) {
	r := run(t, "", "scan", "examples/", "--severity-threshold", "high")
	r.MustCode(t, 1)
	if !strings.Contains(r.Stderr, "Gate failed") || !strings.Contains(r.Stderr, "C-0057") {
		t.Errorf("stderr: %s", r.Stderr)
	}
	run(t, "", "scan", "examples/hardened/", "--severity-threshold", "low").MustCode(t, 0)
	run(t, "", "scan", "examples/", "--compliance-threshold", "100").MustCode(t, 1)
	run(t, "", "scan", "examples/", "--compliance-threshold", "1").MustCode(t, 0)
}

func TestOutputsToDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	r := run(t, "", "scan", "examples/", "--format", "json,sarif,junit,pretty", "--output", dir)
	r.MustCode(t, 0)
	for _, f := range []string{"report.json", "report.sarif", "report.xml", "report.txt"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	single := filepath.Join(t.TempDir(), "out.json")
	run(t, "", "scan", "examples/", "--format", "json", "-o", single).MustCode(t, 0)
	b, _ := os.ReadFile(single)
	report(t, string(b))
}

func TestFilters(t *testing.T) {
	r := run(t, "", "scan", "examples/", "--format", "json", "--include-namespaces", "logging")
	r.MustCode(t, 0)
	for _, res := range report(t, r.Stdout)["resources"].([]any) {
		obj := res.(map[string]any)["object"].(map[string]any)
		md, _ := obj["metadata"].(map[string]any)
		if ns, _ := md["namespace"].(string); ns != "" && ns != "logging" {
			t.Errorf("object from namespace %q kept", ns)
		}
	}
	r = run(t, "", "scan", "examples/", "--format", "json", "--exclude-controls", "C-0057")
	r.MustCode(t, 0)
	controls := report(t, r.Stdout)["summaryDetails"].(map[string]any)["controls"].(map[string]any)
	if _, ok := controls["C-0057"]; ok {
		t.Error("excluded control was evaluated")
	}
}

func TestKubescapeArtifacts(t *testing.T) {
	art := filepath.Join("pkg", "policy", "testdata", "artifacts")
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: h}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: x}]\n"
	r := run(t, pod, "scan", "-", "--use-artifacts-from", art, "--format", "json")
	r.MustCode(t, 0)
	rep := report(t, r.Stdout)
	if controlStatus(t, rep, "C-0041") != "failed" {
		t.Error("framework from the artifacts directory should run by default")
	}
	fws := rep["summaryDetails"].(map[string]any)["frameworks"].([]any)
	if len(fws) != 1 || fws[0].(map[string]any)["name"] != "MyFramework" {
		t.Errorf("frameworks = %v", fws)
	}
	r = run(t, pod, "scan", "control", "C-0041", "-", "--use-from", filepath.Join(art, "myframework.json"), "--format", "json")
	r.MustCode(t, 0)
}

func TestListAndVersion(t *testing.T) {
	r := run(t, "", "list", "controls", "--format", "json")
	r.MustCode(t, 0)
	var controls []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &controls); err != nil || len(controls) == 0 {
		t.Fatalf("list controls: %v", err)
	}
	r = run(t, "", "list", "frameworks")
	r.MustCode(t, 0)
	if !strings.Contains(r.Stdout, "security") {
		t.Errorf("list frameworks:\n%s", r.Stdout)
	}
	run(t, "", "list", "inputs").MustCode(t, 0)
	run(t, "", "list", "nonsense").MustCode(t, 2)
	r = run(t, "", "version")
	r.MustCode(t, 0)
	if !strings.HasPrefix(r.Stdout, "vigil ") {
		t.Errorf("version: %s", r.Stdout)
	}
	run(t, "", "completion", "bash").MustCode(t, 0)
}

// TestRealManifests scans the kubernetes/examples repository: everything
// must be read without a crash; files that are not valid YAML are reported.
func TestRealManifests(t *testing.T) {
	corpus := filepath.Join(repoRoot(), "..", "shared", "corpus", "real", "k8s-examples")
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("corpus not available")
	}
	r := run(t, "", "scan", "framework", "all", corpus, "--format", "json")
	if r.Code != 0 && r.Code != 2 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	if strings.Contains(r.Stderr, "panic") {
		t.Fatalf("panic:\n%s", r.Stderr)
	}
	rep := report(t, r.Stdout)
	objects := rep["vigil"].(map[string]any)["inputs"].(map[string]any)["objects"].(float64)
	if objects < 250 {
		t.Errorf("only %v objects read from the corpus", objects)
	}
}
