// Package hostsensor carries host objects from nodes to cluster scans.
// `vigil host serve` runs on every node (a DaemonSet, see deploy/) and
// answers, over HTTPS and only to a caller holding the shared token, with
// what pkg/source/host collects there; a cluster scan with --host-scan
// fetches each node's answer through the API server's pod proxy, so the
// scanner needs no network path to the nodes, only API permissions.
package hostsensor

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"
)

// The protocol and the defaults the deploy/ manifests use.
const (
	// Path is where a sensor serves its collection.
	Path = "/v1/collection"
	// TokenHeader carries the shared token. Not Authorization: the API
	// server's proxy would take that header as the caller's own
	// credentials.
	TokenHeader = "X-Vigil-Sensor-Token"
	// DefaultPort is the sensor's HTTPS port.
	DefaultPort = 7888
	// DefaultNamespace, DefaultSelector and DefaultSecret locate the
	// sensor pods and the Secret holding the token (key "token").
	DefaultNamespace = "vigil"
	DefaultSelector  = "app.kubernetes.io/name=vigil-host-sensor"
	DefaultSecret    = "vigil-host-sensor"
	// MinTokenLength refuses guessable tokens.
	MinTokenLength = 16
)

// Collection is one node's answer.
type Collection struct {
	Node   string `json:"node"`
	Layout string `json:"layout,omitempty"`
	// Objects are host objects (docs/HOST-OBJECTS.md).
	Objects     []map[string]any `json:"objects"`
	Notes       []string         `json:"notes,omitempty"`
	CollectedAt time.Time        `json:"collectedAt"`
}

// CollectFunc reads the node.
type CollectFunc func(ctx context.Context) (*Collection, error)

// Handler serves a node's collection to callers with the token, collecting
// at most once per TTL however often it is asked: a scan of a large
// cluster must not make every node walk /proc repeatedly. At most one
// collection runs at a time, and a caller waits for it only as long as
// its own request lasts: a collection stuck on a hung process's /proc
// entry makes requests time out, not pile up.
type Handler struct {
	collect CollectFunc
	token   []byte
	ttl     time.Duration
	now     func() time.Time

	mu      sync.Mutex
	cached  []byte
	at      time.Time
	running *collection
}

// collection is one run of the collector and its outcome, set before done
// is closed.
type collection struct {
	done chan struct{}
	body []byte
	err  error
}

// collectTimeout bounds one collection; what the collector cannot cancel
// (a blocked read) still ends the callers' wait with their own deadlines.
const collectTimeout = 2 * time.Minute

// NewHandler makes the sensor's HTTP handler.
func NewHandler(collect CollectFunc, token string, ttl time.Duration) (*Handler, error) {
	if len(token) < MinTokenLength {
		return nil, fmt.Errorf("the sensor token must be at least %d characters", MinTokenLength)
	}
	return &Handler{collect: collect, token: []byte(token), ttl: ttl, now: time.Now}, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz":
		// For the DaemonSet's probes, which hold no token.
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("ok\n"))
		return
	case Path:
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(TokenHeader)), h.token) != 1 {
		http.Error(w, "missing or wrong "+TokenHeader, http.StatusUnauthorized)
		return
	}
	body, err := h.body(r.Context())
	if err != nil {
		http.Error(w, "collect: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// body returns the cached collection, or waits for a fresh one once the
// cache is older than the TTL, starting it unless one is running.
func (h *Handler) body(ctx context.Context) ([]byte, error) {
	h.mu.Lock()
	if h.cached != nil && h.now().Sub(h.at) < h.ttl {
		b := h.cached
		h.mu.Unlock()
		return b, nil
	}
	run := h.running
	if run == nil {
		run = &collection{done: make(chan struct{})}
		h.running = run
		go h.run(run)
	}
	h.mu.Unlock()
	select {
	case <-run.done:
		return run.body, run.err
	case <-ctx.Done():
		return nil, fmt.Errorf("the collection is still running: %w", ctx.Err())
	}
}

// run collects on its own context, not a request's: a caller that gives
// up must not cancel the collection the next caller will use.
func (h *Handler) run(c *collection) {
	ctx, cancel := context.WithTimeout(context.Background(), collectTimeout)
	defer cancel()
	col, err := h.collect(ctx)
	if err == nil {
		col.CollectedAt = h.now().UTC()
		c.body, err = json.Marshal(col)
	}
	c.err = err
	h.mu.Lock()
	if err == nil {
		h.cached, h.at = c.body, h.now()
	}
	h.running = nil
	h.mu.Unlock()
	close(c.done)
}

// SelfSignedTLS makes a server certificate for the sensor. Nobody verifies
// it: the API server's pod proxy does not check pod certificates, and the
// token, not the certificate, is what authenticates the caller. TLS keeps
// the host data private on the node network.
func SelfSignedTLS(host string) (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "vigil-host-sensor"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"vigil-host-sensor"},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else if host != "" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
	}, nil
}

// Serve serves h over TLS on addr until ctx ends, then shuts down,
// letting requests in flight finish for a few seconds. ready, when not
// nil, is told the address actually listened on (for ":0").
func Serve(ctx context.Context, addr string, h http.Handler, tlsCfg *tls.Config, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	if ready != nil {
		ready(ln.Addr())
	}
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return err
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
