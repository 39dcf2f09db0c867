package yamledit

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The checks here are the tests' own account of what an edit must do. They
// read documents with plain yaml.v3 decoding and split them with their own
// code, so that a mistake in the package's reading (or in its own
// verification of an edit) is not hidden by the same mistake here; only
// the trivial setIn/deleteIn on data are shared.

var separatorRE = regexp.MustCompile(`^---([ \t].*)?$`)

// splitDocs cuts a stream on separator lines.
func splitDocs(data []byte) [][]byte {
	var docs [][]byte
	start := 0
	for pos := 0; pos < len(data); {
		next := len(data)
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		if l := bytes.TrimRight(data[pos:next], "\r\n"); separatorRE.Match(l) {
			docs = append(docs, data[start:pos])
			// Content after "--- " starts the next document, as in
			// pkg/manifest (strict YAML would refuse a mapping there).
			start = next
			if rest := bytes.TrimSpace(l[3:]); len(rest) > 0 && rest[0] != '#' {
				start = pos + 3
			}
		}
		pos = next
	}
	return append(docs, data[start:])
}

func decodeDoc(b []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	if keysCollide(v) {
		return nil, fmt.Errorf("two keys (0 and \"0\") are one as JSON")
	}
	return normalize(v), nil
}

func keysCollide(v any) bool {
	switch x := v.(type) {
	case map[any]any:
		seen := map[string]bool{}
		for k, e := range x {
			ks := fmt.Sprint(k)
			if k == nil {
				ks = "null"
			}
			if seen[ks] || keysCollide(e) {
				return true
			}
			seen[ks] = true
		}
	case map[string]any:
		for _, e := range x {
			if keysCollide(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if keysCollide(e) {
				return true
			}
		}
	}
	return false
}

// normalize turns maps with non-string keys into string-keyed maps, as
// JSON (and so Kubernetes) sees them.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			if k == nil {
				m["null"] = normalize(e)
				continue
			}
			m[fmt.Sprint(k)] = normalize(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	case int:
		return int64(x)
	}
	return v
}

// checkData checks that after is before with document doc edited at path
// (set to want, or deleted) and every other document byte for byte equal.
func checkData(before, after []byte, doc int, path []Step, del bool, want any) error {
	bd, ad := splitDocs(before), splitDocs(after)
	if len(bd) != len(ad) {
		return fmt.Errorf("%d documents became %d", len(bd), len(ad))
	}
	for i := range bd {
		if i != doc && !bytes.Equal(bd[i], ad[i]) {
			return fmt.Errorf("document %d changed:\n%q\nbecame\n%q", i, bd[i], ad[i])
		}
	}
	in, err := decodeDoc(bd[doc])
	if err != nil {
		return fmt.Errorf("the input does not decode: %v", err)
	}
	out, err := decodeDoc(ad[doc])
	if err != nil {
		return fmt.Errorf("the output does not parse: %v", err)
	}
	var exp any
	if del {
		exp, err = deleteIn(in, path)
	} else {
		exp, err = setIn(in, path, normalize(want))
	}
	if err != nil {
		return fmt.Errorf("the edit does not apply to the input's data: %v", err)
	}
	if !reflect.DeepEqual(out, exp) {
		return fmt.Errorf("data differs:\n got %#v\nwant %#v", out, exp)
	}
	return nil
}

// splitLines splits a text into lines without their breaks: line
// endings and the final newline are checked apart (lineEndingsKept), and
// without a final newline, removing the last line takes the break of the
// line before, which is not a rewrite of that line.
func splitLines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	out := strings.Split(s, "\n")
	for i, l := range out {
		out[i] = strings.TrimSuffix(l, "\r")
	}
	return out
}

// changedLines compares two texts line by line: past their common first
// and last lines, how many old lines are gone and how many new ones came
// (by longest common subsequence, so lines kept in between count as kept).
func changedLines(a, b []string) (gone, came int) {
	r := changedRegion(a, b)
	return r.gone, r.came
}

// region is where two texts differ: past prefix shared lines, old lines
// of the first text and new lines of the second, of which gone and came
// are not matched by the other.
type region struct{ prefix, old, new, gone, came int }

func changedRegion(a, b []string) region {
	prefix := 0
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
		prefix++
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	return region{prefix, n, m, n - lcs[0][0], m - lcs[0][0]}
}

// checkLine checks the line a Change reports: the lines before it are
// the same before and after the edit (but for the one line an insert or a
// delete may rewrite above it: a comma, a "{}"), and it exists.
func checkLine(before, after []byte, ch Change) error {
	if ch.Kind == "none" {
		return nil
	}
	a, b := splitLines(before), splitLines(after)
	if ch.Line < 1 || ch.Line > max(len(a), len(b))+1 {
		return fmt.Errorf("the change reports line %d of %d", ch.Line, len(b))
	}
	// A delete at the end of a file without a final newline takes the
	// blank lines before it too, so the lines above can be fewer.
	n := min(ch.Line-1, len(a), len(b))
	diff := 0
	for i := range n {
		if a[i] != b[i] {
			diff++
		}
	}
	if ch.Kind == "replace" && diff > 0 || diff > 1 {
		return fmt.Errorf("the change reports line %d, but %d lines above it changed", ch.Line, diff)
	}
	return nil
}

// checkMinimal checks that an edit kept every line it is not about: a set
// rewrites at most the one line holding the old value (or the line a new
// entry follows, to add a comma or turn "key:" into "key: {...}"), and
// adds lines only by insertion; a delete removes lines and rewrites at
// most one (the parent's key line, or an item's first line).
func checkMinimal(before, after []byte, del bool, kind string, rewrites int) error {
	gone, came := changedLines(splitLines(before), splitLines(after))
	switch {
	case kind == "none" && (gone > 0 || came > 0):
		return fmt.Errorf("an edit that changed nothing changed the text")
	case kind == "none":
		return nil
	case gone == 0 && came == 0:
		return fmt.Errorf("the text did not change")
	case !del && gone > rewrites:
		return fmt.Errorf("a set rewrote %d lines", gone)
	case del && came > 1:
		return fmt.Errorf("a delete wrote %d lines", came)
	}
	return nil
}
