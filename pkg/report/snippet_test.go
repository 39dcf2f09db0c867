package report

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSnippetAllowed(t *testing.T) {
	for _, tc := range []struct {
		kind, path, line string
		want             bool
	}{
		{"Deployment", "spec.template.spec.containers[0].securityContext.privileged", "privileged: true", true},
		{"Deployment", "spec.template.spec.containers[0].image", "image: nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true},
		{"Deployment", "spec.template.spec.automountServiceAccountToken", "automountServiceAccountToken: true", true},
		{"Secret", "data.user", "user: YWRtaW4=", false},
		{"Deployment", "spec.template.spec.containers[0].env[2].value", "value: hunter2", false},
		{"ConfigMap", "data.db_password", "db_password: hunter2", false},
		{"ConfigMap", "data.config", `"apiKey": "abc",`, false},
		{"ConfigMap", "data.cert", "-----BEGIN CERTIFICATE-----", false},
		{"Deployment", "spec.template.spec.containers[0].args[0]", "- --header=X-Key:Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdo", false},
	} {
		if got := SnippetAllowed(tc.kind, tc.path, tc.line); got != tc.want {
			t.Errorf("SnippetAllowed(%s, %s, %q) = %v, want %v", tc.kind, tc.path, tc.line, got, tc.want)
		}
	}
}

func TestSources(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("one\r\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSources(dir)
	if l, ok := s.Line("a.yaml", 1); !ok || l != "one" {
		t.Errorf("line 1 = %q, %v", l, ok)
	}
	if l, ok := s.Line(filepath.Join(dir, "a.yaml"), 2); !ok || l != "two" {
		t.Errorf("line 2 by absolute path = %q, %v", l, ok)
	}
	// Read once: a file changed after the first read is not read again.
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.Line("a.yaml", 1); l != "one" {
		t.Errorf("file was read twice: %q", l)
	}
	if _, ok := s.Line("missing.yaml", 1); ok {
		t.Error("a missing file has no lines")
	}
	if _, ok := s.Line("a.yaml", 0); ok {
		t.Error("lines are 1-based")
	}
}
