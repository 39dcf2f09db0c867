package custom

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/internal/testfs"

	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/policies"
)

// lib loads the embedded library.
func lib(t *testing.T) *library.Library {
	t.Helper()
	l, err := library.Load(policies.FS())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// writeTree writes files (relative path → content) under a new directory.

// meta renders a METADATA block with the given lines under custom:.
func meta(title string, custom ...string) string {
	var b strings.Builder
	b.WriteString("# METADATA\n")
	if title != "" {
		b.WriteString("# title: " + title + "\n")
	}
	b.WriteString("# custom:\n")
	for _, l := range custom {
		b.WriteString("#   " + l + "\n")
	}
	return b.String()
}

const ksBody = `package armo_builtins

deny contains alert if {
	some obj in input
	not obj.metadata.labels.owner
	alert := {
		"alertMessage": sprintf("%s has no owner", [obj.metadata.name]),
		"alertScore": 5,
		"failedPaths": [],
		"fixPaths": [{"path": "metadata.labels.owner", "value": "YOUR_TEAM"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
`

const simpleBody = `package main

deny contains msg if {
	not input.metadata.labels.owner
	msg := sprintf("%s has no owner", [input.metadata.name])
}
`

func TestLoad(t *testing.T) {
	std := []string{"id: ACME-1", "severity: high", "kinds: [Deployment]"}
	tests := []struct {
		name  string
		files map[string]string
		// wantErr are substrings of the load error; none means success.
		wantErr []string
		check   func(t *testing.T, s *Set)
	}{
		{
			name:  "kubescape contract",
			files: map[string]string{"owner.rego": meta("Owner label", append(std, "remediation: add it", "frameworks: [security]", "inputs: [insecureCapabilities]")...) + ksBody},
			check: func(t *testing.T, s *Set) {
				c := s.Controls[0]
				if c.ControlID != "ACME-1" || c.Name != "Owner label" || c.Contract != ContractKubescape || c.BaseScore != 7 || c.Severity() != "High" {
					t.Errorf("control = %+v (contract %s)", c.Control, c.Contract)
				}
				r := c.Rules[0]
				if r.Name != "owner" || !r.PerObject || !strings.HasSuffix(r.File, "owner.rego") || r.Rule == "" {
					t.Errorf("rule = %+v", r)
				}
				if len(r.Match) != 1 || !r.Match[0].Matches("apps", "v1", "Deployment") || r.Match[0].Matches("", "v1", "Pod") {
					t.Errorf("matches = %+v", r.Match)
				}
				if !slices.Equal(c.Frameworks, []string{"security"}) || !slices.Equal(c.InputKeys(), []string{"insecureCapabilities"}) || c.Remediation != "add it" {
					t.Errorf("frameworks %v inputs %v remediation %q", c.Frameworks, c.InputKeys(), c.Remediation)
				}
				if !c.ScanningScope.Allows("file") || !c.ScanningScope.Allows("cluster") {
					t.Errorf("default scope = %v", c.ScanningScope)
				}
				if len(s.Modules) != 0 {
					t.Errorf("a Kubescape-contract rule needs no shared module: %v", s.Modules)
				}
			},
		},
		{
			name:  "simple contract is wrapped",
			files: map[string]string{"owner.rego": meta("Owner label", std...) + simpleBody},
			check: func(t *testing.T, s *Set) {
				c := s.Controls[0]
				if c.Contract != ContractSimple || len(s.Modules) != 1 {
					t.Fatalf("contract %s, modules %d", c.Contract, len(s.Modules))
				}
				m := s.Modules[0]
				if !strings.Contains(m.Source, "package vigil_custom_acme_1\n") || strings.Contains(m.Source, "package main") {
					t.Errorf("module not moved to its private package:\n%s", m.Source)
				}
				if strings.Count(m.Source, "\n") != strings.Count(meta("Owner label", std...)+simpleBody, "\n") {
					t.Error("renaming the package changed line numbers")
				}
				if r := c.Rules[0].Rule; !strings.Contains(r, "package armo_builtins") || !strings.Contains(r, "data.vigil_custom_acme_1.deny with input as obj") || !strings.Contains(r, `"alertScore": 7`) {
					t.Errorf("wrapper:\n%s", r)
				}
			},
		},
		{
			name: "package-scoped title, rule-scoped custom, baseScore, scope, Rego v0",
			files: map[string]string{"v0.rego": "# METADATA\n# title: From the package\n# description: Why.\npackage main\n\n" +
				"# METADATA\n# custom:\n#   id: V0-1\n#   baseScore: 6.5\n#   scope: [file]\n#   kinds: [workloads]\n" +
				"deny[msg] {\n  input.spec.hostNetwork\n  msg := \"host network\"\n}\n"},
			check: func(t *testing.T, s *Set) {
				c := s.Controls[0]
				if c.Name != "From the package" || c.Description != "Why." || c.BaseScore != 6.5 || c.Severity() != "Medium" {
					t.Errorf("control = %+v", c.Control)
				}
				if c.ScanningScope.Allows("cluster") || !c.ScanningScope.Allows("file") {
					t.Errorf("scope = %v", c.ScanningScope)
				}
				if len(c.Rules[0].Match) != 8 {
					t.Errorf("workloads should match 8 kinds, got %d", len(c.Rules[0].Match))
				}
			},
		},
		{
			name: "tests beside, per folder, and OPA unit tests skipped",
			files: map[string]string{
				"a.rego":       meta("A", "id: A-1", "severity: low", "kinds: [Pod]") + simpleBody,
				"a.tests.yaml": "- name: one\n  objects: [{apiVersion: v1, kind: Pod, metadata: {name: p}}]\n  expect: [{object: Pod//p}]\n",
				"a_test.rego":  "package main\n\ntest_x if { true }\n",
				"b/rule.rego":  meta("B", "id: B-1", "severity: low", "kinds: [Pod]") + simpleBody,
				"b/tests.yaml": "- name: two\n  objects: []\n  expect: []\n- name: three\n  objects: []\n  expect: []\n",
				"c/x.rego":     meta("X", "id: X-1", "severity: low", "kinds: [Pod]") + simpleBody,
				"c/y.rego":     meta("Y", "id: Y-1", "severity: low", "kinds: [Pod]") + simpleBody,
				"c/tests.yaml": "- name: ambiguous\n  objects: []\n  expect: []\n",
				".git/z.rego":  "not rego at all",
			},
			check: func(t *testing.T, s *Set) {
				got := map[string]int{}
				for _, c := range s.Controls {
					got[c.ControlID] = len(c.Tests)
				}
				want := map[string]int{"A-1": 1, "B-1": 2, "X-1": 0, "Y-1": 0}
				if len(got) != len(want) {
					t.Fatalf("controls = %v, want %v", got, want)
				}
				for id, n := range want {
					if got[id] != n {
						t.Errorf("%s: %d tests, want %d", id, got[id], n)
					}
				}
				pkgs := map[string]bool{}
				for _, m := range s.Modules {
					pkgs[strings.SplitN(strings.SplitN(m.Source, "package ", 2)[1], "\n", 2)[0]] = true
				}
				if len(pkgs) != 4 {
					t.Errorf("four files in package main need four private packages, got %v", pkgs)
				}
			},
		},
		{
			name: "simple contract forced in armo_builtins, with a custom builtin",
			files: map[string]string{"x.rego": meta("A", append(std, "contract: simple")...) + `package armo_builtins

deny contains msg if {
	some c in input.spec.containers
	startswith(image.parse_normalized_name(c.image), "docker.io/")
	msg := "image from Docker Hub"
}
`},
			check: func(t *testing.T, s *Set) {
				if c := s.Controls[0]; c.Contract != ContractSimple || len(s.Modules) != 1 || !strings.Contains(s.Modules[0].Source, "package vigil_custom_acme_1\n") {
					t.Errorf("contract %s, modules %v", c.Contract, s.Modules)
				}
			},
		},
		{
			name:    "missing id",
			files:   map[string]string{"x.rego": "package main\n\ndeny contains \"x\" if { true }\n"},
			wantErr: []string{"x.rego: no METADATA block sets custom.id", "docs/CUSTOM-CONTROLS.md"},
		},
		{
			name:    "Kubescape rule without metadata",
			files:   map[string]string{"x.rego": ksBody},
			wantErr: []string{"no METADATA block sets custom.id", "--use-from"},
		},
		{
			name:    "two ids in one file",
			files:   map[string]string{"x.rego": meta("A", std...) + "package main\n\n" + meta("B", "id: ACME-2") + "deny contains \"x\" if { true }\n"},
			wantErr: []string{"x.rego:9: a second METADATA block sets custom.id (the first is at line 1)"},
		},
		{
			name:    "bad severity",
			files:   map[string]string{"x.rego": meta("A", "id: A-1", "severity: severe", "kinds: [Pod]") + simpleBody},
			wantErr: []string{"x.rego:1: custom.severity \"severe\": use low, medium, high or critical"},
		},
		{
			name:    "severity and baseScore",
			files:   map[string]string{"x.rego": meta("A", "id: A-1", "severity: low", "baseScore: 3", "kinds: [Pod]") + simpleBody},
			wantErr: []string{"not both"},
		},
		{
			name:    "no severity",
			files:   map[string]string{"x.rego": meta("A", "id: A-1", "kinds: [Pod]") + simpleBody},
			wantErr: []string{"custom.severity (low, medium, high, critical) or custom.baseScore (1-10) is required"},
		},
		{
			name:    "no title",
			files:   map[string]string{"x.rego": meta("", std...) + simpleBody},
			wantErr: []string{"title is required"},
		},
		{
			name:    "bad id",
			files:   map[string]string{"x.rego": meta("A", "id: 'A 1'", "severity: low", "kinds: [Pod]") + simpleBody},
			wantErr: []string{`custom.id "A 1" must be`},
		},
		{
			name:    "no kinds",
			files:   map[string]string{"x.rego": meta("A", "id: A-1", "severity: low") + simpleBody},
			wantErr: []string{"custom.kinds is required"},
		},
		{
			name:    "unknown kind",
			files:   map[string]string{"x.rego": meta("A", "id: A-1", "severity: low", "kinds: [Gateway]") + simpleBody},
			wantErr: []string{"custom.kinds: unknown kind \"Gateway\": use group/version/Kind"},
		},
		{
			name:    "typo in a custom key",
			files:   map[string]string{"x.rego": meta("A", "id: A-1", "severity: low", "kind: [Pod]") + simpleBody},
			wantErr: []string{"custom.kind is not a key Vigil reads (did you mean kinds?)"},
		},
		{
			name:  "other tools' custom keys are ignored",
			files: map[string]string{"x.rego": meta("A", append(std, "owner: platform-team", "ticket: SEC-12")...) + simpleBody},
		},
		{
			name:    "bad scope",
			files:   map[string]string{"x.rego": meta("A", append(std, "scope: [cloud]")...) + simpleBody},
			wantErr: []string{`custom.scope "cloud": use file and/or cluster`},
		},
		{
			name:    "kubescape contract needs armo_builtins",
			files:   map[string]string{"x.rego": meta("A", append(std, "contract: kubescape")...) + simpleBody},
			wantErr: []string{"custom.contract is kubescape but the package is main"},
		},
		{
			name:    "simple contract cannot be relational",
			files:   map[string]string{"x.rego": meta("A", append(std, "relational: true")...) + simpleBody},
			wantErr: []string{"custom.relational: simple-contract rules judge one object at a time"},
		},
		{
			name:    "simple contract without deny",
			files:   map[string]string{"x.rego": meta("A", std...) + "package main\n\nwarn contains \"x\" if { true }\n"},
			wantErr: []string{"package main defines no deny or violation set"},
		},
		{
			name:    "parse error has a column",
			files:   map[string]string{"x.rego": meta("A", std...) + "package main\n\ndeny contains msg if {\n\tmsg := \n}\n"},
			wantErr: []string{"x.rego:11:1: rego_parse_error"},
		},
		{
			name:    "compile error in a simple rule has a column",
			files:   map[string]string{"x.rego": meta("A", std...) + "package main\n\ndeny contains msg if {\n\tmsg := y\n}\n"},
			wantErr: []string{"x.rego:10:2: rego_unsafe_var_error: var y is unsafe"},
		},
		{
			name:    "compile error in a Kubescape rule has a column",
			files:   map[string]string{"x.rego": meta("A", std...) + strings.Replace(ksBody, "not obj.metadata.labels.owner", "not no_such_fn(obj)", 1)},
			wantErr: []string{"x.rego:11:2: rego_type_error: undefined function no_such_fn"},
		},
		{
			name: "one broken simple rule is reported alone",
			files: map[string]string{
				"good.rego": meta("A", "id: A-1", "severity: low", "kinds: [Pod]") + simpleBody,
				"bad.rego":  meta("B", "id: B-1", "severity: low", "kinds: [Pod]") + "package main\n\ndeny contains msg if {\n\tmsg := y\n}\n",
			},
			wantErr: []string{"bad.rego:10:2: rego_unsafe_var_error"},
		},
		{
			name: "duplicate ids",
			files: map[string]string{
				"a.rego": meta("A", std...) + simpleBody,
				"b.rego": meta("B", std...) + simpleBody,
			},
			wantErr: []string{"b.rego: control ID ACME-1 is also used by", "a.rego"},
		},
		{
			name: "broken tests file",
			files: map[string]string{
				"a.rego":       meta("A", std...) + simpleBody,
				"a.tests.yaml": "- name: x\n  expect: [{status: failed}]\n",
			},
			wantErr: []string{"a.tests.yaml:1: test \"x\": expectation 1 names no object"},
		},
		{
			name:    "empty directory",
			files:   map[string]string{"README.md": "nothing"},
			check:   func(t *testing.T, s *Set) { requireWarning(t, s.Warnings, "holds no .rego files") },
			wantErr: nil,
		},
		{
			name:  "unknown input key warns",
			files: map[string]string{"a.rego": meta("A", append(std, "inputs: [acmeTeams]")...) + ksBody},
			check: func(t *testing.T, s *Set) {
				requireWarning(t, s.Warnings, `control input "acmeTeams" is not a built-in one; give its values with --controls-config`)
			},
		},
	}
	l := lib(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := testfs.Tree(t, tc.files)
			s, err := Load(context.Background(), []string{dir}, l)
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("loaded; want an error with %q", tc.wantErr)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q:\n%v", w, err)
					}
				}
				if strings.Contains(err.Error(), "good.rego") {
					t.Errorf("error blames a good file:\n%v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, s)
			}
		})
	}
}

func requireWarning(t *testing.T, warnings []string, want string) {
	t.Helper()
	for _, w := range warnings {
		if strings.Contains(w, want) {
			return
		}
	}
	t.Errorf("no warning contains %q: %q", want, warnings)
}

func TestLoadSingleFileAndMissingDir(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{"a.rego": meta("A", "id: A-1", "severity: low", "kinds: [Pod]") + simpleBody, "notes.txt": "x"})
	s, err := Load(context.Background(), []string{filepath.Join(dir, "a.rego")}, lib(t))
	if err != nil || len(s.Controls) != 1 {
		t.Fatalf("single file: %v, %v", s, err)
	}
	for _, p := range []string{filepath.Join(dir, "missing"), filepath.Join(dir, "notes.txt")} {
		if _, err := Load(context.Background(), []string{p}, lib(t)); err == nil || !strings.Contains(err.Error(), "policy directory") {
			t.Errorf("%s: error = %v", p, err)
		}
	}
}

func TestAddTo(t *testing.T) {
	l := lib(t)
	dir := testfs.Tree(t, map[string]string{
		"override.rego": meta("Our privileged check", "id: C-0057", "severity: critical", "kinds: [Pod]") + simpleBody,
		"joins.rego":    meta("Joins", "id: J-1", "severity: low", "kinds: [Pod]", "frameworks: [NSA, acme, securty]") + simpleBody,
		"free.rego":     meta("Free", "id: F-1", "severity: low", "kinds: [Pod]") + simpleBody,
	})
	s, err := Load(context.Background(), []string{dir}, l)
	if err != nil {
		t.Fatal(err)
	}
	set := policy.NewSet()
	l.AddTo(set)
	warns := s.AddTo(set, l)
	requireWarning(t, warns, "custom control C-0057 ("+filepath.Join(dir, "override.rego")+") replaces the built-in control C-0057 \"Privileged container\"")
	for _, fw := range []string{"security", "nsa"} {
		f := set.Framework(fw)
		i := slices.IndexFunc(f.Controls, func(c *policy.Control) bool { return c.ControlID == "C-0057" })
		if i < 0 || f.Controls[i].Name != "Our privileged check" {
			t.Errorf("%s does not hold the replacement of C-0057", fw)
		}
	}
	if nsa := set.Framework("nsa"); !slices.ContainsFunc(nsa.Controls, func(c *policy.Control) bool { return c.ControlID == "J-1" }) {
		t.Error("J-1 did not join nsa (named NSA)")
	}
	unjoined := s.Unjoined(set)
	if len(unjoined) != 1 || !strings.Contains(unjoined[0], `custom control J-1 (`) ||
		!strings.HasSuffix(unjoined[0], `names framework "securty", which this scan does not have (did you mean "security"?)`) {
		t.Errorf("unjoined = %q", unjoined)
	}
	var free []string
	for _, c := range s.Free() {
		free = append(free, c.ControlID)
	}
	if !slices.Equal(free, []string{"F-1", "C-0057"}) && !slices.Equal(free, []string{"C-0057", "F-1"}) {
		t.Errorf("free = %v", free)
	}
}

func TestSeverityScore(t *testing.T) {
	for _, sev := range []string{"low", "Medium", "HIGH", "critical"} {
		score, ok := SeverityScore(sev)
		if !ok || !strings.EqualFold(policy.SeverityOf(score), sev) {
			t.Errorf("%s → %v → %s", sev, score, policy.SeverityOf(score))
		}
	}
	if _, ok := SeverityScore("severe"); ok {
		t.Error("severe is not a severity")
	}
}
