// Package k8stest starts a real Kubernetes API server (with etcd) on
// loopback for integration tests: a throwaway PKI, free ports, a kubeconfig
// with an administrator, an unprivileged user and a namespace-restricted
// user. The binaries are built from the Go module proxy by
// test/k8s/build.sh; see test/k8s/README.md.
package k8stest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// Users in the kubeconfig contexts of the same names.
const (
	// Admin is in system:masters.
	Admin = "admin"
	// Alice has no rights at all.
	Alice = "alice"
	// Bob is in the group "team-a-viewers"; tests grant that group what
	// they need (e.g. read access in one namespace).
	Bob = "bob"
)

// Cluster is a running API server.
type Cluster struct {
	// Dir holds the PKI, logs, data and kubeconfig.
	Dir string
	// Kubeconfig has contexts admin (current), alice and bob.
	Kubeconfig string
	// URL is the API server's address.
	URL   string
	procs []*exec.Cmd
}

// ErrNoBinaries is returned when the API server binaries are not built.
var ErrNoBinaries = errors.New("kube-apiserver and etcd are not built: run test/k8s/build.sh (or set VIGIL_K8S_BIN)")

// BinDir finds kube-apiserver and etcd: $VIGIL_K8S_BIN, else test/k8s/.bin
// of this repository.
func BinDir() (string, error) {
	dir := os.Getenv("VIGIL_K8S_BIN")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", ".bin")
	}
	for _, b := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(dir, b)); err != nil {
			return "", ErrNoBinaries
		}
	}
	return dir, nil
}

// Start generates a PKI in dir, starts etcd and kube-apiserver on free
// loopback ports and waits until the API server is ready.
func Start(ctx context.Context, dir string) (*Cluster, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	pki := filepath.Join(dir, "pki")
	if err := writePKI(pki); err != nil {
		return nil, fmt.Errorf("pki: %w", err)
	}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", ports[1])
	c := &Cluster{Dir: dir, URL: fmt.Sprintf("https://127.0.0.1:%d", ports[2])}
	if err := c.spawn(filepath.Join(bin, "etcd"), "etcd.log",
		"--name", "vigil", "--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", etcdURL, "--advertise-client-urls", etcdURL,
		"--listen-peer-urls", peerURL, "--initial-advertise-peer-urls", peerURL,
		"--initial-cluster", "vigil="+peerURL, "--listen-metrics-urls", "",
		"--unsafe-no-fsync"); err != nil {
		return nil, err
	}
	if err := waitHTTP(ctx, etcdURL+"/health", nil); err != nil {
		c.Stop()
		return nil, fmt.Errorf("etcd did not start (see %s): %w", filepath.Join(dir, "etcd.log"), err)
	}
	p := func(name string) string { return filepath.Join(pki, name) }
	if err := c.spawn(filepath.Join(bin, "kube-apiserver"), "apiserver.log",
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", ports[2]),
		"--etcd-servers="+etcdURL,
		"--tls-cert-file="+p("apiserver.crt"), "--tls-private-key-file="+p("apiserver.key"),
		"--client-ca-file="+p("ca.crt"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+p("sa.pub"), "--service-account-signing-key-file="+p("sa.key"),
		"--service-cluster-ip-range=10.96.0.0/16", "--authorization-mode=RBAC", "--allow-privileged=true",
		"--endpoint-reconciler-type=none", "--cert-dir="+filepath.Join(dir, "apiserver-certs"),
		// Without a controller manager nothing creates default service
		// accounts; tests create the ones they need.
		"--disable-admission-plugins=ServiceAccount"); err != nil {
		c.Stop()
		return nil, err
	}
	tlsCfg, err := adminTLS(pki)
	if err != nil {
		c.Stop()
		return nil, err
	}
	if err := waitHTTP(ctx, c.URL+"/readyz", tlsCfg); err != nil {
		c.Stop()
		return nil, fmt.Errorf("kube-apiserver did not become ready (see %s): %w", filepath.Join(dir, "apiserver.log"), err)
	}
	c.Kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := writeKubeconfig(c.Kubeconfig, c.URL, pki); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) spawn(bin, log string, args ...string) error {
	f, err := os.Create(filepath.Join(c.Dir, log))
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	// Its own process group, so Stop ends it and nothing it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", filepath.Base(bin), err)
	}
	c.procs = append(c.procs, cmd)
	return nil
}

// Stop ends the API server and etcd.
func (c *Cluster) Stop() {
	for i := len(c.procs) - 1; i >= 0; i-- {
		p := c.procs[i]
		_ = syscall.Kill(-p.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = p.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-p.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	c.procs = nil
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func waitHTTP(ctx context.Context, url string, tlsCfg *tls.Config) error {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsCfg}}
	deadline := time.Now().Add(60 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return err
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("%s answered %s", url, resp.Status)
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	return last
}

func adminTLS(pki string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(filepath.Join(pki, "admin.crt"), filepath.Join(pki, "admin.key"))
	if err != nil {
		return nil, err
	}
	ca, err := os.ReadFile(filepath.Join(pki, "ca.crt"))
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	return &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool}, nil
}

// writeKubeconfig writes contexts admin, alice and bob, with certificates
// embedded so the file stands alone.
func writeKubeconfig(path, url, pki string) error {
	read := func(name string) (string, error) {
		b, err := os.ReadFile(filepath.Join(pki, name))
		return b64(b), err
	}
	ca, err := read("ca.crt")
	if err != nil {
		return err
	}
	var users, contexts strings.Builder
	for _, u := range []string{Admin, Alice, Bob} {
		crt, err := read(u + ".crt")
		if err != nil {
			return err
		}
		key, err := read(u + ".key")
		if err != nil {
			return err
		}
		fmt.Fprintf(&users, "- name: %s\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n", u, crt, key)
		fmt.Fprintf(&contexts, "- name: %s\n  context:\n    cluster: vigil-test\n    user: %s\n", u, u)
	}
	doc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: vigil-test
  cluster:
    server: %s
    certificate-authority-data: %s
users:
%scontexts:
%scurrent-context: admin
`, url, ca, users.String(), contexts.String())
	return os.WriteFile(path, []byte(doc), 0o600)
}
