package exception

import (
	"strings"
	"testing"
	"time"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
)

func TestAuditScan(t *testing.T) {
	web := obj(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n")
	api := obj(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\n")
	c57 := &policy.Control{ControlID: "C-0057", Name: "Privileged container"}
	c17 := &policy.Control{ControlID: "C-0017", Name: "Immutable container filesystem"}
	failures := []Failure{
		{Object: web, Control: c57, Frameworks: []string{"security", "nsa"}},
		{Object: api, Control: c57, Frameworks: []string{"security", "nsa"}},
		{Object: web, Control: c17, Frameworks: []string{"security"}},
	}
	const day = 24 * time.Hour
	cases := []struct {
		name        string
		json        string
		within      time.Duration
		wantStatus  AuditStatus
		wantMatches int
		wantDetail  string
	}{
		{"matched", `{"name":"e","resources":[{"attributes":{"name":"web"}}],"posturePolicies":[{"controlID":"C-0057"}]}`,
			0, AuditMatched, 1, "covers 1 failure"},
		{"matches every failure it covers", `{"name":"e","resources":[{"attributes":{"namespace":"shop"}}],"posturePolicies":[{"controlID":"C-0057"}]}`,
			0, AuditMatched, 2, "covers 2 failures"},
		{"no posture policy covers every control", `{"name":"e","resources":[{"attributes":{"name":"web"}}]}`,
			0, AuditMatched, 2, "covers 2 failures"},
		{"unmatched object", `{"name":"e","resources":[{"attributes":{"name":"gone"}}],"posturePolicies":[{"controlID":"C-0057"}]}`,
			0, AuditUnmatched, 0, "matched no failure"},
		{"unmatched control", `{"name":"e","resources":[{"attributes":{"name":"api"}}],"posturePolicies":[{"controlID":"C-0017"}]}`,
			0, AuditUnmatched, 0, "matched no failure"},
		{"framework scope", `{"name":"e","resources":[{"attributes":{"name":"web"}}],"posturePolicies":[{"frameworkName":"nsa"}]}`,
			0, AuditMatched, 1, "covers 1 failure"},
		{"expired with failures", `{"name":"e","expirationDate":"2026-05-01","resources":[{"attributes":{"name":"web"}}],"posturePolicies":[{"controlID":"C-0057"}]}`,
			0, AuditExpired, 1, "expired on 2026-05-01 and no longer applies; 1 failure it covered now fail"},
		{"expired outranks unmatched", `{"name":"e","expirationDate":"2026-05-01T00:00:00Z","resources":[{"attributes":{"name":"gone"}}]}`,
			0, AuditExpired, 0, "expired on 2026-05-01 and no longer applies"},
		{"expiring within the window", `{"name":"e","expirationDate":"2026-06-11","resources":[{"attributes":{"name":"web"}}],"posturePolicies":[{"controlID":"C-0057"}]}`,
			30 * day, AuditExpiring, 1, "expires on 2026-06-11 (in 10 days)"},
		{"expiring only when asked", `{"name":"e","expirationDate":"2026-06-11","resources":[{"attributes":{"name":"web"}}],"posturePolicies":[{"controlID":"C-0057"}]}`,
			0, AuditMatched, 1, "covers 1 failure"},
		{"expiring later than the window", `{"name":"e","expirationDate":"2026-09-01","resources":[{"attributes":{"name":"web"}}],"posturePolicies":[{"controlID":"C-0057"}]}`,
			30 * day, AuditMatched, 1, "covers 1 failure"},
		{"unmatched outranks expiring", `{"name":"e","expirationDate":"2026-06-11","resources":[{"attributes":{"name":"gone"}}]}`,
			30 * day, AuditUnmatched, 0, "matched no failure"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse([]byte(tc.json), now)
			if err != nil {
				t.Fatal(err)
			}
			got := s.AuditScan(failures, []*object.Object{web, api}, AuditOptions{ExpiringWithin: tc.within})
			if len(got) != 1 {
				t.Fatalf("want one entry, got %+v", got)
			}
			e := got[0]
			if e.Status != tc.wantStatus || e.Matches != tc.wantMatches || !strings.Contains(e.Detail, tc.wantDetail) {
				t.Errorf("got %s, %d matches, %q; want %s, %d, %q", e.Status, e.Matches, e.Detail, tc.wantStatus, tc.wantMatches, tc.wantDetail)
			}
			if e.Status.Stale() != (tc.wantStatus == AuditExpired || tc.wantStatus == AuditUnmatched) {
				t.Errorf("Stale() = %v for %s", e.Status.Stale(), e.Status)
			}
		})
	}
}

func TestAuditScanInline(t *testing.T) {
	annotated := func(name, skip, until string) *object.Object {
		y := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: ns\n  annotations:\n    vigil.dev/skip-controls: \"" + skip + "\"\n"
		if until != "" {
			y += "    vigil.dev/skip-until: \"" + until + "\"\n"
		}
		return obj(t, y)
	}
	c57 := &policy.Control{ControlID: "C-0057"}
	c17 := &policy.Control{ControlID: "C-0017"}
	cases := []struct {
		name        string
		o           *object.Object
		fails       []*policy.Control
		within      time.Duration
		wantStatus  AuditStatus
		wantMatches int
		wantDetail  string
	}{
		{"matched", annotated("a", "C-0057, C-0017", ""), []*policy.Control{c57}, 0, AuditMatched, 1, "covers 1 failure; C-0017 never failed here"},
		{"every listed control counts", annotated("a", "c-0057,C-0017", ""), []*policy.Control{c57, c17}, 0, AuditMatched, 2, "covers 2 failures"},
		{"wildcard", annotated("a", "*", ""), []*policy.Control{c57, c17}, 0, AuditMatched, 2, "covers 2 failures"},
		{"wildcard and ID count a failure once", annotated("a", "*,C-0057", ""), []*policy.Control{c57}, 0, AuditMatched, 1, "covers 1 failure"},
		{"unmatched: the control passes now", annotated("a", "C-0017", ""), []*policy.Control{c57}, 0, AuditUnmatched, 0, "matched no failure"},
		{"unmatched: no failure at all", annotated("a", "C-0057", ""), nil, 0, AuditUnmatched, 0, "matched no failure"},
		{"expired", annotated("a", "C-0057", "2026-01-31"), []*policy.Control{c57}, 0, AuditExpired, 1, "expired on 2026-01-31"},
		{"expiring", annotated("a", "C-0057", "2026-06-05"), []*policy.Control{c57}, 7 * 24 * time.Hour, AuditExpiring, 1, "expires on 2026-06-05 (in 4 days)"},
		{"not a date", annotated("a", "C-0057", "end of year"), []*policy.Control{c57}, 0, AuditInvalid, 1, `skip-until "end of year" is not a date`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var failures []Failure
			for _, c := range tc.fails {
				failures = append(failures, Failure{Object: tc.o, Control: c})
			}
			plain := obj(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: plain}\n")
			var s *Set // inline exceptions need no exceptions file
			got := s.AuditScan(failures, []*object.Object{plain, tc.o, tc.o}, AuditOptions{Now: now, ExpiringWithin: tc.within})
			if len(got) != 1 {
				t.Fatalf("want one entry (objects without annotations and repeats are left out), got %+v", got)
			}
			e := got[0]
			if e.Status != tc.wantStatus || e.Matches != tc.wantMatches || !strings.Contains(e.Detail, tc.wantDetail) {
				t.Errorf("got %s with %d matches (%s); want %s with %d (%s)", e.Status, e.Matches, e.Detail, tc.wantStatus, tc.wantMatches, tc.wantDetail)
			}
			if !strings.Contains(tc.wantDetail, "never failed") && strings.Contains(e.Detail, "never failed") {
				t.Errorf("detail names controls as unused wrongly: %s", e.Detail)
			}
			if e.Source != "annotation" || e.Name != "Pod/ns/a" || e.Location != "deploy/app.yaml:1" {
				t.Errorf("entry identity: %+v", e)
			}
		})
	}
}

func TestAuditScanShadowedAndOrder(t *testing.T) {
	web := obj(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n")
	c57 := &policy.Control{ControlID: "C-0057"}
	s, err := Parse([]byte(`[
		{"name":"first","resources":[{"attributes":{"name":"web"}}]},
		{"resources":[{"attributes":{"kind":"Deployment"}}],"posturePolicies":[{"controlID":"C-0057"}]}
	]`), now)
	if err != nil {
		t.Fatal(err)
	}
	got := s.AuditScan([]Failure{{Object: web, Control: c57}}, nil, AuditOptions{})
	if len(got) != 2 || got[0].Name != "first" || got[1].Name != "#2" {
		t.Fatalf("entries: %+v", got)
	}
	// Except credits only the first exception; the audit must not call the
	// second one unused, or removing the first would surface a failure.
	if got[1].Status != AuditMatched || got[1].Matches != 1 {
		t.Errorf("a shadowed exception still matches: %+v", got[1])
	}
	if got[0].Controls[0] != "*" || got[1].Controls[0] != "C-0057" {
		t.Errorf("controls: %v %v", got[0].Controls, got[1].Controls)
	}
}

func TestFailuresOf(t *testing.T) {
	a := obj(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n")
	b := obj(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\n")
	c57 := &report.ControlSummary{Control: &policy.Control{ControlID: "C-0057"}, Frameworks: []string{"nsa"}}
	c17 := &report.ControlSummary{Control: &policy.Control{ControlID: "C-0017"}}
	c34 := &report.ControlSummary{Control: &policy.Control{ControlID: "C-0034"}}
	rep := &report.Report{Resources: []*report.Resource{
		{Object: a, Results: []*report.Result{
			{Control: c57, Status: report.Failed},
			{Control: c17, Status: report.Passed, SubStatus: report.SubExceptions},
			{Control: c34, Status: report.Passed},
		}},
		{Object: b, Results: []*report.Result{{Control: c34, Status: report.Skipped}}},
	}}
	failures, objects := FailuresOf(rep)
	if len(objects) != 2 || objects[1] != b {
		t.Errorf("objects: %v", objects)
	}
	// Failed and excepted results are failures; passed and skipped are not.
	if len(failures) != 2 || failures[0].Control.ControlID != "C-0057" || failures[0].Frameworks[0] != "nsa" ||
		failures[1].Control.ControlID != "C-0017" || failures[1].Object != a {
		t.Errorf("failures: %+v", failures)
	}
}
