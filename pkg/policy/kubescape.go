package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// KubescapeCompatVersion is the Kubescape release whose rule contract Vigil
// honours: rules whose useFromKubescapeVersion is later, or whose
// useUntilKubescapeVersion is not later, are not used.
const KubescapeCompatVersion = "v4.0.11"

// Artifact file names with a special meaning in an artifacts directory.
const (
	ControlsInputsFile = "controls-inputs.json"
	ExceptionsFile     = "exceptions.json"
)

// artifactsIgnored are files Kubescape downloads that hold no policies.
var artifactsIgnored = map[string]bool{
	"attack-tracks.json": true, "default-config-inputs.json": true, "controls.json": false,
	"customer-config.json": true, "version.json": true,
}

// LoadKubescapeFile loads frameworks or controls exported in Kubescape's
// JSON format. A file may hold one framework, a list of frameworks, one
// control or a list of controls; controls are returned in a framework named
// after the file, so they can also be scanned by ID.
func LoadKubescapeFile(path string) ([]*Framework, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read policy file: %w", err)
	}
	fws, err := ParseKubescape(data, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fws, nil
}

// ParseKubescape parses Kubescape policy JSON; origin names it in errors.
func ParseKubescape(data []byte, origin string) ([]*Framework, error) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 {
		return nil, fmt.Errorf("empty policy file")
	}
	var raws []json.RawMessage
	if t[0] == '[' {
		if err := json.Unmarshal(t, &raws); err != nil {
			return nil, jsonError(t, err)
		}
	} else {
		raws = []json.RawMessage{t}
	}
	var fws []*Framework
	var loose []*Control
	for i, raw := range raws {
		var probe struct {
			ControlID *string         `json:"controlID"`
			Controls  json.RawMessage `json:"controls"`
			Name      string          `json:"name"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			return nil, jsonError(raw, err)
		}
		switch {
		case probe.ControlID != nil:
			var c Control
			if err := json.Unmarshal(raw, &c); err != nil {
				return nil, fmt.Errorf("control %d: %w", i, jsonError(raw, err))
			}
			loose = append(loose, &c)
		case probe.Controls != nil || probe.Name != "":
			var f Framework
			if err := json.Unmarshal(raw, &f); err != nil {
				return nil, fmt.Errorf("framework %q: %w", probe.Name, jsonError(raw, err))
			}
			fws = append(fws, &f)
		default:
			return nil, fmt.Errorf("item %d is neither a framework (name, controls) nor a control (controlID)", i)
		}
	}
	if len(loose) > 0 {
		name := strings.TrimSuffix(filepath.Base(origin), filepath.Ext(origin))
		fws = append(fws, &Framework{Name: name, Description: "controls loaded from " + origin, Controls: loose})
	}
	for _, f := range fws {
		f.Origin = origin
		for _, c := range f.Controls {
			c.Origin = origin
			if err := prepareControl(c); err != nil {
				return nil, err
			}
		}
	}
	return fws, nil
}

// prepareControl drops rules not meant for this Kubescape version and checks
// what the engine relies on.
func prepareControl(c *Control) error {
	if c.ControlID == "" {
		return fmt.Errorf("control %q has no controlID", c.Name)
	}
	var rules []*Rule
	for _, r := range c.Rules {
		if !ruleInVersion(r) {
			continue
		}
		if r.RuleLanguage != "" && !strings.EqualFold(r.RuleLanguage, "rego") {
			return fmt.Errorf("control %s rule %s: rule language %q is not supported", c.ControlID, r.Name, r.RuleLanguage)
		}
		rules = append(rules, r)
	}
	c.Rules = rules
	return nil
}

func ruleInVersion(r *Rule) bool {
	if from := attrString(r.Attributes, "useFromKubescapeVersion"); from != "" {
		if CompareVersions(from, KubescapeCompatVersion) > 0 {
			return false
		}
	}
	if until := attrString(r.Attributes, "useUntilKubescapeVersion"); until != "" {
		if CompareVersions(until, KubescapeCompatVersion) <= 0 {
			return false
		}
	}
	return true
}

// CompareVersions compares "v1.2.3"-style versions numerically.
func CompareVersions(a, b string) int {
	pa, pb := versionParts(a), versionParts(b)
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func versionParts(v string) []int {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, _ := strconv.Atoi(p)
		out = append(out, n)
	}
	return out
}

// Artifacts is what an artifacts directory holds.
type Artifacts struct {
	Frameworks []*Framework
	// Inputs are the control inputs of controls-inputs.json (nil if absent).
	Inputs Inputs
	// ExceptionsPath is the exceptions.json file, if present.
	ExceptionsPath string
	Warnings       []string
}

// LoadArtifactsDir loads a Kubescape artifacts directory: framework JSON
// files, controls-inputs.json and exceptions.json.
func LoadArtifactsDir(dir string) (*Artifacts, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read artifacts directory: %w", err)
	}
	a := &Artifacts{}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		switch {
		case n == ControlsInputsFile:
			in, err := LoadInputsFile(p)
			if err != nil {
				return nil, err
			}
			a.Inputs = in
		case n == ExceptionsFile:
			a.ExceptionsPath = p
		case artifactsIgnored[n]:
		default:
			fws, err := LoadKubescapeFile(p)
			if err != nil {
				return nil, err
			}
			a.Frameworks = append(a.Frameworks, fws...)
		}
	}
	if len(a.Frameworks) == 0 {
		a.Warnings = append(a.Warnings, fmt.Sprintf("artifacts directory %s holds no frameworks", dir))
	}
	return a, nil
}

// LoadInputsFile reads control inputs in any of the shapes Kubescape uses:
// a flat {"key": [values]} map, {"postureControlInputs": {...}}, or a full
// config with settings.postureControlInputs.
func LoadInputsFile(path string) (Inputs, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read control inputs: %w", err)
	}
	in, err := ParseInputs(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return in, nil
}

// ParseInputs parses control inputs JSON (see LoadInputsFile).
func ParseInputs(data []byte) (Inputs, error) {
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(data, err)
	}
	if s, ok := raw["settings"].(map[string]any); ok {
		raw = s
	}
	if p, ok := raw["postureControlInputs"].(map[string]any); ok {
		raw = p
	}
	out := Inputs{}
	for k, v := range raw {
		switch x := v.(type) {
		case []any:
			vals := make([]string, 0, len(x))
			for _, e := range x {
				vals = append(vals, scalarString(e))
			}
			out[k] = vals
		case nil:
			out[k] = []string{}
		case map[string]any:
			return nil, fmt.Errorf("control input %q is an object; inputs are lists of strings", k)
		default:
			out[k] = []string{scalarString(x)}
		}
	}
	return out, nil
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonError adds a line number to JSON syntax and type errors.
func jsonError(data []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	return fmt.Errorf("line %d: %w", line, err)
}
