package fix

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

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
	// the report scanned (a file root's directory), else the working
	// directory.
	BasePath string
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
	bases, err := basePaths(p.Roots, opts.BasePath)
	if err != nil {
		return err
	}
	a := &applier{opts: opts, bases: bases}
	for _, fp := range p.Files {
		if err := a.file(fp); err != nil {
			return err
		}
	}
	return nil
}

func basePaths(roots []string, base string) ([]string, error) {
	var cands []string
	if base != "" {
		if _, err := os.Stat(base); err != nil {
			return nil, fmt.Errorf("base path: %w", err)
		}
		cands = []string{base}
	} else {
		for _, r := range roots {
			st, err := os.Stat(r)
			if err != nil || strings.Contains(r, "://") {
				continue
			}
			if !st.IsDir() {
				r = filepath.Dir(r)
			}
			cands = append(cands, r)
		}
		if len(cands) == 0 {
			cands = []string{"."}
		}
	}
	var out []string
	for _, c := range cands {
		abs, err := filepath.Abs(c)
		if err == nil {
			abs, err = filepath.EvalSymlinks(abs)
		}
		if err != nil {
			return nil, fmt.Errorf("base path %s: %w", c, err)
		}
		out = append(out, abs)
	}
	return out, nil
}

// safePath resolves a file name from the report to the file to edit:
// no ".." steps, inside a base path once symlinks are resolved, and a
// regular file.
func (a *applier) safePath(name string) (string, error) {
	for _, part := range strings.Split(filepath.ToSlash(name), "/") {
		if part == ".." {
			return "", fmt.Errorf("%s: the file name climbs out of its directory (..)", name)
		}
	}
	if strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("%q: invalid file name", name)
	}
	abs, err := filepath.Abs(name)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	inside := false
	for _, b := range a.bases {
		if rel, err := filepath.Rel(b, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			inside = true
			break
		}
	}
	if !inside {
		return "", fmt.Errorf("%s is outside the base path %s (--base-path widens it)", name, strings.Join(a.bases, ", "))
	}
	st, err := os.Lstat(abs)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", name)
	}
	return abs, nil
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
	real, err := a.safePath(fp.Path)
	if err != nil {
		return fail(err)
	}
	data, err := os.ReadFile(real)
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
	if err := writeFile(real, fp.New); err != nil {
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

// writeFile replaces a file's content atomically, keeping its mode.
func writeFile(path string, data []byte) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".vigil-fix-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
