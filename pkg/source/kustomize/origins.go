package kustomize

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"go.yaml.in/yaml/v3"

	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/object"
)

// pathSeg is a segment of an object path: a key, or a list index.
type pathSeg struct {
	key   string
	index int // -1 for keys
}

func (s pathSeg) isIndex() bool { return s.index >= 0 }

func joinPath(segs []pathSeg) string {
	var b strings.Builder
	for i, s := range segs {
		if s.isIndex() {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// at returns the value at a path.
func at(v ast.Value, segs []pathSeg) (ast.Value, bool) {
	for _, s := range segs {
		switch x := v.(type) {
		case ast.Object:
			if s.isIndex() {
				return nil, false
			}
			t := x.Get(ast.StringTerm(s.key))
			if t == nil {
				return nil, false
			}
			v = t.Value
		case *ast.Array:
			if !s.isIndex() || s.index >= x.Len() {
				return nil, false
			}
			v = x.Elem(s.index).Value
		default:
			return nil, false
		}
	}
	return v, true
}

// translate maps a path of one object to the same field of another
// version of it (its base, or the build without a patch): list items are
// matched by their merge keys, since patches may reorder lists.
func translate(from, to ast.Value, segs []pathSeg) ([]pathSeg, ast.Value, bool) {
	out := make([]pathSeg, 0, len(segs))
	for _, s := range segs {
		fv, ok := at(from, []pathSeg{s})
		if !ok {
			return nil, nil, false
		}
		if s.isIndex() {
			arr, ok := to.(*ast.Array)
			if !ok {
				return nil, nil, false
			}
			j := matchItem(fv, arr)
			if j < 0 {
				if fo, isObj := fv.(ast.Object); isObj && !hasMergeKey(fo) && s.index < arr.Len() {
					j = s.index
				} else {
					return nil, nil, false
				}
			}
			out = append(out, pathSeg{index: j})
			to = arr.Elem(j).Value
		} else {
			tv, ok := at(to, []pathSeg{s})
			if !ok {
				return nil, nil, false
			}
			out = append(out, s)
			to = tv
		}
		from = fv
	}
	return out, to, true
}

func hasMergeKey(o ast.Object) bool {
	for _, k := range mergeKeys() {
		if o.Get(ast.StringTerm(k)) != nil {
			return true
		}
	}
	return false
}

func isContainer(v ast.Value) bool {
	switch v.(type) {
	case ast.Object, *ast.Array:
		return true
	}
	return false
}

// walkValue calls fn for every path of a value, parents first.
func walkValue(v ast.Value, segs []pathSeg, fn func(segs []pathSeg, v ast.Value)) {
	fn(segs, v)
	switch x := v.(type) {
	case ast.Object:
		for _, k := range x.Keys() {
			if ks, ok := k.Value.(ast.String); ok {
				walkValue(x.Get(k).Value, append(segs[:len(segs):len(segs)], pathSeg{key: string(ks), index: -1}), fn)
			}
		}
	case *ast.Array:
		for i := 0; i < x.Len(); i++ {
			walkValue(x.Elem(i).Value, append(segs[:len(segs):len(segs)], pathSeg{index: i}), fn)
		}
	}
}

// trace builds the origins of one object of the build.
func (b *builder) trace(tb, ab *built, ablated []map[string]*built) Rendered {
	o := tb.obj
	o.Source.Kind = "kustomize"
	key := o.ID.APIVersion + "/" + o.ID.Kind + "/" + o.ID.Namespace + "/" + o.ID.Name
	om := object.NewOriginMap(64)
	root := object.Origin{Kind: object.OriginKustomizeBase, File: b.t.root.display}

	var base *object.Object
	var baseDisplay string
	var gen *generator
	if ab != nil && ab.origin != nil {
		org := ab.origin
		switch {
		case org.Repo != "":
			root = object.Origin{Kind: object.OriginKustomizeBase, File: org.Repo + "//" + org.Path, Detail: "remote base, ref " + org.Ref}
		case org.ConfiguredIn != "":
			gen = b.generator(org.ConfiguredIn, org.ConfiguredBy.Kind, o.ID.Name)
			if gen != nil {
				root = gen.origin
			}
		case org.Path != "":
			abs := filepath.Join(b.abs, org.Path)
			baseDisplay = b.d.path(abs)
			root = object.Origin{Kind: object.OriginKustomizeBase, File: baseDisplay}
			base = b.baseDoc(abs, o)
		}
	}
	pos := &object.Positions{}
	o.Source.Path = root.File
	o.Source.Line = 0
	o.Positions = nil

	walkValue(o.Value, nil, func(segs []pathSeg, v ast.Value) {
		path := joinPath(segs)
		var origins []object.Origin
		if pi := b.patchFor(key, o.Value, segs, v, ablated); pi >= 0 {
			origins = append(origins, b.locatePatch(pi, segs, o))
		}
		if len(origins) == 0 && gen != nil {
			if to, ok := b.transformerFor(segs, o, nil); ok && path != "metadata.name" {
				origins = append(origins, to)
			} else {
				origins = append(origins, gen.originFor(segs))
			}
		}
		if len(origins) == 0 && base != nil {
			if bsegs, bv, ok := translate(o.Value, base.Value, segs); ok {
				if p, ok := base.Positions.Lookup(joinPath(bsegs)); ok {
					bo := object.Origin{Kind: object.OriginKustomizeBase, File: baseDisplay, Line: p.Line, Column: p.Column, Exact: true}
					pos.Add(object.HashPath(path), p.Line, p.Column)
					if path == "" {
						o.Source.Line = p.Line
					}
					if !isContainer(v) && bv.Compare(v) != 0 {
						// The base has the field with another value: some
						// kustomization field changed it.
						if to, ok := b.transformerFor(segs, o, base); ok {
							origins = append(origins, to)
						}
						bo.Exact = false
						bo.Detail = "value changed by the kustomization"
					}
					origins = append(origins, bo)
				}
			} else if to, ok := b.transformerFor(segs, o, base); ok {
				origins = append(origins, to)
			}
		}
		if len(origins) == 0 && path == "" {
			origins = append(origins, root)
		}
		om.Set(path, origins)
	})
	if base != nil {
		pos.Seal()
		o.Positions = pos
	}
	o.Origins = om
	return Rendered{Object: o, Origins: om}
}

// patchFor returns the index of the patch that set the value at a path:
// the value changes (or disappears) when the patch is left out. Lists and
// maps are attributed only when the patch created them. When several
// patches qualify, the one applied last wins: outer kustomizations apply
// after their bases, and later entries after earlier ones.
func (b *builder) patchFor(key string, root ast.Value, segs []pathSeg, v ast.Value, ablated []map[string]*built) int {
	best := -1
	for i, m := range ablated {
		if m == nil {
			continue
		}
		other := m[key]
		if other == nil {
			continue
		}
		_, ov, ok := translate(root, other.obj.Value, segs)
		changed := !ok
		if ok && !isContainer(v) {
			changed = ov.Compare(v) != 0
		}
		if !changed {
			continue
		}
		if best < 0 || b.patchOrder(i) > b.patchOrder(best) {
			best = i
		}
	}
	return best
}

// patchOrder ranks patches by when they apply: kustomizations deeper in
// the tree before those that include them (the tree lists the root first),
// and within one kustomization in kustomize's transformer order
// (patchesStrategicMerge, patches, patchesJson6902), entries in order.
func (b *builder) patchOrder(i int) int {
	p := b.t.patches[i]
	visit := 0
	for j, k := range b.t.kusts {
		if k == p.kf {
			visit = j
		}
	}
	field := map[string]int{"patchesStrategicMerge": 0, "patches": 1, "patchesJson6902": 2}[p.field]
	return (len(b.t.kusts)-visit)*1_000_000 + field*100_000 + p.index
}

// baseDoc finds, in a resource file, the document an object came from: the
// one of the same kind whose name the object's name contains (prefixes and
// suffixes are added by kustomizations).
func (b *builder) baseDoc(abs string, o *object.Object) *object.Object {
	if b.docs == nil {
		b.docs = map[string]*manifest.Result{}
	}
	r, ok := b.docs[abs]
	if !ok {
		data, err := os.ReadFile(abs)
		if err != nil {
			b.docs[abs] = nil
			return nil
		}
		r = manifest.Decode(data, manifest.Options{Path: b.d.path(abs), SourceKind: "file"})
		b.docs[abs] = r
	}
	if r == nil {
		return nil
	}
	return pickDoc(r.Objects, o.ID.Kind, o.ID.Name)
}

func pickDoc(objs []*object.Object, kind, name string) *object.Object {
	var best *object.Object
	for _, c := range objs {
		if c.ID.Kind != kind {
			continue
		}
		if c.ID.Name == name {
			return c
		}
		if strings.Contains(name, c.ID.Name) && (best == nil || len(c.ID.Name) > len(best.ID.Name)) {
			best = c
		}
	}
	if best == nil {
		var same []*object.Object
		for _, c := range objs {
			if c.ID.Kind == kind {
				same = append(same, c)
			}
		}
		if len(same) == 1 {
			best = same[0]
		}
	}
	return best
}

// patchSource is the text of a patch and where it sits in a file.
type patchSource struct {
	data       []byte
	display    string // file shown in origins
	lineOffset int    // added to lines of data
	colOffset  int    // added to columns of data
	exactPos   bool   // false when positions in data cannot be mapped to the file
	entryLine  int    // line of the patch entry in its kustomization
	entryCol   int
	kust       *kustFile
}

// source reads a patch entry: a file, or inline text in the kustomization.
func (b *builder) source(p patchRef) (*patchSource, error) {
	kf := p.kf
	_, seq := child(kf.doc, p.field)
	var item *yaml.Node
	if seq != nil && seq.Kind == yaml.SequenceNode && p.index < len(seq.Content) {
		item = seq.Content[p.index]
	}
	ps := &patchSource{kust: kf, display: kf.display}
	if item != nil {
		ps.entryLine, ps.entryCol = item.Line, item.Column
	}
	var path, inline string
	var inlineNode *yaml.Node
	switch p.field {
	case "patches":
		path, inline = kf.k.Patches[p.index].Path, kf.k.Patches[p.index].Patch
		_, inlineNode = child(item, "patch")
	case "patchesJson6902":
		//lint:ignore SA1019 users still write the deprecated kustomization fields; they must be traced too
		path, inline = kf.k.PatchesJson6902[p.index].Path, kf.k.PatchesJson6902[p.index].Patch
		_, inlineNode = child(item, "patch")
	case "patchesStrategicMerge":
		//lint:ignore SA1019 users still write the deprecated kustomization fields; they must be traced too
		s := string(kf.k.PatchesStrategicMerge[p.index])
		if strings.Contains(s, "\n") {
			inline, inlineNode = s, item
		} else {
			path = s
		}
	}
	if path != "" {
		abs := filepath.Join(kf.dir, path)
		data, err := os.ReadFile(abs)
		if err != nil {
			return nil, err
		}
		ps.data, ps.display, ps.exactPos = data, b.d.path(abs), true
		return ps, nil
	}
	ps.data = []byte(inline)
	if inlineNode != nil && inlineNode.Style&yaml.LiteralStyle != 0 {
		// A literal block scalar: its text starts on the line after the
		// key, indented, and keeps its lines, so positions in it map to the
		// file by a fixed offset. Other styles fold or escape the text, and
		// only the patch entry can be pointed at.
		lines := strings.Split(string(kf.raw), "\n")
		for l := inlineNode.Line; l < len(lines); l++ {
			if strings.TrimSpace(lines[l]) == "" {
				continue
			}
			ps.colOffset = len(lines[l]) - len(strings.TrimLeft(lines[l], " "))
			// File line l+1 holds the first non-blank line of the text.
			ps.lineOffset = l + 1 - firstContentLine(inline)
			ps.exactPos = true
			break
		}
	}
	return ps, nil
}

// firstContentLine is the 1-based line of the first non-blank line of s.
func firstContentLine(s string) int {
	for i, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			return i + 1
		}
	}
	return 1
}

func (ps *patchSource) origin(line, col int, exact bool, detail string) object.Origin {
	if !ps.exactPos || line == 0 {
		return object.Origin{Kind: object.OriginKustomizePatch, File: ps.kust.display, Line: ps.entryLine, Column: ps.entryCol, Detail: detail}
	}
	return object.Origin{Kind: object.OriginKustomizePatch, File: ps.display, Line: line + ps.lineOffset, Column: col + ps.colOffset, Exact: exact, Detail: detail}
}

// locatePatch finds a path in the patch that set it.
func (b *builder) locatePatch(pi int, segs []pathSeg, o *object.Object) object.Origin {
	p := b.t.patches[pi]
	detail := fmt.Sprintf("%s[%d] of %s", p.field, p.index, p.kf.display)
	ps, err := b.source(p)
	if err != nil {
		return object.Origin{Kind: object.OriginKustomizePatch, File: p.kf.display, Detail: detail}
	}
	var n yaml.Node
	if yaml.Unmarshal(ps.data, &n) == nil && len(n.Content) > 0 && n.Content[0].Kind == yaml.SequenceNode {
		v, _ := at(o.Value, segs)
		return b.locateJSONPatch(ps, n.Content[0], segs, v, detail)
	}
	dec := manifest.Decode(ps.data, manifest.Options{Path: ps.display})
	doc := pickDoc(dec.Objects, o.ID.Kind, o.ID.Name)
	if doc == nil && len(dec.Objects) == 1 {
		doc = dec.Objects[0]
	}
	if doc == nil {
		return ps.origin(0, 0, false, detail)
	}
	// Walk the object's path in the patch, matching list items by their
	// merge keys rather than by index.
	var psegs []pathSeg
	cur, pcur := o.Value, doc.Value
	for _, s := range segs {
		ov, ok := at(cur, []pathSeg{s})
		if !ok {
			break
		}
		if s.isIndex() {
			arr, ok := pcur.(*ast.Array)
			if !ok {
				break
			}
			j := matchItem(ov, arr)
			if j < 0 {
				break
			}
			psegs = append(psegs, pathSeg{index: j})
			pcur = arr.Elem(j).Value
		} else {
			pv, ok := at(pcur, []pathSeg{s})
			if !ok {
				break
			}
			psegs = append(psegs, s)
			pcur = pv
		}
		cur = ov
	}
	pos, ok := doc.Positions.Lookup(joinPath(psegs))
	if !ok {
		return ps.origin(0, 0, false, detail)
	}
	return ps.origin(pos.Line, pos.Column, len(psegs) == len(segs), detail)
}

// mergeKeys are the fields strategic merge patches match list items by,
// in the order they are tried.
func mergeKeys() []string {
	return []string{"name", "containerPort", "mountPath", "devicePath", "ip", "topologyKey", "port", "key", "type"}
}

func matchItem(item ast.Value, arr *ast.Array) int {
	io, ok := item.(ast.Object)
	if !ok {
		for j := 0; j < arr.Len(); j++ {
			if arr.Elem(j).Value.Compare(item) == 0 {
				return j
			}
		}
		return -1
	}
	for _, k := range mergeKeys() {
		want := io.Get(ast.StringTerm(k))
		if want == nil {
			continue
		}
		for j := 0; j < arr.Len(); j++ {
			if po, ok := arr.Elem(j).Value.(ast.Object); ok {
				if got := po.Get(ast.StringTerm(k)); got != nil && got.Value.Compare(want.Value) == 0 {
					return j
				}
			}
		}
		return -1
	}
	if arr.Len() == 1 {
		return 0
	}
	return -1
}

// locateJSONPatch finds the operation that set a path and the node in its
// value. The patch is known to have set the path (leaving it out changes
// it), but its list indexes are those of the object when it ran, which
// later patches may have reordered; so indexes only break ties between
// operations of matching shape, after whether the operation's value holds
// the path and whether it holds the value.
func (b *builder) locateJSONPatch(ps *patchSource, ops *yaml.Node, segs []pathSeg, v ast.Value, detail string) object.Origin {
	type cand struct {
		score     int
		line, col int
		full      bool
	}
	var best *cand
	for _, op := range ops.Content {
		_, kind := child(op, "op")
		_, p := child(op, "path")
		if kind == nil || p == nil {
			continue
		}
		switch kind.Value {
		case "add", "replace", "copy", "move":
		default:
			continue
		}
		osegs := pointerSegs(p.Value)
		if len(osegs) > len(segs) || !prefixMatch(osegs, segs, true) {
			continue
		}
		c := cand{line: op.Line, col: op.Column}
		if prefixMatch(osegs, segs, false) {
			c.score++
		}
		vk, val := child(op, "value")
		if val != nil {
			n, kn := val, vk
			found := 0
			rest := segs[len(osegs):]
			for _, s := range rest {
				var k, c *yaml.Node
				if s.isIndex() {
					if n.Kind == yaml.SequenceNode && s.index < len(n.Content) {
						k, c = n.Content[s.index], n.Content[s.index]
					}
				} else {
					k, c = child(n, s.key)
				}
				if c == nil {
					break
				}
				n, kn = c, k
				found++
			}
			c.line, c.col, c.full = kn.Line, kn.Column, found == len(rest)
			if c.full {
				c.score += 4
				if sv, ok := v.(ast.String); ok && n.Kind == yaml.ScalarNode && n.Value == string(sv) ||
					!isContainer(v) && n.Kind == yaml.ScalarNode && n.Value == v.String() {
					c.score += 2
				}
			}
		} else {
			c.full = len(osegs) == len(segs)
		}
		if best == nil || c.score >= best.score {
			cc := c
			best = &cc
		}
	}
	if best == nil {
		return ps.origin(0, 0, false, detail)
	}
	return ps.origin(best.line, best.col, best.full, detail)
}

// pointerSegs parses a JSON pointer; "-" (append) is index -2.
func pointerSegs(p string) []pathSeg {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	var out []pathSeg
	for _, s := range strings.Split(p, "/") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
		if s == "-" {
			out = append(out, pathSeg{index: -2})
			continue
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			out = append(out, pathSeg{index: n, key: s})
			continue
		}
		out = append(out, pathSeg{key: s, index: -1})
	}
	return out
}

// prefixMatch compares pointer segments with path segments: a numeric
// pointer segment may also be a map key, "-" matches any index, and with
// anyIndex so does every index.
func prefixMatch(ptr, segs []pathSeg, anyIndex bool) bool {
	for i, p := range ptr {
		s := segs[i]
		switch {
		case p.index == -2:
			if !s.isIndex() {
				return false
			}
		case p.index >= 0:
			if !(s.isIndex() && (anyIndex || s.index == p.index)) && s.key != p.key {
				return false
			}
		default:
			if s.isIndex() || s.key != p.key {
				return false
			}
		}
	}
	return true
}

// transformerFor attributes a field that no base or patch wrote to the
// kustomization field that makes it: namePrefix/nameSuffix, namespace,
// commonLabels/labels, commonAnnotations, images, replicas. The outermost
// kustomization that has the field wins, as its transformers run last.
func (b *builder) transformerFor(segs []pathSeg, o *object.Object, base *object.Object) (object.Origin, bool) {
	path := joinPath(segs)
	last := ""
	if n := len(segs); n > 0 && !segs[n-1].isIndex() {
		last = segs[n-1].key
	}
	parent := ""
	if n := len(segs); n > 1 && !segs[n-2].isIndex() {
		parent = segs[n-2].key
	}
	mk := func(kf *kustFile, n *yaml.Node, detail string) object.Origin {
		return object.Origin{Kind: object.OriginKustomizeTransformer, File: kf.display, Line: n.Line, Column: n.Column, Exact: true, Detail: detail}
	}
	for _, kf := range b.t.kusts {
		switch {
		case path == "metadata.name":
			for _, f := range []string{"namePrefix", "nameSuffix"} {
				if k, v := child(kf.doc, f); k != nil && v.Value != "" {
					return mk(kf, k, f), true
				}
			}
		case path == "metadata.namespace":
			if k, _ := child(kf.doc, "namespace"); k != nil {
				return mk(kf, k, "namespace"), true
			}
		case parent == "labels" || parent == "matchLabels":
			if _, m := child(kf.doc, "commonLabels"); m != nil {
				if k, _ := child(m, last); k != nil {
					return mk(kf, k, "commonLabels"), true
				}
			}
			if _, seq := child(kf.doc, "labels"); seq != nil && seq.Kind == yaml.SequenceNode {
				for _, it := range seq.Content {
					if _, pairs := child(it, "pairs"); pairs != nil {
						if k, _ := child(pairs, last); k != nil {
							return mk(kf, k, "labels"), true
						}
					}
				}
			}
		case parent == "annotations":
			if _, m := child(kf.doc, "commonAnnotations"); m != nil {
				if k, _ := child(m, last); k != nil {
					return mk(kf, k, "commonAnnotations"), true
				}
			}
		case last == "image":
			img := ""
			if v, ok := at(o.Value, segs); ok {
				if s, ok := v.(ast.String); ok {
					img = string(s)
				}
			}
			var baseImg string
			if base != nil {
				if v, ok := at(base.Value, segs); ok {
					if s, ok := v.(ast.String); ok {
						baseImg = string(s)
					}
				}
			}
			if _, seq := child(kf.doc, "images"); seq != nil && seq.Kind == yaml.SequenceNode {
				for _, it := range seq.Content {
					_, name := child(it, "name")
					_, newName := child(it, "newName")
					if name == nil {
						continue
					}
					if imageName(baseImg) == name.Value || imageName(img) == name.Value || newName != nil && imageName(img) == newName.Value {
						for _, f := range []string{"newTag", "digest", "newName"} {
							if k, _ := child(it, f); k != nil {
								return mk(kf, k, "images"), true
							}
						}
						return mk(kf, it, "images"), true
					}
				}
			}
		case path == "spec.replicas":
			if _, seq := child(kf.doc, "replicas"); seq != nil && seq.Kind == yaml.SequenceNode {
				for _, it := range seq.Content {
					if _, name := child(it, "name"); name != nil && strings.Contains(o.ID.Name, name.Value) {
						if k, _ := child(it, "count"); k != nil {
							return mk(kf, k, "replicas"), true
						}
					}
				}
			}
		}
	}
	return object.Origin{}, false
}

// imageName strips the tag and digest of an image reference.
func imageName(ref string) string {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndexByte(ref, ':'); i >= 0 && !strings.Contains(ref[i:], "/") {
		ref = ref[:i]
	}
	return ref
}

// generator is a configMapGenerator or secretGenerator entry.
type generator struct {
	kf     *kustFile
	item   *yaml.Node
	origin object.Origin
}

func (b *builder) generator(configuredIn, kind, name string) *generator {
	abs := filepath.Join(b.abs, configuredIn)
	kf := b.t.byFile[abs]
	if kf == nil {
		return nil
	}
	field := "configMapGenerator"
	if strings.HasPrefix(kind, "Secret") {
		field = "secretGenerator"
	}
	_, seq := child(kf.doc, field)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return &generator{kf: kf, origin: object.Origin{Kind: object.OriginKustomizeGenerated, File: kf.display, Detail: kind + " " + name}}
	}
	// Kustomize does not record the generator's name: the object's name is
	// it with a prefix, a suffix and a content hash.
	var best *yaml.Node
	bestName := ""
	for _, it := range seq.Content {
		if _, n := child(it, "name"); n != nil && strings.Contains(name, n.Value) && len(n.Value) > len(bestName) {
			best, bestName = it, n.Value
		}
	}
	if best != nil {
		return &generator{kf: kf, item: best, origin: object.Origin{Kind: object.OriginKustomizeGenerated, File: kf.display,
			Line: best.Line, Column: best.Column, Exact: true, Detail: field + " " + bestName}}
	}
	return &generator{kf: kf, origin: object.Origin{Kind: object.OriginKustomizeGenerated, File: kf.display, Detail: kind + " " + name}}
}

// originFor locates a generated field: data keys at the literal, file or
// env line that made them, the rest at the generator entry.
func (g *generator) originFor(segs []pathSeg) object.Origin {
	if len(segs) == 2 && (segs[0].key == "data" || segs[0].key == "stringData" || segs[0].key == "binaryData") && g.item != nil {
		k := segs[1].key
		if _, lits := child(g.item, "literals"); lits != nil {
			for _, l := range lits.Content {
				if strings.HasPrefix(l.Value, k+"=") {
					return g.at(l)
				}
			}
		}
		if _, files := child(g.item, "files"); files != nil {
			for _, f := range files.Content {
				if strings.HasPrefix(f.Value, k+"=") || filepath.Base(f.Value) == k {
					return g.at(f)
				}
			}
		}
		for _, field := range []string{"envs", "env"} {
			_, envs := child(g.item, field)
			if envs == nil {
				continue
			}
			list := envs.Content
			if envs.Kind == yaml.ScalarNode {
				list = []*yaml.Node{envs}
			}
			for _, e := range list {
				if line := envLine(filepath.Join(g.kf.dir, e.Value), k); line > 0 {
					return object.Origin{Kind: object.OriginKustomizeGenerated, File: filepath.Join(filepath.Dir(g.kf.display), e.Value), Line: line, Column: 1, Exact: true, Detail: g.origin.Detail}
				}
			}
		}
	}
	o := g.origin
	if len(segs) > 0 {
		o.Exact = false
	}
	return o
}

func (g *generator) at(n *yaml.Node) object.Origin {
	o := g.origin
	o.Line, o.Column, o.Exact = n.Line, n.Column, true
	return o
}

func envLine(path, key string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		if strings.HasPrefix(strings.TrimSpace(sc.Text()), key+"=") {
			return n
		}
	}
	return 0
}
