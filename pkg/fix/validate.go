package fix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/vigilsec/vigil/pkg/fix/yamledit"
)

// Limits on what a report may ask for. A report is input like any other
// file: a crafted one must not be able to write structure, or much of
// anything, through a fix.
const (
	maxPathLen   = 512
	maxPathDepth = 32
	maxIndex     = 1000
	maxValueLen  = 1024
	maxEntries   = 32
	maxDepth     = 4
)

// keyRE is a path key: Kubernetes field names and the parts of label and
// annotation keys between dots ("app.kubernetes.io/name" is three keys
// joined back by the editor).
var keyRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_/-]*$`)

// mapKeyRE is a key of a map value: label-like keys, dots included.
var mapKeyRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./-]*$`)

// ParsePath parses a dotted path with [i] indexes ("a.b[0].c").
func ParsePath(p string) ([]yamledit.Step, error) {
	if p == "" {
		return nil, fmt.Errorf("empty path")
	}
	if len(p) > maxPathLen {
		return nil, fmt.Errorf("path longer than %d characters", maxPathLen)
	}
	var steps []yamledit.Step
	for i := 0; i < len(p); {
		j := i
		for j < len(p) && p[j] != '.' && p[j] != '[' {
			j++
		}
		key := p[i:j]
		if !keyRE.MatchString(key) {
			return nil, fmt.Errorf("path %q: key %q is empty or has characters other than letters, digits, '_', '-' and '/'", p, key)
		}
		steps = append(steps, yamledit.Step{Key: key})
		for j < len(p) && p[j] == '[' {
			k := strings.IndexByte(p[j:], ']')
			if k < 0 {
				return nil, fmt.Errorf("path %q: unclosed [", p)
			}
			n, err := strconv.Atoi(p[j+1 : j+k])
			if err != nil || n < 0 || n > maxIndex || p[j+1] == '+' {
				return nil, fmt.Errorf("path %q: index %q is not a number from 0 to %d", p, p[j+1:j+k], maxIndex)
			}
			steps = append(steps, yamledit.Step{Index: n, IsIndex: true})
			j += k + 1
		}
		if j < len(p) {
			if p[j] != '.' || j == len(p)-1 {
				return nil, fmt.Errorf("path %q: unexpected %q at offset %d", p, p[j:], j)
			}
			j++
		}
		i = j
	}
	if len(steps) > maxPathDepth {
		return nil, fmt.Errorf("path %q is deeper than %d steps", p, maxPathDepth)
	}
	return steps, nil
}

var intRE = regexp.MustCompile(`^-?(0|[1-9][0-9]{0,17}|0[0-7]{1,11})$`)

// ParseValue turns a report's fix value, always a string, into the value
// to write: true and false are booleans, integers (0400 is octal, a file
// mode) are integers, small JSON maps and lists are maps and lists, and
// everything else is a string, which the editor quotes as needed.
func ParseValue(s string) (yamledit.Value, error) {
	if len(s) > maxValueLen {
		return yamledit.Value{}, fmt.Errorf("value longer than %d characters", maxValueLen)
	}
	if err := checkText(s); err != nil {
		return yamledit.Value{}, err
	}
	switch {
	case s == "true" || s == "false":
		return yamledit.BoolValue(s == "true"), nil
	case s == "null" || s == "":
		return yamledit.Value{}, fmt.Errorf("value %q would remove the field; only deletePaths do that", s)
	case intRE.MatchString(s):
		return yamledit.IntValue(s)
	case s[0] == '{' || s[0] == '[':
		dec := json.NewDecoder(bytes.NewReader([]byte(s)))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil || dec.More() {
			return yamledit.StringValue(s), nil
		}
		return jsonValue(v, 0)
	}
	return yamledit.StringValue(s), nil
}

// checkText refuses control characters (C0, DEL, C1) and the characters
// YAML 1.1 or a terminal read as line breaks or invisible marks (U+2028,
// U+2029, the BOM).
func checkText(s string) error {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			return fmt.Errorf("value %q has control characters", s)
		}
	}
	return nil
}

func jsonValue(v any, depth int) (yamledit.Value, error) {
	if depth > maxDepth {
		return yamledit.Value{}, fmt.Errorf("value nested deeper than %d levels", maxDepth)
	}
	switch x := v.(type) {
	case bool:
		return yamledit.BoolValue(x), nil
	case string:
		// JSON escapes (\n, \u0000) pass the check of the raw text.
		if err := checkText(x); err != nil {
			return yamledit.Value{}, err
		}
		return yamledit.StringValue(x), nil
	case json.Number:
		if intRE.MatchString(x.String()) {
			return yamledit.IntValue(x.String())
		}
		return yamledit.FloatValue(x.String())
	case map[string]any:
		if len(x) > maxEntries {
			return yamledit.Value{}, fmt.Errorf("map value with more than %d entries", maxEntries)
		}
		out := yamledit.Value{Kind: yamledit.Map, Map: map[string]yamledit.Value{}}
		for k, e := range x {
			if !mapKeyRE.MatchString(k) || len(k) > 253 {
				return yamledit.Value{}, fmt.Errorf("map value key %q has unsafe characters", k)
			}
			ev, err := jsonValue(e, depth+1)
			if err != nil {
				return yamledit.Value{}, err
			}
			out.Map[k] = ev
		}
		return out, nil
	case []any:
		if len(x) > maxEntries {
			return yamledit.Value{}, fmt.Errorf("list value with more than %d items", maxEntries)
		}
		out := yamledit.Value{Kind: yamledit.List}
		for _, e := range x {
			ev, err := jsonValue(e, depth+1)
			if err != nil {
				return yamledit.Value{}, err
			}
			out.List = append(out.List, ev)
		}
		return out, nil
	}
	return yamledit.Value{}, fmt.Errorf("null in value")
}

var placeholderRE = regexp.MustCompile(`YOUR_|<[A-Za-z][A-Za-z _-]*>|(?i)\b(change[_-]?me|replace[_-]?me)\b`)

// IsPlaceholder reports whether a fix value stands for something only the
// user knows (YOUR_CPU_LIMIT, <image digest>, CHANGE_ME).
func IsPlaceholder(v string) bool { return placeholderRE.MatchString(v) }
