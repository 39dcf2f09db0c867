// Package policytest runs a control's test cases through the real engine
// and compares verdicts and paths with what the cases expect. It serves the
// built-in library's go tests and `vigil policy test` alike.
package policytest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/source"
)

// CaseResult is the outcome of one test case.
type CaseResult struct {
	Control string
	Case    string
	Line    int
	// Problems are the differences from what the case expects; none means
	// the case passed.
	Problems []string
}

// Passed reports whether the case passed.
func (r CaseResult) Passed() bool { return len(r.Problems) == 0 }

// Runner runs test cases of one library. It compiles the library once
// and evaluates each case with only its control; cases that override
// control inputs get an engine of their own.
type Runner struct {
	Lib *library.Library

	once    sync.Once
	shared  *engine.Engine
	initErr error
}

func (rn *Runner) modules() []engine.Module {
	return rn.Lib.Modules
}

func (rn *Runner) engine(ctx context.Context) (*engine.Engine, error) {
	rn.once.Do(func() {
		rn.shared, rn.initErr = engine.New(ctx, rn.Lib.Controls, engine.Options{Inputs: rn.Lib.Defaults(), Modules: rn.modules(), Workers: 1})
		var cerr *engine.CompileError
		if errors.As(rn.initErr, &cerr) {
			// Broken rules are reported by their own cases.
			rn.initErr = nil
		}
	})
	return rn.shared, rn.initErr
}

// RunControl runs every test case of a control.
func (rn *Runner) RunControl(ctx context.Context, c *policy.Control) ([]CaseResult, error) {
	var out []CaseResult
	for _, tc := range rn.Lib.Tests[c.ControlID] {
		res, err := rn.RunCase(ctx, c, tc)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// RunCase runs one test case.
func (rn *Runner) RunCase(ctx context.Context, c *policy.Control, tc library.TestCase) (CaseResult, error) {
	cr := CaseResult{Control: c.ControlID, Case: tc.Name, Line: tc.Line}
	inputs := rn.Lib.Defaults()
	maps.Copy(inputs, tc.Inputs)
	eng, err := rn.engine(ctx)
	if err != nil {
		return cr, err
	}
	if len(tc.Inputs) > 0 || !slices.Contains(rn.Lib.Controls, c) {
		if eng, err = engine.New(ctx, []*policy.Control{c}, engine.Options{Inputs: inputs, Modules: rn.modules(), Workers: 1}); err != nil {
			return cr, err
		}
	}
	dec := manifest.Decode(tc.Objects, manifest.Options{Path: "test:" + tc.Name, SourceKind: "file"})
	for _, e := range dec.Errors {
		cr.Problems = append(cr.Problems, "input does not parse: "+e.Error())
	}
	// Cases run as a file scan unless the control is for clusters only,
	// or judges host data only (then as a host scan).
	target := source.TargetFile
	switch {
	case c.HostOnly():
		target = source.TargetHost
	case !c.ScanningScope.Allows(target):
		target = source.TargetCluster
	}
	inv := &source.Inventory{Target: target, Objects: dec.Objects}
	res, err := eng.EvaluateControls(ctx, inv, []string{c.ControlID})
	if err != nil {
		return cr, err
	}
	sel := &policy.Selection{Controls: []*policy.Control{c}, TargetType: "Control", TargetNames: []string{c.ControlID}}
	rep := report.Build(report.Input{Selection: sel, Result: res, Inventory: inv, Inputs: inputs, Now: time.Time{}})
	cr.Problems = append(cr.Problems, Compare(rep, c.ControlID, tc.Expect)...)
	return cr, nil
}

// Compare checks a report's verdicts for one control against expectations.
func Compare(rep *report.Report, controlID string, expect []library.Expectation) []string {
	var problems []string
	for _, cs := range rep.Controls {
		if cs.ID == controlID && cs.Status == report.Skipped && cs.SubStatus == "" {
			problems = append(problems, "control was skipped: "+cs.Reason)
		}
	}
	results := map[string]*report.Result{}
	for _, res := range rep.Resources {
		for _, r := range res.Results {
			if r.Control.ID == controlID {
				id := res.Object.ID
				results[id.Kind+"/"+id.Namespace+"/"+id.Name] = r
			}
		}
	}
	listed := map[string]bool{}
	for _, e := range expect {
		listed[e.Object] = true
		r := results[e.Object]
		if r == nil {
			problems = append(problems, fmt.Sprintf("%s: expected %s, but the control did not judge it (not in scope)", e.Object, e.Status))
			continue
		}
		if string(r.Status) != e.Status {
			problems = append(problems, fmt.Sprintf("%s: expected %s, got %s%s", e.Object, e.Status, r.Status, describe(r)))
			continue
		}
		if e.Status != "failed" {
			continue
		}
		var failed, review, deletes []string
		var fixes []string
		var msgs []string
		for _, ro := range r.Rules {
			f, rv, d, x := ro.Paths()
			failed = append(failed, f...)
			review = append(review, rv...)
			deletes = append(deletes, d...)
			for _, fp := range x {
				fixes = append(fixes, fp.Path+"="+fp.Value)
			}
			for _, a := range ro.Alerts {
				msgs = append(msgs, a.Message)
			}
		}
		var wantFix []string
		for _, fp := range e.FixPaths {
			wantFix = append(wantFix, fp.Path+"="+fp.Value)
		}
		problems = append(problems, diffPaths(e.Object, "failedPaths", e.FailedPaths, failed)...)
		problems = append(problems, diffPaths(e.Object, "reviewPaths", e.ReviewPaths, review)...)
		problems = append(problems, diffPaths(e.Object, "deletePaths", e.DeletePaths, deletes)...)
		problems = append(problems, diffPaths(e.Object, "fixPaths", wantFix, fixes)...)
		if e.Message != "" && !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, e.Message) }) {
			problems = append(problems, fmt.Sprintf("%s: no alert message contains %q (got %q)", e.Object, e.Message, msgs))
		}
	}
	var unexpected []string
	for k, r := range results {
		if !listed[k] && r.Status == report.Failed {
			unexpected = append(unexpected, fmt.Sprintf("%s: failed but the case does not expect it%s", k, describe(r)))
		}
	}
	sort.Strings(unexpected)
	return append(problems, unexpected...)
}

func describe(r *report.Result) string {
	var parts []string
	for _, ro := range r.Rules {
		if ro.Error != "" {
			parts = append(parts, ro.Error)
		}
		for _, a := range ro.Alerts {
			parts = append(parts, a.Message)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func diffPaths(obj, kind string, want, got []string) []string {
	w := slices.Clone(want)
	g := slices.Clone(got)
	sort.Strings(w)
	sort.Strings(g)
	w = slices.Compact(w)
	g = slices.Compact(g)
	if slices.Equal(w, g) {
		return nil
	}
	return []string{fmt.Sprintf("%s: %s differ:\n      want %q\n      got  %q", obj, kind, w, g)}
}
