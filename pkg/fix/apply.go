package fix

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"unicode"

	"github.com/vigilsec/vigil/pkg/fix/yamledit"
)

// Decision is an answer to a confirmation.
type Decision int

// Answers: apply this one, skip it, apply this and all that follow
// without asking, or stop (apply nothing more).
const (
	Yes Decision = iota
	No
	All
	Quit
)

// Options say how a plan is applied.
type Options struct {
	// BasePath bounds the files that may be edited. Empty means the roots
	// the report scanned (a file root's directory) that lie inside the
	// working directory, else the working directory: a report is input,
	// and one claiming to have scanned "/" must not open every file to
	// edits. A root outside the working directory needs BasePath, or
	// TrustRoots.
	BasePath string
	// TrustRoots takes the report's roots as they are: for a report the
	// same process just made from paths the user named (scan --fix).
	TrustRoots bool
	// DryRun computes every change and writes nothing.
	DryRun bool
	// Confirm, when set, is asked before each fix with a diff of what it
	// changes.
	Confirm func(f *Fix, diff string) (Decision, error)
}

// ErrInput marks errors that come from the report or the files: a
// changed file, a file outside the base path, an invalid fix.
var ErrInput = errors.New("input error")

type applier struct {
	opts  Options
	bases []string
	quit  bool
}

// Apply edits the files of a plan (or, with DryRun, only computes the
// edits). Per-file problems are recorded in the plan; the error is for
// what stops everything.
func Apply(p *Plan, opts Options) error {
	bases, err := basePaths(p.Roots, opts.BasePath, opts.TrustRoots)
	if err != nil {
		return err
	}
	a := &applier{opts: opts, bases: bases}
	// A file the report names two ways ("a.yaml", "/abs/a.yaml", a
	// link) is edited once, with the fixes of both: a second edit would
	// find it changed since the scan.
	seen := map[string]*FilePlan{}
	files := p.Files[:0]
	for _, fp := range p.Files {
		if base, rel, err := a.safePath(fp.Path); err == nil {
			k := filepath.Join(base, rel)
			if first := seen[k]; first != nil {
				first.Fixes = append(first.Fixes, fp.Fixes...)
				continue
			}
			seen[k] = fp
		}
		files = append(files, fp)
	}
	p.Files = files
	for _, fp := range p.Files {
		if err := a.file(fp); err != nil {
			return err
		}
	}
	return nil
}

func basePaths(roots []string, base string, trust bool) ([]string, error) {
	if base != "" {
		if _, err := os.Stat(base); err != nil {
			return nil, fmt.Errorf("base path: %w", err)
		}
		abs, err := resolved(base)
		if err != nil {
			return nil, fmt.Errorf("base path %s: %w", base, err)
		}
		return []string{abs}, nil
	}
	cwd, err := resolved(".")
	if err != nil {
		return nil, fmt.Errorf("working directory: %w", err)
	}
	var out []string
	for _, r := range roots {
		st, err := os.Stat(r)
		if err != nil || strings.Contains(r, "://") {
			continue
		}
		if !st.IsDir() {
			r = filepath.Dir(r)
		}
		abs, err := resolved(r)
		if err != nil {
			return nil, fmt.Errorf("base path %s: %w", r, err)
		}
		if !trust && !within(cwd, abs) {
			return nil, fmt.Errorf("%w: the report's scanned root %s is outside the working directory; run vigil fix from a directory that holds it, or name it with --base-path", ErrInput, r)
		}
		out = append(out, abs)
	}
	if len(out) == 0 {
		out = []string{cwd}
	}
	return out, nil
}

// resolved is p made absolute with its symlinks resolved.
func resolved(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// within reports whether p is dir or below it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// safePath resolves a file name from the report to the file to edit:
// inside a base path once ".." steps and symlinks are resolved (a
// Kustomize base is named from its overlay, ../../base/x.yaml), and a
// regular file. It returns the base path too, and the file's name
// relative to it.
func (a *applier) safePath(name string) (base, rel string, err error) {
	// Control characters (a newline) would break the diff's header lines.
	if strings.ContainsFunc(name, unicode.IsControl) {
		return "", "", fmt.Errorf("%q: invalid file name", name)
	}
	abs, err := filepath.Abs(name)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", name, err)
	}
	for _, b := range a.bases {
		r, err := filepath.Rel(b, abs)
		switch {
		case err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)):
			continue
		case r == ".":
			// The base path is the file itself.
			base, rel = filepath.Dir(b), filepath.Base(b)
		default:
			base, rel = b, r
		}
		break
	}
	if base == "" {
		return "", "", fmt.Errorf("%s is outside the base path %s (--base-path widens it)", name, strings.Join(a.bases, ", "))
	}
	st, err := os.Lstat(abs)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", name, err)
	}
	if !st.Mode().IsRegular() {
		return "", "", fmt.Errorf("%s is not a regular file", name)
	}
	return base, rel, nil
}

func (a *applier) file(fp *FilePlan) error {
	var todo []*Fix
	for _, f := range fp.Fixes {
		if f.Status == Pending {
			todo = append(todo, f)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	fail := func(err error) error {
		fp.Err = err
		for _, f := range todo {
			f.Status, f.Reason = Invalid, err.Error()
		}
		return nil
	}
	base, rel, err := a.safePath(fp.Path)
	if err != nil {
		return fail(err)
	}
	// The file is read and written through the base path's root, which
	// no symbolic link leaves, whatever is renamed meanwhile.
	root, err := os.OpenRoot(base)
	if err != nil {
		return fail(fmt.Errorf("base path %s: %w", base, err))
	}
	defer root.Close()
	data, err := readRegular(root, rel)
	if err != nil {
		return fail(fmt.Errorf("read %s: %w", fp.Path, err))
	}
	have := sumHex(data)
	for _, f := range todo {
		switch {
		case f.sha256 == "" && !f.userFile:
			return fail(fmt.Errorf("%s: the report has no content hash for it (rescan with this version of Vigil)", fp.Path))
		case f.sha256 != "" && f.sha256 != have:
			return fail(fmt.Errorf("%s changed since the scan; rescan before fixing", fp.Path))
		}
	}
	fp.Old = data
	ed := &fileEdit{orig: yamledit.Parse(data), written: map[string]*Fix{}}
	ed.cur = ed.orig
	text := data
	for _, f := range todo {
		if a.quit {
			f.Status, f.Reason = Skipped, "not confirmed (quit)"
			continue
		}
		var next []byte
		var nf *yamledit.File
		if f.Op == OpTemplate {
			key := ""
			if last := f.steps[len(f.steps)-1]; !last.IsIndex {
				key = last.Key
			}
			next, err = editTemplate(text, f.tline, f.tcol, key, f.value)
			f.Line = f.tline
		} else {
			nf, err = ed.apply(f)
			if nf != nil {
				next = nf.Bytes()
			}
		}
		if err != nil {
			f.Status, f.Reason = Failed, err.Error()
			continue
		}
		if f.Status != Pending {
			continue
		}
		if a.opts.Confirm != nil {
			d, err := a.opts.Confirm(f, Diff(fp.Path, text, next))
			if err != nil {
				return err
			}
			switch d {
			case No:
				f.Status, f.Reason = Skipped, "declined"
				continue
			case Quit:
				a.quit = true
				f.Status, f.Reason = Skipped, "not confirmed (quit)"
				continue
			case All:
				a.opts.Confirm = nil
			}
		}
		f.Status = Applied
		text = next
		if nf != nil {
			ed.commit(f, nf)
		} else {
			// A template edit changes text the YAML editor cannot read:
			// the two never mix in one file.
			ed.cur = nil
		}
	}
	fp.New = text
	if a.opts.DryRun || string(fp.New) == string(fp.Old) {
		return nil
	}
	if err := writeFile(root, rel, fp.Old, fp.New); err != nil {
		fp.Err = err
		for _, f := range todo {
			if f.Status == Applied {
				f.Status, f.Reason = Failed, err.Error()
			}
		}
	}
	return nil
}

func sumHex(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// fileEdit is one YAML file being edited fix by fix.
type fileEdit struct {
	orig, cur *yamledit.File
	// written maps each address set so far to its fix, to catch two
	// fixes that want different values at one place.
	written map[string]*Fix
	last    yamledit.Change
}

// apply computes f's edit on the current content. A nil file with a nil
// error means the fix needs no edit (its status says why). A panic of the
// editor becomes an error for this fix only: the file keeps its last good
// content.
func (e *fileEdit) apply(f *Fix) (nf *yamledit.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			nf, err = nil, fmt.Errorf("the YAML editor failed on this edit (%v); please report it", r)
		}
	}()
	return e.edit(f)
}

func (e *fileEdit) edit(f *Fix) (*yamledit.File, error) {
	if e.cur == nil {
		return nil, fmt.Errorf("the file was edited as a template; fix the rest after a rescan")
	}
	addr, err := e.locate(f)
	if err != nil {
		return nil, err
	}
	steps := f.steps
	if f.Op == OpDelete {
		// Resolve finds keys as Set does (a dotted label key is one key).
		full, ok := e.cur.Resolve(addr, steps, f.join)
		if !ok {
			f.Status, f.Reason = Unchanged, "the field is not set"
			return nil, nil
		}
		nf, ch, err := e.cur.Delete(full)
		if err != nil {
			return nil, err
		}
		e.last = ch
		return nf, nil
	}
	if n := len(steps); n > 0 && steps[n-1].IsIndex {
		// Rules name the next free index of a list to add an item. Two
		// rules adding to one list name the same index, so an index past
		// the list as scanned is an append, and an item already there
		// needs nothing.
		parent := yamledit.Address{Doc: addr.Doc, Path: append(append([]yamledit.Step(nil), addr.Path...), steps[:n-1]...)}
		cur, _ := e.cur.Get(parent)
		orig, _ := e.orig.Get(parent)
		if list, ok := cur.([]any); ok {
			for _, item := range list {
				if reflect.DeepEqual(item, f.value.Data()) {
					f.Status, f.Reason = Unchanged, "the list already has the item"
					return nil, nil
				}
			}
			ol, _ := orig.([]any)
			if steps[n-1].Index >= len(ol) {
				steps = append(append([]yamledit.Step(nil), steps[:n-1]...), yamledit.Step{Index: len(list), IsIndex: true})
			}
		}
	}
	nf, ch, err := e.cur.Set(addr, steps, f.join, f.value)
	if err != nil {
		return nil, err
	}
	if ch.Kind == "none" {
		f.Status, f.Reason = Unchanged, "already set"
		return nil, nil
	}
	if err := e.checkConflict(f, ch); err != nil {
		return nil, err
	}
	e.last = ch
	return nf, nil
}

// checkConflict refuses a second value for a place an earlier fix set.
func (e *fileEdit) checkConflict(f *Fix, ch yamledit.Change) error {
	if prev, ok := e.written[ch.At.String()]; ok && prev.Value != f.Value {
		return fmt.Errorf("conflicts with the fix for %s, which set %s to %s", strings.Join(prev.Controls, ", "), f.Path, prev.Value)
	}
	return nil
}

func (e *fileEdit) commit(f *Fix, nf *yamledit.File) {
	// Lines added by this edit move the earlier fixes below it, so the
	// summary shows where each ends up.
	if delta := bytes.Count(nf.Bytes(), []byte("\n")) - bytes.Count(e.cur.Bytes(), []byte("\n")); delta != 0 {
		for _, g := range e.written {
			if g.Line >= e.last.Line {
				g.Line += delta
			}
		}
	}
	e.cur = nf
	f.Line = e.last.Line
	e.written[e.last.At.String()] = f
}

// locate finds the node a fix's steps start from in the current content.
func (e *fileEdit) locate(f *Fix) (yamledit.Address, error) {
	a := f.addr
	switch {
	case a.doc < 0:
		// Positions are those of the scanned content; addresses found
		// there stay valid across the edits made since.
		return e.orig.Locate(a.line, a.col, yamledit.TargetOf(a.found))
	case a.ident == nil:
		return yamledit.Address{Doc: a.doc}, nil
	}
	// The object is recognised as scanned: a fix may change its
	// namespace.
	root := yamledit.Address{Doc: a.doc}
	v, ok := e.orig.Get(root)
	if !ok {
		return root, fmt.Errorf("document %d does not exist or does not parse", a.doc)
	}
	if sameObject(v, a.ident) {
		return root, nil
	}
	if m, ok := v.(map[string]any); ok {
		if items, ok := m["items"].([]any); ok {
			for i, it := range items {
				if sameObject(it, a.ident) {
					return yamledit.Address{Doc: a.doc, Path: []yamledit.Step{{Key: "items"}, {Index: i, IsIndex: true}}}, nil
				}
			}
		}
	}
	return root, fmt.Errorf("document %d does not hold %s/%s", a.doc, a.ident.kind, a.ident.name)
}

func sameObject(v any, id *identity) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	md, _ := m["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	if name == "" {
		name, _ = md["generateName"].(string)
	}
	ns, _ := md["namespace"].(string)
	return m["kind"] == id.kind && name == id.name && ns == id.namespace
}

// readRegular reads a regular file of root.
func readRegular(root *os.Root, name string) ([]byte, error) {
	fh, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	return io.ReadAll(fh)
}

// writeFile replaces a file of root atomically, keeping its mode and,
// where the process may set it, its owner. old is the content the edits
// were made to: a file that no longer holds it was written by someone else
// since it was read, and is left alone.
func writeFile(root *os.Root, name string, old, data []byte) error {
	path := filepath.Join(root.Name(), name)
	st, err := root.Stat(name)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmpName := filepath.Join(filepath.Dir(name), ".vigil-fix-"+rand.Text())
	tmp, err := root.OpenFile(tmpName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer root.Remove(tmpName)
	fail := func(err error) error {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if uid, gid, ok := owner(st); ok {
		// Best effort: only root gives a file to another user.
		_ = tmp.Chown(uid, gid)
	}
	// After the chown, which clears setuid and setgid.
	if err := tmp.Chmod(st.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if now, err := root.ReadFile(name); err != nil || !bytes.Equal(now, old) {
		return fmt.Errorf("%s changed while it was being fixed; rescan before fixing", path)
	}
	if err := root.Rename(tmpName, name); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
