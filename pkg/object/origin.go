package object

import "sort"

// Origin kinds. A rendered object (Helm, Kustomize) is not the text a user
// edits: each of its values was written somewhere else, and an Origin says
// where.
const (
	// OriginManifest is a plain manifest file: the value is where it stands.
	OriginManifest = "manifest"
	// OriginHelmTemplate is a line of a Helm template (a literal, or the
	// action whose output produced the value). Include sites are reported
	// with this kind too, after the define line that produced the text.
	OriginHelmTemplate = "helm-template"
	// OriginHelmValues is a key in a values file (the chart's values.yaml,
	// a subchart's, or a user's -f file) whose value the template used.
	// File is empty when the value came from the command line (--set ...),
	// in which case Detail holds the flag.
	OriginHelmValues = "helm-values"
	// OriginKustomizeBase is a resource file a kustomization lists.
	OriginKustomizeBase = "kustomize-base"
	// OriginKustomizePatch is a strategic-merge or JSON6902 patch that set
	// the value.
	OriginKustomizePatch = "kustomize-patch"
	// OriginKustomizeGenerated is a generator (configMapGenerator,
	// secretGenerator) entry in a kustomization file, or the literal, file
	// or env line that made a key of its data.
	OriginKustomizeGenerated = "kustomize-generated"
	// OriginKustomizeTransformer is a field of a kustomization file that
	// rewrote the value: namePrefix, nameSuffix, namespace, commonLabels,
	// labels, commonAnnotations, images, replicas. Detail names the field.
	OriginKustomizeTransformer = "kustomize-transformer"
)

// Origin is where one value of a rendered object came from: the file and
// line a user must edit to change it.
type Origin struct {
	// Kind is one of the Origin* constants.
	Kind string `json:"kind"`
	// File is the path of the file, as the user named its root (relative
	// paths stay relative). Empty for command-line values.
	File string `json:"file,omitempty"`
	// Line and Column are 1-based; Line is 0 when only the file is known.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// ValuesKey is the dotted key, as written in File, for helm-values
	// origins ("image.tag", "extraArgs[1]").
	ValuesKey string `json:"valuesKey,omitempty"`
	// Template and TemplateLine name the template line that used a value,
	// for helm-values origins.
	Template     string `json:"template,omitempty"`
	TemplateLine int    `json:"templateLine,omitempty"`
	// Exact is false when the origin is that of the nearest existing parent
	// of the path asked for (a field a fix would add), or when the producer
	// is known only approximately (a line of the right file).
	Exact bool `json:"exact"`
	// Detail says more where a file position cannot: the command-line flag
	// that set a value ("--set image.tag=latest"), the generator that made
	// an object, the patch target.
	Detail string `json:"detail,omitempty"`
}

// OriginIndex answers where the value at a JSON path of an object came
// from. Paths are those of the position index ("spec.containers[0].image",
// "" for the object itself). Origins are ordered most specific first: for a
// value that came from a Helm values file, the values key comes before the
// template line that used it.
type OriginIndex interface {
	Origins(path string) []Origin
}

// OriginMap is the OriginIndex the sources build: one entry per path of the
// object. It is built once and then read-only.
type OriginMap struct {
	m map[string][]Origin
}

// NewOriginMap returns an empty map sized for n paths.
func NewOriginMap(n int) *OriginMap {
	return &OriginMap{m: make(map[string][]Origin, n)}
}

// Add appends origins for a path.
func (m *OriginMap) Add(path string, origins ...Origin) {
	if len(origins) == 0 {
		return
	}
	m.m[path] = append(m.m[path], origins...)
}

// Set replaces the origins of a path.
func (m *OriginMap) Set(path string, origins []Origin) {
	if len(origins) == 0 {
		delete(m.m, path)
		return
	}
	m.m[path] = origins
}

// Origins returns the origins recorded for exactly this path.
func (m *OriginMap) Origins(path string) []Origin {
	if m == nil {
		return nil
	}
	return m.m[path]
}

// Len is the number of paths with origins.
func (m *OriginMap) Len() int {
	if m == nil {
		return 0
	}
	return len(m.m)
}

// Paths lists the paths with origins, sorted; for tests and debugging.
func (m *OriginMap) Paths() []string {
	if m == nil {
		return nil
	}
	out := make([]string, 0, len(m.m))
	for p := range m.m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Files lists the files the origins name (templates included), sorted.
func (m *OriginMap) Files() []string {
	if m == nil {
		return nil
	}
	set := map[string]bool{}
	for _, os := range m.m {
		for _, o := range os {
			for _, f := range []string{o.File, o.Template} {
				if f != "" {
					set[f] = true
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// RewriteFiles maps every origin's file, for sources read from a place
// users do not know: a git checkout in a temporary directory is shown as
// the repository's paths.
func (m *OriginMap) RewriteFiles(fn func(string) string) {
	if m == nil {
		return
	}
	for _, os := range m.m {
		for i := range os {
			if os[i].File != "" {
				os[i].File = fn(os[i].File)
			}
			if os[i].Template != "" {
				os[i].Template = fn(os[i].Template)
			}
		}
	}
}

// ResolveOrigins returns the origins of path or, when the path has none (a
// field a fix would add), those of its nearest ancestor that has some, with
// Exact cleared. It also returns the path whose origins were found.
func ResolveOrigins(idx OriginIndex, path string) ([]Origin, string, bool) {
	if idx == nil {
		return nil, "", false
	}
	p := path
	for {
		if o := idx.Origins(p); len(o) > 0 {
			if p == path {
				return o, p, true
			}
			out := make([]Origin, len(o))
			copy(out, o)
			for i := range out {
				out[i].Exact = false
			}
			return out, p, true
		}
		if p == "" {
			return nil, "", false
		}
		p = ParentPath(p)
	}
}
