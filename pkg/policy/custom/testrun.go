package custom

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/pkg/policytest"
)

// CaseReport is the outcome of one test case.
type CaseReport struct {
	Control string `json:"control"`
	Case    string `json:"case"`
	// File and Line locate the case in its tests file.
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Passed   bool     `json:"passed"`
	Problems []string `json:"problems,omitempty"`
}

// TestReport is the outcome of `vigil policy test`.
type TestReport struct {
	Cases    []CaseReport `json:"cases"`
	Controls int          `json:"controls"`
	Passed   int          `json:"passed"`
	Failed   int          `json:"failed"`
	// Notes name controls whose tests do not cover both verdicts.
	Notes []string `json:"notes,omitempty"`
	// Warnings are problems met while loading.
	Warnings []string `json:"warnings,omitempty"`
}

// IsLibraryDir reports whether dir is laid out like Vigil's built-in
// library (controls/*/control.yaml).
func IsLibraryDir(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, library.ControlsDir, "*", library.ControlFile))
	return len(m) > 0
}

// RunTests runs the test cases of the controls under dirs through the
// real engine: custom-control directories (Rego with METADATA beside
// NAME.tests.yaml) and library-layout directories alike. lib is the
// built-in library whose shared modules custom rules may import. An error
// means the controls could not be loaded or run, not that a case failed.
func RunTests(ctx context.Context, dirs []string, lib *library.Library) (*TestReport, error) {
	rep := &TestReport{Cases: []CaseReport{}}
	var customDirs []string
	for _, d := range dirs {
		if !IsLibraryDir(d) {
			customDirs = append(customDirs, d)
			continue
		}
		l, err := library.Load(os.DirFS(d))
		if err != nil {
			return nil, fmt.Errorf("library %s: %w", d, err)
		}
		files := map[string]string{}
		for id, dir := range l.Dirs {
			files[id] = filepath.Join(d, filepath.FromSlash(dir), library.TestsFile)
		}
		if err := rep.run(ctx, l, files); err != nil {
			return nil, err
		}
	}
	if len(customDirs) > 0 {
		set, err := Load(ctx, customDirs, lib)
		if err != nil {
			return nil, err
		}
		rep.Warnings = append(rep.Warnings, set.Warnings...)
		files := map[string]string{}
		for _, c := range set.Controls {
			files[c.ControlID] = c.TestsFile
			if c.TestsFile == "" {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%s): no test cases; write them in %s", c.ControlID, c.File, testsPathFor(c.File)))
			}
		}
		if err := rep.run(ctx, set.Library(lib), files); err != nil {
			return nil, err
		}
	}
	if rep.Controls == 0 {
		return nil, fmt.Errorf("no controls found in %v: a custom control is a .rego file with a METADATA block (see docs/CUSTOM-CONTROLS.md)", dirs)
	}
	return rep, nil
}

func testsPathFor(rego string) string {
	return strings.TrimSuffix(rego, ".rego") + TestsSuffix
}

// run runs every case of every control of l; files locate each control's
// tests file.
func (rep *TestReport) run(ctx context.Context, l *library.Library, files map[string]string) error {
	rn := &policytest.Runner{Lib: l}
	for _, c := range l.Controls {
		rep.Controls++
		results, err := rn.RunControl(ctx, c)
		if err != nil {
			return fmt.Errorf("control %s: %w", c.ControlID, err)
		}
		for _, r := range results {
			cr := CaseReport{Control: r.Control, Case: r.Case, File: files[c.ControlID], Line: r.Line, Passed: r.Passed(), Problems: r.Problems}
			if cr.Passed {
				rep.Passed++
			} else {
				rep.Failed++
			}
			rep.Cases = append(rep.Cases, cr)
		}
		if len(l.Tests[c.ControlID]) > 0 {
			rep.Notes = append(rep.Notes, coverageNotes(c, l.Tests[c.ControlID], files[c.ControlID])...)
		}
	}
	return nil
}

// coverageNotes flags tests that never expect a failure or never a pass:
// a control tested one way only can be trivially wrong the other way.
func coverageNotes(c *policy.Control, tests []library.TestCase, file string) []string {
	var failing, passing bool
	for _, tc := range tests {
		for _, e := range tc.Expect {
			failing = failing || e.Status == "failed"
			passing = passing || e.Status == "passed"
		}
	}
	var out []string
	if !failing {
		out = append(out, fmt.Sprintf("%s (%s): no case expects a failure", c.ControlID, file))
	}
	if !passing {
		out = append(out, fmt.Sprintf("%s (%s): no case expects a pass", c.ControlID, file))
	}
	return out
}
