package jsonformat

import (
	"bytes"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// writeValue writes a Rego value as JSON, object keys sorted. extra adds
// fields to a top-level object (replacing a field of the same name), after
// the object's own.
func writeValue(b *bytes.Buffer, v ast.Value, extra map[string]func()) {
	switch x := v.(type) {
	case ast.Null:
		b.WriteString("null")
	case ast.Boolean:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case ast.Number:
		b.WriteString(string(x))
	case ast.String:
		writeString(b, string(x))
	case *ast.Array:
		b.WriteByte('[')
		for i := range x.Len() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeValue(b, x.Elem(i).Value, nil)
		}
		b.WriteByte(']')
	case ast.Set:
		b.WriteByte('[')
		for i, t := range x.Slice() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeValue(b, t.Value, nil)
		}
		b.WriteByte(']')
	case ast.Object:
		b.WriteByte('{')
		n := 0
		sep := func() {
			if n > 0 {
				b.WriteByte(',')
			}
			n++
		}
		done := map[string]bool{}
		for _, k := range x.Keys() {
			ks, ok := k.Value.(ast.String)
			key := string(ks)
			if !ok {
				key = k.Value.String()
			}
			if f, ok := extra[key]; ok {
				sep()
				writeString(b, key)
				b.WriteByte(':')
				f()
				done[key] = true
				continue
			}
			sep()
			writeString(b, key)
			b.WriteByte(':')
			writeValue(b, x.Get(k).Value, nil)
		}
		for key, f := range sortedExtra(extra) {
			if done[key] {
				continue
			}
			sep()
			writeString(b, key)
			b.WriteByte(':')
			f()
		}
		b.WriteByte('}')
	default:
		writeString(b, v.String())
	}
}

// sortedExtra iterates extra fields in key order, for stable output.
func sortedExtra(extra map[string]func()) func(func(string, func()) bool) {
	return func(yield func(string, func()) bool) {
		keys := make([]string, 0, len(extra))
		for k := range extra {
			keys = append(keys, k)
		}
		for i := 1; i < len(keys); i++ {
			for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
				keys[j], keys[j-1] = keys[j-1], keys[j]
			}
		}
		for _, k := range keys {
			if !yield(k, extra[k]) {
				return
			}
		}
	}
}

const hex = "0123456789abcdef"

// writeString writes s as a JSON string, escaping as encoding/json does
// without HTML escaping; invalid UTF-8 becomes U+FFFD.
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
