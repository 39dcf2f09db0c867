// Package detect decides, for a directory to scan, how each part of it is
// read: a folder with a Chart.yaml is a Helm chart (rendered, never read as
// plain YAML: its templates are not manifests), a folder with a
// kustomization file is a Kustomize root (built), and the remaining
// manifests are plain files.
//
// A kustomization used by another one (a base, a component) is scanned
// through the overlays that use it, not on its own, and files a
// kustomization uses (resources, patches, generator inputs) are not read
// again as plain files: each object is judged once per way it is deployed.
package detect

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/pkg/source/kustomize"
)

// Mode is how a root is read.
type Mode string

// Modes.
const (
	Helm      Mode = "helm"
	Kustomize Mode = "kustomize"
	Files     Mode = "files"
)

// Root is a chart or a kustomization to render.
type Root struct {
	// Path is the directory, under the directory given.
	Path string
	Mode Mode
	// Marker is the file that decided the mode ("Chart.yaml",
	// "kustomization.yaml").
	Marker string
}

// Skipped is a directory or file that is not scanned on its own, and why.
type Skipped struct {
	Path   string
	Reason string
}

// Plan is how a directory is scanned.
type Plan struct {
	// Roots are the charts and the kustomizations no other kustomization
	// of the directory uses, sorted by path.
	Roots []Root
	// Files are the plain manifests (.yaml, .yml, .json) outside charts and
	// not used by a kustomization, sorted.
	Files []string
	// Skipped lists kustomizations scanned through others, and manifests
	// in kustomization folders that no kustomization uses.
	Skipped []Skipped
	// Errors are kustomizations that could not be read; they are still
	// roots, and building them reports the problem in full.
	Errors []source.InputError
}

// Detect plans the scan of a directory (or a single file, which is read as
// plain manifests).
func Detect(dir string) (*Plan, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("detect %s: %w", dir, err)
	}
	p := &Plan{}
	if !st.IsDir() {
		p.Files = []string{dir}
		return p, nil
	}
	var kusts []Root
	kustDirs := map[string]bool{}
	var candidates []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			p.Errors = append(p.Errors, source.InputError{Path: path, Reason: err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if manifestExt(d.Name()) && (d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0 && isFile(path)) {
				candidates = append(candidates, path)
			}
			return nil
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if isFile(filepath.Join(path, "Chart.yaml")) {
			p.Roots = append(p.Roots, Root{Path: path, Mode: Helm, Marker: "Chart.yaml"})
			if k := kustomize.KustomizationFile(path); k != "" {
				p.Skipped = append(p.Skipped, Skipped{Path: k, Reason: "the folder is a Helm chart, scanned as one; its kustomization is not built"})
			}
			// Nothing in a chart is a plain manifest: templates, subcharts,
			// values and test values all belong to the chart.
			return fs.SkipDir
		}
		if k := kustomize.KustomizationFile(path); k != "" {
			kusts = append(kusts, Root{Path: path, Mode: Kustomize, Marker: filepath.Base(k)})
			kustDirs[abs(path)] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("detect %s: %w", dir, err)
	}

	// What each kustomization uses.
	usedBy := map[string][]string{} // kustomization dir -> dirs of those using it
	owned := map[string]bool{}
	for _, k := range kusts {
		t, err := kustomize.Scan(k.Path)
		if err != nil {
			p.Errors = append(p.Errors, source.InputError{Path: k.Path, Reason: err.Error()})
			continue
		}
		for _, d := range t.Dirs[1:] {
			usedBy[d] = append(usedBy[d], k.Path)
		}
		for _, f := range t.Files {
			owned[f] = true
		}
	}
	for _, k := range kusts {
		if users := usedBy[abs(k.Path)]; len(users) > 0 {
			sort.Strings(users)
			p.Skipped = append(p.Skipped, Skipped{Path: k.Path, Reason: "kustomization used by " + strings.Join(users, ", ") + ": scanned through it"})
			continue
		}
		p.Roots = append(p.Roots, k)
	}
	for _, f := range candidates {
		a := abs(f)
		switch {
		case owned[a], kustDirs[filepath.Dir(a)] && kustomize.KustomizationFile(filepath.Dir(a)) == a:
			// Read by the kustomization that uses it.
		case kustDirs[filepath.Dir(a)]:
			// Unused files next to a kustomization are not deployed with
			// it, and are often partial (patches): not plain manifests.
			p.Skipped = append(p.Skipped, Skipped{Path: f, Reason: "in a kustomization folder but not used by it: not scanned"})
		default:
			p.Files = append(p.Files, f)
		}
	}
	sort.Slice(p.Roots, func(i, j int) bool { return p.Roots[i].Path < p.Roots[j].Path })
	sort.Strings(p.Files)
	sort.Slice(p.Skipped, func(i, j int) bool { return p.Skipped[i].Path < p.Skipped[j].Path })
	return p, nil
}

// Notes tells the user how each part was read.
func (p *Plan) Notes() []source.Note {
	var out []source.Note
	for _, r := range p.Roots {
		what := "Helm chart, rendered"
		if r.Mode == Kustomize {
			what = "kustomization, built"
		}
		out = append(out, source.Note{Path: r.Path, Message: fmt.Sprintf("%s (%s)", what, r.Marker)})
	}
	for _, s := range p.Skipped {
		out = append(out, source.Note{Path: s.Path, Message: s.Reason})
	}
	if len(p.Files) > 0 {
		out = append(out, source.Note{Message: fmt.Sprintf("%d plain manifest files", len(p.Files))})
	}
	return out
}

func manifestExt(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	return a
}
