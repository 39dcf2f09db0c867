package junit

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		rep  func(t *testing.T) *report.Report
	}{
		{"framework", func(t *testing.T) *report.Report { return reporttest.Build(t) }},
		{"controls", func(t *testing.T) *report.Report { return reporttest.BuildControls(t, "C-0057", "C-0263") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tc.rep(t), Options{}); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", tc.name+".xml"), buf.Bytes())
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
		t.Fatalf("%v (run go test ./pkg/report/format/junit -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update to accept):\n%s", path, got)
	}
}

// TestStructure checks the output parses and holds what CI systems read,
// independently of the golden file's exact text.
func TestStructure(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, reporttest.Build(t), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc testsuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("output is not XML: %v", err)
	}
	if len(doc.Suites) != 1 || doc.Suites[0].Name != reporttest.Framework {
		t.Fatalf("want one suite named %q, got %+v", reporttest.Framework, doc.Suites)
	}
	if doc.Tests != 6 || doc.Failures != 3 || doc.Skipped != 1 {
		t.Errorf("totals: tests %d failures %d skipped %d, want 6 3 1", doc.Tests, doc.Failures, doc.Skipped)
	}
	cases := map[string]testcase{}
	for _, c := range doc.Suites[0].Cases {
		cases[c.Name] = c
	}
	priv := cases["C-0057 Privileged container"]
	if priv.Failure == nil || priv.Failure.Message != "2 of 3 objects failed" || priv.Failure.Type != "High" {
		t.Fatalf("C-0057 failure: %+v", priv.Failure)
	}
	wantLine := "Deployment/shop/web (" + reporttest.ManifestsDir + "/app.yaml:26): container nginx in Deployment web runs privileged [spec.template.spec.containers[0].securityContext.privileged]"
	if !strings.Contains(priv.Failure.Body, wantLine) {
		t.Errorf("C-0057 body lacks %q:\n%s", wantLine, priv.Failure.Body)
	}
	if s := cases["C-0001 Forbidden Container Registries"].Skipped; s == nil || s.Message != "configuration: needs control inputs: untrustedRegistries" {
		t.Errorf("C-0001 skipped: %+v", s)
	}
	for _, name := range []string{"C-0044 Container hostPort", "C-0263 Ingress uses TLS"} {
		if c := cases[name]; c.Failure != nil || c.Skipped != nil || c.Classname != reporttest.Framework {
			t.Errorf("%s should be a plain testcase of the framework: %+v", name, c)
		}
	}
	if !strings.Contains(doc.Suites[0].SystemErr.Text, "broken.yaml:7") {
		t.Errorf("system-err lacks the input error: %+v", doc.Suites[0].SystemErr)
	}
}

// TestHostileText checks that what rules write (control characters, CDATA
// terminators) cannot break the XML.
func TestHostileText(t *testing.T) {
	r := reporttest.BuildControls(t, "C-0057")
	r.Resources[0].Results[0].Rules[0].Alerts[0].Message = "bad \x00\x1b text ]]> <x>"
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc testsuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("output is not XML: %v\n%s", err, buf.String())
	}
	if body := doc.Suites[0].Cases[0].Failure.Body; !strings.Contains(body, "bad \uFFFD\uFFFD text ]]> <x>") {
		t.Errorf("body: %q", body)
	}
}
