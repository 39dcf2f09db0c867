package engine

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/vigilsec/vigil/pkg/policy"
)

// task is one evaluation of a rule (or its enumerator), or of a group of
// rules, over some inputs.
type task struct {
	cr *compiledRule
	rr *RuleResult
	// group and rrs are set for a group task: every rule of the group on
	// the same inputs in one evaluation.
	group      *ruleGroup
	rrs        []*RuleResult
	enumerator bool
	// inputs are object indexes, or vector indexes for aggregated rules.
	inputs     []int
	aggregated bool
}

// results are the rule results a task feeds.
func (t *task) results() []*RuleResult {
	if t.group != nil {
		return t.rrs
	}
	return []*RuleResult{t.rr}
}

func (ev *evaluation) run(ctx context.Context, results map[*compiledRule]*RuleResult) error {
	var whole []*task       // rules that see all their inputs at once
	var blocks [][]*task    // per-object rules, grouped by block of objects
	var enumerators []*task // resource enumerators
	grouped := map[*compiledRule]bool{}
	for _, g := range ev.e.groups {
		if ev.only != nil {
			break // a partial evaluation runs its few rules one by one
		}
		for _, cr := range g.rules {
			grouped[cr] = true
		}
		ev.addGroup(g, results, &blocks, &whole)
	}
	for _, cr := range ev.e.rules {
		if grouped[cr] || !ev.selected(cr) {
			continue
		}
		rr := results[cr]
		if cr.err != nil {
			rr.Skipped = "rule did not compile"
			continue
		}
		if why := ev.unavailable(cr); why != "" {
			rr.Skipped = why
			continue
		}
		var inputs []int
		aggregated := cr.rule.Aggregator() == "subject-role-rolebinding"
		if aggregated {
			ev.subjectsOnce.Do(ev.buildSubjects)
			for i := range ev.vectors {
				inputs = append(inputs, i)
			}
			rr.Scope = ev.vectorSubjects(inputs)
		} else if agg := cr.rule.Aggregator(); agg != "" {
			rr.Skipped = fmt.Sprintf("resources aggregator %q is not supported", agg)
			continue
		} else {
			inputs = ev.match(cr.rule)
			rr.Scope = ev.scopeOf(cr.rule, inputs)
		}
		if len(inputs) == 0 {
			continue
		}
		if cr.enumerator != nil {
			rr.Scope = nil
			enumerators = append(enumerators, &task{cr: cr, rr: rr, enumerator: true, inputs: inputs, aggregated: aggregated})
		}
		if !cr.rule.PerObject || aggregated {
			whole = append(whole, &task{cr: cr, rr: rr, inputs: inputs, aggregated: aggregated})
			continue
		}
		for b, in := range splitBlocks(inputs) {
			addToBlock(&blocks, b, &task{cr: cr, rr: rr, inputs: in})
		}
	}
	// Enumerators decide scopes; they run first.
	var jobs [][]*task
	for _, t := range enumerators {
		jobs = append(jobs, []*task{t})
	}
	if err := ev.runJobs(ctx, jobs); err != nil {
		return err
	}
	// Whole-input rules are the longest jobs: start them first so the
	// blocks fill the gaps and every worker ends at about the same time.
	sort.SliceStable(whole, func(i, j int) bool { return len(whole[i].inputs) > len(whole[j].inputs) })
	jobs = jobs[:0]
	for _, t := range whole {
		jobs = append(jobs, []*task{t})
	}
	for _, b := range blocks {
		if len(b) > 0 {
			jobs = append(jobs, b)
		}
	}
	if err := ev.runJobs(ctx, jobs); err != nil {
		return err
	}
	for _, rr := range results {
		ev.finish(rr)
	}
	return nil
}

// blockSize is how many consecutive inventory objects per-object rules
// evaluate together.
const blockSize = 256

// splitBlocks cuts sorted object indexes at block boundaries. Objects are
// judged block by block, every per-object rule on one block before the
// next, so a block stays in the CPU cache while all rules read it.
func splitBlocks(inputs []int) map[int][]int {
	out := map[int][]int{}
	for start := 0; start < len(inputs); {
		b := inputs[start] / blockSize
		end := start
		for end < len(inputs) && inputs[end]/blockSize == b {
			end++
		}
		out[b] = inputs[start:end]
		start = end
	}
	return out
}

func addToBlock(blocks *[][]*task, b int, t *task) {
	for len(*blocks) <= b {
		*blocks = append(*blocks, nil)
	}
	(*blocks)[b] = append((*blocks)[b], t)
}

// addGroup schedules a rule group: its rules share their matches, so one
// evaluation per block judges the block for all of them, and helper
// functions they share (a workload's pod spec, its containers) are computed
// once per object instead of once per rule.
func (ev *evaluation) addGroup(g *ruleGroup, results map[*compiledRule]*RuleResult, blocks *[][]*task, whole *[]*task) {
	rrs := make([]*RuleResult, len(g.rules))
	for i, cr := range g.rules {
		rrs[i] = results[cr]
	}
	if why := ev.unavailable(g.rules[0]); why != "" {
		for _, rr := range rrs {
			rr.Skipped = why
		}
		return
	}
	if g.aggregated {
		ev.subjectsOnce.Do(ev.buildSubjects)
		var vectors []int
		for i := range ev.vectors {
			vectors = append(vectors, i)
		}
		for _, rr := range rrs {
			rr.Scope = ev.vectorSubjects(vectors)
		}
		if len(vectors) > 0 {
			*whole = append(*whole, &task{group: g, rrs: rrs, inputs: vectors, aggregated: true})
		}
		return
	}
	inputs := ev.match(g.rules[0].rule)
	for i, rr := range rrs {
		rr.Scope = ev.scopeOf(g.rules[i].rule, inputs)
	}
	if len(inputs) == 0 {
		return
	}
	if !g.perObject {
		*whole = append(*whole, &task{group: g, rrs: rrs, inputs: inputs})
		return
	}
	for b, in := range splitBlocks(inputs) {
		addToBlock(blocks, b, &task{group: g, rrs: rrs, inputs: in})
	}
}

func (ev *evaluation) runJobs(ctx context.Context, jobs [][]*task) error {
	if len(jobs) == 0 {
		return nil
	}
	var mu sync.Mutex
	ch := make(chan []*task)
	var wg sync.WaitGroup
	for range ev.e.workers {
		wg.Go(func() {
			for job := range ch {
				for _, t := range job {
					start := time.Now()
					outs := ev.evalTask(ctx, t)
					d := time.Since(start) / time.Duration(len(outs))
					mu.Lock()
					for i, rr := range t.results() {
						ev.merge(rr, t.enumerator, outs[i])
						rr.Duration += d
					}
					mu.Unlock()
				}
			}
		})
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		ch <- j
	}
	close(ch)
	wg.Wait()
	return ctx.Err()
}

// taskOutput is what one task produced.
type taskOutput struct {
	alerts       map[int][]Alert
	errored      map[int]string
	unattributed int
	scope        []int
}

func newOutput() *taskOutput {
	return &taskOutput{alerts: map[int][]Alert{}, errored: map[int]string{}}
}

// evalTask evaluates a task and returns one output per rule it feeds.
func (ev *evaluation) evalTask(ctx context.Context, t *task) []*taskOutput {
	if t.group != nil {
		return ev.evalGroup(ctx, t)
	}
	out := newOutput()
	q := t.cr.query
	if t.enumerator {
		q = *t.cr.enumerator
	}
	ev.evalInputs(ctx, q, t, t.inputs, out)
	return []*taskOutput{out}
}

// evalGroup evaluates every rule of a group in one query. When that fails
// (one rule errors on some object), or inputs share identities, each rule
// is evaluated on its own, which isolates the problem.
func (ev *evaluation) evalGroup(ctx context.Context, t *task) []*taskOutput {
	g := t.group
	outs := make([]*taskOutput, len(g.rules))
	for i := range outs {
		outs[i] = newOutput()
	}
	dups := !t.aggregated && ev.hasDuplicates(t.inputs)
	if !dups || !g.perObject {
		terms := ev.inputTerms(t, t.inputs)
		if dups {
			ev.markDuplicates(terms, t.inputs)
		}
		rs, err := g.query.Eval(ctx, ev.evalOptions(terms)...)
		if err == nil {
			attr := ev.newAttributor(t.inputs, t.aggregated)
			for _, r := range rs {
				for name, b := range r.Bindings {
					i, ok := g.binding[name]
					if !ok {
						continue
					}
					ev.collect(b, attr, t, outs[i])
				}
			}
			return outs
		}
		if ctx.Err() != nil {
			return outs
		}
	}
	for i, cr := range g.rules {
		sub := &task{cr: cr, rr: t.rrs[i], inputs: t.inputs, aggregated: t.aggregated}
		ev.evalInputs(ctx, cr.query, sub, t.inputs, outs[i])
	}
	return outs
}

// evalInputs evaluates q over inputs. When evaluation fails, the inputs are
// halved until the objects that make it fail are found; they are marked as
// errored and every other object still gets its verdict.
func (ev *evaluation) evalInputs(ctx context.Context, q rego.PreparedEvalQuery, t *task, inputs []int, out *taskOutput) {
	marked := false
	if !t.aggregated && ev.hasDuplicates(inputs) {
		if t.cr.rule.PerObject {
			// Judge duplicates in separate evaluations, so every alert
			// names exactly one object.
			for _, g := range ev.uniqueGroups(inputs) {
				ev.evalInputs(ctx, q, t, g, out)
			}
			return
		}
		marked = true
	}
	terms := ev.inputTerms(t, inputs)
	if marked {
		ev.markDuplicates(terms, inputs)
	}
	rs, err := q.Eval(ctx, ev.evalOptions(terms)...)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		if len(inputs) > 1 && t.cr.rule.PerObject {
			mid := len(inputs) / 2
			ev.evalInputs(ctx, q, t, inputs[:mid], out)
			ev.evalInputs(ctx, q, t, inputs[mid:], out)
			return
		}
		msg := "evaluation failed: " + strings.TrimSpace(err.Error())
		for _, idx := range inputs {
			if t.aggregated {
				idx = ev.vectors[idx].subject
			}
			out.errored[idx] = msg
		}
		return
	}
	var attr *attributor
	for _, r := range rs {
		for _, b := range r.Bindings {
			if attr == nil {
				attr = ev.newAttributor(inputs, t.aggregated)
			}
			ev.collect(b, attr, t, out)
		}
	}
}

// markDuplicates replaces the input terms of objects that share an
// identity with marked copies: a relational rule must see every object at
// once, and the mark lets alerts that copy the object be told apart.
func (ev *evaluation) markDuplicates(terms []*ast.Term, inputs []int) {
	for i, idx := range inputs {
		if ev.dup[idx] {
			v := ev.objects[idx].Value.(ast.Object).Copy()
			v.Insert(termRef, ast.InternedTerm(idx))
			terms[i] = ast.NewTerm(v)
		}
	}
}

// inputTerms builds the input array of an evaluation from the objects'
// values, built once at load time and shared by every rule.
func (ev *evaluation) inputTerms(t *task, inputs []int) []*ast.Term {
	terms := make([]*ast.Term, len(inputs))
	for i, idx := range inputs {
		if t.aggregated {
			terms[i] = ast.NewTerm(ev.vectors[idx].value)
		} else {
			terms[i] = ast.NewTerm(ev.objects[idx].Value)
		}
	}
	return terms
}

func (ev *evaluation) evalOptions(terms []*ast.Term) []rego.EvalOption {
	opts := []rego.EvalOption{rego.EvalParsedInput(ast.NewArray(terms...))}
	if ev.e.tracer != nil {
		opts = append(opts, rego.EvalQueryTracer(ev.e.tracer))
	}
	return opts
}

// collect reads the alerts of one alert set and attributes them.
func (ev *evaluation) collect(binding any, attr *attributor, t *task, out *taskOutput) {
	set, ok := binding.(*ast.Term)
	if !ok {
		return
	}
	s, ok := set.Value.(ast.Set)
	if !ok {
		return
	}
	s.Foreach(func(el *ast.Term) {
		obj, ok := el.Value.(ast.Object)
		if !ok {
			return
		}
		a, targets := attr.parseAlert(obj)
		if len(targets) == 0 {
			if obj.Get(termAlertObject) != nil {
				out.unattributed++
			}
			return
		}
		for _, tgt := range targets {
			if t.enumerator {
				out.scope = append(out.scope, tgt.index)
				continue
			}
			al := a
			if tgt.via != nil {
				al.Related = append(viaRelated(tgt.via), al.Related...)
			}
			out.alerts[tgt.index] = append(out.alerts[tgt.index], al)
		}
	})
}

func (ev *evaluation) merge(rr *RuleResult, enumerator bool, out *taskOutput) {
	if enumerator {
		rr.Scope = append(rr.Scope, out.scope...)
		return
	}
	for idx, as := range out.alerts {
		rr.Alerts[idx] = append(rr.Alerts[idx], as...)
	}
	for idx, msg := range out.errored {
		if rr.Errored == nil {
			rr.Errored = map[int]string{}
		}
		rr.Errored[idx] = msg
	}
	rr.Unattributed += out.unattributed
}

// finish normalises a rule result: the scope is sorted and unique, and
// every object with alerts is in it.
func (ev *evaluation) finish(rr *RuleResult) {
	seen := make(map[int]bool, len(rr.Scope))
	var scope []int
	for _, i := range rr.Scope {
		if !seen[i] {
			seen[i] = true
			scope = append(scope, i)
		}
	}
	for i := range rr.Alerts {
		if !seen[i] {
			seen[i] = true
			scope = append(scope, i)
		}
	}
	for i := range rr.Errored {
		if !seen[i] {
			seen[i] = true
			scope = append(scope, i)
		}
	}
	sort.Ints(scope)
	rr.Scope = scope
	// Alerts from parallel chunks arrive in any order; sort them so reports
	// are deterministic.
	for _, as := range rr.Alerts {
		sort.SliceStable(as, func(i, j int) bool { return alertKey(as[i]) < alertKey(as[j]) })
	}
}

func alertKey(a Alert) string {
	return a.Message + "\x00" + strings.Join(a.FailedPaths, ",") + strings.Join(a.ReviewPaths, ",") + strings.Join(a.DeletePaths, ",")
}

// hasDuplicates reports whether two of the inputs share an identity.
func (ev *evaluation) hasDuplicates(inputs []int) bool {
	if len(ev.dup) == 0 {
		return false
	}
	var seen map[string]bool
	for _, i := range inputs {
		if !ev.dup[i] {
			continue
		}
		o := ev.objects[i]
		k := nameKey(o.ID.Kind, o.ID.Namespace, o.ID.Name)
		if seen[k] {
			return true
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[k] = true
	}
	return false
}

// uniqueGroups splits inputs so that no group holds two objects with the
// same identity: the n-th occurrence of an identity goes to group n.
func (ev *evaluation) uniqueGroups(inputs []int) [][]int {
	seen := map[string]int{}
	var groups [][]int
	for _, i := range inputs {
		o := ev.objects[i]
		k := nameKey(o.ID.Kind, o.ID.Namespace, o.ID.Name)
		n := seen[k]
		seen[k] = n + 1
		for len(groups) <= n {
			groups = append(groups, nil)
		}
		groups[n] = append(groups[n], i)
	}
	return groups
}

// selected reports whether a rule belongs to a control being evaluated.
func (ev *evaluation) selected(cr *compiledRule) bool {
	if ev.only == nil {
		return true
	}
	for _, c := range cr.controls {
		if ev.only[c.ControlID] {
			return true
		}
	}
	return false
}

// scopeOf is the part of a rule's inputs it judges: all of them, or only
// its scope kinds.
func (ev *evaluation) scopeOf(r *policy.Rule, inputs []int) []int {
	if len(r.ScopeKinds) == 0 {
		return inputs
	}
	var out []int
	for _, i := range inputs {
		if slices.Contains(r.ScopeKinds, ev.objects[i].ID.Kind) {
			out = append(out, i)
		}
	}
	return out
}
