package yamledit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Target says what node a position should be: the key of a map entry
// (Key), a list item (Index), or an object's root mapping (Root).
type Target struct {
	Root    bool   // an object's root mapping
	Key     string // a key, or a dotted path that ends with the key
	Index   int    // a list item's index, when IsIndex
	IsIndex bool
}

// TargetOf is the target a path's last step names: "a.b" names key b,
// "a[2]" item 2, "" the root. Keys with dots in them ("metadata.labels.
// app.kubernetes.io/name") are matched by suffix, so Key holds the whole
// path and matching accepts any key the path ends with.
func TargetOf(path string) Target {
	if path == "" {
		return Target{Root: true}
	}
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			if n, err := strconv.Atoi(path[i+1 : len(path)-1]); err == nil {
				return Target{Index: n, IsIndex: true}
			}
		}
	}
	return Target{Key: path}
}

func (t Target) matchKey(k string) bool {
	return !t.Root && !t.IsIndex && (t.Key == k || strings.HasSuffix(t.Key, "."+k))
}

// Locate finds the node at a 1-based line and column (as reports give
// them) that is the target: a key there names its entry's value, an item
// there the item, a mapping there the object root. It returns the node's
// address, for Set and Delete.
func (f *File) Locate(line, col int, t Target) (Address, error) {
	di, d := f.docAt(line)
	if d == nil {
		return Address{}, fmt.Errorf("line %d is not in any document", line)
	}
	if d.err != nil {
		return Address{}, fmt.Errorf("line %d: the document does not parse: %v", line, d.err)
	}
	if d.root == nil {
		return Address{}, fmt.Errorf("line %d: the document is empty", line)
	}
	rl := line - d.line + 1
	at := func(n *yaml.Node) bool { return n.Line == rl && n.Column == col }
	var found []Step
	ok := false
	var visit func(n *yaml.Node, path []Step, root bool)
	visit = func(n *yaml.Node, path []Step, root bool) {
		if ok {
			return
		}
		if t.Root && root && n.Kind == yaml.MappingNode && at(n) {
			found, ok = path, true
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content) && !ok; i += 2 {
				k := n.Content[i]
				p := append(append([]Step(nil), path...), Step{Key: keyString(k)})
				if at(k) && t.matchKey(keyString(k)) {
					found, ok = p, true
					return
				}
				visit(n.Content[i+1], p, false)
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				p := append(append([]Step(nil), path...), Step{Index: i, IsIndex: true})
				if at(item) && t.IsIndex && t.Index == i {
					found, ok = p, true
					return
				}
				// Items of a List (or a JSON array) are objects too.
				visit(item, p, true)
				if ok {
					return
				}
			}
		}
	}
	visit(d.root, nil, true)
	if !ok {
		return Address{}, fmt.Errorf("no %s at line %d, column %d", t.describe(), line, col)
	}
	return Address{Doc: di, Path: found}, nil
}

func (t Target) describe() string {
	switch {
	case t.Root:
		return "object"
	case t.IsIndex:
		return fmt.Sprintf("list item [%d]", t.Index)
	}
	k := t.Key
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		k = k[i+1:]
	}
	return fmt.Sprintf("key %q", k)
}

// Get returns the value at an address as data.
func (f *File) Get(addr Address) (any, bool) {
	d, err := f.doc(addr.Doc)
	if err != nil {
		return nil, false
	}
	v, err := docData(d)
	if err != nil {
		return nil, false
	}
	return getIn(v, addr.Path)
}

var templateAction = regexp.MustCompile(`\{\{|\}\}`)

// LineEdit is the change ReplaceLineValue made.
type LineEdit struct {
	Old, New string // the line before and after
}

// ReplaceLineValue replaces the value of "key: value" on one line of a
// text that need not be YAML as a whole: a Helm template, or a JSON patch
// written inside a block scalar. The line must be a plain "key: scalar"
// entry (optionally a list item's first, optionally with a comment) with
// no template action on it; anything else is refused. Only that line
// changes.
func ReplaceLineValue(data []byte, line int, key string, v Value) ([]byte, LineEdit, error) {
	if !v.IsScalar() {
		return nil, LineEdit{}, unsupported("line %d: only a scalar can replace a value on a line", line)
	}
	f := &File{data: data}
	f.lineStart = append(f.lineStart, 0)
	for i, c := range data {
		if c == '\n' {
			f.lineStart = append(f.lineStart, i+1)
		}
	}
	if line < 1 || line > len(f.lineStart) {
		return nil, LineEdit{}, fmt.Errorf("line %d does not exist", line)
	}
	ls, le := f.lineBounds(f.lineStart[line-1])
	text := string(data[ls:le])
	if templateAction.MatchString(text) {
		return nil, LineEdit{}, unsupported("line %d is computed by the template (%s), not a literal", line, strings.TrimSpace(text))
	}
	// The entry without its indentation and list dash.
	s := 0
	for s < len(text) && text[s] == ' ' {
		s++
	}
	if strings.HasPrefix(text[s:], "- ") {
		s += 2
		for s < len(text) && text[s] == ' ' {
			s++
		}
	}
	entry := []byte(text[s:])
	ef := Parse(entry)
	if len(ef.docs) != 1 || ef.docs[0].err != nil || ef.docs[0].root == nil {
		return nil, LineEdit{}, unsupported("line %d is not a \"key: value\" line", line)
	}
	m := ef.docs[0].root
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || len(m.Content) != 2 || keyString(m.Content[0]) != key {
		return nil, LineEdit{}, unsupported("line %d is not a \"%s: value\" line", line, key)
	}
	val := m.Content[1]
	if val.Kind != yaml.ScalarNode || val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || val.Anchor != "" || val.Style&yaml.TaggedStyle != 0 || val.Tag == "!!null" && val.Value == "" {
		return nil, LineEdit{}, unsupported("line %d: the value of %s is not a plain scalar on that line", line, key)
	}
	d := ef.docs[0]
	vs := ef.textStart(d, val)
	ve, err := ef.scalarEnd(d, val, 0, false, false)
	if err != nil {
		return nil, LineEdit{}, err
	}
	st := style{quote: '"', step: 2}
	if v.Kind == String && val.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		st.keepQuote = true
		if val.Style&yaml.SingleQuotedStyle != 0 {
			st.quote = '\''
		}
	}
	newEntry := string(entry[:vs]) + renderScalar(v, st) + string(entry[ve:])
	check := Parse([]byte(newEntry))
	if len(check.docs) != 1 || check.docs[0].err != nil || check.docs[0].root == nil {
		return nil, LineEdit{}, fmt.Errorf("line %d: the edited line does not parse; nothing was changed", line)
	}
	got, err := docData(check.docs[0])
	if err != nil || !equalData(got, map[string]any{key: v.Data()}) {
		return nil, LineEdit{}, fmt.Errorf("line %d: the edited line does not read back as intended; nothing was changed", line)
	}
	newLine := text[:s] + newEntry
	out := make([]byte, 0, len(data)+len(newLine)-len(text))
	out = append(out, data[:ls]...)
	out = append(out, newLine...)
	out = append(out, data[le:]...)
	return out, LineEdit{Old: text, New: newLine}, nil
}

// LineKey returns the key of a "key: value" line (after indentation and
// a list dash), or "".
func LineKey(data []byte, line int) string {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	t := strings.TrimSpace(strings.TrimSuffix(lines[line-1], "\r"))
	t = strings.TrimSpace(strings.TrimPrefix(t, "- "))
	k, _, ok := strings.Cut(t, ":")
	if !ok {
		return ""
	}
	return strings.Trim(strings.TrimSpace(k), `"'`)
}
