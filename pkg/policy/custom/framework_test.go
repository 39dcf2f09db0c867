package custom

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/internal/testfs"

	"github.com/vigilsec/vigil/pkg/policy"
)

func TestIsFrameworkPath(t *testing.T) {
	for arg, want := range map[string]bool{
		"security":              false,
		"cis-v1.23-t1.0.1":      false,
		"acme.yaml":             true,
		"acme.YML":              true,
		"fw.json":               true,
		"./acme":                true,
		"policies/acme.yaml":    true,
		"nsa,mitre":             false,
		"ArmoBest":              false,
		"frameworks/acme.json5": true,
	} {
		if got := IsFrameworkPath(arg); got != want {
			t.Errorf("IsFrameworkPath(%q) = %v, want %v", arg, got, want)
		}
	}
}

func TestFrameworkFile(t *testing.T) {
	l := lib(t)
	tests := []struct {
		name    string
		file    string
		content string
		joiners []*policy.Control
		wantErr string
		check   func(t *testing.T, set *policy.Set, fw *policy.Framework)
	}{
		{
			name: "IDs and overrides",
			file: "acme.yaml",
			content: `name: acme-baseline
description: What Acme requires.
controls:
  - C-0057
  - {id: c-0017, severity: critical, name: Read-only root}
  - id: C-0016
    severity: low
  - C-0057
`,
			check: func(t *testing.T, set *policy.Set, fw *policy.Framework) {
				if fw.Name != "acme-baseline" || fw.Description != "What Acme requires." || !strings.HasSuffix(fw.Origin, "acme.yaml") {
					t.Errorf("framework = %+v", fw)
				}
				var ids []string
				for _, c := range fw.Controls {
					ids = append(ids, c.ControlID)
				}
				if !slices.Equal(ids, []string{"C-0057", "C-0017", "C-0016"}) {
					t.Errorf("controls = %v", ids)
				}
				if c := fw.Controls[1]; c.Name != "Read-only root" || c.Severity() != "Critical" {
					t.Errorf("override of C-0017 = %q %s", c.Name, c.Severity())
				}
				if c := fw.Controls[2]; c.Severity() != "Low" || c.Name != set.Control("C-0016").Name {
					t.Errorf("override of C-0016 = %q %s", c.Name, c.Severity())
				}
				// The override is the framework's own: the set and the
				// built-in frameworks keep the original.
				if set.Control("C-0017").Severity() == "Critical" || set.Control("C-0017").Name == "Read-only root" {
					t.Error("the override leaked into the set")
				}
				if fw.Controls[0] != set.Control("C-0057") {
					t.Error("controls without overrides must be the set's own")
				}
				if set.Framework("ACME-BASELINE") != fw {
					t.Error("framework not added to the set")
				}
			},
		},
		{
			name:    "JSON, and custom controls joining by name",
			file:    "acme.json",
			content: `{"name": "acme", "controls": ["C-0057"]}`,
			joiners: []*policy.Control{
				{ControlID: "J-1", Frameworks: []string{"ACME"}},
				{ControlID: "J-2", Frameworks: []string{"other"}},
			},
			check: func(t *testing.T, set *policy.Set, fw *policy.Framework) {
				if !slices.Equal(fw.ControlsIDs, []string{"C-0057", "J-1"}) {
					t.Errorf("control IDs = %v", fw.ControlsIDs)
				}
			},
		},
		{
			name:    "unknown ID with a suggestion",
			file:    "acme.yaml",
			content: "name: acme\ncontrols:\n  - C-0057\n  - c0057\n",
			wantErr: `acme.yaml:4: unknown control "c0057" (did you mean "C-0057"?)`,
		},
		{
			name:    "unknown ID without a suggestion points at --policy-dir",
			file:    "acme.yaml",
			content: "name: acme\ncontrols: [ACME-LABELS-0001]\n",
			wantErr: `unknown control "ACME-LABELS-0001"; run ` + "`vigil list controls`" + ` to see the built-in ones; custom controls load with --policy-dir`,
		},
		{
			name:    "name is required",
			file:    "acme.yaml",
			content: "controls: [C-0057]\n",
			wantErr: "name is required",
		},
		{
			name:    "all is reserved",
			file:    "acme.yaml",
			content: "name: All\ncontrols: [C-0057]\n",
			wantErr: `name "All" is reserved`,
		},
		{
			name:    "bad severity",
			file:    "acme.yaml",
			content: "name: acme\ncontrols:\n  - {id: C-0057, severity: urgent}\n",
			wantErr: `acme.yaml:3: control C-0057: severity "urgent"`,
		},
		{
			name:    "unknown key in an entry",
			file:    "acme.yaml",
			content: "name: acme\ncontrols:\n  - {id: C-0057, sevrity: low}\n",
			wantErr: `unknown key "sevrity" in a control entry (did you mean severity?)`,
		},
		{
			name:    "unknown top-level key",
			file:    "acme.yaml",
			content: "name: acme\ncontrol: [C-0057]\n",
			wantErr: "field control not found",
		},
		{
			name:    "Kubescape framework JSON",
			file:    "ks.json",
			content: `{"name": "ks", "controls": [{"controlID": "C-0057", "name": "x"}]}`,
			wantErr: "looks like a Kubescape framework (controls with controlID); load it with --use-from",
		},
		{
			name:    "no controls",
			file:    "acme.yaml",
			content: "name: acme\n",
			wantErr: "lists no controls",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := testfs.Tree(t, map[string]string{tc.file: tc.content})
			set := policy.NewSet()
			l.AddTo(set)
			for _, j := range tc.joiners {
				set.AddControl(j)
			}
			ff, err := ReadFramework(filepath.Join(dir, tc.file))
			var fw *policy.Framework
			if err == nil {
				fw, err = ff.AddTo(set, tc.joiners)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, set, fw)
		})
	}
}

func TestReadFrameworkMissing(t *testing.T) {
	_, err := ReadFramework(filepath.Join(t.TempDir(), "nope.yaml"))
	var ue *UnknownControlError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "framework file") {
		t.Errorf("error = %v", err)
	}
}
