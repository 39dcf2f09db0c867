package report

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/source"
)

// Excepter decides whether a failure is covered by an exception.
type Excepter interface {
	// Except returns the exception covering a failure of control c on
	// object o, or nil.
	Except(o *object.Object, c *policy.Control, frameworks []string) *ExceptionInfo
}

// Input is everything a report is built from.
type Input struct {
	Selection  *policy.Selection
	Result     *engine.Result
	Inventory  *source.Inventory
	Inputs     policy.Inputs
	Excepter   Excepter
	Version    string
	Now        time.Time
	Timing     Timing
	Cluster    string
	Warnings   []string
	ExtraNotes []source.Note
}

// Build computes verdicts, counters and scores.
func Build(in Input) *Report {
	start := time.Now()
	r := &Report{
		GeneratedAt:   in.Now,
		VigilVersion:  in.Version,
		ControlInputs: in.Inputs,
		Timing:        in.Timing,
		Warnings:      append(slices.Clone(in.Warnings), in.Result.Warnings...),
		Target: Target{
			Kind: in.Inventory.Target, Roots: in.Inventory.Roots,
			Type: in.Selection.TargetType, Names: in.Selection.TargetNames, Cluster: in.Cluster,
		},
		Inputs: Inputs{
			Files:       in.Inventory.Inputs,
			Objects:     len(in.Inventory.Objects),
			Errors:      in.Inventory.Errors,
			Notes:       append(slices.Clone(in.Inventory.Notes), in.ExtraNotes...),
			Modes:       in.Inventory.Modes,
			Commits:     in.Inventory.Commits,
			Unavailable: in.Inventory.Unavailable,
		},
	}
	objects := in.Result.Objects
	resources := make([]*Resource, len(objects))
	fwNames := map[string][]string{}
	for _, f := range in.Selection.Frameworks {
		for _, c := range f.Controls {
			fwNames[c.ControlID] = append(fwNames[c.ControlID], f.Name)
		}
	}
	byID := map[string]*ControlSummary{}
	for _, cres := range in.Result.Controls {
		cs := buildControl(cres, objects, resources, fwNames[cres.Control.ControlID], in)
		r.Controls = append(r.Controls, cs)
		byID[cs.ID] = cs
	}
	sort.SliceStable(r.Controls, func(i, j int) bool { return controlLess(r.Controls[i].ID, r.Controls[j].ID) })
	for _, res := range resources {
		if res == nil {
			continue
		}
		res.Status = resourceStatus(res)
		sort.SliceStable(res.Results, func(i, j int) bool {
			return controlLess(res.Results[i].Control.ID, res.Results[j].Control.ID)
		})
		r.Resources = append(r.Resources, res)
	}
	for _, f := range in.Selection.Frameworks {
		fs := &FrameworkSummary{Framework: f, Name: f.Name}
		for _, c := range f.Controls {
			if cs := byID[c.ControlID]; cs != nil {
				fs.Controls = append(fs.Controls, cs)
			}
		}
		fs.ComplianceScore, fs.RiskScore = scores(fs.Controls)
		fs.Counters = resourceCounters(r.Resources, fs.Controls)
		fs.Status = aggregateStatus(fs.Controls)
		r.Frameworks = append(r.Frameworks, fs)
	}
	r.Summary = summarize(r)
	r.Coverage = coverage(r.Controls, in.Result)
	r.Timing.Report = time.Since(start)
	return r
}

func buildControl(cres *engine.ControlResult, objects []*object.Object, resources []*Resource, frameworks []string, in Input) *ControlSummary {
	c := cres.Control
	cs := &ControlSummary{
		Control: c, ID: c.ControlID, Name: c.Name, BaseScore: c.BaseScore,
		Severity: c.Severity(), Frameworks: frameworks,
		Configuration: configuration(c, in.Inputs),
	}
	for _, rr := range cres.Rules {
		cs.Duration += rr.Duration
	}
	switch {
	case cres.NotApplicable != "":
		cs.Status, cs.SubStatus, cs.Reason, cs.ComplianceScore = Passed, SubIrrelevant, cres.NotApplicable, 100
		return cs
	case strings.EqualFold(c.ActionRequired(), SubManualReview):
		// Before Skipped: a manual control usually has no rule, which is
		// its nature, not a gap.
		cs.Status, cs.SubStatus, cs.Reason = Skipped, SubManualReview, "this control needs a manual check"
		return cs
	case cres.Skipped != "":
		cs.Status, cs.Reason = Skipped, cres.Skipped
		cs.ComplianceScore = 0
		return cs
	case strings.EqualFold(c.ActionRequired(), SubConfiguration) && inputsEmpty(c, in.Inputs):
		cs.Status, cs.SubStatus = Skipped, SubConfiguration
		cs.Reason = "needs control inputs: " + strings.Join(c.InputKeys(), ", ")
		return cs
	}
	// Collect each object's outcome across the control's rules. Most
	// objects pass: they share one immutable outcome per rule (the slice
	// has no spare capacity, so a second rule's append copies it).
	outcomes := map[int][]*RuleOutcome{}
	var order []int
	for _, rr := range cres.Rules {
		if rr.Skipped != "" {
			continue
		}
		ruleInputs := ruleConfiguration(rr.Rule, in.Inputs)
		passed := []*RuleOutcome{{Name: rr.Rule.Name, Status: Passed, Inputs: ruleInputs}}
		for _, idx := range rr.Scope {
			var ro *RuleOutcome
			if as := rr.Alerts[idx]; len(as) > 0 {
				ro = &RuleOutcome{Name: rr.Rule.Name, Status: Failed, Alerts: as, Inputs: ruleInputs}
			} else if msg, ok := rr.Errored[idx]; ok {
				ro = &RuleOutcome{Name: rr.Rule.Name, Status: Skipped, Error: msg, Inputs: ruleInputs}
			}
			prev, seen := outcomes[idx]
			if !seen {
				order = append(order, idx)
			}
			switch {
			case ro == nil && !seen:
				outcomes[idx] = passed
			case ro == nil:
				outcomes[idx] = append(prev, passed[0])
			default:
				outcomes[idx] = append(prev, ro)
			}
		}
	}
	for _, idx := range order {
		o := objects[idx]
		res := &Result{Control: cs, Rules: outcomes[idx], Status: Passed}
		for _, ro := range res.Rules {
			switch {
			case ro.Status == Failed:
				res.Status = Failed
			case ro.Status == Skipped && res.Status == Passed:
				res.Status = Skipped
			}
		}
		if res.Status == Failed && in.Excepter != nil {
			if ex := in.Excepter.Except(o, c, frameworks); ex != nil {
				res.Status, res.SubStatus, res.Exception = Passed, SubExceptions, ex
				for _, ro := range res.Rules {
					// Failed outcomes are never shared, so they can change.
					if ro.Status == Failed {
						ro.Status, ro.SubStatus = Passed, SubExceptions
					}
				}
			}
		}
		w := float64(max(o.Replicas, 1))
		cs.riskDen += w
		switch res.Status {
		case Failed:
			cs.Counters.Failed++
			cs.riskNum += w
		case Skipped:
			cs.Counters.Skipped++
			cs.riskDen -= w
		default:
			cs.Counters.Passed++
			if res.SubStatus == SubExceptions {
				cs.Counters.Excluded++
			}
		}
		if resources[idx] == nil {
			resources[idx] = &Resource{Object: o}
		}
		resources[idx].Results = append(resources[idx].Results, res)
	}
	judged := cs.Counters.Passed + cs.Counters.Failed
	switch {
	case judged == 0 && cs.Counters.Skipped > 0:
		cs.Status, cs.Reason = Skipped, "every object in scope failed to evaluate"
	case judged == 0:
		cs.Status, cs.SubStatus, cs.ComplianceScore = Passed, SubIrrelevant, 100
	default:
		cs.ComplianceScore = 100 * float64(cs.Counters.Passed) / float64(judged)
		if cs.riskDen > 0 {
			cs.RiskScore = 100 * cs.riskNum / cs.riskDen
		}
		cs.Status = Passed
		if cs.Counters.Failed > 0 {
			cs.Status = Failed
		} else if cs.Counters.Excluded > 0 {
			cs.SubStatus = SubExceptions
		}
	}
	if strings.EqualFold(c.ActionRequired(), SubRequiresReview) && cs.Status == Failed {
		cs.SubStatus = SubRequiresReview
	}
	return cs
}

func configuration(c *policy.Control, inputs policy.Inputs) map[string][]string {
	keys := c.InputKeys()
	if len(keys) == 0 {
		return nil
	}
	out := make(map[string][]string, len(keys))
	for _, k := range keys {
		out[k] = inputs[k]
	}
	return out
}

func ruleConfiguration(r *policy.Rule, inputs policy.Inputs) map[string][]string {
	if len(r.ControlConfigInputs) == 0 {
		return nil
	}
	out := map[string][]string{}
	for _, ci := range r.ControlConfigInputs {
		out[ci.Key()] = inputs[ci.Key()]
	}
	return out
}

func inputsEmpty(c *policy.Control, inputs policy.Inputs) bool {
	for _, k := range c.InputKeys() {
		if len(inputs[k]) > 0 {
			return false
		}
	}
	return true
}

func resourceStatus(res *Resource) Status {
	st := Skipped
	for _, r := range res.Results {
		switch r.Status {
		case Failed:
			return Failed
		case Passed:
			st = Passed
		}
	}
	return st
}

// scores returns the compliance score (mean over evaluated controls) and
// the risk score (failed objects weighted by base score and replicas, over
// all judged objects weighted the same way).
func scores(controls []*ControlSummary) (compliance, risk float64) {
	var n int
	var num, den float64
	for _, c := range controls {
		if !c.Evaluated() {
			continue
		}
		n++
		compliance += c.ComplianceScore
		num += c.BaseScore * c.riskNum
		den += c.BaseScore * c.riskDen
	}
	if n == 0 {
		return 100, 0
	}
	compliance /= float64(n)
	if den > 0 {
		risk = 100 * num / den
	}
	return compliance, risk
}

func aggregateStatus(controls []*ControlSummary) Status {
	st := Skipped
	for _, c := range controls {
		switch c.Status {
		case Failed:
			return Failed
		case Passed:
			st = Passed
		}
	}
	return st
}

// resourceCounters counts resources by their verdict over some controls.
func resourceCounters(resources []*Resource, controls []*ControlSummary) Counters {
	in := make(map[*ControlSummary]bool, len(controls))
	for _, c := range controls {
		in[c] = true
	}
	var cnt Counters
	for _, res := range resources {
		st, excluded, any := Skipped, false, false
		for _, r := range res.Results {
			if !in[r.Control] {
				continue
			}
			any = true
			switch r.Status {
			case Failed:
				st = Failed
			case Passed:
				if st != Failed {
					st = Passed
				}
				if r.SubStatus == SubExceptions {
					excluded = true
				}
			}
		}
		if !any {
			continue
		}
		switch st {
		case Failed:
			cnt.Failed++
		case Passed:
			cnt.Passed++
			if excluded {
				cnt.Excluded++
			}
		default:
			cnt.Skipped++
		}
	}
	return cnt
}

func summarize(r *Report) Summary {
	s := Summary{}
	s.ComplianceScore, s.RiskScore = scores(r.Controls)
	s.Counters = resourceCounters(r.Resources, r.Controls)
	s.Status = aggregateStatus(r.Controls)
	for _, c := range r.Controls {
		switch {
		case c.Status == Failed:
			s.Controls.Failed++
			s.ControlsSeverityCounters.add(c.Severity, 1)
			s.ResourcesSeverityCounters.add(c.Severity, c.Counters.Failed)
		case c.Status == Skipped:
			s.Controls.Skipped++
		case c.SubStatus == SubIrrelevant:
			s.Controls.Irrelevant++
		default:
			s.Controls.Passed++
		}
	}
	return s
}

func coverage(controls []*ControlSummary, res *engine.Result) Coverage {
	cv := Coverage{}
	for _, c := range controls {
		if c.SubStatus == SubManualReview {
			continue // manual by nature, not a gap in what Vigil could check
		}
		cv.Total++
		if c.Status == Skipped {
			cv.Skipped = append(cv.Skipped, SkippedControl{ID: c.ID, Name: c.Name, Reason: c.Reason})
			continue
		}
		cv.Evaluated++
	}
	for _, c := range res.Controls {
		for _, rr := range c.Rules {
			cv.ErroredObjects += len(rr.Errored)
		}
	}
	cv.Percent = 100
	if cv.Total > 0 {
		cv.Percent = 100 * float64(cv.Evaluated) / float64(cv.Total)
	}
	return cv
}

// controlLess orders control IDs by prefix, then number: C-0002 < C-0010 < V-0001.
func controlLess(a, b string) bool {
	pa, na := splitID(a)
	pb, nb := splitID(b)
	if pa != pb {
		return pa < pb
	}
	if na != nb {
		return na < nb
	}
	return a < b
}

func splitID(id string) (string, int) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 {
		return id, 0
	}
	n := 0
	for _, ch := range id[i+1:] {
		if ch < '0' || ch > '9' {
			return id, 0
		}
		n = n*10 + int(ch-'0')
	}
	return id[:i], n
}

// Gate is a pass/fail threshold on a report.
type Gate struct {
	// ComplianceThreshold fails the scan when the overall compliance score
	// is below it (0 disables).
	ComplianceThreshold float64
	// SeverityThreshold fails the scan when a control of this severity or
	// higher failed ("" disables).
	SeverityThreshold string
}

// Check returns the reasons the report fails the gate (none when it passes).
func (g Gate) Check(r *Report) []string {
	var out []string
	if g.ComplianceThreshold > 0 && r.Summary.ComplianceScore < g.ComplianceThreshold {
		out = append(out, "compliance score "+formatPct(r.Summary.ComplianceScore)+" is below the threshold "+formatPct(g.ComplianceThreshold))
	}
	if g.SeverityThreshold != "" {
		min := policy.SeverityRank(g.SeverityThreshold)
		var ids []string
		for _, c := range r.Controls {
			if c.Status == Failed && policy.SeverityRank(c.Severity) >= min {
				ids = append(ids, c.ID)
			}
		}
		if len(ids) > 0 {
			out = append(out, formatCount(len(ids), "control")+" of severity "+strings.ToLower(g.SeverityThreshold)+" or higher failed: "+strings.Join(ids, ", "))
		}
	}
	return out
}
