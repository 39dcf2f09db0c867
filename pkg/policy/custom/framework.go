package custom

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vigilsec/vigil/internal/suggest"

	"go.yaml.in/yaml/v3"

	"github.com/vigilsec/vigil/pkg/policy"
)

// IsFrameworkPath reports whether a framework argument names a file rather
// than a framework: it ends in .yaml, .yml or .json, or holds a path
// separator. Framework names never do.
func IsFrameworkPath(arg string) bool {
	switch strings.ToLower(filepath.Ext(arg)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, filepath.Separator)
}

// FrameworkFile is a custom framework as written:
//
//	name: acme-baseline
//	description: What Acme requires of every workload.
//	controls:
//	  - C-0057
//	  - {id: C-0017, severity: critical}
//	  - {id: ACME-0001, name: Owner label}
type FrameworkFile struct {
	Path        string
	Name        string             `yaml:"name"`
	Description string             `yaml:"description"`
	Controls    []FrameworkControl `yaml:"controls"`
}

// FrameworkControl is one entry of a framework's controls: an ID, with
// optional overrides that apply when the control runs for this framework.
type FrameworkControl struct {
	ID       string
	Severity string
	Name     string
	Line     int
}

// UnmarshalYAML accepts "C-0057" or {id: C-0057, severity: high, name: ...}.
func (fc *FrameworkControl) UnmarshalYAML(n *yaml.Node) error {
	fc.Line = n.Line
	if n.Kind == yaml.ScalarNode {
		fc.ID = strings.TrimSpace(n.Value)
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a control is an ID or {id, severity, name}", n.Line)
	}
	var raw struct {
		ID        string `yaml:"id"`
		Severity  string `yaml:"severity"`
		Name      string `yaml:"name"`
		ControlID string `yaml:"controlID"`
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i].Value; k {
		case "id", "severity", "name", "controlID":
		default:
			hint := ""
			if sg := suggest.Closest(k, []string{"id", "severity", "name"}); sg != "" {
				hint = fmt.Sprintf(" (did you mean %s?)", sg)
			}
			return fmt.Errorf("line %d: unknown key %q in a control entry%s: use id, severity and name", n.Content[i].Line, k, hint)
		}
	}
	if err := n.Decode(&raw); err != nil {
		return err
	}
	if raw.ControlID != "" {
		return fmt.Errorf("line %d: this looks like a Kubescape framework (controls with controlID); load it with --use-from", n.Line)
	}
	fc.ID, fc.Severity, fc.Name = strings.TrimSpace(raw.ID), strings.TrimSpace(raw.Severity), strings.TrimSpace(raw.Name)
	return nil
}

// ReadFramework reads and checks a frameworks file (YAML or JSON).
func ReadFramework(path string) (*FrameworkFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("framework file: %w", err)
	}
	ff := &FrameworkFile{Path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(ff); err != nil {
		return nil, fmt.Errorf("framework file %s: %w", path, err)
	}
	ff.Name = strings.TrimSpace(ff.Name)
	if ff.Name == "" {
		return nil, fmt.Errorf("framework file %s: name is required: it names the framework in reports", path)
	}
	if strings.EqualFold(ff.Name, "all") {
		return nil, fmt.Errorf("framework file %s: name %q is reserved (it selects every framework)", path, ff.Name)
	}
	for _, fc := range ff.Controls {
		at := fmt.Sprintf("%s:%d", path, fc.Line)
		if fc.ID == "" {
			return nil, fmt.Errorf("%s: a control entry names no id", at)
		}
		if fc.Severity != "" {
			if _, ok := SeverityScore(fc.Severity); !ok {
				return nil, fmt.Errorf("%s: control %s: severity %q: use low, medium, high or critical", at, fc.ID, fc.Severity)
			}
		}
	}
	return ff, nil
}

// UnknownControlError is a frameworks file naming a control the scan does
// not have.
type UnknownControlError struct {
	Path string
	Line int
	ID   string
	// Suggestion is the closest known ID, or "".
	Suggestion string
}

func (e *UnknownControlError) Error() string {
	msg := fmt.Sprintf("%s:%d: unknown control %q", e.Path, e.Line, e.ID)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg + "; run `vigil list controls` to see the built-in ones; custom controls load with --policy-dir"
}

// AddTo resolves the framework's controls in set and adds the framework to
// it. joiners are custom controls that may name this framework in their
// own metadata; those that do join it. Controls with overrides are copies
// owned by this framework, so the override holds only where this framework
// is scanned (the set and other frameworks keep the original).
func (ff *FrameworkFile) AddTo(set *policy.Set, joiners []*policy.Control) (*policy.Framework, error) {
	var known []string
	for _, c := range set.Controls() {
		known = append(known, c.ControlID)
	}
	fw := &policy.Framework{Name: ff.Name, Description: strings.TrimSpace(ff.Description), Origin: ff.Path}
	overrides := map[string]*policy.Control{}
	for _, fc := range ff.Controls {
		c := set.Control(fc.ID)
		if c == nil {
			return nil, &UnknownControlError{Path: ff.Path, Line: fc.Line, ID: fc.ID, Suggestion: suggest.Closest(fc.ID, known)}
		}
		if slices.Contains(fw.ControlsIDs, c.ControlID) {
			continue
		}
		fw.ControlsIDs = append(fw.ControlsIDs, c.ControlID)
		if fc.Severity != "" || fc.Name != "" {
			cp := *c
			if fc.Severity != "" {
				cp.BaseScore, _ = SeverityScore(fc.Severity)
			}
			if fc.Name != "" {
				cp.Name = fc.Name
			}
			overrides[c.ControlID] = &cp
		}
	}
	for _, c := range joiners {
		if slices.ContainsFunc(c.Frameworks, func(n string) bool { return strings.EqualFold(n, ff.Name) }) &&
			!slices.Contains(fw.ControlsIDs, c.ControlID) {
			fw.ControlsIDs = append(fw.ControlsIDs, c.ControlID)
		}
	}
	if len(fw.ControlsIDs) == 0 {
		return nil, errors.New("framework file " + ff.Path + ": lists no controls")
	}
	// AddFramework points the framework at the set's controls; the copies
	// go in afterwards so they never replace the set's own.
	set.AddFramework(fw)
	for i, c := range fw.Controls {
		if cp, ok := overrides[c.ControlID]; ok {
			fw.Controls[i] = cp
		}
	}
	return fw, nil
}
