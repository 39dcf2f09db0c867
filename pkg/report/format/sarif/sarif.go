// Package sarif writes the report as SARIF 2.1.0.
package sarif

import (
	"io"

	"github.com/vigilsec/vigil/pkg/report"
)

// Options configure the SARIF output.
type Options struct{}

// Write writes r to w.
func Write(w io.Writer, r *report.Report, opts Options) error { return nil }
