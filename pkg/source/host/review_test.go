package host

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// emitted is everything a collection prints: the objects as JSON, every
// content field decoded, and the notes.
func emitted(t *testing.T, col *Collection) string {
	t.Helper()
	b, err := json.Marshal(col.Objects)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b) + strings.Join(col.Notes, "\n")
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if c, ok := x["content"].(string); ok {
				d, _ := base64.StdEncoding.DecodeString(c)
				text += "\n" + string(d)
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
	var v any
	_ = json.Unmarshal(b, &v)
	walk(v)
	return text
}

// Any process on the node, including one inside an unprivileged pod (the
// sensor has hostPID), can call itself kubelet or kube-apiserver and name
// any file in its flags. Files whose content is emitted must still never
// be secret material, whatever they are called.
func TestFlagNamedSecretsNeverEmitted(t *testing.T) {
	root := writeRoot(t, map[string]string{
		"proc/10/cmdline":                  "kubelet\x00--config=/etc/kubernetes/admin.conf\x00",
		"proc/20/cmdline":                  "kube-apiserver\x00--audit-policy-file=/etc/kubernetes/pki/sa.key\x00--encryption-provider-config=/etc/kubernetes/admin.conf\x00",
		"proc/30/cmdline":                  "kube-proxy\x00--config=/var/lib/rancher/k3s/server/token\x00",
		"proc/40/cmdline":                  "etcd\x00--config-file=/etc/shadow\x00",
		"proc/50/cmdline":                  "kube-scheduler\x00--config=/x\x00",
		"etc/kubernetes/admin.conf":        "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: MARKER-KUBECONFIG\n",
		"etc/kubernetes/pki/sa.key":        "-----BEGIN RSA PRIVATE KEY-----\nMARKER-PEM\n-----END RSA PRIVATE KEY-----\n",
		"var/lib/rancher/k3s/server/token": "K10MARKER-TOKEN::server:abc\n",
		"etc/shadow":                       "root:MARKER-SHADOW:19000:0:99999:7:::\n",
	})
	col, err := CollectObjects(context.Background(), Options{Root: root, NodeName: "n"})
	if err != nil {
		t.Fatal(err)
	}
	out := emitted(t, col)
	for _, m := range []string{"MARKER-KUBECONFIG", "MARKER-PEM", "MARKER-TOKEN", "MARKER-SHADOW"} {
		if strings.Contains(out, m) {
			t.Errorf("secret %s was emitted", m)
		}
	}
	if !strings.Contains(strings.Join(col.Notes, "\n"), "/etc/kubernetes/pki/sa.key: content not emitted") {
		t.Errorf("notes do not say why content is absent: %q", col.Notes)
	}
}

// A static-pod manifest holds the same command line as cmdLine, which is
// redacted: its content must be redacted the same way.
func TestManifestCredentialsRedacted(t *testing.T) {
	root := writeRoot(t, map[string]string{
		"etc/kubernetes/manifests/kube-apiserver.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    command: [kube-apiserver, --token=MARKER-A, --bootstrap-token, MARKER-B, --profiling=false]\n    args: [--oidc-client-secret=MARKER-C, --token-auth-file=/etc/kubernetes/tokens.csv]\n    env:\n    - name: CLOUD_PASSWORD\n      value: MARKER-D\n    - name: HOME\n      value: /root\n",
		"etc/kubernetes/manifests/etcd.yaml":           "apiVersion: v1\nkind: Pod\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: etcd\n    command:\n    - etcd\n    - --data-dir=/var/lib/etcd\n",
	})
	col, err := CollectObjects(context.Background(), Options{Root: root, NodeName: "n"})
	if err != nil {
		t.Fatal(err)
	}
	out := emitted(t, col)
	for _, m := range []string{"MARKER-A", "MARKER-B", "MARKER-C", "MARKER-D"} {
		if strings.Contains(out, m) {
			t.Errorf("credential %s was emitted", m)
		}
	}
	for _, keep := range []string{"--token-auth-file=/etc/kubernetes/tokens.csv", "--profiling=false", "value: /root"} {
		if !strings.Contains(out, keep) {
			t.Errorf("redaction lost %q", keep)
		}
	}
	// Nothing to redact: the bytes are emitted as they are.
	for _, o := range col.Objects {
		if o["kind"] == "ControlPlaneInfo" {
			c := at(o["data"], "etcdConfigFile", "content")
			if d, _ := base64.StdEncoding.DecodeString(c.(string)); !strings.HasPrefix(string(d), "apiVersion: v1\nkind: Pod\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: etcd\n    command:\n    - etcd\n") {
				t.Errorf("clean manifest was rewritten:\n%s", d)
			}
		}
	}
}

func TestRedactEncryptionConfigBypasses(t *testing.T) {
	for name, in := range map[string]string{
		"capitalised key":  "kind: EncryptionConfiguration\nresources:\n- providers:\n  - aescbc:\n      keys:\n      - name: k1\n        Secret: MARKER\n",
		"alias of the key": "kind: EncryptionConfiguration\nresources:\n- providers:\n  - aescbc:\n      keys:\n      - name: k1\n        secret: &k MARKER\ncopy: *k\n",
		"alias":            "kind: EncryptionConfiguration\nkeep: &k MARKER\nresources:\n- providers:\n  - aescbc:\n      keys:\n      - name: k1\n        secret: *k\n",
	} {
		out, err := redactEncryptionConfig([]byte(in))
		if err == nil && strings.Contains(string(out), "MARKER") {
			t.Errorf("%s: the key survived redaction:\n%s", name, out)
		}
		if err == nil && !reparses(out) {
			t.Errorf("%s: redaction made invalid YAML:\n%s", name, out)
		}
		if out, why := sanitizeConfig([]byte(strings.ReplaceAll(in, "ecret", "ecretKey"))); why == "" && (strings.Contains(string(out), "MARKER") || !reparses(out)) {
			t.Errorf("%s: sanitizeConfig:\n%s", name, out)
		}
	}
}

// Reads are bounded: a flag may name a huge file (or /proc/kcore), and the
// sensor has 128 MiB of memory.
func TestReadFileBounded(t *testing.T) {
	root := t.TempDir()
	big := filepath.Join(root, "big")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxContent + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, err := newRootFS(root)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := r.readFile("/big"); err == nil {
		t.Errorf("read %d bytes of a file larger than %d", len(b), maxContent)
	}
}

func TestSanitizeUnit(t *testing.T) {
	in := "[Unit]\nDescription=kubelet, not-a-token here\n[Service]\nEnvironment=\"KUBELET_EXTRA_ARGS=--token=MARKER-A --bootstrap-token MARKER-B --kubeconfig=/etc/k --node-ip 10.0.0.1\"\nExecStart=/usr/bin/kubelet --password='MARKER-C' $KUBELET_EXTRA_ARGS\n"
	out, why := sanitizeUnit([]byte(in))
	if why != "" {
		t.Fatal(why)
	}
	s := string(out)
	for _, m := range []string{"MARKER-A", "MARKER-B", "MARKER-C"} {
		if strings.Contains(s, m) {
			t.Errorf("%s survived:\n%s", m, s)
		}
	}
	for _, keep := range []string{"not-a-token here", "--kubeconfig=/etc/k", "--node-ip 10.0.0.1", "--token=REDACTED", "--bootstrap-token REDACTED"} {
		if !strings.Contains(s, keep) {
			t.Errorf("lost %q:\n%s", keep, s)
		}
	}
	if _, why := sanitizeUnit([]byte("[Service]\n-----BEGIN PRIVATE KEY-----\n")); why == "" {
		t.Error("a private key in a unit was emitted")
	}
}

// The PKI walk does not follow symlinked directories: two links back to
// the directory itself would otherwise make 2^40 paths to visit.
func TestPKIWalkLinkLoops(t *testing.T) {
	root := writeRoot(t, map[string]string{
		"etc/kubernetes/manifests/kube-apiserver.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [kube-apiserver]\n",
		"etc/kubernetes/pki/etcd/ca.crt":               "cert",
	})
	for _, l := range []string{"a", "b", "etcd/c"} {
		if err := os.Symlink(".", filepath.Join(root, "etc/kubernetes/pki", l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("ca.crt", filepath.Join(root, "etc/kubernetes/pki/etcd/link.crt")); err != nil {
		t.Fatal(err)
	}
	done := make(chan *Collection, 1)
	go func() {
		col, err := CollectObjects(context.Background(), Options{Root: root, NodeName: "n"})
		if err != nil {
			t.Error(err)
		}
		done <- col
	}()
	select {
	case col := <-done:
		if col == nil {
			return
		}
		for _, o := range col.Objects {
			if o["kind"] != "ControlPlaneInfo" {
				continue
			}
			var paths []string
			for _, f := range at(o["data"], "PKIFiles").([]any) {
				paths = append(paths, at(f, "path").(string))
			}
			if strings.Join(paths, " ") != "/etc/kubernetes/pki/etcd/ca.crt /etc/kubernetes/pki/etcd/link.crt" {
				t.Errorf("PKI files: %d, first %q", len(paths), paths[:min(3, len(paths))])
			}
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the PKI walk followed directory links (still walking after 20s)")
	}
}
