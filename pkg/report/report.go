// Package report turns engine results into a report: per object × control
// verdicts, per control and framework counters and scores, coverage, and the
// inputs that could not be read. Output formats read only this model.
package report

import (
	"time"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/source"
)

// Status of an object × control, a control, a framework or the scan.
type Status string

// Statuses, as in Kubescape's reports.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
)

// Sub-statuses qualify a status.
const (
	SubIrrelevant     = "irrelevant"
	SubConfiguration  = "configuration"
	SubManualReview   = "manual review"
	SubRequiresReview = "requires review"
	SubExceptions     = "w/exceptions"
)

// Report is the result of one scan.
type Report struct {
	GeneratedAt  time.Time
	VigilVersion string
	Target       Target
	Frameworks   []*FrameworkSummary
	Controls     []*ControlSummary
	Resources    []*Resource
	Summary      Summary
	Coverage     Coverage
	Inputs       Inputs
	Warnings     []string
	Timing       Timing
	// ControlInputs are the control inputs the scan used.
	ControlInputs policy.Inputs
}

// Target says what was scanned.
type Target struct {
	// Kind is source.TargetFile or source.TargetCluster.
	Kind  string
	Roots []string
	// Type is "Framework" or "Control"; Names are what was asked for.
	Type  string
	Names []string
	// Cluster is the cluster (context) name for cluster scans.
	Cluster string
}

// Inputs summarises what was read.
type Inputs struct {
	Files   []string
	Objects int
	Errors  []source.InputError
	Notes   []source.Note
	// Modes say how each root was read (chart, kustomization, files).
	Modes []source.RootMode
	// Commits are the last commit touching each file (repository scans).
	Commits map[string]source.Commit
	// Unavailable are the kinds a cluster scan could not list.
	Unavailable []source.Unavailable
	// APIRequests counts the API server requests of a cluster scan.
	APIRequests int64
}

// Timing records where the time went.
type Timing struct {
	Load, Compile, Evaluate, Report, Total time.Duration
}

// Counters count objects by verdict. Excluded objects failed but are
// covered by an exception; they also count as passed.
type Counters struct {
	Passed   int `json:"passedResources"`
	Failed   int `json:"failedResources"`
	Skipped  int `json:"skippedResources"`
	Excluded int `json:"excludedResources"`
}

// Total is the number of objects judged.
func (c Counters) Total() int { return c.Passed + c.Failed + c.Skipped }

// SeverityCounters count by severity.
type SeverityCounters struct {
	Critical int `json:"criticalSeverity"`
	High     int `json:"highSeverity"`
	Medium   int `json:"mediumSeverity"`
	Low      int `json:"lowSeverity"`
}

func (s *SeverityCounters) add(severity string, n int) {
	switch severity {
	case "Critical":
		s.Critical += n
	case "High":
		s.High += n
	case "Medium":
		s.Medium += n
	case "Low":
		s.Low += n
	}
}

// ControlSummary is a control's outcome over all objects.
type ControlSummary struct {
	Control   *policy.Control
	ID        string
	Name      string
	Severity  string
	BaseScore float64
	Status    Status
	SubStatus string
	// Reason explains a skipped status.
	Reason          string
	Counters        Counters
	ComplianceScore float64
	RiskScore       float64
	// Frameworks are the selected frameworks that include the control.
	Frameworks []string
	// Configuration is the control inputs the control reads, with values.
	Configuration map[string][]string
	Duration      time.Duration
	// riskNum and riskDen are the replica-weighted failed and total counts.
	riskNum, riskDen float64
}

// Evaluated reports whether the control judged at least one object, so
// counts in framework scores.
func (c *ControlSummary) Evaluated() bool {
	return (c.Status == Passed || c.Status == Failed) && c.SubStatus != SubIrrelevant
}

// FrameworkSummary is a framework's outcome.
type FrameworkSummary struct {
	Framework       *policy.Framework
	Name            string
	Status          Status
	Counters        Counters
	ComplianceScore float64
	RiskScore       float64
	Controls        []*ControlSummary
}

// Resource is one object and the controls that judged it.
type Resource struct {
	Object  *object.Object
	Status  Status
	Results []*Result
}

// Result is the verdict of one control on one object.
type Result struct {
	Control   *ControlSummary
	Status    Status
	SubStatus string
	Rules     []*RuleOutcome
	// Exception explains an excepted failure.
	Exception *ExceptionInfo
}

// ExceptionInfo tells why a failure was excepted.
type ExceptionInfo struct {
	Name   string `json:"name,omitempty"`
	Reason string `json:"reason,omitempty"`
	Source string `json:"source,omitempty"`
}

// RuleOutcome is one rule's verdict on one object.
type RuleOutcome struct {
	Name      string
	Status    Status
	SubStatus string
	Alerts    []engine.Alert
	// Error explains a rule that failed to evaluate on this object.
	Error string
	// Inputs are the control inputs the rule read.
	Inputs map[string][]string
}

// Paths merges the paths of every alert, without duplicates, in order.
func (r *RuleOutcome) Paths() (failed, review, deletes []string, fixes []engine.FixPath) {
	seen := map[string]bool{}
	addAll := func(dst *[]string, kind string, src []string) {
		for _, p := range src {
			if k := kind + p; !seen[k] {
				seen[k] = true
				*dst = append(*dst, p)
			}
		}
	}
	for _, a := range r.Alerts {
		addAll(&failed, "f", a.FailedPaths)
		addAll(&review, "r", a.ReviewPaths)
		addAll(&deletes, "d", a.DeletePaths)
		for _, f := range a.FixPaths {
			if k := "x" + f.Path + "=" + f.Value; !seen[k] {
				seen[k] = true
				fixes = append(fixes, f)
			}
		}
	}
	return failed, review, deletes, fixes
}

// Summary is the scan's overall outcome.
type Summary struct {
	Status Status
	// Counters count objects: failed if any control failed on them.
	Counters                  Counters
	ComplianceScore           float64
	RiskScore                 float64
	ControlsSeverityCounters  SeverityCounters
	ResourcesSeverityCounters SeverityCounters
	Controls                  ControlCounts
}

// ControlCounts count controls by outcome.
type ControlCounts struct {
	Passed, Failed, Skipped, Irrelevant int
}

// Coverage says how much of the selection could really be evaluated.
type Coverage struct {
	Total     int
	Evaluated int
	Percent   float64
	Skipped   []SkippedControl
	// ErroredObjects counts object × rule evaluations that failed.
	ErroredObjects int
}

// SkippedControl is a control that could not be evaluated, and why.
type SkippedControl struct {
	ID     string `json:"controlID"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}
