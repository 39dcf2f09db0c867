package download

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/policy/exception"
)

// An artifacts bundle is one file at a URL, so one --sha256 pins all of it
// and publishing a mirror is `tar czf artifacts.tar.gz -C DIR .`:
//
//   - a gzip-compressed tar archive (.tar.gz, .tgz) of JSON files: Kubescape
//     framework or control files, controls-inputs.json, exceptions.json.
//     Entries may sit in a folder; their base names are used. Files that are
//     not .json, hidden files (such as macOS's ._ copies) and entries that
//     are not regular files are skipped. A path that is absolute or climbs
//     out with ".." makes the whole bundle refused;
//   - or a single JSON policy file, such as one of Kubescape's released
//     framework files (nsa.json), written under its name in the URL.
//
// Either way the result must load as an artifacts directory before any file
// is written.

// ArtifactsResult is what an artifacts download wrote.
type ArtifactsResult struct {
	// URL and SHA256 identify the bundle downloaded (empty for an export).
	URL    string
	SHA256 string
	Files  []File
	// Skipped are archive entries left out, with the reason.
	Skipped []string
	// Warnings come from loading the result (such as "holds no frameworks").
	Warnings []string
}

// Artifacts downloads the bundle at rawURL into dir, creating dir if needed.
// Files of the same name in dir are replaced; other files are kept.
func Artifacts(ctx context.Context, rawURL, dir string, opts Options) (*ArtifactsResult, error) {
	f, err := Fetch(ctx, rawURL, opts)
	if err != nil {
		return nil, err
	}
	res := &ArtifactsResult{URL: rawURL, SHA256: f.SHA256}
	var files map[string][]byte
	if isGzip(f.Data) {
		files, res.Skipped, err = untar(f.Data, opts.maxBytes())
		if err != nil {
			return nil, fmt.Errorf("download %s: %w; nothing was written", rawURL, err)
		}
	} else {
		name, err := jsonName(rawURL, f.Data)
		if err != nil {
			return nil, fmt.Errorf("download %s: %w", rawURL, err)
		}
		files = map[string][]byte{name: f.Data}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("download %s: the bundle holds no .json file; nothing was written", rawURL)
	}
	written, warnings, err := install(dir, files)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", rawURL, err)
	}
	res.Files, res.Warnings = written, warnings
	return res, nil
}

func isGzip(data []byte) bool { return len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b }

// jsonName names a downloaded single JSON file after the URL's last path
// element.
func jsonName(rawURL string, data []byte) (string, error) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return "", errors.New("the answer is neither a .tar.gz bundle nor a JSON file")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	name := path.Base(u.Path)
	if !strings.EqualFold(path.Ext(name), ".json") || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("a JSON file must be served under a name ending in .json (got %q), so it can be stored under it", name)
	}
	return name, nil
}

// untar reads the JSON files of a .tar.gz bundle, refusing unsafe paths and
// bounding the unpacked size as well as the compressed one.
func untar(data []byte, limit int64) (map[string][]byte, []string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("not a gzip archive: %w", err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	from := map[string]string{}
	var skipped []string
	var total int64
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read the archive: %w", err)
		}
		name := strings.TrimPrefix(h.Name, "./")
		clean := path.Clean(name)
		if path.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") {
			return nil, nil, fmt.Errorf("archive entry %q points outside the directory", h.Name)
		}
		if h.Typeflag == tar.TypeDir || clean == "." {
			continue
		}
		base := path.Base(clean)
		switch {
		case h.Typeflag != tar.TypeReg:
			skipped = append(skipped, h.Name+": not a regular file")
			continue
		case strings.HasPrefix(base, "."):
			skipped = append(skipped, h.Name+": hidden file")
			continue
		case !strings.EqualFold(path.Ext(base), ".json"):
			skipped = append(skipped, h.Name+": not a .json file")
			continue
		}
		if prev, dup := from[base]; dup {
			return nil, nil, fmt.Errorf("archive entries %q and %q would both be written as %s", prev, h.Name, base)
		}
		if h.Size > limit-total {
			return nil, nil, fmt.Errorf("the unpacked bundle is more than the limit of %d bytes (--max-size)", limit)
		}
		b, err := io.ReadAll(io.LimitReader(tr, h.Size))
		if err != nil {
			return nil, nil, fmt.Errorf("read archive entry %s: %w", h.Name, err)
		}
		total += int64(len(b))
		files[base], from[base] = b, h.Name
	}
	return files, skipped, nil
}

// install stages files in a temporary directory inside dir, checks that
// they load as an artifacts directory, then renames them into dir. Nothing
// in dir changes unless every file is valid.
func install(dir string, files map[string][]byte) ([]File, []string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("create directory %s: %w", dir, err)
	}
	// Staging inside dir keeps the renames on one file system; the loader
	// reads only files, so the folder cannot be mistaken for artifacts.
	stage, err := os.MkdirTemp(dir, ".vigil-download-*")
	if err != nil {
		return nil, nil, fmt.Errorf("write to %s: %w", dir, err)
	}
	defer os.RemoveAll(stage)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(stage, n), files[n], 0o644); err != nil {
			return nil, nil, fmt.Errorf("write to %s: %w", dir, err)
		}
	}
	a, err := policy.LoadArtifactsDir(stage)
	if err != nil {
		return nil, nil, fmt.Errorf("%s; nothing was written", unstage(err, stage, dir))
	}
	if a.ExceptionsPath != "" {
		if _, err := exception.Parse(files[policy.ExceptionsFile], time.Time{}); err != nil {
			return nil, nil, fmt.Errorf("%s: %w; nothing was written", policy.ExceptionsFile, err)
		}
	}
	var warnings []string
	for _, w := range a.Warnings {
		warnings = append(warnings, unstage(errors.New(w), stage, dir).Error())
	}
	var out []File
	for _, n := range names {
		dst := filepath.Join(dir, n)
		if err := os.Rename(filepath.Join(stage, n), dst); err != nil {
			return out, warnings, fmt.Errorf("write %s: %w", dst, err)
		}
		out = append(out, File{Path: dst, SHA256: Digest(files[n]), Size: int64(len(files[n]))})
	}
	return out, warnings, nil
}

// unstage names files by their base name in messages, and the directory by
// the user's name for it, not by the staging directory, which is gone by
// the time the user reads them.
func unstage(err error, stage, dir string) error {
	msg := strings.ReplaceAll(err.Error(), stage+string(filepath.Separator), "")
	return errors.New(strings.ReplaceAll(msg, stage, dir))
}
