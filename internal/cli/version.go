package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/internal/version"
	"github.com/vigilsec/vigil/pkg/policy"
)

func newVersionCommand(streams IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Vigil's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(streams.Out, "vigil %s\n", version.Get())
			if c := version.Commit(); c != "" {
				fmt.Fprintf(streams.Out, "commit: %s\n", c)
			}
			fmt.Fprintf(streams.Out, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
			fmt.Fprintf(streams.Out, "rule contract: Kubescape %s\n", policy.KubescapeCompatVersion)
			return nil
		},
	}
}
