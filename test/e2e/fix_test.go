package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigilsec/vigil/internal/testfs"

	"github.com/vigilsec/vigil/test/clitest"
)

// copyDir copies a directory tree for a test to edit.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// scanJSON scans args into a JSON report file and returns its path and
// parsed content.
func scanJSON(t *testing.T, out string, args ...string) (string, map[string]any) {
	t.Helper()
	r := run(t, "", append(append([]string{"scan"}, args...), "--format", "json", "-o", out)...)
	r.MustCode(t, 0)
	return out, report(t, readFile(t, out))
}

const fixPod = `apiVersion: v1
kind: Pod
metadata:
  name: web   # the front end
  namespace: shop
spec:
  containers:
  - name: web
    image: nginx:1.27
    securityContext:
      privileged: true
`

func TestFixManifest(t *testing.T) {
	dir := t.TempDir()
	pod := testfs.File(t, filepath.Join(dir, "pod.yaml"), fixPod)
	rep, _ := scanJSON(t, filepath.Join(t.TempDir(), "r.json"), "control", "C-0057,C-0016,C-0009", dir)

	// The report's root is outside the working directory (the repository):
	// a report is input, so that needs --base-path.
	if r := run(t, "", "fix", rep, "--dry-run"); r.Code != 2 || !strings.Contains(r.Stderr, "outside the working directory") {
		t.Errorf("a root outside the working directory without --base-path: exit %d\n%s", r.Code, r.Stderr)
	}
	dry := run(t, "", "fix", rep, "--dry-run", "--base-path", dir)
	dry.MustCode(t, 0)
	want := "--- a" + pod + "\n+++ b" + pod + "\n@@ -8,4 +8,5 @@\n   - name: web\n     image: nginx:1.27\n     securityContext:\n-      privileged: true\n+      privileged: false\n+      allowPrivilegeEscalation: false\n"
	if dry.Stdout != want {
		t.Errorf("dry-run diff:\n%s\nwant:\n%s", dry.Stdout, want)
	}
	if !strings.Contains(dry.Stderr, "YOUR_CPU_LIMIT") || !strings.Contains(dry.Stderr, "placeholder") {
		t.Errorf("the summary does not list the skipped placeholder:\n%s", dry.Stderr)
	}
	if readFile(t, pod) != fixPod {
		t.Fatal("--dry-run changed the file")
	}
	run(t, "", "fix", rep, "--interactive", "--base-path", dir).MustCode(t, 2)

	r := run(t, "", "fix", rep, "--base-path", dir)
	r.MustCode(t, 0)
	if !strings.Contains(r.Stdout, "2 fixes applied in 1 file") {
		t.Errorf("summary:\n%s", r.Stdout)
	}
	if got := readFile(t, pod); got != strings.Replace(fixPod, "privileged: true\n", "privileged: false\n      allowPrivilegeEscalation: false\n", 1) {
		t.Errorf("fixed file:\n%s", got)
	}
	// The report is now stale: the file changed since the scan.
	again := run(t, "", "fix", rep, "--base-path", dir)
	again.MustCode(t, 2)
	if !strings.Contains(again.Stdout, "changed since the scan") {
		t.Errorf("a stale report was not refused:\n%s", again.Stdout)
	}
	_, after := scanJSON(t, filepath.Join(t.TempDir(), "r.json"), "control", "C-0057,C-0016", dir)
	for _, id := range []string{"C-0057", "C-0016"} {
		if s := controlStatus(t, after, id); s != "passed" {
			t.Errorf("%s is %s after the fix", id, s)
		}
	}
	run(t, "", "fix", filepath.Join(dir, "nothing.json")).MustCode(t, 2)
	run(t, "", "fix", pod).MustCode(t, 2)
}

func TestFixScanFlag(t *testing.T) {
	dir := t.TempDir()
	pod := testfs.File(t, filepath.Join(dir, "pod.yaml"), fixPod)
	r := run(t, "", "scan", "control", "C-0057", dir, "--fix", "--fix-dry-run")
	r.MustCode(t, 0)
	if !strings.Contains(r.Stdout, "+      privileged: false") || readFile(t, pod) != fixPod {
		t.Fatalf("scan --fix --fix-dry-run:\n%s", r.Stdout)
	}
	run(t, "", "scan", "control", "C-0057", dir, "--fix").MustCode(t, 0)
	if !strings.Contains(readFile(t, pod), "privileged: false") {
		t.Fatal("scan --fix did not fix")
	}
	run(t, "", "scan", "control", "C-0057", "--fix").MustCode(t, 2)
}

func TestFixHelmValues(t *testing.T) {
	chart := filepath.Join(t.TempDir(), "web")
	copyDir(t, filepath.Join(repoRoot(), "test/e2e/testdata/fix/chart"), chart)
	tmpl := readFile(t, filepath.Join(chart, "templates/deployment.yaml"))
	controls := "C-0013,C-0016,V-0113,C-0210,C-0034"
	rep, before := scanJSON(t, filepath.Join(t.TempDir(), "r.json"), "control", controls, chart)
	r := run(t, "", "fix", rep, "--base-path", chart)
	r.MustCode(t, 0)
	for _, want := range []string{"values key podSecurityContext.runAsNonRoot", "needs a template change near " + chart + "/templates/deployment.yaml:15"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.Stdout)
		}
	}
	values := readFile(t, filepath.Join(chart, "values.yaml"))
	for _, want := range []string{"  runAsNonRoot: true   # the image runs as root today\n", "  allowPrivilegeEscalation: false\n", "  seccompProfile:\n    type: RuntimeDefault\n"} {
		if !strings.Contains(values, want) {
			t.Errorf("values.yaml lacks %q:\n%s", want, values)
		}
	}
	if readFile(t, filepath.Join(chart, "templates/deployment.yaml")) != tmpl {
		t.Error("a template was edited without --edit-templates")
	}
	_, after := scanJSON(t, filepath.Join(t.TempDir(), "r.json"), "control", controls, chart)
	vb, va := clitest.Verdicts(t, before), clitest.Verdicts(t, after)
	for obj, cs := range vb {
		for id, s := range cs {
			got := va[obj][id]
			switch {
			case id == "C-0034":
				// automountServiceAccountToken is not in the values: a
				// template change, listed, not made.
				if got != s {
					t.Errorf("%s %s: %s -> %s", obj, id, s, got)
				}
			case got != "passed":
				t.Errorf("%s %s is %s after the fix (was %s)", obj, id, got, s)
			}
		}
	}
}

// The proof: fix a copy of the synthetic corpus and check with a rescan
// that the fixable controls pass and nothing else got worse.
func TestFixCorpus(t *testing.T) {
	corpus := filepath.Join(repoRoot(), "..", "shared", "corpus", "synthetic-1000")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus %s not found (../shared/corpus/synthetic-1000 beside the repository): %v", corpus, err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := filepath.Join(t.TempDir(), "corpus")
	copyDir(t, corpus, dir)
	gitRun(t, dir, "init", "-q")
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "-c", "user.name=vigil", "-c", "user.email=vigil@example.com", "commit", "-qm", "corpus")

	rep, before := scanJSON(t, filepath.Join(t.TempDir(), "before.json"), "framework", "all", dir)
	start := time.Now()
	r := run(t, "", "fix", rep, "--base-path", dir)
	elapsed := time.Since(start)
	r.MustCode(t, 0)
	_, after := scanJSON(t, filepath.Join(t.TempDir(), "after.json"), "framework", "all", dir)

	eligible := fixableControls(t, readFile(t, rep))
	vb, va := clitest.Verdicts(t, before), clitest.Verdicts(t, after)
	// Fixes that make another control applicable: raising replicas to 2
	// (V-0143) brings workloads under the PodDisruptionBudget and spread
	// controls, and turning hostPID/hostNetwork/hostIPC off brings them
	// under the user-namespace control, whose own fix a second run applies.
	cascades := map[string]bool{"V-0127": true, "V-0144": true, "V-0011": true}
	failing := map[string]int{}
	cascaded := map[string]int{}
	for obj, cs := range va {
		for id, s := range cs {
			was := vb[obj][id]
			if s == "failed" {
				failing[id]++
			}
			if s == was || s == "passed" {
				continue
			}
			if cascades[id] && was == "passed" && s == "failed" {
				cascaded[id]++
				continue
			}
			t.Errorf("%s %s: %s -> %s", obj, id, was, s)
		}
	}
	zero := 0
	for id := range eligible {
		switch {
		case failing[id] == 0:
			zero++
		case failing[id] > cascaded[id]:
			t.Errorf("%s: %d failures after the fix", id, failing[id])
		}
	}

	// git diff --stat lists exactly the files the summary says it fixed.
	var fixed []string
	file := ""
	for _, line := range strings.Split(r.Stdout, "\n") {
		switch {
		case line != "" && !strings.HasPrefix(line, " ") && strings.HasPrefix(line, dir):
			file = strings.TrimPrefix(line, dir+"/")
		case strings.HasPrefix(line, "  applied ") && file != "":
			if len(fixed) == 0 || fixed[len(fixed)-1] != file {
				fixed = append(fixed, file)
			}
		}
	}
	changed := strings.Fields(gitRun(t, dir, "diff", "--name-only"))
	sort.Strings(changed)
	if strings.Join(changed, ",") != strings.Join(fixed, ",") {
		t.Errorf("changed files %v, fixed files %v", changed, fixed)
	}
	stat := strings.Split(strings.TrimSpace(gitRun(t, dir, "diff", "--stat")), "\n")
	summary := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	t.Logf("%s", summary[len(summary)-1])
	t.Logf("git diff --stat: %s", stat[len(stat)-1])
	t.Logf("controls with only fixable failures: %d, brought to zero: %d; cascaded new failures: %v; fix took %s",
		len(eligible), zero, cascaded, elapsed.Round(time.Millisecond))
}

func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

var placeholder = regexp.MustCompile(`YOUR_|<[A-Za-z][A-Za-z _-]*>`)

// fixableControls are the controls every failure of which carries fix
// paths, none a placeholder, and no path to delete.
func fixableControls(t *testing.T, rep string) map[string]bool {
	t.Helper()
	var doc struct {
		Results []struct {
			Controls []struct {
				ControlID string
				Status    struct{ Status string }
				Rules     []struct {
					Paths []struct {
						DeletePath string
						FixPath    *struct{ Value string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(rep), &doc); err != nil {
		t.Fatal(err)
	}
	ok := map[string]bool{}
	for _, r := range doc.Results {
		for _, c := range r.Controls {
			if c.Status.Status != "failed" {
				continue
			}
			fixable, fixes := true, 0
			for _, rule := range c.Rules {
				for _, p := range rule.Paths {
					switch {
					case p.DeletePath != "":
						fixable = false
					case p.FixPath != nil:
						fixes++
						fixable = fixable && !placeholder.MatchString(p.FixPath.Value)
					}
				}
			}
			if prev, seen := ok[c.ControlID]; !seen || prev {
				ok[c.ControlID] = fixable && fixes > 0
			}
		}
	}
	for id, v := range ok {
		if !v {
			delete(ok, id)
		}
	}
	return ok
}

func TestFixHelmTemplateLiteral(t *testing.T) {
	chart := filepath.Join(t.TempDir(), "demo")
	copyDir(t, filepath.Join(repoRoot(), "pkg/source/helm/testdata/demo"), chart)
	tmplPath := filepath.Join(chart, "templates/deployment.yaml")
	tmpl := readFile(t, tmplPath)
	rep, _ := scanJSON(t, filepath.Join(t.TempDir(), "r.json"), "control", "C-0057", chart)
	r := run(t, "", "fix", rep, "--base-path", chart)
	r.MustCode(t, 0)
	if !strings.Contains(r.Stdout, "template literal at line 24 (--edit-templates applies it)") || readFile(t, tmplPath) != tmpl {
		t.Fatalf("a template literal was not left alone:\n%s", r.Stdout)
	}
	run(t, "", "fix", rep, "--edit-templates", "--base-path", chart).MustCode(t, 0)
	if got := readFile(t, tmplPath); got != strings.Replace(tmpl, "privileged: true", "privileged: false", 1) {
		t.Errorf("template after --edit-templates:\n%s", got)
	}
	_, after := scanJSON(t, filepath.Join(t.TempDir(), "r.json"), "control", "C-0057", chart)
	if s := controlStatus(t, after, "C-0057"); s != "passed" {
		t.Errorf("C-0057 is %s after the template fix", s)
	}
}

func TestFixHelmValuesFileOverride(t *testing.T) {
	chart := filepath.Join(t.TempDir(), "web")
	copyDir(t, filepath.Join(repoRoot(), "test/e2e/testdata/fix/chart"), chart)
	values := readFile(t, filepath.Join(chart, "values.yaml"))
	over := testfs.File(t, filepath.Join(chart, "prod.yaml"), "# production overrides\n")
	rep, _ := scanJSON(t, filepath.Join(t.TempDir(), "r.json"), "control", "V-0113,C-0016", chart)
	run(t, "", "fix", rep, "--values", over, "--base-path", chart).MustCode(t, 0)
	if readFile(t, filepath.Join(chart, "values.yaml")) != values {
		t.Error("values.yaml was edited despite --values")
	}
	want := "# production overrides\ncontainerSecurityContext:\n  allowPrivilegeEscalation: false\npodSecurityContext:\n  runAsNonRoot: true\n"
	if got := readFile(t, over); got != want {
		t.Errorf("prod.yaml:\n%s\nwant:\n%s", got, want)
	}
	_, after := scanJSON(t, filepath.Join(t.TempDir(), "r.json"), "control", "V-0113,C-0016", chart, "-f", over)
	for _, id := range []string{"V-0113", "C-0016"} {
		if s := controlStatus(t, after, id); s != "passed" {
			t.Errorf("%s is %s with the overrides", id, s)
		}
	}
}

// TestFixInteractive answers the prompts through a pseudo-terminal, which
// util-linux's script provides.
func TestFixInteractive(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) not installed: no pseudo-terminal to test --interactive on")
	}
	dir := t.TempDir()
	pod := testfs.File(t, filepath.Join(dir, "pod.yaml"), fixPod)
	rep, _ := scanJSON(t, filepath.Join(t.TempDir(), "r.json"), "control", "C-0057,C-0016", dir)
	cmd := exec.Command("script", "-qec", vigil+" fix --interactive --base-path "+dir+" "+rep, "/dev/null")
	cmd.Stdin = strings.NewReader("n\ny\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Apply this fix? [y]es, [n]o, [a]ll remaining, [q]uit:") || !strings.Contains(string(out), "declined") {
		t.Errorf("prompt output:\n%s", out)
	}
	if got := readFile(t, pod); got != strings.Replace(fixPod, "privileged: true\n", "privileged: true\n      allowPrivilegeEscalation: false\n", 1) {
		t.Errorf("after answering n, y:\n%s", got)
	}
}
