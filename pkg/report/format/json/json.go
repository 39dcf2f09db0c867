// Package jsonformat writes the report as JSON compatible with Kubescape's
// v2 posture report: the same top-level keys, summaryDetails, resources and
// results, so existing consumers keep working. Vigil's additions are in
// fields Kubescape does not use: "vigil" at the top level, "location" on
// paths, "messages" and "relatedObjects" on rules, "vigil" on sources.
package jsonformat

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/source"
)

// Options configure the JSON output.
type Options struct {
	// Indent pretty-prints the JSON.
	Indent bool
	// FailThreshold is recorded in the scan metadata.
	FailThreshold float64
	// ControlsInputs names the control-inputs file, for the metadata.
	ControlsInputs string
}

// Write writes r to w. Resources and results are written one at a time,
// so a report of tens of thousands of objects never sits in memory as one
// document.
func Write(w io.Writer, r *report.Report, opts Options) error {
	doc := build(r, opts)
	jw := &writer{w: bufio.NewWriterSize(w, 1<<16), indent: opts.Indent}
	jw.raw("{")
	jw.field("generationTime", doc.GenerationTime)
	jw.field("clusterAPIServerInfo", doc.ClusterAPIServerInfo)
	jw.field("clusterCloudProvider", doc.ClusterCloudProvider)
	jw.field("customerGUID", doc.CustomerGUID)
	jw.field("clusterName", doc.ClusterName)
	jw.field("summaryDetails", doc.SummaryDetails)
	roots := r.Target.Roots
	jw.array("resources", len(r.Resources), func(i int) any {
		rs := r.Resources[i]
		return res{ResourceID: rs.Object.ResourceID(), Object: objectJSON(rs.Object), Source: sourceOut(rs.Object, roots, r.Inputs.Commits)}
	})
	jw.field("attributes", doc.Attributes)
	jw.array("results", len(r.Resources), func(i int) any {
		rs := r.Resources[i]
		id := rs.Object.ResourceID()
		out := result{ResourceID: id, Controls: []resultControl{}}
		for _, cr := range rs.Results {
			out.Controls = append(out.Controls, resultControlOut(rs.Object, id, cr))
		}
		return out
	})
	jw.field("metadata", doc.Metadata)
	jw.field("vigil", doc.Vigil)
	jw.nl("")
	jw.raw("}\n")
	if jw.err != nil {
		return jw.err
	}
	return jw.w.Flush()
}

// writer writes a JSON object field by field, each value marshalled on its
// own and, when indenting, indented to its depth.
type writer struct {
	w      *bufio.Writer
	indent bool
	fields int
	err    error
	buf    bytes.Buffer
}

func (jw *writer) raw(s string) {
	if jw.err == nil {
		_, jw.err = jw.w.WriteString(s)
	}
}

func (jw *writer) nl(prefix string) {
	if jw.indent {
		jw.raw("\n" + prefix)
	}
}

func (jw *writer) key(name string) {
	if jw.fields > 0 {
		jw.raw(",")
	}
	jw.fields++
	jw.nl("  ")
	jw.raw(strconv.Quote(name) + ":")
	if jw.indent {
		jw.raw(" ")
	}
}

// value writes v marshalled, indented for the given prefix.
func (jw *writer) value(prefix string, v any) {
	if jw.err != nil {
		return
	}
	b, err := marshal(v)
	if err != nil {
		jw.err = err
		return
	}
	if jw.indent {
		jw.buf.Reset()
		if jw.err = json.Indent(&jw.buf, b, prefix, "  "); jw.err != nil {
			return
		}
		b = jw.buf.Bytes()
	}
	_, jw.err = jw.w.Write(b)
}

func (jw *writer) field(name string, v any) {
	jw.key(name)
	jw.value("  ", v)
}

func (jw *writer) array(name string, n int, elem func(int) any) {
	jw.key(name)
	jw.raw("[")
	for i := range n {
		if i > 0 {
			jw.raw(",")
		}
		jw.nl("    ")
		jw.value("    ", elem(i))
	}
	if n > 0 {
		jw.nl("  ")
	}
	jw.raw("]")
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

type document struct {
	GenerationTime       time.Time `json:"generationTime"`
	ClusterAPIServerInfo any       `json:"clusterAPIServerInfo"`
	ClusterCloudProvider string    `json:"clusterCloudProvider"`
	CustomerGUID         string    `json:"customerGUID"`
	ClusterName          string    `json:"clusterName"`
	SummaryDetails       summary   `json:"summaryDetails"`
	Attributes           any       `json:"attributes"`
	Metadata             metadata  `json:"metadata"`
	Vigil                vigil     `json:"vigil"`
}

type summary struct {
	Controls                  map[string]controlSummary `json:"controls"`
	Status                    report.Status             `json:"status"`
	Frameworks                []frameworkSummary        `json:"frameworks"`
	ResourcesSeverityCounters report.SeverityCounters   `json:"resourcesSeverityCounters"`
	ControlsSeverityCounters  report.SeverityCounters   `json:"controlsSeverityCounters"`
	ResourceCounters          report.Counters           `json:"ResourceCounters"`
	Vulnerabilities           vulnerabilities           `json:"vulnerabilities"`
	Score                     float64                   `json:"score"`
	ComplianceScore           float64                   `json:"complianceScore"`
}

type vulnerabilities struct {
	MapsSeverityToSummary map[string]any `json:"mapsSeverityToSummary"`
	CVEs                  []any          `json:"CVEs"`
	PackageScores         map[string]any `json:"packageScores"`
	Images                any            `json:"images"`
}

type statusInfo struct {
	Status    report.Status `json:"status"`
	SubStatus string        `json:"subStatus,omitempty"`
	Info      string        `json:"info,omitempty"`
}

type subStatusCounters struct {
	IgnoredResources int `json:"ignoredResources"`
}

type category struct {
	Name        string    `json:"name"`
	ID          string    `json:"id,omitempty"`
	SubCategory *category `json:"subCategory,omitempty"`
}

type controlSummary struct {
	StatusInfo        statusInfo          `json:"statusInfo"`
	ControlID         string              `json:"controlID"`
	Name              string              `json:"name"`
	Status            report.Status       `json:"status"`
	ResourceIDs       map[string]string   `json:"resourceIDs"`
	ResourceCounters  report.Counters     `json:"ResourceCounters"`
	SubStatusCounters subStatusCounters   `json:"subStatusCounters"`
	Score             float64             `json:"score"`
	ComplianceScore   float64             `json:"complianceScore"`
	ScoreFactor       float64             `json:"scoreFactor"`
	Category          *category           `json:"category,omitempty"`
	Severity          string              `json:"severity,omitempty"`
	Configuration     map[string][]string `json:"controlConfigurations,omitempty"`
}

type frameworkSummary struct {
	Controls         map[string]controlSummary `json:"controls"`
	Name             string                    `json:"name"`
	Status           report.Status             `json:"status"`
	Version          string                    `json:"version"`
	ResourceCounters report.Counters           `json:"ResourceCounters"`
	Score            float64                   `json:"score"`
	ComplianceScore  float64                   `json:"complianceScore"`
}

type res struct {
	ResourceID string          `json:"resourceID"`
	Object     json.RawMessage `json:"object"`
	Source     *src            `json:"source,omitempty"`
}

type src struct {
	Path             string      `json:"path,omitempty"`
	RelativePath     string      `json:"relativePath,omitempty"`
	HelmPath         string      `json:"helmPath,omitempty"`
	FileType         string      `json:"fileType,omitempty"`
	HelmChartName    string      `json:"helmChartName,omitempty"`
	HelmTemplateFile string      `json:"helmTemplateFile,omitempty"`
	HelmTemplateLine int         `json:"helmTemplateLine,omitempty"`
	LastCommit       lastCommit  `json:"lastCommit"`
	Vigil            *sourceInfo `json:"vigil,omitempty"`
}

type lastCommit struct {
	Hash           string    `json:"hash,omitempty"`
	Date           time.Time `json:"date"`
	CommitterName  string    `json:"committerName,omitempty"`
	CommitterEmail string    `json:"committerEmail,omitempty"`
	Message        string    `json:"message,omitempty"`
}

type sourceInfo struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Document int    `json:"document"`
	Kind     string `json:"kind,omitempty"`
	Root     string `json:"root,omitempty"`
	// SHA256 and Files are the content hashes of the source file and of
	// the files origins name, which `vigil fix` checks before editing.
	SHA256 string            `json:"sha256,omitempty"`
	Files  map[string]string `json:"files,omitempty"`
}

type result struct {
	ResourceID string          `json:"resourceID"`
	Controls   []resultControl `json:"controls"`
}

type resultControl struct {
	ControlID string        `json:"controlID"`
	Name      string        `json:"name"`
	Status    statusInfo    `json:"status"`
	Rules     []resultRule  `json:"rules"`
	Severity  string        `json:"severity"`
	Exception *exceptionOut `json:"exceptions,omitempty"`
}

type exceptionOut struct {
	Name   string `json:"name,omitempty"`
	Reason string `json:"reason,omitempty"`
	Source string `json:"source,omitempty"`
}

type resultRule struct {
	ControlConfigurations map[string][]string `json:"controlConfigurations,omitempty"`
	Name                  string              `json:"name"`
	Status                report.Status       `json:"status"`
	SubStatus             string              `json:"subStatus"`
	Paths                 []path              `json:"paths,omitempty"`
	Messages              []string            `json:"messages,omitempty"`
	RelatedObjects        []related           `json:"relatedObjects,omitempty"`
	FixCommand            string              `json:"fixCommand,omitempty"`
	Error                 string              `json:"error,omitempty"`
}

type path struct {
	ResourceID string           `json:"resourceID"`
	FailedPath string           `json:"failedPath,omitempty"`
	ReviewPath string           `json:"reviewPath,omitempty"`
	DeletePath string           `json:"deletePath,omitempty"`
	FixPath    *engine.FixPath  `json:"fixPath,omitempty"`
	Location   *report.Location `json:"location,omitempty"`
}

type related struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

type metadata struct {
	TargetMetadata  map[string]any `json:"targetMetadata"`
	ClusterMetadata map[string]any `json:"clusterMetadata"`
	ScanMetadata    scanMetadata   `json:"scanMetadata"`
}

type scanMetadata struct {
	TargetType       string   `json:"targetType"`
	KubescapeVersion string   `json:"kubescapeVersion"`
	FormatVersion    string   `json:"formatVersion"`
	ControlsInputs   string   `json:"controlsInputs"`
	Formats          []string `json:"formats,omitempty"`
	TargetNames      []string `json:"targetNames"`
	FailThreshold    float64  `json:"failThreshold"`
	ScanningTarget   int      `json:"scanningTarget"`
}

type vigil struct {
	Version  string                  `json:"version"`
	Target   target                  `json:"target"`
	Coverage coverage                `json:"coverage"`
	Inputs   inputs                  `json:"inputs"`
	Warnings []string                `json:"warnings"`
	Timing   map[string]float64      `json:"timingSeconds"`
	Risk     float64                 `json:"riskScore"`
	Controls report.ControlCounts    `json:"controlCounts"`
	Skipped  []report.SkippedControl `json:"skippedControls"`
}

type target struct {
	Kind  string   `json:"kind"`
	Roots []string `json:"roots"`
}

type coverage struct {
	Total          int     `json:"controls"`
	Evaluated      int     `json:"evaluated"`
	Percent        float64 `json:"percent"`
	ErroredObjects int     `json:"erroredEvaluations"`
}

type inputs struct {
	Files       int                  `json:"files"`
	Objects     int                  `json:"objects"`
	APIRequests int64                `json:"apiRequests,omitempty"`
	Unavailable []source.Unavailable `json:"unavailable,omitempty"`
	Modes       []source.RootMode    `json:"modes"`
	Errors      []source.InputError  `json:"errors"`
	Notes       []source.Note        `json:"notes"`
}

func build(r *report.Report, opts Options) *document {
	d := &document{
		GenerationTime: r.GeneratedAt,
		ClusterName:    r.Target.Cluster,
		SummaryDetails: summary{
			Controls:                  map[string]controlSummary{},
			Status:                    r.Summary.Status,
			ResourcesSeverityCounters: r.Summary.ResourcesSeverityCounters,
			ControlsSeverityCounters:  r.Summary.ControlsSeverityCounters,
			ResourceCounters:          r.Summary.Counters,
			Vulnerabilities: vulnerabilities{
				MapsSeverityToSummary: map[string]any{}, CVEs: []any{}, PackageScores: map[string]any{},
			},
			Score:           round(r.Summary.RiskScore),
			ComplianceScore: round(r.Summary.ComplianceScore),
			Frameworks:      []frameworkSummary{},
		},
		Metadata: metadata{
			TargetMetadata:  targetMetadata(r),
			ClusterMetadata: map[string]any{},
			ScanMetadata: scanMetadata{
				TargetType:       r.Target.Type,
				KubescapeVersion: "vigil-" + r.VigilVersion,
				FormatVersion:    "v2",
				ControlsInputs:   opts.ControlsInputs,
				Formats:          []string{"json"},
				TargetNames:      r.Target.Names,
				FailThreshold:    opts.FailThreshold,
				ScanningTarget:   scanningTarget(r),
			},
		},
		Vigil: vigil{
			Version: r.VigilVersion,
			Target:  target{Kind: r.Target.Kind, Roots: r.Target.Roots},
			Coverage: coverage{Total: r.Coverage.Total, Evaluated: r.Coverage.Evaluated,
				Percent: round(r.Coverage.Percent), ErroredObjects: r.Coverage.ErroredObjects},
			Inputs: inputs{Files: len(r.Inputs.Files), Objects: r.Inputs.Objects, Modes: nonNil(r.Inputs.Modes),
				APIRequests: r.Inputs.APIRequests, Unavailable: r.Inputs.Unavailable,
				Errors: nonNil(r.Inputs.Errors), Notes: nonNil(r.Inputs.Notes)},
			Warnings: nonNil(r.Warnings),
			Timing: map[string]float64{
				"load": r.Timing.Load.Seconds(), "compile": r.Timing.Compile.Seconds(),
				"evaluate": r.Timing.Evaluate.Seconds(), "report": r.Timing.Report.Seconds(),
				"total": r.Timing.Total.Seconds(),
			},
			Risk:     round(r.Summary.RiskScore),
			Controls: r.Summary.Controls,
			Skipped:  nonNil(r.Coverage.Skipped),
		},
	}
	if d.Metadata.ScanMetadata.TargetNames == nil {
		d.Metadata.ScanMetadata.TargetNames = []string{}
	}
	for _, c := range r.Controls {
		d.SummaryDetails.Controls[c.ID] = controlOut(c, true)
	}
	for _, f := range r.Frameworks {
		fs := frameworkSummary{
			Controls: map[string]controlSummary{}, Name: f.Name, Status: f.Status,
			Version: f.Framework.Version, ResourceCounters: f.Counters,
			Score: round(f.RiskScore), ComplianceScore: round(f.ComplianceScore),
		}
		for _, c := range f.Controls {
			fs.Controls[c.ID] = controlOut(c, false)
		}
		d.SummaryDetails.Frameworks = append(d.SummaryDetails.Frameworks, fs)
	}
	return d
}

func controlOut(c *report.ControlSummary, withSeverity bool) controlSummary {
	cs := controlSummary{
		StatusInfo:        statusInfo{Status: c.Status, SubStatus: c.SubStatus, Info: c.Reason},
		ControlID:         c.ID,
		Name:              c.Name,
		Status:            c.Status,
		ResourceIDs:       map[string]string{},
		ResourceCounters:  c.Counters,
		SubStatusCounters: subStatusCounters{IgnoredResources: c.Counters.Excluded},
		Score:             round(c.RiskScore),
		ComplianceScore:   round(c.ComplianceScore),
		ScoreFactor:       c.BaseScore,
		Configuration:     c.Configuration,
	}
	if cat := c.Control.Category; cat != nil {
		cs.Category = &category{Name: cat.Name, ID: cat.ID}
		if sub := cat.SubCategory; sub != nil {
			cs.Category.SubCategory = &category{Name: sub.Name, ID: sub.ID}
		}
	}
	if withSeverity {
		cs.Severity = c.Severity
	}
	return cs
}

func resultControlOut(o *object.Object, id string, cr *report.Result) resultControl {
	rc := resultControl{
		ControlID: cr.Control.ID,
		Name:      cr.Control.Name,
		Status:    statusInfo{Status: cr.Status, SubStatus: cr.SubStatus},
		Severity:  cr.Control.Severity,
	}
	if ex := cr.Exception; ex != nil {
		rc.Exception = &exceptionOut{Name: ex.Name, Reason: ex.Reason, Source: ex.Source}
	}
	for _, ro := range cr.Rules {
		rr := resultRule{
			ControlConfigurations: ro.Inputs,
			Name:                  ro.Name,
			Status:                ro.Status,
			SubStatus:             ro.SubStatus,
			Error:                 ro.Error,
		}
		seen := map[string]bool{}
		for i := range ro.Alerts {
			a := &ro.Alerts[i]
			if a.Message != "" {
				rr.Messages = append(rr.Messages, a.Message)
			}
			if a.FixCommand != "" {
				rr.FixCommand = a.FixCommand
			}
			add := func(kind, p string, fix *engine.FixPath) {
				key := kind + "\x00" + p
				if fix != nil {
					key += "\x00" + fix.Value
				}
				if seen[key] {
					return
				}
				seen[key] = true
				pe := path{ResourceID: id}
				switch kind {
				case "failed":
					pe.FailedPath = p
				case "review":
					pe.ReviewPath = p
				case "delete":
					pe.DeletePath = p
				case "fix":
					pe.FixPath = fix
				}
				if loc, ok := report.Locate(o, a, p); ok {
					pe.Location = &loc
				}
				rr.Paths = append(rr.Paths, pe)
			}
			for _, p := range a.FailedPaths {
				add("failed", p, nil)
			}
			for _, p := range a.ReviewPaths {
				add("review", p, nil)
			}
			for _, p := range a.DeletePaths {
				add("delete", p, nil)
			}
			for j := range a.FixPaths {
				add("fix", a.FixPaths[j].Path, &a.FixPaths[j])
			}
			for _, rel := range a.Related {
				k := "rel\x00" + rel.ID.Kind + "/" + rel.ID.Namespace + "/" + rel.ID.Name
				if !seen[k] {
					seen[k] = true
					rr.RelatedObjects = append(rr.RelatedObjects, related{
						APIVersion: rel.ID.APIVersion, Kind: rel.ID.Kind, Namespace: rel.ID.Namespace, Name: rel.ID.Name,
					})
				}
			}
		}
		rc.Rules = append(rc.Rules, rr)
	}
	return rc
}

// objectJSON renders the object as Kubescape does: its content, plus
// sourcePath for objects read from files, plus relatedObjects for RBAC
// subjects. It writes the Rego value directly, without building Go maps.
func objectJSON(o *object.Object) json.RawMessage {
	var b bytes.Buffer
	extra := map[string]func(){}
	if o.Source.Path != "" {
		extra["sourcePath"] = func() { writeString(&b, o.Source.Path) }
	}
	if o.Synthetic && len(o.Related) > 0 {
		extra["relatedObjects"] = func() {
			b.WriteByte('[')
			for i, r := range o.Related {
				if i > 0 {
					b.WriteByte(',')
				}
				b.Write(objectJSON(r))
			}
			b.WriteByte(']')
		}
	}
	writeValue(&b, o.Value, extra)
	return b.Bytes()
}

func sourceOut(o *object.Object, roots []string, commits map[string]source.Commit) *src {
	if o.Source.Path == "" {
		return nil
	}
	s := &src{
		Path:     o.Source.Path,
		FileType: fileType(o.Source.Path),
		Vigil: &sourceInfo{File: o.Source.Path, Line: o.Source.Line, Document: o.Source.Document, Kind: o.Source.Kind, Root: o.Source.Root,
			SHA256: o.Source.SHA256, Files: o.Source.Files},
	}
	if c, ok := commits[o.Source.Path]; ok {
		s.LastCommit = lastCommit{Hash: c.Hash, Date: c.Date, CommitterName: c.Author, CommitterEmail: c.Email, Message: c.Message}
	}
	switch o.Source.Kind {
	case "helm":
		// Kubescape's Helm fields: the chart, and the template file
		// relative to it.
		s.FileType = "Helm Chart"
		s.HelmPath = o.Source.Root
		s.HelmChartName = filepath.Base(strings.TrimSuffix(strings.TrimSuffix(o.Source.Root, ".tgz"), "/"))
		s.Path = o.Source.Root
		if rel, err := filepath.Rel(o.Source.Root, o.Source.Path); err == nil && !strings.HasPrefix(rel, "..") {
			s.HelmTemplateFile, s.RelativePath = rel, rel
		} else {
			s.HelmTemplateFile, s.RelativePath = o.Source.Path, o.Source.Path
		}
		s.HelmTemplateLine = o.Source.Line
		return s
	case "kustomize":
		s.FileType = "Kustomize Directory"
	}
	for _, root := range roots {
		if rel, err := filepath.Rel(root, o.Source.Path); err == nil && !strings.HasPrefix(rel, "..") {
			s.Path = root
			s.RelativePath = rel
			if rel == "." {
				s.RelativePath = filepath.Base(o.Source.Path)
				s.Path = filepath.Dir(root)
			}
			break
		}
	}
	return s
}

func fileType(p string) string {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".json":
		return "JSON"
	}
	return "YAML"
}

func targetMetadata(r *report.Report) map[string]any {
	base := ""
	if len(r.Target.Roots) == 1 {
		base = r.Target.Roots[0]
	}
	host, _ := os.Hostname()
	return map[string]any{
		"directoryContextMetadata": map[string]any{"basePath": base, "hostName": host},
	}
}

// scanningTarget follows Kubescape's numbering of scan targets.
func scanningTarget(r *report.Report) int {
	if r.Target.Kind == source.TargetCluster {
		return 0
	}
	return 4
}

func round(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return math.Round(f*1e6) / 1e6
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
