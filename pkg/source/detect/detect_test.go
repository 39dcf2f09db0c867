package detect

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/internal/testfs"
)

const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"

func repo(t *testing.T) string {
	return testfs.Tree(t, map[string]string{
		"charts/app/Chart.yaml":                  "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"charts/app/values.yaml":                 "replicas: 1\n",
		"charts/app/templates/deploy.yaml":       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
		"charts/app/charts/sub/Chart.yaml":       "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
		"charts/app/charts/sub/templates/x.yaml": cm,
		"k8s/base/kustomization.yaml":            "resources:\n  - deployment.yaml\n",
		"k8s/base/deployment.yaml":               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
		"k8s/overlays/prod/kustomization.yaml":   "resources:\n  - ../../base\npatches:\n  - path: patch.yaml\n",
		"k8s/overlays/prod/patch.yaml":           "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
		"k8s/overlays/prod/unused.yaml":          cm,
		"k8s/overlays/prod/extra/more.yaml":      cm,
		"k8s/overlays/dev/kustomization.yml":     "resources:\n  - ../../base\n",
		"manifests/ns.yaml":                      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n",
		"manifests/rbac/role.json":               `{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r"}}`,
		"manifests/README.md":                    "not a manifest",
		".github/workflows/ci.yaml":              "on: push\n",
		"both/Chart.yaml":                        "apiVersion: v2\nname: both\nversion: 0.1.0\n",
		"both/kustomization.yaml":                "resources: []\n",
	})
}

func TestDetect(t *testing.T) {
	dir := repo(t)
	p, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	rel := func(s string) string {
		r, err := filepath.Rel(dir, s)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(r)
	}
	var roots []string
	for _, r := range p.Roots {
		roots = append(roots, rel(r.Path)+"="+string(r.Mode)+"("+r.Marker+")")
	}
	want := "both=helm(Chart.yaml) charts/app=helm(Chart.yaml) k8s/overlays/dev=kustomize(kustomization.yml) k8s/overlays/prod=kustomize(kustomization.yaml)"
	if got := strings.Join(roots, " "); got != want {
		t.Errorf("roots:\n got %s\nwant %s", got, want)
	}
	var files []string
	for _, f := range p.Files {
		files = append(files, rel(f))
	}
	// Chart templates and values, kustomization resources and patches, and
	// hidden folders are not plain files; a subfolder of a kustomization
	// that it does not use is.
	if got := strings.Join(files, " "); got != "k8s/overlays/prod/extra/more.yaml manifests/ns.yaml manifests/rbac/role.json" {
		t.Errorf("files = %s", got)
	}
	var skipped []string
	for _, s := range p.Skipped {
		skipped = append(skipped, rel(s.Path)+": "+s.Reason)
	}
	all := strings.Join(skipped, "\n")
	for _, w := range []string{
		"both/kustomization.yaml: the folder is a Helm chart",
		"k8s/base: kustomization used by " + filepath.Join(dir, "k8s/overlays/dev") + ", " + filepath.Join(dir, "k8s/overlays/prod") + ": scanned through it",
		"k8s/overlays/prod/unused.yaml: in a kustomization folder but not used by it",
	} {
		if !strings.Contains(all, w) {
			t.Errorf("skipped lacks %q:\n%s", w, all)
		}
	}
	if len(p.Skipped) != 3 || len(p.Errors) != 0 {
		t.Errorf("skipped %d, errors %v", len(p.Skipped), p.Errors)
	}
	notes := p.Notes()
	if len(notes) != 4+3+1 || !strings.Contains(notes[len(notes)-1].Message, "3 plain manifest files") {
		t.Errorf("notes = %v", notes)
	}
}

func TestDetectChartAndFile(t *testing.T) {
	dir := repo(t)
	p, err := Detect(filepath.Join(dir, "charts", "app"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Roots) != 1 || p.Roots[0].Mode != Helm || len(p.Files) != 0 {
		t.Errorf("chart dir: %+v", p)
	}
	p, err = Detect(filepath.Join(dir, "k8s", "base"))
	if err != nil {
		t.Fatal(err)
	}
	// Scanned alone, a base is a root.
	if len(p.Roots) != 1 || p.Roots[0].Mode != Kustomize || len(p.Files) != 0 {
		t.Errorf("base dir: %+v", p)
	}
	f := filepath.Join(dir, "manifests", "ns.yaml")
	p, err = Detect(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Files) != 1 || p.Files[0] != f || len(p.Roots) != 0 {
		t.Errorf("file: %+v", p)
	}
	if _, err := Detect(filepath.Join(dir, "nope")); err == nil {
		t.Error("missing path: no error")
	}
}

func TestBrokenKustomization(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{"k/kustomization.yaml": "resources: [\n"})
	p, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Roots) != 1 || len(p.Errors) != 1 {
		t.Errorf("roots %v errors %v", p.Roots, p.Errors)
	}
}
