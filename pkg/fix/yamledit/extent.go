package yamledit

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yaml.v3 gives where a node starts, never where it ends. The functions
// here find the end by reading the text from the start: a quoted scalar
// ends at its closing quote, a plain one at the end of its line (or where
// its folded lines add up to its value), a block scalar at its last line
// indented deeper than its parent, a flow collection at its matching
// bracket, and a block collection where its last descendant ends.

// textStart returns where a node's own text starts, after any anchor
// ("&name") and tag ("!!str") in front of it: yaml.v3 places a node at
// the first of those.
func (f *File) textStart(d *document, n *yaml.Node) int {
	p := f.nodeOffset(d, n)
	for p < d.end {
		c := f.data[p]
		if !(c == '&' && n.Anchor != "") && !(c == '!' && n.Style&yaml.TaggedStyle != 0) {
			break
		}
		for p < d.end && !isSpace(f.data[p]) && !isBreak(f.data[p]) {
			p++
		}
		for p < d.end && isSpace(f.data[p]) {
			p++
		}
	}
	return p
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// nodeEnd returns the offset just past the last character of a node's
// text. indent is the 0-based column of the entries of the collection
// holding the node (the parent mapping's keys or the sequence's dashes),
// which bounds block scalars; flow says the node is inside a flow
// collection.
func (f *File) nodeEnd(d *document, n *yaml.Node, indent int, flow bool) (int, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		return f.scalarEnd(d, n, indent, flow, false)
	case yaml.AliasNode:
		p := f.textStart(d, n)
		if p >= d.end || f.data[p] != '*' {
			return 0, fmt.Errorf("line %d: alias not found in the text", d.line+n.Line-1)
		}
		p++
		for p < d.end && !isSpace(f.data[p]) && !isBreak(f.data[p]) && !(flow && strings.IndexByte(",]}", f.data[p]) >= 0) {
			p++
		}
		return p, nil
	case yaml.MappingNode, yaml.SequenceNode:
		if n.Style&yaml.FlowStyle != 0 {
			return f.flowEnd(d, n)
		}
		end := f.nodeOffset(d, n)
		childIndent := n.Column - 1
		if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
			if dash, ok := f.dashOffset(d, n.Content[0]); ok {
				childIndent = f.column(dash)
			}
		}
		for i, c := range n.Content {
			var e int
			var err error
			if n.Kind == yaml.MappingNode && i%2 == 0 {
				e, err = f.scalarEnd(d, c, childIndent, false, true)
			} else {
				e, err = f.nodeEnd(d, c, childIndent, false)
			}
			if err != nil {
				return 0, err
			}
			end = max(end, e)
		}
		return end, nil
	}
	return 0, fmt.Errorf("line %d: unexpected node", d.line+n.Line-1)
}

func isBreak(c byte) bool { return c == '\n' || c == '\r' }

// scalarEnd finds the end of a scalar (a key when isKey).
func (f *File) scalarEnd(d *document, n *yaml.Node, indent int, flow, isKey bool) (int, error) {
	if n.Kind == yaml.AliasNode {
		return f.nodeEnd(d, n, indent, flow)
	}
	if n.Kind != yaml.ScalarNode {
		// A complex key ("? [a, b]"): its own end.
		return f.nodeEnd(d, n, indent, flow)
	}
	p := f.textStart(d, n)
	line := d.line + n.Line - 1
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		if p >= d.end || f.data[p] != '"' {
			return 0, fmt.Errorf("line %d: double-quoted scalar not found in the text", line)
		}
		for i := p + 1; i < d.end; i++ {
			switch f.data[i] {
			case '\\':
				i++
			case '"':
				return i + 1, nil
			}
		}
		return 0, fmt.Errorf("line %d: unterminated double-quoted scalar", line)
	case n.Style&yaml.SingleQuotedStyle != 0:
		if p >= d.end || f.data[p] != '\'' {
			return 0, fmt.Errorf("line %d: single-quoted scalar not found in the text", line)
		}
		for i := p + 1; i < d.end; i++ {
			if f.data[i] == '\'' {
				if i+1 < d.end && f.data[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, nil
			}
		}
		return 0, fmt.Errorf("line %d: unterminated single-quoted scalar", line)
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return f.blockScalarEnd(d, p, indent, line)
	}
	if n.Tag == "!!null" && n.Value == "" {
		// An empty value ("key:" with nothing after it) has no text.
		// yaml.v3 places some (after "?") at the start of the next line;
		// they end where the line before does.
		for p > d.start && isBreak(f.data[p-1]) {
			p--
		}
		return p, nil
	}
	return f.plainEnd(d, n, p, flow, isKey, line)
}

// plainEnd finds the end of a plain scalar starting at p. A plain scalar
// may fold over several lines; it ends where the folded text equals the
// node's value.
func (f *File) plainEnd(d *document, n *yaml.Node, p int, flow, isKey bool, line int) (int, error) {
	lineEnd := func(from int) int {
		i := from
		for i < d.end && !isBreak(f.data[i]) {
			c := f.data[i]
			if c == '#' && i > from && isSpace(f.data[i-1]) {
				break
			}
			if c == ':' && (isKey || flow) && (i+1 >= d.end || isSpace(f.data[i+1]) || isBreak(f.data[i+1]) || flow && strings.IndexByte(",[]{}", f.data[i+1]) >= 0) {
				break
			}
			if flow && strings.IndexByte(",[]{}", c) >= 0 {
				break
			}
			i++
		}
		for i > from && isSpace(f.data[i-1]) {
			i--
		}
		return i
	}
	e := lineEnd(p)
	acc := string(f.data[p:e])
	if acc == n.Value {
		return e, nil
	}
	if isKey || !strings.HasPrefix(n.Value, acc) {
		return 0, fmt.Errorf("line %d: cannot find the end of the scalar %q in the text", line, short(n.Value))
	}
	// A multi-line plain scalar: line breaks fold to spaces, empty lines
	// to newlines.
	pos := e
	blanks := 0
	for len(acc) < len(n.Value) {
		nl := bytes.IndexByte(f.data[pos:d.end], '\n')
		if nl < 0 {
			break
		}
		pos += nl + 1
		s := pos
		for s < d.end && isSpace(f.data[s]) {
			s++
		}
		if s >= d.end || isBreak(f.data[s]) {
			blanks++
			continue
		}
		le := lineEnd(s)
		part := string(f.data[s:le])
		if blanks == 0 {
			acc += " " + part
		} else {
			acc += strings.Repeat("\n", blanks) + part
		}
		blanks = 0
		e = le
		if !strings.HasPrefix(n.Value, acc) {
			break
		}
	}
	if acc != n.Value {
		return 0, fmt.Errorf("line %d: cannot find the end of the multi-line scalar %q in the text", line, short(n.Value))
	}
	return e, nil
}

// blockScalarEnd finds the end of a literal or folded block scalar whose
// indicator is at p: its last non-blank line indented deeper than the
// collection holding it (or the header itself when it is empty). With
// keep chomping ("|+") the blank lines after it are part of its value,
// so it ends at the start of the last of them.
func (f *File) blockScalarEnd(d *document, p, indent, line int) (int, error) {
	if p >= d.end {
		return 0, fmt.Errorf("line %d: block scalar not found in the text", line)
	}
	h := p + 1
	keep := false
	for h < d.end && (strings.IndexByte("+-", f.data[h]) >= 0 || f.data[h] >= '1' && f.data[h] <= '9') {
		if f.data[h] != '+' && f.data[h] != '-' {
			return 0, fmt.Errorf("line %d: block scalars with an explicit indentation indicator are not edited", line)
		}
		keep = keep || f.data[h] == '+'
		h++
	}
	end := h
	nl := bytes.IndexByte(f.data[h:d.end], '\n')
	if nl < 0 {
		return end, nil
	}
	pos := h + nl + 1
	content := -1
	lastBlank := -1
	for pos < d.end {
		le := pos
		for le < d.end && f.data[le] != '\n' {
			le++
		}
		s := pos
		for s < le && f.data[s] == ' ' {
			s++
		}
		text := bytes.TrimRight(f.data[s:le], " \t\r")
		if len(text) == 0 {
			lastBlank = pos
		} else {
			ind := s - pos
			if content < 0 {
				if ind <= indent {
					break
				}
				content = ind
			}
			if ind < content {
				break
			}
			end = s + len(text)
			lastBlank = -1
		}
		pos = le + 1
	}
	if keep && lastBlank >= 0 {
		end = lastBlank
	}
	return end, nil
}

// flowEnd finds the bracket closing the flow collection n.
func (f *File) flowEnd(d *document, n *yaml.Node) (int, error) {
	p := f.textStart(d, n)
	line := d.line + n.Line - 1
	if p >= d.end || (f.data[p] != '{' && f.data[p] != '[') {
		return 0, fmt.Errorf("line %d: flow collection not found in the text", line)
	}
	depth := 0
	for i := p; i < d.end; i++ {
		switch c := f.data[i]; c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case '"':
			for i++; i < d.end && f.data[i] != '"'; i++ {
				if f.data[i] == '\\' {
					i++
				}
			}
		case '\'':
			// A quote inside a plain scalar ("it's") is not a string.
			if i > p && !isSpace(f.data[i-1]) && strings.IndexByte("{[,:", f.data[i-1]) < 0 && !isBreak(f.data[i-1]) {
				continue
			}
			for i++; i < d.end; i++ {
				if f.data[i] == '\'' {
					if i+1 < d.end && f.data[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		case '#':
			if i > p && (isSpace(f.data[i-1]) || isBreak(f.data[i-1])) {
				for i < d.end && f.data[i] != '\n' {
					i++
				}
			}
		}
	}
	return 0, fmt.Errorf("line %d: unterminated flow collection", line)
}

// dashOffset finds the "-" of a block sequence item: the last non-space
// character before the item on its line or, for an item that starts on a
// later line ("-" alone, or "- # note"), on the line above it, past blank
// and comment lines.
func (f *File) dashOffset(d *document, item *yaml.Node) (int, bool) {
	p := f.nodeOffset(d, item)
	ls, _ := f.lineBounds(p)
	i := p - 1
	for i >= ls && isSpace(f.data[i]) {
		i--
	}
	if i >= ls {
		return i, f.data[i] == '-'
	}
	for ls > d.start {
		prevStart, prevEnd := f.lineBounds(ls - 1)
		line := f.data[prevStart:prevEnd]
		t := bytes.TrimLeft(line, " ")
		rest := bytes.TrimSpace(t)
		switch {
		case len(rest) == 0 || rest[0] == '#':
			ls = prevStart
			continue
		case t[0] == '-':
			if after := bytes.TrimSpace(t[1:]); len(after) == 0 || after[0] == '#' && isSpace(t[1]) {
				return prevStart + len(line) - len(t), true
			}
		}
		return 0, false
	}
	return 0, false
}

// short shortens a value for a message, on one line.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:37]) + "..."
	}
	return strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
}
