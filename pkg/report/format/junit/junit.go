// Package junit writes the report as JUnit XML, so CI systems show each
// control as a test: one testsuite per framework (or one suite named
// "controls" for a scan of named controls), one testcase per control. A
// failed control is a failure listing its failed objects; a control that
// could not be evaluated is skipped with the reason; passed and irrelevant
// controls are plain testcases.
package junit

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/report"
)

// Options configure the JUnit output.
type Options struct{}

// controlsSuite names the single suite of a scan of named controls.
const controlsSuite = "controls"

// The errors counters stay 0: a control that could not be evaluated is
// reported as skipped with its reason, as the report contract has it.
type testsuites struct {
	XMLName  xml.Name    `xml:"testsuites"`
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Suites   []testsuite `xml:"testsuite"`
}

type testsuite struct {
	Name       string     `xml:"name,attr"`
	Tests      int        `xml:"tests,attr"`
	Failures   int        `xml:"failures,attr"`
	Errors     int        `xml:"errors,attr"`
	Skipped    int        `xml:"skipped,attr"`
	Time       string     `xml:"time,attr"`
	Timestamp  string     `xml:"timestamp,attr,omitempty"`
	Properties []property `xml:"properties>property"`
	Cases      []testcase `xml:"testcase"`
	// SystemErr carries what went wrong around the tests: unreadable
	// inputs and scan warnings, which affect every suite's verdicts.
	SystemErr *cdata `xml:"system-err,omitempty"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

type property struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type testcase struct {
	Name      string   `xml:"name,attr"`
	Classname string   `xml:"classname,attr"`
	Time      string   `xml:"time,attr"`
	Failure   *failure `xml:"failure"`
	Skipped   *skipped `xml:"skipped"`
}

type failure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	// Body is CDATA so the one-line-per-object list stays readable in
	// the file; encoding/xml splits any "]]>" inside it.
	Body string `xml:",cdata"`
}

type skipped struct {
	Message string `xml:"message,attr"`
}

// Write writes r to w.
func Write(w io.Writer, r *report.Report, _ Options) error {
	doc := build(r)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// suiteSource is one suite's controls and scores before rendering.
type suiteSource struct {
	name             string
	controls         []*report.ControlSummary
	compliance, risk float64
}

func build(r *report.Report) *testsuites {
	failed := failedObjects(r)
	systemErr := problems(r)
	doc := &testsuites{Name: "vigil"}
	var total time.Duration
	for _, src := range suites(r) {
		s, d := suite(src, r.GeneratedAt, failed)
		s.SystemErr = systemErr
		total += d
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	doc.Time = seconds(total)
	return doc
}

// suite renders one suite and returns the time its controls took.
func suite(src suiteSource, generated time.Time, failed map[*report.ControlSummary][]objectFailure) (testsuite, time.Duration) {
	s := testsuite{
		Name:      src.name,
		Timestamp: timestamp(generated),
		Properties: []property{
			{Name: "complianceScore", Value: score(src.compliance)},
			{Name: "riskScore", Value: score(src.risk)},
		},
	}
	var d time.Duration
	for _, c := range src.controls {
		tc := testcase{Name: c.ID + " " + c.Name, Classname: src.name, Time: seconds(c.Duration)}
		switch c.Status {
		case report.Failed:
			tc.Failure = failureOf(c, failed[c])
			s.Failures++
		case report.Skipped:
			tc.Skipped = &skipped{Message: skipReason(c)}
			s.Skipped++
		}
		s.Cases = append(s.Cases, tc)
		d += c.Duration
	}
	s.Tests = len(s.Cases)
	s.Time = seconds(d)
	return s, d
}

// suites lists one suite per framework, or the single "controls" suite of
// a scan that named controls rather than frameworks.
func suites(r *report.Report) []suiteSource {
	if len(r.Frameworks) == 0 {
		return []suiteSource{{
			name: controlsSuite, controls: r.Controls,
			compliance: r.Summary.ComplianceScore, risk: r.Summary.RiskScore,
		}}
	}
	out := make([]suiteSource, len(r.Frameworks))
	for i, f := range r.Frameworks {
		out[i] = suiteSource{name: f.Name, controls: f.Controls, compliance: f.ComplianceScore, risk: f.RiskScore}
	}
	return out
}

// objectFailure is one object a control failed on.
type objectFailure struct {
	object *object.Object
	result *report.Result
}

// failedObjects indexes the failed objects of each control, in report order.
func failedObjects(r *report.Report) map[*report.ControlSummary][]objectFailure {
	out := map[*report.ControlSummary][]objectFailure{}
	for _, res := range r.Resources {
		for _, cr := range res.Results {
			if cr.Status == report.Failed {
				out[cr.Control] = append(out[cr.Control], objectFailure{object: res.Object, result: cr})
			}
		}
	}
	return out
}

func failureOf(c *report.ControlSummary, objs []objectFailure) *failure {
	f := &failure{
		Message: fmt.Sprintf("%d of %d objects failed", c.Counters.Failed, c.Counters.Total()),
		Type:    c.Severity,
	}
	lines := make([]string, len(objs))
	for i, of := range objs {
		lines[i] = objectLine(of)
	}
	if len(lines) > 0 {
		f.Body = xmlText("\n" + strings.Join(lines, "\n") + "\n")
	}
	return f
}

// objectLine renders one failed object on one line:
// "Kind/namespace/name (file:line): message; message [path, path]".
func objectLine(of objectFailure) string {
	var b strings.Builder
	b.WriteString(objectName(of.object.ID))
	var msgs, paths []string
	located := false
	for _, ro := range of.result.Rules {
		for i := range ro.Alerts {
			a := &ro.Alerts[i]
			if !located {
				if p, ok := report.AlertPlace(of.object, a); ok {
					fmt.Fprintf(&b, " (%s:%d)", p.File, p.Line)
					located = true
				}
			}
			msgs = appendNew(msgs, a.Message)
			for _, p := range shownPaths(a) {
				paths = appendNew(paths, p)
			}
		}
	}
	if len(msgs) > 0 {
		b.WriteString(": " + strings.Join(msgs, "; "))
	}
	if len(paths) > 0 {
		b.WriteString(" [" + strings.Join(paths, ", ") + "]")
	}
	return b.String()
}

// shownPaths are the paths that say what failed: the failed paths, else
// the first kind of path the alert has (a rule may name only the field a
// fix would add).
func shownPaths(a *engine.Alert) []string {
	for _, ps := range [][]string{a.FailedPaths, a.ReviewPaths, a.DeletePaths} {
		if len(ps) > 0 {
			return ps
		}
	}
	var out []string
	for _, f := range a.FixPaths {
		out = append(out, f.Path)
	}
	return out
}

func objectName(id object.Identity) string {
	if id.Namespace == "" {
		return id.Kind + "/" + id.Name
	}
	return id.Kind + "/" + id.Namespace + "/" + id.Name
}

func appendNew(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func skipReason(c *report.ControlSummary) string {
	switch {
	case c.SubStatus != "" && c.Reason != "":
		return c.SubStatus + ": " + c.Reason
	case c.SubStatus != "":
		return c.SubStatus
	case c.Reason != "":
		return c.Reason
	}
	return "not evaluated"
}

// problems lists input errors and scan warnings, one per line.
func problems(r *report.Report) *cdata {
	var lines []string
	for _, e := range r.Inputs.Errors {
		lines = append(lines, "input error: "+e.Error())
	}
	for _, w := range r.Warnings {
		lines = append(lines, "warning: "+w)
	}
	if len(lines) == 0 {
		return nil
	}
	return &cdata{Text: xmlText("\n" + strings.Join(lines, "\n") + "\n")}
}

// timestamp renders a time as JUnit's schema wants it: ISO 8601 without a
// zone, here always UTC.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

// xmlText replaces what XML 1.0 cannot carry (control characters from a
// rule's message) with U+FFFD: CDATA is written unescaped.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r < 0xE000, r == 0xFFFE, r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

func score(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
