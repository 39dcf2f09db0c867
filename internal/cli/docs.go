package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/internal/docgen"
	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/policies"
)

// newDocsCommand generates the control reference from the embedded library,
// as the maintainers do after changing a control.
func newDocsCommand(streams IO) *cobra.Command {
	cmd := &cobra.Command{Use: "docs", Short: "Generate reference documentation", Hidden: true}
	dir := "docs"
	gen := &cobra.Command{
		Use:   "generate",
		Short: "Write docs/controls/*.md, docs/frameworks.md (from the built-in library) and docs/CLI.md (from the commands)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			lib, err := library.Load(policies.FS())
			if err != nil {
				return err
			}
			if err := docgen.Write(lib, dir); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, CLIReferenceFile), CLIReference(), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(streams.Err, "wrote %d control pages, frameworks.md and %s to %s\n", len(lib.Controls), CLIReferenceFile, dir)
			return nil
		},
	}
	gen.Flags().StringVar(&dir, "dir", dir, "documentation directory")
	cmd.AddCommand(gen)
	return cmd
}
