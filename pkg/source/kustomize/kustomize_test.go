package kustomize

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/internal/testfs"

	"github.com/vigilsec/vigil/pkg/object"
)

func build(t *testing.T, opts Options) *Result {
	t.Helper()
	res, err := Build(context.Background(), opts)
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
	t.Fatalf("no %s %s", kind, name)
	return Rendered{}
}

type want struct {
	kind   string
	file   string
	line   int
	col    int
	detail string // substring
	exact  bool
}

func describe(os []object.Origin) string {
	var b strings.Builder
	for _, o := range os {
		fmt.Fprintf(&b, "\n    %s %s:%d:%d exact=%v %s", o.Kind, o.File, o.Line, o.Column, o.Exact, o.Detail)
	}
	return b.String()
}

func check(t *testing.T, r Rendered, path string, wants ...want) {
	t.Helper()
	got := r.Origins.Origins(path)
	if len(got) < len(wants) {
		t.Errorf("%s: %d origins, want %d:%s", path, len(got), len(wants), describe(got))
		return
	}
	for i, w := range wants {
		o := got[i]
		if o.Kind != w.kind || filepath.ToSlash(o.File) != w.file || o.Line != w.line || (w.col > 0 && o.Column != w.col) ||
			!strings.Contains(o.Detail, w.detail) || o.Exact != w.exact {
			t.Errorf("%s: origin %d = %s %s:%d:%d exact=%v %q, want %+v", path, i, o.Kind, o.File, o.Line, o.Column, o.Exact, o.Detail, w)
		}
	}
}

const (
	prod  = "testdata/app/overlays/prod/"
	based = "testdata/app/base/"
)

// TestOverlayOrigins is the golden test: a base, an overlay with a
// strategic-merge patch file that reorders a list, an inline JSON6902
// patch, transformers (namePrefix, namespace, commonLabels, images,
// replicas) and a generator.
func TestOverlayOrigins(t *testing.T) {
	res := build(t, Options{Dir: "testdata/app/overlays/prod"})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	d := find(t, res, "Deployment", "prod-web")
	if d.Object.Source.Path != filepath.FromSlash(based+"deployment.yaml") || d.Object.Source.Line != 1 || d.Object.Source.Kind != "kustomize" {
		t.Errorf("source = %+v", d.Object.Source)
	}
	c := "spec.template.spec.containers"
	// The strategic-merge patch put the sidecar first; its fields are
	// still found in the patch and the base by container name.
	check(t, d, c+"[0].name", want{object.OriginKustomizeBase, based + "deployment.yaml", 24, 11, "", true})
	check(t, d, c+"[0].resources.limits.memory", want{object.OriginKustomizePatch, prod + "security.yaml", 12, 15, "patches[1]", true})
	// Fields set by the inline JSON6902 patch, in the kustomization file.
	check(t, d, c+"[0].securityContext.privileged", want{object.OriginKustomizePatch, prod + "kustomization.yaml", 24, 11, "patches[0]", true})
	check(t, d, c+"[0].securityContext", want{object.OriginKustomizePatch, prod + "kustomization.yaml", 23, 9, "patches[0]", true})
	check(t, d, c+"[1].securityContext.allowPrivilegeEscalation", want{object.OriginKustomizePatch, prod + "kustomization.yaml", 20, 9, "patches[0]", true})
	// Untouched base fields.
	check(t, d, c+"[1].ports[0].containerPort", want{object.OriginKustomizeBase, based + "deployment.yaml", 21, 15, "", true})
	check(t, d, c+"[1].securityContext", want{object.OriginKustomizeBase, based + "deployment.yaml", 22, 11, "", true})
	// Transformers.
	check(t, d, c+"[1].image",
		want{object.OriginKustomizeTransformer, prod + "kustomization.yaml", 9, 5, "images", true},
		want{object.OriginKustomizeBase, based + "deployment.yaml", 19, 11, "changed", false})
	check(t, d, "spec.replicas", want{object.OriginKustomizeTransformer, prod + "kustomization.yaml", 12, 5, "replicas", true})
	check(t, d, "metadata.name", want{object.OriginKustomizeTransformer, prod + "kustomization.yaml", 3, 1, "namePrefix", true})
	check(t, d, "metadata.namespace", want{object.OriginKustomizeTransformer, prod + "kustomization.yaml", 4, 1, "namespace", true})
	check(t, d, "spec.template.metadata.labels.env", want{object.OriginKustomizeTransformer, prod + "kustomization.yaml", 6, 3, "commonLabels", true})
	check(t, d, "spec.template.metadata.labels.app", want{object.OriginKustomizeBase, based + "deployment.yaml", 15, 9, "", true})

	// A field a fix would add resolves to its nearest parent.
	os, found, ok := object.ResolveOrigins(d.Origins, c+"[1].securityContext.runAsNonRoot")
	if !ok || found != c+"[1].securityContext" || os[0].Exact || os[0].Line != 22 {
		t.Errorf("resolve: %s %v%s", found, ok, describe(os))
	}
	// Positions index the base file.
	if p, ok := d.Object.Positions.Lookup(c + "[1].ports[0].containerPort"); !ok || p.Line != 21 {
		t.Errorf("positions: %+v %v", p, ok)
	}

	cm := find(t, res, "ConfigMap", "prod-app-config-mkgc5gcmbc")
	check(t, cm, "data.MODE", want{object.OriginKustomizeGenerated, prod + "kustomization.yaml", 31, 9, "configMapGenerator app-config", true})
	check(t, cm, "", want{object.OriginKustomizeGenerated, prod + "kustomization.yaml", 28, 5, "configMapGenerator app-config", true})
	check(t, cm, "metadata.namespace", want{object.OriginKustomizeTransformer, prod + "kustomization.yaml", 4, 1, "namespace", true})

	svc := find(t, res, "Service", "prod-web")
	check(t, svc, "spec.ports[0].port", want{object.OriginKustomizeBase, based + "service.yaml", 9, 7, "", true})

	if len(res.Kustomizations) != 2 || len(res.Files) != 3 {
		t.Errorf("kustomizations %v files %v", res.Kustomizations, res.Files)
	}
}

// TestNetworkRefused: remote bases and helmCharts are left out with a
// clear error; the rest is built.
func TestNetworkRefused(t *testing.T) {
	res := build(t, Options{Dir: "testdata/app/overlays/remote"})
	var msgs []string
	for _, e := range res.Errors {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, w := range []string{
		`kustomization.yaml:3: remote resource "https://github.com/example/repo//deploy?ref=v1.0.0" is not fetched: network access is off`,
		"kustomization.yaml:4: helmCharts are not inflated",
	} {
		if !strings.Contains(all, w) {
			t.Errorf("errors lack %q:\n%s", w, all)
		}
	}
	if len(res.Objects) != 2 {
		t.Errorf("objects = %d, want the base's 2", len(res.Objects))
	}
}

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: app:1
      args: ["--a", "--b"]
`

// TestDeprecatedPatchFields: patchesStrategicMerge (file and inline) and
// patchesJson6902 files are located too.
func TestDeprecatedPatchFields(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		"kustomization.yaml": `resources:
  - pod.yaml
patchesStrategicMerge:
  - smp.yaml
  - |-
    apiVersion: v1
    kind: Pod
    metadata:
      name: app
    spec:
      hostNetwork: true
patchesJson6902:
  - target:
      version: v1
      kind: Pod
      name: app
    path: json.yaml
`,
		"pod.yaml":  pod,
		"smp.yaml":  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      securityContext:\n        privileged: true\n",
		"json.yaml": "- op: add\n  path: /spec/hostPID\n  value: true\n",
	})
	res := build(t, Options{Dir: dir})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	p := find(t, res, "Pod", "app")
	rel := func(s string) string { return filepath.ToSlash(filepath.Join(dir, s)) }
	check(t, p, "spec.containers[0].securityContext.privileged", want{object.OriginKustomizePatch, rel("smp.yaml"), 9, 9, "patchesStrategicMerge[0]", true})
	check(t, p, "spec.hostNetwork", want{object.OriginKustomizePatch, rel("kustomization.yaml"), 11, 7, "patchesStrategicMerge[1]", true})
	check(t, p, "spec.hostPID", want{object.OriginKustomizePatch, rel("json.yaml"), 3, 3, "patchesJson6902[0]", true})
	check(t, p, "spec.containers[0].args[1]", want{object.OriginKustomizeBase, rel("pod.yaml"), 9, 21, "", true})
}

// TestBuildFailure: a broken kustomization is an error in the result, not
// an empty success; files outside the root are refused (root-only load
// restrictions).
func TestBuildFailure(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		"outside.yaml":           pod,
		"app/kustomization.yaml": "resources:\n  - ../outside.yaml\n",
	})
	res := build(t, Options{Dir: filepath.Join(dir, "app")})
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Reason, "kustomize build failed") || len(res.Objects) != 0 {
		t.Errorf("result: %d objects, errors %v", len(res.Objects), res.Errors)
	}
	if _, err := Build(context.Background(), Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "no kustomization file") {
		t.Errorf("not a kustomization: %v", err)
	}
	if _, err := Build(context.Background(), Options{Dir: filepath.Join(dir, "nope")}); err == nil {
		t.Error("missing directory: no error")
	}
}

// TestKustomizationFileNames: kustomization.yml and Kustomization work.
func TestKustomizationFileNames(t *testing.T) {
	for _, name := range []string{"kustomization.yml", "Kustomization"} {
		dir := testfs.Tree(t, map[string]string{name: "resources:\n  - pod.yaml\n", "pod.yaml": pod})
		if KustomizationFile(dir) == "" {
			t.Errorf("%s not recognised", name)
		}
		res := build(t, Options{Dir: dir})
		if len(res.Objects) != 1 {
			t.Errorf("%s: %d objects %v", name, len(res.Objects), res.Errors)
		}
	}
}

func TestSource(t *testing.T) {
	s := &Source{Options: Options{Dir: "testdata/app/overlays/prod"}}
	inv, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Objects) != 3 || len(s.Origins) != 3 {
		t.Errorf("%d objects, %d origin maps", len(inv.Objects), len(s.Origins))
	}
}
