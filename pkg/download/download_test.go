package download

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilsec/vigil/pkg/policy"
)

const framework = `{"name": "Mine", "controls": [{"controlID": "C-0041", "name": "Host network", "baseScore": 7,
  "rules": [{"name": "host-network", "match": [{"apiGroups": [""], "apiVersions": ["v1"], "resources": ["Pod"]}],
  "rule": "package armo_builtins\ndeny contains {\"alertObject\": {\"k8sApiObjects\": [p]}} if { some p in input; p.spec.hostNetwork }"}]}]}`

type entry struct {
	name, body string
	typ        byte
}

func tarGz(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: typ}
		if typ != tar.TypeReg {
			h.Size = 0
			h.Linkname = "/etc/passwd"
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			tw.Write([]byte(e.body))
		}
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// server serves fixed bodies by path, plus /slow (answers after the
// client gave up) and /chunked/ (no Content-Length).
func server(t *testing.T, files map[string][]byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		case strings.HasPrefix(r.URL.Path, "/chunked/"):
			body, ok := files[strings.TrimPrefix(r.URL.Path, "/chunked")]
			if !ok {
				http.NotFound(w, r)
				return
			}
			// Flushing before the body forces chunked encoding: the
			// size limit must hold without a Content-Length.
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			w.Write(body)
			return
		}
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetch(t *testing.T) {
	body := []byte(`{"k": ["v"]}`)
	srv := server(t, map[string][]byte{"/inputs.json": body, "/big.json": bytes.Repeat([]byte("x"), 2048)})
	cases := []struct {
		name    string
		path    string
		opts    Options
		wantErr string
	}{
		{"success", "/inputs.json", Options{}, ""},
		{"checksum", "/inputs.json", Options{SHA256: "sha256:" + strings.ToUpper(Digest(body))}, ""},
		{"checksum mismatch", "/inputs.json", Options{SHA256: Digest([]byte("other"))}, "SHA-256 is " + Digest(body)},
		{"malformed checksum", "/inputs.json", Options{SHA256: "abc"}, "not a SHA-256 digest"},
		{"not found", "/missing.json", Options{}, "404 Not Found"},
		{"timeout", "/slow", Options{Timeout: 100 * time.Millisecond}, "no complete answer within 100ms (--timeout)"},
		{"oversize by Content-Length", "/big.json", Options{MaxBytes: 1024}, "2048 bytes is more than the limit of 1024 bytes"},
		{"oversize while reading", "/chunked/big.json", Options{MaxBytes: 1024}, "more than the limit of 1024 bytes"},
		{"exactly the limit", "/chunked/big.json", Options{MaxBytes: 2048}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Fetch(context.Background(), srv.URL+tc.path, tc.opts)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if f.SHA256 != Digest(f.Data) || len(f.Data) == 0 {
					t.Errorf("fetched %+v", f)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
	if _, err := Fetch(context.Background(), "file:///etc/passwd", Options{}); err == nil || !strings.Contains(err.Error(), "only http and https") {
		t.Errorf("file URL: %v", err)
	}
}

func TestSingle(t *testing.T) {
	good := []byte(`{"k": ["v"]}`)
	srv := server(t, map[string][]byte{"/good.json": good, "/bad.json": []byte(`{"k": {"nested": 1}}`)})
	check := func(b []byte) error { _, err := policy.ParseInputs(b); return err }
	dir := t.TempDir()
	out := filepath.Join(dir, "sub", "controls-inputs.json")

	f, err := Single(context.Background(), srv.URL+"/good.json", out, check, Options{SHA256: Digest(good)})
	if err != nil {
		t.Fatal(err)
	}
	if f.Path != out || f.SHA256 != Digest(good) || f.Size != int64(len(good)) {
		t.Errorf("file %+v", f)
	}
	for _, tc := range []struct{ name, path, sha, wantErr string }{
		{"invalid content", "/bad.json", "", "is an object"},
		{"checksum mismatch", "/good.json", Digest([]byte("x")), "SHA-256 is"},
		{"not found", "/nope.json", "", "404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Single(context.Background(), srv.URL+tc.path, out, check, Options{SHA256: tc.sha})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			// The earlier file stays as it was, and no temporary file is left.
			if b, _ := os.ReadFile(out); !bytes.Equal(b, good) {
				t.Errorf("file changed to %q", b)
			}
			if names := dirNames(t, filepath.Dir(out)); !slices.Equal(names, []string{"controls-inputs.json"}) {
				t.Errorf("directory holds %v", names)
			}
		})
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestArtifacts(t *testing.T) {
	inputs := `{"allowedNamespaces": ["kube-system"]}`
	exceptions := `[{"name": "e", "resources": [{"attributes": {"name": "x"}}]}]`
	bundle := tarGz(t,
		entry{name: "artifacts/", typ: tar.TypeDir},
		entry{name: "./artifacts/mine.json", body: framework},
		entry{name: "artifacts/controls-inputs.json", body: inputs},
		entry{name: "artifacts/exceptions.json", body: exceptions},
		entry{name: "artifacts/README.md", body: "docs"},
		entry{name: "artifacts/._mine.json", body: "\x00\x05binary"},
		entry{name: "artifacts/link.json", typ: tar.TypeSymlink},
	)
	srv := server(t, map[string][]byte{
		"/bundle.tar.gz":     bundle,
		"/releases/nsa.json": []byte(framework),
		"/escape.tgz":        tarGz(t, entry{name: "../evil.json", body: framework}),
		"/absolute.tgz":      tarGz(t, entry{name: "/tmp/evil.json", body: framework}),
		"/dup.tgz":           tarGz(t, entry{name: "a/x.json", body: framework}, entry{name: "b/x.json", body: framework}),
		"/broken.tgz":        tarGz(t, entry{name: "mine.json", body: `{"name": "Mine", "controls": [{"name": "no id"}]}`}),
		"/badexc.tgz":        tarGz(t, entry{name: "mine.json", body: framework}, entry{name: "exceptions.json", body: `[{"name": "e", "resources": []}]`}),
		"/empty.tgz":         tarGz(t, entry{name: "README.md", body: "x"}),
		"/bomb.tgz":          tarGz(t, entry{name: "big.json", body: "[" + strings.Repeat(" ", 4096) + "]"}),
		"/page.html":         []byte("<html></html>"),
		"/api/frameworks":    []byte(framework),
	})

	t.Run("bundle", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "artifacts")
		res, err := Artifacts(context.Background(), srv.URL+"/bundle.tar.gz", dir, Options{SHA256: Digest(bundle)})
		if err != nil {
			t.Fatal(err)
		}
		if res.SHA256 != Digest(bundle) || len(res.Files) != 3 || len(res.Skipped) != 3 {
			t.Errorf("result %+v", res)
		}
		for _, f := range res.Files {
			b, _ := os.ReadFile(f.Path)
			if Digest(b) != f.SHA256 {
				t.Errorf("%s: digest printed %s, file has %s", f.Path, f.SHA256, Digest(b))
			}
		}
		if names := dirNames(t, dir); !slices.Equal(names, []string{"controls-inputs.json", "exceptions.json", "mine.json"}) {
			t.Errorf("directory holds %v", names)
		}
		a, err := policy.LoadArtifactsDir(dir)
		if err != nil || len(a.Frameworks) != 1 || a.Inputs["allowedNamespaces"][0] != "kube-system" || a.ExceptionsPath == "" {
			t.Errorf("the result does not load as artifacts: %v %+v", err, a)
		}
	})

	t.Run("single JSON file", func(t *testing.T) {
		dir := t.TempDir()
		res, err := Artifacts(context.Background(), srv.URL+"/releases/nsa.json", dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Files) != 1 || filepath.Base(res.Files[0].Path) != "nsa.json" {
			t.Errorf("files %+v", res.Files)
		}
	})

	refused := []struct{ name, path, wantErr string }{
		{"path climbing out", "/escape.tgz", `"../evil.json" points outside`},
		{"absolute path", "/absolute.tgz", `"/tmp/evil.json" points outside`},
		{"two entries with one name", "/dup.tgz", "would both be written as x.json"},
		{"invalid framework", "/broken.tgz", "mine.json: control \"no id\" has no controlID"},
		{"invalid exceptions", "/badexc.tgz", "exceptions.json: exception 1"},
		{"no JSON in the bundle", "/empty.tgz", "holds no .json file"},
		{"unpacked size over the limit", "/bomb.tgz", "unpacked bundle is more than the limit"},
		{"not JSON nor a bundle", "/page.html", "neither a .tar.gz bundle nor a JSON file"},
		{"JSON without a file name", "/api/frameworks", "name ending in .json"},
		{"not found", "/missing.tgz", "404"},
		{"checksum mismatch", "/bundle.tar.gz", "SHA-256 is"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "mine.json"), []byte(framework), 0o644)
			opts := Options{MaxBytes: 2048}
			if tc.name == "checksum mismatch" {
				opts = Options{SHA256: Digest([]byte("x"))}
			}
			_, err := Artifacts(context.Background(), srv.URL+tc.path, dir, opts)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"mine.json"}) {
				t.Errorf("a refused download changed the directory: %v", names)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "mine.json")); string(b) != framework {
				t.Error("a refused download replaced a file")
			}
		})
	}
}

func TestExport(t *testing.T) {
	fws, err := policy.ParseKubescape([]byte(framework), "mine.json")
	if err != nil {
		t.Fatal(err)
	}
	fws[0].Name = "My Framework"
	rule := fws[0].Controls[0].Rules[0]
	rule.ScopeKinds = []string{"Pod", "Deployment"}
	rule.PerObject = true
	dir := t.TempDir()
	res, err := Export(dir, fws, policy.Inputs{"allowedNamespaces": {"kube-system"}, "empty": nil})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 2 || len(res.Warnings) != 0 {
		t.Errorf("result %+v", res)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"controls-inputs.json", "my-framework.json"}) {
		t.Errorf("directory holds %v", names)
	}
	if rule.ResourceEnumerator != "" {
		t.Error("export changed the loaded rule")
	}
	a, err := policy.LoadArtifactsDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Frameworks) != 1 || a.Frameworks[0].Name != "My Framework" || a.Inputs["allowedNamespaces"][0] != "kube-system" {
		t.Fatalf("loaded back: %+v", a)
	}
	enum := a.Frameworks[0].Controls[0].Rules[0].ResourceEnumerator
	if !strings.Contains(enum, `obj.kind in {"Deployment", "Pod"}`) {
		t.Errorf("scopeKinds should become a resource enumerator:\n%s", enum)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "my-framework.json"))
	if bytes.Contains(b, []byte(`\u003c`)) || !bytes.Contains(b, []byte(`"controlID": "C-0041"`)) {
		t.Errorf("framework JSON:\n%s", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "controls-inputs.json")); !bytes.Contains(b, []byte(`"empty": []`)) {
		t.Errorf("empty inputs are written as lists:\n%s", b)
	}
	if _, err := Export(dir, append(fws, fws[0]), nil); err == nil || !strings.Contains(err.Error(), "the name is taken") {
		t.Errorf("two frameworks with one file name: %v", err)
	}
}
