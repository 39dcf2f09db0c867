// Package pretty writes the report for people reading a terminal: a
// summary table of failed and skipped controls with severity counts and
// scores, and with Verbose every failed object with its paths, their
// locations in the source files, and how to fix them.
package pretty

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
	"github.com/vigilsec/vigil/pkg/source"
)

// Options configure the pretty output.
type Options struct {
	// Verbose lists every failed object with paths, locations and fixes.
	Verbose bool
	// Color uses ANSI colours.
	Color bool
	// MaxObjects caps the objects listed per control in verbose mode
	// (0 means no cap).
	MaxObjects int
}

type printer struct {
	w    io.Writer
	opts Options
	err  error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// ANSI styles.
const (
	reset   = "\x1b[0m"
	bold    = "\x1b[1m"
	dim     = "\x1b[2m"
	red     = "\x1b[31m"
	green   = "\x1b[32m"
	yellow  = "\x1b[33m"
	blue    = "\x1b[34m"
	magenta = "\x1b[35m"
	cyan    = "\x1b[36m"
)

func (p *printer) style(s string, codes ...string) string {
	if !p.opts.Color || s == "" {
		return s
	}
	return strings.Join(codes, "") + s + reset
}

func (p *printer) severity(s string) string {
	switch s {
	case "Critical":
		return p.style(s, bold, magenta)
	case "High":
		return p.style(s, red)
	case "Medium":
		return p.style(s, yellow)
	case "Low":
		return p.style(s, blue)
	}
	return s
}

// Write writes r to w.
func Write(w io.Writer, r *report.Report, opts Options) error {
	p := &printer{w: w, opts: opts}
	p.header(r)
	if opts.Verbose {
		p.details(r)
	}
	p.table(r)
	p.summary(r)
	p.problems(r)
	return p.err
}

func (p *printer) header(r *report.Report) {
	what := "controls " + strings.Join(r.Target.Names, ", ")
	if r.Target.Type == "Framework" {
		var names []string
		for _, f := range r.Frameworks {
			names = append(names, f.Name)
		}
		what = plural(len(names), "framework", "frameworks") + " " + strings.Join(names, ", ")
	}
	from := plural(len(r.Inputs.Files), "file", "files")
	switch r.Target.Kind {
	case source.TargetCluster:
		from = "cluster " + r.Target.Cluster
	case source.TargetHost:
		from = "host " + strings.Join(r.Target.Roots, ", ")
	}
	p.printf("%s %s: %s, %s, against %s (%s)\n",
		p.style("Vigil", bold), r.VigilVersion, from, plural(r.Inputs.Objects, "object", "objects"),
		what, plural(len(r.Controls), "control", "controls"))
	for _, m := range r.Inputs.Modes {
		switch m.Mode {
		case "helm":
			p.printf("  %s: Helm chart, rendered\n", m.Path)
		case "kustomize":
			p.printf("  %s: kustomization, built\n", m.Path)
		}
	}
	p.printf("\n")
}

// rank orders controls in the table: failed before skipped, then by
// severity, then by how many objects failed.
func rank(c *report.ControlSummary) (int, int, int) {
	st := 2
	switch c.Status {
	case report.Failed:
		st = 0
	case report.Skipped:
		st = 1
	}
	return st, -policy.SeverityRank(c.Severity), -c.Counters.Failed
}

func sortedControls(r *report.Report) []*report.ControlSummary {
	cs := append([]*report.ControlSummary(nil), r.Controls...)
	sort.SliceStable(cs, func(i, j int) bool {
		a1, a2, a3 := rank(cs[i])
		b1, b2, b3 := rank(cs[j])
		if a1 != b1 {
			return a1 < b1
		}
		if a2 != b2 {
			return a2 < b2
		}
		return a3 < b3
	})
	return cs
}

func (p *printer) table(r *report.Report) {
	var shown []*report.ControlSummary
	for _, c := range sortedControls(r) {
		if c.Status == report.Failed || c.Status == report.Skipped {
			shown = append(shown, c)
		}
	}
	if len(shown) == 0 {
		p.printf("%s\n\n", p.style("No control failed.", bold, green))
		return
	}
	rows := [][]string{{"SEVERITY", "CONTROL", "NAME", "FAILED", "SCORE"}}
	for _, c := range shown {
		failed, score := fmt.Sprintf("%d/%d", c.Counters.Failed, c.Counters.Total()), pct(c.ComplianceScore)
		if c.Status == report.Skipped {
			failed, score = "skipped", "-"
		}
		rows = append(rows, []string{c.Severity, c.ID, truncate(c.Name, 60), failed, score})
	}
	// Widths come from the plain text; colour is applied after padding so
	// escape codes never skew the columns.
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for n, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			padded := cell
			if i < len(row)-1 {
				padded += strings.Repeat(" ", widths[i]-len([]rune(cell))+2)
			}
			switch {
			case n == 0:
				padded = p.style(padded, bold)
			case i == 0:
				padded = p.severity(cell) + padded[len(cell):]
			}
			line.WriteString(padded)
		}
		p.printf("%s\n", strings.TrimRight(line.String(), " "))
	}
	p.printf("\n")
}

func (p *printer) summary(r *report.Report) {
	s := r.Summary
	cc := s.Controls
	p.printf("Controls: %s failed, %s passed, %d skipped, %d with nothing to check\n",
		p.style(fmt.Sprint(cc.Failed), bold, red), p.style(fmt.Sprint(cc.Passed), green), cc.Skipped, cc.Irrelevant)
	sev := s.ControlsSeverityCounters
	if cc.Failed > 0 {
		p.printf("Failed controls by severity: %s critical, %s high, %s medium, %s low\n",
			p.severity(fmt.Sprint(sev.Critical)), p.severity(fmt.Sprint(sev.High)),
			p.severity(fmt.Sprint(sev.Medium)), p.severity(fmt.Sprint(sev.Low)))
	}
	p.printf("Objects: %d failed, %d passed", s.Counters.Failed, s.Counters.Passed)
	if s.Counters.Excluded > 0 {
		p.printf(" (%d by exception)", s.Counters.Excluded)
	}
	if s.Counters.Skipped > 0 {
		p.printf(", %d not evaluated", s.Counters.Skipped)
	}
	p.printf("\n")
	var fw []string
	if len(r.Frameworks) > 1 {
		for _, f := range r.Frameworks {
			fw = append(fw, fmt.Sprintf("%s %s", f.Name, pct(f.ComplianceScore)))
		}
	}
	line := fmt.Sprintf("Compliance score: %s", p.style(pct(s.ComplianceScore), bold))
	if len(fw) > 0 {
		line += " (" + strings.Join(fw, ", ") + ")"
	}
	p.printf("%s   Risk score: %s   Coverage: %d/%d controls evaluated (%s)\n",
		line, pct(s.RiskScore), r.Coverage.Evaluated, r.Coverage.Total, pct(r.Coverage.Percent))
	if r.Timing.Total > 0 {
		p.printf("%s\n", p.style("Scanned in "+r.Timing.Total.Round(time.Millisecond).String(), dim))
	}
	if !p.opts.Verbose && cc.Failed > 0 {
		p.printf("%s\n", p.style("Run with -v to see each failed object, where it is, and how to fix it.", dim))
	}
}

func (p *printer) problems(r *report.Report) {
	if len(r.Coverage.Skipped) > 0 {
		p.printf("\n%s\n", p.style("Not evaluated:", bold, yellow))
		for _, s := range r.Coverage.Skipped {
			p.printf("  %s %s: %s\n", s.ID, s.Name, s.Reason)
		}
	}
	if len(r.Inputs.Unavailable) > 0 {
		p.printf("\n%s\n", p.style("Not listed (controls that need these kinds were skipped):", bold, yellow))
		for _, u := range r.Inputs.Unavailable {
			p.printf("  %s\n", u.String())
		}
	}
	if len(r.Inputs.Errors) > 0 {
		p.printf("\n%s\n", p.style(fmt.Sprintf("%s could not be read (everything else was scanned):", plural(len(r.Inputs.Errors), "input", "inputs")), bold, red))
		for _, e := range r.Inputs.Errors {
			p.printf("  %s\n", e.Error())
		}
	}
	if p.opts.Verbose && len(r.Inputs.Notes) > 0 {
		p.printf("\n%s\n", p.style("Notes:", bold))
		for _, n := range r.Inputs.Notes {
			p.printf("  %s\n", n.String())
		}
	}
}

// details lists, per failed control, every failed object with its paths.
func (p *printer) details(r *report.Report) {
	failed := map[*report.ControlSummary][]failure{}
	for _, res := range r.Resources {
		for _, cr := range res.Results {
			if cr.Status == report.Failed || cr.SubStatus == report.SubExceptions {
				failed[cr.Control] = append(failed[cr.Control], failure{res.Object, cr})
			}
		}
	}
	for _, c := range sortedControls(r) {
		fs := failed[c]
		if len(fs) == 0 {
			continue
		}
		p.printf("%s %s %s %s\n", p.style(c.ID, bold), p.style(c.Name, bold), p.severity(c.Severity),
			p.style(fmt.Sprintf("%d of %d objects failed", c.Counters.Failed, c.Counters.Total()), dim))
		if rem := oneLine(c.Control.Remediation); rem != "" {
			p.printf("  %s %s\n", p.style("Fix:", cyan), rem)
		}
		for i, f := range fs {
			if p.opts.MaxObjects > 0 && i == p.opts.MaxObjects {
				p.printf("  … and %d more\n", len(fs)-i)
				break
			}
			p.failure(f)
		}
		p.printf("\n")
	}
}

type failure struct {
	obj *object.Object
	res *report.Result
}

func (p *printer) failure(f failure) {
	o := f.obj
	mark := p.style("✗", red)
	if f.res.SubStatus == report.SubExceptions {
		mark = p.style("~", yellow)
	}
	where := ""
	if loc, ok := report.ObjectLocation(o); ok {
		where = p.style(fmt.Sprintf("%s:%d", loc.File, loc.Line), dim)
	}
	p.printf("  %s %s %s\n", mark, objectName(o), where)
	if ex := f.res.Exception; ex != nil {
		p.printf("      excepted: %s\n", firstNonEmpty(ex.Reason, ex.Name, ex.Source))
	}
	for _, ro := range f.res.Rules {
		for i := range ro.Alerts {
			a := &ro.Alerts[i]
			if a.Message != "" {
				p.printf("      %s\n", a.Message)
			}
			p.paths(o, a, "failed", a.FailedPaths)
			p.paths(o, a, "review", a.ReviewPaths)
			p.paths(o, a, "delete", a.DeletePaths)
			for _, fx := range a.FixPaths {
				p.printf("        %s %s = %s%s\n", p.style("fix", green), fx.Path, fx.Value, p.where(o, a, fx.Path))
			}
			if a.FixCommand != "" {
				p.printf("        %s %s\n", p.style("run", green), a.FixCommand)
			}
			for _, rel := range a.Related {
				paths := append(append(append([]string{}, rel.FailedPaths...), rel.ReviewPaths...), rel.DeletePaths...)
				for _, f := range rel.FixPaths {
					paths = append(paths, f.Path+" = "+f.Value)
				}
				suffix := ""
				if len(paths) > 0 {
					suffix = ": " + strings.Join(paths, ", ")
				}
				p.printf("        related: %s %s%s\n", rel.ID.Kind, qualified(rel.ID.Namespace, rel.ID.Name), suffix)
			}
		}
	}
}

func (p *printer) paths(o *object.Object, a *engine.Alert, label string, paths []string) {
	for _, path := range paths {
		p.printf("        %-6s %s%s\n", label, path, p.where(o, a, path))
	}
}

// where renders a path's location: "  (file:12:5)" for an existing node,
// "  (file:10:3, to add)" when the path is missing and its parent is shown.
func (p *printer) where(o *object.Object, a *engine.Alert, path string) string {
	loc, ok := report.Locate(o, a, path)
	if !ok {
		return ""
	}
	s := fmt.Sprintf("line %d:%d", loc.Line, loc.Column)
	if loc.File != o.Source.Path {
		s = fmt.Sprintf("%s:%d:%d", loc.File, loc.Line, loc.Column)
	}
	if !loc.Exact {
		s += ", not set; parent " + loc.Found
	}
	s += originNote(loc)
	return "  " + p.style("("+s+")", dim)
}

func objectName(o *object.Object) string {
	return o.ID.Kind + " " + qualified(o.ID.Namespace, o.ID.Name)
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", f) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// originNote tells, for a rendered object, what set the value: a values
// key (and the template line that used it) or a command-line flag.
func originNote(loc report.Location) string {
	var parts []string
	for _, og := range loc.Origins {
		switch {
		case og.Kind == object.OriginHelmValues && og.File == "":
			parts = append(parts, "set by "+og.Detail)
		case og.Kind == object.OriginHelmValues:
			note := "values key " + og.ValuesKey
			if og.Template != "" {
				note += fmt.Sprintf(", used at %s:%d", og.Template, og.TemplateLine)
			}
			if og.File != loc.File || og.Line != loc.Line {
				note = fmt.Sprintf("%s:%d %s", og.File, og.Line, note)
			}
			parts = append(parts, note)
		case og.Kind == object.OriginHelmTemplate && og.File == loc.File && og.Line == loc.Line:
			parts = append(parts, "template literal")
		case og.Kind == object.OriginKustomizePatch:
			parts = append(parts, fmt.Sprintf("set by patch %s:%d", og.File, og.Line))
		case og.Kind == object.OriginKustomizeTransformer:
			parts = append(parts, "set by "+og.Detail)
		}
		if len(parts) == 2 {
			break
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, "; ")
}
