package yamledit

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Delete removes the map entry or list item at addr (keys as the file
// writes them; see Resolve), with its lines and its line comment. Comments
// on lines of their own stay. A map or list left empty becomes {} or [] on
// its key's line (or in place of the item, or as the whole document), so
// the value stays a map or list. The result is checked as for Set.
func (f *File) Delete(addr Address) (*File, Change, error) {
	d, err := f.doc(addr.Doc)
	if err != nil {
		return nil, Change{}, err
	}
	if len(addr.Path) == 0 {
		return nil, Change{}, fmt.Errorf("cannot delete a whole document")
	}
	chain, err := f.walk(d, addr.Path)
	if err != nil {
		return nil, Change{}, err
	}
	cur := chain[len(chain)-1]
	p := cur.parent
	if err := checkAliases(d, chain, addr.Path, true); err != nil {
		return nil, Change{}, err
	}
	old, err := docData(d)
	if err != nil {
		return nil, Change{}, err
	}
	prev, _ := getIn(old, addr.Path)
	expected, err := deleteIn(old, addr.Path)
	if err != nil {
		return nil, Change{}, err
	}
	line := d.line + cur.node.Line - 1
	if p.Kind == yaml.MappingNode {
		copies := 0
		for j := 0; j+1 < len(p.Content); j += 2 {
			if keyString(p.Content[j]) == keyString(cur.key) {
				copies++
			}
		}
		if copies > 1 {
			// Removing the last would bring an earlier one back.
			return nil, Change{}, unsupported("line %d: %s is set %d times in its map; remove the copies yourself", line, FormatPath(addr.Path), copies)
		}
	}
	vEnd, err := f.nodeEnd(d, cur.node, f.entryIndent(d, p), cur.inFlow())
	if err != nil {
		return nil, Change{}, err
	}
	// The start of the entry: its key, or its item's dash.
	var start int
	if p.Kind == yaml.MappingNode {
		start = f.nodeOffset(d, cur.key)
	} else if p.Style&yaml.FlowStyle != 0 {
		start = f.textStart(d, cur.node)
	} else {
		dash, ok := f.dashOffset(d, cur.node)
		if !ok {
			return nil, Change{}, unsupported("line %d: cannot find the dash of %s", line, FormatPath(addr.Path))
		}
		start = dash
	}
	entries := len(p.Content)
	first := cur.index == 0 || p.Kind == yaml.MappingNode && cur.index == 1
	last := cur.index == len(p.Content)-1
	var sp []splice
	if p.Style&yaml.FlowStyle != 0 {
		switch {
		case entries <= 2 && p.Kind == yaml.MappingNode || entries == 1:
			sp = []splice{{start, vEnd, ""}}
		case last:
			prevIdx := cur.index - 1
			if p.Kind == yaml.MappingNode {
				prevIdx = cur.index - 2
			}
			pe, err := f.nodeEnd(d, p.Content[prevIdx], 0, true)
			if err != nil {
				return nil, Change{}, err
			}
			sp = []splice{{pe, vEnd, ""}}
		default:
			next := p.Content[cur.index+1]
			sp = []splice{{start, f.textStart(d, next), ""}}
		}
	} else {
		ls, _ := f.lineBounds(start)
		ownLine := len(bytes.TrimLeft(f.data[ls:start], " ")) == 0
		only := entries == 1 || p.Kind == yaml.MappingNode && entries == 2
		empty := "{}"
		if p.Kind == yaml.SequenceNode {
			empty = "[]"
		}
		switch {
		case ownLine && only && len(chain) == 2:
			// The document's last entry: the document stays a map or list.
			_, le := f.lineBounds(vEnd)
			sp = []splice{{ls, le, empty}}
		case ownLine && only:
			// The collection becomes empty: write {} or [] after its key.
			if chain[len(chain)-2].key == nil || chain[len(chain)-2].inFlow() {
				return nil, Change{}, unsupported("line %d: deleting %s would leave an empty collection that is not a map value; delete it yourself", line, FormatPath(addr.Path))
			}
			pk := chain[len(chain)-2].key
			ke, err := f.scalarEnd(d, pk, 0, false, true)
			if err != nil {
				return nil, Change{}, err
			}
			colon := ke
			for colon < len(f.data) && isSpace(f.data[colon]) {
				colon++
			}
			if colon >= len(f.data) || f.data[colon] != ':' {
				return nil, Change{}, unsupported("line %d: cannot find the colon after %s", line, FormatPath(addr.Path[:len(addr.Path)-1]))
			}
			sp = append([]splice{{colon + 1, colon + 1, " " + empty}}, f.removeLines(d, ls, vEnd))
		case ownLine:
			sp = []splice{f.removeLines(d, ls, vEnd)}
		case first && !only:
			// "- key: v" followed by more keys, "- - a" by more items: the
			// next entry moves up after the dash.
			next := f.nodeOffset(d, p.Content[2%len(p.Content)])
			if p.Kind == yaml.SequenceNode {
				dash, ok := f.dashOffset(d, p.Content[1])
				if !ok {
					return nil, Change{}, unsupported("line %d: cannot find the dash of %s", line, FormatPath(addr.Path))
				}
				next = dash
			}
			sp = []splice{{start, next, ""}}
		case only:
			// "- name: x" alone in its item: the item stays, empty.
			sp = []splice{{start, vEnd, empty}}
		default:
			return nil, Change{}, unsupported("line %d: %s shares its line with other content; delete it yourself", line, FormatPath(addr.Path))
		}
	}
	nf, err := f.apply(addr.Doc, sp, expected)
	if err != nil {
		return nil, Change{}, err
	}
	// The first line the removal touches: in a flow collection, that of
	// the comma before the entry; for an emptied map, its key's.
	return nf, Change{Kind: "delete", Line: f.lineOf(sp[0].start), At: addr, Old: prev}, nil
}

// removeLines removes whole lines from the one holding start to the one
// holding end, with their line break. At the end of a file without a
// final newline the break before them goes instead, with any blank lines
// before it, so that the file still ends without one.
func (f *File) removeLines(d *document, start, end int) splice {
	_, le := f.lineBounds(end)
	if le < len(f.data) {
		brk := 1
		if f.data[le] == '\r' {
			brk = 2
		}
		return splice{start, le + brk, ""}
	}
	s := start
	for s > d.start && f.data[s-1] == '\n' {
		s--
		if s > d.start && f.data[s-1] == '\r' {
			s--
		}
		ls := f.lineStart[f.lineOf(s)-1]
		if ls < d.start || len(bytes.TrimSpace(f.data[ls:s])) > 0 {
			break
		}
		s = ls
	}
	return splice{s, le, ""}
}
