// Package scan wires one scan together: it loads the policy set (the
// embedded library, Kubescape artifacts, user files), selects controls,
// reads the sources, runs the engine and builds the report. Every entry
// point (CLI, and later the operator and admission webhook) goes through it,
// so the same object gets the same verdict everywhere.
package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/policy/custom"
	"github.com/vigilsec/vigil/pkg/policy/exception"
	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/policies"
)

// DefaultFramework is scanned when no framework or control is named.
const DefaultFramework = "security"

// PolicyOptions say where policies come from.
type PolicyOptions struct {
	// UseFrom are Kubescape policy JSON files (frameworks or controls).
	UseFrom []string
	// ArtifactsDir is a Kubescape artifacts directory.
	ArtifactsDir string
	// ControlsConfig is a control-inputs file that overrides the defaults.
	ControlsConfig string
	// PolicyDirs are directories (or files) of custom controls: Rego files
	// with METADATA, and their tests (see docs/CUSTOM-CONTROLS.md).
	PolicyDirs []string
}

// Policies is a loaded policy set and where it came from.
type Policies struct {
	Set *policy.Set
	Lib *library.Library
	// UserFrameworks are the frameworks loaded from user files, in order.
	UserFrameworks []*policy.Framework
	// Custom are the custom controls of PolicyDirs (nil without any).
	Custom *custom.Set
	// ExceptionsPath is an exceptions.json found in the artifacts directory.
	ExceptionsPath string
	Warnings       []string
}

// LoadPolicies loads the embedded library and then the user's policy files,
// which replace built-in frameworks and controls of the same name or ID.
func LoadPolicies(opts PolicyOptions) (*Policies, error) {
	lib, err := library.Load(policies.FS())
	if err != nil {
		return nil, fmt.Errorf("built-in library: %w", err)
	}
	p := &Policies{Set: policy.NewSet(), Lib: lib}
	lib.AddTo(p.Set)
	if opts.ArtifactsDir != "" {
		a, err := policy.LoadArtifactsDir(opts.ArtifactsDir)
		if err != nil {
			return nil, err
		}
		for _, f := range a.Frameworks {
			p.Set.AddFramework(f)
		}
		p.UserFrameworks = append(p.UserFrameworks, a.Frameworks...)
		if a.Inputs != nil {
			p.Set.Inputs.Merge(a.Inputs)
		}
		p.ExceptionsPath = a.ExceptionsPath
		p.Warnings = append(p.Warnings, a.Warnings...)
	}
	for _, f := range opts.UseFrom {
		fws, err := policy.LoadKubescapeFile(f)
		if err != nil {
			return nil, err
		}
		for _, fw := range fws {
			p.Set.AddFramework(fw)
		}
		p.UserFrameworks = append(p.UserFrameworks, fws...)
	}
	if len(opts.PolicyDirs) > 0 {
		// Custom controls come last, so they replace built-in or Kubescape
		// controls of the same ID (with a warning).
		cs, err := custom.Load(context.Background(), opts.PolicyDirs, lib)
		if err != nil {
			return nil, err
		}
		p.Custom = cs
		p.Warnings = append(p.Warnings, cs.Warnings...)
		p.Warnings = append(p.Warnings, cs.AddTo(p.Set, lib)...)
		// The engine compiles simple-contract sources as shared modules.
		lib.Modules = append(lib.Modules, cs.Modules...)
	}
	if opts.ControlsConfig != "" {
		in, err := policy.LoadInputsFile(opts.ControlsConfig)
		if err != nil {
			return nil, err
		}
		p.Set.Inputs.Merge(in)
	}
	return p, nil
}

// Select picks the controls of a scan: the named frameworks (names or
// frameworks files), or the named controls, or by default the frameworks
// loaded from user files, or the default built-in framework. By default,
// custom controls that name no framework run too.
func (p *Policies) Select(frameworks, controls, exclude []string) (*policy.Selection, error) {
	frameworks, err := p.frameworkFiles(frameworks)
	if err != nil {
		return nil, err
	}
	if p.Custom != nil {
		p.Warnings = append(p.Warnings, p.Custom.Unjoined(p.Set)...)
	}
	switch {
	case len(controls) > 0:
		return p.Set.SelectControls(controls, exclude)
	case len(frameworks) > 0:
		return p.Set.SelectFrameworks(frameworks, exclude)
	}
	names := []string{DefaultFramework}
	if len(p.UserFrameworks) > 0 {
		names = nil
		for _, f := range p.UserFrameworks {
			if !slices.Contains(names, f.Name) {
				names = append(names, f.Name)
			}
		}
	}
	sel, err := p.Set.SelectFrameworks(names, exclude)
	if err != nil || p.Custom == nil {
		return sel, err
	}
	drop := map[string]bool{}
	for _, id := range exclude {
		if c := p.Set.Control(id); c != nil {
			drop[c.ControlID] = true
		}
	}
	for _, c := range p.Custom.Free() {
		if !drop[c.ControlID] && !slices.Contains(sel.Controls, c) {
			sel.Controls = append(sel.Controls, c)
		}
	}
	return sel, nil
}

// frameworkFiles loads the framework arguments that are frameworks files
// (see custom.IsFrameworkPath) into the set and returns every argument as
// a framework name. Custom controls naming a file's framework join it.
func (p *Policies) frameworkFiles(args []string) ([]string, error) {
	out := make([]string, 0, len(args))
	for _, a := range args {
		if !custom.IsFrameworkPath(a) {
			out = append(out, a)
			continue
		}
		ff, err := custom.ReadFramework(a)
		if errors.Is(err, fs.ErrNotExist) && p.Set.Framework(a) != nil {
			// A framework name with a dot or slash in it, not a file.
			out = append(out, a)
			continue
		}
		if err != nil {
			return nil, err
		}
		if prev := p.Set.Framework(ff.Name); prev != nil {
			p.Warnings = append(p.Warnings, fmt.Sprintf("framework %q from %s replaces the framework of that name from %s", ff.Name, a, prev.Origin))
		}
		var joiners []*policy.Control
		if p.Custom != nil {
			for _, c := range p.Custom.Controls {
				joiners = append(joiners, c.Control)
			}
		}
		fw, err := ff.AddTo(p.Set, joiners)
		if err != nil {
			return nil, err
		}
		out = append(out, fw.Name)
	}
	return out, nil
}

// Options configure a scan.
type Options struct {
	PolicyOptions
	// Paths are files, directories, globs, chart archives, repository URLs
	// or "-".
	Paths []string
	// Inputs say how charts, kustomizations and repositories are read.
	Inputs InputOptions
	// Cluster, when set, scans a live cluster instead of Paths.
	Cluster *ClusterOptions
	// Host, when set, collects a node's configuration instead of Paths.
	Host        *HostOptions
	Stdin       io.Reader
	MaxFileSize int64
	// Frameworks and Controls select what to evaluate (see Select).
	Frameworks      []string
	Controls        []string
	ExcludeControls []string
	Namespaces      source.NamespaceFilter
	// ExceptionsPath is a posture exceptions file (Kubescape's format); it
	// replaces an exceptions.json found in the artifacts directory.
	ExceptionsPath string
	Workers        int
	Version        string
	// Now stamps the report (time.Now when zero).
	Now time.Time
	// Progress, when set, is told what the scan is doing.
	Progress func(stage string)
	// Loaded, when set, is told how many objects the scan holds before
	// they are evaluated (the CLI sizes its memory budget with it).
	Loaded func(objects int)
}

// UsageError is a problem with what the user asked for (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Run performs a scan.
func Run(ctx context.Context, opts Options) (*report.Report, error) {
	total := time.Now()
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	progress("loading policies")
	pols, err := LoadPolicies(opts.PolicyOptions)
	if err != nil {
		return nil, &UsageError{err}
	}
	sel, err := pols.Select(opts.Frameworks, opts.Controls, opts.ExcludeControls)
	if err != nil {
		return nil, &UsageError{err}
	}
	if len(sel.Controls) == 0 {
		return nil, &UsageError{errors.New("the selection holds no controls to evaluate")}
	}

	now := opts.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}
	exPath := opts.ExceptionsPath
	if exPath == "" {
		exPath = pols.ExceptionsPath
	}
	var exceptions *exception.Set
	if exPath != "" {
		if exceptions, err = exception.Load(exPath, now); err != nil {
			return nil, &UsageError{err}
		}
	}

	start := time.Now()
	var inv *source.Inventory
	var apiRequests int64
	if opts.Cluster != nil {
		progress("listing the cluster")
		src := clusterSource(opts, sel.Controls)
		if inv, err = src.Load(ctx); err != nil {
			return nil, err
		}
		apiRequests = src.Requests.Load()
	} else if opts.Host != nil {
		progress("collecting the host")
		if inv, err = loadHost(ctx, opts.Host); err != nil {
			return nil, &UsageError{err}
		}
	} else {
		progress("reading inputs")
		var cleanup func()
		if inv, cleanup, err = loadInputs(ctx, opts); err != nil {
			return nil, err
		}
		defer cleanup()
		retargetHostFiles(inv)
	}
	inv.Filter(opts.Namespaces)
	inv.NoteDuplicates()
	loadTime := time.Since(start)
	if opts.Loaded != nil {
		opts.Loaded(len(inv.Objects))
	}

	progress("compiling rules")
	start = time.Now()
	eng, err := engine.New(ctx, sel.Controls, engine.Options{Inputs: pols.Set.Inputs, Modules: pols.Lib.Modules, Workers: opts.Workers, CloudProvider: inv.CloudProvider})
	var warnings []string
	var cerr *engine.CompileError
	if errors.As(err, &cerr) {
		// Broken rules make their controls unevaluable, which the report
		// shows; the rest of the scan still runs.
		warnings = append(warnings, cerr.Messages...)
	} else if err != nil {
		return nil, err
	}
	compileTime := time.Since(start)

	progress(fmt.Sprintf("evaluating %d controls on %d objects", len(sel.Controls), len(inv.Objects)))
	start = time.Now()
	res, err := eng.Evaluate(ctx, inv)
	if err != nil {
		return nil, err
	}
	evalTime := time.Since(start)

	progress("building report")
	rep := report.Build(report.Input{
		Excepter:  exceptions,
		Selection: sel,
		Result:    res,
		Inventory: inv,
		Inputs:    pols.Set.Inputs,
		Version:   opts.Version,
		Now:       now,
		Warnings:  append(pols.Warnings, warnings...),
		Timing:    report.Timing{Load: loadTime, Compile: compileTime, Evaluate: evalTime},
		Cluster:   inv.ClusterName,
	})
	rep.Inputs.APIRequests = apiRequests
	rep.Timing.Total = time.Since(total)
	for _, a := range exceptions.Audit() {
		if strings.Contains(a, "expired") {
			rep.Warnings = append(rep.Warnings, a)
		}
	}
	return rep, nil
}

// SplitList splits comma-separated flag values ("a,b" "c") into a list.
func SplitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
