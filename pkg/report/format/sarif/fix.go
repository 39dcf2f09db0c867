package sarif

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/report"
)

type fix struct {
	Description     message          `json:"description"`
	ArtifactChanges []artifactChange `json:"artifactChanges"`
}

type artifactChange struct {
	ArtifactLocation artifactLocation `json:"artifactLocation"`
	Replacements     []replacement    `json:"replacements"`
}

type replacement struct {
	DeletedRegion   region          `json:"deletedRegion"`
	InsertedContent artifactContent `json:"insertedContent"`
}

// fix returns a SARIF fix for an alert when every one of its fix paths
// sets a value that is written in the file as `key: value` on one line, so
// the fix is a replacement of exactly that value. Anything else (a field
// to add, a placeholder value, a path to delete) cannot be expressed
// safely as text replacements and is only described (describeFixes):
// a partial fix would be worse than none.
func (rb *resultBuilder) fix(o *object.Object, a *engine.Alert) (fix, bool) {
	if len(a.FixPaths) == 0 || len(a.DeletePaths) > 0 {
		return fix{}, false
	}
	var changes []artifactChange
	byFile := map[string]int{}
	var descs []string
	for _, fp := range a.FixPaths {
		target, p, ok := report.PathTarget(o, a, fp.Path)
		if !ok {
			return fix{}, false
		}
		rep, ok := rb.replacement(target, p, fp.Value)
		if !ok {
			return fix{}, false
		}
		file := target.Source.Path
		i, seen := byFile[file]
		if !seen {
			i = len(changes)
			byFile[file] = i
			changes = append(changes, artifactChange{ArtifactLocation: artifactLocation{URI: artifactURI(file)}})
		}
		changes[i].Replacements = append(changes[i].Replacements, rep)
		descs = append(descs, fmt.Sprintf("set %s to %s", fp.Path, fp.Value))
	}
	return fix{Description: message{Text: capitalize(strings.Join(descs, "; "))}, ArtifactChanges: changes}, true
}

// replacement replaces the value at path p of object o with value, when
// the value is a scalar written on the same line as its key.
func (rb *resultBuilder) replacement(o *object.Object, p, value string) (replacement, bool) {
	if placeholder(value) || o.Source.Path == "" {
		return replacement{}, false
	}
	segs, ok := report.SplitPath(p)
	if !ok || len(segs) == 0 || segs[len(segs)-1].IsIndex {
		return replacement{}, false
	}
	key := segs[len(segs)-1].Key
	pos, ok := o.Positions.Lookup(p)
	if !ok {
		return replacement{}, false
	}
	cur, ok := report.ValueAt(o, p)
	if !ok {
		return replacement{}, false
	}
	line, ok := rb.sources.Line(o.Source.Path, pos.Line)
	if !ok {
		return replacement{}, false
	}
	isJSON := strings.EqualFold(filepath.Ext(o.Source.Path), ".json")
	start, end, ok := valueSpan(line, pos.Column, key, isJSON)
	if !ok {
		return replacement{}, false
	}
	old := string([]rune(line)[start:end])
	// The text found must be the value the object holds, or the line is
	// not what the scan read (file changed, multi-line scalar, alias).
	if !tokenMatches(old, cur) {
		return replacement{}, false
	}
	text := render(value, old, isJSON)
	if text == old {
		return replacement{}, false
	}
	return replacement{
		DeletedRegion:   region{StartLine: pos.Line, StartColumn: start + 1, EndColumn: end + 1},
		InsertedContent: artifactContent{Text: text},
	}, true
}

// placeholder reports fix values the user must choose (Kubescape writes
// YOUR_VALUE), which are no fix to apply.
func placeholder(v string) bool {
	return v == "" || strings.HasPrefix(v, "YOUR_")
}

// valueSpan finds, on a line, the scalar value of the mapping key that
// starts at 1-based column col, and returns its rune offsets [start, end).
// It fails unless the line holds `key: value` (or `"key": value,` in JSON
// or a flow mapping) with a complete scalar value.
func valueSpan(line string, col int, key string, isJSON bool) (int, int, bool) {
	rs := []rune(line)
	i := col - 1
	if i < 0 || i >= len(rs) {
		return 0, 0, false
	}
	// In a flow collection ({...} or JSON) a plain value ends at , ] or }.
	flow := isJSON || strings.ContainsAny(string(rs[:i]), "{[")
	k, j, ok := scanKey(rs, i)
	if !ok || k != key {
		return 0, 0, false
	}
	j = skipBlanks(rs, j)
	if j >= len(rs) || rs[j] != ':' {
		return 0, 0, false
	}
	start := skipBlanks(rs, j+1)
	end, ok := scanScalar(rs, start, flow)
	if !ok {
		return 0, 0, false
	}
	if !endsValue(rs, end, flow) {
		return 0, 0, false
	}
	return start, end, true
}

// scanKey reads a plain or quoted mapping key at rs[i] and returns it
// unquoted with the offset after it.
func scanKey(rs []rune, i int) (string, int, bool) {
	if rs[i] == '"' || rs[i] == '\'' {
		end, ok := scanQuoted(rs, i)
		if !ok {
			return "", 0, false
		}
		k, ok := unquote(string(rs[i:end]))
		return k, end, ok
	}
	j := i
	for j < len(rs) && rs[j] != ':' {
		j++
	}
	return strings.TrimRight(string(rs[i:j]), " \t"), j, j > i
}

// scanScalar returns the end of the scalar value starting at rs[i]. Block
// scalars, nested collections, anchors, aliases and tags are not scalars
// that can be replaced in place.
func scanScalar(rs []rune, i int, flow bool) (int, bool) {
	if i >= len(rs) {
		return 0, false
	}
	switch rs[i] {
	case '"', '\'':
		return scanQuoted(rs, i)
	case '{', '[', '|', '>', '&', '*', '!', '%', '@', '`', '#', ',', ']', '}', '?':
		return 0, false
	}
	j := i
	for ; j < len(rs); j++ {
		c := rs[j]
		if c == '#' && (rs[j-1] == ' ' || rs[j-1] == '\t') {
			break
		}
		if flow && (c == ',' || c == ']' || c == '}') {
			break
		}
		if c == ':' && (j+1 == len(rs) || rs[j+1] == ' ') {
			return 0, false // "a: b: c" is not a scalar
		}
	}
	for j > i && (rs[j-1] == ' ' || rs[j-1] == '\t') {
		j--
	}
	return j, j > i
}

// scanQuoted returns the offset after the quoted scalar starting at rs[i].
func scanQuoted(rs []rune, i int) (int, bool) {
	q := rs[i]
	for j := i + 1; j < len(rs); j++ {
		switch {
		case q == '"' && rs[j] == '\\':
			j++
		case rs[j] == q && q == '\'' && j+1 < len(rs) && rs[j+1] == '\'':
			j++
		case rs[j] == q:
			return j + 1, true
		}
	}
	return 0, false // continues on the next line
}

// endsValue reports whether what follows a scalar ends it: nothing, a
// comment, or in a flow collection the next separator.
func endsValue(rs []rune, end int, flow bool) bool {
	rest := strings.TrimLeft(string(rs[end:]), " \t")
	switch {
	case rest == "":
		return true
	case rest[0] == '#':
		return end < len(rs) && (rs[end] == ' ' || rs[end] == '\t')
	case flow:
		return rest[0] == ',' || rest[0] == ']' || rest[0] == '}'
	}
	return false
}

func skipBlanks(rs []rune, i int) int {
	for i < len(rs) && (rs[i] == ' ' || rs[i] == '\t') {
		i++
	}
	return i
}

// unquote decodes a double- or single-quoted scalar.
func unquote(tok string) (string, bool) {
	switch {
	case len(tok) >= 2 && tok[0] == '"':
		var s string
		if err := json.Unmarshal([]byte(tok), &s); err != nil {
			return "", false
		}
		return s, true
	case len(tok) >= 2 && tok[0] == '\'':
		return strings.ReplaceAll(tok[1:len(tok)-1], "''", "'"), true
	}
	return tok, true
}

func quoted(tok string) bool { return tok != "" && (tok[0] == '"' || tok[0] == '\'') }

// tokenMatches reports whether the text of a scalar is the value the
// object holds. Plain scalars that YAML reads differently from how they
// are written (yes, 0o644, 1e3) do not match, which only means no fix.
func tokenMatches(tok string, cur ast.Value) bool {
	text, ok := unquote(tok)
	if !ok {
		return false
	}
	switch v := cur.(type) {
	case ast.String:
		return text == string(v)
	case ast.Boolean, ast.Number:
		return !quoted(tok) && text == v.String()
	case ast.Null:
		return !quoted(tok) && (text == "null" || text == "~")
	}
	return false
}

// plainSafe matches values YAML reads back as the same string when
// written unquoted (literals aside, see render).
var plainSafe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./@+-]*$`)

// render writes a fix value as it must appear in the file. Fix values are
// YAML text: "false" means the boolean, "RuntimeDefault" the string.
// Literals are written bare; strings keep the old value's quoting, or are
// quoted when they would not read back as themselves.
func render(value, old string, isJSON bool) string {
	if literal(value) {
		return value
	}
	switch {
	case isJSON:
		b, _ := json.Marshal(value)
		return string(b)
	case strings.HasPrefix(old, "'"):
		return "'" + strings.ReplaceAll(value, "'", "''") + "'"
	case !quoted(old) && plainSafe.MatchString(value):
		return value
	}
	b, _ := json.Marshal(value) // a JSON string is a YAML double-quoted scalar
	return string(b)
}

// literal reports booleans, null and numbers.
func literal(v string) bool {
	switch v {
	case "true", "false", "null":
		return true
	}
	if v == "" || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
		return false
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil && json.Valid([]byte(v))
}

// describeFixes says in words what an alert's fix and delete paths ask for,
// for results whose fix cannot be a SARIF fix.
func describeFixes(a *engine.Alert) []string {
	var out []string
	for _, fp := range a.FixPaths {
		if placeholder(fp.Value) {
			out = append(out, fmt.Sprintf("set %s to a value of your choice", fp.Path))
		} else {
			out = append(out, fmt.Sprintf("set %s to %s", fp.Path, fp.Value))
		}
	}
	for _, p := range a.DeletePaths {
		out = append(out, "remove "+p)
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
