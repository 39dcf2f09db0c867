package exception

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
)

// Failure is one object × control a scan found failing, whether or not an
// exception then covered it: what exceptions exist to match.
type Failure struct {
	Object  *object.Object
	Control *policy.Control
	// Frameworks are the scan's frameworks that include the control, which
	// framework-scoped exceptions match against.
	Frameworks []string
}

// FailuresOf lists a report's failures, excepted ones included, and the
// objects it judged (whose annotations hold inline exceptions).
func FailuresOf(rep *report.Report) ([]Failure, []*object.Object) {
	var failures []Failure
	var objects []*object.Object
	for _, r := range rep.Resources {
		objects = append(objects, r.Object)
		for _, res := range r.Results {
			if res.Status == report.Failed || res.SubStatus == report.SubExceptions {
				failures = append(failures, Failure{Object: r.Object, Control: res.Control.Control, Frameworks: res.Control.Frameworks})
			}
		}
	}
	return failures, objects
}

// AuditStatus classifies an exception against a scan.
type AuditStatus string

// Audit statuses, from most to least urgent.
const (
	// AuditInvalid is an inline exception whose skip-until is not a date;
	// it never applies.
	AuditInvalid AuditStatus = "invalid"
	// AuditExpired is past its expiration date; it no longer applies.
	AuditExpired AuditStatus = "expired"
	// AuditUnmatched covers no failure of the scan: the problem was fixed,
	// the object renamed, or the exception never matched anything.
	AuditUnmatched AuditStatus = "unmatched"
	// AuditExpiring covers failures and expires within the window asked for.
	AuditExpiring AuditStatus = "expiring"
	// AuditMatched covers failures and is in force.
	AuditMatched AuditStatus = "matched"
)

// Stale reports whether the exception needs attention: it no longer
// applies, or it applies to nothing.
func (s AuditStatus) Stale() bool {
	return s == AuditInvalid || s == AuditExpired || s == AuditUnmatched
}

// AuditEntry is one exception and what it matched in a scan.
type AuditEntry struct {
	// Name is the policy's name, or "#N" for an unnamed one; for inline
	// exceptions it is the annotated object (Kind/namespace/name).
	Name string `json:"name"`
	// Source is the exceptions file, or "annotation" for inline ones.
	Source string `json:"source"`
	// Location is where an inline exception is written (file:line), when known.
	Location string `json:"location,omitempty"`
	// Controls are the controls the exception names (IDs, names or
	// frameworks for file exceptions; the annotation's IDs for inline ones).
	Controls []string `json:"controls"`
	Reason   string   `json:"reason,omitempty"`
	// Expires is the expiration date as written ("" when it never expires).
	Expires string      `json:"expires,omitempty"`
	Status  AuditStatus `json:"status"`
	// Matches counts the failures the exception covers; for an expired
	// exception, the failures it would cover (they now fail).
	Matches int `json:"matches"`
	// Detail says in words why the exception has its status.
	Detail string `json:"detail"`

	expires time.Time
}

// ExpiresAt is the parsed expiration date (zero when none).
func (e AuditEntry) ExpiresAt() time.Time { return e.expires }

// AuditOptions tune the classification.
type AuditOptions struct {
	// Now is the time expiry is judged at (the set's load time, or the
	// current time, when zero).
	Now time.Time
	// ExpiringWithin flags exceptions in force that expire within this
	// duration (none when zero).
	ExpiringWithin time.Duration
}

// AuditScan classifies every exception of the set (which may be nil) and
// every inline exception found on the scanned objects against the scan's
// failures. Unlike Except, it counts a failure for every exception that
// matches it, not only the first: an exception shadowed by another is still
// in use. Entries come in file order, then in object order.
func (s *Set) AuditScan(failures []Failure, objects []*object.Object, opts AuditOptions) []AuditEntry {
	now := opts.Now
	if now.IsZero() && s != nil {
		now = s.now
	}
	if now.IsZero() {
		now = time.Now()
	}
	var out []AuditEntry
	if s != nil {
		for _, r := range s.rules {
			e := AuditEntry{Name: r.p.Name, Source: s.source, Controls: r.describeControls(),
				Reason: r.p.Reason, Expires: r.p.ExpirationDate, expires: r.expires}
			if e.Name == "" {
				e.Name = fmt.Sprintf("#%d", r.index+1)
			}
			if e.Source == "" {
				e.Source = "exceptions"
			}
			for _, f := range failures {
				if r.matchesObject(f.Object) && r.matchesControl(f.Control, f.Frameworks) {
					e.Matches++
				}
			}
			classify(&e, now, opts.ExpiringWithin, nil)
			out = append(out, e)
		}
	}

	// Index failures by object once, so inline exceptions on many objects
	// stay linear in the size of the scan.
	byObject := map[*object.Object][]*policy.Control{}
	for _, f := range failures {
		byObject[f.Object] = append(byObject[f.Object], f.Control)
	}
	seen := map[*object.Object]bool{}
	for _, o := range objects {
		ids := o.Annotations[AnnotationControls]
		if ids == "" || seen[o] {
			continue
		}
		seen[o] = true
		e := AuditEntry{Name: o.ID.String(), Source: "annotation", Location: o.Location(), Controls: []string{},
			Reason: o.Annotations[AnnotationReason], Expires: o.Annotations[AnnotationUntil]}
		for _, id := range strings.Split(ids, ",") {
			if id = strings.TrimSpace(id); id != "" {
				e.Controls = append(e.Controls, id)
			}
		}
		used := map[string]bool{}
		for _, c := range byObject[o] {
			matched := false
			for _, id := range e.Controls {
				if id == "*" || strings.EqualFold(id, c.ControlID) {
					matched, used[id] = true, true
				}
			}
			if matched {
				e.Matches++ // once per failure, however many IDs name it
			}
		}
		var parseErr error
		if e.Expires != "" {
			e.expires, parseErr = parseTime(e.Expires)
		}
		classify(&e, now, opts.ExpiringWithin, parseErr)
		// An annotation in use may still list controls that no longer fail
		// on the object: say which, so the list can shrink.
		if e.Matches > 0 {
			var unused []string
			for _, id := range e.Controls {
				if !used[id] {
					unused = append(unused, id)
				}
			}
			if len(unused) > 0 {
				e.Detail += fmt.Sprintf("; %s never failed here", strings.Join(unused, ", "))
			}
		}
		out = append(out, e)
	}
	return out
}

func classify(e *AuditEntry, now time.Time, within time.Duration, parseErr error) {
	date := e.expires.Format("2006-01-02")
	switch {
	case parseErr != nil:
		e.Status = AuditInvalid
		e.Detail = fmt.Sprintf("%s %q is not a date (use YYYY-MM-DD or RFC 3339), so the exception never applies", AnnotationUntil, e.Expires)
	case !e.expires.IsZero() && now.After(e.expires):
		e.Status = AuditExpired
		e.Detail = fmt.Sprintf("expired on %s and no longer applies", date)
		if e.Matches > 0 {
			e.Detail += fmt.Sprintf("; %s it covered now fail", plural(e.Matches, "failure"))
		}
	case e.Matches == 0:
		e.Status = AuditUnmatched
		e.Detail = "matched no failure in this scan"
	case within > 0 && !e.expires.IsZero() && !e.expires.After(now.Add(within)):
		e.Status = AuditExpiring
		e.Detail = fmt.Sprintf("covers %s and expires on %s (in %s)", plural(e.Matches, "failure"), date, daysLeft(e.expires.Sub(now)))
	default:
		e.Status = AuditMatched
		e.Detail = "covers " + plural(e.Matches, "failure")
	}
}

func daysLeft(d time.Duration) string {
	days := int(d.Hours() / 24)
	if days < 1 {
		return "less than a day"
	}
	return plural(days, "day")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// describeControls renders the posture policies of an exception briefly:
// "C-0057", "name=Privileged.*", "framework=NSA", or "*" for every control.
func (r *compiled) describeControls() []string {
	out := []string{}
	for _, pp := range r.p.PosturePolicies {
		var parts []string
		if pp.FrameworkName != "" {
			parts = append(parts, "framework="+pp.FrameworkName)
		}
		if pp.ControlID != "" {
			parts = append(parts, pp.ControlID)
		}
		if pp.ControlName != "" {
			parts = append(parts, "name="+pp.ControlName)
		}
		if len(parts) > 0 {
			out = append(out, strings.Join(parts, " "))
		}
	}
	if len(out) == 0 {
		out = append(out, "*")
	}
	return out
}
