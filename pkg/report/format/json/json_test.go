package jsonformat

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff)\n%s", name, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) && i < len(gl); i++ {
		if wl[i] != gl[i] {
			return "line " + itoa(i+1) + ":\n  want " + wl[i] + "\n  got  " + gl[i]
		}
	}
	return "lengths differ"
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, reporttest.Build(t), Options{Indent: true}); err != nil {
		t.Fatal(err)
	}
	golden(t, "fixture.json", buf.Bytes())
}

// TestKubescapeCompatible checks that every field of a real Kubescape v2
// report exists, with the same JSON type, in Vigil's report.
func TestKubescapeCompatible(t *testing.T) {
	data, err := os.ReadFile("testdata/kubescape-v2-report.example.json")
	if err != nil {
		t.Fatal(err)
	}
	var theirs any
	if err := json.Unmarshal(data, &theirs); err != nil {
		t.Fatal(err)
	}
	// With the control input set, the fixture's configurable control runs
	// and reports its controlConfigurations, as Kubescape's report does.
	rep := reporttest.BuildWith(t, reporttest.Options{Inputs: policy.Inputs{"untrustedRegistries": {"docker.io/evil/"}}})
	var buf bytes.Buffer
	if err := Write(&buf, rep, Options{}); err != nil {
		t.Fatal(err)
	}
	var ours any
	if err := json.Unmarshal(buf.Bytes(), &ours); err != nil {
		t.Fatal(err)
	}
	want, got := shapes(theirs), shapes(ours)
	// Fields that only exist for Helm sources or cluster scans, which this
	// fixture (plain files) does not have.
	optional := map[string]bool{
		"resources[].source.helmPath": true, "resources[].source.helmChartName": true,
		"resources[].source.helmTemplateFile": true, "resources[].source.helmValuesPaths": true,
		"resources[].source.helmTemplateLine":            true,
		"metadata.targetMetadata.gitRepoContextMetadata": true,
	}
	var missing []string
	for k, typ := range want {
		if optional[k] || underOptional(k, optional) || isContent(k) {
			continue
		}
		g, ok := got[k]
		switch {
		case !ok:
			missing = append(missing, k)
		case g != typ && typ != "null" && g != "null":
			missing = append(missing, k+" (type "+g+", Kubescape "+typ+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("fields of Kubescape's report missing from Vigil's:\n  %s", strings.Join(missing, "\n  "))
	}
}

// isContent reports whether a key path is inside the scanned objects or the
// control-input values, whose keys are data rather than report structure.
func isContent(k string) bool {
	for _, p := range []string{"resources[].object.", "results[].controls[].rules[].controlConfigurations."} {
		if strings.HasPrefix(k, p) && !strings.HasSuffix(k, ".sourcePath") {
			return true
		}
	}
	return false
}

func underOptional(k string, optional map[string]bool) bool {
	for o := range optional {
		if strings.HasPrefix(k, o+".") || strings.HasPrefix(k, o+"[]") {
			return true
		}
	}
	return false
}

// shapes flattens a JSON document to key paths and value types. Control
// maps are keyed by control ID, so those keys become "*".
func shapes(v any) map[string]string {
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			out[prefix] = "object"
			for k, val := range x {
				key := k
				if strings.HasPrefix(k, "C-") || strings.HasPrefix(k, "V-") {
					key = "*"
				}
				p := key
				if prefix != "" {
					p = prefix + "." + key
				}
				walk(p, val)
			}
		case []any:
			out[prefix] = "array"
			for _, e := range x {
				walk(prefix+"[]", e)
			}
		case nil:
			if _, ok := out[prefix]; !ok {
				out[prefix] = "null"
			}
		case string:
			out[prefix] = "string"
		case float64:
			out[prefix] = "number"
		case bool:
			out[prefix] = "bool"
		}
	}
	walk("", v)
	return out
}
