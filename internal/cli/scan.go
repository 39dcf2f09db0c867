package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/scan"
)

type scanFlags struct {
	sourceFlags
	formats             []string
	output              string
	verbose             bool
	noColor             bool
	frameworks          []string
	exceptions          string
	complianceThreshold float64
	severityThreshold   string
	workers             int
	dryRun              bool
	fix                 bool
	fixFlags            fixFlags
	// host is set by `scan host`: collect a node instead of reading paths.
	host *scan.HostOptions
}

func newScanCommand(streams IO) *cobra.Command {
	f := &scanFlags{}
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan manifests against the default framework (or `scan framework` / `scan control`)",
		Long: `Scan Kubernetes manifests: files, directories (recursively), glob patterns
(** matches any depth) or - for stdin. YAML (multi-document, kind: List) and
JSON (objects and arrays) are read. In a directory, a folder with Chart.yaml
is rendered as a Helm chart (as are .tgz archives), a folder with a
kustomization is built with Kustomize, and the rest is read as plain
manifests. A git URL (https://host/org/repo[//subdir][?ref=branch], file://)
is cloned and scanned the same way. Without a framework or control named,
the built-in "` + scan.DefaultFramework + `" framework runs (or, with --use-from or
--use-artifacts-from, the frameworks those files hold).`,
		Example: `  vigil scan examples/
  vigil scan framework nsa,mitre deploy/ --format sarif --output vigil.sarif
  vigil scan control C-0057,C-0016 - < pod.yaml
  vigil scan . --severity-threshold high --format json,junit --output reports/
  vigil scan charts/web -f prod-values.yaml --set image.tag=1.2.3
  vigil scan https://github.com/org/repo//deploy?ref=main`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), streams, f, nil, nil, args)
		},
	}
	addScanFlags(cmd, f)
	cmd.AddCommand(&cobra.Command{
		Use:   "cluster",
		Short: "Scan the cluster of the current kubeconfig context (as vigil scan with no path)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), streams, f, nil, nil, nil)
		},
	}, &cobra.Command{
		Use:   "framework NAME[,NAME] [PATH...]",
		Short: "Scan against one or more frameworks (all = every built-in framework)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), streams, f, scan.SplitList(args[:1]), nil, args[1:])
		},
		ValidArgsFunction: completeFrameworks,
	}, &cobra.Command{
		Use:   "control ID[,ID] [PATH...]",
		Short: "Scan against one or more controls by ID",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), streams, f, nil, scan.SplitList(args[:1]), args[1:])
		},
		ValidArgsFunction: completeControls,
	}, newScanHostCommand(streams, f))
	return cmd
}

func addScanFlags(cmd *cobra.Command, f *scanFlags) {
	fl := cmd.PersistentFlags()
	fl.StringSliceVar(&f.formats, "format", []string{"pretty"}, "output formats: "+strings.Join(formatNames(), ", ")+" (comma-separated)")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE (one format) or DIR (several formats) instead of stdout")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "pretty output: show every object with its failed paths, locations and remediation")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the output (also NO_COLOR=1)")
	addSourceFlags(fl, &f.sourceFlags)
	fl.StringSliceVar(&f.frameworks, "frameworks", nil, "frameworks to scan when the command names none (not with scan framework or scan control) (comma-separated; a config-file default)")
	fl.StringVar(&f.exceptions, "exceptions", "", "posture exceptions file (Kubescape's exception policy JSON); excepted failures are reported as passed w/exceptions")
	fl.Float64Var(&f.complianceThreshold, "compliance-threshold", 0, "exit 1 when the compliance score is below this percentage")
	fl.StringVar(&f.severityThreshold, "severity-threshold", "", "exit 1 when a control of this severity or higher fails: low, medium, high, critical")
	fl.IntVar(&f.workers, "workers", 0, "parallel workers (default: number of CPUs)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "cluster scans: check the permissions the scan needs (SelfSubjectAccessReview) and list nothing")
	fl.BoolVar(&f.fix, "fix", false, "after the scan, apply its fixes to the scanned files (see vigil fix)")
	addFixFlags(fl, &f.fixFlags, "fix-dry-run")
	_ = fl.MarkHidden("workers")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return formatNames(), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("severity-threshold", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"low", "medium", "high", "critical"}, cobra.ShellCompDirectiveNoFileComp
	})
}

func runScan(ctx context.Context, streams IO, f *scanFlags, frameworks, controls, paths []string) error {
	formats := scan.SplitList(f.formats)
	for _, name := range formats {
		if _, ok := lookupFormat(name); !ok {
			return usageErr("unknown format %q (choose from %s)", name, strings.Join(formatNames(), ", "))
		}
	}
	if f.severityThreshold != "" && policy.SeverityRank(f.severityThreshold) == 0 {
		return usageErr("unknown severity %q for --severity-threshold (choose low, medium, high or critical)", f.severityThreshold)
	}
	if f.complianceThreshold < 0 || f.complianceThreshold > 100 {
		return usageErr("--compliance-threshold must be between 0 and 100")
	}
	if len(frameworks) == 0 && len(controls) == 0 {
		frameworks = scan.SplitList(f.frameworks)
	}
	ctx, cancel := f.withTimeout(ctx)
	defer cancel()
	opts, err := f.options(streams, paths, f.host)
	if err != nil {
		return err
	}
	opts.Frameworks, opts.Controls = frameworks, controls
	opts.ExceptionsPath, opts.Workers = f.exceptions, f.workers
	if f.fix && (opts.Cluster != nil || opts.Host != nil) {
		return usageErr("--fix edits files: name the paths to scan")
	}
	if f.dryRun {
		return dryRun(ctx, streams, opts)
	}
	rep, err := runScanOpts(ctx, streams, opts)
	if err != nil {
		return err
	}
	color := !f.noColor && streams.Getenv("NO_COLOR") == "" && streams.IsTerminal(streams.Out) && f.output == ""
	if err := writeOutputs(streams, rep, formats, f.output, outputOptions{
		verbose: f.verbose, color: color, failThreshold: f.complianceThreshold, controlsInputs: f.controlsConfig,
	}); err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(streams.Err, "Warning:", w)
	}
	if n := len(rep.Inputs.Errors); n > 0 {
		fmt.Fprintf(streams.Err, "Error: %d input(s) could not be read; everything else was scanned:\n", n)
		for _, e := range rep.Inputs.Errors {
			fmt.Fprintln(streams.Err, "  "+e.Error())
		}
	}
	if f.fix {
		if len(rep.Inputs.Errors) > 0 {
			return &exitError{code: ExitUsage, err: errors.New("not fixing an incomplete scan")}
		}
		return fixScanReport(streams, rep, &f.fixFlags)
	}
	gate := report.Gate{ComplianceThreshold: f.complianceThreshold, SeverityThreshold: f.severityThreshold}
	reasons := gate.Check(rep)
	for _, r := range reasons {
		fmt.Fprintln(streams.Err, "Gate failed:", r)
	}
	switch {
	case len(rep.Inputs.Errors) > 0:
		// An incomplete scan outranks a failed gate: what was not read
		// was not judged.
		return &exitError{code: ExitUsage}
	case len(reasons) > 0:
		return &exitError{code: ExitGate}
	}
	return nil
}

// parseSize reads "32MiB", "512KiB", "1GiB" or plain bytes.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	return int64(n * float64(mult)), nil
}

// dryRun prints the permissions a cluster scan needs and whether the user
// has them; it exits 1 when some are missing.
func dryRun(ctx context.Context, streams IO, opts scan.Options) error {
	if opts.Cluster == nil {
		return usageErr("--dry-run checks cluster permissions: give no path")
	}
	perms, name, err := scan.CheckPermissions(ctx, opts)
	if err != nil {
		var ue *scan.UsageError
		if errors.As(err, &ue) {
			return &exitError{code: ExitUsage, err: ue.Err}
		}
		return err
	}
	missing := 0
	fmt.Fprintf(streams.Out, "Permissions a scan of cluster %s needs:\n", name)
	for _, p := range perms {
		fmt.Fprintln(streams.Out, "  "+p.String())
		if !p.Allowed {
			missing++
		}
	}
	if missing > 0 {
		fmt.Fprintf(streams.Out, "%d missing: the controls that need those kinds would be skipped.\n", missing)
		return &exitError{code: ExitGate}
	}
	fmt.Fprintln(streams.Out, "All allowed.")
	return nil
}
