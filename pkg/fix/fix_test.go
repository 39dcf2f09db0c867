package fix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
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
		// Escapes inside JSON strings decode to what the raw text may not hold.
		{`{"a": "x\ny: z"}`, nil}, {`["a\u0000"]`, nil}, {`{"a": ["\u001b[31m"]}`, nil},
		{"a\u2028b: c", nil}, {"a\u0085b", nil}, {"\ufeffab", nil}, {`["a\u2029"]`, nil},
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
		if err := Apply(plan, Options{TrustRoots: true}); err != nil {
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
		_ = Apply(plan, Options{TrustRoots: true})
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
		_ = Apply(plan, Options{TrustRoots: true})
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
	t.Run("traversal out of the base path", func(t *testing.T) {
		p, sum := podFile(t)
		other, _ := podFile(t)
		// Names the file through the other file's directory: resolved, it
		// is outside the base path, whatever the name says.
		name := filepath.Dir(other) + "/../" + filepath.Base(filepath.Dir(p)) + "/pod.yaml"
		plan := NewPlan(report(t, name, sum, ok), PlanOptions{})
		_ = Apply(plan, Options{BasePath: filepath.Dir(other)})
		if f := single(plan); f.Status != Invalid || !strings.Contains(f.Reason, "outside the base path") {
			t.Errorf("%s: %s", f.Status, f.Reason)
		}
		if got, _ := os.ReadFile(p); string(got) != pod {
			t.Error("a file outside the base path was edited")
		}
	})
	t.Run("dot-dot that stays inside the base path", func(t *testing.T) {
		// A Kustomize base named from its overlay (../../base/x.yaml).
		p, sum := podFile(t)
		name := filepath.Dir(p) + "/../" + filepath.Base(filepath.Dir(p)) + "/pod.yaml"
		plan := NewPlan(report(t, name, sum, ok), PlanOptions{})
		if err := Apply(plan, Options{BasePath: filepath.Dir(filepath.Dir(p))}); err != nil {
			t.Fatal(err)
		}
		if f := single(plan); f.Status != Applied {
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
		_ = Apply(plan, Options{TrustRoots: true})
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
		_ = Apply(plan, Options{TrustRoots: true})
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
		if err := Apply(plan, Options{DryRun: true, TrustRoots: true}); err != nil {
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
	if err := Apply(plan, Options{TrustRoots: true, Confirm: Prompt(strings.NewReader("maybe\nn\ny\nq\n"), &out)}); err != nil {
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
		// A crafted report: template code in the value, positions before
		// the first line or column.
		{3, 5, "privileged", `{{ .Files.Get "secret" }}`, "", "template delimiter"},
		{3, 5, "privileged", "a}}b", "", "template delimiter"},
		{0, 1, "apiVersion", "x", "", "does not exist"},
		{-2, 1, "spec", "x", "", "does not exist"},
		{3, -4, "privileged", "false", "", "does not exist"},
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

// TestMalformedReport feeds values a crafted report may hold where the
// planner expects positions and counts.
func TestMalformedReport(t *testing.T) {
	ok := fixPath("spec.containers[0].securityContext.privileged", "false")
	for _, doc := range []int{-1, -1 << 40} {
		p, sum := podFile(t)
		rep := report(t, p, sum, ok)
		rep.resources["r1"].source.Document = doc
		plan := NewPlan(rep, PlanOptions{})
		if err := Apply(plan, Options{TrustRoots: true}); err != nil {
			t.Fatal(err)
		}
		if f := single(plan); f.Status != Invalid {
			t.Errorf("document %d: %s %s", doc, f.Status, f.Reason)
		}
		if got, _ := os.ReadFile(p); string(got) != pod {
			t.Errorf("document %d: the file was edited", doc)
		}
	}
}

// TestWriteKeepsModeAndOwner: the file replaced keeps its permission
// bits (setgid and sticky included) and, where the process may set it,
// its owner.
func TestWriteKeepsModeAndOwner(t *testing.T) {
	p, sum := podFile(t)
	mode := os.FileMode(0o640) | os.ModeSetgid | os.ModeSticky
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	chowned := os.Chown(p, 4321, 4322) == nil
	plan := NewPlan(report(t, p, sum, fixPath("spec.containers[0].securityContext.privileged", "false")), PlanOptions{})
	if err := Apply(plan, Options{TrustRoots: true}); err != nil {
		t.Fatal(err)
	}
	if f := single(plan); f.Status != Applied {
		t.Fatalf("%s: %s", f.Status, f.Reason)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode() != mode {
		t.Errorf("mode %v, want %v", st.Mode(), mode)
	}
	if uid, gid, ok := owner(st); chowned && ok && (uid != 4321 || gid != 4322) {
		t.Errorf("owner %d:%d, want 4321:4322", uid, gid)
	}
}

// TestChangedWhileFixing: content written by someone else between the
// hash check and the rename is not overwritten.
func TestChangedWhileFixing(t *testing.T) {
	p, sum := podFile(t)
	plan := NewPlan(report(t, p, sum, fixPath("spec.containers[0].securityContext.privileged", "false")), PlanOptions{})
	other := pod + "# edited meanwhile\n"
	err := Apply(plan, Options{TrustRoots: true, Confirm: func(*Fix, string) (Decision, error) {
		putFile(t, p, []byte(other))
		return Yes, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != other {
		t.Errorf("the change made meanwhile was overwritten:\n%s", got)
	}
	if f := single(plan); f.Status == Applied {
		t.Errorf("%s: %s", f.Status, f.Reason)
	}
}

// TestControlCharacterFileName: a file name that would break the lines of
// the diff's header (and with them what git apply reads) is refused.
func TestControlCharacterFileName(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pod.yaml\n+++ b/other.yaml")
	putFile(t, p, []byte(pod))
	plan := NewPlan(report(t, p, sha(pod), fixPath("spec.containers[0].securityContext.privileged", "false")), PlanOptions{})
	if err := Apply(plan, Options{DryRun: true, TrustRoots: true}); err != nil {
		t.Fatal(err)
	}
	if f := single(plan); f.Status != Invalid {
		t.Errorf("%s: %s", f.Status, f.Reason)
	}
	var diff bytes.Buffer
	if err := plan.WriteDiff(&diff); err != nil || diff.Len() != 0 {
		t.Errorf("diff %q, %v", diff.String(), err)
	}
}

// TestSummaryEscapesControlCharacters: report text printed in the summary
// cannot add lines to it or send escape sequences to the terminal.
func TestSummaryEscapesControlCharacters(t *testing.T) {
	p, sum := podFile(t)
	rep := report(t, p, sum,
		fixPath("spec.containers[0].securityContext.privileged", "false\n  applied     Pod/x/p  fake"),
		fixPath("spec.\x1b[2Jx", "1"),
		map[string]any{"reviewPath": "spec.\x1b]0;title\x07", "location": map[string]any{"file": "a\nb"}},
	)
	rep.resources["r1"].name = "Pod/x/p\x1b[31m"
	for _, rs := range rep.doc.Results {
		for i := range rs.Controls {
			rs.Controls[i].ControlID = "C-1\nfake"
		}
	}
	plan := NewPlan(rep, PlanOptions{})
	if err := Apply(plan, Options{DryRun: true, TrustRoots: true}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := plan.WriteSummary(&out, true); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.ContainsAny(s, "\x1b\x07") {
		t.Errorf("escape sequence in the summary:\n%q", s)
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "  applied") || strings.HasPrefix(l, "fake") || l == "b" {
			t.Errorf("a report value added the line %q:\n%s", l, s)
		}
	}
}

// TestDiffMemory: a long file with many fixes spread through it (a big
// List) is diffed in memory that grows with the changes, not with the
// changes times the file's length.
func TestDiffMemory(t *testing.T) {
	var old, new strings.Builder
	for i := range 12000 {
		fmt.Fprintf(&old, "line %d\n", i)
		if i%12 == 0 {
			fmt.Fprintf(&new, "changed %d\n", i)
		} else {
			fmt.Fprintf(&new, "line %d\n", i)
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d := Diff("x", []byte(old.String()), []byte(new.String()))
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 128<<20 {
		t.Errorf("the diff allocated %d MiB", n>>20)
	}
	var minus, plus int
	for _, l := range strings.Split(d, "\n") {
		switch {
		case strings.HasPrefix(l, "-line "):
			minus++
		case strings.HasPrefix(l, "+changed "):
			plus++
		}
	}
	if minus != 1000 || plus != 1000 {
		t.Errorf("%d lines removed and %d added, want 1000 each", minus, plus)
	}
}

// TestDiffLinesRandom checks the edit script on random inputs: it
// rebuilds both sides and is as short as the longest common subsequence
// allows.
func TestDiffLinesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gen := func() []string {
		out := make([]string, rng.IntN(12))
		for i := range out {
			out[i] = string(rune('a'+rng.IntN(3))) + "\n"
		}
		return out
	}
	for range 3000 {
		a, b := gen(), gen()
		var ra, rb []string
		edits := 0
		for _, o := range diffLines(a, b) {
			if o.kind != '+' {
				ra = append(ra, a[o.a])
			}
			if o.kind != '-' {
				rb = append(rb, b[o.b])
			}
			if o.kind != ' ' {
				edits++
			}
		}
		lcs := make([][]int, len(a)+1)
		for i := range lcs {
			lcs[i] = make([]int, len(b)+1)
		}
		for i := len(a) - 1; i >= 0; i-- {
			for j := len(b) - 1; j >= 0; j-- {
				if a[i] == b[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		if strings.Join(ra, "") != strings.Join(a, "") || strings.Join(rb, "") != strings.Join(b, "") || edits != len(a)+len(b)-2*lcs[0][0] {
			t.Fatalf("%q -> %q: %d edits, rebuilt %q, %q", a, b, edits, ra, rb)
		}
	}
}

// TestTemplatePlaceholder: a placeholder meant for a template literal is
// skipped without --include-placeholders, also with --edit-templates.
func TestTemplatePlaceholder(t *testing.T) {
	dir := t.TempDir()
	tmpl := "spec:\n  containers:\n  - name: c\n    image: nginx:1.27\n"
	p := filepath.Join(dir, "templates", "pod.yaml")
	putFile(t, p, []byte(tmpl))
	doc := map[string]any{
		"resources": []any{map[string]any{
			"resourceID": "r1",
			"object":     map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "p"}},
			"source": map[string]any{"vigil": map[string]any{"file": dir, "kind": "helm",
				"files": map[string]string{p: sha(tmpl)}}},
		}},
		"results": []any{map[string]any{"resourceID": "r1", "controls": []any{map[string]any{
			"controlID": "C-0078", "status": map[string]any{"status": "failed"},
			"rules": []any{map[string]any{"paths": []any{map[string]any{
				"fixPath": map[string]any{"path": "spec.containers[0].image", "value": "nginx@sha256:YOUR_IMAGE_DIGEST"},
				"location": map[string]any{"file": p, "line": 4, "column": 5, "exact": true, "foundPath": "spec.containers[0].image",
					"origins": []any{map[string]any{"kind": "helm-template", "file": p, "line": 4, "column": 5, "exact": true}}},
			}}}},
		}}}},
		"vigil": map[string]any{"target": map[string]any{"roots": []string{dir}}},
	}
	data, _ := json.Marshal(doc)
	rep, err := ReadReport(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plan := NewPlan(rep, PlanOptions{EditTemplates: true})
	if err := Apply(plan, Options{TrustRoots: true}); err != nil {
		t.Fatal(err)
	}
	if f := single(plan); f.Status != Skipped || !strings.Contains(f.Reason, "placeholder") {
		t.Errorf("%s: %s", f.Status, f.Reason)
	}
	if got, _ := os.ReadFile(p); string(got) != tmpl {
		t.Errorf("the template was edited:\n%s", got)
	}
	plan = NewPlan(rep, PlanOptions{EditTemplates: true, IncludePlaceholders: true})
	if err := Apply(plan, Options{DryRun: true, TrustRoots: true}); err != nil {
		t.Fatal(err)
	}
	if f := single(plan); f.Status != Applied {
		t.Errorf("with --include-placeholders: %s: %s", f.Status, f.Reason)
	}
}

// TestDirectorySwappedForLink: a directory replaced by a link to outside
// the base path between the checks and the write does not take the write
// outside.
func TestDirectorySwappedForLink(t *testing.T) {
	base, outside := t.TempDir(), t.TempDir()
	p := filepath.Join(base, "sub", "pod.yaml")
	putFile(t, p, []byte(pod))
	putFile(t, filepath.Join(outside, "pod.yaml"), []byte(pod))
	plan := NewPlan(report(t, p, sha(pod), fixPath("spec.containers[0].securityContext.privileged", "false")), PlanOptions{})
	err := Apply(plan, Options{BasePath: base, Confirm: func(*Fix, string) (Decision, error) {
		if err := os.Rename(filepath.Join(base, "sub"), filepath.Join(base, "sub.old")); err != nil {
			return Quit, err
		}
		return Yes, os.Symlink(outside, filepath.Join(base, "sub"))
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(outside, "pod.yaml")); string(got) != pod {
		t.Errorf("the file outside the base path was edited:\n%s", got)
	}
	if f := single(plan); f.Status == Applied {
		t.Errorf("%s: %s", f.Status, f.Reason)
	}
	if m, _ := filepath.Glob(filepath.Join(outside, ".vigil-fix-*")); len(m) > 0 {
		t.Errorf("temporary files left outside: %v", m)
	}
}

// TestBasePathIsTheFile: --base-path may name the file to fix itself.
func TestBasePathIsTheFile(t *testing.T) {
	p, sum := podFile(t)
	plan := NewPlan(report(t, p, sum, fixPath("spec.containers[0].securityContext.privileged", "false")), PlanOptions{})
	if err := Apply(plan, Options{BasePath: p}); err != nil {
		t.Fatal(err)
	}
	if f := single(plan); f.Status != Applied {
		t.Errorf("%s: %s", f.Status, f.Reason)
	}
}

// TestOneFileNamedTwoWays: objects whose report names one file two ways
// (relative and absolute) have their fixes made in one edit of it, so a
// dry run prints one diff that applies, and a run applies both.
func TestOneFileNamedTwoWays(t *testing.T) {
	const two = pod + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: q\n  namespace: x\nspec:\n  containers:\n  - name: c\n    securityContext:\n      privileged: true\n"
	dir := t.TempDir()
	p := filepath.Join(dir, "pods.yaml")
	putFile(t, p, []byte(two))
	t.Chdir(dir)
	res := func(id, name, file string, doc int) map[string]any {
		return map[string]any{
			"resourceID": id,
			"object":     map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": name, "namespace": "x"}},
			"source":     map[string]any{"vigil": map[string]any{"file": file, "document": doc, "kind": "file", "sha256": sha(two)}},
		}
	}
	result := func(id string) map[string]any {
		return map[string]any{"resourceID": id, "controls": []any{map[string]any{
			"controlID": "C-0057", "status": map[string]any{"status": "failed"},
			"rules": []any{map[string]any{"paths": []any{fixPath("spec.containers[0].securityContext.privileged", "false")}}},
		}}}
	}
	data, _ := json.Marshal(map[string]any{
		"resources": []any{res("r1", "p", "pods.yaml", 0), res("r2", "q", p, 1)},
		"results":   []any{result("r1"), result("r2")},
		"vigil":     map[string]any{"target": map[string]any{"roots": []string{dir}}},
	})
	rep, err := ReadReport(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(two, "privileged: true", "privileged: false")
	plan := NewPlan(rep, PlanOptions{})
	if err := Apply(plan, Options{DryRun: true, TrustRoots: true}); err != nil {
		t.Fatal(err)
	}
	var diff bytes.Buffer
	if err := plan.WriteDiff(&diff); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(diff.String(), "+++ "); n != 1 {
		t.Errorf("%d diffs of one file:\n%s", n, diff.String())
	}
	plan = NewPlan(rep, PlanOptions{})
	if err := Apply(plan, Options{TrustRoots: true}); err != nil {
		t.Fatal(err)
	}
	if tt := plan.Totals(); tt.Applied != 2 || tt.Invalid+tt.Failed != 0 {
		t.Errorf("totals %+v", tt)
	}
	if got, _ := os.ReadFile(p); string(got) != want {
		t.Errorf("got\n%s", got)
	}
}

// TestUntrustedRoots: a report is input, so the roots it claims to have
// scanned bound the edits only inside the working directory; a report
// claiming "/" opens nothing without --base-path.
func TestUntrustedRoots(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pod.yaml")
	if err := os.WriteFile(p, []byte(pod), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := func(root string) *Plan {
		r := report(t, p, sha(pod), fixPath("spec.containers[0].securityContext.privileged", "false"))
		r.Roots = []string{root}
		return NewPlan(r, PlanOptions{})
	}
	t.Chdir(t.TempDir())
	err := Apply(rep("/"), Options{DryRun: true})
	if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "outside the working directory") {
		t.Errorf("a report claiming / was accepted: %v", err)
	}
	if err := Apply(rep(dir), Options{DryRun: true}); err == nil {
		t.Error("a root outside the working directory was accepted without --base-path")
	}
	if err := Apply(rep(dir), Options{DryRun: true, BasePath: dir}); err != nil {
		t.Errorf("with --base-path: %v", err)
	}
	t.Chdir(dir)
	if err := Apply(rep(dir), Options{DryRun: true}); err != nil {
		t.Errorf("a root inside the working directory: %v", err)
	}
}
