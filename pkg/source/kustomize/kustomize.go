// Package kustomize builds a kustomization in-process with
// sigs.k8s.io/kustomize/api/krusty, as `kustomize build` would, and traces
// every field of every object to the file a user edits: the base resource
// that wrote it, the patch that set it, the kustomization field
// (namePrefix, images, commonLabels...) that transformed it, or the
// generator that made it.
//
// # How origins are found
//
// Kustomize records, when asked through buildMetadata, the file each
// object came from (config.kubernetes.io/origin), but not which patch set
// which field. So the kustomization is built several times from an
// in-memory view of its files: once as written (what is scanned), once
// with origin annotations, and once without each patch in turn. A field
// whose value changes when a patch is left out was set by that patch, and
// is located in the patch (strategic-merge list items are matched by their
// merge keys, JSON6902 operations by their paths). Other fields are found
// in the base file at the same path with the same value; a field whose
// value differs from its base (or that no base has) is attributed to the
// kustomization field that produces it when there is one, else it has no
// origin of its own and resolves to its nearest parent.
//
// Load restrictions are root-only and plugins are off. Remote bases and
// helmCharts are not fetched unless network access is allowed; they are
// left out with an error saying so, and the rest is built.
package kustomize

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

// Options say what to build.
type Options struct {
	// Dir is a directory with a kustomization file.
	Dir string
	// AllowNetwork lets remote bases and helmCharts be fetched (remote
	// bases need the git binary, helmCharts the helm binary, as for
	// kustomize itself).
	AllowNetwork bool
}

// Rendered is one built object and where its fields came from.
// Object.Source.Path is the base file it came from (or the kustomization
// that generated it) and Object.Positions indexes that file's lines.
type Rendered struct {
	Object  *object.Object
	Origins *object.OriginMap
}

// Result is what a build produced. A result may hold objects and errors
// at once.
type Result struct {
	Objects []Rendered
	// Inputs are the kustomization and resource files of the build.
	Inputs []string
	Errors []source.InputError
	Notes  []source.Note
	// Kustomizations are the directories of every kustomization of the
	// tree, and Files the files they use (resources, patches, generator
	// inputs; absolute paths), so a plain-file walk can leave them alone.
	Kustomizations []string
	Files          []string
}

// Tree is what a kustomization uses, found without building it.
type Tree struct {
	// Dirs are the directories of the kustomizations, the root first.
	Dirs []string
	// Files are the local files they use. Both are absolute.
	Files []string
}

// Scan reads the kustomization in dir and the local kustomizations it
// references, without building anything or touching the network.
func Scan(dir string) (*Tree, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("kustomization %s: %w", dir, err)
	}
	t, err := scanTree(abs, displayer{absRoot: abs, userRoot: dir}, true)
	if err != nil {
		return nil, err
	}
	return &Tree{Dirs: t.dirs, Files: t.files}, nil
}

// Build builds the kustomization in opts.Dir. The error is reserved for a
// directory that is not a kustomization, an unreadable kustomization file
// and a cancelled context; a failed build is reported in the result.
func Build(ctx context.Context, opts Options) (*Result, error) {
	abs, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("kustomization %s: %w", opts.Dir, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("kustomization %s: %w", opts.Dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("kustomization %s: not a directory", opts.Dir)
	}
	d := displayer{absRoot: abs, userRoot: opts.Dir}
	t, err := scanTree(abs, d, opts.AllowNetwork)
	if err != nil {
		return nil, err
	}
	b := &builder{opts: opts, abs: abs, d: d, t: t}
	res := &Result{}
	for _, p := range t.problems {
		res.Errors = append(res.Errors, source.InputError{Path: p.file, Line: p.line, Reason: p.reason})
	}
	res.Kustomizations = append(res.Kustomizations, t.dirs...)
	res.Files = append(res.Files, t.files...)
	for _, k := range t.kusts {
		res.Inputs = append(res.Inputs, k.display)
	}
	for _, f := range t.files {
		res.Inputs = append(res.Inputs, d.path(f))
	}

	truth, err := b.build(nil, false)
	if err != nil {
		res.Errors = append(res.Errors, source.InputError{Path: t.root.display, Reason: "kustomize build failed, nothing in it is scanned: " + oneLine(err.Error())})
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	annotated, err := b.build(nil, true)
	if err != nil {
		// The truth built; origins degrade to the kustomization itself.
		annotated = nil
	}
	ablated := make([]map[string]*built, len(t.patches))
	for i := range t.patches {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if annotated == nil {
			break
		}
		m, err := b.build(&t.patches[i], true)
		if err == nil {
			ablated[i] = m
		}
	}
	keys := make([]string, 0, len(truth))
	for k := range truth {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return truth[keys[i]].order < truth[keys[j]].order })
	for _, k := range keys {
		tb := truth[k]
		var ab *built
		if annotated != nil {
			ab = annotated[k]
		}
		r := b.trace(tb, ab, ablated)
		res.Objects = append(res.Objects, r)
	}
	return res, nil
}

// built is one object of a build.
type built struct {
	obj    *object.Object
	origin *resource.Origin
	order  int
}

type builder struct {
	opts Options
	abs  string
	d    displayer
	t    *tree
	// caches
	docs map[string]*manifest.Result
}

// build runs kustomize on an in-memory view of the kustomizations: remote
// entries removed, the root asked for origin annotations, one patch left
// out.
func (b *builder) build(without *patchRef, annotate bool) (map[string]*built, error) {
	edits := map[string][]byte{}
	for _, kf := range b.t.kusts {
		rm := b.t.removals[kf.file]
		if without != nil && without.kf == kf {
			rm = append(append([]removal{}, rm...), removal{field: without.field, index: without.index})
		}
		var bm []string
		if annotate && kf == b.t.root {
			bm = []string{types.OriginAnnotations}
		}
		if len(rm) == 0 && len(bm) == 0 {
			continue
		}
		data, err := kf.edited(rm, bm)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", kf.display, err)
		}
		edits[kf.file] = data
	}
	fs := overlayFS{FileSystem: filesys.MakeFsOnDisk(), files: edits}
	opts := krusty.MakeDefaultOptions()
	opts.LoadRestrictions = types.LoadRestrictionsRootOnly
	opts.PluginConfig = types.DisabledPluginConfig()
	if b.opts.AllowNetwork {
		opts.PluginConfig.HelmConfig.Enabled = true
		opts.PluginConfig.HelmConfig.Command = "helm"
	}
	m, err := krusty.MakeKustomizer(opts).Run(fs, b.abs)
	if err != nil {
		return nil, err
	}
	return b.objects(m, annotate)
}

func (b *builder) objects(m resmap.ResMap, annotate bool) (map[string]*built, error) {
	out := map[string]*built{}
	for i, r := range m.Resources() {
		var origin *resource.Origin
		if annotate {
			o, err := r.GetOrigin()
			if err != nil {
				return nil, err
			}
			origin = o
		}
		y, err := r.AsYAML()
		if err != nil {
			return nil, err
		}
		dec := manifest.Decode(y, manifest.Options{Path: b.t.root.display, SourceKind: "kustomize"})
		if len(dec.Objects) != 1 {
			continue
		}
		o := dec.Objects[0]
		key := o.ID.APIVersion + "/" + o.ID.Kind + "/" + o.ID.Namespace + "/" + o.ID.Name
		out[key] = &built{obj: o, origin: origin, order: i}
	}
	return out, nil
}

// overlayFS is the disk, except for the kustomization files a build edits.
type overlayFS struct {
	filesys.FileSystem
	files map[string][]byte
}

func (f overlayFS) ReadFile(path string) ([]byte, error) {
	if data, ok := f.files[filepath.Clean(path)]; ok {
		return data, nil
	}
	return f.FileSystem.ReadFile(path)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Source is a kustomization as a source.Source: a file-target inventory of
// the built objects. Origins are kept in Origins, by object, until objects
// carry them.
type Source struct {
	Options
	// Origins is filled by Load.
	Origins map[*object.Object]*object.OriginMap
}

// Load builds the kustomization.
func (s *Source) Load(ctx context.Context) (*source.Inventory, error) {
	res, err := Build(ctx, s.Options)
	if err != nil {
		return nil, err
	}
	inv := &source.Inventory{Target: source.TargetFile, Roots: []string{s.Dir}, Inputs: res.Inputs, Errors: res.Errors, Notes: res.Notes}
	s.Origins = make(map[*object.Object]*object.OriginMap, len(res.Objects))
	for _, r := range res.Objects {
		inv.Objects = append(inv.Objects, r.Object)
		s.Origins[r.Object] = r.Origins
	}
	return inv, nil
}
