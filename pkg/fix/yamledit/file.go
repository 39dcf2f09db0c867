// Package yamledit edits YAML text in place. It parses with go.yaml.in/yaml/v3
// to find nodes, then splices bytes: a replaced scalar changes only its own
// characters, an inserted key is one new block of lines at the indentation
// of its siblings, a deleted entry removes only its own lines. Everything
// else (comments, key order, blank lines, quoting, indentation, flow style,
// CRLF line endings, a missing final newline) stays byte for byte.
//
// yaml.v3 cannot do this by re-encoding a node tree: it re-indents,
// re-quotes and moves comments. So nodes only give positions here, and
// each edit is checked by parsing the result again: the value at the path
// must be the one asked for and every other value of every document must
// be unchanged, or the edit is refused.
//
// Documents are split on "---" lines as pkg/manifest does, so document
// indexes (empty documents included) match those of scan reports.
//
// Some text is refused rather than risked, with an error wrapping
// ErrUnsupported: an edit at or under an anchor that an alias repeats, a
// path through an alias, a key a merge ("<<") brings in when the edit goes
// below it, replacing a whole map or list, block scalars with an explicit
// indentation indicator, and documents with line breaks other than LF and
// CRLF (a bare CR, NEL, LS, PS), where yaml.v3 counts lines differently.
// Paths that cannot exist (an index past the end of a list, a key under a
// string) fail with a plain error naming the path.
package yamledit

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// File is a parsed YAML stream. It is immutable: edits return a new File.
type File struct {
	data []byte
	// eol is the line break new lines use: the file's first one, else "\n".
	eol string
	// lineStart[i] is the byte offset of line i+1.
	lineStart []int
	docs      []*document
}

type document struct {
	start, end int // byte range in File.data
	line       int // 1-based file line of the document's first line
	// root is the document's top node (nil for an empty document).
	root *yaml.Node
	err  error
}

// Parse splits data into documents and parses each. A document that does
// not parse is kept (edits elsewhere are still possible); editing it fails.
func Parse(data []byte) *File {
	f := &File{data: data, eol: "\n"}
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		f.eol = "\r\n"
	}
	f.lineStart = append(f.lineStart, 0)
	for i, c := range data {
		if c == '\n' && i+1 <= len(data) {
			f.lineStart = append(f.lineStart, i+1)
		}
	}
	for _, d := range splitDocuments(data) {
		doc := &document{start: d.start, end: d.end, line: d.line}
		text := data[d.start:d.end]
		if i := oddBreak(text); i >= 0 {
			// YAML breaks lines there too, so yaml.v3's line numbers would
			// not be the ones counted here.
			doc.err = unsupported("line %d has a line break other than LF or CRLF (a bare CR, NEL, LS or PS)", d.line+bytes.Count(text[:i], []byte("\n")))
		} else if len(bytes.TrimSpace(text)) > 0 {
			var n yaml.Node
			if err := yaml.Unmarshal(text, &n); err != nil {
				doc.err = err
			} else if len(n.Content) > 0 {
				doc.root = n.Content[0]
			}
		}
		f.docs = append(f.docs, doc)
	}
	return f
}

// Bytes returns the file's content.
func (f *File) Bytes() []byte { return f.data }

// Documents is the number of documents, empty ones included.
func (f *File) Documents() int { return len(f.docs) }

type span struct{ start, end, line int }

// splitDocuments cuts a stream on document separator lines ("---", "--- "
// followed by content or a comment), exactly as pkg/manifest does.
func splitDocuments(data []byte) []span {
	var out []span
	start, startLine, line := 0, 1, 1
	for pos := 0; pos < len(data); {
		next := len(data)
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		l := bytes.TrimRight(data[pos:next], "\r\n")
		if isSeparator(l) {
			out = append(out, span{start: start, end: pos, line: startLine})
			start, startLine = next, line+1
			if rest := bytes.TrimSpace(l[3:]); len(rest) > 0 && rest[0] != '#' {
				start, startLine = pos+3, line
			}
		}
		pos = next
		line++
	}
	return append(out, span{start: start, end: len(data), line: startLine})
}

// oddBreak returns the offset of the first line break YAML knows that is
// neither LF nor CRLF: a CR alone, NEL (U+0085), LS (U+2028) or PS
// (U+2029). -1 when there is none.
func oddBreak(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\r' && (i+1 >= len(b) || b[i+1] != '\n'):
			return i
		case c == 0xC2 && i+1 < len(b) && b[i+1] == 0x85:
			return i
		case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9):
			return i
		}
	}
	return -1
}

func isSeparator(l []byte) bool {
	return bytes.HasPrefix(l, []byte("---")) && (len(l) == 3 || l[3] == ' ' || l[3] == '\t')
}

// offset converts a node's 1-based line and column (yaml.v3 counts
// columns in characters) within document d to a byte offset in the file.
func (f *File) offset(d *document, line, col int) int {
	fl := d.line + line - 1
	if line < 1 || fl > len(f.lineStart) {
		// yaml.v3 places an empty value at the end of its document.
		return d.end
	}
	base := f.lineStart[fl-1]
	if line == 1 {
		base = d.start
	}
	// yaml.v3 does not count a byte order mark as a column.
	base += bomLen(f.data[base:])
	p := base
	for i := 1; i < col && p < len(f.data); i++ {
		if f.data[p] == '\n' {
			break
		}
		_, w := utf8.DecodeRune(f.data[p:])
		p += w
	}
	return p
}

// nodeOffset is where a node's text starts.
func (f *File) nodeOffset(d *document, n *yaml.Node) int { return f.offset(d, n.Line, n.Column) }

// lineOf returns the 1-based line of a byte offset.
func (f *File) lineOf(off int) int {
	lo, hi := 0, len(f.lineStart)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if f.lineStart[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1
}

// lineBounds returns the start of the line holding off and the offset of
// its line break (or the end of the file).
func (f *File) lineBounds(off int) (start, end int) {
	start = f.lineStart[f.lineOf(off)-1]
	end = len(f.data)
	if i := bytes.IndexByte(f.data[off:], '\n'); i >= 0 {
		end = off + i
		if end > start && f.data[end-1] == '\r' {
			end--
		}
	}
	return start, end
}

// column returns the 0-based byte column of off in its line, not
// counting a byte order mark.
func (f *File) column(off int) int {
	start, _ := f.lineBounds(off)
	if off > start {
		start += bomLen(f.data[start:off])
	}
	return off - start
}

// bomLen is the length of the UTF-8 byte order mark b starts with, or 0.
func bomLen(b []byte) int {
	if bytes.HasPrefix(b, []byte("\ufeff")) {
		return 3
	}
	return 0
}

// docAt returns the document holding the 1-based file line.
func (f *File) docAt(line int) (int, *document) {
	for i := len(f.docs) - 1; i >= 0; i-- {
		if f.docs[i].line <= line {
			return i, f.docs[i]
		}
	}
	return -1, nil
}

func (f *File) doc(i int) (*document, error) {
	if i < 0 || i >= len(f.docs) {
		return nil, fmt.Errorf("document %d does not exist (the file has %d)", i, len(f.docs))
	}
	d := f.docs[i]
	if d.err != nil {
		return nil, fmt.Errorf("document %d (line %d) does not parse: %v", i, d.line, d.err)
	}
	if d.root == nil {
		return nil, fmt.Errorf("document %d (line %d) is empty", i, d.line)
	}
	return d, nil
}
