package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigilsec/vigil/internal/testfs"

	"github.com/vigilsec/vigil/test/clitest"
)

// runIsolated runs vigil with no configuration file but those env names,
// whatever the user running the tests has in ~/.config.
func runIsolated(t *testing.T, env []string, args ...string) clitest.Result {
	t.Helper()
	base := []string{"VIGIL_CONFIG=", "XDG_CONFIG_HOME=" + t.TempDir()}
	return clitest.Run(t, vigil, append(base, env...), "", args...)
}

type auditOutput struct {
	Exceptions []struct {
		Name    string `json:"name"`
		Source  string `json:"source"`
		Status  string `json:"status"`
		Matches int    `json:"matches"`
	} `json:"exceptions"`
	Summary map[string]int `json:"summary"`
}

func TestExceptionsAudit(t *testing.T) {
	dir := t.TempDir()
	day := 24 * time.Hour
	ex := testfs.File(t, filepath.Join(dir, "exceptions.json"), fmt.Sprintf(`[
  {"name": "api-debug-privileged", "expirationDate": %q,
   "resources": [{"attributes": {"kind": "Deployment", "namespace": "shop", "name": "api"}}],
   "posturePolicies": [{"controlID": "C-0057"}]},
  {"name": "renamed-service",
   "resources": [{"attributes": {"name": "web-v1"}}], "posturePolicies": [{"controlID": "C-0057"}]},
  {"name": "last-year", "expirationDate": "2020-06-30",
   "resources": [{"attributes": {"namespace": "shop"}}], "posturePolicies": [{"controlID": "C-0017"}]},
  {"name": "shop-nsa", "expirationDate": %q,
   "resources": [{"attributes": {"namespace": "shop"}}], "posturePolicies": [{"frameworkName": "nsa"}]}
]`, time.Now().Add(10*day).Format("2006-01-02"), time.Now().Add(400*day).Format("2006-01-02")))
	annotated := filepath.Join("test", "e2e", "testdata", "exceptions", "annotated.yaml")

	r := runIsolated(t, nil, "exceptions", "audit", "examples/", annotated, "--exceptions", ex, "--expiring-within", "30d", "--format", "json")
	r.MustCode(t, 0)
	var out auditOutput
	if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
		t.Fatalf("audit JSON: %v\n%s", err, r.Stdout)
	}
	got := map[string]string{}
	matches := map[string]int{}
	for _, e := range out.Exceptions {
		got[e.Name], matches[e.Name] = e.Status, e.Matches
	}
	want := map[string]string{
		"api-debug-privileged": "expiring",
		"renamed-service":      "unmatched",
		"last-year":            "expired",
		"shop-nsa":             "matched",
		"Pod/shop/cache":       "matched",
		"Pod/shop/readonly":    "unmatched",
		"Pod/shop/debug":       "expired",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses:\n got %v\nwant %v", got, want)
	}
	if matches["api-debug-privileged"] != 1 || matches["last-year"] == 0 || matches["Pod/shop/debug"] != 1 {
		t.Errorf("matches: %v", matches)
	}
	if out.Summary["unmatched"] != 2 || out.Summary["expired"] != 2 || out.Summary["expiring"] != 1 || out.Summary["matched"] != 2 {
		t.Errorf("summary: %v", out.Summary)
	}

	// The table lists what needs attention; matched ones with --all.
	r = runIsolated(t, nil, "exceptions", "audit", "examples/", annotated, "--exceptions", ex, "--expiring-within", "30d")
	r.MustCode(t, 0)
	for _, s := range []string{"STATUS", "renamed-service", "unmatched", "last-year", "expired on 2020-06-30", "api-debug-privileged", "expiring",
		"Pod/shop/readonly", annotated + ":", "Run with --all"} {
		if !strings.Contains(r.Stdout, s) {
			t.Errorf("table lacks %q:\n%s", s, r.Stdout)
		}
	}
	if strings.Contains(r.Stdout, "shop-nsa") {
		t.Errorf("a matched exception listed without --all:\n%s", r.Stdout)
	}
	if strings.Contains(r.Stderr, "expired on") {
		t.Errorf("expired exceptions are reported twice:\n%s", r.Stderr)
	}
	r = runIsolated(t, nil, "exceptions", "audit", "examples/", "--exceptions", ex, "--all")
	r.MustCode(t, 0)
	if !strings.Contains(r.Stdout, "shop-nsa") {
		t.Errorf("--all should list matched exceptions:\n%s", r.Stdout)
	}

	// --fail-on-stale: exit 1 for expired or unmatched exceptions, 0 when
	// every exception is in use (expiring soon is not stale).
	r = runIsolated(t, nil, "exceptions", "audit", "examples/", "--exceptions", ex, "--fail-on-stale")
	r.MustCode(t, 1)
	if !strings.Contains(r.Stderr, "2 stale exception(s)") {
		t.Errorf("stderr: %s", r.Stderr)
	}
	inUse := testfs.File(t, filepath.Join(dir, "in-use.json"), `[{"name": "api", "expirationDate": "`+time.Now().Add(3*day).Format("2006-01-02")+`",
	  "resources": [{"attributes": {"name": "api"}}], "posturePolicies": [{"controlID": "C-0057"}]}]`)
	runIsolated(t, nil, "exceptions", "audit", "examples/", "--exceptions", inUse, "--fail-on-stale", "--expiring-within", "1w").MustCode(t, 0)
	r = runIsolated(t, nil, "exceptions", "audit", "examples/hardened/", "--fail-on-stale")
	r.MustCode(t, 0)
	if !strings.Contains(r.Stdout, "No exceptions to audit") {
		t.Errorf("stdout: %s", r.Stdout)
	}

	// Usage and input errors exit 2.
	broken := testfs.File(t, filepath.Join(dir, "broken.json"), `[{"name": "x", "resources": []}]`)
	r = runIsolated(t, nil, "exceptions", "audit", "examples/", "--exceptions", broken)
	r.MustCode(t, 2)
	if !strings.Contains(r.Stderr, "broken.json") || !strings.Contains(r.Stderr, "resources is empty") {
		t.Errorf("stderr: %s", r.Stderr)
	}
	runIsolated(t, nil, "exceptions", "audit", "examples/", "--expiring-within", "soon").MustCode(t, 2)
	runIsolated(t, nil, "exceptions", "audit", "examples/", "--format", "sarif").MustCode(t, 2)
	runIsolated(t, nil, "exceptions", "audit", "does-not-exist/", "--exceptions", ex).MustCode(t, 2)
}

// tarGz packs the files of dir into a .tar.gz, as `tar czf x -C dir .` does.
func tarGz(t *testing.T, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		tw.WriteHeader(&tar.Header{Name: "./" + e.Name(), Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg})
		tw.Write(b)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// checkWritten checks that every "HEX  PATH" line printed names a file
// with that digest, and returns the paths.
func checkWritten(t *testing.T, stdout string) []string {
	t.Helper()
	var paths []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		sum, path, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("not a checksum line: %q", line)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if sha(b) != sum {
			t.Errorf("%s: printed %s, file has %s", path, sum, sha(b))
		}
		paths = append(paths, path)
	}
	return paths
}

func TestDownload(t *testing.T) {
	// Without --from, the built-in library is exported, offline.
	exported := filepath.Join(t.TempDir(), "embedded")
	r := runIsolated(t, nil, "download", "artifacts", "--output", exported)
	r.MustCode(t, 0)
	paths := checkWritten(t, r.Stdout)
	names := map[string]bool{}
	for _, p := range paths {
		names[filepath.Base(p)] = true
	}
	for _, n := range []string{"security.json", "nsa.json", "allcontrols.json", "controls-inputs.json"} {
		if !names[n] {
			t.Errorf("export lacks %s: %v", n, paths)
		}
	}

	// Serve it as a bundle, as a mirror would, and download it back.
	bundle := tarGz(t, exported)
	nsa, _ := os.ReadFile(filepath.Join(exported, "nsa.json"))
	exceptions := []byte(`[{"name": "api-privileged", "resources": [{"attributes": {"name": "api"}}], "posturePolicies": [{"controlID": "C-0057"}]}]`)
	mux := http.NewServeMux()
	mux.HandleFunc("/vigil/artifacts.tar.gz", func(w http.ResponseWriter, _ *http.Request) { w.Write(bundle) })
	mux.HandleFunc("/releases/nsa.json", func(w http.ResponseWriter, _ *http.Request) { w.Write(nsa) })
	mux.HandleFunc("/exceptions.json", func(w http.ResponseWriter, _ *http.Request) { w.Write(exceptions) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	artifacts := filepath.Join(t.TempDir(), "artifacts")
	r = runIsolated(t, nil, "download", "artifacts", "--from", srv.URL+"/vigil/artifacts.tar.gz", "--output", artifacts, "--sha256", sha(bundle))
	r.MustCode(t, 0)
	if got := checkWritten(t, r.Stdout); len(got) != len(paths) {
		t.Errorf("downloaded %d files, exported %d", len(got), len(paths))
	}
	if !strings.Contains(r.Stderr, sha(bundle)) {
		t.Errorf("the bundle's digest is not printed: %s", r.Stderr)
	}

	// A scan with the downloaded artifacts judges as the built-in library.
	builtin := runIsolated(t, nil, "scan", "framework", "all", "examples/", "--format", "json")
	builtin.MustCode(t, 0)
	fromArtifacts := runIsolated(t, nil, "scan", "framework", "all", "examples/", "--use-artifacts-from", artifacts, "--format", "json")
	fromArtifacts.MustCode(t, 0)
	if a, b := clitest.Verdicts(t, report(t, builtin.Stdout)), clitest.Verdicts(t, report(t, fromArtifacts.Stdout)); !reflect.DeepEqual(a, b) {
		t.Errorf("verdicts differ between the built-in library and its exported artifacts")
	}

	// One framework file, as Kubescape publishes them.
	single := filepath.Join(t.TempDir(), "single")
	r = runIsolated(t, nil, "download", "artifacts", "--from", srv.URL+"/releases/nsa.json", "--output", single)
	r.MustCode(t, 0)
	runIsolated(t, nil, "scan", "examples/", "--use-artifacts-from", single).MustCode(t, 0)

	// Exceptions, then a scan that uses them.
	exFile := filepath.Join(t.TempDir(), "exceptions.json")
	r = runIsolated(t, nil, "download", "exceptions", "--from", srv.URL+"/exceptions.json", "--output", exFile, "--sha256", sha(exceptions))
	r.MustCode(t, 0)
	checkWritten(t, r.Stdout)
	r = runIsolated(t, nil, "scan", "control", "C-0057", "examples/", "--exceptions", exFile, "--format", "json")
	r.MustCode(t, 0)
	if controlStatus(t, report(t, r.Stdout), "C-0057") != "passed" {
		t.Error("the downloaded exception should cover the privileged container")
	}

	// Failures write nothing and exit 2 with the reason.
	failures := []struct {
		name, want string
		args       []string
	}{
		{"checksum mismatch", "SHA-256 is " + sha(bundle), []string{"artifacts", "--from", srv.URL + "/vigil/artifacts.tar.gz", "--sha256", strings.Repeat("0", 64)}},
		{"not found", "404 Not Found", []string{"artifacts", "--from", srv.URL + "/vigil/missing.tar.gz"}},
		{"timeout", "--timeout", []string{"artifacts", "--from", srv.URL + "/slow", "--timeout", "300ms"}},
		{"size limit", "--max-size", []string{"artifacts", "--from", srv.URL + "/vigil/artifacts.tar.gz", "--max-size", "1KiB"}},
		{"no built-in exceptions", "needs --from", []string{"exceptions"}},
		{"not an exceptions file", "resources", []string{"exceptions", "--from", srv.URL + "/releases/nsa.json"}},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			r := runIsolated(t, nil, append(append([]string{"download"}, tc.args...), "--output", out)...)
			r.MustCode(t, 2)
			if !strings.Contains(r.Stderr, tc.want) {
				t.Errorf("stderr lacks %q: %s", tc.want, r.Stderr)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("a failed download wrote %v", entries)
			}
			if _, err := os.Stat(out); err == nil && !strings.HasPrefix(tc.args[0], "artifacts") {
				t.Error("a failed download wrote the file")
			}
		})
	}
}

func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	cfg := testfs.File(t, filepath.Join(dir, "vigil.yaml"), "# project defaults\ncompliance-threshold: 100\nexceptions: exceptions.json\nformat: json\n")
	testfs.File(t, filepath.Join(dir, "exceptions.json"),
		`[{"name": "api-privileged", "resources": [{"attributes": {"name": "api"}}], "posturePolicies": [{"controlID": "C-0057"}]}]`)
	env := []string{"VIGIL_CONFIG=" + cfg}

	// The file sets the gate and the exceptions (relative to the file).
	r := runIsolated(t, env, "scan", "examples/")
	r.MustCode(t, 1)
	rep := report(t, r.Stdout)
	if controlStatus(t, rep, "C-0057") != "passed" {
		t.Error("the exceptions file named in the config (relative to it) was not used")
	}
	// A flag on the command line wins.
	runIsolated(t, env, "scan", "examples/", "--compliance-threshold", "0").MustCode(t, 0)
	// So does --config over $VIGIL_CONFIG.
	other := testfs.File(t, filepath.Join(t.TempDir(), "other.yaml"), "compliance-threshold: 1\n")
	runIsolated(t, env, "--config", other, "scan", "examples/").MustCode(t, 0)
	// The default location is under $XDG_CONFIG_HOME.
	xdg := t.TempDir()
	testfs.File(t, filepath.Join(xdg, "vigil", "config.yaml"), "severity-threshold: high\n")
	runIsolated(t, []string{"XDG_CONFIG_HOME=" + xdg}, "scan", "examples/").MustCode(t, 1)
	// Frameworks: the default when the command names none; a command that
	// names one wins.
	fw := []string{"VIGIL_CONFIG=" + testfs.File(t, filepath.Join(dir, "fw.yaml"), "frameworks: [mitre, nsa]\nformat: json\n")}
	if got := reportFrameworks(t, runIsolated(t, fw, "scan", "examples/")); got != "mitre,nsa" {
		t.Errorf("frameworks from the config file: got %s", got)
	}
	if got := reportFrameworks(t, runIsolated(t, fw, "scan", "framework", "cis", "examples/")); got != "cis" {
		t.Errorf("scan framework cis with a config default: got %s", got)
	}
	// Commands whose flags mean something else ignore scan keys: list's
	// --format is text or json, and json from the file must not reach it.
	r = runIsolated(t, []string{"VIGIL_CONFIG=" + testfs.File(t, filepath.Join(dir, "fmt.yaml"), "format: sarif\n")}, "list", "frameworks")
	r.MustCode(t, 0)

	// Unknown keys are errors that point at the line.
	bad := testfs.File(t, filepath.Join(dir, "bad.yaml"), "compliance-threshold: 80\nseverity-treshold: high\n")
	r = runIsolated(t, []string{"VIGIL_CONFIG=" + bad}, "scan", "examples/")
	r.MustCode(t, 2)
	if !strings.Contains(r.Stderr, bad+`:2: unknown key "severity-treshold" (did you mean "severity-threshold"?)`) {
		t.Errorf("stderr: %s", r.Stderr)
	}
	r = runIsolated(t, []string{"VIGIL_CONFIG=" + filepath.Join(dir, "missing.yaml")}, "scan", "examples/")
	r.MustCode(t, 2)

	// config view: the file, its values, and where each comes from.
	r = runIsolated(t, env, "config", "view")
	r.MustCode(t, 0)
	for _, s := range []string{"Config file: " + cfg + " (from $VIGIL_CONFIG)", filepath.Join(dir, "exceptions.json"), cfg + ":2", cfg + ":3"} {
		if !strings.Contains(r.Stdout, s) {
			t.Errorf("config view lacks %q:\n%s", s, r.Stdout)
		}
	}
	if !strings.Contains(r.Stdout, "severity-threshold") || !strings.Contains(r.Stdout, "default") {
		t.Errorf("config view should list defaults too:\n%s", r.Stdout)
	}
	r = runIsolated(t, env, "config", "path")
	r.MustCode(t, 0)
	if strings.TrimSpace(r.Stdout) != cfg {
		t.Errorf("config path: %q", r.Stdout)
	}
	r = runIsolated(t, []string{"XDG_CONFIG_HOME=" + dir}, "config", "path")
	r.MustCode(t, 0)
	if strings.TrimSpace(r.Stdout) != filepath.Join(dir, "vigil", "config.yaml") || !strings.Contains(r.Stderr, "no file there") {
		t.Errorf("config path: %q %q", r.Stdout, r.Stderr)
	}
}

// reportFrameworks is the comma-joined framework names of a JSON report.
func reportFrameworks(t *testing.T, r clitest.Result) string {
	t.Helper()
	r.MustCode(t, 0)
	var names []string
	for _, f := range report(t, r.Stdout)["summaryDetails"].(map[string]any)["frameworks"].([]any) {
		names = append(names, f.(map[string]any)["name"].(string))
	}
	return strings.Join(names, ",")
}
