package cli

import (
	"fmt"

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
		Short: "Write docs/controls/*.md and docs/frameworks.md from the built-in library",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			lib, err := library.Load(policies.FS())
			if err != nil {
				return err
			}
			if err := docgen.Write(lib, dir); err != nil {
				return err
			}
			fmt.Fprintf(streams.Err, "wrote %d control pages and frameworks.md to %s\n", len(lib.Controls), dir)
			return nil
		},
	}
	gen.Flags().StringVar(&dir, "dir", dir, "documentation directory")
	cmd.AddCommand(gen)
	return cmd
}
