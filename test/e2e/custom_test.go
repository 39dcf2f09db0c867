package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/test/clitest"
)

// Custom controls and frameworks: testdata/custom holds a Kubescape-
// contract control (ACME-0001, joins security and acme-baseline), a
// simple-contract one in a folder of its own (ACME-0002, no framework)
// and one that joins only acme-baseline (ACME-0003).
const (
	customDir       = "test/e2e/testdata/custom"
	customPolicies  = customDir + "/policies"
	customManifests = customDir + "/manifests"
)

func frameworkScores(t *testing.T, rep map[string]any) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	fws, _ := rep["summaryDetails"].(map[string]any)["frameworks"].([]any)
	for _, f := range fws {
		f := f.(map[string]any)
		out[f["name"].(string)] = f["complianceScore"].(float64)
	}
	return out
}

func controlField(t *testing.T, rep map[string]any, id, field string) any {
	t.Helper()
	c, ok := rep["summaryDetails"].(map[string]any)["controls"].(map[string]any)[id].(map[string]any)
	if !ok {
		t.Fatalf("control %s not in report", id)
	}
	return c[field]
}

func hasControl(rep map[string]any, id string) bool {
	_, ok := rep["summaryDetails"].(map[string]any)["controls"].(map[string]any)[id]
	return ok
}

func TestCustomControlsDefaultScan(t *testing.T) {
	r := run(t, "", "scan", "--policy-dir", customPolicies, customManifests, "--format", "json")
	r.MustCode(t, 0)
	rep := report(t, r.Stdout)
	// ACME-0001 joins the default framework; ACME-0002 names none, so it
	// runs with the default scan; ACME-0003 joins only acme-baseline,
	// which this scan was not given.
	if s := frameworkScores(t, rep); len(s) != 1 || s["security"] == 0 {
		t.Errorf("frameworks = %v, want security alone", s)
	}
	if !hasControl(rep, "C-0057") || hasControl(rep, "ACME-0003") {
		t.Error("want the default framework and not ACME-0003")
	}
	v := clitest.Verdicts(t, rep)
	for obj, want := range map[string]map[string]string{
		"Deployment/shop/web": {"ACME-0001": "failed", "ACME-0002": "failed"},
		"Deployment/shop/api": {"ACME-0001": "passed", "ACME-0002": "passed"},
	} {
		for id, status := range want {
			if v[obj][id] != status {
				t.Errorf("%s %s = %q, want %s", obj, id, v[obj][id], status)
			}
		}
	}
	if _, judged := v["Service/shop/web"]["ACME-0001"]; judged {
		t.Error("ACME-0001 matches workloads only")
	}
	if sev := controlField(t, rep, "ACME-0001", "severity"); sev != "High" {
		t.Errorf("ACME-0001 severity = %v", sev)
	}
	// The simple-contract message lands on the object, and the
	// Kubescape-contract fix path is kept.
	pretty := run(t, "", "scan", "--policy-dir", customPolicies, customManifests, "-v")
	pretty.MustCode(t, 0)
	for _, want := range []string{
		`container "web" of Deployment web uses image "nginx:latest" without a pinned tag`,
		"Deployment web has no owner label",
		"metadata.labels.owner",
	} {
		if !strings.Contains(pretty.Stdout, want) {
			t.Errorf("verbose output lacks %q", want)
		}
	}
	if strings.Contains(r.Stderr, "Warning") {
		t.Errorf("unexpected warnings:\n%s", r.Stderr)
	}
}

func TestCustomFrameworkFile(t *testing.T) {
	fw := customDir + "/acme-framework.yaml"
	r := run(t, "", "scan", "framework", fw+",nsa", "--policy-dir", customPolicies+","+customDir+"/override", customManifests, "--format", "json")
	r.MustCode(t, 0)
	rep := report(t, r.Stdout)
	scores := frameworkScores(t, rep)
	if len(scores) != 2 {
		t.Fatalf("frameworks = %v, want acme-baseline and nsa", scores)
	}
	if _, ok := scores["acme-baseline"]; !ok {
		t.Fatalf("custom framework missing from the report: %v", scores)
	}
	// Listed: C-0057, C-0017 (overridden), ACME-0002; joined by their own
	// metadata: ACME-0001, ACME-0003.
	for _, id := range []string{"C-0057", "C-0017", "ACME-0001", "ACME-0002", "ACME-0003"} {
		if !hasControl(rep, id) {
			t.Errorf("%s not scanned", id)
		}
	}
	if name, sev := controlField(t, rep, "C-0017", "name"), controlField(t, rep, "C-0017", "severity"); name != "Read-only root filesystem" || sev != "Critical" {
		t.Errorf("override of C-0017: %v %v", name, sev)
	}
	// C-0057 is replaced by testdata/custom/override, with a warning.
	if !strings.Contains(r.Stderr, "Warning: custom control C-0057 ("+customDir+"/override/C-0057.rego) replaces the built-in control C-0057") {
		t.Errorf("no override warning:\n%s", r.Stderr)
	}
	if sev := controlField(t, rep, "C-0057", "severity"); sev != "Critical" {
		t.Errorf("C-0057 from the override should be critical, got %v", sev)
	}
	if v := clitest.Verdicts(t, rep); v["Deployment/shop/web"]["C-0057"] != "failed" || v["Deployment/shop/web"]["ACME-0003"] != "" || v["Service/shop/web"]["ACME-0003"] != "failed" {
		t.Errorf("verdicts = %v", v)
	}

	// The pretty report names the framework and scores it.
	p := run(t, "", "scan", "framework", fw, "--policy-dir", customPolicies, customManifests)
	p.MustCode(t, 0)
	if !strings.Contains(p.Stdout, "acme-baseline") || !strings.Contains(p.Stdout, "Compliance score") {
		t.Errorf("pretty output:\n%s", p.Stdout)
	}
	// Without --policy-dir the framework names controls nobody loaded.
	miss := run(t, "", "scan", "framework", fw, customManifests)
	miss.MustCode(t, 2)
	if !strings.Contains(miss.Stderr, fw+`:6: unknown control "ACME-0002"`) || !strings.Contains(miss.Stderr, "--policy-dir") {
		t.Errorf("stderr:\n%s", miss.Stderr)
	}
}

func TestCustomFrameworkErrors(t *testing.T) {
	tmp := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{
			name: "unknown control with a suggestion",
			args: []string{"scan", "framework", customDir + "/typo-framework.yaml", "--policy-dir", customPolicies, customManifests},
			want: []string{customDir + `/typo-framework.yaml:4: unknown control "ACME-002" (did you mean "ACME-0002"?)`},
		},
		{
			name: "missing framework file",
			args: []string{"scan", "framework", filepath.Join(tmp, "nope.yaml"), customManifests},
			want: []string{"framework file:", "nope.yaml"},
		},
		{
			name: "broken rule",
			args: []string{"scan", "--policy-dir", customDir + "/broken", customManifests},
			want: []string{customDir + "/broken/unsafe.rego:11:2: rego_unsafe_var_error: var reason is unsafe"},
		},
		{
			name: "missing policy directory",
			args: []string{"scan", "--policy-dir", filepath.Join(tmp, "missing"), customManifests},
			want: []string{"policy directory:"},
		},
		{
			name: "rego without custom.id",
			args: []string{"scan", "--policy-dir", customDir + "/no-metadata", customManifests},
			want: []string{customDir + "/no-metadata/rule.rego: no METADATA block sets custom.id", "--use-from"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, "", tc.args...)
			r.MustCode(t, 2)
			for _, w := range tc.want {
				if !strings.Contains(r.Stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.Stderr)
				}
			}
		})
	}
}

func TestCustomControlByID(t *testing.T) {
	r := run(t, "", "scan", "control", "ACME-0003", "--policy-dir", customPolicies, customManifests, "--format", "json", "--severity-threshold", "low")
	r.MustCode(t, 1)
	rep := report(t, r.Stdout)
	if controlStatus(t, rep, "ACME-0003") != "failed" || hasControl(rep, "ACME-0001") {
		t.Errorf("controls = %v", rep["summaryDetails"].(map[string]any)["controls"])
	}
	if !strings.Contains(r.Stderr, "Gate failed") {
		t.Errorf("stderr:\n%s", r.Stderr)
	}
}

func TestPolicyTest(t *testing.T) {
	r := run(t, "", "policy", "test", customPolicies, customDir+"/library")
	r.MustCode(t, 0)
	for _, want := range []string{
		"PASS  ACME-0001  " + customPolicies + "/require-owner.tests.yaml:1  Deployment without an owner label fails",
		"PASS  ACME-0002  " + customPolicies + "/no-latest-tag/tests.yaml:16  pinned images pass",
		"PASS  V-9001  " + customDir + "/library/controls/V-9001-owner/tests.yaml:12",
		"4 controls, 8 cases: 8 passed, 0 failed",
	} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Stdout)
		}
	}

	f := run(t, "", "policy", "test", customDir+"/failing")
	f.MustCode(t, 1)
	for _, want := range []string{
		"PASS  FAIL-1  " + customDir + "/failing/owner.tests.yaml:1  a correct case",
		"FAIL  FAIL-1  " + customDir + "/failing/owner.tests.yaml:8  a wrong expectation",
		"Deployment/shop/web: expected passed, got failed (no owner)",
		"1 control, 2 cases: 1 passed, 1 failed",
	} {
		if !strings.Contains(f.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, f.Stdout)
		}
	}

	j := run(t, "", "policy", "test", customDir+"/failing", "--format", "json")
	j.MustCode(t, 1)
	var rep struct {
		Cases []struct {
			Control, Case, File string
			Line                int
			Passed              bool
			Problems            []string
		}
		Passed, Failed int
	}
	if err := json.Unmarshal([]byte(j.Stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, j.Stdout)
	}
	if rep.Passed != 1 || rep.Failed != 1 || len(rep.Cases) != 2 || rep.Cases[1].Line != 8 || rep.Cases[1].Passed || len(rep.Cases[1].Problems) != 1 {
		t.Errorf("json = %+v", rep)
	}

	b := run(t, "", "policy", "test", customDir+"/broken")
	b.MustCode(t, 2)
	if !strings.Contains(b.Stderr, "unsafe.rego:11:2") {
		t.Errorf("stderr:\n%s", b.Stderr)
	}
	run(t, "", "policy", "test", customDir+"/failing", "--format", "xml").MustCode(t, 2)
}

func TestPolicyNew(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "acme")
	r := run(t, "", "policy", "new", "statefulset-owner", "--dir", dir, "--kind", "StatefulSet", "--id", "ACME-0100")
	r.MustCode(t, 0)
	regoFile, testsFile := filepath.Join(dir, "statefulset-owner.rego"), filepath.Join(dir, "statefulset-owner.tests.yaml")
	if !strings.Contains(r.Stdout, "Created "+regoFile) || !strings.Contains(r.Stdout, "Created "+testsFile) {
		t.Errorf("output:\n%s", r.Stdout)
	}
	src, err := os.ReadFile(regoFile)
	if err != nil || !strings.Contains(string(src), "id: ACME-0100") || !strings.Contains(string(src), "kinds: [StatefulSet]") {
		t.Fatalf("rego: %v\n%s", err, src)
	}
	simple := run(t, "", "policy", "new", "pod-owner", "--dir", dir, "--kind", "Pod", "--simple")
	simple.MustCode(t, 0)

	// The scaffold passes its own tests as written...
	pt := run(t, "", "policy", "test", dir)
	pt.MustCode(t, 0)
	if !strings.Contains(pt.Stdout, "2 controls, 4 cases: 4 passed, 0 failed") {
		t.Errorf("policy test:\n%s", pt.Stdout)
	}
	// ...and scans with it.
	manifest := filepath.Join(t.TempDir(), "sts.yaml")
	if err := os.WriteFile(manifest, []byte("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := run(t, "", "scan", "control", "ACME-0100", "--policy-dir", dir, manifest, "--format", "json")
	s.MustCode(t, 0)
	if controlStatus(t, report(t, s.Stdout), "ACME-0100") != "failed" {
		t.Error("the scaffolded control should fail a StatefulSet without an owner label")
	}

	again := run(t, "", "policy", "new", "statefulset-owner", "--dir", dir)
	again.MustCode(t, 2)
	if !strings.Contains(again.Stderr, "already exists; not overwriting it") {
		t.Errorf("stderr:\n%s", again.Stderr)
	}
	run(t, "", "policy", "new", "x", "--dir", dir, "--kind", "Gateway").MustCode(t, 2)
}
