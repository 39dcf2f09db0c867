package docgen

import (
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/policies"
)

// TestDocsUpToDate fails when docs/controls or docs/frameworks.md no longer
// match the library: regenerate them with `go run ./cmd/vigil docs generate`.
func TestDocsUpToDate(t *testing.T) {
	lib, err := library.Load(policies.FS())
	if err != nil {
		t.Fatal(err)
	}
	if problems := Check(lib, "../../docs"); len(problems) > 0 {
		t.Errorf("generated docs are out of date; run `go run ./cmd/vigil docs generate`:\n  %s", strings.Join(problems, "\n  "))
	}
}
