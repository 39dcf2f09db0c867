package sarif

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/report/reporttest"
)

// fixtureLine reads a line of a fixture file by its URI in the log.
func fixtureLine(t *testing.T, uri string, n int) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(reporttest.RepoRoot(t), filepath.FromSlash(uri)))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		t.Fatalf("%s has no line %d", uri, n)
	}
	return lines[n-1]
}

// resultFor finds the result of a control on an object (by logical name).
func resultFor(t *testing.T, l *sarifLog, ruleID, fqn string) result {
	t.Helper()
	for _, r := range l.Runs[0].Results {
		if r.RuleID == ruleID && r.Locations[0].LogicalLocations[0].FullyQualifiedName == fqn {
			return r
		}
	}
	t.Fatalf("no %s result for %s", ruleID, fqn)
	return result{}
}

func TestLocationsPointAtTheFinding(t *testing.T) {
	l := decode(t, write(t, reporttest.Build(t)))
	for _, tc := range []struct {
		rule, object, file string
		line               int
		text               string // what the located line holds, from the column on
	}{
		{"C-0057", "shop/Deployment/web", "app.yaml", 26, "privileged: true"},
		{"C-0057", "shop/Job/migrate", "job.json", 17, `"privileged": true`},
		// A fix path that does not exist yet is shown at its nearest parent.
		{"C-0004", "shop/Deployment/web", "app.yaml", 28, "limits:"},
		// A subject is shown where its binding names it.
		{"C-0015", "shop/ServiceAccount/web", "rbac.yaml", 21, "kind: ServiceAccount"},
	} {
		t.Run(tc.rule+" "+tc.object, func(t *testing.T) {
			res := resultFor(t, l, tc.rule, tc.object)
			pl := res.Locations[0].PhysicalLocation
			if pl == nil || pl.Region == nil {
				t.Fatal("no physical location")
			}
			if want := reporttest.ManifestsDir + "/" + tc.file; pl.ArtifactLocation.URI != want || pl.Region.StartLine != tc.line {
				t.Fatalf("at %s:%d, want %s:%d", pl.ArtifactLocation.URI, pl.Region.StartLine, want, tc.line)
			}
			line := fixtureLine(t, pl.ArtifactLocation.URI, pl.Region.StartLine)
			rest := string([]rune(line)[pl.Region.StartColumn-1:])
			if !strings.HasPrefix(rest, tc.text) {
				t.Errorf("column %d of %q does not start with %q", pl.Region.StartColumn, line, tc.text)
			}
			if pl.Region.Snippet == nil || !strings.HasPrefix(pl.Region.Snippet.Text, tc.text) {
				t.Errorf("snippet %+v does not start with %q", pl.Region.Snippet, tc.text)
			}
		})
	}
	rbac := resultFor(t, l, "C-0015", "shop/ServiceAccount/web")
	if len(rbac.RelatedLocations) != 1 || rbac.RelatedLocations[0].PhysicalLocation.Region.StartLine != 12 {
		t.Errorf("the role's rule (rbac.yaml:12) should be a related location: %+v", rbac.RelatedLocations)
	}
}

// TestFixesApply applies every fix of the fixture's log to the fixture
// files, then decodes the result: the fixed path must hold the new value
// and the rest of the line must be intact.
func TestFixesApply(t *testing.T) {
	l := decode(t, write(t, reporttest.Build(t)))
	want := map[string]string{
		reporttest.ManifestsDir + "/app.yaml": "            privileged: false # needed for nothing",
		reporttest.ManifestsDir + "/job.json": `              "privileged": false`,
	}
	fixed := 0
	for _, res := range l.Runs[0].Results {
		for _, f := range res.Fixes {
			for _, ch := range f.ArtifactChanges {
				uri := ch.ArtifactLocation.URI
				data, err := os.ReadFile(filepath.Join(reporttest.RepoRoot(t), filepath.FromSlash(uri)))
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(string(data), "\n")
				for _, rep := range ch.Replacements {
					lines[rep.DeletedRegion.StartLine-1] = apply(t, lines[rep.DeletedRegion.StartLine-1], rep)
					if got := lines[rep.DeletedRegion.StartLine-1]; got != want[uri] {
						t.Errorf("%s: fixed line is %q, want %q", uri, got, want[uri])
					}
				}
				dec := manifest.Decode([]byte(strings.Join(lines, "\n")), manifest.Options{Path: uri})
				if len(dec.Errors) > 0 {
					t.Fatalf("%s no longer parses after the fix: %v", uri, dec.Errors[0])
				}
				for _, o := range dec.Objects {
					if o.ID.Namespace+"/"+o.ID.Kind+"/"+o.ID.Name != res.Locations[0].LogicalLocations[0].FullyQualifiedName {
						continue
					}
					v, ok := report.ValueAt(o, res.Properties.FixPaths[0].Path)
					if !ok || v.Compare(ast.Boolean(false)) != 0 {
						t.Errorf("%s: after the fix the path holds %v", uri, v)
					}
					fixed++
				}
			}
		}
	}
	if fixed != 2 {
		t.Errorf("want the 2 privileged containers fixed, fixed %d", fixed)
	}
	// The placeholder fix is described, never emitted as a fix.
	mem := resultFor(t, l, "C-0004", "shop/Deployment/web")
	if len(mem.Fixes) != 0 || len(mem.Properties.SuggestedFixes) != 1 {
		t.Errorf("C-0004: fixes %+v, suggested %v", mem.Fixes, mem.Properties.SuggestedFixes)
	}
}

// apply applies one replacement to a line (columns in code points,
// endColumn exclusive).
func apply(t *testing.T, line string, rep replacement) string {
	t.Helper()
	rs := []rune(line)
	start, end := rep.DeletedRegion.StartColumn-1, rep.DeletedRegion.EndColumn-1
	if start < 0 || end > len(rs) || start > end {
		t.Fatalf("region %+v is outside %q", rep.DeletedRegion, line)
	}
	return string(rs[:start]) + rep.InsertedContent.Text + string(rs[end:])
}
