package manifest

import (
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/object"
)

func ids(res *Result) []string {
	var out []string
	for _, o := range res.Objects {
		out = append(out, o.ID.APIVersion+"/"+o.ID.Kind+"/"+o.ID.Namespace+"/"+o.ID.Name)
	}
	return out
}

func TestDecodeShapes(t *testing.T) {
	cases := []struct {
		name   string
		input  string
		json   bool
		want   []string
		errors int
		notes  int
	}{
		{
			name:  "multi-document YAML with separators, comments and an empty document",
			input: "# leading comment\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: ns}\n---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n...\n",
			want:  []string{"v1/Pod/ns/a", "apps/v1/Deployment//b"},
		},
		{
			name:  "kind List is expanded",
			input: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n",
			want:  []string{"v1/Service//s", "v1/ConfigMap//c"},
		},
		{
			name:  "typed lists (PodList) are expanded",
			input: "apiVersion: v1\nkind: PodList\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n",
			want:  []string{"v1/Pod//p"},
		},
		{
			name:  "JSON array of objects",
			input: `[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}},{"apiVersion":"batch/v1beta1","kind":"CronJob","metadata":{"name":"c"}}]`,
			json:  true,
			want:  []string{"v1/Pod//a", "batch/v1beta1/CronJob//c"},
		},
		{
			name:  "custom resources are objects too",
			input: "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n",
			want:  []string{"cilium.io/v2/CiliumNetworkPolicy//x", "gateway.networking.k8s.io/v1/HTTPRoute//r"},
		},
		{
			name:  "documents that are not objects are skipped with a note",
			input: "just: config\n---\n- a\n- b\n---\nhello\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n",
			want:  []string{"v1/Namespace//prod"},
			notes: 4,
		},
		{
			name:   "a broken document does not hide the others",
			input:  "apiVersion: v1\nkind: Pod\nmetadata: {name: ok1}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ok2}\n",
			want:   []string{"v1/Pod//ok1", "v1/Pod//ok2"},
			errors: 1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Decode([]byte(tc.input), Options{Path: "in.yaml", JSON: tc.json})
			if got := ids(res); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("objects = %v, want %v", got, tc.want)
			}
			if len(res.Errors) != tc.errors {
				t.Errorf("errors = %v, want %d", res.Errors, tc.errors)
			}
			if len(res.Notes) != tc.notes {
				t.Errorf("notes = %v, want %d", res.Notes, tc.notes)
			}
		})
	}
}

func TestParseErrorLine(t *testing.T) {
	input := "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n  labels: {a: b\nspec: {}\n"
	res := Decode([]byte(input), Options{Path: "broken.yaml"})
	if len(res.Errors) != 1 {
		t.Fatalf("errors = %v", res.Errors)
	}
	e := res.Errors[0]
	if e.Path != "broken.yaml" || e.Line != 9 {
		t.Errorf("error at %s:%d (%s), want broken.yaml:9, where the unclosed mapping starts", e.Path, e.Line, e.Reason)
	}
	if !strings.HasPrefix(e.Error(), "broken.yaml:") {
		t.Errorf("error text %q does not start with the path", e.Error())
	}
}

func TestPositions(t *testing.T) {
	input := `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx
      securityContext:
        privileged: true
    - name: side
      image: envoy
---
apiVersion: v1
kind: Service
metadata: {name: svc, labels: {app.kubernetes.io/name: x}}
spec:
  ports: [{port: 80}]
`
	res := Decode([]byte(input), Options{Path: "p.yaml"})
	if len(res.Objects) != 2 {
		t.Fatalf("objects = %d", len(res.Objects))
	}
	pod, svc := res.Objects[0], res.Objects[1]
	cases := []struct {
		o         *object.Object
		path      string
		line, col int
		exact     bool
	}{
		{pod, "spec.containers[0].securityContext.privileged", 10, 9, true},
		{pod, "spec.containers[1]", 11, 7, true},
		{pod, "spec.containers[1].securityContext.runAsNonRoot", 11, 7, false},
		{pod, "metadata.name", 4, 3, true},
		{svc, "metadata.labels.app.kubernetes.io/name", 16, 32, true},
		{svc, "spec.ports[0].port", 18, 12, true},
		{svc, "", 14, 1, true},
	}
	for _, c := range cases {
		pos, found, ok := c.o.Positions.Resolve(c.path)
		if !ok {
			t.Errorf("%s: not resolved", c.path)
			continue
		}
		if pos.Line != c.line || pos.Column != c.col || (found == c.path) != c.exact {
			t.Errorf("%s: got %d:%d (found %q), want %d:%d exact=%v", c.path, pos.Line, pos.Column, found, c.line, c.col, c.exact)
		}
	}
	if pod.Source.Line != 1 || svc.Source.Line != 14 || svc.Source.Document != 1 {
		t.Errorf("sources = %+v %+v", pod.Source, svc.Source)
	}
}

func TestAliasBombIsRefused(t *testing.T) {
	input := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	res := Decode([]byte(input), Options{Path: "bomb.yaml"})
	if len(res.Objects) != 0 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Reason, "too many nodes") {
		t.Fatalf("objects=%d errors=%v", len(res.Objects), res.Errors)
	}
}

func TestDuplicateKeyNote(t *testing.T) {
	res := Decode([]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  hostPID: false\n  hostPID: true\n"), Options{Path: "d.yaml"})
	if len(res.Objects) != 1 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0].Message, `duplicate key "hostPID"`) {
		t.Fatalf("objects=%d notes=%v", len(res.Objects), res.Notes)
	}
	if res.Notes[0].Line != 6 {
		t.Errorf("note line = %d, want 6", res.Notes[0].Line)
	}
}

func TestMetadataExtraction(t *testing.T) {
	res := Decode([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: n\n  labels: {app: x, tier: '1'}\n  annotations: {a: b}\nspec:\n  replicas: 3\n"), Options{Path: "m.yaml"})
	o := res.Objects[0]
	if o.Replicas != 3 || o.Labels["app"] != "x" || o.Labels["tier"] != "1" || o.Annotations["a"] != "b" {
		t.Errorf("got replicas=%d labels=%v annotations=%v", o.Replicas, o.Labels, o.Annotations)
	}
	if o.ID.Group() != "apps" || o.ID.Version() != "v1" {
		t.Errorf("group/version = %s/%s", o.ID.Group(), o.ID.Version())
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"))
	f.Add([]byte(`[{"apiVersion":"v1","kind":"List","items":[1]}]`))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Decode(data, Options{Path: "fuzz.yaml"})
		for _, o := range res.Objects {
			if o.ID.Kind == "" || o.ID.APIVersion == "" {
				t.Fatalf("object without identity: %+v", o.ID)
			}
		}
	})
}
