package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Step is one step of a path: a map key or a list index.
type Step struct {
	Key     string // the key, when IsIndex is false
	Index   int    // the 0-based index, when IsIndex is true
	IsIndex bool
}

// FormatPath writes steps as a dotted path ("spec.containers[0].image").
func FormatPath(steps []Step) string {
	var b strings.Builder
	for i, s := range steps {
		if s.IsIndex {
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.Key)
	}
	return b.String()
}

// Address is a node of a file: a document (by index, counting empty ones)
// and the path from the document's root, with keys as the file writes
// them. Addresses stay valid across Set (which only adds) and across
// deletes of later siblings.
type Address struct {
	Doc  int
	Path []Step
}

// String writes the address for messages: "document 1, spec.replicas".
func (a Address) String() string {
	return fmt.Sprintf("document %d, %s", a.Doc, orRoot(FormatPath(a.Path)))
}

func orRoot(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

// Change says what an edit did.
type Change struct {
	// Kind is "replace", "insert", "delete" or "none" (the value was
	// already there).
	Kind string
	// Line is the 1-based line of the edit: the first line written (for
	// "none", the value's), or for a delete the first line removed or
	// rewritten. The lines above it are unchanged (but for the one that
	// gets a comma before a new flow entry).
	Line int
	// At is the path written, keys resolved as the file has them.
	At Address
	// Old is the previous value (replace, delete) as data.
	Old any
}

// ErrUnsupported marks edits the editor refuses because the text is laid
// out in a way it does not rewrite safely (aliases, odd layouts); the
// message says what and where.
var ErrUnsupported = errors.New("unsupported")

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}

// cursor is a node and where it sits.
type cursor struct {
	node   *yaml.Node
	parent *yaml.Node // nil for a document root
	key    *yaml.Node // the key, when parent is a mapping
	index  int        // position in parent.Content (value index for mappings)
}

func (c cursor) inFlow() bool { return c.parent != nil && c.parent.Style&yaml.FlowStyle != 0 }

// walk follows a path of exact keys and indexes from the document root.
func (f *File) walk(d *document, path []Step) ([]cursor, error) {
	chain := []cursor{{node: d.root}}
	for i, s := range path {
		n := chain[len(chain)-1].node
		if n.Kind == yaml.AliasNode {
			return nil, unsupported("line %d: %s goes through an alias (*%s); edit the anchor yourself", d.line+n.Line-1, FormatPath(path[:i]), n.Value)
		}
		if s.IsIndex {
			if n.Kind != yaml.SequenceNode || s.Index >= len(n.Content) {
				return nil, fmt.Errorf("%s does not exist", FormatPath(path[:i+1]))
			}
			chain = append(chain, cursor{node: n.Content[s.Index], parent: n, index: s.Index})
			continue
		}
		ki := -1
		if n.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(n.Content); j += 2 {
				if keyString(n.Content[j]) == s.Key {
					ki = j // the last of duplicate keys wins, as in Kubernetes
				}
			}
		}
		if ki < 0 {
			return nil, fmt.Errorf("%s does not exist", FormatPath(path[:i+1]))
		}
		chain = append(chain, cursor{node: n.Content[ki+1], parent: n, key: n.Content[ki], index: ki + 1})
	}
	return chain, nil
}

// checkAliases refuses an edit whose text other places of the document
// repeat through aliases: a node on the path (or, for a delete, inside the
// deleted node) that an alias refers to. Editing it would change those
// places too, or leave an alias without its anchor.
func checkAliases(d *document, chain []cursor, path []Step, del bool) error {
	targets := map[*yaml.Node]bool{}
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode {
			targets[n.Alias] = true
			return
		}
		for _, c := range n.Content {
			visit(c)
		}
	}
	visit(d.root)
	if len(targets) == 0 {
		return nil
	}
	refused := func(n *yaml.Node) error {
		return unsupported("line %d: the anchor &%s, which the alias *%s repeats elsewhere, holds %s; edit the anchor yourself", d.line+n.Line-1, n.Anchor, n.Anchor, orRoot(FormatPath(path)))
	}
	for _, c := range chain {
		if targets[c.node] {
			return refused(c.node)
		}
	}
	if del {
		var inside func(n *yaml.Node) *yaml.Node
		inside = func(n *yaml.Node) *yaml.Node {
			if targets[n] {
				return n
			}
			for _, c := range n.Content {
				if t := inside(c); t != nil {
					return t
				}
			}
			return nil
		}
		if t := inside(chain[len(chain)-1].node); t != nil {
			return unsupported("line %d: %s holds the anchor &%s, which an alias (*%s) uses; delete it yourself", d.line+t.Line-1, FormatPath(path), t.Anchor, t.Anchor)
		}
	}
	return nil
}

// freeForm keys hold maps whose keys are data, not schema: label and
// annotation keys, selectors, ConfigMap keys. Their keys often contain
// dots ("pod-security.kubernetes.io/enforce"), which dotted paths cannot
// tell from separators, so under them the rest of a path's keys form one
// key when no existing key matches better.
var freeForm = map[string]bool{
	"labels": true, "annotations": true, "matchLabels": true, "nodeSelector": true,
	"data": true, "stringData": true, "binaryData": true,
}

// findKey finds the mapping entry for the key steps at rel[i:]. With join,
// several consecutive key steps may name one key with dots in it; the
// longest existing key wins. Under a free-form map (parentKey) a shorter
// key must hold a map or list to count: label "app" is no prefix of label
// "app.kubernetes.io/name", but a custom resource's "data.db" may hold
// "host". It returns the key's index in m.Content and how many steps it
// used, or -1.
func findKey(m *yaml.Node, rel []Step, i int, join bool, parentKey string) (int, int) {
	run := 1
	if join {
		for i+run < len(rel) && !rel[i+run].IsIndex {
			run++
		}
	}
	for used := run; used >= 1; used-- {
		parts := make([]string, used)
		for j := range used {
			parts[j] = rel[i+j].Key
		}
		want := strings.Join(parts, ".")
		ki := -1
		for j := 0; j+1 < len(m.Content); j += 2 {
			if keyString(m.Content[j]) == want {
				ki = j
			}
		}
		if ki < 0 {
			continue
		}
		if k := m.Content[ki+1].Kind; used < run && join && freeForm[parentKey] && k != yaml.MappingNode && k != yaml.SequenceNode {
			continue
		}
		return ki, used
	}
	return -1, 0
}

// lastKey is the key a path ends with, or "" after an index.
func lastKey(path []Step) string {
	if len(path) == 0 || path[len(path)-1].IsIndex {
		return ""
	}
	return path[len(path)-1].Key
}

// groupSteps resolves the steps of a path that does not exist yet: under
// a free-form map key, with join, the following key steps form one key.
func groupSteps(steps []Step, parentKey string, join bool) []Step {
	var out []Step
	prev := parentKey
	for i := 0; i < len(steps); i++ {
		s := steps[i]
		if s.IsIndex {
			out = append(out, s)
			prev = ""
			continue
		}
		if join && freeForm[prev] {
			parts := []string{s.Key}
			for i+1 < len(steps) && !steps[i+1].IsIndex {
				i++
				parts = append(parts, steps[i].Key)
			}
			s = Step{Key: strings.Join(parts, ".")}
		}
		out = append(out, s)
		prev = s.Key
	}
	return out
}

// Set writes v at the node addr names followed by the steps rel, creating
// what is missing: map keys, intermediate maps, a new item at the end of a
// list (index == length), a new list (index 0), the first content of an
// empty document. With join, consecutive key steps of rel may name one key
// containing dots: the longest key the file has, and where none exists
// under labels, annotations, matchLabels, nodeSelector or data, all of
// them ("metadata.labels.app.kubernetes.io/name" names the label
// "app.kubernetes.io/name" even next to a label "app").
//
// The result is parsed again and must hold v at the path, with every other
// value of every document unchanged; otherwise Set fails and nothing
// changes. A value already there gives Change.Kind "none" and f itself.
func (f *File) Set(addr Address, rel []Step, join bool, v Value) (*File, Change, error) {
	if addr.Doc >= 0 && addr.Doc < len(f.docs) && f.docs[addr.Doc].root == nil && f.docs[addr.Doc].err == nil && len(addr.Path) == 0 && len(rel) > 0 {
		return f.fillDocument(addr.Doc, groupSteps(rel, "", join), v)
	}
	d, err := f.doc(addr.Doc)
	if err != nil {
		return nil, Change{}, err
	}
	chain, full, i, err := f.follow(d, addr, rel, join)
	if err != nil {
		return nil, Change{}, err
	}
	if err := checkAliases(d, chain, full, false); err != nil {
		return nil, Change{}, err
	}
	old, err := docData(d)
	if err != nil {
		return nil, Change{}, err
	}
	cur := chain[len(chain)-1]
	if i == len(rel) {
		return f.replace(addr.Doc, d, cur, full, old, v)
	}
	missing := groupSteps(rel[i:], lastKey(full), join)
	return f.create(addr.Doc, d, cur, full, missing, old, v)
}

// fillDocument writes the first content of an empty document (nothing or
// only comments), after whatever comments it has.
func (f *File) fillDocument(di int, steps []Step, v Value) (*File, Change, error) {
	d := f.docs[di]
	at := Address{Doc: di, Path: steps}
	if steps[0].IsIndex && steps[0].Index != 0 {
		return nil, Change{}, fmt.Errorf("document %d is empty, so it cannot have an item %d (only [0] starts a list)", di, steps[0].Index)
	}
	for j, s := range steps[1:] {
		if s.IsIndex && s.Index != 0 {
			return nil, Change{}, fmt.Errorf("%s does not exist, so it cannot have an item %d (only [0] can start a new list)", FormatPath(steps[:j+1]), s.Index)
		}
	}
	expected, err := setIn(nil, steps, v.Data())
	if err != nil {
		return nil, Change{}, err
	}
	st := f.styleFor(d)
	val := nest(steps[1:], v)
	var lines []string
	if steps[0].IsIndex {
		lines = renderItem(val, 0, st)
	} else {
		lines = renderEntry(steps[0].Key, val, 0, st)
	}
	text := strings.Join(lines, f.eol) + f.eol
	if d.end > 0 && f.data[d.end-1] != '\n' {
		// The file ends here without a final newline (after content, or
		// after "---"); it still does.
		text = f.eol + strings.Join(lines, f.eol)
	}
	nf, err := f.apply(di, []splice{{d.end, d.end, text}}, expected)
	if err != nil {
		return nil, Change{}, err
	}
	return nf, Change{Kind: "insert", Line: nf.lineOf(d.end + firstLineSkip(text)), At: at}, nil
}

// Resolve returns the address of the node addr followed by rel names,
// found as Set finds it (with join, a key may contain dots), with keys as
// the file writes them: what Delete and Get take. It reports false when
// the file has no such node.
func (f *File) Resolve(addr Address, rel []Step, join bool) (Address, bool) {
	d, err := f.doc(addr.Doc)
	if err != nil {
		return Address{}, false
	}
	_, full, i, err := f.follow(d, addr, rel, join)
	if err != nil || i < len(rel) {
		return Address{}, false
	}
	return Address{Doc: addr.Doc, Path: full}, true
}

// follow walks from the node addr names along rel as far as the file
// goes. It returns the cursors from the root, the path walked with keys as
// the file writes them, and how many steps of rel it used.
func (f *File) follow(d *document, addr Address, rel []Step, join bool) ([]cursor, []Step, int, error) {
	chain, err := f.walk(d, addr.Path)
	if err != nil {
		return nil, nil, 0, err
	}
	full := append([]Step(nil), addr.Path...)
	i := 0
	for i < len(rel) {
		n := chain[len(chain)-1].node
		if n.Kind == yaml.AliasNode {
			return nil, nil, 0, unsupported("line %d: %s goes through an alias (*%s); edit the anchor yourself", d.line+n.Line-1, FormatPath(full), n.Value)
		}
		s := rel[i]
		if s.IsIndex {
			if n.Kind != yaml.SequenceNode || s.Index >= len(n.Content) {
				break
			}
			full = append(full, s)
			chain = append(chain, cursor{node: n.Content[s.Index], parent: n, index: s.Index})
			i++
			continue
		}
		if n.Kind != yaml.MappingNode {
			break
		}
		ki, used := findKey(n, rel, i, join, lastKey(full))
		if ki < 0 {
			break
		}
		full = append(full, Step{Key: keyString(n.Content[ki])})
		chain = append(chain, cursor{node: n.Content[ki+1], parent: n, key: n.Content[ki], index: ki + 1})
		i += used
	}
	return chain, full, i, nil
}

// replace writes v over the existing node at cur.
func (f *File) replace(di int, d *document, cur cursor, full []Step, old any, v Value) (*File, Change, error) {
	n := cur.node
	at := Address{Doc: di, Path: full}
	prev, _ := getIn(old, full)
	if equalData(prev, v.Data()) {
		return f, Change{Kind: "none", Line: d.line + n.Line - 1, At: at, Old: prev}, nil
	}
	if n.Kind == yaml.AliasNode {
		return nil, Change{}, unsupported("line %d: %s is an alias (*%s); edit the anchor yourself", d.line+n.Line-1, FormatPath(full), n.Value)
	}
	if n.Kind != yaml.ScalarNode {
		return nil, Change{}, unsupported("line %d: %s is a %s; replacing a whole map or list is not done automatically", d.line+n.Line-1, FormatPath(full), kindName(n))
	}
	isNull := n.ShortTag() == "!!null"
	if !v.IsScalar() {
		if !isNull {
			return nil, Change{}, unsupported("line %d: %s is a scalar; replacing it with a map or list is not done automatically", d.line+n.Line-1, FormatPath(full))
		}
		return f.fillNull(di, d, cur, full, old, v)
	}
	st := f.styleFor(d)
	st.flow = cur.inFlow()
	if v.Kind == String && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		st.keepQuote = true
		st.quote = '"'
		if n.Style&yaml.SingleQuotedStyle != 0 {
			st.quote = '\''
		}
	}
	text := renderScalar(v, st)
	start := f.textStart(d, n)
	indent := 0
	if cur.parent != nil {
		indent = f.entryIndent(d, cur.parent)
	}
	end, err := f.scalarEnd(d, n, indent, st.flow, false)
	if err != nil {
		return nil, Change{}, err
	}
	if start == end {
		// An empty value ("key:"): the value needs a space before it.
		text = " " + text
	}
	if v.Kind == String && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && strings.Contains(v.Text, "\n") {
		// A block of lines stays a block of lines, indented as it was.
		col := indent + st.step
		if _, first := f.lineBounds(start); first < end {
			_, col = firstContent(f.data[first:end])
		}
		if lit, ok := literal(v.Text, col, f.eol); ok {
			text = lit
		}
	}
	expected, err := setIn(old, full, v.Data())
	if err != nil {
		return nil, Change{}, err
	}
	nf, err := f.apply(di, []splice{{start, end, text}}, expected)
	if err != nil {
		return nil, Change{}, err
	}
	return nf, Change{Kind: "replace", Line: f.lineOf(start), At: at, Old: prev}, nil
}

// create adds the missing steps under cur with v at the end.
func (f *File) create(di int, d *document, cur cursor, full, missing []Step, old any, v Value) (*File, Change, error) {
	n := cur.node
	line := d.line + n.Line - 1
	for j, s := range missing[1:] {
		if s.IsIndex && s.Index != 0 {
			return nil, Change{}, fmt.Errorf("%s does not exist, so it cannot have an item %d (only [0] can start a new list)", FormatPath(append(append([]Step(nil), full...), missing[:j+1]...)), s.Index)
		}
	}
	val := nest(missing[1:], v)
	first := missing[0]
	target := append(append([]Step(nil), full...), missing...)
	at := Address{Doc: di, Path: target}
	isNull := n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
	switch {
	case n.Kind == yaml.AliasNode:
		return nil, Change{}, unsupported("line %d: %s is an alias (*%s); edit the anchor yourself", line, FormatPath(full), n.Value)
	case isNull && first.IsIndex && first.Index != 0:
		return nil, Change{}, fmt.Errorf("line %d: %s is empty, so it cannot have an item %d (only [0] starts a list)", line, FormatPath(full), first.Index)
	case n.Kind == yaml.SequenceNode && first.IsIndex && first.Index != len(n.Content):
		return nil, Change{}, fmt.Errorf("line %d: %s has %s, so item %d cannot be added (only [%d] appends)", line, FormatPath(full), plural(len(n.Content), "item"), first.Index, len(n.Content))
	case !isNull && (n.Kind != yaml.MappingNode || first.IsIndex) && (n.Kind != yaml.SequenceNode || !first.IsIndex):
		want := "map"
		if first.IsIndex {
			want = "list"
		}
		return nil, Change{}, fmt.Errorf("line %d: %s is a %s, not a %s, so %s cannot be set", line, orRoot(FormatPath(full)), kindName(n), want, FormatPath(target))
	}
	if n.Kind == yaml.MappingNode && !first.IsIndex {
		for _, k := range mapKeys(n, 0) {
			// A new "00" next to 00 (the number 0), or "0" next to a
			// merged 0: YAML or JSON readers take them for one key, and
			// which value wins is up to the reader.
			same := keyString(k) == first.Key
			if _, str := resolveScalar(k).(string); same != (k.Value == first.Key) || same && !str {
				return nil, Change{}, unsupported("line %d: %s has a key written %s that reads as %q; set that key yourself", d.line+k.Line-1, orRoot(FormatPath(full)), k.Value, keyString(k))
			}
		}
	}
	if n.Kind == yaml.MappingNode && !first.IsIndex && len(missing) > 1 {
		// Writing "key:" here would hide all the merged map, not add to it.
		if merged, ok := getIn(old, append(append([]Step(nil), full...), first)); ok && merged != nil {
			return nil, Change{}, unsupported("line %d: %s comes from a merge key (<<); edit the merged map yourself", line, FormatPath(append(append([]Step(nil), full...), first)))
		}
	}
	expected, err := setIn(old, target, v.Data())
	if err != nil {
		return nil, Change{}, fmt.Errorf("line %d: cannot set %s: %v", line, FormatPath(target), err)
	}
	st := f.styleFor(d)
	var sp []splice
	switch {
	case isNull:
		wrapped := Value{Kind: Map, Map: map[string]Value{first.Key: val}}
		if first.IsIndex {
			wrapped = Value{Kind: List, List: []Value{val}}
		}
		nf, ch, err := f.fillNullExpect(di, d, cur, full, expected, wrapped)
		if err != nil {
			return nil, Change{}, err
		}
		ch.At, ch.Kind = at, "insert"
		return nf, ch, nil
	case n.Kind == yaml.MappingNode:
		fst := f.flowStyle(d, n, st)
		if n.Style&yaml.FlowStyle != 0 {
			sp, err = f.flowInsert(d, n, renderKey(first.Key, fst)+": "+renderFlow(val, fst))
		} else {
			sp, err = f.blockInsert(d, n, renderEntry(first.Key, val, f.entryIndent(d, n), st))
		}
	default:
		if n.Style&yaml.FlowStyle != 0 {
			sp, err = f.flowInsert(d, n, renderFlow(val, f.flowStyle(d, n, st)))
		} else {
			sp, err = f.blockInsert(d, n, renderItem(val, f.entryIndent(d, n), st))
		}
	}
	if err != nil {
		return nil, Change{}, err
	}
	nf, err := f.apply(di, sp, expected)
	if err != nil {
		return nil, Change{}, err
	}
	return nf, Change{Kind: "insert", Line: nf.lineOf(sp[0].start + firstLineSkip(sp[0].text)), At: at}, nil
}

// firstLineSkip is how far into an inserted text its first new line
// starts: past a leading line break (and the comma a flow entry needs).
func firstLineSkip(text string) int {
	if i := strings.IndexByte(text, '\n'); i >= 0 && strings.Trim(text[:i], ",\r") == "" {
		return i + 1
	}
	return 0
}

// nest wraps v in the maps and lists the steps describe.
func nest(steps []Step, v Value) Value {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].IsIndex {
			v = Value{Kind: List, List: []Value{v}}
		} else {
			v = Value{Kind: Map, Map: map[string]Value{steps[i].Key: v}}
		}
	}
	return v
}

// mapKeys returns the key nodes of a mapping, those its merge keys ("<<")
// bring in included.
func mapKeys(n *yaml.Node, depth int) []*yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil && depth < 100 {
		n, depth = n.Alias, depth+1
	}
	if depth > 100 {
		return nil
	}
	var keys []*yaml.Node
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			keys = append(keys, mapKeys(c, depth+1)...)
		}
	case yaml.MappingNode:
		for j := 0; j+1 < len(n.Content); j += 2 {
			if k := n.Content[j]; k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
				keys = append(keys, mapKeys(n.Content[j+1], depth+1)...)
			} else {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// isEmpty reports a value with no text at all ("key:" or a bare "-").
func isEmpty(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" && n.Style == 0
}

// plural writes "1 item", "2 items".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "map"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	if n.ShortTag() == "!!null" {
		return "null"
	}
	return "scalar (" + short(n.Value) + ")"
}

// fillNull turns an empty or null value into a map or list.
func (f *File) fillNull(di int, d *document, cur cursor, full []Step, old any, v Value) (*File, Change, error) {
	expected, err := setIn(old, full, v.Data())
	if err != nil {
		return nil, Change{}, err
	}
	nf, ch, err := f.fillNullExpect(di, d, cur, full, expected, v)
	if err != nil {
		return nil, Change{}, err
	}
	ch.Kind = "replace"
	return nf, ch, nil
}

func (f *File) fillNullExpect(di int, d *document, cur cursor, full []Step, expected any, v Value) (*File, Change, error) {
	n := cur.node
	line := d.line + n.Line - 1
	st := f.styleFor(d)
	start := f.textStart(d, n)
	end, err := f.scalarEnd(d, n, 0, cur.inFlow(), false)
	if err != nil {
		return nil, Change{}, err
	}
	at := Address{Doc: di, Path: full}
	var lines []string
	if !cur.inFlow() {
		if cur.key == nil || cur.parent == nil || cur.parent.Kind != yaml.MappingNode {
			return nil, Change{}, unsupported("line %d: %s is empty and is not a map value; fill it in yourself", line, orRoot(FormatPath(full)))
		}
		kc := f.column(f.nodeOffset(d, cur.key))
		if v.Kind == Map {
			for _, k := range v.keys() {
				lines = append(lines, renderEntry(k, v.Map[k], kc+st.step, st)...)
			}
		} else {
			for _, e := range v.List {
				lines = append(lines, renderItem(e, kc+st.seqIndent, st)...)
			}
		}
	}
	if len(lines) == 0 {
		// Inside a flow collection, or an empty map or list: the value
		// fits where the old one was.
		if cur.inFlow() {
			st = f.flowStyle(d, cur.parent, st)
		}
		text := renderFlow(v, st)
		if start == end {
			text = " " + text
		}
		nf, err := f.apply(di, []splice{{start, end, text}}, expected)
		if err != nil {
			return nil, Change{}, err
		}
		return nf, Change{Line: f.lineOf(start), At: at}, nil
	}
	var sp []splice
	if start != end {
		// "key: null" / "key: ~": drop the word and the space before it.
		s := start
		for s > d.start && isSpace(f.data[s-1]) {
			s--
		}
		sp = append(sp, splice{s, end, ""})
	}
	_, eol := f.lineBounds(max(start, end))
	sp = append(sp, splice{eol, eol, f.eol + strings.Join(lines, f.eol)})
	nf, err := f.apply(di, sp, expected)
	if err != nil {
		return nil, Change{}, err
	}
	// The first line that changed: the key's when "null" went from it,
	// else the first new one.
	at0 := f.lineOf(sp[0].start)
	if sp[0].text != "" {
		at0 = nf.lineOf(sp[0].start + firstLineSkip(sp[0].text))
	}
	return nf, Change{Line: at0, At: at}, nil
}

// entryIndent is the 0-based column of a block collection's entries: its
// keys, or its items' dashes.
func (f *File) entryIndent(d *document, n *yaml.Node) int {
	if n.Kind == yaml.SequenceNode && len(n.Content) > 0 && n.Style&yaml.FlowStyle == 0 {
		if dash, ok := f.dashOffset(d, n.Content[0]); ok {
			return f.column(dash)
		}
	}
	if len(n.Content) > 0 {
		return f.column(f.nodeOffset(d, n.Content[0]))
	}
	return f.column(f.nodeOffset(d, n))
}

// blockInsert adds lines after the last line of a block collection, at
// the end of that line, so that the line itself and a missing final
// newline are kept.
func (f *File) blockInsert(d *document, n *yaml.Node, lines []string) ([]splice, error) {
	end, err := f.nodeEnd(d, n, f.entryIndent(d, n), false)
	if err != nil {
		return nil, err
	}
	_, eol := f.lineBounds(end)
	sp := []splice{{eol, eol, f.eol + strings.Join(lines, f.eol)}}
	if eol == len(f.data) {
		// A block scalar ending the file without a final newline has no
		// final newline in its value either ("|" clips to what is there);
		// once lines follow it, only "|-" keeps it so.
		last := n
		for len(last.Content) > 0 && last.Kind != yaml.AliasNode {
			last = last.Content[len(last.Content)-1]
		}
		if last.Kind == yaml.ScalarNode && last.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			h := f.textStart(d, last) + 1
			if h < eol && (f.data[h] == ' ' || isBreak(f.data[h]) || f.data[h] == '#') {
				sp = append([]splice{{h, h, "-"}}, sp...)
			}
		}
	}
	return sp, nil
}

// flowInsert adds an entry at the end of a flow collection: after its last
// entry (on a new line when the entries are one per line) or inside the
// empty brackets.
func (f *File) flowInsert(d *document, n *yaml.Node, entry string) ([]splice, error) {
	end, err := f.flowEnd(d, n)
	if err != nil {
		return nil, err
	}
	if len(n.Content) == 0 {
		return []splice{{end - 1, end - 1, entry}}, nil
	}
	last := n.Content[len(n.Content)-1]
	lastEnd, err := f.nodeEnd(d, last, 0, true)
	if err != nil {
		return nil, err
	}
	firstEntry := n.Content[0]
	lastEntry := last
	if n.Kind == yaml.MappingNode {
		lastEntry = n.Content[len(n.Content)-2]
	}
	open := f.textStart(d, n)
	fe, le := f.nodeOffset(d, firstEntry), f.nodeOffset(d, lastEntry)
	if f.lineOf(fe) != f.lineOf(open) && f.lineOf(le) != f.lineOf(open) {
		// One entry per line: the new one gets its own line too.
		return []splice{{lastEnd, lastEnd, "," + f.eol + strings.Repeat(" ", f.column(le)) + entry}}, nil
	}
	return []splice{{lastEnd, lastEnd, ", " + entry}}, nil
}

// flowStyle is the style for text inside the flow collection n: JSON when
// its keys (or the document's) are double-quoted.
func (f *File) flowStyle(d *document, n *yaml.Node, st style) style {
	st.flow = true
	if n != nil && n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		st.json = n.Content[0].Style&yaml.DoubleQuotedStyle != 0
	}
	return st
}

// styleFor learns how a document is written: indentation step, whether
// block sequences are indented under their key, which quote it prefers,
// whether it is JSON.
func (f *File) styleFor(d *document) style {
	st := style{step: 0, seqIndent: -1, dashGap: -1}
	var dq, sq int
	var x *document // the document being read
	var visit func(n *yaml.Node, keyCol int)
	visit = func(n *yaml.Node, keyCol int) {
		switch n.Kind {
		case yaml.MappingNode:
			if n.Style&yaml.FlowStyle == 0 && keyCol >= 0 && len(n.Content) > 0 && st.step == 0 {
				if c := n.Content[0].Column - 1 - keyCol; c > 0 && n.Content[0].Line > 0 {
					st.step = c
				}
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				kc := -1
				if n.Style&yaml.FlowStyle == 0 {
					kc = n.Content[i].Column - 1
				}
				visit(n.Content[i+1], kc)
			}
		case yaml.SequenceNode:
			if n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0 && (st.seqIndent < 0 || st.dashGap < 0) {
				if dash, ok := f.dashOffset(x, n.Content[0]); ok {
					if c := f.column(dash) - keyCol; c >= 0 && keyCol >= 0 && st.seqIndent < 0 {
						st.seqIndent = c
					}
					if item := f.nodeOffset(x, n.Content[0]); !isEmpty(n.Content[0]) && f.lineOf(item) == f.lineOf(dash) && st.dashGap < 0 {
						st.dashGap = item - dash
					}
				}
			}
			for _, c := range n.Content {
				visit(c, -1)
			}
		case yaml.ScalarNode:
			switch {
			case n.Style&yaml.DoubleQuotedStyle != 0:
				dq++
			case n.Style&yaml.SingleQuotedStyle != 0:
				sq++
			}
		}
	}
	for _, x = range append([]*document{d}, f.docs...) {
		if x.root != nil && (st.step == 0 || st.seqIndent < 0 || st.dashGap < 0) {
			visit(x.root, -1)
		}
	}
	if st.step == 0 {
		st.step = 2
	}
	if st.seqIndent < 0 {
		st.seqIndent = 0
	}
	if st.dashGap < 1 {
		st.dashGap = 2
	}
	st.quote = '"'
	if sq > dq {
		st.quote = '\''
	}
	if d.root != nil && d.root.Style&yaml.FlowStyle != 0 && d.root.Kind == yaml.MappingNode && len(d.root.Content) > 0 &&
		d.root.Content[0].Style&yaml.DoubleQuotedStyle != 0 {
		st.json = true
	}
	return st
}

// splice replaces data[start:end] with text.
type splice struct {
	start, end int
	text       string
}

// apply performs ordered, non-overlapping splices inside document di,
// parses the result, and checks that document di now holds expected and
// that every other document is byte for byte what it was.
func (f *File) apply(di int, sps []splice, expected any) (*File, error) {
	d := f.docs[di]
	var b bytes.Buffer
	b.Grow(len(f.data) + 256)
	pos := 0
	for _, s := range sps {
		if s.start < pos || s.end < s.start || s.start < d.start || s.end > d.end {
			return nil, fmt.Errorf("internal error: edit outside its document")
		}
		b.Write(f.data[pos:s.start])
		b.WriteString(s.text)
		pos = s.end
	}
	b.Write(f.data[pos:])
	nf, err := f.reparse(b.Bytes(), di)
	if err != nil {
		return nil, err
	}
	got, err := docData(nf.docs[di])
	if err != nil {
		return nil, err
	}
	if !equalData(got, expected) {
		return nil, fmt.Errorf("the edited text does not read back as intended (document %d, line %d); nothing was changed", di, nf.lineOf(sps[0].start))
	}
	return nf, nil
}

// reparse builds the File for edited data where only document di
// changed: the other documents keep their parsed nodes.
func (f *File) reparse(data []byte, di int) (*File, error) {
	nf := &File{data: data, eol: f.eol}
	nf.lineStart = append(nf.lineStart, 0)
	for i, c := range data {
		if c == '\n' {
			nf.lineStart = append(nf.lineStart, i+1)
		}
	}
	spans := splitDocuments(data)
	if len(spans) != len(f.docs) {
		return nil, fmt.Errorf("the edit changed the number of documents; nothing was changed")
	}
	for i, s := range spans {
		od := f.docs[i]
		doc := &document{start: s.start, end: s.end, line: s.line}
		if i == di {
			var n yaml.Node
			if err := yaml.Unmarshal(data[s.start:s.end], &n); err != nil {
				return nil, fmt.Errorf("the edited document %d does not parse (%v); nothing was changed", i, err)
			}
			if len(n.Content) > 0 {
				doc.root = n.Content[0]
			}
		} else {
			if !bytes.Equal(data[s.start:s.end], f.data[od.start:od.end]) {
				return nil, fmt.Errorf("the edit changed document %d, which it should not touch; nothing was changed", i)
			}
			doc.root, doc.err = od.root, od.err
		}
		nf.docs = append(nf.docs, doc)
	}
	return nf, nil
}
