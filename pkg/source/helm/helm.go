// Package helm renders Helm charts in-process, as `helm template` would,
// and traces every value of every rendered object back to the template
// line that wrote it and, when it came from .Values, to the values file
// key that set it.
//
// Helm's own SDK (helm.sh/helm/v4) renders; nothing else in Vigil sees its
// types. Rendering needs no cluster and no network: lookup answers nothing,
// DNS functions answer empty, and remote schemas and values files are not
// fetched.
//
// # How origins are found
//
// A chart is rendered twice. The first render is the truth: it is what is
// scanned. The second runs the same templates with markers: before each
// literal line of template text, and around each output action of a
// template body, a function call writes a marker naming the site into the
// output; toYaml, when handed a map or list of the values, brackets its
// output with a marker naming the values key. Functions that read strings
// (quote, trunc, sha256sum, printf, eq ...) see their arguments without
// markers, so the instrumented templates make the same decisions.
//
// With the markers removed, the instrumented output must equal the real
// one, file by file; where it does, each byte of the real output is known
// to come from a literal at a known template offset, from an action, or
// from a values subtree. Where it does not (a template that hashes its own
// text, say), the two outputs are aligned line by line and only identical
// lines are traced. A value that cannot be traced has no origin of its own
// and resolves to its nearest traced parent, never to a guessed line.
//
// Markers in define bodies are limited to lines that look like YAML
// structure ("key: value", "- item"): defines that return names or flags
// are compared and transformed by templates. If even those change the
// output, the chart is rendered a third time with no markers in defines.
package helm

import (
	"context"
	"io"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

// DefaultKubeVersion is the Kubernetes version templates see in
// .Capabilities when none is given: the one Helm v4.3 assumes with its
// client-go (1.37), fixed here so tests and the CLI render alike.
const DefaultKubeVersion = "v1.37.0"

// DefaultReleaseName is the release name `helm template` uses.
const DefaultReleaseName = "release-name"

// Options say what to render and how.
type Options struct {
	// Chart is a chart directory (with Chart.yaml) or a packaged .tgz.
	Chart string
	// ValueFiles are -f files, in order (later ones win). "-" reads Stdin.
	ValueFiles []string
	// Set, SetString, SetFile, SetJSON and SetLiteral are the --set flags
	// of helm, each a list of "key=value[,key=value]" strings.
	Set, SetString, SetFile, SetJSON, SetLiteral []string
	// ReleaseName defaults to DefaultReleaseName.
	ReleaseName string
	// Namespace is the release namespace (empty when not given, so
	// .Release.Namespace renders empty: see Render).
	Namespace string
	// KubeVersion is the Kubernetes version of .Capabilities (default
	// DefaultKubeVersion).
	KubeVersion string
	// APIVersions are added to .Capabilities.APIVersions.
	APIVersions []string
	// IncludeCRDs adds the charts' crds/ files, as `helm template
	// --include-crds` does. They are plain files, so they keep their own
	// positions.
	IncludeCRDs bool
	// SkipSchemaValidation does not check values against values.schema.json.
	SkipSchemaValidation bool
	// AllowNetwork lets values.schema.json load remote $refs. Nothing else
	// needs the network for a local chart.
	AllowNetwork bool
	// Stdin is read for a "-" values file.
	Stdin io.Reader
}

// Rendered is one object of the rendered chart and where its values came
// from. Object.Source.Path is the template file; Object.Positions indexes
// the lines of that template file that produced each path (never lines of
// the rendered text, which no user can edit).
type Rendered struct {
	Object  *object.Object
	Origins *object.OriginMap
}

// MissingDependency is a dependency declared in a Chart.yaml that is not
// vendored in its charts/ directory.
type MissingDependency struct {
	// Chart is the chart that declares it; ChartFile its Chart.yaml and
	// Line the line of the dependency entry.
	Chart     string
	ChartFile string
	Line      int
	// Name, Alias, Version and Repository are as declared.
	Name, Alias, Version, Repository string
	// Condition is the values path that enables it, if any; Enabled tells
	// whether, with the values given, it would have been rendered.
	Condition string
	Enabled   bool
}

// Result is what a render produced. A result may hold objects and errors
// at once: what renders is scanned, what does not is said.
type Result struct {
	// Chart and Version name the chart.
	Chart, Version string
	// Objects are the rendered objects in template order.
	Objects []Rendered
	// Inputs are the template files whose output was decoded.
	Inputs []string
	// Errors are the parts of the chart that could not be rendered or read
	// (missing dependencies, failed `required`, schema violations).
	Errors []source.InputError
	// Notes are things worth knowing that are not errors.
	Notes []source.Note
	// Missing lists undeclared-but-not-vendored dependencies.
	Missing []MissingDependency
	// Skipped lists the templates that were not rendered, with the reason.
	Skipped map[string]string
	// Traced counts, for diagnostics, the rendered files whose output was
	// traced exactly, by line alignment, or not at all.
	Traced TraceStats
}

// TraceStats counts how rendered files were traced.
type TraceStats struct {
	Exact, NoDefines, Aligned, Untraced int
}

// Source is the chart as a source.Source: a file-target inventory of the
// rendered objects. Origins are kept in Origins, by object, until objects
// carry them.
type Source struct {
	Options
	// Origins is filled by Load.
	Origins map[*object.Object]*object.OriginMap
}

// Load renders the chart. It fails only when the chart cannot be read at
// all or the context ends; everything else is reported in the inventory.
func (s *Source) Load(ctx context.Context) (*source.Inventory, error) {
	res, err := Render(ctx, s.Options)
	if err != nil {
		return nil, err
	}
	inv := &source.Inventory{Target: source.TargetFile, Roots: []string{s.Chart}}
	s.Origins = make(map[*object.Object]*object.OriginMap, len(res.Objects))
	for _, r := range res.Objects {
		inv.Objects = append(inv.Objects, r.Object)
		s.Origins[r.Object] = r.Origins
	}
	inv.Inputs = res.Inputs
	inv.Errors = res.Errors
	inv.Notes = res.Notes
	return inv, nil
}
