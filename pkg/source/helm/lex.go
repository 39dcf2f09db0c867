package helm

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// segment is a piece of template source: literal text or one action
// ("{{ ... }}"). The parse tree of text/template gives node start offsets but
// not where actions end nor their trim markers, and instrumenting a template
// without changing its output needs both, so templates are also cut into
// segments by this lexer, which follows text/template/parse's rules.
type segment struct {
	action bool
	// start and end delimit the segment in the source. For an action they
	// include the delimiters and trim markers.
	start, end int
	// For text: the part that reaches the output once the neighbouring
	// actions' trim markers have eaten whitespace.
	textStart, textEnd int
	// For actions: trim markers and the body between them.
	trimLeft, trimRight bool
	bodyStart, bodyEnd  int
	comment             bool
}

const spaceChars = " \t\r\n"

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// lexTemplate cuts src into text and action segments with Go's default
// delimiters, which Helm always uses.
func lexTemplate(src string) ([]segment, error) {
	var segs []segment
	pos := 0
	prevTrimRight := false
	addText := func(s, e int, trimLeftNext bool) {
		if e <= s {
			return
		}
		ts, te := s, e
		if prevTrimRight {
			ts += len(src[s:e]) - len(strings.TrimLeft(src[s:e], spaceChars))
		}
		if trimLeftNext && ts < te {
			te -= len(src[ts:te]) - len(strings.TrimRight(src[ts:te], spaceChars))
		}
		segs = append(segs, segment{start: s, end: e, textStart: ts, textEnd: te})
	}
	for pos < len(src) {
		i := strings.Index(src[pos:], "{{")
		if i < 0 {
			addText(pos, len(src), false)
			break
		}
		a := pos + i
		p := a + 2
		trimL := len(src) >= p+2 && src[p] == '-' && isSpaceByte(src[p+1])
		addText(pos, a, trimL)
		if trimL {
			p += 2
		}
		seg := segment{action: true, start: a, trimLeft: trimL, bodyStart: p}
		if strings.HasPrefix(src[p:], "/*") {
			x := strings.Index(src[p+2:], "*/")
			if x < 0 {
				return nil, fmt.Errorf("offset %d: unclosed comment", a)
			}
			q := p + 2 + x + 2
			switch {
			case rightTrimAt(src, q):
				seg.trimRight, seg.bodyEnd, seg.end = true, q, q+4
			case strings.HasPrefix(src[q:], "}}"):
				seg.bodyEnd, seg.end = q, q+2
			default:
				return nil, fmt.Errorf("offset %d: comment ends before closing delimiter", a)
			}
			seg.comment = true
		} else {
			q := p
			for {
				if q >= len(src) {
					return nil, fmt.Errorf("offset %d: unclosed action", a)
				}
				if rightTrimAt(src, q) {
					seg.trimRight, seg.bodyEnd, seg.end = true, q, q+4
					break
				}
				if strings.HasPrefix(src[q:], "}}") {
					seg.bodyEnd, seg.end = q, q+2
					break
				}
				switch src[q] {
				case '"', '\'':
					end, err := skipQuoted(src, q)
					if err != nil {
						return nil, err
					}
					q = end
				case '`':
					x := strings.IndexByte(src[q+1:], '`')
					if x < 0 {
						return nil, fmt.Errorf("offset %d: unterminated raw string", q)
					}
					q += x + 2
				default:
					q++
				}
			}
		}
		segs = append(segs, seg)
		prevTrimRight = seg.trimRight
		pos = seg.end
	}
	return segs, nil
}

// rightTrimAt reports whether " -}}" starts at q.
func rightTrimAt(src string, q int) bool {
	return q+4 <= len(src) && isSpaceByte(src[q]) && src[q+1] == '-' && src[q+2] == '}' && src[q+3] == '}'
}

// skipQuoted returns the offset after the quoted string or character
// constant starting at q.
func skipQuoted(src string, q int) (int, error) {
	quote := src[q]
	for i := q + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '\n':
			return 0, fmt.Errorf("offset %d: unterminated quoted string", q)
		case quote:
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("offset %d: unterminated quoted string", q)
}

// lineIndex converts byte offsets of a text to 1-based lines and columns
// (columns count runes, as the YAML parser does).
type lineIndex struct {
	text   string
	starts []int
}

func newLineIndex(text string) *lineIndex {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{text: text, starts: starts}
}

// position returns the 1-based line and column of a byte offset.
func (l *lineIndex) position(off int) (line, col int) {
	lo, hi := 0, len(l.starts)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if l.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	end := min(off, len(l.text))
	return lo + 1, len([]rune(l.text[l.starts[lo]:end])) + 1
}

// offset returns the byte offset of a 1-based line and rune column, or -1.
func (l *lineIndex) offset(line, col int) int {
	if line < 1 || line > len(l.starts) {
		return -1
	}
	off := l.starts[line-1]
	for n := 1; n < col && off < len(l.text); n++ {
		if l.text[off] == '\n' {
			return -1
		}
		if l.text[off] < 0x80 {
			off++
			continue
		}
		_, size := utf8.DecodeRuneInString(l.text[off:])
		off += size
	}
	return off
}
