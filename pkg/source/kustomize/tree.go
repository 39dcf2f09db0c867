package kustomize

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/types"
	sigsyaml "sigs.k8s.io/yaml"
)

// kustFile is one kustomization of the tree being built.
type kustFile struct {
	dir     string // absolute directory
	file    string // absolute path of the kustomization file
	display string // path shown to users
	raw     []byte
	doc     *yaml.Node // the top mapping node
	k       types.Kustomization
}

// patchRef is one patch entry of a kustomization.
type patchRef struct {
	kf    *kustFile
	field string // "patches", "patchesStrategicMerge", "patchesJson6902"
	index int
}

// removal is an entry taken out of a kustomization before building.
type removal struct {
	field string
	index int // -1: the whole field
}

// tree is the set of kustomizations reachable from the root.
type tree struct {
	root     *kustFile
	kusts    []*kustFile
	byFile   map[string]*kustFile
	patches  []patchRef
	removals map[string][]removal // kustomization file -> entries removed
	problems []problem
	// files are the files the kustomizations use: resources, patches,
	// generator inputs, configurations (absolute).
	files []string
	// dirs are the directories of the kustomizations (absolute).
	dirs []string
}

type problem struct {
	file   string
	line   int
	reason string
}

// KustomizationFile returns the kustomization file of a directory, or ""
// when it has none.
func KustomizationFile(dir string) string {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// display returns a path for users: relative to the root as the user named
// it.
type displayer struct {
	absRoot  string
	userRoot string
}

func (d displayer) path(abs string) string {
	rel, err := filepath.Rel(d.absRoot, abs)
	if err != nil {
		return abs
	}
	return filepath.Join(d.userRoot, rel)
}

// scanTree reads the kustomization at dir and every local kustomization it
// references, noting what needs the network.
func scanTree(dir string, d displayer, allowNetwork bool) (*tree, error) {
	t := &tree{byFile: map[string]*kustFile{}, removals: map[string][]removal{}}
	root, err := t.visit(dir, d, allowNetwork)
	if err != nil {
		return nil, err
	}
	t.root = root
	return t, nil
}

func (t *tree) visit(dir string, d displayer, allowNetwork bool) (*kustFile, error) {
	file := KustomizationFile(dir)
	if file == "" {
		return nil, fmt.Errorf("%s: no kustomization file (kustomization.yaml, kustomization.yml or Kustomization)", d.path(dir))
	}
	if kf, ok := t.byFile[file]; ok {
		return kf, nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.path(file), err)
	}
	kf := &kustFile{dir: dir, file: file, display: d.path(file), raw: raw}
	var n yaml.Node
	if err := yaml.Unmarshal(raw, &n); err != nil {
		return nil, fmt.Errorf("%s: %w", kf.display, err)
	}
	if len(n.Content) > 0 && n.Content[0].Kind == yaml.MappingNode {
		kf.doc = n.Content[0]
	} else {
		kf.doc = &yaml.Node{Kind: yaml.MappingNode}
	}
	if err := sigsyaml.Unmarshal(raw, &kf.k); err != nil {
		return nil, fmt.Errorf("%s: %w", kf.display, err)
	}
	t.byFile[file] = kf
	t.kusts = append(t.kusts, kf)
	t.dirs = append(t.dirs, dir)

	for i := range kf.k.Patches {
		t.patches = append(t.patches, patchRef{kf: kf, field: "patches", index: i})
	}
	//lint:ignore SA1019 users still write the deprecated kustomization fields; they must be traced too
	for i := range kf.k.PatchesStrategicMerge {
		t.patches = append(t.patches, patchRef{kf: kf, field: "patchesStrategicMerge", index: i})
	}
	//lint:ignore SA1019 users still write the deprecated kustomization fields; they must be traced too
	for i := range kf.k.PatchesJson6902 {
		t.patches = append(t.patches, patchRef{kf: kf, field: "patchesJson6902", index: i})
	}

	// Entries that load other kustomizations or files.
	for _, field := range []string{"resources", "bases", "components"} {
		for i, entry := range listField(kf, field) {
			if isRemote(dir, entry) {
				t.needsNetwork(kf, field, i, allowNetwork, fmt.Sprintf("remote %s %q", singular(field), entry))
				continue
			}
			p := filepath.Join(dir, entry)
			st, err := os.Stat(p)
			if err != nil {
				continue // kustomize reports it
			}
			if st.IsDir() {
				if KustomizationFile(p) == "" {
					continue // kustomize reports it
				}
				if _, err := t.visit(p, d, allowNetwork); err != nil {
					return nil, err
				}
				continue
			}
			t.files = append(t.files, p)
		}
	}
	for _, field := range []string{"configurations", "crds", "generators", "transformers", "validators"} {
		for i, entry := range listField(kf, field) {
			if isRemote(dir, entry) {
				t.needsNetwork(kf, field, i, allowNetwork, fmt.Sprintf("remote %s %q", singular(field), entry))
				continue
			}
			t.useFile(dir, entry)
		}
	}
	for _, p := range kf.k.Patches {
		t.useFile(dir, p.Path)
	}
	//lint:ignore SA1019 users still write the deprecated kustomization fields; they must be traced too
	for _, p := range kf.k.PatchesJson6902 {
		t.useFile(dir, p.Path)
	}
	//lint:ignore SA1019 users still write the deprecated kustomization fields; they must be traced too
	for _, p := range kf.k.PatchesStrategicMerge {
		if s := string(p); !strings.Contains(s, "\n") {
			t.useFile(dir, s)
		}
	}
	for _, r := range kf.k.Replacements {
		t.useFile(dir, r.Path)
	}
	if p := kf.k.OpenAPI["path"]; p != "" {
		t.useFile(dir, p)
	}
	for _, g := range kf.k.ConfigMapGenerator {
		t.useSources(dir, g.GeneratorArgs)
	}
	for _, g := range kf.k.SecretGenerator {
		t.useSources(dir, g.GeneratorArgs)
	}
	for i, p := range kf.k.Patches {
		if p.Path != "" && isRemote(dir, p.Path) {
			t.needsNetwork(kf, "patches", i, allowNetwork, fmt.Sprintf("remote patch %q", p.Path))
		}
	}
	//lint:ignore SA1019 users still write the deprecated kustomization fields; they must be traced too
	for i, p := range kf.k.PatchesStrategicMerge {
		if s := string(p); !strings.Contains(s, "\n") && isRemote(dir, s) {
			t.needsNetwork(kf, "patchesStrategicMerge", i, allowNetwork, fmt.Sprintf("remote patch %q", s))
		}
	}
	if len(kf.k.HelmCharts) > 0 || len(kf.k.HelmChartInflationGenerator) > 0 {
		if !allowNetwork {
			t.problems = append(t.problems, problem{file: kf.display, line: keyLine(kf.doc, "helmCharts", "helmChartInflationGenerator"),
				reason: "helmCharts are not inflated: that runs the helm binary and fetches charts, which needs network access to be allowed; the rest of the kustomization is built without them (render the chart with the Helm source instead)"})
			t.removals[kf.file] = append(t.removals[kf.file], removal{field: "helmCharts", index: -1}, removal{field: "helmChartInflationGenerator", index: -1}, removal{field: "helmGlobals", index: -1})
		}
	}
	return kf, nil
}

// useFile records a local file a kustomization uses.
func (t *tree) useFile(dir, entry string) {
	if entry == "" || strings.Contains(entry, "\n") || strings.Contains(entry, "://") {
		return
	}
	p := filepath.Join(dir, entry)
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		t.files = append(t.files, p)
	}
}

// useSources records the files and env files a generator reads.
func (t *tree) useSources(dir string, g types.GeneratorArgs) {
	for _, f := range g.FileSources {
		if _, after, ok := strings.Cut(f, "="); ok {
			f = after
		}
		t.useFile(dir, f)
	}
	for _, e := range g.EnvSources {
		t.useFile(dir, e)
	}
	if g.EnvSource != "" { //nolint:staticcheck // still read by kustomize
		t.useFile(dir, g.EnvSource) //nolint:staticcheck
	}
}

func singular(field string) string {
	switch field {
	case "resources":
		return "resource"
	case "bases":
		return "base"
	case "components":
		return "component"
	}
	return strings.TrimSuffix(field, "s")
}

func (t *tree) needsNetwork(kf *kustFile, field string, i int, allow bool, what string) {
	if allow {
		return
	}
	line := 0
	if _, seq := child(kf.doc, field); seq != nil && seq.Kind == yaml.SequenceNode && i < len(seq.Content) {
		line = seq.Content[i].Line
	}
	t.problems = append(t.problems, problem{file: kf.display, line: line,
		reason: what + " is not fetched: network access is off; its objects are not scanned (allow network access, or check it out and scan it locally)"})
	t.removals[kf.file] = append(t.removals[kf.file], removal{field: field, index: i})
}

// listField returns a list-of-strings field of a kustomization.
func listField(kf *kustFile, field string) []string {
	switch field {
	case "resources":
		return kf.k.Resources
	case "bases":
		//lint:ignore SA1019 users still write the deprecated kustomization fields; they must be traced too
		return kf.k.Bases //nolint:staticcheck // still read by kustomize
	case "components":
		return kf.k.Components
	case "configurations":
		return kf.k.Configurations
	case "crds":
		return kf.k.Crds
	case "generators":
		return kf.k.Generators
	case "transformers":
		return kf.k.Transformers
	case "validators":
		return kf.k.Validators
	}
	return nil
}

var hostPathRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9.-]*\.[a-zA-Z]{2,}(:[0-9]+)?/`)

// isRemote tells whether a kustomization entry names something kustomize
// would fetch: a URL, a git spec, a host/org/repo path that is not a local
// file.
func isRemote(dir, entry string) bool {
	if strings.Contains(entry, "\n") {
		return false // an inline patch
	}
	if _, err := os.Stat(filepath.Join(dir, entry)); err == nil {
		return false
	}
	return strings.Contains(entry, "://") || strings.HasPrefix(entry, "git@") ||
		hostPathRE.MatchString(entry) || strings.Contains(entry, "?ref=")
}

// edited returns the kustomization's bytes with entries removed and build
// metadata added, for the overlay filesystem.
func (kf *kustFile) edited(rm []removal, buildMetadata []string) ([]byte, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(kf.raw, &n); err != nil {
		return nil, err
	}
	if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		n = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	doc := n.Content[0]
	// Remove list items from the end so indexes stay valid.
	byField := map[string][]int{}
	for _, r := range rm {
		byField[r.field] = append(byField[r.field], r.index)
	}
	for field, idxs := range byField {
		for i := 0; i+1 < len(doc.Content); i += 2 {
			if doc.Content[i].Value != field {
				continue
			}
			whole := false
			for _, x := range idxs {
				whole = whole || x < 0
			}
			seq := doc.Content[i+1]
			if whole || seq.Kind != yaml.SequenceNode {
				doc.Content = append(doc.Content[:i], doc.Content[i+2:]...)
				break
			}
			keep := seq.Content[:0:0]
			for j, item := range seq.Content {
				drop := false
				for _, x := range idxs {
					drop = drop || x == j
				}
				if !drop {
					keep = append(keep, item)
				}
			}
			seq.Content = keep
			break
		}
	}
	if len(buildMetadata) > 0 {
		_, seq := child(doc, "buildMetadata")
		if seq == nil {
			seq = &yaml.Node{Kind: yaml.SequenceNode}
			doc.Content = append(doc.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "buildMetadata"}, seq)
		}
		for _, m := range buildMetadata {
			present := false
			for _, it := range seq.Content {
				present = present || it.Value == m
			}
			if !present {
				seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: m})
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// child returns the key and value nodes of a mapping entry.
func child(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

func keyLine(doc *yaml.Node, keys ...string) int {
	for _, k := range keys {
		if kn, _ := child(doc, k); kn != nil {
			return kn.Line
		}
	}
	return 0
}
