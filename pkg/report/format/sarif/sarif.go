// Package sarif writes the report as a SARIF 2.1.0 log, the format code
// scanning services (GitHub, GitLab, Azure DevOps) import. Every control
// is a rule; every alert on a failed object is a result located at the
// line of its failed path, with a fix when the fix is a value that can be
// replaced in place. Controls that could not be evaluated and inputs that
// could not be read are tool notifications of the run's invocation.
package sarif

import (
	"encoding/json"
	"io"
	"math"

	"github.com/vigilsec/vigil/pkg/report"
)

// Options configure the SARIF output.
type Options struct {
	// SourceRoot is the directory relative source paths are read from for
	// snippets and fixes; "" is the working directory, which is where the
	// relative paths of a scan start. URIs in the log stay as scanned.
	SourceRoot string
}

// Fixed values of the log.
const (
	schemaURI      = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	toolName       = "vigil"
	informationURI = "https://github.com/vigilsec/vigil"
	controlDocsURI = "https://github.com/vigilsec/vigil/blob/main/docs/controls/"
	// fingerprintKey versions the partial fingerprint, so a change in how
	// it is computed can be told apart from a new finding.
	fingerprintKey = "vigilFinding/v1"
)

// Write writes r to w.
func Write(w io.Writer, r *report.Report, opts Options) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(build(r, opts))
}

type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []run  `json:"runs"`
}

type run struct {
	Tool        tool         `json:"tool"`
	Invocations []invocation `json:"invocations"`
	// ColumnKind says columns count Unicode code points, as the YAML
	// parser's positions do.
	ColumnKind string         `json:"columnKind"`
	Results    []result       `json:"results"`
	Properties map[string]any `json:"properties,omitempty"`
}

type tool struct {
	Driver driver `json:"driver"`
}

type driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri"`
	Rules          []rule `json:"rules"`
}

type message struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

func build(r *report.Report, opts Options) *sarifLog {
	rules, index := buildRules(r.Controls)
	rb := newResultBuilder(report.NewSources(opts.SourceRoot), index)
	return &sarifLog{
		Schema:  schemaURI,
		Version: sarifVersion,
		Runs: []run{{
			Tool: tool{Driver: driver{
				Name: toolName, Version: r.VigilVersion, InformationURI: informationURI, Rules: rules,
			}},
			Invocations: []invocation{buildInvocation(r, index)},
			ColumnKind:  "unicodeCodePoints",
			Results:     rb.results(r),
			Properties: map[string]any{
				"complianceScore": round2(r.Summary.ComplianceScore),
				"riskScore":       round2(r.Summary.RiskScore),
				"coveragePercent": round2(r.Coverage.Percent),
			},
		}},
	}
}

func round2(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return math.Round(f*100) / 100
}
