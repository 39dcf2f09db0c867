package cli

import (
	"bytes"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vigilsec/vigil/pkg/fix"
	"github.com/vigilsec/vigil/pkg/report"
	jsonformat "github.com/vigilsec/vigil/pkg/report/format/json"
)

type fixFlags struct {
	dryRun              bool
	basePath            string
	values              string
	includePlaceholders bool
	applyDeletes        bool
	editTemplates       bool
	interactive         bool
}

func newFixCommand(streams IO) *cobra.Command {
	f := &fixFlags{}
	cmd := &cobra.Command{
		Use:   "fix REPORT.json",
		Short: "Apply the fixes of a JSON scan report to the scanned files, in place",
		Long: `Apply every fixPath of a JSON scan report (vigil scan --format json) to the
files it came from, changing only the lines that change. A fix of a Helm
chart goes to the values key that set the field (or --values FILE); a
template literal is shown, and changed only with --edit-templates; a
Kustomize fix goes to the base or the patch that set the field.

Placeholder values (YOUR_...) are skipped unless --include-placeholders;
deletePaths are applied only with --apply-deletes; review paths are
listed, never applied. Files must lie inside --base-path (default: the
scanned roots) and be unchanged since the scan.

Exit codes: 0 every applicable fix was applied, 1 some could not be, 2 a
usage or input error (unreadable report, changed file, invalid fix).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usageErr("read the report: %v", err)
			}
			return runFix(streams, bytes.NewReader(data), f, false)
		},
	}
	fl := cmd.Flags()
	addFixFlags(fl, f, "dry-run")
	fl.StringVar(&f.basePath, "base-path", "", "edit only files under this directory (default: the report's scanned roots inside the working directory, else the working directory)")
	fl.StringVar(&f.values, "values", "", "Helm: write values fixes to this values file instead of the file each value came from")
	return cmd
}

// addFixFlags adds the flags fix and scan --fix share; dryRun names the
// dry-run flag, which scan already uses for clusters.
func addFixFlags(fl *pflag.FlagSet, f *fixFlags, dryRun string) {
	fl.BoolVar(&f.dryRun, dryRun, false, "print the fixes as a unified diff and change nothing")
	fl.BoolVar(&f.includePlaceholders, "include-placeholders", false, "also write placeholder values (YOUR_...), to fill in by hand")
	fl.BoolVar(&f.applyDeletes, "apply-deletes", false, "also apply deletePaths (remove fields)")
	fl.BoolVar(&f.editTemplates, "edit-templates", false, "Helm: also change literals in templates")
	fl.BoolVar(&f.interactive, "interactive", false, "ask before each fix (y/n/all/quit); needs a terminal")
}

// fixScanReport runs the fixes of a scan just made, through its JSON
// report, so scan --fix and fix share one path.
func fixScanReport(streams IO, rep *report.Report, f *fixFlags) error {
	var buf bytes.Buffer
	if err := jsonformat.Write(&buf, rep, jsonformat.Options{}); err != nil {
		return err
	}
	return runFix(streams, &buf, f, true)
}

// runFix applies a report's fixes. trustRoots is set for a report this
// process just made (scan --fix), whose roots the user named.
func runFix(streams IO, in io.Reader, f *fixFlags, trustRoots bool) error {
	if f.interactive && !(streams.IsTerminal(streams.In) && streams.IsTerminal(streams.Out)) {
		return usageErr("--interactive needs a terminal; use --dry-run to review the fixes instead")
	}
	rep, err := fix.ReadReport(in)
	if err != nil {
		return usageErr("%v", err)
	}
	plan := fix.NewPlan(rep, fix.PlanOptions{
		ValuesFile: f.values, IncludePlaceholders: f.includePlaceholders,
		ApplyDeletes: f.applyDeletes, EditTemplates: f.editTemplates,
	})
	opts := fix.Options{BasePath: f.basePath, DryRun: f.dryRun, TrustRoots: trustRoots}
	if f.interactive {
		opts.Confirm = fix.Prompt(streams.In, streams.Out)
	}
	if err := fix.Apply(plan, opts); err != nil {
		return usageErr("%v", err)
	}
	summary := streams.Out
	if f.dryRun {
		// The diff alone goes to stdout, so it can be saved and applied.
		if err := plan.WriteDiff(streams.Out); err != nil {
			return err
		}
		summary = streams.Err
	}
	if err := plan.WriteSummary(summary, f.dryRun); err != nil {
		return err
	}
	t := plan.Totals()
	switch {
	case t.Invalid > 0:
		return &exitError{code: ExitUsage}
	case t.Failed > 0:
		return &exitError{code: ExitGate}
	}
	return nil
}
