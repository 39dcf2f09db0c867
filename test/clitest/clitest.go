// Package clitest builds the vigil binary once per test binary and runs it
// as users do, for the end-to-end and cluster integration tests.
package clitest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// RepoRoot is the repository's root directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Build compiles vigil into dir and returns the binary's path.
func Build(dir string) (string, error) {
	bin := filepath.Join(dir, "vigil")
	build := exec.Command("go", "build", "-o", bin, "./cmd/vigil")
	build.Dir = RepoRoot()
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	return bin, build.Run()
}

// Result is one run of the binary.
type Result struct {
	Code           int
	Stdout, Stderr string
	// PeakRSS is the process's peak resident set size in bytes.
	PeakRSS int64
}

// Run runs bin in the repository root with the environment plus env.
func Run(t testing.TB, bin string, env []string, stdin string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = RepoRoot()
	cmd.Env = append(append(os.Environ(), "NO_COLOR="), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // KiB on Linux
	}
	return Result{code, out.String(), errb.String(), rss}
}

// MustCode fails the test unless the run exited with code.
func (r Result) MustCode(t testing.TB, code int) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, code, r.Stdout, r.Stderr)
	}
}

// Report parses a JSON report.
func Report(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
	return m
}

// ControlStatus is a control's overall status in a JSON report.
func ControlStatus(t *testing.T, rep map[string]any, id string) string {
	t.Helper()
	c, ok := rep["summaryDetails"].(map[string]any)["controls"].(map[string]any)[id].(map[string]any)
	if !ok {
		t.Fatalf("control %s not in report", id)
	}
	return c["status"].(string)
}

// Verdicts maps "Kind/namespace/name" ("Kind(subject)/namespace/name" for
// RBAC subjects) to control ID to status, from the results of a JSON
// report.
func Verdicts(t *testing.T, rep map[string]any) map[string]map[string]string {
	t.Helper()
	keys := map[string]string{}
	resources, _ := rep["resources"].([]any)
	for _, r := range resources {
		r := r.(map[string]any)
		obj, _ := r["object"].(map[string]any)
		kind, _ := obj["kind"].(string)
		// RBAC subjects carry name and namespace at the top level; they
		// are keyed apart from the objects of the same name.
		md, ok := obj["metadata"].(map[string]any)
		if !ok {
			md = obj
			kind += "(subject)"
		}
		ns, _ := md["namespace"].(string)
		name, _ := md["name"].(string)
		keys[r["resourceID"].(string)] = kind + "/" + ns + "/" + name
	}
	out := map[string]map[string]string{}
	results, _ := rep["results"].([]any)
	for _, r := range results {
		r := r.(map[string]any)
		key, ok := keys[r["resourceID"].(string)]
		if !ok {
			t.Fatalf("result for unknown resource %v", r["resourceID"])
		}
		if out[key] == nil {
			out[key] = map[string]string{}
		}
		for _, c := range r["controls"].([]any) {
			c := c.(map[string]any)
			out[key][c["controlID"].(string)] = c["status"].(map[string]any)["status"].(string)
		}
	}
	return out
}
