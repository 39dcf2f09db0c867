package host

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/source"
	"github.com/vigilsec/vigil/pkg/source/host/hosttest"
)

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want map[string]string
	}{
		{[]string{"kubelet", "--config=/a", "--anonymous-auth=false"}, map[string]string{"config": "/a", "anonymous-auth": "false"}},
		{[]string{"kubelet", "--config", "/a", "--v", "2"}, map[string]string{"config": "/a", "v": "2"}},
		{[]string{"etcd", "--client-cert-auth", "--data-dir=/d"}, map[string]string{"client-cert-auth": "true", "data-dir": "/d"}},
		{[]string{"x", "--profiling=true", "--profiling=false"}, map[string]string{"profiling": "false"}},
		{[]string{"x", "positional", "--a=", "-v=3", "--last"}, map[string]string{"a": "", "v": "3", "last": "true"}},
		{[]string{"x", "--authorization-mode=Node,RBAC", "--", "--not-a-flag"}, map[string]string{"authorization-mode": "Node,RBAC"}},
		{[]string{"x", "--opt=a=b"}, map[string]string{"opt": "a=b"}},
		{nil, map[string]string{}},
	} {
		if got := ParseFlags(tc.args); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseFlags(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestSysctlsSorted(t *testing.T) {
	// docs/HOST-OBJECTS.md promises LinuxKernelVariables sorted by key.
	if !sort.StringsAreSorted(sysctls) {
		t.Error("sysctls are not sorted")
	}
}

func TestRedactArgs(t *testing.T) {
	in := []string{"k3s", "agent", "--token=K10abc", "--token-file=/etc/t", "--bootstrap-token", "abc.def",
		"--etcd-password=p", "--client-secret", "s", "--service-account-key-file=/k", "--anonymous-auth=false",
		"--etcd-servers=https://root:pw1@10.0.0.1:2379,https://10.0.0.2:2379,http://u:p:w@h", "--datastore-endpoint", "postgres://k3s:pw2@db:5432/k3s", "--agent-token", "-dash-first", "--token"}
	want := []string{"k3s", "agent", "--token=REDACTED", "--token-file=/etc/t", "--bootstrap-token", "REDACTED",
		"--etcd-password=REDACTED", "--client-secret", "REDACTED", "--service-account-key-file=/k", "--anonymous-auth=false",
		"--etcd-servers=https://root:REDACTED@10.0.0.1:2379,https://10.0.0.2:2379,http://u:REDACTED@h", "--datastore-endpoint", "postgres://k3s:REDACTED@db:5432/k3s", "--agent-token", "REDACTED", "--token"}
	if got := redactArgs(in); !reflect.DeepEqual(got, want) {
		t.Errorf("redactArgs:\n got %q\nwant %q", got, want)
	}
	if in[2] != "--token=K10abc" {
		t.Error("redactArgs changed its input")
	}
}

func TestSplitCmdline(t *testing.T) {
	if got := splitCmdline([]byte("/usr/bin/kubelet\x00--a=b\x00--c\x00d\x00")); !reflect.DeepEqual(got, []string{"/usr/bin/kubelet", "--a=b", "--c", "d"}) {
		t.Errorf("NUL-separated: %q", got)
	}
	// A process that rewrote its title into one string (k3s does).
	if got := splitCmdline([]byte("/usr/local/bin/k3s server\x00")); !reflect.DeepEqual(got, []string{"/usr/local/bin/k3s", "server"}) {
		t.Errorf("rewritten title: %q", got)
	}
	if p := (process{args: []string{"/usr/local/bin/hyperkube", "kubelet"}}); p.program() != "kubelet" {
		t.Errorf("hyperkube program = %q", p.program())
	}
}

func TestPodCommandAndArgsFiles(t *testing.T) {
	args, ok := podCommand([]byte("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    command: [kube-apiserver, --a=1]\n    args: [--b=2]\n  - name: sidecar\n    command: [other]\n"))
	if !ok || !reflect.DeepEqual(args, []string{"kube-apiserver", "--a=1", "--b=2"}) {
		t.Errorf("podCommand = %q, %v", args, ok)
	}
	if _, ok := podCommand([]byte("not: [yaml")); ok {
		t.Error("broken manifest gave a command")
	}
	got := microk8sArgs([]byte("# comment\n--kubeconfig=${SNAP_DATA}/credentials/kubelet.config\n--anonymous-auth=false  # trailing\n--node-labels=\"a=b\"\n\n"))
	want := []string{"--kubeconfig=/var/snap/microk8s/current/credentials/kubelet.config", "--anonymous-auth=false", "--node-labels=a=b"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("microk8sArgs = %q, want %q", got, want)
	}
	if got := ParseFlagList([]string{"k3s", "server", "--kubelet-arg=a=1", "--kubelet-arg", "b=2", "--other=x"}, "kubelet-arg"); !reflect.DeepEqual(got, []string{"a=1", "b=2"}) {
		t.Errorf("ParseFlagList = %q", got)
	}
}

func TestRedactEncryptionConfig(t *testing.T) {
	in := `# old key: c2VjcmV0
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: k1
        secret: c2VjcmV0   # the live key
      - name: k2
        secret: {nested: c2VjcmV0}
  - secretbox:
      keys:
      - {name: k3, secret: c2VjcmV0}
  - identity: {}
`
	out, err := redactEncryptionConfig([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if strings.Contains(s, "c2VjcmV0") {
		t.Fatalf("a secret survived redaction:\n%s", s)
	}
	if n := strings.Count(s, "secret: REDACTED"); n != 3 {
		t.Errorf("want 3 redacted secrets, got %d:\n%s", n, s)
	}
	for _, keep := range []string{"name: k1", "aescbc", "identity", "kind: EncryptionConfiguration"} {
		if !strings.Contains(s, keep) {
			t.Errorf("redaction lost %q:\n%s", keep, s)
		}
	}
	if _, err := redactEncryptionConfig([]byte("a: [broken")); err == nil {
		t.Error("unparsable config was not refused")
	}
}

func TestSymlinksStayInsideRoot(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("outside"), 0o600); err != nil {
		t.Fatal(err)
	}
	root := writeRoot(t, map[string]string{
		"/etc/real":                      "inside",
		filepath.Join(outside, "secret"): "mirror of the outside path, inside the root",
	})
	link := func(p, target string) {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
	}
	link("/etc/abs", filepath.Join(outside, "secret"))   // absolute: re-rooted
	link("/etc/rel", "../../../../../../../../etc/real") // ".." stops at the root
	link("/etc/dir", "/etc")                             // a directory link
	link("/etc/loop", "/etc/loop")
	r, err := newRootFS(root)
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) string {
		b, err := r.readFile(p)
		if err != nil {
			return "error: " + err.Error()
		}
		return string(b)
	}
	if got := read("/etc/abs"); got != "mirror of the outside path, inside the root" {
		t.Errorf("absolute link left the root: %q", got)
	}
	if got := read("/etc/rel"); got != "inside" {
		t.Errorf("relative link with ..: %q", got)
	}
	if got := read("/etc/dir/dir/real"); got != "inside" {
		t.Errorf("directory link: %q", got)
	}
	if got := read("/../../etc/real"); got != "inside" {
		t.Errorf(".. above the root: %q", got)
	}
	if got := read("/etc/loop"); !strings.Contains(got, "too many levels") {
		t.Errorf("link loop: %q", got)
	}
	// The path reported is the node path, not where it resolved.
	if f := r.file("/etc/abs", withContent); f == nil || f["path"] != "/etc/abs" {
		t.Errorf("file() = %v", f)
	}
}

func collect(t *testing.T, fixture string) (*Collection, map[string]map[string]any) {
	t.Helper()
	col, err := CollectObjects(context.Background(), Options{Root: hosttest.Build(t, fixture)})
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]map[string]any{}
	for _, o := range col.Objects {
		byKind[o["kind"].(string)] = o
	}
	return col, byKind
}

// at walks a JSON-like value by keys.
func at(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func TestLayouts(t *testing.T) {
	for fixture, want := range map[string]string{
		hosttest.KubeadmHardened: LayoutKubeadm, hosttest.KubeadmWeak: LayoutKubeadm,
		hosttest.Worker: LayoutKubeadm, hosttest.K3s: LayoutK3s,
	} {
		got, err := DetectLayout(hosttest.Build(t, fixture))
		if err != nil || got != want {
			t.Errorf("%s: layout %q (%v), want %q", fixture, got, err, want)
		}
	}
	for dir, want := range map[string]string{
		"var/lib/rancher/rke2/agent":  LayoutRKE2,
		"var/snap/microk8s/current":   LayoutMicroK8s,
		"etc/rancher/k3s":             LayoutK3s,
		"nothing/kubernetes/here/etc": LayoutUnknown,
	} {
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if got, _ := DetectLayout(root); got != want {
			t.Errorf("%s: layout %q, want %q", dir, got, want)
		}
	}
}

func TestKubeadmControlPlane(t *testing.T) {
	col, objs := collect(t, hosttest.KubeadmHardened)
	var kinds []string
	for _, o := range col.Objects {
		kinds = append(kinds, o["kind"].(string))
		if at(o, "metadata", "name") != hosttest.KubeadmHardened {
			t.Errorf("%s named %v", o["kind"], at(o, "metadata", "name"))
		}
	}
	want := []string{"KubeletInfo", "ControlPlaneInfo", "CNIInfo", "LinuxKernelVariables", "OsReleaseFile", "KernelVersion", "LinuxSecurityHardeningStatus", "OpenPortsList"}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	cp := objs["ControlPlaneInfo"]["data"]
	if got := at(cp, "vigil", "flags", "apiServer", "anonymous-auth"); got != "false" {
		t.Errorf("apiServer anonymous-auth = %v", got)
	}
	if got := at(cp, "vigil", "sources", "APIServerInfo.cmdLine"); got != "/etc/kubernetes/manifests/kube-apiserver.yaml" {
		t.Errorf("api server command line source = %v", got)
	}
	if !strings.HasPrefix(at(cp, "APIServerInfo", "cmdLine").(string), "kube-apiserver --advertise-address=10.0.0.10 ") {
		t.Errorf("cmdLine = %v", at(cp, "APIServerInfo", "cmdLine"))
	}
	if got := at(cp, "controllerManagerInfo", "configFile", "path"); got != "/etc/kubernetes/controller-manager.conf" {
		t.Errorf("controller manager kubeconfig = %v", got)
	}
	if got := at(cp, "etcdDataDir", "permissions"); got != 0o700 {
		t.Errorf("etcd data dir mode = %v", got)
	}
	if got := at(cp, "vigil", "etcd", "cmdLine"); !strings.Contains(got.(string), "--client-cert-auth=true") {
		t.Errorf("etcd cmdLine = %v", got)
	}
	pki := at(cp, "PKIFiles").([]any)
	if len(pki) != 18 || at(pki[0], "path") != "/etc/kubernetes/pki/apiserver-etcd-client.crt" {
		t.Errorf("PKI files: %d, first %v", len(pki), at(pki[0], "path"))
	}
	enc := at(cp, "APIServerInfo", "encryptionProviderConfigFile", "content").(string)
	dec, _ := base64.StdEncoding.DecodeString(enc)
	if !strings.Contains(string(dec), "secret: REDACTED") {
		t.Errorf("encryption config not redacted:\n%s", dec)
	}
	k := objs["KubeletInfo"]["data"]
	if got := at(k, "vigil", "sources", "clientCAFile"); got != "config authentication.x509.clientCAFile" {
		t.Errorf("client CA source = %v", got)
	}
	if got := at(k, "configFile", "permissions"); got != 0o600 {
		t.Errorf("kubelet config mode = %v", got)
	}
	if at(k, "configFile", "content") == nil || at(k, "kubeConfigFile", "content") != nil {
		t.Error("kubelet config content must be emitted, its kubeconfig's never")
	}
	if n := len(at(k, "serviceFiles").([]any)); n != 2 {
		t.Errorf("service files: %d", n)
	}
	ports := at(objs["OpenPortsList"]["data"], "tcpPorts").([]any)
	if len(ports) != 2 || at(ports[1], "localPort") != 10250 || at(ports[1], "pid") != 100 || at(ports[1], "localAddress") != "::" {
		t.Errorf("tcp ports: %v", ports)
	}
	if at(ports[0], "localAddress") != "0.0.0.0" || at(ports[0], "localPort") != 10000 || at(ports[0], "pid") != nil {
		t.Errorf("first port: %v", ports[0])
	}
	if objs["LinuxSecurityHardeningStatus"]["data"].(map[string]any)["appArmor"] != "enabled" {
		t.Errorf("hardening: %v", objs["LinuxSecurityHardeningStatus"]["data"])
	}
	if objs["KernelVersion"]["data"] != "6.8.0-45-generic" || !strings.Contains(objs["OsReleaseFile"]["data"].(string), "Ubuntu 24.04") {
		t.Errorf("kernel %v, os-release %v", objs["KernelVersion"]["data"], objs["OsReleaseFile"]["data"])
	}
	if !reflect.DeepEqual(at(objs["CNIInfo"]["data"], "CNINames"), []string{"calico", "portmap"}) {
		t.Errorf("CNI names %v", at(objs["CNIInfo"]["data"], "CNINames"))
	}
	if col.Notes[0] != "layout: kubeadm" || !strings.Contains(col.Notes[1], "kube-apiserver (/etc/kubernetes/manifests/kube-apiserver.yaml)") {
		t.Errorf("notes: %q", col.Notes)
	}
}

func TestSecretsNeverEmitted(t *testing.T) {
	for _, f := range hosttest.Fixtures {
		col, _ := collect(t, f)
		// emitted decodes every base64 content field, so both are searched.
		text := emitted(t, col)
		for _, s := range []string{hosttest.SecretKey, hosttest.SecretKubeconfig, hosttest.SecretEncryption, "PRIVATE KEY"} {
			if strings.Contains(text, s) {
				t.Errorf("%s: output contains secret marker %q", f, s)
			}
		}
	}
}

func TestWeakAndMissing(t *testing.T) {
	col, objs := collect(t, hosttest.KubeadmWeak)
	cp := objs["ControlPlaneInfo"]["data"]
	if at(cp, "APIServerInfo", "auditPolicyFile") != nil {
		t.Error("a missing file must be absent")
	}
	missing := at(cp, "vigil", "missing").([]any)
	if len(missing) != 1 || at(missing[0], "path") != "/etc/kubernetes/audit/missing-policy.yaml" || at(missing[0], "field") != "APIServerInfo.auditPolicyFile" {
		t.Errorf("missing = %v", missing)
	}
	if !strings.Contains(strings.Join(col.Notes, "\n"), "missing-policy.yaml, which does not exist") {
		t.Errorf("notes do not mention the missing file: %q", col.Notes)
	}
	if got := at(objs["KubeletInfo"]["data"], "kubeConfigFile", "permissions"); got != 0o644 {
		t.Errorf("weak kubeconfig mode = %v", got)
	}
	udp := at(objs["OpenPortsList"]["data"], "udpPorts").([]any)
	if len(udp) != 1 || at(udp[0], "localPort") != 68 {
		t.Errorf("udp ports: %v", udp)
	}
}

func TestOwnership(t *testing.T) {
	if !hosttest.CanChown() {
		t.Skip("ownership variants need root to chown fixture files; running as a normal user, files belong to the test user")
	}
	_, hard := collect(t, hosttest.KubeadmHardened)
	want := map[string]any{"uid": 0, "gid": 0, "username": "root", "groupname": "root"}
	if got := at(hard["KubeletInfo"]["data"], "configFile", "ownership"); !reflect.DeepEqual(got, want) {
		t.Errorf("hardened ownership %v, want %v", got, want)
	}
	_, weak := collect(t, hosttest.KubeadmWeak)
	want = map[string]any{"uid": hosttest.WeakOwner, "gid": hosttest.WeakOwner, "username": "ubuntu", "groupname": "ubuntu"}
	if got := at(weak["ControlPlaneInfo"]["data"], "adminConfigFile", "ownership"); !reflect.DeepEqual(got, want) {
		t.Errorf("weak ownership %v, want %v", got, want)
	}
}

func TestWorkerAndK3s(t *testing.T) {
	_, w := collect(t, hosttest.Worker)
	if _, ok := w["ControlPlaneInfo"]; ok {
		t.Error("a worker has no control plane")
	}
	kp := w["KubeProxyInfo"]["data"]
	if at(kp, "vigil", "flags", "hostname-override") != "worker" || len(at(kp, "vigil", "missing").([]any)) != 1 {
		t.Errorf("kube-proxy: %v", kp)
	}

	col, k := collect(t, hosttest.K3s)
	if col.Layout != LayoutK3s {
		t.Errorf("layout %s", col.Layout)
	}
	cp := k["ControlPlaneInfo"]["data"]
	if got := at(cp, "APIServerInfo", "cmdLine"); got != "kube-apiserver --anonymous-auth=false --profiling=false --audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log --audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml" {
		t.Errorf("k3s api server cmdLine = %v", got)
	}
	if got := at(cp, "vigil", "flags", "scheduler", "profiling"); got != "false" {
		t.Errorf("k3s scheduler profiling from config.yaml.d = %v", got)
	}
	if src := at(cp, "vigil", "sources", "APIServerInfo.cmdLine").(string); !strings.Contains(src, "k3s built-in defaults not included") {
		t.Errorf("source does not warn about k3s defaults: %s", src)
	}
	if at(cp, "APIServerInfo", "auditPolicyFile", "content") == nil || at(cp, "vigil", "etcd") != nil {
		t.Errorf("k3s: audit policy content missing, or etcd reported without etcd: %v", cp)
	}
	if got := at(cp, "PKIDir", "path"); got != "/var/lib/rancher/k3s/server/tls" {
		t.Errorf("k3s PKI dir = %v", got)
	}
	kl := k["KubeletInfo"]["data"]
	if at(kl, "cmdLine") != "kubelet --protect-kernel-defaults=true --streaming-connection-idle-timeout=5m" || at(kl, "clientCAFile", "path") != "/var/lib/rancher/k3s/agent/client-ca.crt" {
		t.Errorf("k3s kubelet: %v", kl)
	}
	if at(k["KubeProxyInfo"]["data"], "kubeConfigFile", "path") != "/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig" {
		t.Errorf("k3s kube-proxy: %v", k["KubeProxyInfo"])
	}
}

func TestNotANode(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "proc/sys/kernel"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "proc/sys/kernel/osrelease"), []byte("6.1.0\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	inv, err := Collect(context.Background(), Options{Root: root, NodeName: "laptop"})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Target != source.TargetHost || len(inv.Notes) != 1 || !strings.HasPrefix(inv.Notes[0].Message, NoComponents) {
		t.Errorf("target %s, notes %v", inv.Target, inv.Notes)
	}
	var kinds []string
	for _, o := range inv.Objects {
		kinds = append(kinds, o.ID.Kind)
		if !IsHostObject(o) || o.ID.Name != "laptop" {
			t.Errorf("object %s", o.ID)
		}
	}
	if !reflect.DeepEqual(kinds, []string{"KernelVersion", "LinuxSecurityHardeningStatus"}) {
		t.Errorf("kinds %v", kinds)
	}
	if _, err := Collect(context.Background(), Options{Root: filepath.Join(root, "nope")}); err == nil {
		t.Error("a root that does not exist must be an error")
	}
}

// writeRoot writes files (path → content) under a new root.
func writeRoot(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestRKE2AndMicroK8s(t *testing.T) {
	rke2 := writeRoot(t, map[string]string{
		"proc/50/cmdline": "/var/lib/rancher/rke2/bin/kubelet\x00--kubeconfig=/var/lib/rancher/rke2/agent/kubelet.kubeconfig\x00--anonymous-auth=false\x00",
		"proc/40/cmdline": "rke2\x00server\x00",
		"var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [kube-apiserver]\n    args: [--profiling=false, --token-auth-file=/x]\n",
		"var/lib/rancher/rke2/agent/kubelet.kubeconfig":                "creds",
		"var/lib/rancher/rke2/server/tls/server-ca.key":                "key",
	})
	col, err := CollectObjects(context.Background(), Options{Root: rke2, NodeName: "r"})
	if err != nil {
		t.Fatal(err)
	}
	objs := map[string]map[string]any{}
	for _, o := range col.Objects {
		objs[o["kind"].(string)] = o
	}
	cp := objs["ControlPlaneInfo"]["data"]
	if col.Layout != LayoutRKE2 || at(cp, "APIServerInfo", "cmdLine") != "kube-apiserver --profiling=false --token-auth-file=/x" ||
		at(cp, "APIServerInfo", "specsFile", "path") != "/var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml" {
		t.Errorf("rke2 control plane: %v", cp)
	}
	if n := len(at(cp, "PKIFiles").([]any)); n != 1 {
		t.Errorf("rke2 PKI files: %d", n)
	}
	if at(objs["KubeletInfo"]["data"], "vigil", "sources", "cmdLine") != "/proc/50/cmdline" {
		t.Errorf("rke2 kubelet: %v", objs["KubeletInfo"])
	}

	mk := writeRoot(t, map[string]string{
		"var/snap/microk8s/current/args/kubelet":               "--kubeconfig=${SNAP_DATA}/credentials/kubelet.config\n--anonymous-auth=false\n",
		"var/snap/microk8s/current/args/kube-apiserver":        "--client-ca-file=${SNAP_DATA}/certs/ca.crt\n--authorization-mode=RBAC,Node\n",
		"var/snap/microk8s/current/credentials/kubelet.config": "creds",
		"var/snap/microk8s/current/certs/ca.crt":               "cert",
		"var/snap/microk8s/current/var/kubernetes/backend/x":   "data",
	})
	col, err = CollectObjects(context.Background(), Options{Root: mk, NodeName: "m"})
	if err != nil {
		t.Fatal(err)
	}
	objs = map[string]map[string]any{}
	for _, o := range col.Objects {
		objs[o["kind"].(string)] = o
	}
	cp = objs["ControlPlaneInfo"]["data"]
	if col.Layout != LayoutMicroK8s || at(cp, "vigil", "flags", "apiServer", "authorization-mode") != "RBAC,Node" ||
		at(cp, "etcdDataDir", "path") != "/var/snap/microk8s/current/var/kubernetes/backend" {
		t.Errorf("microk8s control plane: %v", cp)
	}
	k := objs["KubeletInfo"]["data"]
	if at(k, "cmdLine") != "kubelet --kubeconfig=/var/snap/microk8s/current/credentials/kubelet.config --anonymous-auth=false" ||
		at(k, "kubeConfigFile", "permissions") != 0o600 || at(k, "clientCAFile", "path") != "/var/snap/microk8s/current/certs/ca.crt" {
		t.Errorf("microk8s kubelet: %v", k)
	}
}
