package custom

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"

	"github.com/vigilsec/vigil/pkg/policy/library"
)

// ScaffoldOptions say what `vigil policy new` writes.
type ScaffoldOptions struct {
	// Name names the files (NAME.rego, NAME.tests.yaml).
	Name string
	// Dir is where they go (created when missing).
	Dir string
	// Kind is the kind the control judges, in custom.kinds syntax.
	Kind string
	// ID is the control ID (default: the name in upper case).
	ID string
	// Simple writes a simple-contract (conftest-style) rule instead of a
	// Kubescape-contract one.
	Simple bool
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// Scaffold writes a custom control and its tests, one failing and one
// passing case, that `vigil policy test` passes as written. It refuses to
// overwrite anything and returns the files it created.
func Scaffold(o ScaffoldOptions) ([]string, error) {
	if !namePattern.MatchString(o.Name) {
		return nil, fmt.Errorf("name %q: use letters, digits, dashes and underscores (it names the files)", o.Name)
	}
	if o.Dir == "" {
		o.Dir = "."
	}
	if o.Kind == "" {
		o.Kind = "Deployment"
	}
	if o.ID == "" {
		o.ID = strings.ToUpper(o.Name)
	}
	if !idPattern.MatchString(o.ID) {
		return nil, fmt.Errorf("id %q: use letters, digits, dots, dashes or underscores (such as ACME-0001)", o.ID)
	}
	ms, err := library.KindMatch(o.Kind)
	if err != nil {
		return nil, fmt.Errorf("--kind: %w", err)
	}
	m := ms[0]
	group, version, kind := m.APIGroups[0], m.APIVersions[0], m.Resources[0]
	if kind == "*" {
		return nil, fmt.Errorf("--kind %q: name one kind, the tests need an object of it", o.Kind)
	}
	if group == "*" {
		group = ""
	}
	if version == "*" {
		version = "v1"
	}
	apiVersion := version
	if group != "" {
		apiVersion = group + "/" + version
	}
	data := map[string]any{
		"Name": o.Name, "ID": o.ID, "Kinds": o.Kind, "Kind": kind, "APIVersion": apiVersion,
		"Package": "custom." + strings.ReplaceAll(strings.ToLower(o.Name), "-", "_"),
		// The Kubescape-contract rule proposes a fix; its test says so.
		"Fix": !o.Simple,
	}
	regoTmpl := kubescapeTemplate
	if o.Simple {
		regoTmpl = simpleTemplate
	}
	files := []struct{ path, tmpl string }{
		{filepath.Join(o.Dir, o.Name+".rego"), regoTmpl},
		{filepath.Join(o.Dir, o.Name+TestsSuffix), testsTemplate},
	}
	for _, f := range files {
		if _, err := os.Stat(f.path); err == nil {
			return nil, fmt.Errorf("%s already exists; not overwriting it", f.path)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, err
	}
	var created []string
	for _, f := range files {
		var b strings.Builder
		if err := template.Must(template.New(f.path).Parse(f.tmpl)).Execute(&b, data); err != nil {
			return created, err
		}
		// O_EXCL: never overwrite, even a file created since the check.
		fh, err := os.OpenFile(f.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return created, err
		}
		_, err = fh.WriteString(b.String())
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return created, err
		}
		created = append(created, f.path)
	}
	return created, nil
}

const kubescapeTemplate = `# METADATA
# title: {{.Kinds}} without an owner label
# description: >-
#   Every {{.Kind}} carries an "owner" label, so that an alert about it
#   reaches the team that runs it.
# related_resources:
#   - https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
# custom:
#   id: {{.ID}}
#   severity: medium
#   remediation: Add metadata.labels.owner with the name of the owning team.
#   kinds: [{{.Kinds}}]
package armo_builtins

# Kubescape's rule contract: input is the list of matched objects, and
# every alert names the object it is about, the fields that are wrong
# (failedPaths) and the settings that fix it (fixPaths).
deny contains alert if {
	some obj in input
	not obj.metadata.labels.owner
	alert := {
		"alertMessage": sprintf("%s %s has no owner label", [obj.kind, obj.metadata.name]),
		"alertScore": 5,
		"failedPaths": [],
		"fixPaths": [{"path": "metadata.labels.owner", "value": "YOUR_TEAM"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}
`

const simpleTemplate = `# METADATA
# title: {{.Kinds}} without an owner label
# description: >-
#   Every {{.Kind}} carries an "owner" label, so that an alert about it
#   reaches the team that runs it.
# custom:
#   id: {{.ID}}
#   severity: medium
#   remediation: Add metadata.labels.owner with the name of the owning team.
#   kinds: [{{.Kinds}}]
package {{.Package}}

# Simple contract: input is one object, and each message in deny becomes
# an alert on it.
deny contains msg if {
	not input.metadata.labels.owner
	msg := sprintf("%s %s has no owner label", [input.kind, input.metadata.name])
}
`

const testsTemplate = `# Test cases of {{.ID}}: run them with ` + "`vigil policy test`" + `.
- name: {{.Kind}} without an owner label fails
  objects:
    - apiVersion: {{.APIVersion}}
      kind: {{.Kind}}
      metadata: {name: web, namespace: demo}
  expect:
    - object: {{.Kind}}/demo/web
{{- if .Fix}}
      fixPaths:
        - path: metadata.labels.owner
          value: YOUR_TEAM
{{- end}}
      message: has no owner label
- name: {{.Kind}} with an owner label passes
  objects:
    - apiVersion: {{.APIVersion}}
      kind: {{.Kind}}
      metadata:
        name: web
        namespace: demo
        labels: {owner: payments}
  expect:
    - object: {{.Kind}}/demo/web
      status: passed
`
