package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// findingLocations returns "controlID path -> file:line" for every located
// path of the JSON report.
func findingLocations(t *testing.T, rep map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range rep["results"].([]any) {
		for _, c := range r.(map[string]any)["controls"].([]any) {
			cm := c.(map[string]any)
			for _, rule := range cm["rules"].([]any) {
				paths, _ := rule.(map[string]any)["paths"].([]any)
				for _, p := range paths {
					pm := p.(map[string]any)
					loc, ok := pm["location"].(map[string]any)
					if !ok {
						continue
					}
					path, _ := pm["failedPath"].(string)
					if path == "" {
						continue
					}
					out[cm["controlID"].(string)+" "+path] = loc["file"].(string) + ":" + itoa(loc["line"].(float64))
				}
			}
		}
	}
	return out
}

func itoa(f float64) string { return strconv.Itoa(int(f)) }

// TestHelmChartLocations: findings in a chart point at the template line
// for literals and at the values file for values-driven fields.
func TestHelmChartLocations(t *testing.T) {
	chart := filepath.Join("pkg", "source", "helm", "testdata", "demo")
	r := run(t, "", "scan", "control", "C-0057,C-0017,C-0270", chart, "--format", "json")
	r.MustCode(t, 0)
	locs := findingLocations(t, report(t, r.Stdout))
	priv := locs["C-0057 spec.template.spec.containers[0].securityContext.privileged"]
	if !strings.HasSuffix(priv, "templates/deployment.yaml:24") {
		t.Errorf("privileged: true is a template literal at templates/deployment.yaml:24, got %q (all: %v)", priv, locs)
	}
	for _, res := range report(t, r.Stdout)["resources"].([]any) {
		src := res.(map[string]any)["source"].(map[string]any)
		if src["fileType"] != "Helm Chart" || src["helmChartName"] != "demo" {
			t.Errorf("source = %v", src)
		}
	}
	// With the limit removed by a user's values file, the finding points at
	// the values key there that renders the limits.
	values := filepath.Join(t.TempDir(), "prod.yaml")
	os.WriteFile(values, []byte("resources:\n  limits:\n    cpu: null\n    memory: 64Mi\n"), 0o644)
	r = run(t, "", "scan", "control", "C-0270", chart, "-f", values, "--format", "json")
	r.MustCode(t, 0)
	locs = findingLocations(t, report(t, r.Stdout))
	if cpu := locs["C-0270 spec.template.spec.containers[0].resources.limits.cpu"]; cpu != values+":2" {
		t.Errorf("a missing limit should point at resources.limits in %s (line 2), got %q", values, cpu)
	}
}

// TestCorpusCharts scans every chart of the Helm corpus: all render or say
// clearly why not, and nothing is silently empty.
func TestCorpusCharts(t *testing.T) {
	dir := filepath.Join(repoRoot(), "..", "shared", "corpus", "real", "helm-charts")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skip("corpus not available")
	}
	special := map[string]string{
		"kube-prometheus-stack":        "is not vendored in charts/",
		"prometheus":                   "is not vendored in charts/",
		"prometheus-postgres-exporter": "config.datasource.password",
	}
	for _, e := range entries {
		chart := filepath.Join(dir, e.Name())
		r := run(t, "", "scan", chart, "--format", "json")
		want, isSpecial := special[e.Name()]
		switch {
		case isSpecial:
			if r.Code != 2 || !strings.Contains(r.Stderr, want) {
				t.Errorf("%s: exit %d, want 2 with %q:\n%s", e.Name(), r.Code, want, r.Stderr)
			}
		case r.Code != 0:
			t.Errorf("%s: exit %d:\n%s", e.Name(), r.Code, r.Stderr)
		}
		rep := report(t, r.Stdout)
		if n := rep["vigil"].(map[string]any)["inputs"].(map[string]any)["objects"].(float64); n == 0 {
			t.Errorf("%s: no objects scanned", e.Name())
		}
	}
	r := run(t, "", "scan", filepath.Join(dir, "prometheus-postgres-exporter"), "--set", "config.datasource.password=s3cret", "--format", "json")
	r.MustCode(t, 0)
	if strings.Contains(r.Stdout, "s3cret") {
		t.Error("a value set on the command line leaked into the report")
	}
}

// TestKustomizeLocations: a field set by a patch points at the patch.
func TestKustomizeLocations(t *testing.T) {
	overlay := filepath.Join("pkg", "source", "kustomize", "testdata", "app", "overlays", "prod")
	r := run(t, "", "scan", "control", "C-0057", overlay, "--format", "json")
	r.MustCode(t, 0)
	locs := findingLocations(t, report(t, r.Stdout))
	// The overlay's JSON6902 patch adds a securityContext with
	// privileged: true to the base's second container (the strategic merge
	// patch reorders containers, so it is containers[0] in the output).
	got := locs["C-0057 spec.template.spec.containers[0].securityContext.privileged"]
	if !strings.HasSuffix(got, "overlays/prod/kustomization.yaml:24") {
		t.Errorf("privileged was set by the overlay's inline patch, got %q (all %v)", got, locs)
	}
}

// TestGitRepository scans a local repository by URL: paths are relative to
// the repository and carry the last commit.
func TestGitRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	work := t.TempDir()
	gitRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Ann", "GIT_AUTHOR_EMAIL=ann@example.com", "GIT_COMMITTER_NAME=Ann", "GIT_COMMITTER_EMAIL=ann@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun("init", "-q", "-b", "main")
	os.MkdirAll(filepath.Join(work, "deploy"), 0o755)
	os.WriteFile(filepath.Join(work, "deploy", "pod.yaml"), []byte(privilegedPod), 0o644)
	gitRun("add", ".")
	gitRun("commit", "-q", "-m", "add a privileged pod")
	bare := filepath.Join(t.TempDir(), "repo.git")
	if out, err := exec.Command("git", "clone", "-q", "--bare", work, bare).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	r := run(t, "", "scan", "control", "C-0057", "file://"+bare+"//deploy?ref=main", "--format", "json")
	r.MustCode(t, 0)
	rep := report(t, r.Stdout)
	if controlStatus(t, rep, "C-0057") != "failed" {
		t.Fatal("the privileged pod in the repository should fail")
	}
	src := rep["resources"].([]any)[0].(map[string]any)["source"].(map[string]any)
	if src["vigil"].(map[string]any)["file"] != "deploy/pod.yaml" {
		t.Errorf("source = %v, want the repository-relative path deploy/pod.yaml", src)
	}
	if lc := src["lastCommit"].(map[string]any); lc["message"] == nil || !strings.Contains(lc["message"].(string), "privileged pod") || lc["committerName"] != "Ann" {
		t.Errorf("lastCommit = %v", lc)
	}
	if strings.Contains(r.Stdout, os.TempDir()+"/vigil-git-") {
		t.Error("the temporary checkout directory leaked into the report")
	}
}
