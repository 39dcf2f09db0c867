package fix

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/vigilsec/vigil/pkg/fix/yamledit"
)

// editTemplate replaces the scalar literal of key (or of a list item,
// for an empty key) whose entry starts at a 1-based line and column of a
// Helm template. Templates are not YAML, so this is a text edit of one
// token, refused unless the token is a plain or quoted scalar with no
// template action in it.
func editTemplate(data []byte, line, col int, key string, v yamledit.Value) ([]byte, error) {
	if line < 1 || col < 1 {
		return nil, fmt.Errorf("template line %d, column %d does not exist", line, col)
	}
	// The template engine reads actions inside quotes too: a value that
	// holds a delimiter would become code.
	val := v.String()
	if strings.Contains(val, "{{") || strings.Contains(val, "}}") {
		return nil, fmt.Errorf("template line %d: the value %s holds a template delimiter; change it by hand", line, val)
	}
	start := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return nil, fmt.Errorf("template line %d does not exist", line)
		}
		start += i + 1
	}
	end := len(data)
	if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
		end = start + i
	}
	text := string(data[start:end])
	text = strings.TrimSuffix(text, "\r")
	// Columns count characters.
	at := 0
	for c := 1; c < col && at < len(text); c++ {
		_, w := utf8.DecodeRuneInString(text[at:])
		at += w
	}
	// Positions name the entry: skip its key, or an item's dash.
	rest := text[at:]
	if key != "" {
		for _, k := range []string{key, `"` + key + `"`, "'" + key + "'"} {
			if strings.HasPrefix(rest, k+":") {
				at += len(k) + 1
				break
			}
		}
		if at == len(text)-len(rest) {
			return nil, fmt.Errorf("template line %d, column %d: no %s key there", line, col, key)
		}
	} else if strings.HasPrefix(rest, "- ") {
		at += 2
	}
	for at < len(text) && (text[at] == ' ' || text[at] == '\t') {
		at++
	}
	tok := text[at:]
	if i := strings.Index(tok, " #"); i >= 0 {
		tok = tok[:i]
	}
	tok = strings.TrimRight(tok, " \t")
	switch {
	case tok == "":
		return nil, fmt.Errorf("template line %d, column %d: no value there", line, col)
	case strings.Contains(tok, "{{"):
		return nil, fmt.Errorf("template line %d: the value is a template action (%s); change it by hand", line, tok)
	case strings.ContainsAny(tok[:1], "|>&*![{,:#%@`") || tok == "-" || strings.HasPrefix(tok, "- "):
		return nil, fmt.Errorf("template line %d: %s is not a plain value", line, tok)
	}
	out := make([]byte, 0, len(data)+16)
	out = append(out, data[:start+at]...)
	out = append(out, val...)
	out = append(out, data[start+at+len(tok):]...)
	return out, nil
}
