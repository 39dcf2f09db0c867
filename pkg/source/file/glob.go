package file

import (
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

func hasGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// Glob expands a pattern like filepath.Glob and also understands "**" as
// any number of directories. Directories matched by the pattern are walked
// for manifests.
func Glob(pattern string) ([]string, error) {
	pattern = filepath.ToSlash(pattern)
	if _, err := path.Match(strings.ReplaceAll(pattern, "**", "*"), ""); err != nil {
		return nil, err
	}
	segs := strings.Split(pattern, "/")
	base := 0
	for base < len(segs) && !hasGlob(segs[base]) {
		base++
	}
	root := strings.Join(segs[:base], "/")
	if root == "" {
		if strings.HasPrefix(pattern, "/") {
			root = "/"
		} else {
			root = "."
		}
	}
	rest := segs[base:]
	var out []string
	_ = filepath.WalkDir(filepath.FromSlash(root), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(filepath.FromSlash(root), p)
		if rel == "." {
			return nil
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			// Hidden directories (.git) are entered only when the pattern
			// names them explicitly.
			if i := len(parts) - 1; i >= len(rest) || !strings.HasPrefix(rest[i], ".") {
				return fs.SkipDir
			}
		}
		if matchSegments(rest, parts) {
			if d.IsDir() {
				files, _ := walk(p)
				out = append(out, files...)
				return fs.SkipDir
			}
			out = append(out, p)
			return nil
		}
		if d.IsDir() && !canMatchBelow(rest, parts) {
			return fs.SkipDir
		}
		return nil
	})
	sort.Strings(out)
	return dedupe(out), nil
}

func matchSegments(pat, parts []string) bool {
	if len(pat) == 0 {
		return len(parts) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(parts); i++ {
			if matchSegments(pat[1:], parts[i:]) {
				return true
			}
		}
		return false
	}
	if len(parts) == 0 {
		return false
	}
	ok, _ := path.Match(pat[0], parts[0])
	return ok && matchSegments(pat[1:], parts[1:])
}

// canMatchBelow reports whether some path under the directory parts could
// still match the pattern.
func canMatchBelow(pat, parts []string) bool {
	for i, p := range parts {
		if i >= len(pat) {
			return false
		}
		if pat[i] == "**" {
			return true
		}
		if ok, _ := path.Match(pat[i], p); !ok {
			return false
		}
	}
	return len(pat) > len(parts)
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
