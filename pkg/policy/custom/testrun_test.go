package custom

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/internal/testfs"
)

func TestScaffoldPassesItsTests(t *testing.T) {
	l := lib(t)
	for _, o := range []ScaffoldOptions{
		{Name: "require-owner"},
		{Name: "require-owner", Simple: true},
		{Name: "pods", Kind: "workloads", ID: "ACME-0002"},
		{Name: "ns", Kind: "Namespace", Simple: true},
		{Name: "gw", Kind: "networking.istio.io/*/Gateway"},
		{Name: "roles", Kind: "rbac.authorization.k8s.io/v1/ClusterRole", Simple: true},
	} {
		t.Run(o.Name+map[bool]string{true: "-simple"}[o.Simple], func(t *testing.T) {
			t.Parallel()
			o.Dir = filepath.Join(t.TempDir(), "policies")
			files, err := Scaffold(o)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{filepath.Join(o.Dir, o.Name+".rego"), filepath.Join(o.Dir, o.Name+".tests.yaml")}
			if !slices.Equal(files, want) {
				t.Errorf("created %v, want %v", files, want)
			}
			rep, err := RunTests(context.Background(), []string{o.Dir}, l)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Controls != 1 || rep.Passed != 2 || rep.Failed != 0 || len(rep.Notes) != 0 {
				t.Errorf("report = %+v", rep)
			}
			set, err := Load(context.Background(), []string{o.Dir}, l)
			if err != nil {
				t.Fatal(err)
			}
			c := set.Controls[0]
			wantContract := map[bool]string{true: ContractSimple, false: ContractKubescape}[o.Simple]
			if c.Contract != wantContract || c.Severity() != "Medium" || c.Remediation == "" || c.Description == "" {
				t.Errorf("control = %+v, contract %s", c.Control, c.Contract)
			}
			if o.ID != "" && c.ControlID != o.ID || o.ID == "" && c.ControlID != strings.ToUpper(o.Name) {
				t.Errorf("id = %s", c.ControlID)
			}
			// Never overwrite.
			if _, err := Scaffold(o); err == nil || !strings.Contains(err.Error(), "already exists; not overwriting it") {
				t.Errorf("second scaffold: %v", err)
			}
		})
	}
}

func TestScaffoldRejects(t *testing.T) {
	for _, o := range []ScaffoldOptions{
		{Name: "../escape"},
		{Name: "x", Kind: "Gateway"},
		{Name: "x", Kind: "*/*/*"},
		{Name: "x", ID: "A B"},
	} {
		o.Dir = t.TempDir()
		if files, err := Scaffold(o); err == nil || len(files) > 0 {
			t.Errorf("%+v: created %v, err %v", o, files, err)
		}
	}
}

func TestRunTests(t *testing.T) {
	l := lib(t)
	dir := testfs.Tree(t, map[string]string{
		// Two files in package main: their deny sets must not merge.
		"owner.rego": meta("Owner label", "id: OWN-1", "severity: low", "kinds: [Deployment]") + simpleBody,
		"owner.tests.yaml": `- name: missing owner fails
  objects:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: shop, labels: {owner: a}}
  expect:
    - {object: Deployment/shop/web, message: web has no owner}
    - {object: Deployment/shop/api, status: passed}
- name: wrong expectation fails
  objects:
    - {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}}
  expect:
    - {object: Deployment/shop/web, status: passed}
`,
		// conftest's violation set with {msg} objects, and a library import.
		"hostnet.rego": meta("Host network", "id: NET-1", "severity: high", "kinds: [workloads]") + `package main

import data.vigil.workload

violation contains {"msg": sprintf("%s uses the host network", [input.metadata.name]), "details": {}} if {
	workload.pod_spec(input).hostNetwork == true
}
`,
		"hostnet.tests.yaml": `- name: host network fails
  objects:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec: {template: {spec: {hostNetwork: true, containers: [{name: c, image: x}]}}}
  expect:
    - {object: Deployment/shop/web, message: web uses the host network}
`,
		"untested.rego": meta("Untested", "id: U-1", "severity: low", "kinds: [Pod]") + simpleBody,
	})
	rep, err := RunTests(context.Background(), []string{dir}, l)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Controls != 3 || rep.Passed != 2 || rep.Failed != 1 {
		t.Fatalf("report = %+v", rep)
	}
	var failed CaseReport
	for _, c := range rep.Cases {
		if !c.Passed {
			failed = c
		}
	}
	if failed.Control != "OWN-1" || failed.Case != "wrong expectation fails" || failed.Line != 12 ||
		failed.File != filepath.Join(dir, "owner.tests.yaml") || len(failed.Problems) != 1 ||
		!strings.Contains(failed.Problems[0], "Deployment/shop/web: expected passed, got failed (web has no owner)") {
		t.Errorf("failed case = %+v", failed)
	}
	notes := strings.Join(rep.Notes, "\n")
	for _, want := range []string{
		"U-1 (" + filepath.Join(dir, "untested.rego") + "): no test cases; write them in " + filepath.Join(dir, "untested.tests.yaml"),
		"NET-1 (" + filepath.Join(dir, "hostnet.tests.yaml") + "): no case expects a pass",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestRunTestsLibraryLayout(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		"controls/V-9000-owner/control.yaml": `id: V-9000
name: Owner label
description: Every Deployment names its owner.
remediation: Add the owner label.
baseScore: 4
rule:
  name: owner
  kinds: [Deployment]
`,
		"controls/V-9000-owner/rule.rego": ksBody,
		"controls/V-9000-owner/tests.yaml": `- name: fails
  objects: [{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}}]
  expect:
    - object: Deployment//web
      fixPaths: [{path: metadata.labels.owner, value: YOUR_TEAM}]
- name: passes
  objects: [{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, labels: {owner: x}}}]
  expect: [{object: Deployment//web, status: passed}]
`,
	})
	if !IsLibraryDir(dir) {
		t.Fatal("not recognised as a library")
	}
	rep, err := RunTests(context.Background(), []string{dir}, lib(t))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Controls != 1 || rep.Passed != 2 || rep.Failed != 0 {
		t.Fatalf("report = %+v", rep)
	}
	if want := filepath.Join(dir, "controls", "V-9000-owner", "tests.yaml"); rep.Cases[0].File != want || rep.Cases[1].Line != 6 {
		t.Errorf("cases = %+v", rep.Cases)
	}
}

func TestRunTestsErrors(t *testing.T) {
	l := lib(t)
	empty := t.TempDir()
	if _, err := RunTests(context.Background(), []string{empty}, l); err == nil || !strings.Contains(err.Error(), "no controls found") {
		t.Errorf("empty dir: %v", err)
	}
	broken := testfs.Tree(t, map[string]string{"x.rego": "package main\n"})
	if _, err := RunTests(context.Background(), []string{broken}, l); err == nil || !strings.Contains(err.Error(), "no METADATA block sets custom.id") {
		t.Errorf("broken dir: %v", err)
	}
	badLib := testfs.Tree(t, map[string]string{"controls/X/control.yaml": "id: nope\n"})
	if _, err := RunTests(context.Background(), []string{badLib}, l); err == nil || !strings.Contains(err.Error(), "library "+badLib) {
		t.Errorf("broken library: %v", err)
	}
	if err := os.RemoveAll(empty); err != nil {
		t.Fatal(err)
	}
}
