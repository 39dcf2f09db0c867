// Package exception decides which failures are accepted risks: Kubescape's
// posture exception policies (JSON) and inline annotations on objects.
//
// An excepted failure is reported as passed with sub-status "w/exceptions",
// with the exception's reason, never hidden.
package exception

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
)

// Annotations that except an object inline.
const (
	AnnotationControls = "vigil.dev/skip-controls"
	AnnotationReason   = "vigil.dev/skip-reason"
	AnnotationUntil    = "vigil.dev/skip-until"
)

// Policy is one posture exception policy in Kubescape's format.
type Policy struct {
	Name            string          `json:"name"`
	PolicyType      string          `json:"policyType,omitempty"`
	Actions         []string        `json:"actions,omitempty"`
	Resources       []Resource      `json:"resources"`
	PosturePolicies []PosturePolicy `json:"posturePolicies"`
	Reason          string          `json:"reason,omitempty"`
	ExpirationDate  string          `json:"expirationDate,omitempty"`
	CreationTime    string          `json:"creationTime,omitempty"`
}

// Resource designates objects by attributes, each an anchored
// case-insensitive regular expression.
type Resource struct {
	DesignatorType string         `json:"designatorType,omitempty"`
	Attributes     map[string]any `json:"attributes"`
}

// PosturePolicy designates controls: by framework, control ID or name.
type PosturePolicy struct {
	FrameworkName string `json:"frameworkName,omitempty"`
	ControlID     string `json:"controlID,omitempty"`
	ControlName   string `json:"controlName,omitempty"`
	RuleName      string `json:"ruleName,omitempty"`
}

// Set is a compiled list of exceptions, safe for concurrent use.
type Set struct {
	rules  []*compiled
	now    time.Time
	source string

	mu   sync.Mutex
	used map[*compiled]int
}

type compiled struct {
	p         Policy
	index     int
	resources []resourceMatcher
	postures  []postureMatcher
	expired   bool
	expires   time.Time
}

type resourceMatcher struct {
	fields      map[string]*regexp.Regexp // kind, name, namespace, cluster, path, apiVersion
	labels      map[string]*regexp.Regexp
	annotations map[string]*regexp.Regexp
}

type postureMatcher struct {
	framework, controlID, controlName *regexp.Regexp
}

// Load reads an exceptions file (a JSON list of policies, or one policy).
func Load(path string, now time.Time) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read exceptions: %w", err)
	}
	s, err := Parse(data, now)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.source = path
	return s, nil
}

// Parse compiles exception policies.
func Parse(data []byte, now time.Time) (*Set, error) {
	var list []Policy
	t := strings.TrimSpace(string(data))
	if strings.HasPrefix(t, "{") {
		var p Policy
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, err
		}
		list = []Policy{p}
	} else if err := json.Unmarshal(data, &list); err != nil {
		return nil, err
	}
	s := &Set{now: now, used: map[*compiled]int{}}
	for i, p := range list {
		c, err := compile(p, i, now)
		if err != nil {
			return nil, fmt.Errorf("exception %d (%q): %w", i+1, p.Name, err)
		}
		s.rules = append(s.rules, c)
	}
	return s, nil
}

var knownFields = map[string]bool{"kind": true, "name": true, "namespace": true, "cluster": true, "path": true, "apiVersion": true}

func compile(p Policy, index int, now time.Time) (*compiled, error) {
	c := &compiled{p: p, index: index}
	for _, a := range p.Actions {
		if !strings.EqualFold(a, "alertOnly") {
			return nil, fmt.Errorf("action %q is not supported (only alertOnly)", a)
		}
	}
	if p.ExpirationDate != "" {
		t, err := parseTime(p.ExpirationDate)
		if err != nil {
			return nil, fmt.Errorf("expirationDate: %w", err)
		}
		c.expires = t
		c.expired = !now.IsZero() && now.After(t)
	}
	if len(p.Resources) == 0 {
		return nil, fmt.Errorf("resources is empty: an exception must say which objects it covers")
	}
	for _, r := range p.Resources {
		m := resourceMatcher{fields: map[string]*regexp.Regexp{}, labels: map[string]*regexp.Regexp{}, annotations: map[string]*regexp.Regexp{}}
		for k, v := range r.Attributes {
			switch val := v.(type) {
			case string:
				re, err := anchored(val)
				if err != nil {
					return nil, fmt.Errorf("attribute %s: %w", k, err)
				}
				switch {
				case knownFields[k]:
					m.fields[k] = re
				case strings.HasPrefix(k, "annotations."):
					m.annotations[strings.TrimPrefix(k, "annotations.")] = re
				default:
					// Kubescape treats any other attribute as a label.
					m.labels[strings.TrimPrefix(k, "labels.")] = re
				}
			case map[string]any:
				dst := m.labels
				if k == "annotations" {
					dst = m.annotations
				} else if k != "labels" {
					return nil, fmt.Errorf("attribute %s: only labels and annotations may be maps", k)
				}
				for lk, lv := range val {
					s, ok := lv.(string)
					if !ok {
						return nil, fmt.Errorf("attribute %s.%s must be a string", k, lk)
					}
					re, err := anchored(s)
					if err != nil {
						return nil, fmt.Errorf("attribute %s.%s: %w", k, lk, err)
					}
					dst[lk] = re
				}
			default:
				return nil, fmt.Errorf("attribute %s must be a string", k)
			}
		}
		c.resources = append(c.resources, m)
	}
	for _, pp := range p.PosturePolicies {
		var pm postureMatcher
		var err error
		if pm.framework, err = optional(pp.FrameworkName); err != nil {
			return nil, fmt.Errorf("frameworkName: %w", err)
		}
		if pm.controlID, err = optional(pp.ControlID); err != nil {
			return nil, fmt.Errorf("controlID: %w", err)
		}
		if pm.controlName, err = optional(pp.ControlName); err != nil {
			return nil, fmt.Errorf("controlName: %w", err)
		}
		c.postures = append(c.postures, pm)
	}
	return c, nil
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (use RFC 3339 or YYYY-MM-DD)", s)
}

// anchored compiles a pattern that must match the whole value, ignoring case.
func anchored(p string) (*regexp.Regexp, error) {
	return regexp.Compile("(?i)^(?:" + p + ")$")
}

func optional(p string) (*regexp.Regexp, error) {
	if p == "" {
		return nil, nil
	}
	return anchored(p)
}

// Except implements report.Excepter: file exceptions first, then the
// object's own annotations.
func (s *Set) Except(o *object.Object, c *policy.Control, frameworks []string) *report.ExceptionInfo {
	if s != nil {
		for _, r := range s.rules {
			if r.expired || !r.matchesObject(o) || !r.matchesControl(c, frameworks) {
				continue
			}
			s.mu.Lock()
			s.used[r]++
			s.mu.Unlock()
			return &report.ExceptionInfo{Name: r.p.Name, Reason: r.p.Reason, Source: s.source}
		}
	}
	now := time.Now()
	if s != nil && !s.now.IsZero() {
		now = s.now
	}
	return inline(o, c, now)
}

func (r *compiled) matchesObject(o *object.Object) bool {
	for _, m := range r.resources {
		if m.matches(o) {
			return true
		}
	}
	return false
}

func (m resourceMatcher) matches(o *object.Object) bool {
	target := o
	for k, re := range m.fields {
		var v string
		switch k {
		case "kind":
			v = target.ID.Kind
		case "name":
			v = target.ID.Name
		case "namespace":
			v = target.ID.Namespace
		case "apiVersion":
			v = target.ID.APIVersion
		case "path":
			v = target.Source.Path
		case "cluster":
			v = "" // cluster names arrive with cluster scans
		}
		if !re.MatchString(v) {
			return false
		}
	}
	for k, re := range m.labels {
		v, ok := target.Labels[k]
		if !ok || !re.MatchString(v) {
			return false
		}
	}
	for k, re := range m.annotations {
		v, ok := target.Annotations[k]
		if !ok || !re.MatchString(v) {
			return false
		}
	}
	return true
}

func (r *compiled) matchesControl(c *policy.Control, frameworks []string) bool {
	if len(r.postures) == 0 {
		return true
	}
	for _, pm := range r.postures {
		if pm.controlID != nil && !pm.controlID.MatchString(c.ControlID) {
			continue
		}
		if pm.controlName != nil && !pm.controlName.MatchString(c.Name) {
			continue
		}
		if pm.framework != nil {
			ok := false
			for _, f := range frameworks {
				if pm.framework.MatchString(f) {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		}
		return true
	}
	return false
}

// inline reads the skip annotations on the object itself.
func inline(o *object.Object, c *policy.Control, now time.Time) *report.ExceptionInfo {
	ids := o.Annotations[AnnotationControls]
	if ids == "" {
		return nil
	}
	match := false
	for _, id := range strings.Split(ids, ",") {
		id = strings.TrimSpace(id)
		if strings.EqualFold(id, c.ControlID) || id == "*" {
			match = true
			break
		}
	}
	if !match {
		return nil
	}
	if until := o.Annotations[AnnotationUntil]; until != "" {
		t, err := parseTime(until)
		if err != nil || now.After(t) {
			return nil
		}
	}
	reason := o.Annotations[AnnotationReason]
	if reason == "" {
		reason = "no reason given"
	}
	return &report.ExceptionInfo{Name: AnnotationControls, Reason: reason, Source: "annotation"}
}

// Audit lists exceptions that matched nothing in this scan or have expired.
func (s *Set) Audit() []string {
	if s == nil {
		return nil
	}
	var out []string
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rules {
		name := r.p.Name
		if name == "" {
			name = fmt.Sprintf("#%d", r.index+1)
		}
		switch {
		case r.expired:
			out = append(out, fmt.Sprintf("exception %q expired on %s and no longer applies", name, r.expires.Format("2006-01-02")))
		case s.used[r] == 0:
			out = append(out, fmt.Sprintf("exception %q matched no failure in this scan", name))
		}
	}
	return out
}
