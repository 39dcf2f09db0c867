// Package testfs writes file trees for tests.
package testfs

import (
	"os"
	"path/filepath"
	"testing"
)

// Tree writes files (slash-separated name → content) into a new temporary
// directory and returns it.
func Tree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	TreeAt(t, dir, files)
	return dir
}

// TreeAt writes files under dir, creating directories as needed.
func TreeAt(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		File(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
}

// File writes one file, creating its directory, and returns its path.
func File(t testing.TB, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
