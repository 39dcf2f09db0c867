// Package reporttest builds a small, deterministic report by running the
// real pipeline (policy loading, file source, engine, report.Build) over
// the fixture in testdata, so output formats can have golden tests that do
// not change whenever the built-in library does.
//
// The fixture's framework "fixture" holds one control of each outcome:
//
//	C-0001 skipped (configuration: needs control inputs)
//	C-0004 failed, with a fix path whose value is the YOUR_VALUE placeholder
//	C-0015 failed, RBAC: subjects from the subject-role-rolebinding aggregator
//	C-0044 passed on every object
//	C-0057 failed, with a fix path that sets an existing value
//	C-0263 passed/irrelevant: no object matches it
//
// and testdata/manifests/broken.yaml makes an input error. Source paths in
// the report are relative to the repository root (RepoRoot), whichever
// package's test builds it.
package reporttest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/pkg/source/file"
)

// Fixed values of the fixture's report.
const (
	Framework = "fixture"
	Version   = "v0.0.0-test"
)

// GeneratedAt is the time every fixture report is stamped with.
func GeneratedAt() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// Options vary the fixture.
type Options struct {
	// Controls scans these control IDs instead of the framework, so the
	// report's target type is "Control" and it has no frameworks.
	Controls []string
	// Manifests are files or directories to scan, relative to
	// testdata/manifests of this package ("" or none: the whole directory).
	Manifests []string
	// Inputs are control inputs (none by default, so C-0001 is skipped).
	Inputs policy.Inputs
	// Excepter, when set, excepts failures.
	Excepter report.Excepter
}

// Build returns the report of the fixture framework over every fixture
// manifest.
func Build(t testing.TB) *report.Report {
	t.Helper()
	return BuildWith(t, Options{})
}

// BuildControls returns the report of a control scan of the given IDs.
func BuildControls(t testing.TB, ids ...string) *report.Report {
	t.Helper()
	return BuildWith(t, Options{Controls: ids})
}

// BuildWith returns the fixture's report with some options.
func BuildWith(t testing.TB, opts Options) *report.Report {
	t.Helper()
	r, err := build(opts)
	if err != nil {
		t.Fatalf("reporttest: %v", err)
	}
	return r
}

// RepoRoot is the repository root, which the report's relative source
// paths are relative to. Read fixture files through it.
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("reporttest: %v", err)
	}
	return root
}

// ManifestsDir is the fixture's manifests directory relative to RepoRoot,
// with forward slashes, as it appears in the report.
const ManifestsDir = "pkg/report/reporttest/testdata/manifests"

func build(opts Options) (*report.Report, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	fws, err := policy.LoadKubescapeFile(filepath.Join(root, "pkg/report/reporttest/testdata/policy.json"))
	if err != nil {
		return nil, err
	}
	set := policy.NewSet()
	for _, f := range fws {
		set.AddFramework(f)
	}
	sel, err := selection(set, opts)
	if err != nil {
		return nil, err
	}
	inv, err := load(ctx, root, opts.Manifests)
	if err != nil {
		return nil, err
	}
	inputs := opts.Inputs
	if inputs == nil {
		inputs = policy.Inputs{}
	}
	// One worker: the fixture is tiny and tests share the machine.
	eng, err := engine.New(ctx, sel.Controls, engine.Options{Inputs: inputs, Workers: 1})
	if err != nil {
		return nil, err
	}
	res, err := eng.Evaluate(ctx, inv)
	if err != nil {
		return nil, err
	}
	r := report.Build(report.Input{
		Selection: sel, Result: res, Inventory: inv, Inputs: inputs,
		Excepter: opts.Excepter, Version: Version, Now: GeneratedAt(),
	})
	// Durations are the only values that differ between runs.
	r.Timing = report.Timing{}
	for _, c := range r.Controls {
		c.Duration = 0
	}
	return r, nil
}

func selection(set *policy.Set, opts Options) (*policy.Selection, error) {
	if len(opts.Controls) > 0 {
		return set.SelectControls(opts.Controls, nil)
	}
	return set.SelectFrameworks([]string{Framework}, nil)
}

// load reads the manifests by absolute path, then makes every path
// relative to the repository root so reports do not depend on where the
// repository or the calling test is.
func load(ctx context.Context, root string, manifests []string) (*source.Inventory, error) {
	rel := manifests
	if len(rel) == 0 {
		rel = []string{""}
	}
	var paths []string
	for _, m := range rel {
		paths = append(paths, filepath.Join(root, filepath.FromSlash(ManifestsDir), filepath.FromSlash(m)))
	}
	src := &file.Source{Paths: paths, Workers: 1}
	inv, err := src.Load(ctx)
	if err != nil {
		return nil, err
	}
	relPath := func(p string) string {
		if r, err := filepath.Rel(root, p); err == nil {
			return filepath.ToSlash(r)
		}
		return p
	}
	for i := range inv.Roots {
		inv.Roots[i] = relPath(inv.Roots[i])
	}
	for i := range inv.Inputs {
		inv.Inputs[i] = relPath(inv.Inputs[i])
	}
	for i := range inv.Errors {
		inv.Errors[i].Path = relPath(inv.Errors[i].Path)
	}
	for i := range inv.Notes {
		inv.Notes[i].Path = relPath(inv.Notes[i].Path)
	}
	for _, o := range inv.Objects {
		o.Source.Path = relPath(o.Source.Path)
	}
	return inv, nil
}

// repoRoot finds the repository root from this file's location, or, when
// the binary was built with -trimpath, from the working directory up.
func repoRoot() (string, error) {
	if _, self, _, ok := runtime.Caller(0); ok && filepath.IsAbs(self) {
		return filepath.Clean(filepath.Join(filepath.Dir(self), "..", "..", "..")), nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the repository root (go.mod)")
		}
		dir = parent
	}
}

// Find returns the fixture object of a kind and name, or nil.
func Find(r *report.Report, kind, name string) *report.Resource {
	for _, res := range r.Resources {
		if res.Object.ID.Kind == kind && res.Object.ID.Name == name {
			return res
		}
	}
	return nil
}

// Control returns the fixture report's control of an ID, or nil.
func Control(r *report.Report, id string) *report.ControlSummary {
	for _, c := range r.Controls {
		if c.ID == id {
			return c
		}
	}
	return nil
}
