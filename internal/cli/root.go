// Package cli holds Vigil's cobra commands: flag parsing and wiring only;
// the work is done in pkg/.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/scan"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitGate  = 1
	ExitUsage = 2
)

// IO is where commands read and write.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
	// IsTerminal reports whether a stream is a terminal.
	IsTerminal func(any) bool
}

// StdIO returns the process's streams.
func StdIO() IO {
	return IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv, IsTerminal: isTerminal}
}

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// Run executes the CLI with args and returns the exit code.
func Run(ctx context.Context, args []string, streams IO) int {
	root := NewRoot(streams)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(streams.Err, "Error:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(streams.Err, "Error:", err)
	var ue *scan.UsageError
	var unk *policy.UnknownError
	if errors.As(err, &ue) || errors.As(err, &unk) {
		return ExitUsage
	}
	// Anything else that stops a command (bad flags, unreadable input) is
	// a usage or input error too.
	return ExitUsage
}

// NewRoot builds the command tree.
func NewRoot(streams IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "vigil",
		Short: "Kubernetes security scanner: posture, RBAC, network and workload controls in Rego",
		Long: `Vigil scans Kubernetes manifests against frameworks of security controls
written in Rego, and reports what is wrong, where, and how to fix it.

Exit codes: 0 success, 1 a --compliance-threshold or --severity-threshold
gate failed, 2 a usage or input error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitUsage, err: err}
	})
	root.AddCommand(newScanCommand(streams), newListCommand(streams), newPolicyCommand(streams), newVersionCommand(streams), newDocsCommand(streams))
	root.AddCommand(newExceptionsCommand(streams), newDownloadCommand(streams), newConfigCommand(streams), newFixCommand(streams))
	root.AddCommand(newHostCommand(streams))
	// Defaults from the config file (internal/config), applied to the flags
	// the command line left alone.
	root.PersistentFlags().String("config", "", "config file of flag defaults (default $VIGIL_CONFIG, else $XDG_CONFIG_HOME/vigil/config.yaml)")
	root.PersistentPreRunE = applyConfig(streams)
	return root
}
