// Package fix applies the fixes of a scan report to the files they came
// from: fixPaths are written (and, when asked, deletePaths removed) with
// pkg/fix/yamledit, which changes only the lines an edit touches. A fix
// of a Helm-rendered object goes to the values key that produced the
// field, of a Kustomize build to the base or patch that set it, as the
// report's origins say; a template literal is edited only when the user
// asks, and a field no values key controls is reported as a template
// change to make by hand.
//
// A report is input from outside: paths, values and file names are
// validated, files must lie inside the base path (symlinks resolved), and
// a file whose content no longer has the hash the scan recorded is left
// alone.
package fix

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/vigilsec/vigil/pkg/fix/yamledit"
	"github.com/vigilsec/vigil/pkg/object"
)

// Status is what became of a fix.
type Status string

// Statuses. Applied and Unchanged are done; Skipped is policy (a flag
// would apply it); Manual needs a person; Failed could not be done;
// Invalid was refused as input.
const (
	Pending   Status = "pending"
	Applied   Status = "applied"
	Unchanged Status = "unchanged"
	Skipped   Status = "skipped"
	Manual    Status = "manual"
	Failed    Status = "failed"
	Invalid   Status = "invalid"
)

// Op is what a fix does.
type Op string

// Ops.
const (
	OpSet    Op = "set"
	OpDelete Op = "delete"
	// OpTemplate rewrites a literal in a Helm template line.
	OpTemplate Op = "template"
)

// Fix is one change: an object's path set to a value (or deleted), and
// where in which file that is done.
type Fix struct {
	Object   string   // Kind/namespace/name
	Controls []string // the controls it fixes
	Op       Op
	Path     string // the path in the object
	Value    string // the value, as the report gives it

	// File is the file to edit ("" when there is none) and Where says
	// where in it ("values key a.b", "document 1", "line 12").
	File  string
	Where string
	// Line is the line of the edit in the edited file, once applied.
	Line   int
	Status Status
	Reason string

	steps  []yamledit.Step // the path written in File, relative to addr
	join   bool
	addr   objectAddr
	value  yamledit.Value
	sha256 string // what File's content hashed to at scan time
	// userFile is a file the user named (--values), which the scan may
	// not have read, so it has no hash to check.
	userFile bool
	// tline and tcol locate a template literal.
	tline, tcol int
}

// objectAddr says how to find the node a fix's steps start from.
type objectAddr struct {
	doc int
	// ident, when set, is checked against the document root (or found
	// among a List's items).
	ident *identity
	// line and col, when set, name the node by position (a patch or base
	// file of a kustomization, whose layout the report knows).
	line, col int
	found     string
}

func (f *Fix) describe() string {
	switch f.Op {
	case OpDelete:
		return f.Path + " (delete)"
	}
	return f.Path + ": " + f.Value
}

// Review is a path a control asks a person to look at.
type Review struct {
	Object   string
	Controls []string
	Path     string
	Location string
}

// Plan is every fix of a report, grouped by the file it edits.
type Plan struct {
	Files []*FilePlan
	// Elsewhere are fixes with no file to edit: template changes to make
	// by hand, values given on the command line, invalid entries.
	Elsewhere []*Fix
	Reviews   []Review
	Roots     []string
}

// FilePlan is the fixes of one file.
type FilePlan struct {
	Path  string
	Fixes []*Fix
	// Old and New are the content before and after, once applied.
	Old, New []byte
	// Err is a reason the file was not edited at all.
	Err error
}

// PlanOptions say how fixes map to files.
type PlanOptions struct {
	// ValuesFile receives every Helm values edit instead of the file the
	// value came from.
	ValuesFile string
	// IncludePlaceholders applies values like YOUR_CPU_LIMIT.
	IncludePlaceholders bool
	// ApplyDeletes applies deletePaths.
	ApplyDeletes bool
	// EditTemplates applies changes to Helm template literals.
	EditTemplates bool
}

// NewPlan reads the failed controls of a report and plans their fixes.
func NewPlan(rep *Report, opts PlanOptions) *Plan {
	b := &planner{opts: opts, hashes: rep.hashes, files: map[string]*FilePlan{}, seen: map[string]*Fix{}, reviews: map[string]*Review{}}
	for _, res := range rep.doc.Results {
		r := rep.resources[res.ResourceID]
		if r == nil {
			r = &resource{id: res.ResourceID, name: res.ResourceID}
		}
		for _, c := range res.Controls {
			if c.Status.Status != "failed" {
				continue
			}
			for _, rule := range c.Rules {
				for _, pe := range rule.Paths {
					b.entry(r, c.ControlID, pe)
				}
			}
		}
	}
	p := &Plan{Roots: rep.Roots, Elsewhere: b.elsewhere}
	for _, fp := range b.files {
		p.Files = append(p.Files, fp)
	}
	sort.Slice(p.Files, func(i, j int) bool { return p.Files[i].Path < p.Files[j].Path })
	for _, k := range b.reviewOrder {
		p.Reviews = append(p.Reviews, *b.reviews[k])
	}
	return p
}

type planner struct {
	opts        PlanOptions
	hashes      map[string]string
	files       map[string]*FilePlan
	seen        map[string]*Fix
	elsewhere   []*Fix
	reviews     map[string]*Review
	reviewOrder []string
}

func (b *planner) entry(r *resource, control string, pe pathEntry) {
	switch {
	case pe.ReviewPath != "":
		k := r.id + "\x00" + pe.ReviewPath
		rv := b.reviews[k]
		if rv == nil {
			rv = &Review{Object: r.name, Path: pe.ReviewPath}
			if l := pe.Location; l != nil {
				rv.Location = fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
			}
			b.reviews[k] = rv
			b.reviewOrder = append(b.reviewOrder, k)
		}
		rv.Controls = addControl(rv.Controls, control)
	case pe.DeletePath != "":
		b.add(r, control, &Fix{Object: r.name, Op: OpDelete, Path: pe.DeletePath}, pe.Location)
	case pe.FixPath != nil:
		b.add(r, control, &Fix{Object: r.name, Op: OpSet, Path: pe.FixPath.Path, Value: pe.FixPath.Value}, pe.Location)
	}
}

func addControl(list []string, c string) []string {
	for _, x := range list {
		if x == c {
			return list
		}
	}
	return append(list, c)
}

// add validates a fix, maps it to its file and files it there, merging it
// with an equal fix another control (or another object rendered from the
// same values) asked for.
func (b *planner) add(r *resource, control string, f *Fix, loc *location) {
	f.Controls = []string{control}
	b.resolve(r, f, loc)
	// Objects rendered from one values key share its fix; objects of one
	// document (a List's items) do not.
	key := fmt.Sprintf("%s\x00%s\x00%d:%d\x00%s\x00%s\x00%s", f.File, f.Where, f.addr.line, f.addr.col, f.Op, yamledit.FormatPath(f.steps), f.Value)
	if f.File == "" || f.Status != Pending || f.addr.ident != nil {
		key = r.id + "\x00" + key + "\x00" + f.Path
	}
	if prev, ok := b.seen[key]; ok {
		prev.Controls = addControl(prev.Controls, control)
		return
	}
	b.seen[key] = f
	if f.File == "" {
		b.elsewhere = append(b.elsewhere, f)
		return
	}
	// One file named two ways ("./a.yaml", "a.yaml") is edited once: a
	// second pass would find it changed since the scan.
	name := filepath.Clean(f.File)
	fp := b.files[name]
	if fp == nil {
		fp = &FilePlan{Path: f.File}
		b.files[name] = fp
	}
	fp.Fixes = append(fp.Fixes, f)
}

// resolve validates f and decides which file and node it edits, or sets
// its status to why it will not be applied.
func (b *planner) resolve(r *resource, f *Fix, loc *location) {
	f.Status = Pending
	steps, err := ParsePath(f.Path)
	if err != nil {
		f.Status, f.Reason = Invalid, err.Error()
		return
	}
	if f.Op == OpSet {
		if f.value, err = ParseValue(f.Value); err != nil {
			f.Status, f.Reason = Invalid, fmt.Sprintf("path %s: %v", f.Path, err)
			return
		}
	}
	src := r.source
	if m := relatedRE.FindString(f.Path); m != "" && loc != nil && loc.File != "" {
		// A path into an RBAC subject's related object (its binding or
		// role) is edited in that object's file, where the report
		// located it.
		b.resolveAt(f, loc, strings.TrimPrefix(f.Path, m), b.hashes[loc.File])
		b.policy(f)
		return
	}
	if src == nil || src.File == "" {
		f.Status, f.Reason = Manual, "the object has no source file (cluster or stdin scan)"
		return
	}
	switch src.Kind {
	case "helm":
		b.resolveRendered(r, f, loc, steps, true)
	case "kustomize":
		b.resolveRendered(r, f, loc, steps, false)
	default:
		if src.Document < 0 {
			// A negative document would address the file by position
			// and skip the check of the object's identity.
			f.Status, f.Reason = Invalid, fmt.Sprintf("the report gives document %d for the object", src.Document)
			return
		}
		f.File, f.sha256 = src.File, src.SHA256
		f.steps, f.join = steps, true
		id := r.ident
		f.addr = objectAddr{doc: src.Document, ident: &id}
		if loc != nil && loc.File == src.File {
			f.addr.line, f.addr.col, f.addr.found = loc.Line, loc.Column, loc.Found
		}
		f.Where = fmt.Sprintf("document %d", src.Document)
	}
	b.policy(f)
}

// policy skips what the options leave out; the fix keeps its file so the
// summary lists it there.
func (b *planner) policy(f *Fix) {
	if f.Status != Pending {
		return
	}
	switch {
	// A template literal is set too, placeholders included.
	case f.Op != OpDelete && !b.opts.IncludePlaceholders && IsPlaceholder(f.Value):
		f.Status, f.Reason = Skipped, "placeholder value (--include-placeholders writes it)"
	case f.Op == OpDelete && !b.opts.ApplyDeletes:
		f.Status, f.Reason = Skipped, "deletion (--apply-deletes applies it)"
	case f.Op == OpTemplate && !b.opts.EditTemplates:
		f.Status, f.Reason = Skipped, fmt.Sprintf("template literal at line %d (--edit-templates applies it)", f.tline)
	}
}

// resolveRendered maps a fix of a rendered object through the origins of
// its path (or of its nearest existing parent).
func (b *planner) resolveRendered(r *resource, f *Fix, loc *location, steps []yamledit.Step, helm bool) {
	if loc == nil || len(loc.Origins) == 0 {
		f.Status, f.Reason = Manual, "the report has no origin for this path; change the template or kustomization by hand"
		return
	}
	suffix, err := suffixSteps(f.Path, loc.Found, steps)
	if err != nil {
		f.Status, f.Reason = Invalid, err.Error()
		return
	}
	var values []object.Origin
	for _, o := range loc.Origins {
		if o.Kind == object.OriginHelmValues {
			values = append(values, o)
		}
	}
	o := loc.Origins[0]
	at := fmt.Sprintf("%s:%d", o.File, o.Line)
	switch {
	case len(values) > 1:
		keys := make([]string, len(values))
		for i, v := range values {
			keys[i] = v.ValuesKey
		}
		f.Status, f.Reason = Manual, fmt.Sprintf("the value is made of several values keys (%s); change the template at %s:%d", strings.Join(keys, ", "), values[0].Template, values[0].TemplateLine)
	case o.Kind == object.OriginHelmValues && o.File == "":
		f.Status, f.Reason = Manual, "the value was set on the command line ("+o.Detail+")"
	case o.Kind == object.OriginHelmValues:
		if f.Op == OpDelete && len(suffix) > 0 {
			f.Status, f.Reason = Unchanged, "the field is not set"
			return
		}
		key, err := ParsePath(o.ValuesKey)
		if err != nil {
			f.Status, f.Reason = Invalid, "values key: "+err.Error()
			return
		}
		f.File = o.File
		if b.opts.ValuesFile != "" {
			f.File, f.userFile = b.opts.ValuesFile, true
		}
		f.sha256 = r.source.Files[f.File]
		f.steps, f.join = append(key, suffix...), true
		f.addr = objectAddr{doc: 0}
		f.Where = "values key " + yamledit.FormatPath(f.steps)
	case !helm && (o.Kind == object.OriginKustomizeBase || o.Kind == object.OriginKustomizePatch) && o.File != "" && o.Line > 0:
		at := *loc
		at.File, at.Line, at.Column = o.File, o.Line, o.Column
		b.resolveAt(f, &at, f.Path, r.source.Files[o.File])
		f.Where = strings.TrimPrefix(o.Kind, "kustomize-")
	case o.Kind == object.OriginHelmTemplate && o.Exact && loc.Exact && f.Op == OpSet && f.value.IsScalar():
		f.Op = OpTemplate
		f.steps = steps
		f.File, f.sha256 = o.File, r.source.Files[o.File]
		f.tline, f.tcol = o.Line, o.Column
		f.Where = "template"
	case o.Kind == object.OriginHelmTemplate:
		f.Status, f.Reason = Manual, "needs a template change near "+at
	default:
		f.Status, f.Reason = Manual, fmt.Sprintf("set by %s (%s); change it there", o.Kind, strings.TrimPrefix(at+" "+o.Detail, ":0 "))
	}
}

var relatedRE = regexp.MustCompile(`^relatedObjects\[[0-9]+\]\.`)

// resolveAt addresses a fix by the position of the nearest existing
// parent of path in loc's file: a Kustomize base or patch, or the object
// an RBAC subject was built from.
func (b *planner) resolveAt(f *Fix, loc *location, path, sum string) {
	steps, err := ParsePath(path)
	if err == nil {
		steps, err = suffixSteps(path, loc.Found, steps)
	}
	if err != nil {
		f.Status, f.Reason = Invalid, err.Error()
		return
	}
	f.File, f.sha256 = loc.File, sum
	f.steps, f.join = steps, true
	f.addr = objectAddr{doc: -1, line: loc.Line, col: loc.Column, found: loc.Found}
	f.Where = fmt.Sprintf("line %d", loc.Line)
	if f.Op == OpDelete && len(steps) > 0 {
		f.Status, f.Reason = Unchanged, "the field is not set"
	}
}

// suffixSteps is the part of path below found, the nearest existing
// parent the report located.
func suffixSteps(path, found string, steps []yamledit.Step) ([]yamledit.Step, error) {
	if found == path {
		return nil, nil
	}
	if found == "" {
		return steps, nil
	}
	fs, err := ParsePath(found)
	if err != nil {
		return nil, fmt.Errorf("located path: %w", err)
	}
	if !strings.HasPrefix(path, found) || len(fs) > len(steps) {
		return nil, fmt.Errorf("located path %q is not a parent of %q", found, path)
	}
	// A key of the found path may hold dots the path splits: compare the
	// joined text, then count the steps the found path spans.
	n := len(fs)
	for n < len(steps) && yamledit.FormatPath(steps[:n]) != found {
		n++
	}
	if yamledit.FormatPath(steps[:n]) != found {
		return nil, fmt.Errorf("located path %q is not a parent of %q", found, path)
	}
	return steps[n:], nil
}
