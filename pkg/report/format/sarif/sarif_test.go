package sarif

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// write renders a fixture report with its sources read from the
// repository, as a scan run from the repository root would.
func write(t *testing.T, r *report.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{SourceRoot: reporttest.RepoRoot(t)}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// decode parses SARIF output back into this package's model.
func decode(t *testing.T, data []byte) *sarifLog {
	t.Helper()
	var l sarifLog
	if err := json.Unmarshal(data, &l); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("want one run, got %d", len(l.Runs))
	}
	return &l
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		rep  func(t *testing.T) *report.Report
	}{
		{"framework", func(t *testing.T) *report.Report { return reporttest.Build(t) }},
		{"controls", func(t *testing.T) *report.Report { return reporttest.BuildControls(t, "C-0057", "C-0263") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, filepath.Join("testdata", tc.name+".sarif"), write(t, tc.rep(t)))
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/report/format/sarif -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update to accept):\n%s", path, got)
	}
}

// TestSchema validates the fixture's log against the OASIS SARIF 2.1.0
// schema (draft-04), copied in testdata so the test runs offline.
func TestSchema(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "sarif-schema-2.1.0.json"
	if err := c.AddResource(url, schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]*report.Report{
		"framework": reporttest.Build(t),
		"controls":  reporttest.BuildControls(t, "C-0044"),
		"excepted":  reporttest.BuildWith(t, reporttest.Options{Excepter: exceptAll{}}),
	}
	for name, r := range reports {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(write(t, r)))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: log does not validate against the SARIF 2.1.0 schema: %v", name, err)
		}
	}
}
