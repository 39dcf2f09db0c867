package helm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/strvals"

	"github.com/vigilsec/vigil/pkg/object"
)

// valuesSource is one place values come from, kept with its positions so
// that a values path can be traced to the line that set it.
type valuesSource struct {
	file string // display path; empty for command-line values
	flag string // the command-line flag, for command-line values
	// prefix is where the source's keys sit in the root chart's values: a
	// subchart's values.yaml applies under its name.
	prefix []string
	doc    *yaml.Node // a mapping node, for files
	tree   any        // the parsed value, for flags
}

// valuesSources lists sources from the highest precedence to the lowest,
// as Helm coalesces them: command-line flags (last first), -f files (last
// first), the chart's values.yaml, then each subchart's.
type valuesSources struct {
	list []*valuesSource
}

// userValues reads the user's values the way `helm template` does (same
// order, same parsers), keeping each source for provenance. Files are read
// from disk only: a URL needs AllowNetwork, and even then is refused, since
// local charts never need one.
func userValues(opts *Options) (map[string]any, []*valuesSource, error) {
	base := map[string]any{}
	var srcs []*valuesSource
	for _, f := range opts.ValueFiles {
		if strings.Contains(f, "://") {
			return nil, nil, fmt.Errorf("values file %s: URLs are not read; download the file and pass its path", f)
		}
		data, err := readValuesFile(f, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("values file %s: %w", f, err)
		}
		m, err := loader.LoadValues(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("values file %s: %w", f, err)
		}
		base = loader.MergeMaps(base, m)
		docs, err := yamlDocs(data)
		if err != nil {
			return nil, nil, fmt.Errorf("values file %s: %w", f, err)
		}
		for _, d := range docs {
			srcs = append(srcs, &valuesSource{file: f, doc: d})
		}
	}
	type setFlag struct {
		name  string
		vals  []string
		parse func(string, map[string]any) error
		one   func(string) (map[string]any, error)
	}
	fileReader := func(rs []rune) (any, error) {
		data, err := readValuesFile(string(rs), opts)
		if err != nil {
			return nil, err
		}
		return string(data), nil
	}
	flags := []setFlag{
		{"--set-json", opts.SetJSON, setJSON, func(s string) (map[string]any, error) {
			m := map[string]any{}
			return m, setJSON(s, m)
		}},
		{"--set", opts.Set, strvals.ParseInto, strvals.Parse},
		{"--set-string", opts.SetString, strvals.ParseIntoString, strvals.ParseString},
		{"--set-file", opts.SetFile,
			func(s string, m map[string]any) error { return strvals.ParseIntoFile(s, m, fileReader) },
			func(s string) (map[string]any, error) { return strvals.ParseFile(s, fileReader) }},
		{"--set-literal", opts.SetLiteral, strvals.ParseLiteralInto, strvals.ParseLiteral},
	}
	for _, fl := range flags {
		for _, v := range fl.vals {
			// Values given on the command line are often passwords: reports
			// and errors name the keys, never the values.
			shown := fl.name + " " + redactAssignments(v)
			if err := fl.parse(v, base); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", shown, err)
			}
			one, err := fl.one(v)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", shown, err)
			}
			srcs = append(srcs, &valuesSource{flag: shown, tree: one})
		}
	}
	// Later sources win: reverse into precedence order.
	for i, j := 0, len(srcs)-1; i < j; i, j = i+1, j-1 {
		srcs[i], srcs[j] = srcs[j], srcs[i]
	}
	return base, srcs, nil
}

// setJSON is helm's --set-json: a JSON object merged in, or key=json.
func setJSON(s string, dest map[string]any) error {
	if t := strings.TrimSpace(s); t != "" && t[0] == '{' {
		var m map[string]any
		if err := json.Unmarshal([]byte(t), &m); err != nil {
			return fmt.Errorf("not a JSON object: %w", err)
		}
		merged := loader.MergeMaps(dest, m)
		for k := range dest {
			delete(dest, k)
		}
		for k, v := range merged {
			dest[k] = v
		}
		return nil
	}
	return strvals.ParseJSON(s, dest)
}

func readValuesFile(path string, opts *Options) ([]byte, error) {
	if path == "-" {
		if opts.Stdin == nil {
			return nil, errors.New("no standard input to read values from")
		}
		return io.ReadAll(opts.Stdin)
	}
	return os.ReadFile(path)
}

// yamlDocs parses every document of a YAML stream into nodes.
func yamlDocs(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(n.Content) > 0 && n.Content[0].Kind == yaml.MappingNode {
			out = append(out, n.Content[0])
		}
	}
}

// lookup finds the source that set the value at a root-level values path.
// When no source sets the path itself, it returns the deepest existing
// parent (a key a fix would add goes there) with exact false.
func (vs *valuesSources) lookup(path []string) (object.Origin, bool) {
	candidates := [][]string{path}
	// Subcharts see their parents' globals under their own "global".
	for i := 1; i < len(path); i++ {
		if path[i] == "global" {
			candidates = append(candidates, path[i:])
		}
	}
	var best object.Origin
	bestDepth := -1
	for _, cand := range candidates {
		for _, s := range vs.list {
			if len(cand) < len(s.prefix) || !equalSegs(cand[:len(s.prefix)], s.prefix) {
				continue
			}
			rest := cand[len(s.prefix):]
			o, depth := s.find(rest)
			if depth == len(rest) && depth >= 0 {
				o.Exact = true
				return o, true
			}
			if depth >= 0 && len(s.prefix)+depth > bestDepth {
				best, bestDepth = o, len(s.prefix)+depth
			}
		}
	}
	if bestDepth > 0 {
		best.Exact = false
		return best, true
	}
	return object.Origin{}, false
}

// find walks rest in the source and returns the origin of the deepest node
// found and how many segments matched (-1: none, not even the source's
// root).
func (s *valuesSource) find(rest []string) (object.Origin, int) {
	if s.doc != nil {
		n := s.doc
		var pos *yaml.Node
		depth := 0
		for _, seg := range rest {
			k, v := child(n, seg)
			if v == nil {
				break
			}
			pos, n = k, v
			depth++
		}
		if depth == 0 {
			return object.Origin{}, -1
		}
		return object.Origin{Kind: object.OriginHelmValues, File: s.file, Line: pos.Line, Column: pos.Column,
			ValuesKey: joinValuesPath(rest[:depth])}, depth
	}
	cur := s.tree
	depth := 0
	for _, seg := range rest {
		next, ok := childValue(cur, seg)
		if !ok {
			break
		}
		cur = next
		depth++
	}
	if depth == 0 {
		return object.Origin{}, -1
	}
	return object.Origin{Kind: object.OriginHelmValues, Detail: s.flag, ValuesKey: joinValuesPath(rest[:depth])}, depth
}

// child returns the key (or item) node and the value node for one path
// segment of a mapping or sequence node.
func child(n *yaml.Node, seg string) (*yaml.Node, *yaml.Node) {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil {
		return nil, nil
	}
	if i, ok := parseIndex(seg); ok {
		if n.Kind == yaml.SequenceNode && i < len(n.Content) {
			item := n.Content[i]
			return item, item
		}
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == seg {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

func childValue(v any, seg string) (any, bool) {
	if i, ok := parseIndex(seg); ok {
		if l, ok := v.([]any); ok && i < len(l) {
			return l[i], true
		}
		return nil, false
	}
	if m, ok := asMap(v); ok {
		x, ok := m[seg]
		return x, ok
	}
	return nil, false
}

// asMap accepts plain maps and Helm's Values, a named map type.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case common.Values:
		return m, true
	}
	return nil, false
}

func parseIndex(seg string) (int, bool) {
	if len(seg) < 3 || seg[0] != '[' || seg[len(seg)-1] != ']' {
		return 0, false
	}
	i, err := strconv.Atoi(seg[1 : len(seg)-1])
	return i, err == nil && i >= 0
}

func isIndexSeg(seg string) bool { return len(seg) > 1 && seg[0] == '[' }

// joinValuesPath renders a values path the way users write --set keys:
// dots inside a key are escaped ("podAnnotations.prometheus\.io/port").
func joinValuesPath(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 && !isIndexSeg(s) {
			b.WriteByte('.')
		}
		if isIndexSeg(s) {
			b.WriteString(s)
		} else {
			b.WriteString(strings.ReplaceAll(s, ".", `\.`))
		}
	}
	return b.String()
}

func equalSegs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// valueAt walks a values tree.
func valueAt(v any, path []string) (any, bool) {
	for _, seg := range path {
		var ok bool
		v, ok = childValue(v, seg)
		if !ok {
			return nil, false
		}
	}
	return v, true
}

// redactAssignments turns "a=1,b.c=two" into "a=…,b.c=…". A comma inside
// a value may split it oddly; that only hides more.
func redactAssignments(v string) string {
	var parts []string
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || (v[i] == ',' && (i == 0 || v[i-1] != '\\')) {
			part := v[start:i]
			if k, _, ok := strings.Cut(part, "="); ok {
				part = k + "=…"
			} else {
				part = "…" // a bare JSON document (--set-json '{...}') is all value
			}
			parts = append(parts, part)
			start = i + 1
		}
	}
	return strings.Join(parts, ",")
}
