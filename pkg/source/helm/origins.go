package helm

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

// fileTrace is the instrumented output of one template, aligned with the
// real output.
type fileTrace struct {
	ir      *instrRender
	text    string // instrumented output without markers
	tidx    *lineIndex
	markers []marker
	// lineMap maps lines of the real output (0-based) to lines of text, or
	// -1; nil when the two are identical.
	lineMap []int
	srcs    *valuesSources
	// match maps the index of an action or values marker to the index of
	// the marker that closes it, or -1.
	match []int
}

func newFileTrace(ir *instrRender, tt tracedText, lineMap []int, srcs *valuesSources) *fileTrace {
	t := &fileTrace{ir: ir, text: tt.text, tidx: newLineIndex(tt.text), markers: tt.markers, lineMap: lineMap, srcs: srcs}
	t.match = make([]int, len(t.markers))
	var stack []int
	for i, m := range t.markers {
		t.match[i] = -1
		switch m.kind {
		case markAction, markValues:
			stack = append(stack, i)
		case markEnd, markVEnd:
			want := byte(markAction)
			if m.kind == markVEnd {
				want = markValues
			}
			for len(stack) > 0 {
				j := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if t.markers[j].kind == want {
					t.match[j] = i
					break
				}
			}
		}
	}
	return t
}

// decodeAll decodes the rendered templates into objects with origins.
func decodeAll(files map[string]*renderedFile, res *Result) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return files[names[i]].tf.display < files[names[j]].tf.display })
	for _, name := range names {
		f := files[name]
		res.Inputs = append(res.Inputs, f.tf.display)
		switch f.kind {
		case traceExact:
			res.Traced.Exact++
		case traceNoDefines:
			res.Traced.NoDefines++
		case traceAligned:
			res.Traced.Aligned++
		default:
			res.Traced.Untraced++
		}
		r := manifest.Decode([]byte(f.truth), manifest.Options{Path: f.tf.display, SourceKind: "helm"})
		ridx := newLineIndex(f.truth)
		for _, e := range r.Errors {
			line, rl := f.templateLine(ridx, e.Line)
			res.Errors = append(res.Errors, source.InputError{Path: f.tf.display, Line: line,
				Reason: fmt.Sprintf("rendered output is not valid YAML (line %d of the rendered text): %s", rl, e.Reason)})
		}
		for _, n := range r.Notes {
			line, rl := f.templateLine(ridx, n.Line)
			res.Notes = append(res.Notes, source.Note{Path: f.tf.display, Line: line,
				Message: fmt.Sprintf("%s (line %d of the rendered text)", n.Message, rl)})
		}
		for _, o := range r.Objects {
			res.Objects = append(res.Objects, Rendered{Object: o, Origins: f.origins(ridx, o)})
		}
	}
}

// addCRDs adds the charts' crds/ files. They are not templates, so their
// own positions are right and they need no origins.
func addCRDs(charts []*chartInfo, res *Result) {
	for _, c := range charts {
		for _, f := range c.ch.Files {
			if !strings.HasPrefix(f.Name, "crds/") {
				continue
			}
			switch strings.ToLower(filepath.Ext(f.Name)) {
			case ".yaml", ".yml", ".json":
			default:
				continue
			}
			display := c.file(f.Name)
			r := manifest.Decode(f.Data, manifest.Options{Path: display, SourceKind: "helm"})
			res.Inputs = append(res.Inputs, display)
			for _, o := range r.Objects {
				res.Objects = append(res.Objects, Rendered{Object: o})
			}
			for _, e := range r.Errors {
				res.Errors = append(res.Errors, source.InputError{Path: e.Path, Line: e.Line, Reason: e.Reason})
			}
		}
	}
}

// node is one path of a rendered object.
type node struct {
	path   string
	segs   []string
	scalar bool
	value  string // scalar text, for matching list items
	soff   int    // offset in the traced text, -1 when not traced
	top    frame
}

// frame is an open marker region during the sweep: the root, an action's
// output or a values block.
type frame struct {
	kind  byte // 0, markAction, markValues
	ev    int
	start int
	lastL int // marker index of the last literal marker in the frame, or -1
	id    int
	prev  int // index of the node before the frame opened, or -1
	mi    int // index of the marker that opened it
}

// templateLine maps a line of the real output to the template line that
// produced it, for messages about the rendered text.
func (f *renderedFile) templateLine(ridx *lineIndex, line int) (int, int) {
	if f.trace == nil || line < 1 {
		return 0, line
	}
	n := &node{soff: f.trace.tracedOffset(ridx, line, 1)}
	if n.soff < 0 {
		return 0, line
	}
	f.trace.sweep([]*node{n})
	for _, o := range f.trace.producer(n) {
		if o.Kind == object.OriginHelmTemplate && o.File == f.tf.display {
			return o.Line, line
		}
	}
	return 0, line
}

// tracedOffset converts a position of the real output to an offset of the
// traced text.
func (t *fileTrace) tracedOffset(ridx *lineIndex, line, col int) int {
	off := ridx.offset(line, col)
	if off < 0 {
		return -1
	}
	if t.lineMap == nil {
		return off
	}
	if line-1 >= len(t.lineMap) || t.lineMap[line-1] < 0 {
		return -1
	}
	ml := t.lineMap[line-1]
	return t.tidx.starts[ml] + off - ridx.starts[line-1]
}

// origins builds the origin index of one object, and replaces the
// object's positions (lines of the rendered text) with those of its
// template file.
func (f *renderedFile) origins(ridx *lineIndex, o *object.Object) *object.OriginMap {
	var nodes []*node
	var walk func(v ast.Value, path string, segs []string)
	walk = func(v ast.Value, path string, segs []string) {
		n := &node{path: path, segs: segs, soff: -1}
		switch x := v.(type) {
		case ast.String:
			n.scalar, n.value = true, string(x)
		case ast.Number, ast.Boolean, ast.Null:
			n.scalar, n.value = true, x.String()
		}
		if pos, ok := o.Positions.Lookup(path); ok && f.trace != nil {
			n.soff = f.trace.tracedOffset(ridx, pos.Line, pos.Column)
		}
		nodes = append(nodes, n)
		switch x := v.(type) {
		case ast.Object:
			for _, k := range x.Keys() {
				ks, ok := k.Value.(ast.String)
				if !ok {
					continue
				}
				p := string(ks)
				if path != "" {
					p = path + "." + p
				}
				walk(x.Get(k).Value, p, appendPath(segs, string(ks)))
			}
		case *ast.Array:
			for i := 0; i < x.Len(); i++ {
				walk(x.Elem(i).Value, fmt.Sprintf("%s[%d]", path, i), appendPath(segs, indexSeg(i)))
			}
		}
	}
	walk(o.Value, "", nil)

	om := object.NewOriginMap(len(nodes))
	o.Source.Kind = "helm"
	o.Origins = om
	if f.trace == nil {
		om.Add("", object.Origin{Kind: object.OriginHelmTemplate, File: f.tf.display})
		o.Positions = nil
		o.Source.Line = 0
		return om
	}
	vframes := f.trace.sweep(nodes)
	valuesOrigins := f.trace.valuesBlocks(nodes, vframes)
	pos := &object.Positions{}
	for i, n := range nodes {
		var origins []object.Origin
		origins = append(origins, valuesOrigins[i]...)
		origins = append(origins, f.trace.producer(n)...)
		origins = dedupeOrigins(origins)
		om.Set(n.path, origins)
		for _, og := range origins {
			if og.Kind == object.OriginHelmTemplate && og.File == o.Source.Path && og.Line > 0 {
				pos.Add(object.HashPath(n.path), og.Line, og.Column)
				if n.path == "" {
					o.Source.Line = og.Line
				}
				break
			}
		}
	}
	pos.Seal()
	o.Positions = pos
	return om
}

// sweep computes, for each traced node, the marker regions open at its
// offset, and returns the values blocks met.
func (t *fileTrace) sweep(nodes []*node) []vframe {
	order := make([]int, 0, len(nodes))
	for i, n := range nodes {
		if n.soff >= 0 {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return nodes[order[a]].soff < nodes[order[b]].soff })
	stack := []frame{{lastL: -1, prev: -1, mi: -1}}
	nextID := 1
	mi := 0
	last := -1
	var vframes []vframe
	advance := func(limit int) {
		for mi < len(t.markers) && t.markers[mi].off <= limit {
			m := t.markers[mi]
			switch m.kind {
			case markLiteral:
				stack[len(stack)-1].lastL = mi
			case markAction, markValues:
				fr := frame{kind: m.kind, ev: m.ev, start: m.off, lastL: -1, id: nextID, prev: last, mi: mi}
				nextID++
				stack = append(stack, fr)
				vframes = append(vframes, vframe{fr: fr, outer: stack[len(stack)-2]})
			case markEnd, markVEnd:
				want := byte(markAction)
				if m.kind == markVEnd {
					want = markValues
				}
				for len(stack) > 1 {
					k := stack[len(stack)-1].kind
					stack = stack[:len(stack)-1]
					if k == want {
						break
					}
				}
			}
			mi++
		}
	}
	for _, ni := range order {
		n := nodes[ni]
		advance(n.soff)
		n.top = stack[len(stack)-1]
		last = ni
	}
	// Blocks after the last node may still be that node's value.
	advance(len(t.text))
	return vframes
}

// vframe is a values block or an action output seen during the sweep.
type vframe struct {
	fr    frame
	outer frame
}

// valuesBlocks maps the nodes inside toYaml blocks of values to the values
// keys they render, and gives the node that holds each block (or, for a
// block with no nodes, the key before it) the block's own key.
func (t *fileTrace) valuesBlocks(nodes []*node, vframes []vframe) map[int][]object.Origin {
	out := map[int][]object.Origin{}
	byPath := make(map[string]int, len(nodes))
	for i, n := range nodes {
		byPath[n.path] = i
	}
	first := map[int]int{} // frame id -> first node index (by offset)
	for i, n := range nodes {
		if n.soff < 0 || n.top.kind != markValues {
			continue
		}
		if j, ok := first[n.top.id]; !ok || nodes[j].soff > n.soff {
			first[n.top.id] = i
		}
	}
	for _, vf := range vframes {
		if vf.fr.kind == markAction {
			t.actionBlock(nodes, vf, byPath, out)
			continue
		}
		ev := t.ir.events[vf.fr.ev]
		tmplFile, tmplLine, tmplCol := t.context(vf.outer)
		mk := func(p []string, exact bool) (object.Origin, bool) {
			o, ok := t.srcs.lookup(p)
			if !ok {
				return o, false
			}
			o.Exact = o.Exact && exact
			o.Template, o.TemplateLine = tmplFile, tmplLine
			return o, true
		}
		fi, ok := first[vf.fr.id]
		if !ok {
			// A block without nodes (a scalar, "{}") is the value of the
			// node just before it.
			if vf.fr.prev >= 0 {
				if o, ok := mk(ev.path, true); ok {
					out[vf.fr.prev] = append(out[vf.fr.prev], o)
				}
			}
			continue
		}
		fn := nodes[fi]
		anchor := fn.segs[:len(fn.segs)-1]
		shift := 0
		if last := fn.segs[len(fn.segs)-1]; isIndexSeg(last) {
			shift, _ = parseIndex(last)
		}
		if shift == 0 {
			if ai, ok := byPath[joinObjectPath(anchor)]; ok {
				if o, ok := mk(ev.path, true); ok {
					out[ai] = append(out[ai], o)
				}
			}
		}
		for i, n := range nodes {
			if n.soff < 0 || n.top.id != vf.fr.id || n.top.kind != markValues {
				continue
			}
			if len(n.segs) <= len(anchor) || !equalSegs(n.segs[:len(anchor)], anchor) {
				continue
			}
			rel := append([]string{}, n.segs[len(anchor):]...)
			if shift > 0 {
				if k, ok := parseIndex(rel[0]); ok && k >= shift {
					rel[0] = indexSeg(k - shift)
				}
			}
			if o, ok := mk(append(append([]string{}, ev.path...), rel...), true); ok {
				out[i] = append(out[i], o)
			}
			if tmplFile != "" {
				out[i] = append(out[i], object.Origin{Kind: object.OriginHelmTemplate, File: tmplFile, Line: tmplLine, Column: tmplCol, Exact: true})
			}
		}
	}
	return out
}

// actionBlock maps the nodes an action printed as a block (toYaml of a
// map the template built from values: omit, merge, default...) to values
// keys, when the rendered structure is found in the values files under one
// of the values the action read. Only exact matches are kept.
func (t *fileTrace) actionBlock(nodes []*node, vf vframe, byPath map[string]int, out map[int][]object.Origin) {
	var inFrame []int
	for i, n := range nodes {
		if n.soff >= 0 && n.top.id == vf.fr.id && n.top.kind == markAction && n.top.lastL < 0 {
			inFrame = append(inFrame, i)
		}
	}
	if len(inFrame) == 0 {
		return
	}
	sort.Slice(inFrame, func(a, b int) bool { return nodes[inFrame[a]].soff < nodes[inFrame[b]].soff })
	fn := nodes[inFrame[0]]
	if len(fn.segs) == 0 {
		return
	}
	anchor := fn.segs[:len(fn.segs)-1]
	if isIndexSeg(fn.segs[len(fn.segs)-1]) {
		return
	}
	var bases [][]string
	for _, r := range t.actionRefs(vf.fr.mi, nil) {
		if v, ok := valueAt(t.ir.values, r.path); ok {
			if _, isMap := asMap(v); isMap {
				bases = append(bases, r.path)
			}
		}
	}
	if len(bases) == 0 {
		return
	}
	file, line, _ := t.context(vf.fr)
	matched := false
	for _, i := range inFrame {
		n := nodes[i]
		if len(n.segs) <= len(anchor) || !equalSegs(n.segs[:len(anchor)], anchor) {
			continue
		}
		rel := n.segs[len(anchor):]
		for _, b := range bases {
			o, ok := t.srcs.lookup(append(append([]string{}, b...), rel...))
			if ok && o.Exact {
				o.Template, o.TemplateLine = file, line
				out[i] = append(out[i], o)
				if i == inFrame[0] && !matched {
					matched = true
					if ai, ok := byPath[joinObjectPath(anchor)]; ok {
						if ao, ok := t.srcs.lookup(b); ok {
							ao.Template, ao.TemplateLine = file, line
							out[ai] = append(out[ai], ao)
						}
					}
				}
				break
			}
		}
	}
}

// resolvedRef is a values path an action read when it ran.
type resolvedRef struct {
	path  []string
	exact bool
	file  *tmplFile
	line  int
}

// actionRefs lists the values an output action of a template body read:
// its own references and those of the define actions that ran inside it.
func (t *fileTrace) actionRefs(mi int, n *node) []resolvedRef {
	if mi < 0 {
		return nil
	}
	m := t.markers[mi]
	ev := t.ir.events[m.ev]
	s := t.ir.sites[ev.site]
	a := s.file.actions[s.action]
	var out []resolvedRef
	add := func(refs []valueRef, dot []string, f *tmplFile, line int) {
		for _, r := range refs {
			if p, exact, ok := t.resolveRef(r, dot, f.chart.prefix, n); ok {
				out = append(out, resolvedRef{path: p, exact: exact, file: f, line: line})
			}
		}
	}
	add(a.refs, ev.dot, s.file, a.line)
	if e := t.match[mi]; e >= 0 {
		for k := m.ev + 1; k < t.markers[e].ev; k++ {
			re := t.ir.events[k]
			if re.kind != markRan {
				continue
			}
			rs := t.ir.sites[re.site]
			ra := rs.file.actions[rs.action]
			add(ra.refs, re.dot, rs.file, ra.line)
		}
	}
	return out
}

// context is the template position a values block was written from: the
// action around it, or the last literal before it.
func (t *fileTrace) context(fr frame) (string, int, int) {
	if fr.kind == markAction {
		ev := t.ir.events[fr.ev]
		s := t.ir.sites[ev.site]
		a := s.file.actions[s.action]
		return s.file.display, a.line, a.col
	}
	if fr.lastL >= 0 {
		m := t.markers[fr.lastL]
		s := t.ir.sites[t.ir.events[m.ev].site]
		line, col := s.file.lines.position(s.off)
		return s.file.display, line, col
	}
	return "", 0, 0
}

// producer returns the template origins of a node that is not inside a
// values block, most specific first: values used to print it, the template
// line, and the include site.
func (t *fileTrace) producer(n *node) []object.Origin {
	if n.soff < 0 || n.top.kind == markValues {
		return nil
	}
	top := n.top
	var out []object.Origin
	switch {
	case top.lastL >= 0:
		m := t.markers[top.lastL]
		ev := t.ir.events[m.ev]
		s := t.ir.sites[ev.site]
		d := n.soff - m.off
		var tline, tcol int
		if d < s.length {
			tline, tcol = s.file.lines.position(s.off + d)
			if n.scalar {
				// The value printed after the key on this line: by the
				// template body's actions (marked) or a define's (not).
				if ams := t.actionMarkersOnLine(n.soff); len(ams) > 0 {
					for _, mi := range ams {
						out = append(out, t.refOrigins(t.actionRefs(mi, n), n)...)
					}
				} else {
					for _, a := range s.file.actionsOnLine(tline, s.off+d) {
						out = append(out, t.valueOrigins(a.refs, ev.dot, s.file, tline, n)...)
					}
				}
			}
		} else {
			tline, tcol = s.file.lines.position(s.off)
			acts := s.file.actionsOnLine(tline, s.off)
			if len(acts) == 1 {
				tline, tcol = acts[0].line, acts[0].col
			}
			if n.scalar {
				for _, a := range acts {
					out = append(out, t.valueOrigins(a.refs, ev.dot, s.file, a.line, n)...)
				}
			}
		}
		out = append(out, object.Origin{Kind: object.OriginHelmTemplate, File: s.file.display, Line: tline, Column: tcol, Exact: true})
		if top.kind == markAction {
			file, line, col := t.context(top)
			out = append(out, object.Origin{Kind: object.OriginHelmTemplate, File: file, Line: line, Column: col, Exact: true})
		}
	case top.kind == markAction:
		ev := t.ir.events[top.ev]
		s := t.ir.sites[ev.site]
		a := s.file.actions[s.action]
		if n.scalar {
			out = append(out, t.refOrigins(t.actionRefs(top.mi, n), n)...)
		}
		out = append(out, object.Origin{Kind: object.OriginHelmTemplate, File: s.file.display, Line: a.line, Column: a.col, Exact: true})
	}
	return out
}

// actionMarkersOnLine returns the action markers from an offset to the end
// of its line of the traced text.
func (t *fileTrace) actionMarkersOnLine(off int) []int {
	end := len(t.text)
	if i := strings.IndexByte(t.text[off:], '\n'); i >= 0 {
		end = off + i
	}
	i := sort.Search(len(t.markers), func(i int) bool { return t.markers[i].off >= off })
	var out []int
	for ; i < len(t.markers) && t.markers[i].off <= end; i++ {
		if t.markers[i].kind == markAction {
			out = append(out, i)
		}
	}
	return out
}

// refOrigins turns resolved references into values-file origins, filling
// range indexes a scalar's value can tell.
func (t *fileTrace) refOrigins(refs []resolvedRef, n *node) []object.Origin {
	var out []object.Origin
	for _, r := range refs {
		p, exact := r.path, r.exact
		o, ok := t.srcs.lookup(p)
		if !ok {
			continue
		}
		o.Exact = o.Exact && exact
		o.Template, o.TemplateLine = r.file.display, r.line
		out = append(out, o)
	}
	return out
}

// actionsOnLine returns the output actions on a template line at or after
// an offset.
func (f *tmplFile) actionsOnLine(line, from int) []actionInfo {
	i := sort.Search(len(f.actions), func(i int) bool { return f.actions[i].off >= from })
	var out []actionInfo
	for ; i < len(f.actions) && f.actions[i].line == line; i++ {
		out = append(out, f.actions[i])
	}
	return out
}

// valueOrigins turns the value references of an action into values-file
// origins.
func (t *fileTrace) valueOrigins(refs []valueRef, dot []string, tf *tmplFile, line int, n *node) []object.Origin {
	var out []object.Origin
	for _, r := range refs {
		p, exact, ok := t.resolveRef(r, dot, tf.chart.prefix, n)
		if !ok {
			continue
		}
		o, ok := t.srcs.lookup(p)
		if !ok {
			continue
		}
		o.Exact = o.Exact && exact
		o.Template, o.TemplateLine = tf.display, line
		out = append(out, o)
	}
	return out
}

// resolveRef makes a reference a root-level values path, using what the
// render recorded about dot to fill in range indexes.
func (t *fileTrace) resolveRef(r valueRef, dot, prefix []string, n *node) ([]string, bool, bool) {
	if r.hasRel && dot != nil {
		return append(append([]string{}, dot...), r.rel...), true, true
	}
	if r.abs == nil {
		return nil, false, false
	}
	p := append(append([]string{}, prefix...), r.abs...)
	exact := true
	for i, seg := range p {
		if seg != "[*]" {
			continue
		}
		switch {
		case dot != nil && len(dot) > i && equalSegs(dot[:i], p[:i]) && isIndexSeg(dot[i]):
			p[i] = dot[i]
		case n != nil && n.scalar && i == len(p)-1:
			if k, ok := t.uniqueItem(p[:i], n.value); ok {
				p[i] = indexSeg(k)
				continue
			}
			p, exact = p[:i], false
		default:
			p, exact = p[:i], false
		}
		if !exact {
			break
		}
	}
	return p, exact, true
}

// uniqueItem finds the one item of a values list equal to a rendered
// scalar.
func (t *fileTrace) uniqueItem(list []string, value string) (int, bool) {
	v, ok := valueAt(t.ir.values, list)
	if !ok {
		return 0, false
	}
	items, ok := v.([]any)
	if !ok {
		return 0, false
	}
	found := -1
	for i, it := range items {
		if fmt.Sprint(it) == value {
			if found >= 0 {
				return 0, false
			}
			found = i
		}
	}
	return found, found >= 0
}

// dedupeOrigins drops repeated origins, and values keys that only contain
// a more specific key of the same list (an action printing a whole map is
// recorded as reading the map; its entries' own keys say more).
func dedupeOrigins(os []object.Origin) []object.Origin {
	out := os[:0]
	seen := map[object.Origin]bool{}
	for _, o := range os {
		if seen[o] {
			continue
		}
		seen[o] = true
		if o.Kind == object.OriginHelmValues && o.ValuesKey != "" && coveredBy(o, os) {
			continue
		}
		out = append(out, o)
	}
	return out
}

func coveredBy(o object.Origin, all []object.Origin) bool {
	for _, x := range all {
		if x.Kind != object.OriginHelmValues || x.File != o.File || x.Detail != o.Detail || len(x.ValuesKey) <= len(o.ValuesKey) {
			continue
		}
		if strings.HasPrefix(x.ValuesKey, o.ValuesKey) {
			if c := x.ValuesKey[len(o.ValuesKey)]; c == '.' || c == '[' {
				return true
			}
		}
	}
	return false
}

// joinObjectPath renders path segments as an object path
// ("spec.containers[0]"), unescaped like the position index's paths.
func joinObjectPath(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 && !isIndexSeg(s) {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// alignLines maps the lines of a to identical lines of b in order, for
// outputs that differ in a few lines (a checksum of the template's own
// text, say). Lines with no identical counterpart map to -1.
func alignLines(a, b string) []int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	m := make([]int, len(al))
	for i := range m {
		m[i] = -1
	}
	const window = 64
	confirm := func(i, j int) bool {
		return i+1 >= len(al) || j+1 >= len(bl) || al[i+1] == bl[j+1]
	}
	i, j := 0, 0
	for i < len(al) && j < len(bl) {
		if al[i] == bl[j] {
			m[i] = j
			i++
			j++
			continue
		}
		found := false
		for k := 1; k <= 2*window && !found; k++ {
			for di := 0; di <= k; di++ {
				dj := k - di
				if i+di < len(al) && j+dj < len(bl) && al[i+di] == bl[j+dj] && confirm(i+di, j+dj) {
					i, j, found = i+di, j+dj, true
					break
				}
			}
		}
		if !found {
			i++
			j++
		}
	}
	return m
}
