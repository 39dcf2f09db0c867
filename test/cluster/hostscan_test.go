package cluster_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vigilsec/vigil/internal/testfs"

	"github.com/vigilsec/vigil/test/clitest"
	"github.com/vigilsec/vigil/test/k8s/k8stest"
)

// TestHostScan runs a real host sensor (vigil host serve, reading a
// fixture node root) and scans the cluster with --host-scan: the API
// server's pod proxy carries the node's objects to the scanner. There is
// no kubelet, so the test marks the sensor pod running at an address of
// this machine itself; the API server refuses to proxy to loopback, so it
// needs a non-loopback address.
func TestHostScan(t *testing.T) {
	e := need(t)
	ip := localIP(t)
	port := freePort(t, ip)
	const token = "test-sensor-token-0123456789"

	root := t.TempDir()
	testfs.TreeAt(t, root, map[string]string{
		"etc/kubernetes/manifests/kube-apiserver.yaml": `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.0
    command:
    - kube-apiserver
    - --anonymous-auth=true
    - --authorization-mode=AlwaysAllow
    - --profiling=true
`,
		"etc/hostname": "cp-1\n",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sensor := exec.CommandContext(ctx, e.vigil, "host", "serve", "--root", root, "--node-name", "cp-1", "--listen", net.JoinHostPort(ip, fmt.Sprint(port)))
	sensor.Env = append(os.Environ(), "VIGIL_SENSOR_TOKEN="+token)
	var sensorLog strings.Builder
	sensor.Stderr = &sensorLog
	if err := sensor.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		_ = sensor.Wait()
		if t.Failed() {
			t.Logf("sensor log:\n%s", sensorLog.String())
		}
	}()

	// Two sensor pods: one this test serves, one on a node whose sensor
	// never started.
	objects := sensorObjects("vigil-hs", token, "cp-1", port) + "---\n" + sensorPod("vigil-hs", "worker-9", 0)
	if err := e.admin.CreateStream(ctx, []byte(objects)); err != nil {
		t.Fatal(err)
	}
	if err := e.admin.SetPodStatus(ctx, "vigil-hs", "sensor-cp-1", "Running", ip); err != nil {
		t.Fatal(err)
	}
	waitHealthy(t, ip, port)

	r := e.scan(t, k8stest.Admin, "framework", "cis", "--host-scan", "--host-sensor-namespace", "vigil-hs", "--format", "json")
	r.MustCode(t, 0)
	rep := clitest.Report(t, r.Stdout)
	var hostKinds []string
	for _, res := range rep["resources"].([]any) {
		obj, _ := res.(map[string]any)["object"].(map[string]any)
		if api, _ := obj["apiVersion"].(string); strings.HasPrefix(api, "hostdata.kubescape.cloud/") {
			hostKinds = append(hostKinds, obj["kind"].(string))
		}
	}
	if !strings.Contains(strings.Join(hostKinds, ","), "ControlPlaneInfo") {
		t.Errorf("no ControlPlaneInfo from the sensor among the report's host objects %v", hostKinds)
	}
	// The fixture's API server allows anonymous requests: the CIS host
	// control judges the node's data like any object of the cluster.
	if got := controlSummary(rep, "C-0113")["status"]; got != "failed" {
		t.Errorf("C-0113 (API server anonymous auth) on the weak node: %v, want failed", got)
	}
	notes := fmt.Sprint(inputs(rep)["notes"])
	for _, want := range []string{"1 of 2 nodes answered", "sensor-worker-9 (node worker-9): not running"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q: %s", want, notes)
		}
	}
	if strings.Contains(r.Stdout, token) || strings.Contains(r.Stderr, token) {
		t.Error("the sensor token appears in the scan's output")
	}

	// Without --host-scan the host controls are skipped for lack of data,
	// not passed.
	r = e.scan(t, k8stest.Admin, "framework", "cis", "--format", "json")
	r.MustCode(t, 0)
	if reason := skipped(clitest.Report(t, r.Stdout))["C-0113"]; !strings.Contains(reason, "host") {
		t.Errorf("C-0113 without host data: skipped reason %q, want one about host data", reason)
	}

	// A wrong token: the node gives nothing, and the report says why.
	bad := "wrong-token-0123456789abcdef"
	if err := e.admin.CreateStream(ctx, []byte(sensorObjects("vigil-hs-bad", bad, "cp-1", port))); err != nil {
		t.Fatal(err)
	}
	if err := e.admin.SetPodStatus(ctx, "vigil-hs-bad", "sensor-cp-1", "Running", ip); err != nil {
		t.Fatal(err)
	}
	r = e.scan(t, k8stest.Admin, "framework", "cis", "--host-scan", "--host-sensor-namespace", "vigil-hs-bad", "--format", "json")
	r.MustCode(t, 0)
	if notes := fmt.Sprint(inputs(clitest.Report(t, r.Stdout))["notes"]); !strings.Contains(notes, "rejected the token") {
		t.Errorf("a rejected token is not reported: %s", notes)
	}
	if strings.Contains(r.Stdout, bad) {
		t.Error("the token appears in the report")
	}

	// No rights: alice may not list the sensor pods; the scan still runs
	// and says what is missing.
	r = e.scan(t, k8stest.Alice, "framework", "cis", "--host-scan", "--host-sensor-namespace", "vigil-hs", "--format", "json")
	if notes := fmt.Sprint(inputs(clitest.Report(t, r.Stdout))["notes"]); !strings.Contains(notes, "forbidden: the user may not list pods") {
		t.Errorf("a forbidden pod list is not reported: %s", notes)
	}
	// --dry-run lists the host-scan permissions too.
	r = e.scan(t, k8stest.Alice, "--dry-run", "--host-scan", "--host-sensor-namespace", "vigil-hs")
	for _, want := range []string{"pods/proxy", "secrets"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("--dry-run does not check %s:\n%s", want, r.Stdout)
		}
	}
}

// sensorObjects are a namespace, the token Secret and a sensor pod on
// node, serving on port.
func sensorObjects(ns, token, node string, port int) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Namespace
metadata: {name: %[1]s}
---
apiVersion: v1
kind: Secret
metadata: {name: vigil-host-sensor, namespace: %[1]s}
stringData: {token: %[2]s}
---
`, ns, token) + sensorPod(ns, node, port)
}

// sensorPod is a host sensor pod on node; port 0 names no port.
func sensorPod(ns, node string, port int) string {
	pod := fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: sensor-%[2]s
  namespace: %[1]s
  labels: {app.kubernetes.io/name: vigil-host-sensor}
spec:
  nodeName: %[2]s
  containers:
  - name: sensor
    image: ghcr.io/vigilsec/vigil:test
`, ns, node)
	if port != 0 {
		pod += fmt.Sprintf("    ports: [{name: https, containerPort: %d}]\n", port)
	}
	return pod
}

// localIP is a non-loopback IPv4 address of this machine.
func localIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address: the API server does not proxy to loopback")
	return ""
}

func freePort(t *testing.T, ip string) int {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitHealthy(t *testing.T, ip string, port int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(ip, fmt.Sprint(port)), time.Second)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the host sensor did not start listening")
}
