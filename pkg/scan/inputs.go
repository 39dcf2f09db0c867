package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/pkg/source/detect"
	"github.com/vigilsec/vigil/pkg/source/file"
	"github.com/vigilsec/vigil/pkg/source/git"
	"github.com/vigilsec/vigil/pkg/source/helm"
	"github.com/vigilsec/vigil/pkg/source/kustomize"
)

// InputOptions say how charts, kustomizations and repositories are read.
type InputOptions struct {
	// Helm options apply to every chart scanned.
	Helm HelmOptions
	// AllowNetwork lets Helm fetch remote schemas and Kustomize remote
	// bases and helmCharts. Without it nothing is fetched.
	AllowNetwork bool
	// GitDepth is the clone depth of repository scans (1 when 0).
	GitDepth int
	// PlainFiles reads directories as plain manifests, without rendering
	// charts or building kustomizations.
	PlainFiles bool
	// Getenv reads tokens for private repositories (os.Getenv when nil).
	Getenv func(string) string
}

// HelmOptions are `helm template`'s value and rendering flags.
type HelmOptions struct {
	ValueFiles           []string
	Set                  []string
	SetString            []string
	SetFile              []string
	SetJSON              []string
	SetLiteral           []string
	ReleaseName          string
	Namespace            string
	KubeVersion          string
	APIVersions          []string
	IncludeCRDs          bool
	SkipSchemaValidation bool
}

// inputs loads every input path into one inventory. The returned cleanup
// removes temporary checkouts.
type inputs struct {
	opts        Options
	inv         *source.Inventory
	plain       []string
	cleanups    []func()
	stdin       io.Reader
	maxFileSize int64
}

func loadInputs(ctx context.Context, opts Options) (*source.Inventory, func(), error) {
	in := &inputs{
		opts:        opts,
		inv:         &source.Inventory{Target: source.TargetFile, Roots: opts.Paths},
		stdin:       opts.Stdin,
		maxFileSize: opts.MaxFileSize,
	}
	cleanup := func() {
		for _, c := range in.cleanups {
			c()
		}
	}
	for _, p := range opts.Paths {
		if err := in.add(ctx, p); err != nil {
			cleanup()
			return nil, func() {}, err
		}
	}
	if err := in.loadPlain(ctx, in.plain); err != nil {
		cleanup()
		return nil, func() {}, err
	}
	return in.inv, cleanup, nil
}

// add reads one input as the user named it.
func (in *inputs) add(ctx context.Context, p string) error {
	switch {
	case git.IsURL(p):
		return in.addRepo(ctx, p)
	case p == "-" || strings.ContainsAny(p, "*?["):
		in.plain = append(in.plain, p)
		return nil
	}
	st, err := os.Stat(p)
	if err != nil {
		// The file source reports it in the inventory, like any unreadable input.
		in.plain = append(in.plain, p)
		return nil
	}
	switch {
	case !st.IsDir() && (strings.HasSuffix(p, ".tgz") || strings.HasSuffix(p, ".tar.gz")):
		in.inv.Modes = append(in.inv.Modes, source.RootMode{Path: p, Mode: "helm", Marker: filepath.Base(p)})
		return in.addChart(ctx, p)
	case !st.IsDir() || in.opts.Inputs.PlainFiles:
		in.plain = append(in.plain, p)
		return nil
	}
	return in.addDir(ctx, p)
}

// addDir scans a directory folder by folder: charts are rendered,
// kustomizations built, and the rest read as plain manifests.
func (in *inputs) addDir(ctx context.Context, dir string) error {
	plan, err := detect.Detect(dir)
	if err != nil {
		in.inv.Errors = append(in.inv.Errors, source.InputError{Path: dir, Reason: err.Error()})
		return nil
	}
	in.inv.Errors = append(in.inv.Errors, plan.Errors...)
	for _, s := range plan.Skipped {
		in.inv.Notes = append(in.inv.Notes, source.Note{Path: s.Path, Message: s.Reason})
	}
	for _, r := range plan.Roots {
		in.inv.Modes = append(in.inv.Modes, source.RootMode{Path: r.Path, Mode: string(r.Mode), Marker: r.Marker})
		var err error
		switch r.Mode {
		case detect.Helm:
			err = in.addChart(ctx, r.Path)
		case detect.Kustomize:
			err = in.addKustomization(ctx, r.Path)
		}
		if err != nil {
			return err
		}
	}
	if len(plan.Files) > 0 {
		in.inv.Modes = append(in.inv.Modes, source.RootMode{Path: dir, Mode: "files", Marker: fmt.Sprintf("%d manifest files", len(plan.Files))})
	}
	in.plain = append(in.plain, plan.Files...)
	return nil
}

func (in *inputs) addChart(ctx context.Context, chart string) error {
	h := in.opts.Inputs.Helm
	src := &helm.Source{Options: helm.Options{
		Chart: chart, ValueFiles: h.ValueFiles, Set: h.Set, SetString: h.SetString, SetFile: h.SetFile,
		SetJSON: h.SetJSON, SetLiteral: h.SetLiteral, ReleaseName: h.ReleaseName, Namespace: h.Namespace,
		KubeVersion: h.KubeVersion, APIVersions: h.APIVersions, IncludeCRDs: h.IncludeCRDs,
		SkipSchemaValidation: h.SkipSchemaValidation, AllowNetwork: in.opts.Inputs.AllowNetwork, Stdin: in.stdin,
	}}
	inv, err := src.Load(ctx)
	if err != nil {
		in.inv.Errors = append(in.inv.Errors, source.InputError{Path: chart, Reason: err.Error()})
		return ctx.Err()
	}
	in.merge(inv, chart)
	return nil
}

func (in *inputs) addKustomization(ctx context.Context, dir string) error {
	src := &kustomize.Source{Options: kustomize.Options{Dir: dir, AllowNetwork: in.opts.Inputs.AllowNetwork}}
	inv, err := src.Load(ctx)
	if err != nil {
		in.inv.Errors = append(in.inv.Errors, source.InputError{Path: dir, Reason: err.Error()})
		return ctx.Err()
	}
	in.merge(inv, dir)
	return nil
}

func (in *inputs) loadPlain(ctx context.Context, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	src := &file.Source{Paths: paths, Stdin: in.stdin, MaxFileSize: in.maxFileSize, Workers: in.opts.Workers}
	inv, err := src.Load(ctx)
	if err != nil {
		return err
	}
	in.merge(inv, "")
	return nil
}

// merge adds a source's inventory. Objects rendered from a chart or a
// kustomization record it as their root, so equal identities rendered from
// two roots stay distinct.
func (in *inputs) merge(inv *source.Inventory, renderRoot string) {
	if renderRoot != "" {
		for _, o := range inv.Objects {
			o.Source.Root = renderRoot
		}
		hashSources(inv.Objects)
	}
	in.inv.Objects = append(in.inv.Objects, inv.Objects...)
	in.inv.Inputs = append(in.inv.Inputs, inv.Inputs...)
	in.inv.Errors = append(in.inv.Errors, inv.Errors...)
	in.inv.Notes = append(in.inv.Notes, inv.Notes...)
}

// addRepo clones a repository, scans it like a directory, and reports
// paths relative to the repository with the last commit of each file.
func (in *inputs) addRepo(ctx context.Context, url string) error {
	spec, err := git.Parse(url)
	if err != nil {
		in.inv.Errors = append(in.inv.Errors, source.InputError{Path: url, Reason: err.Error()})
		return nil
	}
	getenv := in.opts.Inputs.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	co, err := git.Clone(ctx, spec, git.Options{Depth: in.opts.Inputs.GitDepth, Getenv: getenv})
	if err != nil {
		in.inv.Errors = append(in.inv.Errors, source.InputError{Path: url, Reason: err.Error()})
		return ctx.Err()
	}
	in.cleanups = append(in.cleanups, func() { _ = co.Cleanup() })

	sub := &inputs{opts: in.opts, inv: &source.Inventory{}, stdin: in.stdin, maxFileSize: in.maxFileSize}
	if err := sub.addDir(ctx, co.Root); err != nil {
		return err
	}
	if err := sub.loadPlain(ctx, sub.plain); err != nil {
		return err
	}
	// Files in the checkout are shown relative to the repository, which is
	// what a person can find; the temporary directory means nothing.
	rel := func(p string) string {
		if r, err := filepath.Rel(co.Dir, p); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
		return p
	}
	var files []string
	for _, o := range sub.inv.Objects {
		files = append(files, o.Source.Path)
	}
	commits, _ := co.LastCommits(files)
	if in.inv.Commits == nil {
		in.inv.Commits = map[string]source.Commit{}
	}
	for p, lc := range commits {
		in.inv.Commits[rel(p)] = source.Commit{Hash: lc.Hash, Author: lc.Author, Email: lc.Email, Date: lc.Date, Message: lc.Message, AtOrBefore: lc.AtOrBefore}
	}
	for _, o := range sub.inv.Objects {
		o.Source.Path = rel(o.Source.Path)
		o.Source.Root = strings.TrimSuffix(spec.String()+"//"+rel(o.Source.Root), "//.")
		if om, ok := o.Origins.(*object.OriginMap); ok {
			om.RewriteFiles(rel)
		}
		if len(o.Source.Files) > 0 {
			files := make(map[string]string, len(o.Source.Files))
			for f, sum := range o.Source.Files {
				files[rel(f)] = sum
			}
			o.Source.Files = files
		}
	}
	for i := range sub.inv.Errors {
		sub.inv.Errors[i].Path = rel(sub.inv.Errors[i].Path)
	}
	for i := range sub.inv.Notes {
		sub.inv.Notes[i].Path = rel(sub.inv.Notes[i].Path)
	}
	for i, p := range sub.inv.Inputs {
		sub.inv.Inputs[i] = rel(p)
	}
	for _, m := range sub.inv.Modes {
		m.Path = rel(m.Path)
		in.inv.Modes = append(in.inv.Modes, m)
	}
	in.inv.Notes = append(in.inv.Notes, source.Note{Path: url, Message: fmt.Sprintf("cloned %s at %s (%s)", spec, short(co.Head.Hash), co.Head.Message)})
	in.merge(sub.inv, "")
	return nil
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// hashSources records the SHA-256 of the files rendered objects came from:
// the template or resource file, and every file their origins name. They
// are read again after rendering, a moment later; what matters is that a
// fix sees whether they changed between the scan and the fix.
func hashSources(objs []*object.Object) {
	sums := map[string]string{}
	sum := func(p string) string {
		if s, ok := sums[p]; ok {
			return s
		}
		s := ""
		if data, err := os.ReadFile(p); err == nil {
			h := sha256.Sum256(data)
			s = hex.EncodeToString(h[:])
		}
		sums[p] = s
		return s
	}
	shared := map[string]map[string]string{}
	for _, o := range objs {
		if o.Source.Path != "" && o.Source.SHA256 == "" {
			o.Source.SHA256 = sum(o.Source.Path)
		}
		om, ok := o.Origins.(*object.OriginMap)
		if !ok {
			continue
		}
		files := om.Files()
		key := strings.Join(files, "\x00")
		if m, ok := shared[key]; ok {
			o.Source.Files = m
			continue
		}
		m := map[string]string{}
		for _, f := range files {
			if s := sum(f); s != "" {
				m[f] = s
			}
		}
		shared[key] = m
		o.Source.Files = m
	}
}
