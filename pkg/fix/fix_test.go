package fix

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/fix/yamledit"
)

func TestParsePath(t *testing.T) {
	good := map[string]string{
		"spec.containers[0].securityContext.privileged":    "spec.containers[0].securityContext.privileged",
		"metadata.labels.app.kubernetes.io/name":           "metadata.labels.app.kubernetes.io/name",
		"spec.template.spec.volumes[2].secret.defaultMode": "spec.template.spec.volumes[2].secret.defaultMode",
		"a[0][1].b": "a[0][1].b",
	}
	for in, want := range good {
		steps, err := ParsePath(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := yamledit.FormatPath(steps); got != want {
			t.Errorf("%s: got %s", in, got)
		}
	}
	bad := []string{
		"", ".a", "a.", "a..b", "[0].a", "a[-1]", "a[+1]", "a[1001]", "a[x]", "a[0", "a b", "a:b", "a\nb",
		"a.&anchor", "a.*alias", "a.!!tag", "a.#c", "a.-b", "a.{b}", "a]", strings.Repeat("a.", 40) + "a",
	}
	for _, in := range bad {
		if _, err := ParsePath(in); err == nil {
			t.Errorf("%q: accepted", in)
		}
	}
}

func TestParseValue(t *testing.T) {
	cases := []struct {
		in   string
		want any
	}{
		{"true", true}, {"false", false}, {"1000", int64(1000)}, {"0400", int64(0o400)},
		{"RuntimeDefault", "RuntimeDefault"}, {"runtime/default", "runtime/default"},
		{"yes", "yes"}, {"1.5", "1.5"}, {`{"type": "RuntimeDefault"}`, map[string]any{"type": "RuntimeDefault"}},
		{`["ALL"]`, []any{"ALL"}}, {"a: b\nc: d", nil}, {"x\u0000", nil}, {"null", nil}, {"", nil},
		{strings.Repeat("x", 2000), nil}, {`{"a b": 1}`, nil}, {`{"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}`, nil},
		{"[not json", "[not json"},
	}
	for _, c := range cases {
		v, err := ParseValue(c.in)
		if c.want == nil {
			if err == nil {
				t.Errorf("%q: accepted as %v", c.in, v)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		got, _ := json.Marshal(v.Data())
		want, _ := json.Marshal(c.want)
		if string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", c.in, got, want)
		}
	}
}

func TestPlaceholder(t *testing.T) {
	for _, v := range []string{"YOUR_CPU_LIMIT", "nginx@sha256:YOUR_IMAGE_DIGEST", "<memory limit>", "CHANGE_ME", "replace-me"} {
		if !IsPlaceholder(v) {
			t.Errorf("%q is a placeholder", v)
		}
	}
	for _, v := range []string{"RuntimeDefault", "false", "0400", "ALL", "your-app"} {
		if IsPlaceholder(v) {
			t.Errorf("%q is not a placeholder", v)
		}
	}
}

func TestDiff(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	new := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn"
	want := `--- a/x
+++ b/x
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -11,3 +11,4 @@
 k
 l
 m
+n
\ No newline at end of file
`
	if got := Diff("x", []byte(old), []byte(new)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if Diff("x", []byte(old), []byte(old)) != "" {
		t.Error("equal files have a diff")
	}
	if got := Diff("x", nil, []byte("a\n")); got != "--- a/x\n+++ b/x\n@@ -0,0 +1,1 @@\n+a\n" {
		t.Errorf("from empty: %q", got)
	}
	if got := Diff("x", []byte("a\r\nb\r\n"), []byte("a\r\nc\r\n")); !strings.Contains(got, "-b\r\n+c\r\n") {
		t.Errorf("CRLF lines lost their breaks: %q", got)
	}
}

// report builds a minimal report with one failed control on one object
// read from file, with the given paths.
func report(t *testing.T, file, sum string, paths ...map[string]any) *Report {
	t.Helper()
	var ps []any
	for _, p := range paths {
		ps = append(ps, p)
	}
	doc := map[string]any{
		"resources": []any{map[string]any{
			"resourceID": "r1",
			"object":     map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "p", "namespace": "x"}},
			"source":     map[string]any{"vigil": map[string]any{"file": file, "document": 0, "kind": "file", "sha256": sum}},
		}},
		"results": []any{map[string]any{"resourceID": "r1", "controls": []any{map[string]any{
			"controlID": "C-0057", "status": map[string]any{"status": "failed"},
			"rules": []any{map[string]any{"paths": ps}},
		}}}},
		"vigil": map[string]any{"target": map[string]any{"roots": []string{filepath.Dir(file)}}},
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ReadReport(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func fixPath(p, v string) map[string]any {
	return map[string]any{"fixPath": map[string]any{"path": p, "value": v}}
}

const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: x\nspec:\n  containers:\n  - name: c\n    securityContext:\n      privileged: true\n"

func podFile(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "pod.yaml")
	putFile(t, p, []byte(pod))
	return p, sha(pod)
}

func sha(s string) string {
	h := sumHex([]byte(s))
	return h
}

func single(p *Plan) *Fix {
	for _, fp := range p.Files {
		return fp.Fixes[0]
	}
	return p.Elsewhere[0]
}

func TestSafety(t *testing.T) {
	p, sum := podFile(t)
	ok := fixPath("spec.containers[0].securityContext.privileged", "false")
	t.Run("applies", func(t *testing.T) {
		plan := NewPlan(report(t, p, sum, ok), PlanOptions{})
		if err := Apply(plan, Options{}); err != nil {
			t.Fatal(err)
		}
		if f := single(plan); f.Status != Applied {
			t.Fatalf("%s: %s", f.Status, f.Reason)
		}
		got, _ := os.ReadFile(p)
		if want := strings.Replace(pod, "privileged: true", "privileged: false", 1); string(got) != want {
			t.Errorf("got %q", got)
		}
	})
	t.Run("changed since the scan", func(t *testing.T) {
		p, _ := podFile(t)
		plan := NewPlan(report(t, p, sha("something else"), ok), PlanOptions{})
		_ = Apply(plan, Options{})
		if f := single(plan); f.Status != Invalid || !strings.Contains(f.Reason, "changed since the scan") {
			t.Errorf("%s: %s", f.Status, f.Reason)
		}
		if got, _ := os.ReadFile(p); string(got) != pod {
			t.Error("the file was edited")
		}
	})
	t.Run("no hash", func(t *testing.T) {
		p, _ := podFile(t)
		plan := NewPlan(report(t, p, "", ok), PlanOptions{})
		_ = Apply(plan, Options{})
		if f := single(plan); f.Status != Invalid {
			t.Errorf("%s: %s", f.Status, f.Reason)
		}
	})
	t.Run("outside the base path", func(t *testing.T) {
		p, sum := podFile(t)
		plan := NewPlan(report(t, p, sum, ok), PlanOptions{})
		_ = Apply(plan, Options{BasePath: t.TempDir()})
		if f := single(plan); f.Status != Invalid || !strings.Contains(f.Reason, "outside the base path") {
			t.Errorf("%s: %s", f.Status, f.Reason)
		}
	})
	t.Run("symlink out of the base path", func(t *testing.T) {
		p, sum := podFile(t)
		base := t.TempDir()
		link := filepath.Join(base, "pod.yaml")
		if err := os.Symlink(p, link); err != nil {
			t.Skip(err)
		}
		plan := NewPlan(report(t, link, sum, ok), PlanOptions{})
		_ = Apply(plan, Options{BasePath: base})
		if f := single(plan); f.Status != Invalid {
			t.Errorf("%s: %s", f.Status, f.Reason)
		}
		if got, _ := os.ReadFile(p); string(got) != pod {
			t.Error("the file was edited through the link")
		}
	})
	t.Run("traversal", func(t *testing.T) {
		p, sum := podFile(t)
		name := filepath.Dir(p) + "/../" + filepath.Base(filepath.Dir(p)) + "/pod.yaml"
		plan := NewPlan(report(t, name, sum, ok), PlanOptions{})
		_ = Apply(plan, Options{BasePath: "/"})
		if f := single(plan); f.Status != Invalid || !strings.Contains(f.Reason, "..") {
			t.Errorf("%s: %s", f.Status, f.Reason)
		}
	})
	t.Run("crafted path and value", func(t *testing.T) {
		p, sum := podFile(t)
		plan := NewPlan(report(t, p, sum,
			fixPath("spec.containers[0].securityContext.privileged", "false\nhostPID: true"),
			fixPath("spec.containers[0].&x", "1"),
			fixPath("spec.containers[0].securityContext", `{"privileged": false, "x: y": 1}`),
		), PlanOptions{})
		_ = Apply(plan, Options{})
		for _, f := range plan.Elsewhere {
			if f.Status != Invalid {
				t.Errorf("%s %s: %s", f.Path, f.Status, f.Reason)
			}
		}
		if len(plan.Elsewhere) != 3 {
			t.Errorf("%d invalid fixes, want 3", len(plan.Elsewhere))
		}
		if got, _ := os.ReadFile(p); string(got) != pod {
			t.Error("the file was edited")
		}
	})
	t.Run("policy", func(t *testing.T) {
		p, sum := podFile(t)
		rep := report(t, p, sum,
			fixPath("spec.containers[0].resources.limits.cpu", "YOUR_CPU_LIMIT"),
			map[string]any{"deletePath": "spec.containers[0].securityContext.privileged"},
			map[string]any{"reviewPath": "spec.containers[0].image"},
		)
		plan := NewPlan(rep, PlanOptions{})
		_ = Apply(plan, Options{})
		var st []string
		for _, f := range plan.Files[0].Fixes {
			st = append(st, string(f.Status))
		}
		if strings.Join(st, ",") != "skipped,skipped" || len(plan.Reviews) != 1 {
			t.Errorf("statuses %v, reviews %d", st, len(plan.Reviews))
		}
		if got, _ := os.ReadFile(p); string(got) != pod {
			t.Error("the file was edited")
		}
		plan = NewPlan(rep, PlanOptions{IncludePlaceholders: true, ApplyDeletes: true})
		if err := Apply(plan, Options{DryRun: true}); err != nil {
			t.Fatal(err)
		}
		d := Diff("pod.yaml", plan.Files[0].Old, plan.Files[0].New)
		if !strings.Contains(d, "+        cpu: YOUR_CPU_LIMIT") || !strings.Contains(d, "-      privileged: true") {
			t.Errorf("dry run diff:\n%s", d)
		}
		if got, _ := os.ReadFile(p); string(got) != pod {
			t.Error("a dry run edited the file")
		}
	})
}

func TestConfirm(t *testing.T) {
	p, sum := podFile(t)
	rep := report(t, p, sum,
		fixPath("spec.containers[0].securityContext.privileged", "false"),
		fixPath("spec.containers[0].securityContext.runAsNonRoot", "true"),
		fixPath("spec.containers[0].securityContext.readOnlyRootFilesystem", "true"),
	)
	var out bytes.Buffer
	plan := NewPlan(rep, PlanOptions{})
	if err := Apply(plan, Options{Confirm: Prompt(strings.NewReader("maybe\nn\ny\nq\n"), &out)}); err != nil {
		t.Fatal(err)
	}
	var st []string
	for _, f := range plan.Files[0].Fixes {
		st = append(st, string(f.Status))
	}
	if strings.Join(st, ",") != "skipped,applied,skipped" {
		t.Errorf("statuses %v", st)
	}
	if !strings.Contains(out.String(), "+      runAsNonRoot: true") {
		t.Errorf("the prompt shows no diff:\n%s", out.String())
	}
}

func TestEditTemplate(t *testing.T) {
	tmpl := "spec:\n  securityContext:\n    privileged: true   # why\n    {{- include \"x\" . | nindent 4 }}\n  args:\n    - --debug\n  image: {{ .Values.image }}\n"
	cases := []struct {
		line, col int
		key, val  string
		want, err string
	}{
		{3, 5, "privileged", "false", strings.Replace(tmpl, "privileged: true", "privileged: false", 1), ""},
		{6, 5, "", "--quiet", strings.Replace(tmpl, "- --debug", "- --quiet", 1), ""},
		{7, 3, "image", "nginx", "", "template action"},
		{3, 5, "hostPID", "false", "", "no hostPID key"},
		{9, 1, "x", "1", "", "does not exist"},
	}
	for _, c := range cases {
		v, err := ParseValue(c.val)
		if err != nil {
			t.Fatal(err)
		}
		got, err := editTemplate([]byte(tmpl), c.line, c.col, c.key, v)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("line %d: error %v, want %q", c.line, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("line %d: %v", c.line, err)
		case c.err == "" && string(got) != c.want:
			t.Errorf("line %d: got\n%s", c.line, got)
		}
	}
}

func TestEmptyValuesFile(t *testing.T) {
	for in, want := range map[string]string{
		"":              "sc:\n  runAsNonRoot: true\n",
		"# overrides\n": "# overrides\nsc:\n  runAsNonRoot: true\n",
		// A file without a final newline keeps going without one.
		"# overrides": "# overrides\nsc:\n  runAsNonRoot: true",
	} {
		e := &fileEdit{orig: yamledit.Parse([]byte(in)), written: map[string]*Fix{}}
		e.cur = e.orig
		v, _ := ParseValue("true")
		f := &Fix{Op: OpSet, Path: "x", Value: "true", value: v, join: true,
			steps: []yamledit.Step{{Key: "sc"}, {Key: "runAsNonRoot"}}}
		nf, err := e.apply(f)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := string(nf.Bytes()); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
