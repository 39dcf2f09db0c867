package helm

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
)

// chartInfo is a chart of the rendered tree (the root or a subchart) and
// where its files are for users.
type chartInfo struct {
	ch       *chartv2.Chart
	fullPath string   // Helm's ChartFullPath, the prefix of its template names
	display  string   // directory of its files as shown to users
	prefix   []string // where its values sit in the root chart's values
}

// file returns the display path of a file of the chart.
func (c *chartInfo) file(name string) string {
	if c.display == "" {
		return name
	}
	if strings.Contains(c.display, "#") {
		return c.display + "/" + name
	}
	return filepath.Join(c.display, filepath.FromSlash(name))
}

// location is where a loaded chart came from, keyed before dependency
// processing copies charts under their aliases.
type location struct {
	display string
}

// loadChart loads a chart directory or archive with Helm's loader.
func loadChart(p string) (*chartv2.Chart, string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, "", fmt.Errorf("chart %s: %w", p, err)
	}
	if st.IsDir() {
		if _, err := os.Stat(filepath.Join(p, "Chart.yaml")); err != nil {
			return nil, "", fmt.Errorf("chart %s: no Chart.yaml in the directory", p)
		}
	}
	ch, err := loader.Load(p)
	if err != nil {
		return nil, "", fmt.Errorf("chart %s: %w", p, err)
	}
	if ch.Metadata == nil {
		return nil, "", fmt.Errorf("chart %s: no metadata", p)
	}
	display := p
	if !st.IsDir() {
		display = p + "#" + archiveTopDir(p, ch.Name())
	}
	return ch, display, nil
}

// archiveTopDir returns the directory a chart archive keeps its files in
// (the chart name, by convention).
func archiveTopDir(p, fallback string) string {
	f, err := os.Open(p)
	if err != nil {
		return fallback
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fallback
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			return fallback
		}
		name := strings.TrimPrefix(path.Clean(h.Name), "./")
		if dir, rest, ok := strings.Cut(name, "/"); ok && rest == "Chart.yaml" {
			return dir
		}
	}
}

// rawKey identifies a loaded chart across the shallow copies dependency
// processing makes for aliases: the copies share the raw file list.
func rawKey(c *chartv2.Chart) uintptr {
	if len(c.Raw) == 0 {
		return reflect.ValueOf(c).Pointer()
	}
	return reflect.ValueOf(c.Raw).Pointer()
}

// locate records where each loaded chart's files are on disk.
func locate(c *chartv2.Chart, display string, out map[uintptr]location) {
	out[rawKey(c)] = location{display: display}
	if len(c.Dependencies()) == 0 {
		return
	}
	onDisk := map[string]string{}
	if !strings.Contains(display, "#") {
		onDisk = vendored(filepath.Join(display, "charts"))
	}
	for _, d := range c.Dependencies() {
		sub, ok := onDisk[d.Name()]
		if !ok {
			if strings.Contains(display, "#") {
				sub = display + "/charts/" + d.Name()
			} else {
				sub = filepath.Join(display, "charts", d.Name())
			}
		}
		locate(d, sub, out)
	}
}

// vendored maps chart names to their location under a charts/ directory:
// a directory, or "archive.tgz#topdir" for packaged charts.
func vendored(dir string) map[string]string {
	out := map[string]string{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			if name := chartName(filepath.Join(p, "Chart.yaml")); name != "" {
				out[name] = p
			}
			continue
		}
		if strings.HasSuffix(e.Name(), ".tgz") || strings.HasSuffix(e.Name(), ".tar.gz") {
			if ch, err := loader.Load(p); err == nil && ch.Metadata != nil {
				out[ch.Name()] = p + "#" + archiveTopDir(p, ch.Name())
			}
		}
	}
	return out
}

func chartName(p string) string {
	data, err := os.ReadFile(p)
	if err != nil {
		return ""
	}
	var md struct {
		Name string `yaml:"name"`
	}
	if yaml.Unmarshal(data, &md) != nil {
		return ""
	}
	return md.Name
}

// chartTree lists the charts of the processed tree, root first.
func chartTree(root *chartv2.Chart, locs map[uintptr]location) []*chartInfo {
	var out []*chartInfo
	var walk func(c *chartv2.Chart, prefix []string)
	walk = func(c *chartv2.Chart, prefix []string) {
		loc := locs[rawKey(c)]
		out = append(out, &chartInfo{ch: c, fullPath: c.ChartFullPath(), display: loc.display, prefix: prefix})
		for _, d := range c.Dependencies() {
			walk(d, appendPath(prefix, d.Name()))
		}
	}
	walk(root, nil)
	return out
}

// pendingDep is a declared dependency found missing before processing.
type pendingDep struct {
	owner *chartv2.Chart
	dep   *chartv2.Dependency
	index int
}

// findMissing lists the declared dependencies with no vendored chart, as
// `helm dependency build` would fetch them. It runs before processing,
// which drops disabled dependencies from the metadata.
func findMissing(c *chartv2.Chart) []pendingDep {
	var out []pendingDep
	present := map[string]bool{}
	for _, d := range c.Dependencies() {
		present[d.Name()] = true
	}
	for i, d := range c.Metadata.Dependencies {
		if d == nil {
			continue
		}
		if !present[d.Name] {
			cp := *d
			out = append(out, pendingDep{owner: c, dep: &cp, index: i})
		}
	}
	for _, d := range c.Dependencies() {
		out = append(out, findMissing(d)...)
	}
	return out
}

// describeMissing builds the user-facing record of a missing dependency,
// deciding whether it would have rendered from the processed metadata
// (disabled dependencies are removed from it).
func describeMissing(p pendingDep, processed map[uintptr]*chartv2.Chart, locs map[uintptr]location) MissingDependency {
	key := rawKey(p.owner)
	display := locs[key].display
	m := MissingDependency{
		Chart:      p.owner.Name(),
		ChartFile:  (&chartInfo{display: display}).file("Chart.yaml"),
		Name:       p.dep.Name,
		Alias:      p.dep.Alias,
		Version:    p.dep.Version,
		Repository: p.dep.Repository,
		Condition:  p.dep.Condition,
		Line:       dependencyLine(p.owner, p.index),
	}
	want := p.dep.Name
	if p.dep.Alias != "" {
		want = p.dep.Alias
	}
	if pc, ok := processed[key]; ok {
		for _, d := range pc.Metadata.Dependencies {
			if d != nil && d.Name == want {
				m.Enabled = true
			}
		}
	}
	return m
}

// dependencyLine finds the line of dependencies[i] in a chart's Chart.yaml.
func dependencyLine(c *chartv2.Chart, i int) int {
	for _, f := range c.Raw {
		if f.Name != "Chart.yaml" {
			continue
		}
		var doc yaml.Node
		if yaml.Unmarshal(f.Data, &doc) != nil || len(doc.Content) == 0 {
			return 0
		}
		_, deps := child(doc.Content[0], "dependencies")
		if deps == nil {
			return 0
		}
		item, _ := child(deps, indexSeg(i))
		if item == nil {
			return 0
		}
		return item.Line
	}
	return 0
}

// processedCharts maps raw keys to the processed (possibly aliased) charts.
func processedCharts(root *chartv2.Chart) map[uintptr]*chartv2.Chart {
	out := map[uintptr]*chartv2.Chart{}
	var walk func(c *chartv2.Chart)
	walk = func(c *chartv2.Chart) {
		if _, ok := out[rawKey(c)]; !ok {
			out[rawKey(c)] = c
		}
		for _, d := range c.Dependencies() {
			walk(d)
		}
	}
	walk(root)
	return out
}

// missingMessage is the message for a missing dependency.
func (m MissingDependency) message() string {
	what := m.Name
	if m.Version != "" {
		what += " " + m.Version
	}
	if m.Repository != "" {
		what += " from " + m.Repository
	}
	dir := filepath.Dir(m.ChartFile)
	if !m.Enabled {
		cond := ""
		if m.Condition != "" {
			cond = " (" + m.Condition + " is false)"
		}
		return fmt.Sprintf("chart %s depends on %s, which is not vendored in charts/, but it is disabled%s: nothing is missing from the scan", m.Chart, what, cond)
	}
	return fmt.Sprintf("chart %s depends on %s, which is not vendored in charts/: the objects it would render are not scanned, and templates of %s that need it are skipped; vendor it with `helm dependency build %s`", m.Chart, what, m.Chart, dir)
}

// checkKubeVersion applies the chart's kubeVersion constraint.
func checkKubeVersion(c *chartv2.Chart, kube string) error {
	if c.Metadata.KubeVersion == "" {
		return nil
	}
	if !chartutil.IsCompatibleRange(c.Metadata.KubeVersion, kube) {
		return fmt.Errorf("chart %s requires kubeVersion %s, which is incompatible with Kubernetes %s; rendered anyway (set the Kubernetes version to match)", c.Name(), c.Metadata.KubeVersion, kube)
	}
	return nil
}
