package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/object"
)

func render(t *testing.T, opts Options) *Result {
	t.Helper()
	res, err := Render(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func find(t *testing.T, res *Result, kind, name string) Rendered {
	t.Helper()
	for _, r := range res.Objects {
		if r.Object.ID.Kind == kind && r.Object.ID.Name == name {
			return r
		}
	}
	var have []string
	for _, r := range res.Objects {
		have = append(have, r.Object.ID.String())
	}
	t.Fatalf("no %s %s among %v", kind, name, have)
	return Rendered{}
}

// want is an expected origin: kind, file (suffix), line, column and, for
// values, the key. Column 0 is not checked.
type want struct {
	kind string
	file string
	line int
	col  int
	key  string
}

func (w want) String() string {
	return fmt.Sprintf("%s %s:%d:%d %s", w.kind, w.file, w.line, w.col, w.key)
}

func describe(os []object.Origin) string {
	var b strings.Builder
	for _, o := range os {
		fmt.Fprintf(&b, "\n    %s %s:%d:%d key=%q exact=%v tmpl=%s:%d %s", o.Kind, o.File, o.Line, o.Column, o.ValuesKey, o.Exact, o.Template, o.TemplateLine, o.Detail)
	}
	return b.String()
}

func checkOrigins(t *testing.T, r Rendered, path string, wants ...want) {
	t.Helper()
	got := r.Origins.Origins(path)
	if len(got) < len(wants) {
		t.Errorf("%s: got %d origins, want at least %d:%s", path, len(got), len(wants), describe(got))
		return
	}
	for i, w := range wants {
		o := got[i]
		if o.Kind != w.kind || !strings.HasSuffix(filepath.ToSlash(o.File), w.file) || o.Line != w.line ||
			(w.col != 0 && o.Column != w.col) || o.ValuesKey != w.key || !o.Exact {
			t.Errorf("%s: origin %d = %s %s:%d:%d key=%q exact=%v, want %v (all:%s)", path, i, o.Kind, o.File, o.Line, o.Column, o.ValuesKey, o.Exact, w, describe(got))
		}
	}
}

const (
	tmpl = object.OriginHelmTemplate
	vals = object.OriginHelmValues
)

// TestDemoOrigins is the golden test: a literal, values used in a string,
// toYaml of values, range loops over maps and scalars, and include of
// define helpers, each traced to its file, line and column.
func TestDemoOrigins(t *testing.T) {
	res := render(t, Options{Chart: "testdata/demo"})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if res.Traced.Exact != 2 {
		t.Errorf("traced = %+v, want both files traced exactly", res.Traced)
	}
	d := find(t, res, "Deployment", "release-name-demo")
	if got := d.Object.Source.Path; got != filepath.Join("testdata", "demo", "templates", "deployment.yaml") {
		t.Errorf("source path = %s", got)
	}
	c := "spec.template.spec.containers[0]"
	// A literal written in the template.
	checkOrigins(t, d, c+".securityContext.privileged", want{tmpl, "templates/deployment.yaml", 24, 13, ""})
	// Values printed in a string: both keys, then the template line.
	checkOrigins(t, d, c+".image",
		want{vals, "demo/values.yaml", 2, 3, "image.repository"},
		want{vals, "demo/values.yaml", 3, 3, "image.tag"},
		want{tmpl, "templates/deployment.yaml", 22, 11, ""})
	// toYaml | nindent of a values map: each key to its values line.
	checkOrigins(t, d, c+".resources.limits.cpu",
		want{vals, "demo/values.yaml", 6, 5, "resources.limits.cpu"},
		want{tmpl, "templates/deployment.yaml", 36, 13, ""})
	checkOrigins(t, d, c+".resources",
		want{vals, "demo/values.yaml", 4, 1, "resources"},
		want{tmpl, "templates/deployment.yaml", 35, 11, ""})
	checkOrigins(t, d, "spec.template.spec.securityContext.runAsNonRoot",
		want{vals, "demo/values.yaml", 17, 3, "securityContext.runAsNonRoot"})
	// An empty map printed after its key on the same line.
	checkOrigins(t, d, "spec.template.metadata.annotations",
		want{vals, "demo/values.yaml", 18, 1, "podAnnotations"},
		want{tmpl, "templates/deployment.yaml", 16, 7, ""})
	// Range over a list of scalars and a list of maps.
	checkOrigins(t, d, c+".args[1]",
		want{vals, "demo/values.yaml", 15, 5, "extraArgs[1]"},
		want{tmpl, "templates/deployment.yaml", 28, 15, ""})
	checkOrigins(t, d, c+".ports[1].containerPort",
		want{vals, "demo/values.yaml", 12, 5, "ports[1].port"},
		want{tmpl, "templates/deployment.yaml", 33, 15, ""})
	checkOrigins(t, d, c+".ports[1].name",
		want{vals, "demo/values.yaml", 11, 5, "ports[1].name"},
		want{tmpl, "templates/deployment.yaml", 32, 15, ""})
	// include of a define: the helper's line, then the include site.
	checkOrigins(t, d, c+".securityContext.readOnlyRootFilesystem",
		want{tmpl, "templates/_helpers.tpl", 12, 1, ""},
		want{tmpl, "templates/deployment.yaml", 25, 13, ""})
	checkOrigins(t, d, "metadata.labels.app.kubernetes.io/name",
		want{tmpl, "templates/_helpers.tpl", 6, 1, ""},
		want{tmpl, "templates/deployment.yaml", 6, 5, ""})
	// The object itself.
	checkOrigins(t, d, "", want{tmpl, "templates/deployment.yaml", 1, 1, ""})
	if d.Object.Source.Line != 1 || d.Object.Source.Kind != "helm" {
		t.Errorf("source = %+v", d.Object.Source)
	}

	// A range inside with, with $ for the root context.
	s := find(t, res, "Service", "release-name-demo")
	checkOrigins(t, s, "spec.ports[0].port",
		want{vals, "demo/values.yaml", 10, 5, "ports[0].port"},
		want{tmpl, "templates/service.yaml", 10, 7, ""})
}

// TestMissingPathResolvesToParent: a field a fix would add resolves to
// its nearest existing parent, inexactly.
func TestMissingPathResolvesToParent(t *testing.T) {
	res := render(t, Options{Chart: "testdata/demo"})
	d := find(t, res, "Deployment", "release-name-demo")
	path := "spec.template.spec.containers[0].resources.requests.memory"
	os, found, ok := object.ResolveOrigins(d.Origins, path)
	if !ok || found != "spec.template.spec.containers[0].resources" {
		t.Fatalf("resolved %q ok=%v", found, ok)
	}
	if os[0].Kind != vals || os[0].ValuesKey != "resources" || os[0].Line != 4 || os[0].Exact {
		t.Errorf("origin = %+v, want the resources key of values.yaml, inexact", os[0])
	}
	// Positions are the template's: a report that knows nothing of
	// origins still shows a line of the file users edit.
	pos, at, ok := d.Object.Positions.Resolve(path)
	if !ok || at != "spec.template.spec.containers[0].resources" || pos.Line != 35 {
		t.Errorf("positions resolve %s to %s line %d", path, at, pos.Line)
	}
}

// TestUserValuesOrigins: -f files and --set flags override the chart's
// values, and the origin is the source that won.
func TestUserValuesOrigins(t *testing.T) {
	dir := t.TempDir()
	f1 := filepath.Join(dir, "prod.yaml")
	if err := os.WriteFile(f1, []byte("image:\n  tag: \"2.0\"\nresources:\n  limits:\n    cpu: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := render(t, Options{Chart: "testdata/demo", ValueFiles: []string{f1},
		Set: []string{"securityContext.runAsNonRoot=false"}, SetString: []string{"extraArgs[0]=--quiet"}})
	d := find(t, res, "Deployment", "release-name-demo")
	c := "spec.template.spec.containers[0]"
	checkOrigins(t, d, c+".image",
		want{vals, "demo/values.yaml", 2, 3, "image.repository"},
		want{vals, "prod.yaml", 2, 3, "image.tag"})
	checkOrigins(t, d, c+".resources.limits.cpu", want{vals, "prod.yaml", 5, 5, "resources.limits.cpu"})
	checkOrigins(t, d, c+".resources.limits.memory", want{vals, "demo/values.yaml", 7, 5, "resources.limits.memory"})
	o := d.Origins.Origins("spec.template.spec.securityContext.runAsNonRoot")
	if len(o) == 0 || o[0].Kind != vals || o[0].File != "" || o[0].Detail != "--set securityContext.runAsNonRoot=…" || o[0].ValuesKey != "securityContext.runAsNonRoot" {
		t.Errorf("--set origin:%s", describe(o))
	}
	o = d.Origins.Origins(c + ".args[0]")
	if len(o) == 0 || o[0].Detail != "--set-string extraArgs[0]=…" {
		t.Errorf("--set-string origin:%s", describe(o))
	}
}

// TestSubchartAndMissingDependency: a vendored subchart's values come from
// its own values.yaml or the parent's, globals included; an enabled
// dependency that is not vendored is an error naming how to vendor it, a
// disabled one a note, and what renders is still scanned.
func TestSubchartAndMissingDependency(t *testing.T) {
	res := render(t, Options{Chart: "testdata/parent"})
	pod := find(t, res, "Pod", "child")
	if got := filepath.ToSlash(pod.Object.Source.Path); got != "testdata/parent/charts/child/templates/pod.yaml" {
		t.Errorf("subchart template path = %s", got)
	}
	checkOrigins(t, pod, "spec.containers[0].securityContext.runAsUser",
		want{vals, "parent/values.yaml", 8, 5, "child.securityContext.runAsUser"})
	checkOrigins(t, pod, "spec.containers[0].securityContext.privileged",
		want{vals, "parent/charts/child/values.yaml", 5, 3, "securityContext.privileged"})
	checkOrigins(t, pod, "spec.containers[0].image",
		want{vals, "parent/values.yaml", 10, 3, "global.registry"},
		want{vals, "parent/charts/child/values.yaml", 2, 1, "image"})
	find(t, res, "ConfigMap", "release-name-settings")

	var errs []string
	for _, e := range res.Errors {
		errs = append(errs, e.Error())
	}
	all := strings.Join(errs, "\n")
	for _, w := range []string{
		"testdata/parent/Chart.yaml:7: chart parent depends on database 12.1.0 from https://charts.example.com/stable, which is not vendored in charts/",
		"vendor it with `helm dependency build testdata/parent`",
		"db-secret.yaml:4: template not rendered",
		`no template "database.fullname"`,
	} {
		if !strings.Contains(all, w) {
			t.Errorf("errors lack %q:\n%s", w, all)
		}
	}
	if len(res.Errors) != 2 {
		t.Errorf("want 2 errors (missing database, db-secret.yaml), got:\n%s", all)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0].String(), "depends on cache 3.0.0") || !strings.Contains(res.Notes[0].String(), "disabled (cache.enabled is false)") {
		t.Errorf("notes = %v", res.Notes)
	}
	if len(res.Missing) != 2 || !res.Missing[0].Enabled || res.Missing[1].Enabled {
		t.Errorf("missing = %+v", res.Missing)
	}
}

// TestRequired: a missing required value names the value and the template
// line; the other templates (even one that includes the failing one for a
// checksum) are scanned; with the value set, everything renders.
func TestRequired(t *testing.T) {
	res := render(t, Options{Chart: "testdata/required"})
	if len(res.Errors) != 1 {
		t.Fatalf("errors = %v", res.Errors)
	}
	e := res.Errors[0]
	if e.Line != 6 || !strings.HasSuffix(filepath.ToSlash(e.Path), "required/templates/secret.yaml") ||
		!strings.Contains(e.Reason, "required value .Values.auth.password is not set") ||
		!strings.Contains(e.Reason, `"auth.password must be set"`) ||
		!strings.Contains(e.Reason, "--set auth.password=") {
		t.Errorf("error = %v", e)
	}
	if len(res.Objects) != 1 || res.Objects[0].Object.ID.Kind != "Deployment" {
		t.Errorf("objects = %d, want the Deployment", len(res.Objects))
	}
	res = render(t, Options{Chart: "testdata/required", Set: []string{"auth.password=x"}})
	if len(res.Errors) != 0 || len(res.Objects) != 2 {
		t.Errorf("with the value set: %d objects, errors %v", len(res.Objects), res.Errors)
	}
}

// TestSchema: values violating values.schema.json are reported, and the
// chart is still scanned as rendered.
func TestSchema(t *testing.T) {
	res := render(t, Options{Chart: "testdata/required", Set: []string{"auth.password=x", "replicas=0"}})
	if len(res.Errors) != 1 || !strings.HasSuffix(res.Errors[0].Path, "values.schema.json") ||
		!strings.Contains(res.Errors[0].Reason, "values do not match values.schema.json") ||
		!strings.Contains(res.Errors[0].Reason, "replicas") {
		t.Errorf("errors = %v", res.Errors)
	}
	if len(res.Objects) != 2 {
		t.Errorf("objects = %d", len(res.Objects))
	}
	res = render(t, Options{Chart: "testdata/required", Set: []string{"auth.password=x", "replicas=0"}, SkipSchemaValidation: true})
	if len(res.Errors) != 0 {
		t.Errorf("skipped validation still reports %v", res.Errors)
	}
}

// TestRemoteSchemaNotFetched: a schema $ref to a URL is not fetched
// without AllowNetwork, and says so.
func TestRemoteSchemaNotFetched(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":         "apiVersion: v2\nname: remote\nversion: 0.1.0\n",
		"values.yaml":        "a: 1\n",
		"values.schema.json": `{"$ref": "https://schemas.example.invalid/values.json"}`,
		"templates/cm.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
	})
	res := render(t, Options{Chart: dir})
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Reason, "network access is off") {
		t.Errorf("errors = %v", res.Errors)
	}
	if len(res.Objects) != 1 {
		t.Errorf("objects = %d", len(res.Objects))
	}
}

// TestArchive renders a packaged chart; paths name the archive and the
// file inside it.
func TestArchive(t *testing.T) {
	tgz := filepath.Join(t.TempDir(), "demo-0.1.0.tgz")
	packChart(t, "testdata/demo", "demo", tgz)
	res := render(t, Options{Chart: tgz})
	d := find(t, res, "Deployment", "release-name-demo")
	if want := tgz + "#demo/templates/deployment.yaml"; d.Object.Source.Path != want {
		t.Errorf("path = %s, want %s", d.Object.Source.Path, want)
	}
	checkOrigins(t, d, "spec.template.spec.containers[0].resources.limits.cpu",
		want{vals, "demo-0.1.0.tgz#demo/values.yaml", 6, 5, "resources.limits.cpu"})
}

// TestIncludeCRDs adds crds/ files with their own positions.
func TestIncludeCRDs(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":        "apiVersion: v2\nname: withcrd\nversion: 0.1.0\n",
		"crds/crd.yaml":     "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\n",
		"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
	})
	if n := len(render(t, Options{Chart: dir}).Objects); n != 1 {
		t.Errorf("without IncludeCRDs: %d objects", n)
	}
	res := render(t, Options{Chart: dir, IncludeCRDs: true})
	crd := find(t, res, "CustomResourceDefinition", "things.example.com")
	if crd.Origins != nil || crd.Object.Positions == nil || !strings.HasSuffix(crd.Object.Source.Path, filepath.Join("crds", "crd.yaml")) {
		t.Errorf("crd = %+v", crd.Object.Source)
	}
}

// TestRenderedYAMLErrorPointsAtTemplate: invalid rendered YAML is reported
// at the template line that produced it.
func TestRenderedYAMLErrorPointsAtTemplate(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":         "apiVersion: v2\nname: broken\nversion: 0.1.0\n",
		"values.yaml":        "x: 1\n",
		"templates/bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: [\n",
	})
	res := render(t, Options{Chart: dir})
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Reason, "rendered output is not valid YAML") {
		t.Errorf("errors = %v", res.Errors)
	}
}

// TestSource loads a chart as a source.Source.
func TestSource(t *testing.T) {
	s := &Source{Options: Options{Chart: "testdata/demo"}}
	inv, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Objects) != 2 || len(s.Origins) != 2 || inv.Target != "file" {
		t.Errorf("inventory: %d objects, %d origin maps", len(inv.Objects), len(s.Origins))
	}
	for _, o := range inv.Objects {
		if s.Origins[o] == nil {
			t.Errorf("%s has no origins", o.ID)
		}
	}
}

func TestBadInputs(t *testing.T) {
	for _, opts := range []Options{
		{Chart: "testdata/nope"},
		{Chart: "testdata"},
		{Chart: "testdata/demo", ValueFiles: []string{"testdata/nope.yaml"}},
		{Chart: "testdata/demo", ValueFiles: []string{"https://example.com/values.yaml"}},
		{Chart: "testdata/demo", Set: []string{"novalue"}},
		{Chart: "testdata/demo", KubeVersion: "banana"},
	} {
		if _, err := Render(context.Background(), opts); err == nil {
			t.Errorf("%+v: no error", opts)
		}
	}
}

func writeChart(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "chart")
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func packChart(t *testing.T, dir, top, out string) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if err := tw.WriteHeader(&tar.Header{Name: top + "/" + filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestInstrumentationKeepsOutput: templates that compare, parse, truncate,
// hash or quote the text of defines compute the same with markers in it,
// so every file is traced exactly.
func TestInstrumentationKeepsOutput(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":  "apiVersion: v2\nname: tricky\nversion: 0.1.0\n",
		"values.yaml": "enabled: true\nobj:\n  a: 1\nmsg: \"hello {{ .Release.Name }}\"\nlabels:\n  team: x\n",
		"templates/_helpers.tpl": `{{- define "t.enabled" -}}
{{- if .Values.enabled -}}
true
{{- end -}}
{{- end -}}
{{- define "t.kv" -}}
key: value
other: thing
{{- end -}}
{{- define "t.name" -}}
name: a-rather-long-name-for-a-define-output
{{- end -}}
`,
		"templates/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  {{- if eq (include "t.enabled" .) "true" }}
  enabled: "yes"
  {{- end }}
  {{- $m := include "t.kv" . | fromYaml }}
  fromYaml: {{ $m.key }}
  trunc: {{ include "t.name" . | trunc 12 | quote }}
  upper: {{ include "t.kv" . | upper | quote }}
  length: {{ len (include "t.kv" .) | quote }}
  printf: {{ printf "%q" (include "t.kv" .) }}
  json: {{ toJson .Values.obj | quote }}
  tpl: {{ tpl .Values.msg . | quote }}
  sha: {{ include "t.kv" . | sha256sum }}
  b64: {{ include "t.kv" . | b64enc }}
  kv: |
    {{- include "t.kv" . | nindent 4 }}
`,
		"templates/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    checksum/cm: {{ include (print $.Template.BasePath "/cm.yaml") . | sha256sum }}
  labels:
    {{- toYaml .Values.labels | nindent 4 }}
    {{- include "t.kv" . | nindent 4 }}
`,
	})
	res := render(t, Options{Chart: dir})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if res.Traced.Exact != 2 {
		t.Errorf("traced = %+v, want both files exact", res.Traced)
	}
	cm := find(t, res, "ConfigMap", "cm")
	if s := cm.Object.Value.String(); !strings.Contains(s, `"enabled": "yes"`) || !strings.Contains(s, `"trunc": "name: a-rath"`) || !strings.Contains(s, `"length": "23"`) {
		t.Errorf("rendered %s", s)
	}
	d := find(t, res, "Deployment", "d")
	checkOrigins(t, d, "metadata.labels.team", want{vals, "values.yaml", 6, 3, "labels.team"})
	checkOrigins(t, d, "metadata.labels.other", want{tmpl, "templates/_helpers.tpl", 8, 1, ""}, want{tmpl, "templates/deploy.yaml", 9, 5, ""})
}

// TestTracingFallbacks: when marked define text changes what a template
// computes (here through the index builtin), that file is traced without
// markers in defines; it is never traced wrongly.
func TestTracingFallbacks(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":             "apiVersion: v2\nname: fallback\nversion: 0.1.0\n",
		"values.yaml":            "image: nginx\n",
		"templates/_helpers.tpl": "{{- define \"f.kv\" -}}\nkey: value\n{{- end -}}\n",
		"templates/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  first: {{ index (include "f.kv" .) 0 | quote }}
  kv: |
    {{- include "f.kv" . | nindent 4 }}
  image: {{ .Values.image }}
`,
	})
	res := render(t, Options{Chart: dir})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if res.Traced.NoDefines != 1 || res.Traced.Exact != 0 {
		t.Errorf("traced = %+v, want the file traced without define markers", res.Traced)
	}
	cm := find(t, res, "ConfigMap", "cm")
	checkOrigins(t, cm, "data.image", want{vals, "values.yaml", 1, 1, "image"}, want{tmpl, "templates/cm.yaml", 9, 3, ""})
	checkOrigins(t, cm, "data.first", want{tmpl, "templates/cm.yaml", 6, 3, ""})
}

func TestAlignLines(t *testing.T) {
	a := "a\nb\nchecksum: 111\nc\nd\n"
	b := "a\nb\nchecksum: 222\nc\nd\n"
	got := fmt.Sprint(alignLines(a, b))
	if got != "[0 1 -1 3 4 5]" {
		t.Errorf("align = %s", got)
	}
	got = fmt.Sprint(alignLines("x\na\nb\n", "a\nb\n"))
	if got != "[-1 0 1 2]" {
		t.Errorf("align with an extra line = %s", got)
	}
}

// TestPackagedSubchart: a subchart vendored as a .tgz in charts/ is
// rendered, and its files are named inside the archive.
func TestPackagedSubchart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "parent")
	copyDir(t, "testdata/parent", dir)
	if err := os.RemoveAll(filepath.Join(dir, "charts", "child")); err != nil {
		t.Fatal(err)
	}
	packChart(t, "testdata/parent/charts/child", "child", filepath.Join(dir, "charts", "child-0.1.0.tgz"))
	res := render(t, Options{Chart: dir})
	pod := find(t, res, "Pod", "child")
	if want := filepath.Join(dir, "charts", "child-0.1.0.tgz") + "#child/templates/pod.yaml"; pod.Object.Source.Path != want {
		t.Errorf("path = %s, want %s", pod.Object.Source.Path, want)
	}
	checkOrigins(t, pod, "spec.containers[0].securityContext.privileged",
		want{vals, "child-0.1.0.tgz#child/values.yaml", 5, 3, "securityContext.privileged"})
}

func TestSetJSON(t *testing.T) {
	res := render(t, Options{Chart: "testdata/demo", SetJSON: []string{`{"image":{"tag":"3.0"}}`, `extraArgs=["--x"]`}})
	d := find(t, res, "Deployment", "release-name-demo")
	o := d.Origins.Origins("spec.template.spec.containers[0].image")
	if len(o) < 2 || o[1].Detail != `--set-json …` {
		t.Errorf("origins:%s", describe(o))
	}
	o = d.Origins.Origins("spec.template.spec.containers[0].args[0]")
	if len(o) == 0 || o[0].Detail != `--set-json extraArgs=…` || o[0].ValuesKey != "extraArgs[0]" {
		t.Errorf("origins:%s", describe(o))
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
