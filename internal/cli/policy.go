package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/pkg/policy/custom"
	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/policies"
)

func newPolicyCommand(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Write and test custom controls",
		Long: `Custom controls are Rego files with an OPA METADATA block; scans load them
with --policy-dir. See docs/CUSTOM-CONTROLS.md.`,
	}
	cmd.AddCommand(newPolicyTestCommand(streams), newPolicyNewCommand(streams))
	return cmd
}

func newPolicyTestCommand(streams IO) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "test DIR...",
		Short: "Run the test cases of custom controls (or of a library-layout directory) through the engine",
		Long: `Runs the test cases beside each custom control (NAME.tests.yaml next to
NAME.rego, or tests.yaml in a folder holding one control) through the same
engine scans use, and prints each case's verdict with its file and line.
A directory laid out like Vigil's library (controls/*/control.yaml) is
tested the same way.

Exit codes: 0 every case passed, 1 a case failed, 2 the controls or their
tests could not be loaded.`,
		Example: `  vigil policy test policies/custom/
  vigil policy test policies/custom/ --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("unknown format %q for policy test (text or json)", format)
			}
			lib, err := library.Load(policies.FS())
			if err != nil {
				return fmt.Errorf("built-in library: %w", err)
			}
			rep, err := custom.RunTests(cmd.Context(), args, lib)
			if err != nil {
				return usageErr("%v", err)
			}
			if format == "json" {
				if err := writeJSON(streams.Out, rep); err != nil {
					return err
				}
			} else {
				writeTestReport(streams.Out, rep)
			}
			for _, w := range rep.Warnings {
				fmt.Fprintln(streams.Err, "Warning:", w)
			}
			if rep.Failed > 0 {
				return &exitError{code: ExitGate}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func writeTestReport(w io.Writer, rep *custom.TestReport) {
	for _, c := range rep.Cases {
		verdict := "PASS"
		if !c.Passed {
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "%s  %s  %s:%d  %s\n", verdict, c.Control, c.File, c.Line, c.Case)
		for _, p := range c.Problems {
			fmt.Fprintln(w, "        "+strings.ReplaceAll(p, "\n", "\n        "))
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(w, "Note: "+n)
	}
	fmt.Fprintf(w, "%s, %s: %d passed, %d failed\n", plural(rep.Controls, "control"), plural(len(rep.Cases), "case"), rep.Passed, rep.Failed)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func newPolicyNewCommand(streams IO) *cobra.Command {
	o := custom.ScaffoldOptions{}
	cmd := &cobra.Command{
		Use:   "new NAME",
		Short: "Scaffold a custom control and its tests",
		Long: `Writes NAME.rego (a control with its METADATA) and NAME.tests.yaml (a
failing and a passing case) into --dir. ` + "`vigil policy test`" + ` passes them as
written; edit both to check what you need. Existing files are never
overwritten.`,
		Example: `  vigil policy new require-owner --dir policies/custom --kind Deployment --id ACME-0001
  vigil policy new team-label --simple --kind workloads`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			files, err := custom.Scaffold(o)
			for _, f := range files {
				fmt.Fprintln(streams.Out, "Created", f)
			}
			if err != nil {
				return usageErr("%v", err)
			}
			dir := o.Dir
			if dir == "" {
				dir = "."
			}
			fmt.Fprintf(streams.Out, "Test it with:  vigil policy test %s\nScan with it:  vigil scan --policy-dir %s PATH\n", dir, dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.Dir, "dir", ".", "directory to write the files into (created when missing)")
	cmd.Flags().StringVar(&o.Kind, "kind", "Deployment", "kind the control judges: a Kind, an alias (workloads, rbac) or group/version/Kind")
	cmd.Flags().StringVar(&o.ID, "id", "", "control ID (default: NAME in upper case)")
	cmd.Flags().BoolVar(&o.Simple, "simple", false, "write a simple-contract rule (input is one object, deny is a set of messages)")
	return cmd
}
