package policy

import (
	"strings"
	"testing"
)

func TestLoadArtifactsDir(t *testing.T) {
	a, err := LoadArtifactsDir("testdata/artifacts")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Frameworks) != 1 || a.Frameworks[0].Name != "MyFramework" {
		t.Fatalf("frameworks = %+v", a.Frameworks)
	}
	c := a.Frameworks[0].Controls[0]
	if len(c.Rules) != 1 || c.Rules[0].Name != "host-network" {
		t.Errorf("version attributes: rules kept = %v, want only host-network", ruleNames(c))
	}
	if got := c.InputKeys(); len(got) != 1 || got[0] != "allowedNamespaces" {
		t.Errorf("input keys = %v", got)
	}
	if a.Inputs["allowedNamespaces"][0] != "kube-system" || a.Inputs["insecureCapabilities"][0] != "SYS_ADMIN" {
		t.Errorf("inputs = %v", a.Inputs)
	}
	if !strings.HasSuffix(a.ExceptionsPath, "exceptions.json") {
		t.Errorf("exceptions path = %q", a.ExceptionsPath)
	}
	if c.Severity() != "High" {
		t.Errorf("severity of 7.0 = %s", c.Severity())
	}
}

func ruleNames(c *Control) []string {
	var out []string
	for _, r := range c.Rules {
		out = append(out, r.Name)
	}
	return out
}

func TestLoadControlsFile(t *testing.T) {
	fws, err := LoadKubescapeFile("testdata/controls.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(fws) != 1 || fws[0].Name != "controls" || len(fws[0].Controls) != 2 {
		t.Fatalf("got %+v", fws)
	}
	s := NewSet()
	s.AddFramework(fws[0])
	sel, err := s.SelectControls([]string{"c-1002"}, nil)
	if err != nil || len(sel.Controls) != 1 || sel.Controls[0].Severity() != "Critical" {
		t.Fatalf("select = %+v, %v", sel, err)
	}
}

func TestParseInputsShapes(t *testing.T) {
	for _, in := range []string{
		`{"k": ["a", "b"], "n": [1, true]}`,
		`{"postureControlInputs": {"k": ["a", "b"], "n": [1, true]}}`,
		`{"settings": {"postureControlInputs": {"k": ["a", "b"], "n": [1, true]}}}`,
	} {
		got, err := ParseInputs([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got["k"], ",") != "a,b" || strings.Join(got["n"], ",") != "1,true" {
			t.Errorf("%s: %v", in, got)
		}
	}
	if _, err := ParseInputs([]byte("{\n\"k\": [\"a\",]\n}")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("syntax error should name the line: %v", err)
	}
}

func TestSelectionErrors(t *testing.T) {
	s := NewSet()
	s.AddFramework(&Framework{Name: "security", Controls: []*Control{{ControlID: "C-0057", Name: "Privileged container"}}})
	s.AddFramework(&Framework{Name: "nsa", Controls: []*Control{{ControlID: "C-0013", Name: "Non-root"}}})
	_, err := s.SelectFrameworks([]string{"securty"}, nil)
	if err == nil || !strings.Contains(err.Error(), `did you mean "security"`) {
		t.Errorf("typo: %v", err)
	}
	if _, err := s.SelectControls([]string{"C-9999"}, nil); err == nil {
		t.Error("unknown control must be an error")
	}
	if _, err := s.SelectFrameworks([]string{"all"}, []string{"C-1234"}); err == nil {
		t.Error("unknown excluded control must be an error")
	}
	sel, err := s.SelectFrameworks([]string{"all"}, []string{"C-0013"})
	if err != nil || len(sel.Controls) != 1 || sel.Controls[0].ControlID != "C-0057" || len(sel.Frameworks) != 2 {
		t.Errorf("all minus C-0013 = %+v %v", sel, err)
	}
	sel, err = s.SelectControls([]string{"privileged container"}, nil)
	if err != nil || sel.Controls[0].ControlID != "C-0057" {
		t.Errorf("select by name: %v", err)
	}
}

func TestCompareVersions(t *testing.T) {
	if CompareVersions("v1.0.133", "v4.0.11") >= 0 || CompareVersions("v4.0.11", "v4.0.11") != 0 || CompareVersions("v10.0", "v9.9.9") <= 0 {
		t.Error("version comparison is wrong")
	}
}
