package yamledit

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Data is a document's content as Kubernetes reads it: map[string]any,
// []any, string, bool, int64, uint64, float64 or nil. Scalars resolve with
// the YAML 1.1 rules Kubernetes uses (unquoted yes/no/on/off are booleans,
// 0644 is octal), as pkg/manifest resolves them, so "unchanged as data"
// means unchanged for the API server.

var errBudget = errors.New("document expands to too many nodes (recursive aliases?)")

// toData converts a node. budget bounds alias expansion.
func toData(n *yaml.Node, budget *int) (any, error) {
	*budget--
	if *budget < 0 {
		return nil, errBudget
	}
	switch n.Kind {
	case yaml.AliasNode:
		return toData(n.Alias, budget)
	case yaml.ScalarNode:
		return resolveScalar(n), nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := toData(c, budget)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
				merges = append(merges, v)
				continue
			}
			val, err := toData(v, budget)
			if err != nil {
				return nil, err
			}
			out[keyString(k)] = val
		}
		// Merge keys fill in only what the mapping does not set itself.
		for _, m := range merges {
			srcs := []*yaml.Node{m}
			if m.Kind == yaml.SequenceNode {
				srcs = m.Content
			}
			for _, s := range srcs {
				mv, err := toData(s, budget)
				if err != nil {
					return nil, err
				}
				if mm, ok := mv.(map[string]any); ok {
					for k, v := range mm {
						if _, set := out[k]; !set {
							out[k] = v
						}
					}
				}
			}
		}
		return out, nil
	}
	return nil, nil
}

// keyString is a mapping key as the JSON key Kubernetes would see.
func keyString(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return strings.TrimSpace(n.Value)
	}
	switch v := resolveScalar(n).(type) {
	case string:
		return v
	case nil:
		return "null"
	default:
		return fmt.Sprint(v)
	}
}

// yaml11Bools are plain scalars YAML 1.1 (and so Kubernetes) reads as
// booleans but yaml.v3 (YAML 1.2) reads as strings.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

func resolveScalar(n *yaml.Node) any {
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			return n.Value
		}
		return b
	case "!!int":
		if v, ok := parseInt(n.Value); ok {
			return v
		}
		return n.Value
	case "!!float":
		x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return n.Value
		}
		return x
	case "!!str":
		if !quoted {
			if b, ok := yaml11Bools[n.Value]; ok {
				return b
			}
		}
		return n.Value
	}
	return n.Value
}

// parseInt reads an integer as yaml.v3 and Kubernetes do: decimal, 0x
// hex, 0o or leading-zero octal, with underscores.
func parseInt(s string) (any, bool) {
	s = strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(s, 0, 64); err == nil {
		return i, true
	}
	if u, err := strconv.ParseUint(s, 0, 64); err == nil {
		return u, true
	}
	if strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "-0o") {
		if i, err := strconv.ParseInt(strings.Replace(s, "0o", "0", 1), 0, 64); err == nil {
			return i, true
		}
	}
	return nil, false
}

// docData converts a document's root (nil for an empty document).
func docData(d *document) (any, error) {
	if d.root == nil {
		return nil, nil
	}
	budget := 8*(d.end-d.start) + 4096
	return toData(d.root, &budget)
}

// equalData compares two data values.
func equalData(a, b any) bool { return reflect.DeepEqual(a, b) }

// setIn returns a copy of v with the value at path set, creating maps and
// appending list items on the way.
func setIn(v any, path []Step, val any) (any, error) {
	if len(path) == 0 {
		return val, nil
	}
	s := path[0]
	if s.IsIndex {
		var l []any
		switch x := v.(type) {
		case []any:
			l = append([]any(nil), x...)
		case nil:
		default:
			return nil, fmt.Errorf("not a list")
		}
		switch {
		case s.Index < len(l):
		case s.Index == len(l):
			l = append(l, nil)
		default:
			return nil, fmt.Errorf("index %d beyond the end of the list", s.Index)
		}
		nv, err := setIn(l[s.Index], path[1:], val)
		if err != nil {
			return nil, err
		}
		l[s.Index] = nv
		return l, nil
	}
	m := map[string]any{}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			m[k] = e
		}
	case nil:
	default:
		return nil, fmt.Errorf("not a map")
	}
	nv, err := setIn(m[s.Key], path[1:], val)
	if err != nil {
		return nil, err
	}
	m[s.Key] = nv
	return m, nil
}

// deleteIn returns a copy of v without the value at path.
func deleteIn(v any, path []Step) (any, error) {
	if len(path) == 0 {
		return nil, fmt.Errorf("cannot delete the document itself")
	}
	s := path[0]
	switch x := v.(type) {
	case []any:
		if !s.IsIndex || s.Index >= len(x) {
			return nil, fmt.Errorf("no item %d", s.Index)
		}
		l := append([]any(nil), x...)
		if len(path) == 1 {
			return append(l[:s.Index], l[s.Index+1:]...), nil
		}
		nv, err := deleteIn(l[s.Index], path[1:])
		if err != nil {
			return nil, err
		}
		l[s.Index] = nv
		return l, nil
	case map[string]any:
		if s.IsIndex {
			return nil, fmt.Errorf("not a list")
		}
		if _, ok := x[s.Key]; !ok {
			return nil, fmt.Errorf("no key %q", s.Key)
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = e
		}
		if len(path) == 1 {
			delete(m, s.Key)
			return m, nil
		}
		nv, err := deleteIn(m[s.Key], path[1:])
		if err != nil {
			return nil, err
		}
		m[s.Key] = nv
		return m, nil
	}
	return nil, fmt.Errorf("not a map or list")
}

// getIn returns the value at path.
func getIn(v any, path []Step) (any, bool) {
	for _, s := range path {
		switch x := v.(type) {
		case []any:
			if !s.IsIndex || s.Index >= len(x) {
				return nil, false
			}
			v = x[s.Index]
		case map[string]any:
			if s.IsIndex {
				return nil, false
			}
			e, ok := x[s.Key]
			if !ok {
				return nil, false
			}
			v = e
		default:
			return nil, false
		}
	}
	return v, true
}
