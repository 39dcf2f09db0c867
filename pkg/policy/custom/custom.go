// Package custom loads users' own controls and frameworks: a Rego file
// with an OPA `# METADATA` block is a complete control, and a small YAML or
// JSON file naming control IDs is a framework. Both end up in the same
// policy model as the built-in library and Kubescape artifacts, so the one
// engine judges them all.
//
// A control's Rego follows one of two contracts:
//
//   - kubescape: `package armo_builtins`, `input` is the array of matched
//     objects and every partial set yields Kubescape alert objects, exactly
//     as built-in rules do.
//   - simple (conftest style): any other package; `input` is one object and
//     `deny` (or `violation`) is a set of messages. Vigil loads the file
//     under a package of its own and wraps it in a generated rule that
//     turns each message into an alert on that object.
package custom

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vigilsec/vigil/internal/suggest"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/policy/library"
)

// Contracts a custom control's Rego may follow.
const (
	ContractKubescape = "kubescape"
	ContractSimple    = "simple"
)

// TestsSuffix names a control's test file beside its Rego:
// require-owner.rego → require-owner.tests.yaml.
const TestsSuffix = ".tests.yaml"

// Control is a custom control and where it came from.
type Control struct {
	*policy.Control
	// File is the Rego file, as the user named it.
	File string
	// Contract is ContractKubescape or ContractSimple.
	Contract string
	// Tests are the control's test cases, read from TestsFile.
	Tests     []library.TestCase
	TestsFile string
}

// Set is the custom controls of one or more policy directories.
type Set struct {
	Controls []*Control
	// Modules are simple-contract sources under their private packages;
	// the engine compiles them as shared modules the wrappers import.
	Modules []library.Module
	// Warnings are problems that did not stop loading.
	Warnings []string
}

// LoadError lists every problem found in policy directories, so a user
// fixes them in one round.
type LoadError struct{ Problems []string }

func (e *LoadError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	return fmt.Sprintf("%d problems in custom controls:\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// Load reads every *.rego file (except *_test.rego) under the given
// directories (or files) as a custom control, with its test cases, and
// checks that the controls compile against the built-in library's shared
// modules. lib supplies those modules and the known control inputs.
func Load(ctx context.Context, paths []string, lib *library.Library) (*Set, error) {
	s := &Set{}
	var problems []string
	byID := map[string]string{}
	pkgs := map[string]bool{}
	for _, root := range paths {
		files, err := regoFiles(root)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if len(files) == 0 {
			s.Warnings = append(s.Warnings, fmt.Sprintf("policy directory %s holds no .rego files", root))
		}
		perDir := map[string]int{}
		for _, f := range files {
			perDir[filepath.Dir(f)]++
		}
		for _, f := range files {
			c, mod, warns, err := loadFile(f, lib, pkgs)
			s.Warnings = append(s.Warnings, warns...)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			if prev, dup := byID[strings.ToLower(c.ControlID)]; dup {
				problems = append(problems, fmt.Sprintf("%s: control ID %s is also used by %s", f, c.ControlID, prev))
				continue
			}
			byID[strings.ToLower(c.ControlID)] = f
			if err := c.loadTests(perDir[filepath.Dir(f)] == 1); err != nil {
				problems = append(problems, err.Error())
				continue
			}
			s.Controls = append(s.Controls, c)
			if mod != nil {
				s.Modules = append(s.Modules, *mod)
			}
		}
	}
	if len(problems) == 0 && len(s.Controls) > 0 {
		if err := s.check(ctx, lib); err != nil {
			var le *LoadError
			if !errors.As(err, &le) {
				return nil, err
			}
			problems = append(problems, le.Problems...)
		}
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	return s, nil
}

// regoFiles lists the control files under root in a stable order. Hidden
// directories (.git) are skipped; *_test.rego files are OPA unit tests,
// not controls.
func regoFiles(root string) ([]string, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("policy directory: %w", err)
	}
	if !st.IsDir() {
		if !strings.HasSuffix(root, ".rego") {
			return nil, fmt.Errorf("policy directory %s: not a directory or a .rego file", root)
		}
		return []string{root}, nil
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".rego") && !strings.HasSuffix(p, "_test.rego") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("policy directory %s: %w", root, err)
	}
	sort.Strings(out)
	return out, nil
}

// metadata is what a control's METADATA block says.
type metadata struct {
	id, title, description, remediation, category string
	severity, contract                            string
	baseScore                                     float64
	kinds, inputs, frameworks, scope, references  []string
	relational                                    bool
}

// knownKeys are the keys Vigil reads under `custom:`. Other keys are left
// to other tools, unless they look like a typo of one of these.
var knownKeys = []string{"id", "severity", "baseScore", "remediation", "kinds", "inputs", "frameworks", "scope", "relational", "contract", "category"}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// loadFile parses one Rego file into a control. pkgs holds the private
// package names already given to simple-contract files.
func loadFile(path string, lib *library.Library, pkgs map[string]bool) (*Control, *library.Module, []string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, err
	}
	mod, err := parse(path, string(src))
	if err != nil {
		return nil, nil, nil, err
	}
	md, warns, err := readMetadata(path, mod)
	if err != nil {
		return nil, nil, warns, err
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
	}
	pkg := strings.TrimPrefix(mod.Package.Path.String(), "data.")
	contract := md.contract
	switch {
	case contract == "" && pkg == "armo_builtins":
		contract = ContractKubescape
	case contract == "":
		contract = ContractSimple
	case contract == ContractKubescape && pkg != "armo_builtins":
		return nil, nil, warns, fail("custom.contract is kubescape but the package is %s: Kubescape-contract rules must be package armo_builtins", pkg)
	case contract != ContractKubescape && contract != ContractSimple:
		return nil, nil, warns, fail("custom.contract is %q: use simple or kubescape", contract)
	}
	name := strings.TrimSuffix(filepath.Base(path), ".rego")
	c := &policy.Control{
		ControlID:     md.id,
		Name:          md.title,
		Description:   md.description,
		Remediation:   md.remediation,
		BaseScore:     md.baseScore,
		References:    md.references,
		Frameworks:    md.frameworks,
		Origin:        path,
		RulesNames:    []string{name},
		ScanningScope: &policy.ScanningScope{Matches: md.scope},
		Attributes:    map[string]any{"custom": true},
	}
	if md.category != "" {
		c.Category = &policy.Category{Name: md.category}
	}
	r := &policy.Rule{
		Name:         name,
		Description:  md.description,
		Remediation:  md.remediation,
		RuleLanguage: "Rego",
		RuleQuery:    "armo_builtins",
		Rule:         string(src),
		File:         path,
		PerObject:    !md.relational,
	}
	for _, k := range md.kinds {
		m, err := library.KindMatch(k)
		if err != nil {
			return nil, nil, warns, fail("custom.kinds: %v", err)
		}
		r.Match = append(r.Match, m...)
	}
	for _, key := range md.inputs {
		doc, ok := lib.Inputs[key]
		if !ok {
			warns = append(warns, fmt.Sprintf("%s: control input %q is not a built-in one; give its values with --controls-config", path, key))
		}
		r.ControlConfigInputs = append(r.ControlConfigInputs, policy.ControlInputRef{
			Path: "settings.postureControlInputs." + key, Name: key, Description: doc.Description,
		})
	}
	c.Rules = []*policy.Rule{r}
	out := &Control{Control: c, File: path, Contract: contract}
	if contract == ContractKubescape {
		return out, nil, warns, nil
	}
	if md.relational {
		return nil, nil, warns, fail("custom.relational: simple-contract rules judge one object at a time; write a Kubescape-contract rule (package armo_builtins) to compare objects")
	}
	sets := messageSets(mod)
	if len(sets) == 0 {
		return nil, nil, warns, fail("package %s defines no deny or violation set: a simple-contract rule is `deny contains msg if { ... }` over one object in input", pkg)
	}
	priv := privatePackage(md.id, pkgs)
	renamed, err := renamePackage(string(src), mod, priv)
	if err != nil {
		return nil, nil, warns, fail("%v", err)
	}
	r.Rule = wrapper(priv, sets, md.baseScore)
	return out, &library.Module{File: path, Source: renamed}, warns, nil
}

// parse parses Rego v1, falling back to v0 as the engine does, with
// METADATA processing on. Errors name file:line:column.
func parse(path, src string) (*ast.Module, error) {
	opts := ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true}
	m1, err1 := ast.ParseModuleWithOpts(path, src, opts)
	if err1 == nil {
		return m1, nil
	}
	opts.RegoVersion = ast.RegoV0
	m0, err0 := ast.ParseModuleWithOpts(path, src, opts)
	if err0 == nil {
		return m0, nil
	}
	// Report the dialect whose parse got further: almost always the one
	// the author meant.
	if firstRow(err0) > firstRow(err1) {
		return nil, regoError(err0)
	}
	return nil, regoError(err1)
}

func firstRow(err error) int {
	var errs ast.Errors
	if errors.As(err, &errs) && len(errs) > 0 && errs[0].Location != nil {
		return errs[0].Location.Row
	}
	return 0
}

// regoError renders OPA errors as file:line:column: message, one per line,
// with OPA's excerpt of the offending line when it has one.
func regoError(err error) error {
	var errs ast.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		return err
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, formatASTError(e))
	}
	return errors.New(strings.Join(lines, "\n  "))
}

func formatASTError(e *ast.Error) string {
	msg := e.Code + ": " + e.Message
	if e.Location == nil {
		return msg
	}
	s := fmt.Sprintf("%s:%d:%d: %s", e.Location.File, e.Location.Row, e.Location.Col, msg)
	if e.Details != nil {
		for _, l := range e.Details.Lines() {
			s += "\n    " + l
		}
	}
	return s
}

// readMetadata finds the METADATA block that carries custom.id and reads
// the control's fields from it.
func readMetadata(path string, mod *ast.Module) (*metadata, []string, error) {
	var found *ast.Annotations
	var pkgNote *ast.Annotations
	for _, a := range mod.Annotations {
		if a.Scope == "package" || a.Scope == "subpackages" {
			pkgNote = a
		}
		if _, ok := a.Custom["id"]; !ok {
			continue
		}
		if found != nil {
			return nil, nil, fmt.Errorf("%s:%d: a second METADATA block sets custom.id (the first is at line %d): one file is one control", path, a.Location.Row, found.Location.Row)
		}
		found = a
	}
	if found == nil {
		hint := ""
		if strings.TrimPrefix(mod.Package.Path.String(), "data.") == "armo_builtins" && len(mod.Annotations) == 0 {
			hint = "; a Kubescape rule without METADATA loads from its control JSON with --use-from instead"
		}
		return nil, nil, fmt.Errorf("%s: no METADATA block sets custom.id: a custom control starts with\n"+
			"    # METADATA\n    # title: ...\n    # custom:\n    #   id: ACME-0001\n    #   severity: high\n    #   kinds: [Deployment]\n  (see docs/CUSTOM-CONTROLS.md)%s", path, hint)
	}
	at := fmt.Sprintf("%s:%d", path, found.Location.Row)
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", at, fmt.Sprintf(format, args...))
	}
	md := &metadata{title: strings.TrimSpace(found.Title), description: strings.TrimSpace(found.Description)}
	if pkgNote != nil && pkgNote != found {
		md.title = cmp(md.title, strings.TrimSpace(pkgNote.Title))
		md.description = cmp(md.description, strings.TrimSpace(pkgNote.Description))
	}
	for _, rr := range found.RelatedResources {
		if rr.Ref.String() != "" {
			md.references = append(md.references, rr.Ref.String())
		}
	}
	var warns []string
	cu := found.Custom
	for k := range cu {
		if slices.Contains(knownKeys, k) {
			continue
		}
		if s := suggest.Closest(k, knownKeys); s != "" && suggest.Distance(k, s) <= 2 {
			return nil, nil, fail("custom.%s is not a key Vigil reads (did you mean %s?)", k, s)
		}
	}
	var err error
	get := func(key string, read func(any) error) {
		if err != nil {
			return
		}
		v, ok := cu[key]
		if !ok || v == nil {
			return
		}
		if e := read(v); e != nil {
			err = fail("custom.%s: %v", key, e)
		}
	}
	get("id", func(v any) (e error) { md.id, e = str(v); return })
	get("severity", func(v any) (e error) { md.severity, e = str(v); return })
	get("baseScore", func(v any) (e error) { md.baseScore, e = num(v); return })
	get("remediation", func(v any) (e error) { md.remediation, e = str(v); return })
	get("category", func(v any) (e error) { md.category, e = str(v); return })
	get("contract", func(v any) (e error) { md.contract, e = str(v); return })
	get("kinds", func(v any) (e error) { md.kinds, e = strList(v); return })
	get("inputs", func(v any) (e error) { md.inputs, e = strList(v); return })
	get("frameworks", func(v any) (e error) { md.frameworks, e = strList(v); return })
	get("scope", func(v any) (e error) { md.scope, e = strList(v); return })
	get("relational", func(v any) error {
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("want true or false, got %v", v)
		}
		md.relational = b
		return nil
	})
	if err != nil {
		return nil, warns, err
	}
	md.remediation = strings.TrimSpace(md.remediation)
	switch {
	case !idPattern.MatchString(md.id):
		return nil, warns, fail("custom.id %q must be letters, digits, dots, dashes or underscores (such as ACME-0001)", md.id)
	case md.title == "":
		return nil, warns, fail("title is required: it names the control in reports")
	case md.severity != "" && md.baseScore != 0:
		return nil, warns, fail("give custom.severity or custom.baseScore, not both")
	case md.severity == "" && md.baseScore == 0:
		return nil, warns, fail("custom.severity (low, medium, high, critical) or custom.baseScore (1-10) is required")
	case md.baseScore != 0 && (md.baseScore < 1 || md.baseScore > 10):
		return nil, warns, fail("custom.baseScore %v must be between 1 and 10", md.baseScore)
	case len(md.kinds) == 0:
		return nil, warns, fail("custom.kinds is required: the kinds the control judges, such as [Deployment], [workloads] or [networking.istio.io/*/Gateway]")
	}
	if md.severity != "" {
		score, ok := SeverityScore(md.severity)
		if !ok {
			return nil, warns, fail("custom.severity %q: use low, medium, high or critical", md.severity)
		}
		md.baseScore = score
	}
	for _, s := range md.scope {
		if s != "file" && s != "cluster" {
			return nil, warns, fail("custom.scope %q: use file and/or cluster", s)
		}
	}
	if len(md.scope) == 0 {
		md.scope = []string{"cluster", "file"}
	}
	return md, warns, nil
}

func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func str(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want a string, got %v", v)
	}
	return strings.TrimSpace(s), nil
}

func num(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	}
	return 0, fmt.Errorf("want a number, got %v", v)
}

func strList(v any) ([]string, error) {
	if s, ok := v.(string); ok {
		return []string{s}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of strings, got %v", v)
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("want a list of strings, got %v", e)
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out, nil
}

// SeverityScore maps a severity name to the base score custom controls
// get. Each is the most common score of its band in the built-in library
// (bands: 9+ critical, 7+ high, 4+ medium, 1+ low), so custom and built-in
// controls of one severity weigh about the same in risk scores.
func SeverityScore(severity string) (float64, bool) {
	switch strings.ToLower(severity) {
	case "low":
		return 3, true
	case "medium":
		return 5, true
	case "high":
		return 7, true
	case "critical":
		return 9, true
	}
	return 0, false
}

// messageSets lists the conftest-style message sets a simple-contract
// module defines.
func messageSets(m *ast.Module) []string {
	var out []string
	for _, r := range m.Rules {
		ref := r.Head.Ref()
		if r.Head.RuleKind() != ast.MultiValue || len(ref) != 1 {
			continue
		}
		n := ref[0].Value.(ast.Var).String()
		if (n == "deny" || n == "violation") && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// privatePackage names the package a simple-contract file is loaded
// under: one per control, so two files that both say `package main` do
// not merge their deny sets.
func privatePackage(id string, taken map[string]bool) string {
	var b strings.Builder
	b.WriteString("vigil_custom_")
	for _, r := range strings.ToLower(id) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name := b.String()
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s_%d", b.String(), i)
	}
	taken[name] = true
	return name
}

// renamePackage rewrites the package path in place, on the same line, so
// every line and column in errors still matches the user's file.
func renamePackage(src string, m *ast.Module, pkg string) (string, error) {
	path := m.Package.Path
	if len(path) < 2 || path[1].Location == nil || path[len(path)-1].Location == nil {
		return "", errors.New("cannot locate the package name")
	}
	start := path[1].Location.Offset
	last := path[len(path)-1].Location
	end := last.Offset + len(last.Text)
	if start < 0 || end > len(src) || start >= end {
		return "", errors.New("cannot locate the package name")
	}
	return src[:start] + pkg + src[end:], nil
}

// wrapper is the generated Kubescape-contract rule of a simple-contract
// control: it evaluates the user's message sets on each matched object
// (with that object as input) and turns every message into an alert on it.
func wrapper(pkg string, sets []string, score float64) string {
	var b strings.Builder
	b.WriteString("package armo_builtins\n\n")
	for _, set := range sets {
		fmt.Fprintf(&b, `deny contains alert if {
	some obj in input
	msgs := data.%s.%s with input as obj
	some m in msgs
	alert := {
		"alertMessage": vigil_message(m),
		"alertScore": %d,
		"failedPaths": [],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

`, pkg, set, int(math.Round(score)))
	}
	// conftest's violation set may hold {"msg": ..., "details": ...}.
	b.WriteString(`vigil_message(m) := m if {
	is_string(m)
} else := m.msg if {
	is_string(m.msg)
} else := sprintf("%v", [m])
`)
	return b.String()
}

// loadTests reads the control's test cases: NAME.tests.yaml beside
// NAME.rego, or tests.yaml when the file is the only control in its
// directory (one folder per control).
func (c *Control) loadTests(aloneInDir bool) error {
	candidates := []string{strings.TrimSuffix(c.File, ".rego") + TestsSuffix}
	if aloneInDir {
		candidates = append(candidates, filepath.Join(filepath.Dir(c.File), library.TestsFile))
	}
	for _, p := range candidates {
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		tests, err := library.ParseTests(data, p)
		if err != nil {
			return err
		}
		c.Tests, c.TestsFile = tests, p
		return nil
	}
	return nil
}

// AddTo adds the custom controls to a policy set. A control with the ID of
// one already there (a built-in control, or one from --use-from) replaces
// it everywhere, with a warning: that is how Kubescape users override a
// control. Controls join the frameworks they name that the set has (see
// Unjoined for the others).
// lib is the built-in library, to tell built-in controls from others.
func (s *Set) AddTo(set *policy.Set, lib *library.Library) (warnings []string) {
	for _, c := range s.Controls {
		if old := set.ReplaceControl(c.Control); old != nil {
			from := "the control from " + old.Origin
			if lib != nil && lib.Dirs[old.ControlID] == old.Origin {
				from = "the built-in control"
			}
			warnings = append(warnings, fmt.Sprintf("custom control %s (%s) replaces %s %s %q", c.ControlID, c.File, from, old.ControlID, old.Name))
		}
		for _, name := range c.Frameworks {
			f := set.Framework(name)
			if f == nil {
				continue
			}
			if !slices.Contains(f.ControlsIDs, c.ControlID) {
				f.ControlsIDs = append(f.ControlsIDs, c.ControlID)
			}
			if !slices.Contains(f.Controls, c.Control) {
				f.Controls = append(f.Controls, c.Control)
			}
		}
	}
	return warnings
}

// Unjoined warns about framework names in controls' metadata that look
// like typos of a framework the set has. Other unknown names are custom
// frameworks this scan was not given; the control simply does not run
// with them, which is not worth a warning on every scan.
func (s *Set) Unjoined(set *policy.Set) []string {
	var known []string
	for _, f := range set.Frameworks() {
		known = append(known, f.Name)
	}
	var out []string
	for _, c := range s.Controls {
		for _, name := range c.Frameworks {
			if set.Framework(name) != nil {
				continue
			}
			if sg := suggest.Closest(name, known); sg != "" && suggest.Distance(name, sg) <= 2 {
				out = append(out, fmt.Sprintf("custom control %s (%s) names framework %q, which this scan does not have (did you mean %q?)", c.ControlID, c.File, name, sg))
			}
		}
	}
	return out
}

// Free returns the controls that name no framework: a scan that names no
// framework or control runs them besides the default framework.
func (s *Set) Free() []*policy.Control {
	var out []*policy.Control
	for _, c := range s.Controls {
		if len(c.Frameworks) == 0 {
			out = append(out, c.Control)
		}
	}
	return out
}

// Library returns the custom controls as a library, so the policytest
// runner (which serves the built-in library too) can run their tests:
// the built-in shared modules and input defaults, plus the simple-contract
// modules.
func (s *Set) Library(lib *library.Library) *library.Library {
	out := &library.Library{
		Modules: append(slices.Clone(lib.Modules), s.Modules...),
		Inputs:  lib.Inputs,
		Tests:   map[string][]library.TestCase{},
		Dirs:    map[string]string{},
	}
	for _, c := range s.Controls {
		out.Controls = append(out.Controls, c.Control)
		out.Tests[c.ControlID] = c.Tests
		out.Dirs[c.ControlID] = filepath.Dir(c.File)
	}
	return out
}
