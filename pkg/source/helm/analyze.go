package helm

import (
	"sort"
	"strconv"
	"strings"
	"text/template/parse"
)

// tmplFile is one template of the chart or of a subchart, with what static
// analysis learnt about it.
type tmplFile struct {
	name    string // Helm's name: "mychart/charts/sub/templates/x.yaml"
	display string // path shown to users
	chart   *chartInfo
	src     string // the template as written
	lines   *lineIndex
	// dropped templates could not render; their output is discarded and
	// only their defines are kept for the others.
	dropped bool
	// ok is false when the template could not be lexed or parsed here;
	// it is then rendered as written, without origins.
	ok      bool
	segs    []segment
	info    []segInfo
	actions []actionInfo // output actions, by offset
	calls   []requiredCall
}

// requiredCall is a `required` or `fail` call, found to name the value and
// line when it fails.
type requiredCall struct {
	fn   string
	msg  string
	expr string // the value expression of required (".Values.a.b"), when simple
	off  int
}

type segInfo struct {
	inDefine bool
	output   bool
	action   int // index in actions for output actions, else -1
}

// actionInfo is an output action ({{ .Values.x }}, {{ include ... }}).
type actionInfo struct {
	seg      int
	off      int // offset of "{{"
	line     int
	col      int
	inDefine bool
	refs     []valueRef
}

// valueRef is a reference to a value in an action, resolved statically as
// far as the template text allows.
type valueRef struct {
	// abs is the path from the chart's .Values; "[*]" stands for the
	// element of a range whose index only the render knows. Nil when the
	// reference is not known to be in .Values.
	abs []string
	// rel is the path from the template's dot where the action runs; the
	// render records dot's values path, which makes it exact.
	rel    []string
	hasRel bool
}

type dotKind int

const (
	dotUnknown     dotKind = iota
	dotRoot                // the top-level context: .Values, .Release ...
	dotAssumedRoot         // a define's dot, usually the root context
	dotValues              // a map or list inside .Values
)

type dotRef struct {
	kind dotKind
	path []string
}

type scope struct {
	dot      dotRef
	vars     map[string]dotRef
	inDefine bool
}

func (s scope) with(dot dotRef) scope {
	vars := make(map[string]dotRef, len(s.vars)+1)
	for k, v := range s.vars {
		vars[k] = v
	}
	return scope{dot: dot, vars: vars, inDefine: s.inDefine}
}

// analyze lexes and parses a template, finds its output actions and what
// they read from .Values, and which text belongs to define bodies.
func (f *tmplFile) analyze() {
	f.lines = newLineIndex(f.src)
	segs, err := lexTemplate(f.src)
	if err != nil {
		return
	}
	tr := parse.New(f.name)
	tr.Mode = parse.SkipFuncCheck
	treeSet := map[string]*parse.Tree{}
	main, err := tr.Parse(f.src, "{{", "}}", treeSet)
	if err != nil {
		return
	}
	f.segs = segs
	f.info = make([]segInfo, len(segs))
	for i := range f.info {
		f.info[i].action = -1
	}
	root := dotRef{kind: dotRoot}
	a := &analyzer{f: f}
	a.walk(main.Root, scope{dot: root, vars: map[string]dotRef{"$": root}})
	names := make([]string, 0, len(treeSet))
	for name, t := range treeSet {
		if t != main && t.Root != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		d := dotRef{kind: dotAssumedRoot}
		a.walk(treeSet[name].Root, scope{dot: d, vars: map[string]dotRef{"$": d}, inDefine: true})
	}
	sort.Slice(f.actions, func(i, j int) bool { return f.actions[i].off < f.actions[j].off })
	mainSeen := false
	for _, name := range sortedKeys(treeSet) {
		t := treeSet[name]
		mainSeen = mainSeen || t == main
		collectCalls(t.Root, &f.calls)
	}
	if !mainSeen {
		collectCalls(main.Root, &f.calls)
	}
	for i, act := range f.actions {
		f.info[act.seg].action = i
	}
	f.ok = true
}

type analyzer struct {
	f *tmplFile
}

// segAt returns the segment containing a byte offset.
func (a *analyzer) segAt(pos int) int {
	segs := a.f.segs
	i := sort.Search(len(segs), func(i int) bool { return segs[i].end > pos })
	if i < len(segs) && segs[i].start <= pos {
		return i
	}
	return -1
}

func (a *analyzer) walk(n parse.Node, sc scope) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			a.walk(c, sc)
		}
	case *parse.TextNode:
		if i := a.segAt(int(n.Pos)); i >= 0 {
			a.f.info[i].inDefine = sc.inDefine
		}
	case *parse.ActionNode:
		i := a.segAt(int(n.Pos))
		if i < 0 || !a.f.segs[i].action {
			return
		}
		if len(n.Pipe.Decl) > 0 {
			if len(n.Pipe.Decl) == 1 {
				sc.vars[n.Pipe.Decl[0].Ident[0]] = a.pipeValue(n.Pipe, sc)
			}
			return
		}
		a.addAction(i, sc, a.refs(n.Pipe, sc))
	case *parse.TemplateNode:
		if i := a.segAt(int(n.Pos)); i >= 0 && a.f.segs[i].action {
			var refs []valueRef
			if n.Pipe != nil {
				refs = a.refs(n.Pipe, sc)
			}
			a.addAction(i, sc, refs)
		}
	case *parse.IfNode:
		a.walk(n.List, sc.with(sc.dot))
		a.walk(n.ElseList, sc.with(sc.dot))
	case *parse.WithNode:
		inner := sc.with(a.pipeValue(n.Pipe, sc))
		a.declare(n.Pipe, inner, inner.dot)
		a.walk(n.List, inner)
		a.walk(n.ElseList, sc.with(sc.dot))
	case *parse.RangeNode:
		over := a.pipeValue(n.Pipe, sc)
		elem := dotRef{kind: dotUnknown}
		if over.kind == dotValues {
			elem = dotRef{kind: dotValues, path: appendPath(over.path, "[*]")}
		}
		inner := sc.with(elem)
		switch len(n.Pipe.Decl) {
		case 1:
			inner.vars[n.Pipe.Decl[0].Ident[0]] = elem
		case 2:
			inner.vars[n.Pipe.Decl[1].Ident[0]] = elem
		}
		a.walk(n.List, inner)
		a.walk(n.ElseList, sc.with(sc.dot))
	}
}

// declare binds `with $x := ...` variables.
func (a *analyzer) declare(p *parse.PipeNode, sc scope, v dotRef) {
	if p != nil && len(p.Decl) == 1 {
		sc.vars[p.Decl[0].Ident[0]] = v
	}
}

func (a *analyzer) addAction(seg int, sc scope, refs []valueRef) {
	s := a.f.segs[seg]
	line, col := a.f.lines.position(s.start)
	a.f.info[seg].output = true
	a.f.info[seg].inDefine = sc.inDefine
	a.f.actions = append(a.f.actions, actionInfo{seg: seg, off: s.start, line: line, col: col, inDefine: sc.inDefine, refs: refs})
}

// refs collects every value reference in a pipeline, nested pipelines
// included.
func (a *analyzer) refs(p *parse.PipeNode, sc scope) []valueRef {
	var out []valueRef
	var visit func(n parse.Node)
	visit = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.PipeNode:
			for _, c := range n.Cmds {
				visit(c)
			}
		case *parse.CommandNode:
			if len(n.Args) >= 2 {
				if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "index" {
					if r, ok := a.indexRef(n, sc); ok {
						out = append(out, r)
						return
					}
				}
			}
			for _, arg := range n.Args {
				visit(arg)
			}
		case *parse.ChainNode:
			if r, ok := a.resolve(n, sc); ok {
				out = append(out, r)
				return
			}
			visit(n.Node)
		default:
			if r, ok := a.resolve(n, sc); ok {
				out = append(out, r)
			}
		}
	}
	visit(p)
	return out
}

func (a *analyzer) indexRef(c *parse.CommandNode, sc scope) (valueRef, bool) {
	base, ok := a.resolve(c.Args[1], sc)
	if !ok {
		return valueRef{}, false
	}
	var extra []string
	for _, arg := range c.Args[2:] {
		switch x := arg.(type) {
		case *parse.StringNode:
			extra = append(extra, x.Text)
		case *parse.NumberNode:
			if x.IsInt {
				extra = append(extra, indexSeg(int(x.Int64)))
			} else {
				return valueRef{}, false
			}
		default:
			return valueRef{}, false
		}
	}
	if base.abs != nil {
		base.abs = append(append([]string{}, base.abs...), extra...)
	}
	if base.hasRel {
		base.rel = append(append([]string{}, base.rel...), extra...)
	}
	return base, true
}

// resolve turns a field chain into a value reference.
func (a *analyzer) resolve(n parse.Node, sc scope) (valueRef, bool) {
	switch n := n.(type) {
	case *parse.FieldNode:
		return fieldRef(sc.dot, n.Ident, true)
	case *parse.DotNode:
		return fieldRef(sc.dot, nil, true)
	case *parse.VariableNode:
		base, ok := sc.vars[n.Ident[0]]
		if !ok {
			return valueRef{}, false
		}
		return fieldRef(base, n.Ident[1:], false)
	case *parse.ChainNode:
		if p, ok := n.Node.(*parse.PipeNode); ok {
			base := a.pipeValue(p, sc)
			return fieldRef(base, n.Field, false)
		}
	}
	return valueRef{}, false
}

func fieldRef(base dotRef, idents []string, fromDot bool) (valueRef, bool) {
	var r valueRef
	if fromDot {
		r.rel, r.hasRel = append([]string{}, idents...), true
	}
	switch base.kind {
	case dotRoot, dotAssumedRoot:
		if len(idents) > 0 && idents[0] == "Values" {
			r.abs = append([]string{}, idents[1:]...)
			// The root context is never bound to a values map, so a path
			// from dot would never resolve; keep the static one only.
			r.rel, r.hasRel = nil, false
			return r, true
		}
		if base.kind == dotRoot {
			return valueRef{}, false
		}
	case dotValues:
		r.abs = append(append([]string{}, base.path...), idents...)
	}
	if r.abs == nil && !r.hasRel {
		return valueRef{}, false
	}
	return r, true
}

// pipeValue is what a pipeline used as with/range/variable value is.
func (a *analyzer) pipeValue(p *parse.PipeNode, sc scope) dotRef {
	if p == nil || len(p.Cmds) == 0 {
		return dotRef{}
	}
	c := p.Cmds[0]
	var r valueRef
	var ok bool
	switch {
	case len(c.Args) == 1:
		r, ok = a.resolve(c.Args[0], sc)
	case len(c.Args) >= 2:
		if id, isID := c.Args[0].(*parse.IdentifierNode); isID && id.Ident == "index" {
			r, ok = a.indexRef(c, sc)
		}
	}
	if !ok || r.abs == nil {
		return dotRef{}
	}
	return dotRef{kind: dotValues, path: r.abs}
}

// structuralPiece reports whether a line of define text looks like YAML
// structure ("key: ...", "- ..."). Only those lines of defines get markers:
// defines that produce names or flags ("true") are compared and
// transformed by templates, and a marker in them would change the result.
func structuralPiece(s string) bool {
	t := strings.TrimRight(s, "\r\n")
	if strings.HasPrefix(t, "- ") || t == "-" {
		return true
	}
	return strings.Contains(t, ":")
}

// site is a place in a template that markers name.
type site struct {
	file   *tmplFile
	kind   byte
	off    int // literal piece or action start
	length int // literal piece length
	action int // index in file.actions for actions
}

// instrumenter assigns marker sites for one render.
type instrumenter struct {
	sites       []site
	markDefines bool
}

// wrap adds the begin/end calls that tell the tracer which top-level
// template runs. They print nothing and are outside any trim marker's
// reach, so the output is unchanged.
func wrap(name, body string) string {
	return "{{" + fnBegin + " " + strconv.Quote(name) + "}}" + body + "{{" + fnEnd + "}}"
}

// instrument returns the template with markers: one before each literal
// line piece (after its indentation, so trimming functions still see the
// spaces first) and around each output action of the file body.
func (in *instrumenter) instrument(f *tmplFile) string {
	if f.dropped {
		return f.renderText()
	}
	if !f.ok {
		return wrap(f.name, f.src)
	}
	src := f.src
	var b strings.Builder
	b.Grow(len(src) * 2)
	for i, sg := range f.segs {
		info := f.info[i]
		if !sg.action {
			cursor := sg.start
			for ls := sg.textStart; ls < sg.textEnd; {
				le := strings.IndexByte(src[ls:sg.textEnd], '\n')
				if le < 0 {
					le = sg.textEnd
				} else {
					le += ls + 1
				}
				p := ls
				for p < le && (src[p] == ' ' || src[p] == '\t') {
					p++
				}
				if p < le && src[p] != '\n' && src[p] != '\r' && (!info.inDefine || in.markDefines && structuralPiece(src[p:le])) {
					b.WriteString(src[cursor:p])
					id := len(in.sites)
					// The piece runs to the end of its line or of the text.
					in.sites = append(in.sites, site{file: f, kind: markLiteral, off: p, length: le - p, action: -1})
					b.WriteString("{{" + fnLiteral + " " + strconv.Itoa(id) + " .}}")
					cursor = p
				}
				ls = le
			}
			b.WriteString(src[cursor:sg.end])
			continue
		}
		if !info.output || info.action < 0 {
			b.WriteString(src[sg.start:sg.end])
			continue
		}
		id := len(in.sites)
		if info.inDefine {
			// Define actions only record that they ran: their output may be
			// compared or transformed, so nothing is written into it.
			in.sites = append(in.sites, site{file: f, kind: markRan, off: sg.start, action: info.action})
			b.WriteString("{{")
			if sg.trimLeft {
				b.WriteString("- ")
			}
			b.WriteString(fnRan + " " + strconv.Itoa(id) + " .}}{{")
			b.WriteString(src[sg.bodyStart:sg.bodyEnd])
			if sg.trimRight {
				b.WriteString(" -")
			}
			b.WriteString("}}")
			continue
		}
		in.sites = append(in.sites, site{file: f, kind: markAction, off: sg.start, action: info.action})
		b.WriteString("{{")
		if sg.trimLeft {
			b.WriteString("- ")
		}
		b.WriteString(fnAction + " " + strconv.Itoa(id) + " .}}{{")
		b.WriteString(src[sg.bodyStart:sg.bodyEnd])
		b.WriteString("}}{{" + fnActEnd)
		if sg.trimRight {
			b.WriteString(" -")
		}
		b.WriteString("}}")
	}
	return wrap(f.name, b.String())
}

// collectCalls finds required and fail calls in a parse tree.
func collectCalls(n parse.Node, out *[]requiredCall) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			collectCalls(c, out)
		}
	case *parse.ActionNode:
		collectCalls(n.Pipe, out)
	case *parse.IfNode:
		collectCalls(n.Pipe, out)
		collectCalls(n.List, out)
		collectCalls(n.ElseList, out)
	case *parse.RangeNode:
		collectCalls(n.Pipe, out)
		collectCalls(n.List, out)
		collectCalls(n.ElseList, out)
	case *parse.WithNode:
		collectCalls(n.Pipe, out)
		collectCalls(n.List, out)
		collectCalls(n.ElseList, out)
	case *parse.TemplateNode:
		if n.Pipe != nil {
			collectCalls(n.Pipe, out)
		}
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for i, c := range n.Cmds {
			if len(c.Args) >= 2 {
				if id, ok := c.Args[0].(*parse.IdentifierNode); ok && (id.Ident == "required" || id.Ident == "fail") {
					if msg, ok := c.Args[1].(*parse.StringNode); ok {
						call := requiredCall{fn: id.Ident, msg: msg.Text, off: int(c.Pos)}
						switch {
						case id.Ident == "required" && len(c.Args) == 3:
							call.expr = valueExpr(c.Args[2])
						case id.Ident == "required" && len(c.Args) == 2 && i > 0:
							// .Values.x | required "msg"
							if prev := n.Cmds[i-1]; len(prev.Args) == 1 {
								call.expr = valueExpr(prev.Args[0])
							}
						}
						*out = append(*out, call)
					}
				}
			}
			for _, a := range c.Args {
				collectCalls(a, out)
			}
		}
	case *parse.ChainNode:
		collectCalls(n.Node, out)
	}
}

// valueExpr renders a field chain as written, with "$." folded to ".".
func valueExpr(n parse.Node) string {
	switch n := n.(type) {
	case *parse.FieldNode, *parse.VariableNode:
		s := n.String()
		return strings.TrimPrefix(s, "$")
	}
	return ""
}

// definesOnly returns the template reduced to its define blocks: what
// other templates may still include once its own body cannot render.
func (f *tmplFile) definesOnly() string {
	if !f.ok {
		return ""
	}
	var b strings.Builder
	depth := 0 // nesting inside a define
	start := -1
	for _, sg := range f.segs {
		if !sg.action || sg.comment {
			continue
		}
		kw := firstWord(f.src[sg.bodyStart:sg.bodyEnd])
		switch kw {
		case "define":
			if depth == 0 {
				start = sg.start
			}
			depth++
		case "if", "range", "with", "block":
			if depth > 0 {
				depth++
			}
		case "end":
			if depth > 0 {
				depth--
				if depth == 0 && start >= 0 {
					b.WriteString(f.src[start:sg.end])
					start = -1
				}
			}
		}
	}
	return b.String()
}

func firstWord(s string) string {
	s = strings.TrimLeft(s, spaceChars)
	i := strings.IndexAny(s, spaceChars)
	if i < 0 {
		return s
	}
	return s[:i]
}

// renderText is what the real render runs for the template.
func (f *tmplFile) renderText() string {
	if f.dropped {
		return wrap(f.name, f.definesOnly())
	}
	return wrap(f.name, f.src)
}
