package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vigilsec/vigil/internal/suggest"
)

// Set is every framework, control and control input known to a scan.
type Set struct {
	frameworks []*Framework
	controls   map[string]*Control
	order      []string
	// Inputs are the control inputs rules read at data.postureControlInputs.
	Inputs Inputs
	// InputDocs describe the known input keys.
	InputDocs map[string]InputDoc
	// Warnings are problems met while loading that did not stop it.
	Warnings []string
}

// InputDoc documents a control input.
type InputDoc struct {
	Description string   `json:"description,omitempty"`
	Default     []string `json:"default"`
}

// NewSet returns an empty set.
func NewSet() *Set {
	return &Set{controls: map[string]*Control{}, Inputs: Inputs{}, InputDocs: map[string]InputDoc{}}
}

// AddControl adds or replaces a control by ID.
func (s *Set) AddControl(c *Control) {
	if _, ok := s.controls[c.ControlID]; !ok {
		s.order = append(s.order, c.ControlID)
	}
	s.controls[c.ControlID] = c
}

// AddFramework adds or replaces a framework (by case-insensitive name) and
// its controls. Controls embedded in the framework replace earlier controls
// of the same ID, so user artifacts override the built-in library.
func (s *Set) AddFramework(fw *Framework) {
	for _, c := range fw.Controls {
		s.AddControl(c)
	}
	if len(fw.ControlsIDs) == 0 {
		for _, c := range fw.Controls {
			fw.ControlsIDs = append(fw.ControlsIDs, c.ControlID)
		}
	}
	// Point the framework at the set's control objects, so every framework
	// naming an ID shares one control.
	fw.Controls = nil
	for _, id := range fw.ControlsIDs {
		if c, ok := s.controls[id]; ok {
			fw.Controls = append(fw.Controls, c)
		}
	}
	for i, f := range s.frameworks {
		if strings.EqualFold(f.Name, fw.Name) {
			s.frameworks[i] = fw
			return
		}
	}
	s.frameworks = append(s.frameworks, fw)
}

// ReplaceControl adds c, replacing a control of the same ID everywhere:
// in the set and in every framework that holds it, so a user's control
// takes the built-in one's place in the built-in frameworks too. It
// returns the control replaced, or nil.
func (s *Set) ReplaceControl(c *Control) *Control {
	old := s.controls[c.ControlID]
	s.AddControl(c)
	if old == nil {
		return nil
	}
	for _, f := range s.frameworks {
		for i, fc := range f.Controls {
			if fc == old {
				f.Controls[i] = c
			}
		}
	}
	return old
}

// Frameworks returns the frameworks in load order.
func (s *Set) Frameworks() []*Framework { return s.frameworks }

// Framework finds a framework by case-insensitive name.
func (s *Set) Framework(name string) *Framework {
	for _, f := range s.frameworks {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// Control finds a control by ID (case-insensitive).
func (s *Set) Control(id string) *Control {
	if c, ok := s.controls[id]; ok {
		return c
	}
	for k, c := range s.controls {
		if strings.EqualFold(k, id) {
			return c
		}
	}
	return nil
}

// Controls returns every control in load order.
func (s *Set) Controls() []*Control {
	out := make([]*Control, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.controls[id])
	}
	return out
}

// Selection is what one scan evaluates.
type Selection struct {
	// Frameworks are the frameworks asked for (empty for a control scan).
	Frameworks []*Framework
	// Controls are the distinct controls to evaluate, in a stable order.
	Controls []*Control
	// TargetType is "Framework" or "Control", as in Kubescape's metadata.
	TargetType string
	// TargetNames are the names or IDs asked for.
	TargetNames []string
}

// UnknownError is an unknown framework or control name. A scan that would
// evaluate nothing because of a typo must fail, not pass.
type UnknownError struct {
	What  string // "framework" or "control"
	Name  string
	Known []string
}

func (e *UnknownError) Error() string {
	msg := fmt.Sprintf("unknown %s %q", e.What, e.Name)
	if s := suggest.Closest(e.Name, e.Known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg + fmt.Sprintf("; run `vigil list %ss` to see them", e.What)
}

// SelectFrameworks selects frameworks by name. "all" selects every
// framework in the set.
func (s *Set) SelectFrameworks(names []string, exclude []string) (*Selection, error) {
	sel := &Selection{TargetType: "Framework", TargetNames: names}
	for _, n := range names {
		if strings.EqualFold(n, "all") {
			sel.Frameworks = append(sel.Frameworks, s.frameworks...)
			continue
		}
		f := s.Framework(n)
		if f == nil {
			var known []string
			for _, f := range s.frameworks {
				known = append(known, f.Name)
			}
			return nil, &UnknownError{What: "framework", Name: n, Known: known}
		}
		sel.Frameworks = append(sel.Frameworks, f)
	}
	sel.Frameworks = uniqueFrameworks(sel.Frameworks)
	seen := map[string]bool{}
	for _, f := range sel.Frameworks {
		for _, c := range f.Controls {
			if !seen[c.ControlID] {
				seen[c.ControlID] = true
				sel.Controls = append(sel.Controls, c)
			}
		}
	}
	return sel, s.exclude(sel, exclude)
}

// SelectControls selects controls by ID (or exact name).
func (s *Set) SelectControls(ids []string, exclude []string) (*Selection, error) {
	sel := &Selection{TargetType: "Control", TargetNames: ids}
	seen := map[string]bool{}
	for _, id := range ids {
		c := s.Control(id)
		if c == nil {
			for _, x := range s.controls {
				if strings.EqualFold(x.Name, id) {
					c = x
					break
				}
			}
		}
		if c == nil {
			return nil, &UnknownError{What: "control", Name: id, Known: s.order}
		}
		if !seen[c.ControlID] {
			seen[c.ControlID] = true
			sel.Controls = append(sel.Controls, c)
		}
	}
	return sel, s.exclude(sel, exclude)
}

func (s *Set) exclude(sel *Selection, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	drop := map[string]bool{}
	for _, id := range ids {
		c := s.Control(id)
		if c == nil {
			return &UnknownError{What: "control", Name: id, Known: s.order}
		}
		drop[c.ControlID] = true
	}
	sel.Controls = slices.DeleteFunc(sel.Controls, func(c *Control) bool { return drop[c.ControlID] })
	return nil
}

func uniqueFrameworks(in []*Framework) []*Framework {
	var out []*Framework
	for _, f := range in {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// Inputs are control inputs: key → list of values.
type Inputs map[string][]string

// Merge overlays other on top of in (keys in other replace keys in in).
func (in Inputs) Merge(other Inputs) {
	for k, v := range other {
		in[k] = v
	}
}

// Keys returns the keys sorted.
func (in Inputs) Keys() []string {
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
