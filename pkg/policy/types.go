// Package policy holds frameworks, controls and rules in Kubescape's exported
// policy format, the control inputs they read, and the loaders that build
// them from Kubescape artifacts and from Vigil's own library.
package policy

import (
	"fmt"
	"slices"
	"strings"
)

// Framework is a named set of controls. JSON field names follow Kubescape's
// exported framework format.
type Framework struct {
	Name          string         `json:"name"`
	Description   string         `json:"description,omitempty"`
	Version       string         `json:"version,omitempty"`
	Attributes    map[string]any `json:"attributes,omitempty"`
	ScanningScope *ScanningScope `json:"scanningScope,omitempty"`
	TypeTags      []string       `json:"typeTags,omitempty"`
	Controls      []*Control     `json:"controls"`
	ControlsIDs   []string       `json:"controlsIDs,omitempty"`

	// Origin says where the framework was loaded from ("builtin", a file).
	Origin string `json:"-"`
}

// ScanningScope lists the targets a control or framework applies to
// ("cluster", "file", "cloud" ...).
type ScanningScope struct {
	Matches []string `json:"matches"`
}

// Allows reports whether the scope admits a target; an empty scope admits all.
func (s *ScanningScope) Allows(target string) bool {
	if s == nil || len(s.Matches) == 0 {
		return true
	}
	for _, m := range s.Matches {
		if m == target {
			return true
		}
		// Kubescape names cloud-managed clusters by provider ("EKS", "GKE"
		// "AKS", "cloud"); they are clusters for our purposes.
		if target == "cluster" && (m == "cloud" || m == "EKS" || m == "GKE" || m == "AKS") {
			return true
		}
	}
	return false
}

// Control is one security requirement, checked by one or more rules.
type Control struct {
	ControlID       string         `json:"controlID"`
	Name            string         `json:"name"`
	Description     string         `json:"description,omitempty"`
	LongDescription string         `json:"long_description,omitempty"`
	Remediation     string         `json:"remediation,omitempty"`
	Test            string         `json:"test,omitempty"`
	ManualTest      string         `json:"manual_test,omitempty"`
	BaseScore       float64        `json:"baseScore"`
	Category        *Category      `json:"category,omitempty"`
	Attributes      map[string]any `json:"attributes,omitempty"`
	ScanningScope   *ScanningScope `json:"scanningScope,omitempty"`
	RulesNames      []string       `json:"rulesNames,omitempty"`
	Rules           []*Rule        `json:"rules,omitempty"`

	// Vigil's additions, filled by the library loader.
	References []string `json:"references,omitempty"`
	// Frameworks lists the frameworks the control belongs to.
	Frameworks []string `json:"frameworks,omitempty"`
	// Origin says where the control was loaded from.
	Origin string `json:"-"`
}

// Severity derives the severity name from the base score.
func (c *Control) Severity() string { return SeverityOf(c.BaseScore) }

// ActionRequired returns the Kubescape "actionRequired" attribute
// ("manual review", "requires review", "configuration") or "".
func (c *Control) ActionRequired() string { return attrString(c.Attributes, "actionRequired") }

// InputKeys lists the control-input keys the control's rules read.
func (c *Control) InputKeys() []string {
	var keys []string
	for _, r := range c.Rules {
		for _, in := range r.ControlConfigInputs {
			k := in.Key()
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// Category groups controls in reports.
type Category struct {
	Name        string    `json:"name"`
	ID          string    `json:"id,omitempty"`
	SubCategory *Category `json:"subCategory,omitempty"`
}

// Rule is one Rego policy and the objects it is evaluated on.
type Rule struct {
	Name                   string            `json:"name"`
	Attributes             map[string]any    `json:"attributes,omitempty"`
	RuleLanguage           string            `json:"ruleLanguage,omitempty"`
	Match                  []Match           `json:"match,omitempty"`
	DynamicMatch           []Match           `json:"dynamicMatch,omitempty"`
	RuleDependencies       []RuleDependency  `json:"ruleDependencies,omitempty"`
	ControlConfigInputs    []ControlInputRef `json:"controlConfigInputs,omitempty"`
	Description            string            `json:"description,omitempty"`
	Remediation            string            `json:"remediation,omitempty"`
	RuleQuery              string            `json:"ruleQuery,omitempty"`
	Rule                   string            `json:"rule"`
	ResourceEnumerator     string            `json:"resourceEnumerator,omitempty"`
	RelevantCloudProviders []string          `json:"relevantCloudProviders,omitempty"`

	// PerObject marks rules that judge each input object on its own. The
	// engine may then split their input across workers; rules without it
	// always see every matched object at once. Only Vigil's library sets it.
	PerObject bool `json:"-"`
	// File names the Rego source in error messages.
	File string `json:"-"`
	// ScopeKinds, when set, limit the objects the rule judges (and counts)
	// to these kinds; the other matched objects are context it reads. It
	// does in Go what a resourceEnumerator does in Rego, for Vigil's library.
	ScopeKinds []string `json:"-"`
}

// Aggregator returns the resourcesAggregator attribute ("subject-role-rolebinding" or "").
func (r *Rule) Aggregator() string { return attrString(r.Attributes, "resourcesAggregator") }

// HostSensor reports whether the rule needs host-scanner data.
func (r *Rule) HostSensor() bool {
	v := attrString(r.Attributes, "hostSensorRule")
	return v == "true"
}

// Matches returns the rule's static and dynamic matches together.
func (r *Rule) Matches() []Match {
	return append(slices.Clip(r.Match), r.DynamicMatch...)
}

// Match selects objects by API group, version and kind. "*" matches anything.
type Match struct {
	APIGroups   []string `json:"apiGroups" yaml:"apiGroups"`
	APIVersions []string `json:"apiVersions" yaml:"apiVersions"`
	Resources   []string `json:"resources" yaml:"resources"`
}

// Matches reports whether the match selects an object of this group,
// version and kind.
func (m Match) Matches(group, version, kind string) bool {
	return anyOf(m.APIGroups, group) && anyOf(m.APIVersions, version) && anyOf(m.Resources, kind)
}

func anyOf(list []string, v string) bool {
	for _, x := range list {
		if x == "*" || x == v {
			return true
		}
	}
	return false
}

// RuleDependency names a shared Rego package a rule imports.
type RuleDependency struct {
	PackageName string `json:"packageName"`
}

// ControlInputRef declares a control input a rule reads.
type ControlInputRef struct {
	Path        string `json:"path"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// Key is the control-input key: the last element of the path
// ("settings.postureControlInputs.insecureCapabilities" → "insecureCapabilities").
func (in ControlInputRef) Key() string {
	if i := strings.LastIndexByte(in.Path, '.'); i >= 0 {
		return in.Path[i+1:]
	}
	return in.Path
}

// SeverityOf maps a base score to a severity: 9+ critical, 7+ high,
// 4+ medium, 1+ low, below that unknown.
func SeverityOf(score float64) string {
	switch {
	case score >= 9:
		return "Critical"
	case score >= 7:
		return "High"
	case score >= 4:
		return "Medium"
	case score >= 1:
		return "Low"
	}
	return "Unknown"
}

// SeverityRank orders severities; unknown names rank 0.
func SeverityRank(s string) int {
	switch strings.ToLower(s) {
	case "low":
		return 1
	case "medium":
		return 2
	case "high":
		return 3
	case "critical":
		return 4
	}
	return 0
}

func attrString(attrs map[string]any, key string) string {
	v, ok := attrs[key]
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(v)
}
