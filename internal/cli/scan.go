package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/internal/version"
	"github.com/vigilsec/vigil/pkg/hostsensor"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/scan"
	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/pkg/source/helm"
)

type scanFlags struct {
	formats             []string
	output              string
	verbose             bool
	noColor             bool
	useFrom             []string
	policyDirs          []string
	frameworks          []string
	artifactsDir        string
	controlsConfig      string
	exceptions          string
	includeNamespaces   []string
	excludeNamespaces   []string
	excludeControls     []string
	complianceThreshold float64
	severityThreshold   string
	maxFileSize         string
	workers             int
	helm                scan.HelmOptions
	allowNetwork        bool
	gitDepth            int
	plainFiles          bool
	kubeconfig          string
	kubeContext         string
	timeout             time.Duration
	pageSize            int64
	labelSelector       string
	apiConcurrency      int
	hostScan            bool
	hostSensorNamespace string
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
	fl.StringSliceVar(&f.useFrom, "use-from", nil, "load frameworks or controls from Kubescape policy JSON files (comma-separated)")
	fl.StringVar(&f.artifactsDir, "use-artifacts-from", "", "load policies from a Kubescape artifacts directory (framework JSON, controls-inputs.json, exceptions.json)")
	fl.StringSliceVar(&f.frameworks, "frameworks", nil, "frameworks to scan when the command names none (not with scan framework or scan control) (comma-separated; a config-file default)")
	fl.StringSliceVar(&f.policyDirs, "policy-dir", nil, "load custom controls (Rego with METADATA) from these directories (repeatable, comma-separated; see docs/CUSTOM-CONTROLS.md)")
	fl.StringVar(&f.controlsConfig, "controls-config", "", "control inputs file ({\"key\": [\"value\", ...]}) overriding the defaults")
	fl.StringVar(&f.exceptions, "exceptions", "", "posture exceptions file (Kubescape's exception policy JSON); excepted failures are reported as passed w/exceptions")
	fl.StringSliceVar(&f.includeNamespaces, "include-namespaces", nil, "scan only objects in these namespaces (comma-separated)")
	fl.StringSliceVar(&f.excludeNamespaces, "exclude-namespaces", nil, "skip objects in these namespaces (comma-separated)")
	fl.StringSliceVar(&f.excludeControls, "exclude-controls", nil, "do not evaluate these control IDs (comma-separated)")
	fl.Float64Var(&f.complianceThreshold, "compliance-threshold", 0, "exit 1 when the compliance score is below this percentage")
	fl.StringVar(&f.severityThreshold, "severity-threshold", "", "exit 1 when a control of this severity or higher fails: low, medium, high, critical")
	fl.StringVar(&f.maxFileSize, "max-file-size", "32MiB", "refuse input files larger than this (bytes, or with KiB, MiB, GiB)")
	fl.IntVar(&f.workers, "workers", 0, "parallel workers (default: number of CPUs)")
	fl.StringArrayVarP(&f.helm.ValueFiles, "values", "f", nil, "Helm: values file (repeatable; later files win)")
	fl.StringArrayVar(&f.helm.Set, "set", nil, "Helm: set values (key=value,key2=value2; repeatable)")
	fl.StringArrayVar(&f.helm.SetString, "set-string", nil, "Helm: set string values")
	fl.StringArrayVar(&f.helm.SetFile, "set-file", nil, "Helm: set values from files (key=path)")
	fl.StringArrayVar(&f.helm.SetJSON, "set-json", nil, "Helm: set JSON values (key=jsonval)")
	fl.StringArrayVar(&f.helm.SetLiteral, "set-literal", nil, "Helm: set a literal string value")
	fl.StringVar(&f.helm.ReleaseName, "release-name", "", "Helm: release name (default "+helm.DefaultReleaseName+")")
	fl.StringVar(&f.helm.Namespace, "release-namespace", "", "Helm: release namespace (default: empty, so objects name no namespace unless the chart does)")
	fl.StringVar(&f.helm.KubeVersion, "kube-version", "", "Helm: Kubernetes version for Capabilities (default "+helm.DefaultKubeVersion+")")
	fl.StringSliceVar(&f.helm.APIVersions, "api-versions", nil, "Helm: extra API versions for Capabilities")
	fl.BoolVar(&f.helm.IncludeCRDs, "include-crds", false, "Helm: scan the chart's crds/ too")
	fl.BoolVar(&f.helm.SkipSchemaValidation, "skip-schema-validation", false, "Helm: do not validate values against values.schema.json")
	fl.BoolVar(&f.allowNetwork, "allow-network", false, "allow fetching remote schemas, Kustomize remote bases and helmCharts (off: nothing is fetched)")
	fl.IntVar(&f.gitDepth, "git-depth", 1, "clone depth of repository scans (more history gives exact last commits per file)")
	fl.BoolVar(&f.plainFiles, "plain", false, "read directories as plain manifests: do not render charts or build kustomizations")
	fl.StringVar(&f.kubeconfig, "kubeconfig", "", "cluster scans: kubeconfig file (default $KUBECONFIG, ~/.kube/config, or the in-cluster service account)")
	fl.StringVar(&f.kubeContext, "context", "", "cluster scans: kubeconfig context (default the current one)")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Minute, "give up the scan after this long (every API call is bounded by it)")
	fl.Int64Var(&f.pageSize, "page-size", 500, "cluster scans: objects per LIST request")
	fl.StringVar(&f.labelSelector, "label-selector", "", "cluster scans: list only objects with these labels (app=web,tier!=db)")
	fl.IntVar(&f.apiConcurrency, "api-concurrency", 4, "cluster scans: LIST requests in flight")
	fl.BoolVar(&f.hostScan, "host-scan", false, "cluster scans: add every node's host objects from the host sensor DaemonSet (deploy/host-sensor, docs/HOST.md)")
	fl.StringVar(&f.hostSensorNamespace, "host-sensor-namespace", hostsensor.DefaultNamespace, "cluster scans: namespace of the host sensor pods and of their token Secret")
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
	maxSize, err := parseSize(f.maxFileSize)
	if err != nil {
		return usageErr("--max-file-size: %v", err)
	}
	if len(frameworks) == 0 && len(controls) == 0 {
		frameworks = scan.SplitList(f.frameworks)
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	opts := scan.Options{
		PolicyOptions: scan.PolicyOptions{
			UseFrom: scan.SplitList(f.useFrom), ArtifactsDir: f.artifactsDir, ControlsConfig: f.controlsConfig,
			PolicyDirs: scan.SplitList(f.policyDirs),
		},
		Paths: paths,
		Inputs: scan.InputOptions{
			Helm: f.helm, AllowNetwork: f.allowNetwork, GitDepth: f.gitDepth, PlainFiles: f.plainFiles, Getenv: streams.Getenv,
		},
		Stdin:           streams.In,
		MaxFileSize:     maxSize,
		Frameworks:      frameworks,
		Controls:        controls,
		ExcludeControls: scan.SplitList(f.excludeControls),
		Namespaces: source.NamespaceFilter{
			Include: scan.SplitList(f.includeNamespaces), Exclude: scan.SplitList(f.excludeNamespaces),
		},
		ExceptionsPath: f.exceptions,
		Workers:        f.workers,
		Version:        version.Get(),
	}
	opts.Host = f.host
	if len(paths) == 0 && opts.Host == nil {
		// No path: the cluster of the current kubeconfig context.
		opts.Cluster = &scan.ClusterOptions{
			Kubeconfig: f.kubeconfig, Context: f.kubeContext, LabelSelector: f.labelSelector,
			PageSize: f.pageSize, Concurrency: f.apiConcurrency, Getenv: streams.Getenv,
		}
		if f.hostScan {
			opts.Cluster.HostSensor = &hostsensor.GatherOptions{Namespace: f.hostSensorNamespace}
		}
	} else if f.hostScan {
		return usageErr("--host-scan adds host data to cluster scans: name no path (vigil scan host reads this node)")
	}
	if f.fix && (opts.Cluster != nil || opts.Host != nil) {
		return usageErr("--fix edits files: name the paths to scan")
	}
	if f.dryRun {
		return dryRun(ctx, streams, opts)
	}
	prog := newProgress(streams)
	defer prog.stop()
	opts.Progress = prog.set
	opts.Loaded = sizeMemory(streams.Getenv, opts.Cluster != nil)
	rep, err := scan.Run(ctx, opts)
	prog.stop()
	if err != nil {
		var ue *scan.UsageError
		if errors.As(err, &ue) {
			return &exitError{code: ExitUsage, err: ue.Err}
		}
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
