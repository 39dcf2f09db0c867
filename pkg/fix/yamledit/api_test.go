package yamledit

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParsePath(t *testing.T) {
	k := func(s string) Step { return Step{Key: s} }
	i := func(n int) Step { return Step{Index: n, IsIndex: true} }
	good := []struct {
		in   string
		want []Step
	}{
		{"", nil},
		{"spec", []Step{k("spec")}},
		{"spec.containers[0].securityContext.privileged", []Step{k("spec"), k("containers"), i(0), k("securityContext"), k("privileged")}},
		{"[0]", []Step{i(0)}},
		{"matrix[1][12]", []Step{k("matrix"), i(1), i(12)}},
		{`metadata.labels["app.kubernetes.io/name"]`, []Step{k("metadata"), k("labels"), k("app.kubernetes.io/name")}},
		{`a['b[0]'].c`, []Step{k("a"), k("b[0]"), k("c")}},
		{`a["q\"uote"]`, []Step{k("a"), k(`q"uote`)}},
		{"metadata.labels.app.kubernetes.io/name", []Step{k("metadata"), k("labels"), k("app"), k("kubernetes"), k("io/name")}},
	}
	for _, c := range good {
		got, err := ParsePath(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParsePath(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{".a", "a.", "a..b", "a.[0]", "a[x]", "a[-1]", "a[+1]", "a[", "a]b", "a[0]b", `a["x"`, `a["x"y]`, "a[]"} {
		if got, err := ParsePath(in); err == nil {
			t.Errorf("ParsePath(%q) = %v, want an error", in, got)
		}
	}
}

func TestFormatPathRoundTrip(t *testing.T) {
	for _, p := range []string{"a", "a.b[0].c", "[3]", "a[1][2].b"} {
		steps, err := ParsePath(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatPath(steps); got != p {
			t.Errorf("FormatPath(ParsePath(%q)) = %q", p, got)
		}
	}
	if got := (Address{Doc: 2}).String(); got != "document 2, (root)" {
		t.Errorf("Address.String() = %q", got)
	}
}

func TestValues(t *testing.T) {
	for _, s := range []string{"0", "-12", "0644", "0o17", "0x1F", "18446744073709551615"} {
		if _, err := IntValue(s); err != nil {
			t.Errorf("IntValue(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "1.5", "08", "1_000", "99999999999999999999", "x"} {
		if _, err := IntValue(s); err == nil {
			t.Errorf("IntValue(%q) succeeded", s)
		}
	}
	for _, s := range []string{"1.5", "-0.25", ".5", "1.0e3"} {
		if _, err := FloatValue(s); err != nil {
			t.Errorf("FloatValue(%q): %v", s, err)
		}
	}
	for _, s := range []string{"1", "1e3", ".inf", "NaN", "1.0e999"} {
		if _, err := FloatValue(s); err == nil {
			t.Errorf("FloatValue(%q) succeeded", s)
		}
	}
	octal, _ := IntValue("0644")
	v := Value{Kind: Map, Map: map[string]Value{
		"mode": octal, "on": BoolValue(true), "name": StringValue("a b"),
		"list": {Kind: List, List: []Value{StringValue("x"), {Kind: Null}}},
	}}
	want := map[string]any{"mode": int64(0o644), "on": true, "name": "a b", "list": []any{"x", nil}}
	if got := v.Data(); !reflect.DeepEqual(got, want) {
		t.Errorf("Data() = %#v", got)
	}
	if got := v.String(); got != `{name: "a b", list: [x, null], mode: 0644, "on": true}` {
		t.Errorf("String() = %s", got)
	}
}

func TestPlainSafe(t *testing.T) {
	plain := []string{"nginx", "RuntimeDefault", "500m", "128Mi", "1.25-alpine", "--read-only", "/data", "app.kubernetes.io/name", "nginx:1.25", "a=b"}
	for _, s := range plain {
		if !plainSafe(s, false) {
			t.Errorf("%q is quoted", s)
		}
	}
	quoted := []string{"", "true", "No", "y", "null", "~", "123", "1e3", "0x1F", "0o17", "1.2.3", "2026-01-01", "1:20", "-1", ".inf", "- a", "a #b", "a: b", "*x", "&x", "!x", "@x", "`x", "%x", "{x}", "[x]", ",x", "'x'", "\"x\"", "a\nb", " a", "a "}
	for _, s := range quoted {
		if plainSafe(s, false) {
			t.Errorf("%q is not quoted", s)
		}
	}
	if plainSafe("nginx:1.25", true) {
		t.Error("a colon is written plain inside a flow collection")
	}
}

const locateInput = `# a comment
apiVersion: v1
kind: Pod
spec:
  containers:
  - name: app
    image: nginx
---
items:
- kind: Pod
  metadata:
    labels:
      app.kubernetes.io/name: web
`

func TestLocateAndGet(t *testing.T) {
	f := Parse([]byte(locateInput))
	cases := []struct {
		line, col int
		target    string
		want      Address
	}{
		{7, 5, "spec.containers[0].image", Address{Doc: 0, Path: []Step{{Key: "spec"}, {Key: "containers"}, {Index: 0, IsIndex: true}, {Key: "image"}}}},
		{6, 5, "spec.containers[0]", Address{Doc: 0, Path: []Step{{Key: "spec"}, {Key: "containers"}, {Index: 0, IsIndex: true}}}},
		{2, 1, "", Address{Doc: 0}},
		{10, 3, "", Address{Doc: 1, Path: []Step{{Key: "items"}, {Index: 0, IsIndex: true}}}},
		{13, 7, "metadata.labels.app.kubernetes.io/name", Address{Doc: 1, Path: []Step{{Key: "items"}, {Index: 0, IsIndex: true}, {Key: "metadata"}, {Key: "labels"}, {Key: "app.kubernetes.io/name"}}}},
	}
	for _, c := range cases {
		got, err := f.Locate(c.line, c.col, TargetOf(c.target))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Locate(%d, %d, %q) = %v, %v; want %v", c.line, c.col, c.target, got, err, c.want)
		}
	}
	if _, err := f.Locate(7, 5, TargetOf("spec.containers[0].name")); err == nil {
		t.Error("Locate found a key of another name")
	}
	if _, err := f.Locate(50, 1, TargetOf("")); err == nil {
		t.Error("Locate found something past the end")
	}
	if v, ok := f.Get(cases[0].want); !ok || v != "nginx" {
		t.Errorf("Get = %v, %v", v, ok)
	}
	if v, ok := f.Get(cases[4].want); !ok || v != "web" {
		t.Errorf("Get = %v, %v", v, ok)
	}
	if _, ok := f.Get(Address{Doc: 0, Path: []Step{{Key: "status"}}}); ok {
		t.Error("Get found a missing key")
	}
	if _, ok := f.Get(Address{Doc: 5}); ok {
		t.Error("Get found a missing document")
	}
	if f.Documents() != 2 {
		t.Errorf("Documents() = %d", f.Documents())
	}
}

func TestReplaceLineValue(t *testing.T) {
	tmpl := "spec:\n  containers:\n  - name: {{ .Values.name }}\n    securityContext:\n      privileged: true # see values\n      runAsUser: '0'\n    image: {{ .Values.image }}\n"
	out, ed, err := ReplaceLineValue([]byte(tmpl), 5, "privileged", BoolValue(false))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(tmpl, "privileged: true", "privileged: false", 1); string(out) != want {
		t.Errorf("got\n%s", out)
	}
	if ed.Old != "      privileged: true # see values" || ed.New != "      privileged: false # see values" {
		t.Errorf("LineEdit = %+v", ed)
	}
	out, _, err = ReplaceLineValue([]byte(tmpl), 6, "runAsUser", StringValue("1000"))
	if err != nil || !strings.Contains(string(out), "runAsUser: '1000'\n") {
		t.Errorf("quoted value: %v\n%s", err, out)
	}
	refused := []struct {
		line int
		key  string
		v    Value
	}{
		{3, "name", StringValue("x")},            // a template action
		{7, "image", StringValue("x")},           // a template action
		{4, "securityContext", StringValue("x")}, // not a scalar
		{5, "runAsUser", BoolValue(false)},       // another key
		{5, "privileged", Value{Kind: Map}},      // not a scalar value
		{99, "privileged", BoolValue(false)},     // no such line
	}
	for _, c := range refused {
		if _, _, err := ReplaceLineValue([]byte(tmpl), c.line, c.key, c.v); err == nil {
			t.Errorf("line %d (%s) was edited", c.line, c.key)
		}
	}
	if _, _, err := ReplaceLineValue([]byte(tmpl), 7, "image", StringValue("x")); !errors.Is(err, ErrUnsupported) {
		t.Errorf("a template action: %v", err)
	}
	for line, want := range map[int]string{1: "spec", 3: "name", 5: "privileged", 6: "runAsUser", 8: "", 99: ""} {
		if got := LineKey([]byte(tmpl), line); got != want {
			t.Errorf("LineKey(%d) = %q, want %q", line, got, want)
		}
	}
}

func TestImmutable(t *testing.T) {
	in := []byte("a:\n  b: 1\n")
	f := Parse(in)
	nf, _, err := f.Set(Address{}, []Step{{Key: "a"}, {Key: "c"}}, false, BoolValue(true))
	if err != nil {
		t.Fatal(err)
	}
	if string(f.Bytes()) != string(in) || string(nf.Bytes()) != "a:\n  b: 1\n  c: true\n" {
		t.Errorf("f = %q, nf = %q", f.Bytes(), nf.Bytes())
	}
	// Edits chain on the new File.
	nf2, _, err := nf.Delete(Address{Path: []Step{{Key: "a"}, {Key: "b"}}})
	if err != nil || string(nf2.Bytes()) != "a:\n  c: true\n" {
		t.Errorf("chained delete: %v %q", err, nf2.Bytes())
	}
}

func TestResolve(t *testing.T) {
	f := Parse([]byte("metadata:\n  labels:\n    app: web\n    app.kubernetes.io/name: web\n---\nx: *y\n"))
	steps, _ := ParsePath("metadata.labels.app.kubernetes.io/name")
	got, ok := f.Resolve(Address{}, steps, true)
	want := Address{Path: []Step{{Key: "metadata"}, {Key: "labels"}, {Key: "app.kubernetes.io/name"}}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("Resolve = %v, %v", got, ok)
	}
	if _, ok := f.Resolve(Address{}, steps, false); ok {
		t.Error("Resolve joined keys without join")
	}
	steps, _ = ParsePath("metadata.labels.tier")
	if _, ok := f.Resolve(Address{}, steps, true); ok {
		t.Error("Resolve found a missing key")
	}
	if _, ok := f.Resolve(Address{Doc: 1}, nil, true); ok {
		t.Error("Resolve found a node in a document that does not parse")
	}
}
