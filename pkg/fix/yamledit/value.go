package yamledit

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Kind is the type of a Value.
type Kind int

// Value kinds.
const (
	Null   Kind = iota // null
	Bool               // true or false
	Int                // an integer, Text as written
	Float              // a float, Text as written
	String             // a string, Text itself
	Map                // a map, in Map
	List               // a list, in List
)

// Value is a value to write. Scalars keep the text they were given (an
// integer "0400" stays octal); maps and lists are rendered in the style of
// the place they go to (block, flow or JSON). Values are rendered here,
// never passed through as YAML text, so no value can smuggle in anchors,
// tags, comments or extra keys.
type Value struct {
	Kind Kind
	// Text is the scalar: "true"/"false", an integer or float as written,
	// or the string itself.
	Text string
	// Map holds a map's entries. They are written in key order, except
	// that apiVersion, kind and name come first, as people write them.
	Map map[string]Value
	// List holds a list's items.
	List []Value
}

// StringValue builds a string. It is quoted when written only if it must
// be (it would read as another type, or holds special characters), or
// when it replaces a quoted string.
func StringValue(s string) Value { return Value{Kind: String, Text: s} }

// BoolValue builds a boolean.
func BoolValue(b bool) Value { return Value{Kind: Bool, Text: strconv.FormatBool(b)} }

var (
	intRE   = regexp.MustCompile(`^[-+]?(0|[1-9][0-9]*|0[0-7]+|0o[0-7]+|0x[0-9a-fA-F]+)$`)
	floatRE = regexp.MustCompile(`^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)
)

// IntValue builds an integer from its text, which must be a YAML integer
// (decimal, 0x hex, 0o or leading-zero octal).
func IntValue(text string) (Value, error) {
	if !intRE.MatchString(text) {
		return Value{}, fmt.Errorf("%q is not an integer", text)
	}
	if _, ok := parseInt(text); !ok {
		return Value{}, fmt.Errorf("%q is out of range", text)
	}
	return Value{Kind: Int, Text: text}, nil
}

// FloatValue builds a float from its text.
func FloatValue(text string) (Value, error) {
	if !floatRE.MatchString(text) {
		return Value{}, fmt.Errorf("%q is not a number", text)
	}
	x, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(x, 0) {
		return Value{}, fmt.Errorf("%q is out of range", text)
	}
	return Value{Kind: Float, Text: text}, nil
}

// Data is the value as Kubernetes would read it once written.
func (v Value) Data() any {
	switch v.Kind {
	case Bool:
		return v.Text == "true"
	case Int:
		x, _ := parseInt(v.Text)
		return x
	case Float:
		x, _ := strconv.ParseFloat(v.Text, 64)
		return x
	case String:
		return v.Text
	case Map:
		m := make(map[string]any, len(v.Map))
		for k, e := range v.Map {
			m[k] = e.Data()
		}
		return m
	case List:
		l := make([]any, 0, len(v.List))
		for _, e := range v.List {
			l = append(l, e.Data())
		}
		return l
	}
	return nil
}

// IsScalar reports whether the value is not a map or list.
func (v Value) IsScalar() bool { return v.Kind != Map && v.Kind != List }

// String renders the value for messages, in flow style.
func (v Value) String() string { return renderFlow(v, style{quote: '"'}) }

// keyRank puts the keys that identify an object or item first.
var keyRank = map[string]int{"apiVersion": 3, "kind": 2, "name": 1}

func (v Value) keys() []string {
	ks := make([]string, 0, len(v.Map))
	for k := range v.Map {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		ri, rj := keyRank[ks[i]], keyRank[ks[j]]
		if ri != rj {
			return ri > rj
		}
		return ks[i] < ks[j]
	})
	return ks
}

// style is how new text is written where it goes.
type style struct {
	json bool // JSON syntax: double-quoted keys and strings, decimal integers
	flow bool // inside a flow collection
	// quote is the quote character strings that need quoting get.
	quote byte
	// keepQuote quotes a string even when it could be plain: the value it
	// replaces was quoted.
	keepQuote bool
	step      int // block indentation step
	seqIndent int // how much deeper than its key a block sequence's dashes are
	dashGap   int // how far right of its dash an item starts ("- " is 2)
}

// reserved are plain words YAML 1.1 or 1.2 reads as something other than a
// string; strings equal to them are quoted.
var reserved = map[string]bool{
	"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true, "y": true, "n": true,
	"null": true, "~": true,
}

var (
	// plainRE may start with dashes ("--read-only") as long as a letter
	// follows: "-1" is a number, "- x" an item.
	plainRE = regexp.MustCompile(`^(-*[A-Za-z]|[_/])[A-Za-z0-9_./@=+-]*(:[A-Za-z0-9_./@=+-]+)*$`)
	// unitRE are quantities and versions ("500m", "128Mi", "2h"): plain
	// strings that start with a digit.
	unitRE = regexp.MustCompile(`^[0-9][A-Za-z0-9_./@=+-]*$`)
)

// plainSafe reports whether s can be written unquoted and still read back
// as the same string by YAML 1.1 and 1.2 readers alike. It is deliberately
// narrow: anything doubtful is quoted.
func plainSafe(s string, flow bool) bool {
	if unitRE.MatchString(s) {
		// A letter outside every number syntax (exponents, 0x, 0o, 0b)
		// keeps it from reading as a number, and without ":" it cannot
		// be a time or a sexagesimal number.
		numeric := "eExXoObB"
		if strings.ContainsAny(s, "xX") {
			numeric += "abcdefABCDEF"
		}
		return strings.ContainsFunc(s, func(r rune) bool {
			return (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') && !strings.ContainsRune(numeric, r)
		})
	}
	if !plainRE.MatchString(s) || reserved[strings.ToLower(s)] {
		return false
	}
	return !flow || !strings.Contains(s, ":")
}

func renderScalar(v Value, st style) string {
	switch v.Kind {
	case Null:
		return "null"
	case Bool, Float:
		return v.Text
	case Int:
		if st.json {
			switch x := v.Data().(type) {
			case int64:
				return strconv.FormatInt(x, 10)
			case uint64:
				return strconv.FormatUint(x, 10)
			}
		}
		return v.Text
	case String:
		switch {
		case st.json:
			return doubleQuote(v.Text)
		case !st.keepQuote && plainSafe(v.Text, st.flow):
			return v.Text
		case st.quote == '\'':
			return "'" + strings.ReplaceAll(v.Text, "'", "''") + "'"
		}
		return doubleQuote(v.Text)
	}
	return renderFlow(v, st)
}

// doubleQuote writes a YAML double-quoted scalar, which is also a JSON
// string.
func doubleQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func renderKey(k string, st style) string {
	if st.json || !plainSafe(k, st.flow) {
		return doubleQuote(k)
	}
	return k
}

// renderFlow writes a value in flow style: {a: 1, b: [x]}.
func renderFlow(v Value, st style) string {
	st.flow = true
	st.keepQuote = false
	switch v.Kind {
	case Map:
		parts := make([]string, 0, len(v.Map))
		for _, k := range v.keys() {
			parts = append(parts, renderKey(k, st)+": "+renderFlow(v.Map[k], st))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case List:
		parts := make([]string, 0, len(v.List))
		for _, e := range v.List {
			parts = append(parts, renderFlow(e, st))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return renderScalar(v, st)
}

// renderEntry writes "key: value" as block lines at indent.
func renderEntry(key string, v Value, indent int, st style) []string {
	pad := strings.Repeat(" ", indent)
	k := renderKey(key, st)
	switch {
	case v.Kind == Map && len(v.Map) > 0:
		lines := []string{pad + k + ":"}
		for _, ck := range v.keys() {
			lines = append(lines, renderEntry(ck, v.Map[ck], indent+st.step, st)...)
		}
		return lines
	case v.Kind == List && len(v.List) > 0:
		lines := []string{pad + k + ":"}
		for _, e := range v.List {
			lines = append(lines, renderItem(e, indent+st.seqIndent, st)...)
		}
		return lines
	}
	if v.IsScalar() {
		return []string{pad + k + ": " + renderScalar(v, st)}
	}
	return []string{pad + k + ": " + renderFlow(v, st)}
}

// renderItem writes "- value" as block lines with the dash at indent.
func renderItem(v Value, indent int, st style) []string {
	gap := max(st.dashGap, 2)
	dash := strings.Repeat(" ", indent) + "-" + strings.Repeat(" ", gap-1)
	if v.Kind == Map && len(v.Map) > 0 {
		var lines []string
		for _, k := range v.keys() {
			lines = append(lines, renderEntry(k, v.Map[k], indent+gap, st)...)
		}
		lines[0] = dash + lines[0][indent+gap:]
		return lines
	}
	if v.IsScalar() {
		return []string{dash + renderScalar(v, st)}
	}
	return []string{dash + renderFlow(v, st)}
}

// literal writes s as a literal block scalar ("|") with its lines at
// column col and the chomping indicator its final newlines need. It
// reports false for text a literal block cannot hold as it is: a first
// line starting with a space (that would need an indentation indicator),
// carriage returns or other control characters.
func literal(s string, col int, eol string) (string, bool) {
	body := strings.TrimRight(s, "\n")
	trailing := len(s) - len(body)
	if body == "" || body[0] == ' ' || body[0] == '\t' {
		return "", false
	}
	for _, r := range body {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff {
			return "", false
		}
	}
	header := "|"
	switch {
	case trailing == 0:
		header = "|-"
	case trailing > 1:
		header = "|+"
	}
	lines := strings.Split(body, "\n")
	for range trailing - 1 {
		lines = append(lines, "")
	}
	pad := strings.Repeat(" ", col)
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return header + eol + strings.Join(lines, eol), true
}

// firstContent returns the first line of b with text on it and its
// indentation.
func firstContent(b []byte) (string, int) {
	for _, l := range strings.Split(string(b), "\n") {
		t := strings.TrimLeft(l, " ")
		if strings.TrimSpace(t) != "" {
			return t, len(l) - len(t)
		}
	}
	return "", 0
}
