// Package download fetches policy artifacts over HTTP(S) and writes them
// where Vigil's loaders read them: a Kubescape artifacts directory
// (--use-artifacts-from), an exceptions file or a control-inputs file. It
// also exports the embedded library as such a directory.
//
// Vigil is offline first: nothing here runs unless the user asks for a
// download with a URL. Every fetch is bounded in time and size, every file
// is checked before it replaces anything, and files are written through a
// temporary file and a rename, so a failed download leaves nothing behind.
package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultMaxBytes bounds one download. Kubescape's largest published
// artifact (allcontrols.json) is a few MiB.
const DefaultMaxBytes = 64 << 20

// Options bound and check a download.
type Options struct {
	// Timeout bounds the whole download, every request included (none when 0).
	Timeout time.Duration
	// MaxBytes bounds each response body and, for bundles, the unpacked
	// size (DefaultMaxBytes when 0).
	MaxBytes int64
	// SHA256, when set, is the hex digest the downloaded bytes must have.
	SHA256 string
	// Client makes the requests (http.DefaultClient when nil).
	Client *http.Client
	// UserAgent is sent with every request.
	UserAgent string
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// File is a file written, with its SHA-256.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Fetched is a downloaded body.
type Fetched struct {
	URL    string
	Data   []byte
	SHA256 string
}

// Fetch downloads rawURL within the options' time and size limits and
// checks its digest when one is given.
func Fetch(ctx context.Context, rawURL string, opts Options) (*Fetched, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("--from %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("--from %q: only http and https URLs can be downloaded", rawURL)
	}
	want, err := normalizeDigest(opts.SHA256)
	if err != nil {
		return nil, err
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", rawURL, err)
	}
	if opts.UserAgent != "" {
		req.Header.Set("User-Agent", opts.UserAgent)
	}
	client := opts.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchError(rawURL, err, opts.Timeout)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: the server answered %s", rawURL, resp.Status)
	}
	limit := opts.maxBytes()
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("download %s: %d bytes is more than the limit of %d bytes (--max-size)", rawURL, resp.ContentLength, limit)
	}
	// Read one byte past the limit to tell "exactly the limit" from "more".
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fetchError(rawURL, err, opts.Timeout)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("download %s: the body is more than the limit of %d bytes (--max-size)", rawURL, limit)
	}
	sum := Digest(data)
	if want != "" && sum != want {
		return nil, fmt.Errorf("download %s: SHA-256 is %s, want %s: the file is not the one expected, nothing was written", rawURL, sum, want)
	}
	return &Fetched{URL: rawURL, Data: data, SHA256: sum}, nil
}

func fetchError(rawURL string, err error, timeout time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) && timeout > 0 {
		return fmt.Errorf("download %s: no complete answer within %s (--timeout)", rawURL, timeout)
	}
	return fmt.Errorf("download %s: %w", rawURL, err)
}

// Digest is the hex SHA-256 of data.
func Digest(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// normalizeDigest accepts "HEX" or "sha256:HEX", in either case.
func normalizeDigest(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "sha256:")
	if s == "" {
		return "", nil
	}
	if b, err := hex.DecodeString(s); err != nil || len(b) != sha256.Size {
		return "", fmt.Errorf("--sha256 %q is not a SHA-256 digest (64 hexadecimal characters)", s)
	}
	return s, nil
}

// WriteFile writes data to path through a temporary file in the same
// directory and a rename, so readers see the old file or the new one,
// never a part.
func WriteFile(path string, data []byte) (File, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return File{}, fmt.Errorf("create directory %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".vigil-download-*")
	if err != nil {
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	return File{Path: path, SHA256: Digest(data), Size: int64(len(data))}, nil
}

// Single downloads one file to path. check validates the content (it must
// parse as what the file is meant to be) before anything is written.
func Single(ctx context.Context, rawURL, path string, check func([]byte) error, opts Options) (File, error) {
	f, err := Fetch(ctx, rawURL, opts)
	if err != nil {
		return File{}, err
	}
	if check != nil {
		if err := check(f.Data); err != nil {
			return File{}, fmt.Errorf("download %s: %w; nothing was written", rawURL, err)
		}
	}
	return WriteFile(path, f.Data)
}
