// Package engine evaluates Rego rules in Kubescape's contract against an
// inventory of objects: it matches rules to objects, builds the RBAC subject
// vectors relational rules expect, runs every rule in parallel over prepared
// queries, and attributes the alerts back to the objects they name.
package engine

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/source"
)

// Options configure an engine.
type Options struct {
	// Inputs are the control inputs (data.postureControlInputs).
	Inputs policy.Inputs
	// CloudProvider is data.dataControlInputs.cloudProvider.
	CloudProvider string
	// Modules are shared Rego packages rules may import, besides the
	// contract's own (cautils, kubernetes.api.client).
	Modules []Module
	// Workers bounds parallel evaluation (GOMAXPROCS when 0).
	Workers int
	// Tracer, when set, sees every evaluation step (for profiling rules).
	// It forces one worker: tracers are not safe for concurrent use.
	Tracer topdown.QueryTracer
}

// Engine holds the compiled rules of a selection of controls. It is safe
// for concurrent Evaluate calls.
type Engine struct {
	controls []*policy.Control
	rules    []*compiledRule
	// groups are per-object rules evaluated together (see ruleGroup).
	groups []*ruleGroup
	// byControl maps a control ID to its compiled rules.
	byControl map[string][]*compiledRule
	// compileErrs are controls whose rules did not compile.
	compileErrs map[string]error
	lib         *library
	builtins    *builtins
	workers     int
	tracer      topdown.QueryTracer
	inputs      policy.Inputs
	// CompileTime is how long New spent compiling.
	CompileTime time.Duration
}

// New compiles the rules of the given controls. A rule that does not
// compile makes its controls unevaluable (reported, never passed); it
// does not stop the others. The returned error lists every compile error
// so callers can choose to fail.
func New(ctx context.Context, controls []*policy.Control, opts Options) (*Engine, error) {
	start := time.Now()
	lib, err := parseLibrary(append(ContractModules(), opts.Modules...))
	if err != nil {
		return nil, fmt.Errorf("shared rego modules: %w", err)
	}
	e := &Engine{
		controls:    controls,
		byControl:   map[string][]*compiledRule{},
		compileErrs: map[string]error{},
		lib:         lib,
		builtins:    &builtins{},
		workers:     opts.Workers,
		tracer:      opts.Tracer,
		inputs:      opts.Inputs,
	}
	if e.tracer != nil {
		e.workers = 1
	}
	if e.workers <= 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	inputs := map[string]any{}
	for k, v := range opts.Inputs {
		vals := make([]any, len(v))
		for i, s := range v {
			vals[i] = s
		}
		inputs[k] = vals
	}
	store := inmem.NewFromObjectWithOpts(map[string]any{
		"postureControlInputs": inputs,
		"dataControlInputs":    map[string]any{"cloudProvider": opts.CloudProvider},
	}, inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true))

	// A rule shared by several controls (same name and text) is compiled
	// and evaluated once.
	byKey := map[string]*compiledRule{}
	for _, c := range controls {
		for _, r := range c.Rules {
			key := r.Name + "\x00" + r.Rule + "\x00" + r.ResourceEnumerator + "\x00" + r.Aggregator()
			cr, ok := byKey[key]
			if !ok {
				cr = &compiledRule{rule: r}
				byKey[key] = cr
				e.rules = append(e.rules, cr)
			}
			cr.controls = append(cr.controls, c)
			e.byControl[c.ControlID] = append(e.byControl[c.ControlID], cr)
		}
	}
	e.compileAll(ctx, store)
	var msgs []string
	for _, cr := range e.rules {
		if cr.err != nil {
			msgs = append(msgs, cr.err.Error())
			for _, c := range cr.controls {
				e.compileErrs[c.ControlID] = cr.err
			}
		}
	}
	e.CompileTime = time.Since(start)
	if len(msgs) > 0 {
		sort.Strings(msgs)
		return e, &CompileError{Messages: msgs}
	}
	return e, nil
}

// CompileError lists rules that failed to compile.
type CompileError struct{ Messages []string }

func (e *CompileError) Error() string {
	return "rego compile errors:\n  " + strings.Join(e.Messages, "\n  ")
}

// Alert is one finding a rule raised.
type Alert struct {
	Message     string
	Score       int
	RuleStatus  string
	FailedPaths []string
	ReviewPaths []string
	DeletePaths []string
	FixPaths    []FixPath
	FixCommand  string
	// Related are other objects the finding involves (the role of a
	// binding, the service exposing a workload).
	Related []Related
}

// FixPath sets a value at a path to fix a finding.
type FixPath struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// Related is an object named in an alert's relatedObjects.
type Related struct {
	ID          object.Identity
	FailedPaths []string
	ReviewPaths []string
	DeletePaths []string
	FixPaths    []FixPath
}

// RuleResult is the outcome of one rule.
type RuleResult struct {
	Rule *policy.Rule
	// Scope lists the objects the rule judged (indexes into Result.Objects).
	Scope []int
	// Alerts per object index. Objects in Scope without alerts passed.
	Alerts map[int][]Alert
	// Errored lists objects whose evaluation failed; they are neither passed
	// nor failed.
	Errored map[int]string
	// Skipped is set when the rule could not be evaluated at all.
	Skipped string
	// Unattributed counts alerts naming no known object.
	Unattributed int
	Duration     time.Duration
}

// ControlResult is the outcome of one control: its rules' results.
type ControlResult struct {
	Control *policy.Control
	Rules   []*RuleResult
	// Skipped is set when no rule of the control could be evaluated.
	Skipped string
	// NotApplicable is set when the control does not apply to this kind of
	// scan (its scanning scope): it is not evaluated, and that is no gap.
	NotApplicable string
}

// Result is the outcome of an evaluation.
type Result struct {
	// Objects are the inventory's objects followed by the synthetic objects
	// the engine built (RBAC subjects).
	Objects  []*object.Object
	Controls []*ControlResult
	Warnings []string
	Duration time.Duration
}

// Evaluate runs every compiled rule against the inventory.
func (e *Engine) Evaluate(ctx context.Context, inv *source.Inventory) (*Result, error) {
	return e.evaluate(ctx, inv, nil)
}

// EvaluateControls evaluates only the named controls of the engine: one
// compiled library serves many small evaluations (test cases, admission
// requests) without compiling again.
func (e *Engine) EvaluateControls(ctx context.Context, inv *source.Inventory, ids []string) (*Result, error) {
	only := map[string]bool{}
	for _, id := range ids {
		only[id] = true
	}
	return e.evaluate(ctx, inv, only)
}

func (e *Engine) evaluate(ctx context.Context, inv *source.Inventory, only map[string]bool) (*Result, error) {
	start := time.Now()
	res := &Result{Objects: slices.Clip(inv.Objects)}
	ev := newEvaluation(e, inv, res)
	ev.only = only
	results := make(map[*compiledRule]*RuleResult, len(e.rules))
	for _, cr := range e.rules {
		results[cr] = &RuleResult{Rule: cr.rule, Alerts: map[int][]Alert{}}
	}
	if err := ev.run(ctx, results); err != nil {
		return nil, err
	}
	for _, c := range e.controls {
		if only != nil && !only[c.ControlID] {
			continue
		}
		cres := &ControlResult{Control: c}
		if !c.AppliesTo(inv.Target) {
			if c.HostOnly() {
				cres.NotApplicable = "judges host data only (vigil scan host)"
			} else {
				cres.NotApplicable = "applies to " + strings.Join(c.ScanningScope.Matches, " and ") + " scans only"
			}
			res.Controls = append(res.Controls, cres)
			continue
		}
		if err, ok := e.compileErrs[c.ControlID]; ok {
			cres.Skipped = "rule did not compile: " + err.Error()
		} else if len(e.byControl[c.ControlID]) == 0 {
			cres.Skipped = "control has no rule that applies to this version"
		}
		for _, cr := range e.byControl[c.ControlID] {
			cres.Rules = append(cres.Rules, results[cr])
		}
		if cres.Skipped == "" && len(cres.Rules) > 0 {
			var reasons []string
			for _, rr := range cres.Rules {
				if rr.Skipped == "" {
					reasons = nil
					break
				}
				if !slices.Contains(reasons, rr.Skipped) {
					reasons = append(reasons, rr.Skipped)
				}
			}
			cres.Skipped = strings.Join(reasons, "; ")
		}
		res.Controls = append(res.Controls, cres)
	}
	if e.builtins.cosignCalled.Load() {
		res.Warnings = append(res.Warnings, "image signature checks (cosign) cannot be verified offline: those rules treat every image as unsigned")
	}
	res.Objects = ev.objects
	res.Duration = time.Since(start)
	return res, nil
}

// evaluation is the state of one Evaluate call.
type evaluation struct {
	e       *Engine
	inv     *source.Inventory
	objects []*object.Object
	// byKind indexes objects by kind for matching.
	byKind map[string][]int
	// subjects are RBAC subject vectors, built on first use.
	subjectsOnce sync.Once
	vectors      []subjectVector
	// groups are the API groups present in the inventory.
	groups map[string]bool
	// only, when set, limits the evaluation to these control IDs.
	only map[string]bool
	// dup marks objects whose kind, namespace and name another object
	// shares (the same object defined in two files); alerts about them
	// need more than their identity to be attributed.
	dup map[int]bool
}

func newEvaluation(e *Engine, inv *source.Inventory, res *Result) *evaluation {
	ev := &evaluation{e: e, inv: inv, objects: slices.Clone(res.Objects), byKind: map[string][]int{}, groups: map[string]bool{}}
	first := map[string]int{}
	for i, o := range ev.objects {
		ev.byKind[o.ID.Kind] = append(ev.byKind[o.ID.Kind], i)
		ev.groups[o.ID.Group()] = true
		k := nameKey(o.ID.Kind, o.ID.Namespace, o.ID.Name)
		if j, seen := first[k]; seen {
			if ev.dup == nil {
				ev.dup = map[int]bool{}
			}
			ev.dup[i], ev.dup[j] = true, true
		} else {
			first[k] = i
		}
	}
	return ev
}

const hostDataGroup = "hostdata.kubescape.cloud"

// factsGroup is the group of the objects a cluster scan makes from what it
// learns about the cluster itself (version, nodes, cloud provider).
const factsGroup = "vigil.dev"

// cloudGroups are API groups of cloud-provider descriptions, which only a
// cloud scan produces.
var cloudGroups = map[string]bool{
	"container.googleapis.com": true, "eks.amazonaws.com": true, "management.azure.com": true,
	"cloudvendordata.armo.cloud": true,
}

// match returns the indexes of objects the rule's matches select.
func (ev *evaluation) match(r *policy.Rule) []int {
	var out []int
	kinds := map[string]bool{}
	for _, m := range r.Matches() {
		for _, k := range m.Resources {
			kinds[k] = true
		}
	}
	var candidates []int
	if kinds["*"] {
		for i := range ev.objects {
			candidates = append(candidates, i)
		}
	} else {
		for k := range kinds {
			candidates = append(candidates, ev.byKind[k]...)
		}
		sort.Ints(candidates)
	}
	for _, i := range candidates {
		o := ev.objects[i]
		if o.Synthetic {
			continue
		}
		g, v := object.SplitAPIVersion(o.ID.APIVersion)
		for _, m := range r.Matches() {
			if m.Matches(g, v, o.ID.Kind) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// unavailable explains why a rule cannot be evaluated on this inventory,
// or returns "". A rule that needs data this scan cannot have is skipped,
// never passed.
func (ev *evaluation) unavailable(cr *compiledRule) string {
	r := cr.rule
	if cr.needsLiveAPI && ev.inv.Target != source.TargetCluster {
		return "needs live Kubernetes API queries (scan a cluster)"
	}
	if r.HostSensor() && !ev.groups[hostDataGroup] {
		return hostDataMissing
	}
	// A kind the cluster would not let us list: the rule saw only part of
	// what it judges, so it is not evaluated at all.
	for _, u := range ev.inv.Unavailable {
		for _, m := range r.Matches() {
			if m.Matches(u.Group, u.Version, u.Kind) || (anyGroup(m.APIGroups, u.Group) && containsKind(m.Resources, u.Kind)) {
				return u.String()
			}
		}
	}
	// A rule that matches only host or cloud data, when the scan has none,
	// could never see an object: that is missing data, not a pass.
	special, host, facts := true, false, false
	for _, m := range r.Matches() {
		for _, g := range m.APIGroups {
			switch {
			case g == hostDataGroup:
				host = true
			case g == factsGroup:
				facts = true
			case cloudGroups[g]:
			default:
				special = false
			}
			if ev.groups[g] {
				return ""
			}
		}
	}
	if len(r.Matches()) == 0 || !special {
		return ""
	}
	if host {
		return hostDataMissing
	}
	if facts {
		return "needs the facts of a live cluster (vigil scan cluster)"
	}
	return "needs cloud provider data (scan a cloud-managed cluster)"
}

func anyGroup(groups []string, g string) bool {
	return slices.Contains(groups, "*") || slices.Contains(groups, g)
}

func containsKind(kinds []string, k string) bool {
	return slices.Contains(kinds, "*") || slices.Contains(kinds, k)
}

const hostDataMissing = "needs host scanner data (vigil scan host, or --host-scan on a cluster)"
