package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/source/host/hosttest"
)

// The golden files follow the repository's -update convention. Another
// file of this package may define the flag first.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// normaliseHost replaces what depends on who runs the tests: owners are
// the test user unless the tests run as root (TestHostOwnership checks
// them there).
func normaliseHost(t *testing.T, out string) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("host collect output is not JSON: %v\n%s", err, out)
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["ownership"]; ok {
				x["ownership"] = "<normalised>"
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// statusIn is a control's status in a JSON report, if it was selected.
func statusIn(rep map[string]any, id string) (string, bool) {
	c, ok := rep["summaryDetails"].(map[string]any)["controls"].(map[string]any)[id].(map[string]any)
	if !ok {
		return "", false
	}
	s, _ := c["status"].(string)
	return s, true
}

func TestHostCollectGolden(t *testing.T) {
	for _, name := range hosttest.Fixtures {
		t.Run(name, func(t *testing.T) {
			root := hosttest.Build(t, name)
			r := run(t, "", "host", "collect", "--root", root)
			r.MustCode(t, 0)
			layout := "kubeadm"
			if name == hosttest.K3s {
				layout = "k3s"
			}
			if !strings.Contains(r.Stderr, "Note: layout: "+layout) {
				t.Errorf("stderr lacks the layout note:\n%s", r.Stderr)
			}
			got := normaliseHost(t, r.Stdout)
			golden := filepath.Join("testdata", "host", name+".json")
			if updating() {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./test/e2e -run Host -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("host collect of %s differs from %s (run with -update and review the diff):\n%s", name, golden, got)
			}

			y := run(t, "", "host", "collect", "--root", root, "--format", "yaml", "--node-name", "renamed")
			y.MustCode(t, 0)
			if !strings.HasPrefix(y.Stdout, "apiVersion: v1\nitems:\n") || !strings.Contains(y.Stdout, "name: renamed") {
				t.Errorf("yaml output:\n%.400s", y.Stdout)
			}
		})
	}
}

// componentsRunning lists the Kubernetes component processes on this
// machine, as the collector would see them.
func componentsRunning(t *testing.T) []string {
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || len(b) == 0 {
			continue
		}
		prog := filepath.Base(strings.SplitN(string(b), "\x00", 2)[0])
		switch prog {
		case "kubelet", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd", "kube-proxy", "k3s", "rke2":
			out = append(out, prog+" (pid "+e.Name()+")")
		}
	}
	return out
}

func TestHostCollectThisMachine(t *testing.T) {
	r := run(t, "", "host", "collect", "--root", "/")
	r.MustCode(t, 0)
	var list struct {
		Kind  string `json:"kind"`
		Items []struct {
			Kind string `json:"kind"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &list); err != nil || list.Kind != "List" {
		t.Fatalf("not a List (%v):\n%.400s", err, r.Stdout)
	}
	kinds := map[string]bool{}
	for _, it := range list.Items {
		kinds[it.Kind] = true
	}
	for _, k := range []string{"KernelVersion", "LinuxSecurityHardeningStatus"} {
		if !kinds[k] {
			t.Errorf("no %s object from this machine: %v", k, kinds)
		}
	}
	if running := componentsRunning(t); len(running) > 0 {
		// The cluster integration tests start a real kube-apiserver and
		// etcd on this machine; then it is, honestly, not component-free.
		t.Logf("Kubernetes components run on this machine (%s); not checking the no-components note", strings.Join(running, ", "))
		if !strings.Contains(r.Stderr, "Note: found: ") {
			t.Errorf("components run but none were reported:\n%s", r.Stderr)
		}
		return
	}
	if !strings.Contains(r.Stderr, "Note: no Kubernetes components found under /") {
		t.Errorf("stderr lacks the no-components note:\n%s", r.Stderr)
	}
	if kinds["KubeletInfo"] || kinds["ControlPlaneInfo"] || kinds["KubeProxyInfo"] {
		t.Errorf("component objects on a machine without components: %v", kinds)
	}
}

// hostControls are library controls whose rules match host kinds, by ID.
func hostControls(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	dirs, _ := filepath.Glob(filepath.Join(repoRoot(), "policies", "controls", "*", "control.yaml"))
	for _, p := range dirs {
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(b, []byte("hostdata.kubescape.cloud")) {
			continue
		}
		id, _, _ := strings.Cut(filepath.Base(filepath.Dir(p)), "-")
		num, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(filepath.Dir(p)), id+"-"), "-")
		out[id+"-"+num] = true
	}
	return out
}

func TestScanHost(t *testing.T) {
	hardened := hosttest.Build(t, hosttest.KubeadmHardened)
	weak := hosttest.Build(t, hosttest.KubeadmWeak)

	scanJSON := func(args ...string) map[string]any {
		t.Helper()
		r := run(t, "", append(args, "--format", "json")...)
		r.MustCode(t, 0)
		return report(t, r.Stdout)
	}
	hard := scanJSON("scan", "host", "--root", hardened)
	weakRep := scanJSON("scan", "host", "--root", weak)

	// The report's shape: a host target, host objects as resources, the
	// CIS framework by default.
	for name, rep := range map[string]map[string]any{"hardened": hard, "weak": weakRep} {
		target, _ := rep["vigil"].(map[string]any)["target"].(map[string]any)
		if target["kind"] != "host" {
			t.Errorf("%s: target %v, want kind host", name, target)
		}
		fws, _ := rep["summaryDetails"].(map[string]any)["frameworks"].([]any)
		if len(fws) != 1 || fws[0].(map[string]any)["name"] != "cis" {
			t.Errorf("%s: frameworks %v, want cis", name, fws)
		}
		resources, _ := rep["resources"].([]any)
		if len(resources) == 0 {
			t.Fatalf("%s: no resources", name)
		}
		for _, res := range resources {
			obj := res.(map[string]any)["object"].(map[string]any)
			if obj["apiVersion"] != "hostdata.kubescape.cloud/v1beta0" {
				t.Errorf("%s: resource %v is not a host object", name, obj["kind"])
			}
		}
	}

	// Controls of the host library with an expected verdict on each
	// fixture: weak fails, hardened passes. Those not written yet are
	// left out; ownership controls need owners set (root).
	type want struct{ ownership bool }
	expect := map[string]want{
		"C-0092": {}, "C-0094": {}, "C-0096": {}, "C-0098": {}, "C-0102": {}, "C-0104": {}, "C-0112": {},
		"C-0113": {}, "C-0118": {}, "C-0129": {}, "C-0141": {}, "V-0200": {}, "V-0201": {},
		"C-0093": {ownership: true}, "C-0105": {ownership: true}, "C-0110": {ownership: true}, "C-0103": {ownership: true},
	}
	have := hostControls(t)
	checked := 0
	for id, w := range expect {
		if !have[id] {
			continue
		}
		if w.ownership && !hosttest.CanChown() {
			t.Logf("%s: ownership control not checked: fixture owners need root", id)
			continue
		}
		checked++
		if got := controlStatus(t, weakRep, id); got != "failed" {
			t.Errorf("%s on the weak node: %s, want failed", id, got)
		}
		if got := controlStatus(t, hard, id); got != "passed" {
			t.Errorf("%s on the hardened node: %s, want passed", id, got)
		}
	}
	t.Logf("%d host controls in the library, %d checked against both fixtures", len(have), checked)

	// A saved collection scans to the same verdicts as the node itself.
	saved := filepath.Join(t.TempDir(), "weak.json")
	c := run(t, "", "host", "collect", "--root", weak)
	c.MustCode(t, 0)
	if err := os.WriteFile(saved, []byte(c.Stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile := scanJSON("scan", "framework", "cis", saved)
	for id := range have {
		a, ok := statusIn(weakRep, id)
		if !ok {
			continue // not in the CIS framework (yet)
		}
		if b, _ := statusIn(fromFile, id); a != b {
			t.Errorf("%s: %s on the node, %s from its saved collection", id, a, b)
		}
	}

	// A gate works as in any scan.
	g := run(t, "", "scan", "host", "--root", weak, "--severity-threshold", "high")
	if len(have) > 0 {
		g.MustCode(t, 1)
	}
	// Host controls do not apply to manifests.
	m := run(t, "", "scan", "framework", "cis", "examples/", "--format", "json")
	m.MustCode(t, 0)
	mrep := report(t, m.Stdout)
	for id := range have {
		if s, ok := statusIn(mrep, id); ok && s != "passed" {
			t.Errorf("%s on manifests: %s, want passed (not applicable)", id, s)
		}
	}
}

func TestHostUsageErrors(t *testing.T) {
	run(t, "", "host", "collect", "--root", "/does/not/exist").MustCode(t, 2)
	run(t, "", "host", "collect", "--format", "xml").MustCode(t, 2)
	run(t, "", "scan", "host", "--root", "/does/not/exist").MustCode(t, 2)
	run(t, "", "scan", "host", "--fix").MustCode(t, 2)
}

// TestScanHostGolden pins every host control's verdict on every fixture
// node: testdata/host/NAME.verdicts lists "control status failed/total"
// per line. A change to a host rule or to the collector that changes a
// verdict shows here.
func TestScanHostGolden(t *testing.T) {
	if !hosttest.CanChown() {
		t.Skip("the fixtures' owners need root; ownership verdicts would differ")
	}
	for _, name := range hosttest.Fixtures {
		t.Run(name, func(t *testing.T) {
			root := hosttest.Build(t, name)
			r := run(t, "", "scan", "host", "--root", root, "--format", "json")
			r.MustCode(t, 0)
			controls := report(t, r.Stdout)["summaryDetails"].(map[string]any)["controls"].(map[string]any)
			var lines []string
			for id, c := range controls {
				c := c.(map[string]any)
				counters, _ := c["ResourceCounters"].(map[string]any)
				if counters == nil {
					counters, _ = c["resourceCounters"].(map[string]any)
				}
				failed, _ := counters["failedResources"].(float64)
				total := failed
				for _, k := range []string{"passedResources", "skippedResources"} {
					n, _ := counters[k].(float64)
					total += n
				}
				lines = append(lines, fmt.Sprintf("%s %s %d/%d", id, c["status"], int(failed), int(total)))
			}
			slices.Sort(lines)
			got := []byte(strings.Join(lines, "\n") + "\n")
			golden := filepath.Join("testdata", "host", name+".verdicts")
			if updating() {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./test/e2e -run ScanHostGolden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("verdicts on %s differ from %s (run with -update and review the diff):\n%s", name, golden, got)
			}
		})
	}
}

// TestHostCollectNeverPrintsSecrets: any process on a node (one in any pod,
// which the host sensor sees through hostPID) can call itself kubelet or
// kube-apiserver and name a key, a kubeconfig or a token file in its
// flags, or put credentials in its command line. None of it reaches
// stdout or stderr, in JSON or YAML.
func TestHostCollectNeverPrintsSecrets(t *testing.T) {
	root := t.TempDir()
	for p, c := range map[string]string{
		"proc/10/cmdline":                  "kubelet\x00--config=/etc/kubernetes/admin.conf\x00--token\x00MARKER-FLAG-A\x00",
		"proc/20/cmdline":                  "kube-apiserver\x00--audit-policy-file=/etc/kubernetes/pki/sa.key\x00--encryption-provider-config=/etc/kubernetes/admin.conf\x00--oidc-client-secret=MARKER-FLAG-B\x00",
		"proc/30/cmdline":                  "kube-proxy\x00--config=/var/lib/rancher/k3s/server/token\x00",
		"etc/kubernetes/admin.conf":        "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: MARKER-KUBECONFIG\n    token: MARKER-TOKEN\n",
		"etc/kubernetes/pki/sa.key":        "-----BEGIN EC PRIVATE KEY-----\nMARKER-PEM\n-----END EC PRIVATE KEY-----\n",
		"var/lib/rancher/k3s/server/token": "K10MARKER-K3S::server:abc\n",
	} {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"json", "yaml"} {
		r := run(t, "", "host", "collect", "--root", root, "--format", format)
		r.MustCode(t, 0)
		// Content is base64: decode every long base64 word and search it too.
		text := r.Stdout + r.Stderr
		for _, w := range strings.FieldsFunc(r.Stdout, func(c rune) bool { return strings.ContainsRune(" \n\t\":,", c) }) {
			if d, err := base64.StdEncoding.DecodeString(w); err == nil {
				text += "\n" + string(d)
			}
		}
		for _, m := range []string{"MARKER-FLAG-A", "MARKER-FLAG-B", "MARKER-KUBECONFIG", "MARKER-TOKEN", "MARKER-PEM", "MARKER-K3S"} {
			if strings.Contains(text, m) {
				t.Errorf("%s: host collect printed %s", format, m)
			}
		}
		if !strings.Contains(r.Stderr, "/etc/kubernetes/pki/sa.key: content not emitted") {
			t.Errorf("%s: stderr does not say why content is missing:\n%s", format, r.Stderr)
		}
	}
}
