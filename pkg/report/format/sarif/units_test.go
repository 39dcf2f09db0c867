package sarif

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/report/reporttest"
)

func TestLevel(t *testing.T) {
	for sev, want := range map[string]string{
		"Critical": "error", "High": "error", "Medium": "warning", "Low": "note", "Unknown": "note",
	} {
		if got := level(sev); got != want {
			t.Errorf("level(%s) = %s, want %s", sev, got, want)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	for in, want := range map[string]string{
		"deploy/app.yaml":      "deploy/app.yaml",
		"./deploy/app.yaml":    "deploy/app.yaml",
		"../charts/x y.yaml":   "../charts/x%20y.yaml",
		"/srv/repo/app.yaml":   "file:///srv/repo/app.yaml",
		"/srv/my repo/a#b.yml": "file:///srv/my%20repo/a%23b.yml",
	} {
		if got := artifactURI(in); got != want {
			t.Errorf("artifactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValueSpan(t *testing.T) {
	for _, tc := range []struct {
		line   string
		key    string
		isJSON bool
		want   string // "" when no in-place value
	}{
		{"    privileged: true", "privileged", false, "true"},
		{"    privileged: true # why", "privileged", false, "true"},
		{"    type: 'Runtime Default'  # quoted", "type", false, "'Runtime Default'"},
		{`    "privileged": true,`, "privileged", true, "true"},
		{`    "type": "a,b",`, "type", true, `"a,b"`},
		{"    securityContext: {privileged: true, runAsUser: 0}", "privileged", false, "true"},
		{"    image: nginx:1.27", "image", false, "nginx:1.27"},
		{"    securityContext:", "securityContext", false, ""},
		{"    args: [a, b]", "args", false, ""},
		{"    script: |", "script", false, ""},
		{"    value: &anchor x", "value", false, ""},
		{`    name: "unterminated`, "name", false, ""},
		{"    other: true", "privileged", false, ""},
	} {
		col := strings.Index(tc.line, strings.TrimLeft(tc.line, " ")) + 1
		if i := strings.Index(tc.line, tc.key+":"); tc.key == "privileged" && i >= 0 {
			col = i + 1 // a key inside a flow mapping
		}
		start, end, ok := valueSpan(tc.line, col, tc.key, tc.isJSON)
		got := ""
		if ok {
			got = string([]rune(tc.line)[start:end])
		}
		if got != tc.want {
			t.Errorf("valueSpan(%q, %s) = %q, want %q", tc.line, tc.key, got, tc.want)
		}
	}
}

func TestRender(t *testing.T) {
	for _, tc := range []struct {
		value, old string
		isJSON     bool
		want       string
	}{
		{"false", "true", false, "false"},
		{"false", `"true"`, false, "false"},
		{"RuntimeDefault", "Unconfined", false, "RuntimeDefault"},
		{"RuntimeDefault", "'Unconfined'", false, "'RuntimeDefault'"},
		{"a b: c", "x", false, `"a b: c"`},
		{"RuntimeDefault", `"Unconfined"`, true, `"RuntimeDefault"`},
		{"1000", "0", true, "1000"},
	} {
		if got := render(tc.value, tc.old, tc.isJSON); got != tc.want {
			t.Errorf("render(%q over %q) = %q, want %q", tc.value, tc.old, got, tc.want)
		}
	}
}

func TestTokenMatches(t *testing.T) {
	for _, tc := range []struct {
		tok  string
		cur  ast.Value
		want bool
	}{
		{"true", ast.Boolean(true), true},
		{`"true"`, ast.Boolean(true), false},
		{`"true"`, ast.String("true"), true},
		{"yes", ast.Boolean(true), false},
		{"8080", ast.Number("8080"), true},
		{"'it''s'", ast.String("it's"), true},
		{"nginx", ast.String("redis"), false},
	} {
		if got := tokenMatches(tc.tok, tc.cur); got != tc.want {
			t.Errorf("tokenMatches(%q, %v) = %v, want %v", tc.tok, tc.cur, got, tc.want)
		}
	}
}

// TestSecretsAreNeverQuoted builds a report on a Secret read from an
// absolute path: the result is located but carries no snippet, and the
// path becomes a file:// URI.
func TestSecretsAreNeverQuoted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.yaml")
	src := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  user: admin\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	dec := manifest.Decode([]byte(src), manifest.Options{Path: path, SourceKind: "file"})
	if len(dec.Objects) != 1 {
		t.Fatalf("decode: %+v", dec.Errors)
	}
	c := &policy.Control{ControlID: "V-9999", Name: "Secret in plain text", BaseScore: 5}
	cs := &report.ControlSummary{Control: c, ID: c.ControlID, Name: c.Name, Severity: c.Severity(), BaseScore: c.BaseScore, Status: report.Failed}
	r := &report.Report{
		Controls: []*report.ControlSummary{cs},
		Resources: []*report.Resource{{Object: dec.Objects[0], Status: report.Failed, Results: []*report.Result{{
			Control: cs, Status: report.Failed,
			Rules: []*report.RuleOutcome{{Name: "r", Status: report.Failed, Alerts: []engine.Alert{{
				Message: "secret holds a credential", FailedPaths: []string{"stringData.user"},
				FixPaths: []engine.FixPath{{Path: "stringData.user", Value: "someone"}},
			}}}},
		}}}},
	}
	var buf strings.Builder
	if err := Write(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "admin") {
		t.Fatalf("the Secret's content leaked into the log:\n%s", buf.String())
	}
	l := decode(t, []byte(buf.String()))
	pl := l.Runs[0].Results[0].Locations[0].PhysicalLocation
	if pl == nil || pl.Region.StartLine != 6 || pl.Region.Snippet != nil {
		t.Fatalf("want a location at line 6 without snippet, got %+v", pl)
	}
	if want := "file://" + filepath.ToSlash(path); pl.ArtifactLocation.URI != want {
		t.Errorf("uri %q, want %q", pl.ArtifactLocation.URI, want)
	}
}

func TestExceptedFailuresAreSuppressed(t *testing.T) {
	l := decode(t, write(t, reporttest.BuildWith(t, reporttest.Options{Excepter: exceptAll{}})))
	results := l.Runs[0].Results
	if len(results) != 4 {
		t.Fatalf("excepted failures must stay visible: got %d results, want 4", len(results))
	}
	for _, res := range results {
		if len(res.Suppressions) != 1 || res.Suppressions[0].Kind != "external" ||
			res.Suppressions[0].Justification != "excepted by accepted-risk: reviewed by the platform team (exceptions.json)" {
			t.Errorf("%s: suppressions %+v", res.RuleID, res.Suppressions)
		}
	}
}

func TestInvocation(t *testing.T) {
	l := decode(t, write(t, reporttest.Build(t)))
	inv := l.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("a scan with an unreadable input is not successful")
	}
	var levels []string
	for _, n := range inv.ToolExecutionNotifications {
		levels = append(levels, n.Level+" "+n.Descriptor.ID)
	}
	want := "error input-error, warning control-not-evaluated"
	if got := strings.Join(levels, ", "); got != want {
		t.Errorf("notifications: %s, want %s", got, want)
	}
	in := inv.ToolExecutionNotifications[0]
	if pl := in.Locations[0].PhysicalLocation; pl.ArtifactLocation.URI != reporttest.ManifestsDir+"/broken.yaml" || pl.Region.StartLine != 7 {
		t.Errorf("input error located at %+v", pl)
	}
	skip := inv.ToolExecutionNotifications[1]
	if skip.AssociatedRule == nil || skip.AssociatedRule.ID != "C-0001" || l.Runs[0].Tool.Driver.Rules[skip.AssociatedRule.Index].ID != "C-0001" {
		t.Errorf("skipped control notification: %+v", skip.AssociatedRule)
	}
}
