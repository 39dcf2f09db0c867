// Package hosttest builds fixture node roots for host collector and scan
// tests: directories that mirror a node's filesystem, with file modes set
// (and owners, when the tests run as root).
package hosttest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fixture names.
const (
	KubeadmHardened = "kubeadm-hardened"
	KubeadmWeak     = "kubeadm-weak"
	Worker          = "worker"
	K3s             = "k3s"
)

// Fixtures are every fixture, in a stable order.
var Fixtures = []string{KubeadmHardened, KubeadmWeak, Worker, K3s}

// EtcdOwner is the uid and gid of the etcd user, which owns the hardened
// fixture's etcd data directory when the tests run as root (CIS 1.1.12).
const EtcdOwner = 998

// WeakOwner is the uid and gid given to the weak fixture's files when the
// tests run as root: a non-root owner that strict-ownership controls fail.
const WeakOwner = 1000

// CanChown reports whether fixtures get the owners they describe; otherwise
// every file belongs to the user running the tests.
func CanChown() bool { return os.Geteuid() == 0 }

// Secret markers are written into secret files so tests can prove their
// content never reaches the output.
const (
	SecretKey        = "c2VjcmV0LWtleS1tYXRlcmlhbA-PRIVATE-KEY-MARKER"
	SecretKubeconfig = "KUBECONFIG-CLIENT-KEY-MARKER"
	SecretEncryption = "ENCRYPTION-KEY-MARKER-aGVsbG8="
)

type builder struct {
	t    testing.TB
	root string
	// owner is applied to every file written when running as root.
	owner int
}

func (b *builder) file(p string, mode os.FileMode, content string) {
	b.t.Helper()
	full := filepath.Join(b.root, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), mode); err != nil {
		b.t.Fatal(err)
	}
	b.finish(full, mode)
}

func (b *builder) dir(p string, mode os.FileMode) {
	b.t.Helper()
	full := filepath.Join(b.root, filepath.FromSlash(p))
	if err := os.MkdirAll(full, 0o755); err != nil {
		b.t.Fatal(err)
	}
	b.finish(full, mode)
}

// finish sets the mode whatever the umask, and the owner when possible.
func (b *builder) finish(full string, mode os.FileMode) {
	b.t.Helper()
	if err := os.Chmod(full, mode); err != nil {
		b.t.Fatal(err)
	}
	if CanChown() {
		if err := os.Lchown(full, b.owner, b.owner); err != nil {
			b.t.Fatal(err)
		}
	}
}

func (b *builder) link(p, target string) {
	b.t.Helper()
	full := filepath.Join(b.root, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.Symlink(target, full); err != nil {
		b.t.Fatal(err)
	}
}

// process writes /proc/<pid>/cmdline.
func (b *builder) process(pid string, args ...string) {
	b.t.Helper()
	b.file("/proc/"+pid+"/cmdline", 0o444, strings.Join(args, "\x00")+"\x00")
}

// Build writes the named fixture into a new temporary directory and
// returns it.
func Build(t testing.TB, name string) string {
	t.Helper()
	b := &builder{t: t, root: t.TempDir()}
	b.os(name)
	switch name {
	case KubeadmHardened:
		b.kubeadmControlPlane(true)
	case KubeadmWeak:
		b.owner = WeakOwner
		b.kubeadmControlPlane(false)
	case Worker:
		b.worker()
	case K3s:
		b.k3s()
	default:
		t.Fatalf("unknown fixture %q", name)
	}
	return b.root
}

// os writes what any Linux machine has.
func (b *builder) os(name string) {
	b.file("/etc/hostname", 0o644, name+"\n")
	b.file("/etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/bash\netcd:x:998:998::/var/lib/etcd:/usr/sbin/nologin\nubuntu:x:1000:1000::/home/ubuntu:/bin/bash\n")
	b.file("/etc/group", 0o644, "root:x:0:\netcd:x:998:\nubuntu:x:1000:\n")
	b.file("/usr/lib/os-release", 0o644, "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\n")
	// os-release is a relative link on most distributions; an absolute
	// one must resolve inside the root, not on the machine running tests.
	b.link("/etc/os-release", "/usr/lib/os-release")
	b.file("/proc/sys/kernel/osrelease", 0o444, "6.8.0-45-generic\n")
	b.file("/proc/version", 0o444, "Linux version 6.8.0-45-generic (buildd@lcy02) #45-Ubuntu SMP\n")
	b.file("/sys/module/apparmor/parameters/enabled", 0o444, "Y\n")
	hardened := name == KubeadmHardened || name == K3s
	sysctl := map[string]string{
		"net/ipv4/ip_forward": "1", "kernel/keys/root_maxkeys": "1000000", "kernel/keys/root_maxbytes": "25000000",
		"kernel/panic": "10", "kernel/panic_on_oops": "1", "vm/overcommit_memory": "1", "vm/panic_on_oom": "0",
	}
	if !hardened {
		sysctl["kernel/panic"], sysctl["kernel/panic_on_oops"], sysctl["vm/overcommit_memory"] = "0", "0", "0"
	}
	for k, v := range sysctl {
		b.file("/proc/sys/"+k, 0o644, v+"\n")
	}
	header := "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	tcp := header +
		"   0: 00000000:2710 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5001 1 0000000000000000 100 0 0 10 0\n" + // 0.0.0.0:10000 listening
		"   1: 0100007F:0016 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 5002 1 0000000000000000 100 0 0 10 0\n" // established, not listed
	tcp6 := header
	udp := header
	if name != K3s {
		// kubelet's port, held by the kubelet process (pid 100).
		tcp6 += "   0: 00000000000000000000000000000000:280A 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 6001 1 0000000000000000 100 0 0 10 0\n"
		b.link("/proc/100/fd/7", "socket:[6001]")
	}
	if !hardened {
		// the kubelet's read-only port on IPv4
		tcp += "   2: 00000000:27FF 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 6002 1 0000000000000000 100 0 0 10 0\n"
		udp += "   0: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 7001 2 0000000000000000 0\n"
	}
	b.file("/proc/net/tcp", 0o444, tcp)
	b.file("/proc/net/tcp6", 0o444, tcp6)
	b.file("/proc/net/udp", 0o444, udp)
}

func mode(hardened bool, strict, weak os.FileMode) os.FileMode {
	if hardened {
		return strict
	}
	return weak
}

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster: {server: "https://10.0.0.10:6443", certificate-authority-data: Q0EtQ0VSVA==}
users:
- name: user
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: ` + SecretKubeconfig + `
`

func (b *builder) kubeletFiles(hardened bool) {
	b.process("100", "/usr/bin/kubelet",
		"--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
		"--kubeconfig=/etc/kubernetes/kubelet.conf",
		"--config=/var/lib/kubelet/config.yaml",
		"--container-runtime-endpoint=unix:///run/containerd/containerd.sock")
	if hardened {
		b.file("/var/lib/kubelet/config.yaml", 0o600, `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
readOnlyPort: 0
protectKernelDefaults: true
streamingConnectionIdleTimeout: 5m0s
eventRecordQPS: 5
makeIPTablesUtilChains: true
rotateCertificates: true
serverTLSBootstrap: true
podPidsLimit: 4096
seccompDefault: true
tlsCipherSuites:
- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
- TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
- TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
`)
	} else {
		b.file("/var/lib/kubelet/config.yaml", 0o644, `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: true
  webhook:
    enabled: false
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: AlwaysAllow
readOnlyPort: 10255
protectKernelDefaults: false
streamingConnectionIdleTimeout: 0s
eventRecordQPS: 0
makeIPTablesUtilChains: false
rotateCertificates: false
`)
	}
	b.file("/etc/kubernetes/kubelet.conf", mode(hardened, 0o600, 0o644), kubeconfig)
	b.file("/usr/lib/systemd/system/kubelet.service", mode(hardened, 0o600, 0o644),
		"[Unit]\nDescription=kubelet\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\n")
	b.file("/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf", mode(hardened, 0o600, 0o644),
		"[Service]\nEnvironment=\"KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf\"\nEnvironment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS\n")
	b.file("/etc/kubernetes/pki/ca.crt", mode(hardened, 0o600, 0o644), "-----BEGIN CERTIFICATE-----\nQ0EtQ0VSVA==\n-----END CERTIFICATE-----\n")
	b.dir("/etc/kubernetes/pki", mode(hardened, 0o700, 0o755))
}

func staticPod(name string, args ...string) string {
	var sb strings.Builder
	sb.WriteString("apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: kube-system\nspec:\n  hostNetwork: true\n  containers:\n  - name: " + name + "\n    image: registry.k8s.io/" + name + ":v1.33.1\n    command:\n    - " + name + "\n")
	for _, a := range args {
		sb.WriteString("    - " + a + "\n")
	}
	return sb.String()
}

func (b *builder) kubeadmControlPlane(hardened bool) {
	b.kubeletFiles(hardened)
	m := mode(hardened, 0o600, 0o644)
	pki := "/etc/kubernetes/pki/"
	api := []string{
		"--advertise-address=10.0.0.10",
		"--allow-privileged=true",
		"--client-ca-file=" + pki + "ca.crt",
		"--etcd-servers=https://127.0.0.1:2379",
		"--etcd-cafile=" + pki + "etcd/ca.crt",
		"--etcd-certfile=" + pki + "apiserver-etcd-client.crt",
		"--etcd-keyfile=" + pki + "apiserver-etcd-client.key",
		"--kubelet-client-certificate=" + pki + "apiserver-kubelet-client.crt",
		"--kubelet-client-key=" + pki + "apiserver-kubelet-client.key",
		"--secure-port=6443",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + pki + "sa.pub",
		"--service-account-signing-key-file=" + pki + "sa.key",
		"--service-cluster-ip-range=10.96.0.0/12",
		"--tls-cert-file=" + pki + "apiserver.crt",
		"--tls-private-key-file=" + pki + "apiserver.key",
	}
	cm := []string{
		"--kubeconfig=/etc/kubernetes/controller-manager.conf",
		"--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
		"--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
		"--cluster-signing-cert-file=" + pki + "ca.crt",
		"--cluster-signing-key-file=" + pki + "ca.key",
		"--leader-elect=true",
		"--root-ca-file=" + pki + "ca.crt",
		"--service-account-private-key-file=" + pki + "sa.key",
	}
	sched := []string{
		"--kubeconfig=/etc/kubernetes/scheduler.conf",
		"--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
		"--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
		"--leader-elect=true",
	}
	etcd := []string{
		"--advertise-client-urls=https://10.0.0.10:2379",
		"--cert-file=" + pki + "etcd/server.crt",
		"--key-file=" + pki + "etcd/server.key",
		"--data-dir=/var/lib/etcd",
		"--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379",
		"--peer-cert-file=" + pki + "etcd/peer.crt",
		"--peer-key-file=" + pki + "etcd/peer.key",
		"--peer-trusted-ca-file=" + pki + "etcd/ca.crt",
		"--trusted-ca-file=" + pki + "etcd/ca.crt",
	}
	if hardened {
		api = append(api,
			"--anonymous-auth=false",
			"--authorization-mode=Node,RBAC",
			"--enable-admission-plugins=NodeRestriction,AlwaysPullImages,EventRateLimit,DenyServiceExternalIPs",
			"--admission-control-config-file=/etc/kubernetes/admission/config.yaml",
			"--audit-log-path=/var/log/kubernetes/audit/audit.log",
			"--audit-log-maxage=30",
			"--audit-log-maxbackup=10",
			"--audit-log-maxsize=100",
			"--audit-policy-file=/etc/kubernetes/audit/policy.yaml",
			"--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml",
			"--kubelet-certificate-authority="+pki+"ca.crt",
			"--profiling=false",
			"--request-timeout=60s",
			"--service-account-lookup=true",
			"--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
			"--tls-min-version=VersionTLS12",
		)
		cm = append(cm, "--bind-address=127.0.0.1", "--profiling=false", "--terminated-pod-gc-threshold=10",
			"--use-service-account-credentials=true", "--feature-gates=RotateKubeletServerCertificate=true")
		sched = append(sched, "--bind-address=127.0.0.1", "--profiling=false")
		etcd = append(etcd, "--client-cert-auth=true", "--auto-tls=false", "--peer-client-cert-auth=true", "--peer-auto-tls=false")
		b.file("/etc/kubernetes/enc/encryption.yaml", 0o600, `# rotated 2026-01-01; previous key was `+SecretEncryption+`
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: `+SecretEncryption+`
  - identity: {}
`)
		b.file("/etc/kubernetes/audit/policy.yaml", 0o600, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n")
		b.file("/etc/kubernetes/admission/config.yaml", 0o600, "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: []\n")
	} else {
		api = append(api,
			"--anonymous-auth=true",
			"--authorization-mode=AlwaysAllow",
			"--enable-admission-plugins=AlwaysAdmit",
			"--insecure-port=8080",
			"--profiling=true",
			// named but never written: reported as missing
			"--audit-policy-file=/etc/kubernetes/audit/missing-policy.yaml",
		)
		etcd = append(etcd, "--client-cert-auth=false", "--auto-tls=true", "--peer-auto-tls=true")
	}
	b.file("/etc/kubernetes/manifests/kube-apiserver.yaml", m, staticPod("kube-apiserver", api...))
	b.file("/etc/kubernetes/manifests/kube-controller-manager.yaml", m, staticPod("kube-controller-manager", cm...))
	b.file("/etc/kubernetes/manifests/kube-scheduler.yaml", m, staticPod("kube-scheduler", sched...))
	b.file("/etc/kubernetes/manifests/etcd.yaml", m, staticPod("etcd", etcd...))
	b.dir("/etc/kubernetes/manifests", 0o755)
	for _, f := range []string{"admin.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf"} {
		b.file("/etc/kubernetes/"+f, m, kubeconfig)
	}
	for _, f := range []string{"ca", "apiserver", "apiserver-kubelet-client", "apiserver-etcd-client", "front-proxy-ca", "etcd/ca", "etcd/server", "etcd/peer"} {
		if f != "ca" {
			b.file(pki+f+".crt", m, "-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n")
		}
		b.file(pki+f+".key", mode(hardened, 0o600, 0o644), "-----BEGIN PRIVATE KEY-----\n"+SecretKey+"\n-----END PRIVATE KEY-----\n")
	}
	b.file(pki+"sa.key", mode(hardened, 0o600, 0o644), "-----BEGIN PRIVATE KEY-----\n"+SecretKey+"\n-----END PRIVATE KEY-----\n")
	b.file(pki+"sa.pub", m, "-----BEGIN PUBLIC KEY-----\nUFVC\n-----END PUBLIC KEY-----\n")
	b.dir(pki+"etcd", mode(hardened, 0o700, 0o755))
	prev := b.owner
	if hardened {
		b.owner = EtcdOwner
	}
	b.dir("/var/lib/etcd", mode(hardened, 0o700, 0o755))
	b.owner = prev
	b.file("/etc/cni/net.d/10-calico.conflist", m, `{"name": "k8s-pod-network", "cniVersion": "0.3.1", "plugins": [{"type": "calico"}, {"type": "portmap"}]}`)
}

func (b *builder) worker() {
	b.kubeletFiles(true)
	b.dir("/etc/kubernetes/manifests", 0o755)
	// kube-proxy runs in a pod: its --config is a path inside the pod.
	b.process("200", "/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=worker")
	b.file("/etc/cni/net.d/10-flannel.conflist", 0o644, `{"name": "cbr0", "cniVersion": "0.3.1", "plugins": [{"type": "flannel", "delegate": {"hairpinMode": true}}, {"type": "portmap"}]}`)
}

func (b *builder) k3s() {
	b.process("300", "/usr/local/bin/k3s", "server", "--write-kubeconfig-mode=0600")
	b.file("/etc/rancher/k3s/config.yaml", 0o600, `write-kubeconfig-mode: "0600"
kube-apiserver-arg:
  - "anonymous-auth=false"
  - "profiling=false"
  - "audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log"
  - "audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml"
kube-controller-manager-arg:
  - "terminated-pod-gc-threshold=10"
kubelet-arg:
  - "protect-kernel-defaults=true"
  - "streaming-connection-idle-timeout=5m"
`)
	b.file("/etc/rancher/k3s/config.yaml.d/50-hardening.yaml", 0o600, "kube-scheduler-arg:\n  - \"profiling=false\"\n")
	b.file("/var/lib/rancher/k3s/server/audit.yaml", 0o600, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n")
	b.file("/etc/rancher/k3s/k3s.yaml", 0o600, kubeconfig)
	b.file("/var/lib/rancher/k3s/server/cred/controller.kubeconfig", 0o600, kubeconfig)
	b.file("/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig", 0o600, kubeconfig)
	b.file("/var/lib/rancher/k3s/agent/kubelet.kubeconfig", 0o600, kubeconfig)
	b.file("/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig", 0o600, kubeconfig)
	b.file("/var/lib/rancher/k3s/agent/client-ca.crt", 0o600, "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n")
	b.file("/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf", 0o600, `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  x509:
    clientCAFile: /var/lib/rancher/k3s/agent/client-ca.crt
authorization:
  mode: Webhook
`)
	for _, f := range []string{"server-ca", "client-ca", "serving-kube-apiserver"} {
		b.file("/var/lib/rancher/k3s/server/tls/"+f+".crt", 0o600, "-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n")
		b.file("/var/lib/rancher/k3s/server/tls/"+f+".key", 0o600, "-----BEGIN PRIVATE KEY-----\n"+SecretKey+"\n-----END PRIVATE KEY-----\n")
	}
	b.dir("/var/lib/rancher/k3s/server/tls", 0o700)
	b.dir("/var/lib/rancher/k3s/server/db", 0o700)
	b.file("/var/lib/rancher/k3s/agent/etc/cni/net.d/10-flannel.conflist", 0o600, `{"name": "cbr0", "cniVersion": "1.0.0", "plugins": [{"type": "flannel"}, {"type": "portmap"}, {"type": "bandwidth"}]}`)
}
