package engine

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"

	"github.com/vigilsec/vigil/pkg/policy"
)

//go:embed contract/*.rego
var contractFS embed.FS

// Module is a shared Rego package rules may import.
type Module struct {
	File   string
	Source string
}

// ContractModules returns the shared packages every rule may depend on
// (data.cautils and data.kubernetes.api.client).
func ContractModules() []Module {
	var mods []Module
	_ = fs.WalkDir(contractFS, "contract", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := contractFS.ReadFile(p)
		if err != nil {
			return err
		}
		mods = append(mods, Module{File: p, Source: string(b)})
		return nil
	})
	return mods
}

// library is the parsed shared modules, indexed by package path.
type library struct {
	byPkg map[string][]*ast.Module
	files map[*ast.Module]string
}

func parseLibrary(mods []Module) (*library, error) {
	lib := &library{byPkg: map[string][]*ast.Module{}, files: map[*ast.Module]string{}}
	for _, m := range mods {
		mod, err := parseModule(m.File, m.Source)
		if err != nil {
			return nil, err
		}
		pkg := packagePath(mod)
		lib.byPkg[pkg] = append(lib.byPkg[pkg], mod)
		lib.files[mod] = m.File
	}
	return lib, nil
}

// packagePath renders "data.vigil.workload" as "vigil.workload".
func packagePath(m *ast.Module) string {
	return strings.TrimPrefix(m.Package.Path.String(), "data.")
}

// parseModule parses Rego v1 and falls back to v0, as Kubescape's published
// rules still use v0 syntax. When both fail, the error of the parse that got
// further is reported, which is almost always the intended dialect.
func parseModule(file, src string) (*ast.Module, error) {
	m1, err1 := ast.ParseModuleWithOpts(file, src, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err1 == nil {
		return m1, nil
	}
	m0, err0 := ast.ParseModuleWithOpts(file, src, ast.ParserOptions{RegoVersion: ast.RegoV0})
	if err0 == nil {
		return m0, nil
	}
	if errLine(err0) > errLine(err1) {
		return nil, err0
	}
	return nil, err1
}

func errLine(err error) int {
	var errs ast.Errors
	if errors.As(err, &errs) && len(errs) > 0 && errs[0].Location != nil {
		return errs[0].Location.Row
	}
	return 0
}

// deps returns the library modules a module needs: those whose package it
// imports (or a parent of it), transitively.
func (l *library) deps(root *ast.Module, declared []policy.RuleDependency) []*ast.Module {
	var out []*ast.Module
	seen := map[*ast.Module]bool{}
	var visit func(m *ast.Module)
	addPkg := func(pkg string) {
		for p, mods := range l.byPkg {
			if p == pkg || strings.HasPrefix(p, pkg+".") || strings.HasPrefix(pkg, p+".") {
				for _, m := range mods {
					visit(m)
				}
			}
		}
	}
	visit = func(m *ast.Module) {
		if seen[m] {
			return
		}
		seen[m] = true
		if m != root {
			out = append(out, m)
		}
		for _, imp := range m.Imports {
			ref, ok := imp.Path.Value.(ast.Ref)
			if !ok || !ref.HasPrefix(ast.DefaultRootRef) {
				continue
			}
			addPkg(strings.TrimPrefix(ref.String(), "data."))
		}
		// Fully qualified references (data.cautils.list_contains) without an
		// import count as well.
		ast.WalkRefs(m, func(r ast.Ref) bool {
			if r.HasPrefix(ast.DefaultRootRef) && len(r) > 1 {
				if s, ok := r[1].Value.(ast.String); ok {
					addPkg(string(s))
				}
			}
			return false
		})
	}
	visit(root)
	for _, d := range declared {
		addPkg(d.PackageName)
	}
	sort.Slice(out, func(i, j int) bool { return l.files[out[i]] < l.files[out[j]] })
	return out
}

// compiledRule is a rule ready to evaluate.
type compiledRule struct {
	rule     *policy.Rule
	controls []*policy.Control
	// slot is the rule's private package under data.armo_builtins.
	slot string
	// mod and enumMod are the parsed (and renamed) rule and enumerator.
	mod, enumMod *ast.Module
	query        rego.PreparedEvalQuery
	// enumerator selects the rule's scope among matched objects.
	enumerator *rego.PreparedEvalQuery
	// deps are the shared modules the rule and its enumerator import.
	deps []*ast.Module
	// needsLiveAPI is set when the rule queries data.kubernetes.api.client.
	needsLiveAPI bool
	err          error
}

// ruleLabel names a rule in messages: "control C-0057 rule privileged-container".
func ruleLabel(controls []*policy.Control, r *policy.Rule) string {
	var ids []string
	for _, c := range controls {
		ids = append(ids, c.ControlID)
	}
	return fmt.Sprintf("control %s rule %s", strings.Join(ids, ","), r.Name)
}

// compileAll compiles every rule and shared module in one compiler. Every
// rule is written as package armo_builtins, so each is moved into a package
// of its own (data.armo_builtins.<slot>) first; a compiler shared by all
// rules compiles each shared module once instead of once per rule, which
// made compiling the library about 20 times faster.
func (e *Engine) compileAll(ctx context.Context, store storage.Store) {
	mods := map[string]*ast.Module{}
	owner := map[string]*compiledRule{}
	for i, cr := range e.rules {
		cr.slot = fmt.Sprintf("r%d", i)
		if err := e.parseRule(cr); err != nil {
			cr.err = err
			continue
		}
		mods[cr.slot+"/"+cr.mod.Package.Location.File] = cr.mod
		owner[cr.slot] = cr
		if cr.enumMod != nil {
			mods[cr.slot+"/"+cr.enumMod.Package.Location.File] = cr.enumMod
		}
		// Only the shared modules some rule imports are compiled.
		for _, m := range cr.deps {
			mods["lib/"+e.lib.files[m]] = m
		}
	}
	compiler := e.compile(mods, owner)
	if compiler == nil {
		return
	}
	jobs := make(chan *compiledRule)
	var wg sync.WaitGroup
	for range e.workers {
		wg.Go(func() {
			for cr := range jobs {
				cr.err = e.prepareRule(ctx, cr, compiler, store)
			}
		})
	}
	for _, cr := range e.rules {
		if cr.err == nil {
			jobs <- cr
		}
	}
	close(jobs)
	wg.Wait()
	e.groupRules(ctx, compiler, store)
}

// ruleGroup is a set of per-object rules with the same matches. They are
// evaluated in one query per block of objects: OPA caches function
// results within a query, so the helpers every workload rule calls run
// once per object rather than once per rule.
type ruleGroup struct {
	rules []*compiledRule
	// perObject groups are evaluated block by block; the others (relational
	// and RBAC rules) see all their inputs in one evaluation, so helpers
	// that index the input (services by namespace, grants by subject) are
	// built once for the whole group.
	perObject  bool
	aggregated bool
	query      rego.PreparedEvalQuery
	// binding maps a query variable to the index of its rule in rules.
	binding map[string]int
}

// groupRules forms groups of the rules that can share evaluations. A group
// that fails to prepare is dropped: its rules still run on their own.
func (e *Engine) groupRules(ctx context.Context, c *ast.Compiler, store storage.Store) {
	bySig := map[string][]*compiledRule{}
	var order []string
	for _, cr := range e.rules {
		r := cr.rule
		if cr.err != nil || cr.enumerator != nil || cr.needsLiveAPI || r.HostSensor() {
			continue
		}
		if agg := r.Aggregator(); agg != "" && agg != "subject-role-rolebinding" {
			continue
		}
		sig := fmt.Sprintf("%v|%s|%s", r.PerObject, r.Aggregator(), matchSignature(r))
		if _, ok := bySig[sig]; !ok {
			order = append(order, sig)
		}
		bySig[sig] = append(bySig[sig], cr)
	}
	for _, sig := range order {
		rules := bySig[sig]
		if len(rules) < 2 {
			continue
		}
		g := &ruleGroup{rules: rules, binding: map[string]int{}, perObject: rules[0].rule.PerObject,
			aggregated: rules[0].rule.Aggregator() != ""}
		var q strings.Builder
		for i, cr := range rules {
			for j, set := range alertSets(cr.mod) {
				name := fmt.Sprintf("g%d_%d", i, j)
				g.binding[name] = i
				if q.Len() > 0 {
					q.WriteString("; ")
				}
				fmt.Fprintf(&q, "%s := data.armo_builtins[%q][%q]", name, cr.slot, set)
			}
		}
		opts := []func(*rego.Rego){
			rego.Compiler(c), rego.Query(q.String()), rego.Store(store),
			rego.StoreReadAST(true), rego.GenerateJSON(keepTerm),
		}
		pq, err := rego.New(append(opts, e.builtins.options()...)...).PrepareForEval(ctx)
		if err != nil {
			continue
		}
		g.query = pq
		e.groups = append(e.groups, g)
	}
}

// matchSignature is a canonical rendering of a rule's matches.
func matchSignature(r *policy.Rule) string {
	var parts []string
	for _, m := range r.Matches() {
		g, v, k := slices.Clone(m.APIGroups), slices.Clone(m.APIVersions), slices.Clone(m.Resources)
		sort.Strings(g)
		sort.Strings(v)
		sort.Strings(k)
		parts = append(parts, strings.Join(g, ",")+"|"+strings.Join(v, ",")+"|"+strings.Join(k, ","))
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

// compile compiles the modules; when rules fail to compile, their errors
// are recorded on them and the rest is compiled again without them.
func (e *Engine) compile(mods map[string]*ast.Module, owner map[string]*compiledRule) *ast.Compiler {
	for {
		c := ast.NewCompiler().WithCapabilities(capabilities()).WithEnablePrintStatements(false)
		c.Compile(mods)
		if !c.Failed() {
			return c
		}
		removed := false
		byRule := map[*compiledRule][]string{}
		for _, err := range c.Errors {
			file := ""
			if err.Location != nil {
				file = err.Location.File
			}
			slot, orig, _ := strings.Cut(file, "/")
			cr := owner[slot]
			if cr == nil {
				// A shared module is broken: every rule would be.
				msg := fmt.Sprintf("shared rego module: %v", err)
				for _, r := range e.rules {
					if r.err == nil {
						r.err = errors.New(msg)
					}
				}
				return nil
			}
			byRule[cr] = append(byRule[cr], fmt.Sprintf("%s:%d: %s", orig, err.Location.Row, err.Message))
		}
		for cr, msgs := range byRule {
			cr.err = fmt.Errorf("%s: %s", ruleLabel(cr.controls, cr.rule), strings.Join(msgs, "; "))
			for k := range mods {
				if strings.HasPrefix(k, cr.slot+"/") {
					delete(mods, k)
					removed = true
				}
			}
			delete(owner, cr.slot)
		}
		if !removed {
			return nil
		}
	}
}

// parseRule parses a rule and its enumerator and moves them to the rule's
// own package.
func (e *Engine) parseRule(cr *compiledRule) error {
	r := cr.rule
	file := r.File
	if file == "" {
		file = r.Name + ".rego"
	}
	mod, err := parseModule(cr.slot+"/"+file, r.Rule)
	if err != nil {
		return fmt.Errorf("%s: %s", ruleLabel(cr.controls, r), strings.ReplaceAll(err.Error(), cr.slot+"/", ""))
	}
	if p := packagePath(mod); p != "armo_builtins" {
		return fmt.Errorf("%s: %s: package is %q, rules must be package armo_builtins", ruleLabel(cr.controls, r), file, p)
	}
	cr.deps = e.lib.deps(mod, r.RuleDependencies)
	for _, d := range cr.deps {
		if packagePath(d) == "kubernetes.api.client" {
			cr.needsLiveAPI = true
		}
	}
	if len(alertSets(mod)) == 0 {
		return fmt.Errorf("%s: %s: defines no rule set (such as deny) to read alerts from", ruleLabel(cr.controls, r), file)
	}
	if cr.mod, err = rehome(mod, cr.slot); err != nil {
		return fmt.Errorf("%s: %w", ruleLabel(cr.controls, r), err)
	}
	if strings.TrimSpace(r.ResourceEnumerator) == "" {
		return nil
	}
	efile := strings.TrimSuffix(file, ".rego") + ".enumerator.rego"
	emod, err := parseModule(cr.slot+"/"+efile, r.ResourceEnumerator)
	if err != nil {
		return fmt.Errorf("%s: resource enumerator: %s", ruleLabel(cr.controls, r), strings.ReplaceAll(err.Error(), cr.slot+"/", ""))
	}
	if len(alertSets(emod)) == 0 {
		return fmt.Errorf("%s: resource enumerator defines no rule set", ruleLabel(cr.controls, r))
	}
	cr.deps = append(cr.deps, e.lib.deps(emod, r.RuleDependencies)...)
	cr.enumMod, err = rehome(emod, cr.slot+"_enum")
	return err
}

// rehome moves a package armo_builtins module to data.armo_builtins.<slot>,
// rewriting its own fully qualified references to match.
func rehome(m *ast.Module, slot string) (*ast.Module, error) {
	base := ast.MustParseRef("data.armo_builtins")
	m.Package.Path = append(base.Copy(), ast.StringTerm(slot))
	out, err := ast.TransformRefs(m, func(r ast.Ref) (ast.Value, error) {
		if r.HasPrefix(base) && !(len(r) > 2 && r[2].Equal(ast.StringTerm(slot))) {
			nr := append(base.Copy(), ast.StringTerm(slot))
			return append(nr, r[2:]...), nil
		}
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return out.(*ast.Module), nil
}

func (e *Engine) prepareRule(ctx context.Context, cr *compiledRule, c *ast.Compiler, store storage.Store) error {
	q, err := e.prepare(ctx, c, cr.slot, alertSets(cr.mod), store)
	if err != nil {
		return fmt.Errorf("%s: %w", ruleLabel(cr.controls, cr.rule), err)
	}
	cr.query = q
	if cr.enumMod != nil {
		eq, err := e.prepare(ctx, c, cr.slot+"_enum", alertSets(cr.enumMod), store)
		if err != nil {
			return fmt.Errorf("%s: resource enumerator: %w", ruleLabel(cr.controls, cr.rule), err)
		}
		cr.enumerator = &eq
	}
	return nil
}

// alertSets lists the partial set rules of a module: every set under
// data.armo_builtins is read as alerts.
func alertSets(m *ast.Module) []string {
	var names []string
	for _, r := range m.Rules {
		if r.Head.RuleKind() != ast.MultiValue || len(r.Head.Ref()) != 1 {
			continue
		}
		n := r.Head.Ref()[0].Value.(ast.Var).String()
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

func (e *Engine) prepare(ctx context.Context, c *ast.Compiler, slot string, sets []string, store storage.Store) (rego.PreparedEvalQuery, error) {
	var q strings.Builder
	for i, s := range sets {
		if i > 0 {
			q.WriteString("; ")
		}
		fmt.Fprintf(&q, "a%d := data.armo_builtins[%q][%q]", i, slot, s)
	}
	opts := []func(*rego.Rego){
		rego.Compiler(c),
		rego.Query(q.String()),
		rego.Store(store),
		rego.StoreReadAST(true),
		rego.GenerateJSON(keepTerm),
	}
	opts = append(opts, e.builtins.options()...)
	return rego.New(opts...).PrepareForEval(ctx)
}

// keepTerm makes result sets carry the Rego terms themselves, so alerts are
// read field by field instead of converting whole objects to Go values.
func keepTerm(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }
