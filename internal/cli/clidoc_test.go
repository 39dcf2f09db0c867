package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCLIReferenceUpToDate fails when docs/CLI.md no longer matches the
// commands: regenerate it with `go run ./cmd/vigil docs generate`.
func TestCLIReferenceUpToDate(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "docs", CLIReferenceFile))
	if err != nil {
		t.Fatal(err)
	}
	got := CLIReference()
	if !bytes.Equal(got, want) {
		t.Errorf("docs/%s is out of date; run `go run ./cmd/vigil docs generate`", CLIReferenceFile)
	}
	for _, cmd := range []string{"## vigil scan\n", "## vigil scan host\n", "## vigil fix\n", "## vigil host serve\n", "## vigil exceptions audit\n"} {
		if !bytes.Contains(got, []byte(cmd)) {
			t.Errorf("the reference lacks %q", cmd)
		}
	}
}
