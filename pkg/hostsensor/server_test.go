package hostsensor

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "0123456789abcdef0123"

func testHandler(t *testing.T, calls *int) *Handler {
	t.Helper()
	h, err := NewHandler(func(context.Context) (*Collection, error) {
		*calls++
		return &Collection{Node: "node-1", Layout: "kubeadm", Objects: []map[string]any{{"kind": "KubeletInfo"}}}, nil
	}, testToken, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHandler(t *testing.T) {
	calls := 0
	h := testHandler(t, &calls)
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	h.now = func() time.Time { return now }
	do := func(method, path, token string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, nil)
		if token != "" {
			r.Header.Set(TokenHeader, token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for _, tc := range []struct {
		name, method, path, token string
		code                      int
	}{
		{"health needs no token", "GET", "/healthz", "", 200},
		{"no token", "GET", Path, "", 401},
		{"wrong token", "GET", Path, testToken + "x", 401},
		{"prefix of the token", "GET", Path, testToken[:10], 401},
		{"not GET", "POST", Path, testToken, 405},
		{"unknown path", "GET", "/v1/other", testToken, 404},
	} {
		if w := do(tc.method, tc.path, tc.token); w.Code != tc.code {
			t.Errorf("%s: HTTP %d, want %d", tc.name, w.Code, tc.code)
		}
	}
	if calls != 0 {
		t.Fatalf("collected %d times for refused requests", calls)
	}
	w := do("GET", Path, testToken)
	if w.Code != 200 {
		t.Fatalf("HTTP %d: %s", w.Code, w.Body)
	}
	var col Collection
	if err := json.Unmarshal(w.Body.Bytes(), &col); err != nil {
		t.Fatal(err)
	}
	if col.Node != "node-1" || len(col.Objects) != 1 || !col.CollectedAt.Equal(now) {
		t.Errorf("collection: %+v", col)
	}
	do("GET", Path, testToken)
	if calls != 1 {
		t.Errorf("collected %d times within the TTL, want 1", calls)
	}
	now = now.Add(2 * time.Minute)
	do("GET", Path, testToken)
	if calls != 2 {
		t.Errorf("collected %d times after the TTL, want 2", calls)
	}
}

func TestShortToken(t *testing.T) {
	if _, err := NewHandler(nil, "short", time.Minute); err == nil {
		t.Error("a short token was accepted")
	}
}

func TestServeTLS(t *testing.T) {
	calls := 0
	tlsCfg, err := SelfSignedTLS("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, "127.0.0.1:0", testHandler(t, &calls), tlsCfg, func(a net.Addr) { addr <- a })
	}()
	a := <-addr
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, Timeout: 10 * time.Second}
	req, _ := http.NewRequest("GET", "https://"+a.String()+Path, nil)
	req.Header.Set(TokenHeader, testToken)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"node":"node-1"`) {
		t.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
	if resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Error("not served over TLS 1.2+")
	}
	// Plain HTTP is refused.
	if resp, err := http.Get("http://" + a.String() + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("answered over plain HTTP")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

// TestStuckCollection: requests waiting on a collection that does not
// end give up with their own deadlines, and share one collection.
func TestStuckCollection(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	calls := 0
	h, err := NewHandler(func(ctx context.Context) (*Collection, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		<-release
		return &Collection{Node: "n"}, nil
	}, testToken, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	get := func(timeout time.Duration) *httptest.ResponseRecorder {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		r := httptest.NewRequest("GET", Path, nil).WithContext(ctx)
		r.Header.Set(TokenHeader, testToken)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if w := get(50 * time.Millisecond); w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "still running") {
				t.Errorf("a request on a stuck collection: HTTP %d %s", w.Code, w.Body)
			}
		})
	}
	wg.Wait()
	close(release)
	if w := get(5 * time.Second); w.Code != 200 || !strings.Contains(w.Body.String(), `"node":"n"`) {
		t.Errorf("after the collection ended: HTTP %d %s", w.Code, w.Body)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 1 {
		t.Errorf("%d collections ran, want 1 shared by every request", calls)
	}
}
