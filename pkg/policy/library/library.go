// Package library loads controls written in Vigil's authoring form: one
// directory per control holding control.yaml (metadata), the Rego rules and
// tests.yaml (test cases), plus shared Rego modules, framework descriptions
// and control-input defaults. The result is the same policy model Kubescape
// artifacts load into, so one engine serves both.
package library

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/vigilsec/vigil/pkg/engine"

	"go.yaml.in/yaml/v3"

	"github.com/vigilsec/vigil/pkg/policy"
)

// Library is a loaded control library.
type Library struct {
	Frameworks []*policy.Framework
	Controls   []*policy.Control
	// Modules are shared Rego packages the rules may import.
	Modules []Module
	// Inputs documents every control input with its default.
	Inputs map[string]policy.InputDoc
	// Tests are each control's test cases, by control ID.
	Tests map[string][]TestCase
	// Dirs are each control's directory, by control ID.
	Dirs map[string]string
}

// Module is a shared Rego file.
type Module = engine.Module

// Defaults returns the default control inputs.
func (l *Library) Defaults() policy.Inputs {
	in := policy.Inputs{}
	for k, d := range l.Inputs {
		in[k] = slices.Clone(d.Default)
	}
	return in
}

// AddTo adds the library's frameworks and controls to a policy set.
func (l *Library) AddTo(s *policy.Set) {
	for _, c := range l.Controls {
		s.AddControl(c)
	}
	for _, f := range l.Frameworks {
		s.AddFramework(f)
	}
	for k, d := range l.Inputs {
		s.InputDocs[k] = d
		if _, ok := s.Inputs[k]; !ok {
			s.Inputs[k] = slices.Clone(d.Default)
		}
	}
}

type controlFile struct {
	ID              string         `yaml:"id"`
	Name            string         `yaml:"name"`
	Description     string         `yaml:"description"`
	LongDescription string         `yaml:"longDescription"`
	Remediation     string         `yaml:"remediation"`
	ManualCheck     string         `yaml:"manualCheck"`
	References      []string       `yaml:"references"`
	Category        string         `yaml:"category"`
	SubCategory     string         `yaml:"subCategory"`
	BaseScore       float64        `yaml:"baseScore"`
	Frameworks      []string       `yaml:"frameworks"`
	Scope           []string       `yaml:"scope"`
	ActionRequired  string         `yaml:"actionRequired"`
	Attributes      map[string]any `yaml:"attributes"`
	Rule            *ruleFile      `yaml:"rule"`
	Rules           []*ruleFile    `yaml:"rules"`
}

type ruleFile struct {
	Name        string         `yaml:"name"`
	File        string         `yaml:"file"`
	Description string         `yaml:"description"`
	Kinds       []string       `yaml:"kinds"`
	Match       []policy.Match `yaml:"match"`
	Inputs      []string       `yaml:"inputs"`
	Relational  bool           `yaml:"relational"`
	Aggregator  string         `yaml:"aggregator"`
	Enumerator  string         `yaml:"enumerator"`
	// ScopeKinds limits the objects a relational rule judges (and counts)
	// to these kinds; the others are context it reads.
	ScopeKinds []string       `yaml:"scopeKinds"`
	Attributes map[string]any `yaml:"attributes"`
}

type frameworkFile struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Scope       []string `yaml:"scope"`
	// Controls may list extra control IDs besides those that name the
	// framework in their own metadata.
	Controls []string `yaml:"controls"`
	// All puts every control of the library in the framework.
	All bool `yaml:"all"`
}

type inputFile struct {
	Description string   `yaml:"description"`
	Default     []string `yaml:"default"`
}

// Layout of a library directory.
const (
	ControlsDir   = "controls"
	FrameworksDir = "frameworks"
	LibDir        = "lib"
	InputsDir     = "inputs"
	CategoryFile  = "categories.yaml"
	ControlFile   = "control.yaml"
	TestsFile     = "tests.yaml"
	DefaultRule   = "rule.rego"
)

// Load reads a library from fsys.
func Load(fsys fs.FS) (*Library, error) { return LoadFiltered(fsys, nil) }

// LoadFiltered reads a library, keeping only the control directories keep
// accepts (all when keep is nil). Framework files that list controls by ID
// are not checked against a filtered set.
func LoadFiltered(fsys fs.FS, keep func(dir string) bool) (*Library, error) {
	l := &Library{Inputs: map[string]policy.InputDoc{}, Tests: map[string][]TestCase{}, Dirs: map[string]string{}}
	var errs []error
	inputFiles, _ := fs.ReadDir(fsys, InputsDir)
	for _, e := range inputFiles {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		p := path.Join(InputsDir, e.Name())
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		var in map[string]inputFile
		if err := strictUnmarshal(data, &in); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for k, v := range in {
			if _, dup := l.Inputs[k]; dup {
				return nil, fmt.Errorf("%s: control input %q is declared twice", p, k)
			}
			l.Inputs[k] = policy.InputDoc{Description: strings.TrimSpace(v.Description), Default: nonNil(v.Default)}
		}
	}
	categories := map[string]string{}
	if data, err := fs.ReadFile(fsys, CategoryFile); err == nil {
		if err := strictUnmarshal(data, &categories); err != nil {
			return nil, fmt.Errorf("%s: %w", CategoryFile, err)
		}
	}
	mods, err := readModules(fsys, LibDir)
	if err != nil {
		return nil, err
	}
	l.Modules = mods

	dirs, _ := fs.ReadDir(fsys, ControlsDir)
	seen := map[string]string{}
	for _, d := range dirs {
		if !d.IsDir() || (keep != nil && !keep(d.Name())) {
			continue
		}
		dir := path.Join(ControlsDir, d.Name())
		c, tests, err := loadControl(fsys, dir, l.Inputs, categories)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, dup := seen[c.ControlID]; dup {
			errs = append(errs, fmt.Errorf("%s: control ID %s is also used by %s", dir, c.ControlID, prev))
			continue
		}
		seen[c.ControlID] = dir
		l.Controls = append(l.Controls, c)
		l.Tests[c.ControlID] = tests
		l.Dirs[c.ControlID] = dir
	}
	fws, err := loadFrameworks(fsys, l.Controls, keep == nil)
	if err != nil {
		errs = append(errs, err)
	}
	l.Frameworks = fws
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return l, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func readModules(fsys fs.FS, dir string) ([]Module, error) {
	var mods []Module
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		mods = append(mods, Module{File: p, Source: string(b)})
		return nil
	})
	return mods, err
}

func loadControl(fsys fs.FS, dir string, inputs map[string]policy.InputDoc, categories map[string]string) (*policy.Control, []TestCase, error) {
	data, err := fs.ReadFile(fsys, path.Join(dir, ControlFile))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	var cf controlFile
	if err := strictUnmarshal(data, &cf); err != nil {
		return nil, nil, fmt.Errorf("%s/%s: %w", dir, ControlFile, err)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s/%s: %s", dir, ControlFile, fmt.Sprintf(format, args...))
	}
	switch {
	case cf.ID == "" || cf.Name == "":
		return nil, nil, fail("id and name are required")
	case !strings.HasPrefix(cf.ID, "C-") && !strings.HasPrefix(cf.ID, "V-"):
		return nil, nil, fail("id %q must be C-NNNN (Kubescape's meaning) or V-NNNN (Vigil's own)", cf.ID)
	case cf.BaseScore <= 0 || cf.BaseScore > 10:
		return nil, nil, fail("baseScore must be in (0, 10]")
	case strings.TrimSpace(cf.Description) == "" || strings.TrimSpace(cf.Remediation) == "":
		return nil, nil, fail("description and remediation are required")
	case cf.Rule != nil && len(cf.Rules) > 0:
		return nil, nil, fail("use either rule or rules, not both")
	}
	if cf.Rule != nil {
		cf.Rules = []*ruleFile{cf.Rule}
	}
	if len(cf.Rules) == 0 && cf.ActionRequired != "manual review" {
		return nil, nil, fail("a control needs a rule")
	}
	c := &policy.Control{
		ControlID:       cf.ID,
		Name:            cf.Name,
		Description:     strings.TrimSpace(cf.Description),
		LongDescription: strings.TrimSpace(cf.LongDescription),
		Remediation:     strings.TrimSpace(cf.Remediation),
		ManualTest:      strings.TrimSpace(cf.ManualCheck),
		BaseScore:       cf.BaseScore,
		References:      cf.References,
		Frameworks:      cf.Frameworks,
		Attributes:      cf.Attributes,
		Origin:          dir,
	}
	if cf.Category != "" {
		c.Category = &policy.Category{Name: cf.Category, ID: categories[cf.Category]}
		if cf.SubCategory != "" {
			c.Category.SubCategory = &policy.Category{Name: cf.SubCategory, ID: categories[cf.SubCategory]}
		}
	}
	if cf.ActionRequired != "" {
		if c.Attributes == nil {
			c.Attributes = map[string]any{}
		}
		c.Attributes["actionRequired"] = cf.ActionRequired
	}
	scope := cf.Scope
	if len(scope) == 0 {
		scope = []string{"cluster", "file"}
	}
	c.ScanningScope = &policy.ScanningScope{Matches: scope}
	for i, rf := range cf.Rules {
		r, err := loadRule(fsys, dir, i, len(cf.Rules), rf, inputs)
		if err != nil {
			return nil, nil, err
		}
		c.Rules = append(c.Rules, r)
		c.RulesNames = append(c.RulesNames, r.Name)
	}
	if len(cf.Scope) == 0 && c.HostOnly() {
		// Said so that docs and exported artifacts tell the truth; the
		// engine applies host-only controls this way whatever they say.
		c.ScanningScope = &policy.ScanningScope{Matches: []string{"host", "cluster"}}
	}
	tests, err := loadTests(fsys, dir)
	if err != nil {
		return nil, nil, err
	}
	return c, tests, nil
}

func loadRule(fsys fs.FS, dir string, i, n int, rf *ruleFile, inputs map[string]policy.InputDoc) (*policy.Rule, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s/%s: rule %d: %s", dir, ControlFile, i+1, fmt.Sprintf(format, args...))
	}
	if rf.Name == "" {
		return nil, fail("name is required")
	}
	file := rf.File
	if file == "" {
		if n > 1 {
			file = rf.Name + ".rego"
		} else {
			file = DefaultRule
		}
	}
	src, err := fs.ReadFile(fsys, path.Join(dir, file))
	if err != nil {
		return nil, fail("%v", err)
	}
	r := &policy.Rule{
		Name:         rf.Name,
		Description:  strings.TrimSpace(rf.Description),
		RuleLanguage: "Rego",
		RuleQuery:    "armo_builtins",
		Rule:         string(src),
		File:         path.Join(dir, file),
		PerObject:    !rf.Relational && rf.Aggregator == "",
		Attributes:   rf.Attributes,
	}
	if rf.Aggregator != "" {
		if r.Attributes == nil {
			r.Attributes = map[string]any{}
		}
		r.Attributes["resourcesAggregator"] = rf.Aggregator
	}
	switch {
	case rf.Enumerator != "" && len(rf.ScopeKinds) > 0:
		return nil, fail("use either enumerator or scopeKinds, not both")
	case rf.Enumerator != "":
		e, err := fs.ReadFile(fsys, path.Join(dir, rf.Enumerator))
		if err != nil {
			return nil, fail("%v", err)
		}
		r.ResourceEnumerator = string(e)
	case len(rf.ScopeKinds) > 0:
		for _, k := range rf.ScopeKinds {
			ms, err := KindMatch(k)
			if err != nil {
				return nil, fail("scopeKinds: %v", err)
			}
			for _, m := range ms {
				r.ScopeKinds = append(r.ScopeKinds, m.Resources...)
			}
		}
	}
	r.Match = slices.Clone(rf.Match)
	for _, k := range rf.Kinds {
		m, err := KindMatch(k)
		if err != nil {
			return nil, fail("%v", err)
		}
		r.Match = append(r.Match, m...)
	}
	if len(r.Match) == 0 {
		return nil, fail("kinds or match is required")
	}
	for _, key := range rf.Inputs {
		doc, ok := inputs[key]
		if !ok {
			return nil, fail("control input %q is not declared in %s/*.yaml", key, InputsDir)
		}
		r.ControlConfigInputs = append(r.ControlConfigInputs, policy.ControlInputRef{
			Path: "settings.postureControlInputs." + key, Name: key, Description: doc.Description,
		})
	}
	return r, nil
}

func loadFrameworks(fsys fs.FS, controls []*policy.Control, complete bool) ([]*policy.Framework, error) {
	entries, _ := fs.ReadDir(fsys, FrameworksDir)
	var fws []*policy.Framework
	known := map[string]*policy.Framework{}
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		p := path.Join(FrameworksDir, e.Name())
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		var ff frameworkFile
		if err := strictUnmarshal(data, &ff); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
			continue
		}
		if ff.Name == "" {
			errs = append(errs, fmt.Errorf("%s: name is required", p))
			continue
		}
		f := &policy.Framework{Name: ff.Name, Description: strings.TrimSpace(ff.Description), Origin: "builtin",
			Attributes: map[string]any{"builtin": true}}
		if len(ff.Scope) > 0 {
			f.ScanningScope = &policy.ScanningScope{Matches: ff.Scope}
		}
		f.ControlsIDs = append(f.ControlsIDs, ff.Controls...)
		if ff.All {
			for _, c := range controls {
				f.ControlsIDs = append(f.ControlsIDs, c.ControlID)
			}
		}
		known[strings.ToLower(ff.Name)] = f
		fws = append(fws, f)
	}
	for _, c := range controls {
		for _, name := range c.Frameworks {
			f, ok := known[strings.ToLower(name)]
			if !ok {
				errs = append(errs, fmt.Errorf("%s: framework %q has no file in %s/", c.Origin, name, FrameworksDir))
				continue
			}
			if !slices.Contains(f.ControlsIDs, c.ControlID) {
				f.ControlsIDs = append(f.ControlsIDs, c.ControlID)
			}
		}
	}
	byID := map[string]*policy.Control{}
	for _, c := range controls {
		byID[c.ControlID] = c
	}
	for _, f := range fws {
		sort.Slice(f.ControlsIDs, func(i, j int) bool { return idLess(f.ControlsIDs[i], f.ControlsIDs[j]) })
		for _, id := range f.ControlsIDs {
			c, ok := byID[id]
			if !ok {
				if complete {
					errs = append(errs, fmt.Errorf("framework %s lists unknown control %s", f.Name, id))
				}
				continue
			}
			f.Controls = append(f.Controls, c)
		}
	}
	return fws, errors.Join(errs...)
}

func idLess(a, b string) bool {
	if a[0] != b[0] {
		return a[0] < b[0]
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func strictUnmarshal(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return err
	}
	return nil
}
