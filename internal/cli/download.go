package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/internal/version"
	"github.com/vigilsec/vigil/pkg/download"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/policy/exception"
	"github.com/vigilsec/vigil/pkg/policy/library"
	"github.com/vigilsec/vigil/policies"
)

type downloadFlags struct {
	from    string
	output  string
	sha256  string
	timeout time.Duration
	maxSize string
}

func newDownloadCommand(streams IO) *cobra.Command {
	f := &downloadFlags{}
	cmd := &cobra.Command{
		Use:   "download artifacts|exceptions|controls-inputs",
		Short: "Download policy artifacts, exceptions or control inputs (or export the built-in library)",
		Long: `Download files that scans read, from a URL you give: Vigil has no default
server and fetches nothing unless asked. Each download is bounded by
--timeout and --max-size, checked (it must load as what it is), written
through a temporary file and a rename, and its SHA-256 printed as
sha256sum does ("HEX  PATH"); --sha256 makes the download fail unless the
fetched file has that digest.

  artifacts        --from URL of a .tar.gz of JSON files (Kubescape framework
                   files, controls-inputs.json, exceptions.json) or of one
                   framework JSON file; written into --output DIR, which
                   --use-artifacts-from reads. Without --from, the built-in
                   library is exported there instead (one Kubescape
                   framework file per framework, and controls-inputs.json).
  exceptions       --from URL of a posture exceptions file, to --output FILE.
  controls-inputs  --from URL of a control inputs file, to --output FILE;
                   without --from, the built-in defaults.`,
		Example: `  vigil download artifacts --output ~/.vigil/artifacts
  vigil download artifacts --output artifacts/ --from https://example.com/vigil/artifacts.tar.gz --sha256 3a7b...
  vigil download exceptions --output exceptions.json --from https://example.com/exceptions.json`,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.from, "from", "", "URL to download from (http or https)")
	pf.StringVarP(&f.output, "output", "o", "", "directory (artifacts) or file to write")
	pf.StringVar(&f.sha256, "sha256", "", "fail unless the downloaded file has this SHA-256 (hex)")
	pf.DurationVar(&f.timeout, "timeout", 60*time.Second, "give up the download after this long")
	pf.StringVar(&f.maxSize, "max-size", "64MiB", "refuse downloads (and unpacked bundles) larger than this")

	cmd.AddCommand(&cobra.Command{
		Use:   "artifacts",
		Short: "Download an artifacts bundle into a directory, or export the built-in library",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return downloadArtifacts(cmd.Context(), streams, f)
		},
	}, &cobra.Command{
		Use:   "exceptions",
		Short: "Download a posture exceptions file (Kubescape's format)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.from == "" {
				return usageErr("download exceptions needs --from URL: there are no built-in exceptions")
			}
			return downloadFile(cmd.Context(), streams, f, func(b []byte) error {
				_, err := exception.Parse(b, time.Time{})
				return err
			})
		},
	}, &cobra.Command{
		Use:     "controls-inputs",
		Aliases: []string{"control-inputs", "inputs"},
		Short:   "Download a control inputs file, or export the built-in defaults",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.from == "" {
				return exportInputs(streams, f)
			}
			return downloadFile(cmd.Context(), streams, f, func(b []byte) error {
				_, err := policy.ParseInputs(b)
				return err
			})
		},
	})
	return cmd
}

func (f *downloadFlags) options() (download.Options, error) {
	limit, err := parseSize(f.maxSize)
	if err != nil {
		return download.Options{}, usageErr("--max-size: %v", err)
	}
	return download.Options{
		Timeout: f.timeout, MaxBytes: limit, SHA256: f.sha256, UserAgent: "vigil/" + version.Get(),
	}, nil
}

// printWritten prints what was written as sha256sum does, so the output
// can be checked later with `sha256sum -c`.
func printWritten(streams IO, files []download.File) {
	for _, w := range files {
		fmt.Fprintf(streams.Out, "%s  %s\n", w.SHA256, w.Path)
	}
}

func downloadFile(ctx context.Context, streams IO, f *downloadFlags, check func([]byte) error) error {
	if f.output == "" {
		return usageErr("--output FILE is required")
	}
	if st, err := os.Stat(f.output); err == nil && st.IsDir() {
		return usageErr("--output %s is a directory; give the file to write", f.output)
	}
	opts, err := f.options()
	if err != nil {
		return err
	}
	w, err := download.Single(ctx, f.from, f.output, check, opts)
	if err != nil {
		return err
	}
	printWritten(streams, []download.File{w})
	return nil
}

func downloadArtifacts(ctx context.Context, streams IO, f *downloadFlags) error {
	if f.output == "" {
		return usageErr("--output DIR is required")
	}
	if st, err := os.Stat(f.output); err == nil && !st.IsDir() {
		return usageErr("--output %s is a file; artifacts are written into a directory", f.output)
	}
	before := jsonFiles(f.output)
	var res *download.ArtifactsResult
	if f.from == "" {
		if f.sha256 != "" {
			return usageErr("--sha256 checks a download: give --from URL")
		}
		lib, err := library.Load(policies.FS())
		if err != nil {
			return fmt.Errorf("built-in library: %w", err)
		}
		if res, err = download.Export(f.output, lib.Frameworks, lib.Defaults()); err != nil {
			return err
		}
		fmt.Fprintf(streams.Err, "Exported the built-in library (%d frameworks, Vigil %s) to %s\n", len(lib.Frameworks), version.Get(), f.output)
	} else {
		opts, err := f.options()
		if err != nil {
			return err
		}
		if res, err = download.Artifacts(ctx, f.from, f.output, opts); err != nil {
			return err
		}
		fmt.Fprintf(streams.Err, "Downloaded %s (sha256 %s)\n", res.URL, res.SHA256)
		for _, s := range res.Skipped {
			fmt.Fprintln(streams.Err, "Skipped", s)
		}
	}
	printWritten(streams, res.Files)
	for _, w := range res.Warnings {
		fmt.Fprintln(streams.Err, "Warning:", w)
	}
	// Files from an earlier download that this one did not replace are
	// still loaded by --use-artifacts-from; say so rather than delete
	// files Vigil may not own.
	var stale []string
	for _, name := range before {
		if !slices.ContainsFunc(res.Files, func(w download.File) bool { return filepath.Base(w.Path) == name }) {
			stale = append(stale, name)
		}
	}
	if len(stale) > 0 {
		fmt.Fprintf(streams.Err, "Note: %s also holds %s, which this download did not write; --use-artifacts-from loads them too.\n",
			f.output, strings.Join(stale, ", "))
	}
	return nil
}

// jsonFiles lists the .json files directly in dir (none if it is missing).
func jsonFiles(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".json") {
			out = append(out, e.Name())
		}
	}
	return out
}

func exportInputs(streams IO, f *downloadFlags) error {
	if f.output == "" {
		return usageErr("--output FILE is required")
	}
	if f.sha256 != "" {
		return usageErr("--sha256 checks a download: give --from URL")
	}
	lib, err := library.Load(policies.FS())
	if err != nil {
		return fmt.Errorf("built-in library: %w", err)
	}
	data, err := download.InputsJSON(lib.Defaults())
	if err != nil {
		return err
	}
	w, err := download.WriteFile(f.output, data)
	if err != nil {
		return err
	}
	fmt.Fprintf(streams.Err, "Exported the built-in control input defaults to %s\n", f.output)
	printWritten(streams, []download.File{w})
	return nil
}
