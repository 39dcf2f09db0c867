package yamledit

import (
	"fmt"
	"strconv"
	"strings"
)

// ParsePath reads a dotted path as scan reports write it
// ("spec.template.spec.containers[0].securityContext.privileged") into
// steps. A key containing dots or brackets may be written in brackets
// and quotes (`metadata.labels["app.kubernetes.io/name"]`); reports never
// do that, so for their paths Set's join does the work instead. The empty
// path is the document root.
func ParsePath(path string) ([]Step, error) {
	var steps []Step
	bad := func(at int, why string) error {
		return fmt.Errorf("path %q, column %d: %s", path, at+1, why)
	}
	i := 0
	// afterStep says a step was just read: a key may follow only after a dot.
	afterStep := false
	for i < len(path) {
		switch c := path[i]; {
		case c == '[':
			end, step, err := parseBracket(path, i)
			if err != nil {
				return nil, bad(i, err.Error())
			}
			steps = append(steps, step)
			i = end
			afterStep = true
		case c == '.':
			if !afterStep {
				return nil, bad(i, "empty key")
			}
			i++
			if i == len(path) || path[i] == '.' || path[i] == '[' {
				return nil, bad(i, "empty key")
			}
			afterStep = false
		default:
			if afterStep {
				return nil, bad(i, `a key must follow a "."`)
			}
			end := i
			for end < len(path) && path[end] != '.' && path[end] != '[' {
				if path[end] == ']' {
					return nil, bad(end, `"]" without "["`)
				}
				end++
			}
			steps = append(steps, Step{Key: path[i:end]})
			i = end
			afterStep = true
		}
	}
	return steps, nil
}

// parseBracket reads "[12]", `["key"]` or "['key']" at path[i].
func parseBracket(path string, i int) (int, Step, error) {
	rest := path[i+1:]
	if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
		q := rest[0]
		var b strings.Builder
		for j := 1; j < len(rest); j++ {
			c := rest[j]
			switch {
			case c == '\\' && q == '"' && j+1 < len(rest):
				j++
				b.WriteByte(rest[j])
			case c == q:
				if j+1 >= len(rest) || rest[j+1] != ']' {
					return 0, Step{}, fmt.Errorf(`a quoted key must end with %c]`, q)
				}
				return i + 1 + j + 2, Step{Key: b.String()}, nil
			default:
				b.WriteByte(c)
			}
		}
		return 0, Step{}, fmt.Errorf("unterminated quoted key")
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0, Step{}, fmt.Errorf(`"[" without "]"`)
	}
	n, err := strconv.Atoi(rest[:end])
	if err != nil || n < 0 || rest[0] == '+' || rest[0] == '-' {
		return 0, Step{}, fmt.Errorf("%q is not a list index", rest[:end])
	}
	return i + 1 + end + 1, Step{Index: n, IsIndex: true}, nil
}
