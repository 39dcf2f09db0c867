package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/vigilsec/vigil/pkg/report"
	jsonformat "github.com/vigilsec/vigil/pkg/report/format/json"
	"github.com/vigilsec/vigil/pkg/report/format/junit"
	"github.com/vigilsec/vigil/pkg/report/format/pretty"
	"github.com/vigilsec/vigil/pkg/report/format/sarif"
)

type outputOptions struct {
	verbose        bool
	color          bool
	failThreshold  float64
	controlsInputs string
}

type format struct {
	// file is the name used when several formats go to a directory.
	file  string
	write func(w io.Writer, r *report.Report, o outputOptions) error
}

func formats() map[string]format {
	return map[string]format{
		"pretty": {file: "report.txt", write: func(w io.Writer, r *report.Report, o outputOptions) error {
			return pretty.Write(w, r, pretty.Options{Verbose: o.verbose, Color: o.color})
		}},
		"json": {file: "report.json", write: func(w io.Writer, r *report.Report, o outputOptions) error {
			return jsonformat.Write(w, r, jsonformat.Options{FailThreshold: o.failThreshold, ControlsInputs: o.controlsInputs})
		}},
		"junit": {file: "report.xml", write: func(w io.Writer, r *report.Report, _ outputOptions) error {
			return junit.Write(w, r, junit.Options{})
		}},
		"sarif": {file: "report.sarif", write: func(w io.Writer, r *report.Report, _ outputOptions) error {
			return sarif.Write(w, r, sarif.Options{})
		}},
	}
}

func formatNames() []string {
	var names []string
	for n := range formats() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func lookupFormat(name string) (format, bool) {
	f, ok := formats()[name]
	return f, ok
}

// writeOutputs writes each format to stdout, to the output file (one
// format) or into the output directory (several formats).
func writeOutputs(streams IO, rep *report.Report, names []string, output string, o outputOptions) error {
	if output == "" {
		for _, n := range names {
			f, _ := lookupFormat(n)
			if err := f.write(streams.Out, rep, o); err != nil {
				return fmt.Errorf("write %s output: %w", n, err)
			}
		}
		return nil
	}
	single := len(names) == 1
	if st, err := os.Stat(output); err == nil && st.IsDir() {
		single = false
	}
	if !single {
		if err := os.MkdirAll(output, 0o755); err != nil {
			return fmt.Errorf("create output directory: %w", err)
		}
	}
	for _, n := range names {
		f, _ := lookupFormat(n)
		p := output
		if !single {
			p = filepath.Join(output, f.file)
		}
		if err := writeFile(p, func(w io.Writer) error { return f.write(w, rep, o) }); err != nil {
			return fmt.Errorf("write %s output to %s: %w", n, p, err)
		}
		fmt.Fprintf(streams.Err, "Wrote %s report to %s\n", n, p)
	}
	return nil
}

// writeFile writes through a temporary file so a failed write never leaves
// a truncated report behind.
func writeFile(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".vigil-report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
