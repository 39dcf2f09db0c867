package file

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/internal/testfs"
)

const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\n"

func names(t *testing.T, src *Source) ([]string, []string) {
	t.Helper()
	inv, err := src.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var objs, errs []string
	for _, o := range inv.Objects {
		objs = append(objs, o.ID.Name)
	}
	for _, e := range inv.Errors {
		errs = append(errs, e.Error())
	}
	sort.Strings(objs)
	return objs, errs
}

func TestDirectoryWalk(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		"a.yaml":          strings.Replace(pod, "%s", "a", 1),
		"sub/b.yml":       strings.Replace(pod, "%s", "b", 1),
		"sub/deep/c.json": `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"c"}}`,
		"README.md":       "not a manifest",
		".git/d.yaml":     strings.Replace(pod, "%s", "hidden", 1),
		"broken.yaml":     "apiVersion: v1\nkind: Pod\nmetadata: [\n",
	})
	objs, errs := names(t, &Source{Paths: []string{dir}})
	if strings.Join(objs, ",") != "a,b,c" {
		t.Errorf("objects = %v", objs)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "broken.yaml:") {
		t.Errorf("errors = %v, want one for broken.yaml with its line", errs)
	}
}

func TestGlobs(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		"apps/web/deploy.yaml": strings.Replace(pod, "%s", "web", 1),
		"apps/api/deploy.yaml": strings.Replace(pod, "%s", "api", 1),
		"apps/api/values.yaml": strings.Replace(pod, "%s", "values", 1),
		"other/x.yaml":         strings.Replace(pod, "%s", "other", 1),
	})
	cases := []struct{ pattern, want string }{
		{"apps/*/deploy.yaml", "api,web"},
		{"apps/**/*.yaml", "api,values,web"},
		{"**/deploy.yaml", "api,web"},
		{"apps/w*", "web"},
	}
	for _, c := range cases {
		objs, errs := names(t, &Source{Paths: []string{filepath.Join(dir, c.pattern)}})
		if strings.Join(objs, ",") != c.want || len(errs) != 0 {
			t.Errorf("%s: objects %v errors %v, want %s", c.pattern, objs, errs, c.want)
		}
	}
	_, errs := names(t, &Source{Paths: []string{filepath.Join(dir, "nothing/*.yaml")}})
	if len(errs) != 1 || !strings.Contains(errs[0], "matches no files") {
		t.Errorf("errors = %v", errs)
	}
}

func TestStdinAndSizeLimit(t *testing.T) {
	objs, errs := names(t, &Source{Paths: []string{"-"}, Stdin: strings.NewReader(strings.Replace(pod, "%s", "in", 1))})
	if strings.Join(objs, ",") != "in" || len(errs) != 0 {
		t.Errorf("stdin: %v %v", objs, errs)
	}
	big := strings.Repeat("# padding\n", 200) + strings.Replace(pod, "%s", "big", 1)
	dir := testfs.Tree(t, map[string]string{"big.yaml": big, "small.yaml": strings.Replace(pod, "%s", "small", 1)})
	objs, errs = names(t, &Source{Paths: []string{dir}, MaxFileSize: 1024})
	if strings.Join(objs, ",") != "small" || len(errs) != 1 || !strings.Contains(errs[0], "over the 1.0 KiB limit") {
		t.Errorf("size limit: %v %v", objs, errs)
	}
	_, errs = names(t, &Source{Paths: []string{"-"}, MaxFileSize: 100, Stdin: strings.NewReader(big)})
	if len(errs) != 1 || !strings.Contains(errs[0], "<stdin>: input is more than") {
		t.Errorf("stdin limit: %v", errs)
	}
}

func TestMissingAndExplicitFiles(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{"manifest.txt": strings.Replace(pod, "%s", "txt", 1)})
	objs, errs := names(t, &Source{Paths: []string{filepath.Join(dir, "manifest.txt"), filepath.Join(dir, "missing.yaml")}})
	if strings.Join(objs, ",") != "txt" {
		t.Errorf("an explicitly named file is read whatever its extension: %v", objs)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "missing.yaml: no such file or directory") {
		t.Errorf("errors = %v", errs)
	}
}
