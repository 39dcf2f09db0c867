package cli

import (
	"context"
	"errors"
	"time"

	"github.com/spf13/pflag"

	"github.com/vigilsec/vigil/internal/version"
	"github.com/vigilsec/vigil/pkg/hostsensor"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/scan"
	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/pkg/source/helm"
)

// sourceFlags say what a scan reads and with which policies. Every
// command that scans (scan, exceptions audit) takes all of them, so an
// audit sees exactly the objects and controls the scan it audits saw.
type sourceFlags struct {
	useFrom             []string
	policyDirs          []string
	artifactsDir        string
	controlsConfig      string
	excludeControls     []string
	includeNamespaces   []string
	excludeNamespaces   []string
	maxFileSize         string
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
}

func addSourceFlags(fl *pflag.FlagSet, f *sourceFlags) {
	fl.StringSliceVar(&f.useFrom, "use-from", nil, "load frameworks or controls from Kubescape policy JSON files (comma-separated)")
	fl.StringVar(&f.artifactsDir, "use-artifacts-from", "", "load policies from a Kubescape artifacts directory (framework JSON, controls-inputs.json, exceptions.json)")
	fl.StringSliceVar(&f.policyDirs, "policy-dir", nil, "load custom controls (Rego with METADATA) from these directories (repeatable, comma-separated; see docs/CUSTOM-CONTROLS.md)")
	fl.StringVar(&f.controlsConfig, "controls-config", "", "control inputs file ({\"key\": [\"value\", ...]}) overriding the defaults")
	fl.StringSliceVar(&f.includeNamespaces, "include-namespaces", nil, "scan only objects in these namespaces (comma-separated)")
	fl.StringSliceVar(&f.excludeNamespaces, "exclude-namespaces", nil, "skip objects in these namespaces (comma-separated)")
	fl.StringSliceVar(&f.excludeControls, "exclude-controls", nil, "do not evaluate these control IDs (comma-separated)")
	fl.StringVar(&f.maxFileSize, "max-file-size", "32MiB", "refuse input files larger than this (bytes, or with KiB, MiB, GiB)")
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
	fl.BoolVar(&f.hostScan, "host-scan", false, "cluster scans: add every node's host objects from the host sensor DaemonSet (deploy/host-sensor, docs/HOST-SENSOR.md)")
	fl.StringVar(&f.hostSensorNamespace, "host-sensor-namespace", hostsensor.DefaultNamespace, "cluster scans: namespace of the host sensor pods and of their token Secret")
}

// options are the scan options these flags set. Without paths (and
// without host), the scan is of the current kubeconfig context's cluster.
func (f *sourceFlags) options(streams IO, paths []string, host *scan.HostOptions) (scan.Options, error) {
	maxSize, err := parseSize(f.maxFileSize)
	if err != nil {
		return scan.Options{}, usageErr("--max-file-size: %v", err)
	}
	opts := scan.Options{
		PolicyOptions: scan.PolicyOptions{
			UseFrom: scan.SplitList(f.useFrom), ArtifactsDir: f.artifactsDir, ControlsConfig: f.controlsConfig,
			PolicyDirs: scan.SplitList(f.policyDirs),
		},
		Paths: paths,
		Host:  host,
		Inputs: scan.InputOptions{
			Helm: f.helm, AllowNetwork: f.allowNetwork, GitDepth: f.gitDepth, PlainFiles: f.plainFiles, Getenv: streams.Getenv,
		},
		Stdin:           streams.In,
		MaxFileSize:     maxSize,
		ExcludeControls: scan.SplitList(f.excludeControls),
		Namespaces: source.NamespaceFilter{
			Include: scan.SplitList(f.includeNamespaces), Exclude: scan.SplitList(f.excludeNamespaces),
		},
		Version: version.Get(),
	}
	switch {
	case len(paths) == 0 && host == nil:
		opts.Cluster = &scan.ClusterOptions{
			Kubeconfig: f.kubeconfig, Context: f.kubeContext, LabelSelector: f.labelSelector,
			PageSize: f.pageSize, Concurrency: f.apiConcurrency, Getenv: streams.Getenv,
		}
		if f.hostScan {
			opts.Cluster.HostSensor = &hostsensor.GatherOptions{Namespace: f.hostSensorNamespace}
		}
	case f.hostScan:
		return scan.Options{}, usageErr("--host-scan adds host data to cluster scans: name no path (vigil scan host reads this node)")
	}
	return opts, nil
}

// withTimeout bounds ctx by --timeout.
func (f *sourceFlags) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if f.timeout > 0 {
		return context.WithTimeout(ctx, f.timeout)
	}
	return ctx, func() {}
}

// runScanOpts runs a scan with progress on a TTY and the memory budget of its
// kind, turning the scan's usage errors into exit code 2.
func runScanOpts(ctx context.Context, streams IO, opts scan.Options) (*report.Report, error) {
	prog := newProgress(streams)
	defer prog.stop()
	opts.Progress = prog.set
	opts.Loaded = sizeMemory(streams.Getenv, opts.Cluster != nil)
	rep, err := scan.Run(ctx, opts)
	prog.stop()
	var ue *scan.UsageError
	if errors.As(err, &ue) {
		return nil, &exitError{code: ExitUsage, err: ue.Err}
	}
	return rep, err
}
