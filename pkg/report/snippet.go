package report

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// maxSourceFile bounds what Sources reads: a file this large was not a
// manifest the scan read either.
const maxSourceFile = 32 << 20

// Sources reads the lines of source files for snippets and fixes. Each
// file is read at most once; files that cannot be read (stdin, rendered
// templates, files gone since the scan) simply have no lines. A Sources is
// not safe for concurrent use.
type Sources struct {
	root  string
	files map[string][]string
}

// NewSources returns a reader that resolves relative paths against root
// ("" is the working directory, where a scan's relative paths start).
func NewSources(root string) *Sources {
	return &Sources{root: root, files: map[string][]string{}}
}

// Line returns line n (1-based) of a file, without its line ending.
func (s *Sources) Line(path string, n int) (string, bool) {
	lines, ok := s.files[path]
	if !ok {
		lines = readLines(s.resolve(path))
		s.files[path] = lines
	}
	if n < 1 || n > len(lines) {
		return "", false
	}
	return lines[n-1], true
}

func (s *Sources) resolve(path string) string {
	if s.root == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(s.root, path)
}

func readLines(path string) []string {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSourceFile+1))
	if err != nil || len(data) > maxSourceFile {
		return nil
	}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// sensitiveKey matches keys that usually hold credentials.
var sensitiveKey = regexp.MustCompile(`(?i)(passw(or)?d|secret|token|api[_-]?key|private[_-]?key|credential|auth|bearer)`)

// tokenLike matches long runs of base64 or URL-safe characters, as keys
// and tokens are written; lowercase hex (image digests) does not match the
// mixed-case check in looksLikeToken.
var tokenLike = regexp.MustCompile(`[A-Za-z0-9+/=_-]{32,}`)

// envValue matches paths to the value of an environment variable, where
// credentials are often written inline.
var envValue = regexp.MustCompile(`(^|\.)env\[\d+\]\.value$`)

// SnippetAllowed reports whether a source line may be quoted in a report.
// Reports travel further than manifests (CI logs, code-scanning UIs), so a
// line is never quoted from a Secret, at a path that usually holds a
// credential, or when it looks like it holds one itself. kind is the kind
// of the object the line belongs to and path the finding path within it.
func SnippetAllowed(kind, path, line string) bool {
	if kind == "Secret" || envValue.MatchString(path) {
		return false
	}
	if strings.Contains(line, "-----BEGIN") {
		return false
	}
	if key, value, ok := splitKeyValue(line); ok && sensitiveKey.MatchString(key) && !plainLiteral(value) {
		return false
	}
	for _, m := range tokenLike.FindAllString(line, -1) {
		if looksLikeToken(m) {
			return false
		}
	}
	return true
}

// splitKeyValue splits "key: value" and "key=value" (YAML, JSON, flags).
func splitKeyValue(line string) (key, value string, ok bool) {
	i := strings.IndexAny(line, ":=")
	if i < 0 {
		return "", "", false
	}
	return line[:i], strings.TrimSpace(line[i+1:]), true
}

// plainLiteral reports values that cannot be a credential: nothing, a
// nested block, booleans and numbers.
func plainLiteral(v string) bool {
	v = strings.Trim(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), ",")), `"'`)
	switch strings.ToLower(v) {
	case "", "{", "[", "|", ">", "true", "false", "null", "~":
		return true
	}
	for _, c := range v {
		if (c < '0' || c > '9') && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

func looksLikeToken(s string) bool {
	var lower, upper, digit bool
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		}
	}
	return lower && upper && digit
}
