// Package file is the source for manifests on disk and on stdin: files,
// directories (recursive), glob patterns and "-".
package file

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/source"
)

// DefaultMaxFileSize is the largest file read unless the user says otherwise.
const DefaultMaxFileSize = 32 << 20

// Source reads manifests from paths.
type Source struct {
	// Paths are files, directories, glob patterns or "-" for stdin.
	Paths []string
	// MaxFileSize refuses larger files (0 means DefaultMaxFileSize).
	MaxFileSize int64
	// Stdin is read for "-" (os.Stdin when nil).
	Stdin io.Reader
	// Workers bounds parallel parsing (GOMAXPROCS when 0).
	Workers int
}

// manifestExt reports whether a file found in a directory walk is a manifest.
func manifestExt(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

type input struct {
	path string
	// explicit inputs were named by the user; their extension is not checked.
	explicit bool
}

// Load expands the paths and parses every manifest in parallel. Files that
// cannot be read or parsed become input errors; the rest is still loaded.
// Load itself fails only when the context is cancelled.
func (s *Source) Load(ctx context.Context) (*source.Inventory, error) {
	inv := &source.Inventory{Target: source.TargetFile, Roots: s.Paths}
	var inputs []input
	seen := map[string]bool{}
	add := func(in input) {
		if !seen[in.path] {
			seen[in.path] = true
			inputs = append(inputs, in)
		}
	}
	for _, p := range s.Paths {
		switch {
		case p == "-":
			add(input{path: "-", explicit: true})
		case hasGlob(p):
			matches, err := Glob(p)
			if err != nil {
				inv.Errors = append(inv.Errors, source.InputError{Path: p, Reason: err.Error()})
				continue
			}
			if len(matches) == 0 {
				inv.Errors = append(inv.Errors, source.InputError{Path: p, Reason: "pattern matches no files"})
			}
			for _, m := range matches {
				add(input{path: m})
			}
		default:
			st, err := os.Stat(p)
			if err != nil {
				inv.Errors = append(inv.Errors, source.InputError{Path: p, Reason: describe(err)})
				continue
			}
			if !st.IsDir() {
				add(input{path: p, explicit: true})
				continue
			}
			files, errs := walk(p)
			inv.Errors = append(inv.Errors, errs...)
			for _, f := range files {
				add(input{path: f})
			}
		}
	}
	results := s.parseAll(ctx, inputs)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, r := range results {
		inv.Inputs = append(inv.Inputs, inputs[i].path)
		if r.err != nil {
			inv.Errors = append(inv.Errors, *r.err)
			continue
		}
		inv.Objects = append(inv.Objects, r.res.Objects...)
		for _, e := range r.res.Errors {
			inv.Errors = append(inv.Errors, source.InputError{Path: e.Path, Line: e.Line, Reason: e.Reason})
		}
		for _, n := range r.res.Notes {
			inv.Notes = append(inv.Notes, source.Note{Path: n.Path, Line: n.Line, Message: n.Message})
		}
	}
	return inv, nil
}

type parsed struct {
	res *manifest.Result
	err *source.InputError
}

func (s *Source) parseAll(ctx context.Context, inputs []input) []parsed {
	out := make([]parsed, len(inputs))
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(inputs), 1)) {
		wg.Go(func() {
			for i := range jobs {
				out[i] = s.parse(inputs[i])
			}
		})
	}
	for i := range inputs {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}

func (s *Source) parse(in input) parsed {
	limit := s.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	var (
		data []byte
		err  error
		kind = "file"
		name = in.path
	)
	if in.path == "-" {
		kind, name = "stdin", "<stdin>"
		r := s.Stdin
		if r == nil {
			r = os.Stdin
		}
		data, err = io.ReadAll(io.LimitReader(r, limit+1))
		if err == nil && int64(len(data)) > limit {
			return parsed{err: &source.InputError{Path: name, Reason: tooLarge(int64(len(data)), limit, true)}}
		}
	} else {
		var st os.FileInfo
		st, err = os.Stat(in.path)
		if err == nil && st.Size() > limit {
			return parsed{err: &source.InputError{Path: name, Reason: tooLarge(st.Size(), limit, false)}}
		}
		if err == nil {
			data, err = os.ReadFile(in.path)
		}
	}
	if err != nil {
		return parsed{err: &source.InputError{Path: name, Reason: describe(err)}}
	}
	res := manifest.Decode(data, manifest.Options{
		Path:       name,
		SourceKind: kind,
		JSON:       strings.EqualFold(filepath.Ext(in.path), ".json"),
	})
	sum := ""
	if in.path != "-" {
		h := sha256.Sum256(data)
		sum = hex.EncodeToString(h[:])
	}
	for _, o := range res.Objects {
		if in.path == "-" {
			o.Source.Path = ""
		}
		o.Source.SHA256 = sum
	}
	return parsed{res: res}
}

func tooLarge(size, limit int64, atLeast bool) string {
	q := ""
	if atLeast {
		q = "more than "
	}
	return fmt.Sprintf("input is %s%s, over the %s limit (raise it with --max-file-size)", q, humanBytes(size), humanBytes(limit))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func describe(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// walk lists the manifests under dir, skipping hidden directories (.git and
// the like) below the root the user named.
func walk(dir string) ([]string, []source.InputError) {
	var files []string
	var errs []source.InputError
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, source.InputError{Path: p, Reason: describe(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !manifestExt(d.Name()) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Follow links to files, never to directories (no cycles).
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		files = append(files, p)
		return nil
	})
	sort.Strings(files)
	return files, errs
}
