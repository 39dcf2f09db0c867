package helm

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

// Markers are written into the output of the instrumented render and
// removed before it is compared with the real one. Each is
// "\x1e" + kind + event number + "\x1f". ASCII record and unit separators
// do not occur in YAML manifests, and the comparison with the real output
// catches the day they do.
const (
	markOpen  = '\x1e'
	markClose = '\x1f'

	markLiteral = 'L' // a literal piece of template text starts here
	markAction  = 'A' // the output of an output action starts here
	markEnd     = 'E' // ... and ends here
	markValues  = 'V' // toYaml of a map or list from .Values starts here
	markVEnd    = 'W' // ... and ends here
	// markRan records that an output action of a define ran. It writes
	// nothing into the output (so it cannot change what templates compute);
	// its place among the events says which output action it ran under.
	markRan = 'R'
)

// Names of the functions the instrumentation calls. They cannot clash
// with chart functions, which never start with this prefix.
const (
	fnBegin   = "vigilTraceBegin"
	fnEnd     = "vigilTraceEnd"
	fnLiteral = "vigilTraceL"
	fnAction  = "vigilTraceA"
	fnActEnd  = "vigilTraceE"
	fnRan     = "vigilTraceR"
)

// event is one marker written during the instrumented render.
type event struct {
	kind byte
	site int
	// dot is the values path of the template's dot when the marker ran
	// (inside with/range over values), or nil when dot is not part of the
	// values.
	dot []string
	// path is, for toYaml markers, the values path of the argument.
	path []string
}

// failure is a `required` or `fail` call that would have stopped Helm.
type failure struct {
	template string // top-level template being rendered
	message  string
	fn       string // "required" or "fail"
}

// tracer holds the state of one render: which top-level template runs,
// the values' identities, the events. Nothing is shared between renders.
type tracer struct {
	instrument bool
	stack      []string
	failures   []failure
	events     []event
	ident      map[identKey][]string
}

type identKey struct {
	ptr  uintptr
	kind reflect.Kind
	n    int
}

func newTracer(instrument bool, values map[string]any) *tracer {
	t := &tracer{instrument: instrument}
	if instrument {
		t.ident = map[identKey][]string{}
		t.index(values, nil)
	}
	return t
}

// index records the identity of every map and list of the values, so that
// a map handed to toYaml or bound to dot can be traced to its values key.
// Maps are reference types and Helm passes them to templates without
// copying, so identity is exact.
func (t *tracer) index(v any, path []string) {
	k, ok := identityOf(v)
	if !ok {
		return
	}
	if _, seen := t.ident[k]; seen {
		return
	}
	t.ident[k] = path
	switch x := v.(type) {
	case map[string]any:
		for key, val := range x {
			t.index(val, appendPath(path, key))
		}
	case []any:
		for i, val := range x {
			t.index(val, appendPath(path, indexSeg(i)))
		}
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Map:
			iter := rv.MapRange()
			for iter.Next() {
				if ks, ok := iter.Key().Interface().(string); ok {
					t.index(iter.Value().Interface(), appendPath(path, ks))
				}
			}
		case reflect.Slice:
			for i := 0; i < rv.Len(); i++ {
				t.index(rv.Index(i).Interface(), appendPath(path, indexSeg(i)))
			}
		}
	}
}

func appendPath(path []string, seg string) []string {
	out := make([]string, len(path)+1)
	copy(out, path)
	out[len(path)] = seg
	return out
}

func indexSeg(i int) string { return "[" + strconv.Itoa(i) + "]" }

func identityOf(v any) (identKey, bool) {
	if v == nil {
		return identKey{}, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map:
		if rv.IsNil() {
			return identKey{}, false
		}
		return identKey{ptr: uintptr(rv.UnsafePointer()), kind: reflect.Map}, true
	case reflect.Slice:
		if rv.Len() == 0 {
			return identKey{}, false
		}
		return identKey{ptr: uintptr(rv.UnsafePointer()), kind: reflect.Slice, n: rv.Len()}, true
	}
	return identKey{}, false
}

func (t *tracer) pathOf(v any) []string {
	if t.ident == nil {
		return nil
	}
	k, ok := identityOf(v)
	if !ok {
		return nil
	}
	return t.ident[k]
}

func (t *tracer) mark(kind byte, e event) string {
	e.kind = kind
	t.events = append(t.events, e)
	return string(markOpen) + string(kind) + strconv.Itoa(len(t.events)-1) + string(markClose)
}

// current is the innermost template body being executed: a template that
// includes another's text (for a checksum) is not to blame for what fails
// in it.
func (t *tracer) current() string {
	if len(t.stack) == 0 {
		return ""
	}
	return t.stack[len(t.stack)-1]
}

// funcs returns the functions added to Helm's for a render. Both renders
// get begin/end (to know which template runs when something fails) and
// required/fail (recorded, so one missing value does not stop the other
// templates). The instrumented render also gets the marker functions and
// marker-aware versions of the functions that look inside strings.
func (t *tracer) funcs() template.FuncMap {
	fm := template.FuncMap{
		fnBegin: func(name string) string {
			t.stack = append(t.stack, name)
			return ""
		},
		fnEnd: func() string {
			if len(t.stack) > 0 {
				t.stack = t.stack[:len(t.stack)-1]
			}
			return ""
		},
		"required": func(msg string, val any) (any, error) {
			if val == nil {
				t.failures = append(t.failures, failure{template: t.current(), message: msg, fn: "required"})
				return "", nil
			}
			if s, ok := val.(string); ok && s == "" {
				t.failures = append(t.failures, failure{template: t.current(), message: msg, fn: "required"})
				return "", nil
			}
			return val, nil
		},
		"fail": func(msg string) (string, error) {
			t.failures = append(t.failures, failure{template: t.current(), message: msg, fn: "fail"})
			return "", nil
		},
	}
	if !t.instrument {
		return fm
	}
	fm[fnLiteral] = func(site int, dot any) string {
		return t.mark(markLiteral, event{site: site, dot: t.pathOf(dot)})
	}
	fm[fnAction] = func(site int, dot any) string {
		return t.mark(markAction, event{site: site, dot: t.pathOf(dot)})
	}
	fm[fnActEnd] = func() string { return t.mark(markEnd, event{site: -1}) }
	fm[fnRan] = func(site int, dot any) string {
		t.events = append(t.events, event{kind: markRan, site: site, dot: t.pathOf(dot)})
		return ""
	}

	// Functions that inspect their string arguments would see markers and
	// answer differently (trunc, quote, sha256sum...), so their arguments
	// are stripped. Those that only move text around keep the markers, so
	// an included block stays traceable through them.
	for name, fn := range sprig.TxtFuncMap() {
		if keepsMarkers(name) || helmOwn(name) {
			continue
		}
		fm[name] = stripArgs(fn)
	}
	for name, fn := range builtinReplacements() {
		fm[name] = stripArgs(fn)
	}
	fm["eq"] = func(a any, b ...any) (bool, error) { return templateEq(stripAny(a), stripAll(b)...) }
	fm["ne"] = func(a, b any) (bool, error) {
		eq, err := templateEq(stripAny(a), stripAny(b))
		return !eq, err
	}
	toYAML := func(v any) string {
		out := helmToYAML(stripDeep(v))
		if p := t.pathOf(v); p != nil {
			return t.mark(markValues, event{path: p}) + out + string(markOpen) + string(markVEnd) + string(markClose)
		}
		return out
	}
	fm["toYaml"] = toYAML
	fm["mustToYaml"] = func(v any) string {
		if _, err := yaml.Marshal(stripDeep(v)); err != nil {
			panic(err)
		}
		return toYAML(v)
	}
	fm["fromYaml"] = func(s string) map[string]any {
		m := map[string]any{}
		if err := yaml.Unmarshal([]byte(stripMarkersOnly(s)), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	fm["fromYamlArray"] = func(s string) []any {
		a := []any{}
		if err := yaml.Unmarshal([]byte(stripMarkersOnly(s)), &a); err != nil {
			a = []any{err.Error()}
		}
		return a
	}
	fm["fromJson"] = func(s string) map[string]any {
		m := map[string]any{}
		if err := json.Unmarshal([]byte(stripMarkersOnly(s)), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	fm["fromJsonArray"] = func(s string) []any {
		a := []any{}
		if err := json.Unmarshal([]byte(stripMarkersOnly(s)), &a); err != nil {
			a = []any{err.Error()}
		}
		return a
	}
	fm["toJson"] = func(v any) string {
		data, err := json.Marshal(stripDeep(v))
		if err != nil {
			return ""
		}
		return string(data)
	}
	fm["mustToJson"] = func(v any) string {
		data, err := json.Marshal(stripDeep(v))
		if err != nil {
			panic(err)
		}
		return string(data)
	}
	return fm
}

// helmToYAML is Helm's toYaml.
func helmToYAML(v any) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

// keepsMarkers reports whether a sprig function only moves text without
// reading it, so markers pass through it where they belong.
func keepsMarkers(name string) bool {
	switch name {
	case "indent", "nindent", "trim", "trimSuffix", "trimPrefix", "trimAll", "default", "ternary",
		"coalesce", "list", "dict", "first", "last", "toString", "cat", "join", "replace", "get", "set",
		"unset", "append", "prepend", "concat", "merge", "mergeOverwrite", "mustMerge",
		"mustMergeOverwrite", "pluck", "dig", "deepCopy", "mustDeepCopy", "keys", "values", "pick",
		"omit", "hasKey", "kindOf", "typeOf", "kindIs", "typeIs", "empty", "required", "fail":
		return true
	}
	return false
}

// helmOwn reports whether Helm defines a function itself (replacing
// sprig's where both exist); the instrumented render overrides only the
// ones it must.
func helmOwn(name string) bool {
	switch name {
	case "toToml", "mustToToml", "fromToml", "toYaml", "mustToYaml", "toYamlPretty", "fromYaml",
		"fromYamlArray", "toJson", "mustToJson", "fromJson", "fromJsonArray", "include", "tpl",
		"lookup", "env", "expandenv":
		return true
	}
	return false
}

// builtinReplacements re-implements the text/template builtins that read
// strings, so their arguments can be stripped of markers.
func builtinReplacements() map[string]any {
	return map[string]any{
		"print":   fmt.Sprint,
		"printf":  fmt.Sprintf,
		"println": fmt.Sprintln,
		"len": func(item any) (int, error) {
			v := reflect.ValueOf(item)
			if !v.IsValid() {
				return 0, fmt.Errorf("len of nil pointer")
			}
			for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
				if v.IsNil() {
					return 0, fmt.Errorf("len of nil pointer")
				}
				v = v.Elem()
			}
			switch v.Kind() {
			case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
				return v.Len(), nil
			}
			return 0, fmt.Errorf("len of type %s", v.Type())
		},
		"html":     func(args ...any) string { return template.HTMLEscapeString(fmt.Sprint(args...)) },
		"js":       func(args ...any) string { return template.JSEscapeString(fmt.Sprint(args...)) },
		"urlquery": func(args ...any) string { return template.URLQueryEscaper(args...) },
	}
}

// stripArgs wraps a function so that string arguments lose their markers.
func stripArgs(fn any) any {
	fv := reflect.ValueOf(fn)
	ft := fv.Type()
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		for i, a := range args {
			switch a.Kind() {
			case reflect.String:
				if s := a.String(); strings.IndexByte(s, markOpen) >= 0 {
					args[i] = reflect.ValueOf(stripMarkersOnly(s)).Convert(a.Type())
				}
			case reflect.Interface:
				if !a.IsNil() {
					if s, ok := a.Interface().(string); ok && strings.IndexByte(s, markOpen) >= 0 {
						nv := reflect.New(a.Type()).Elem()
						nv.Set(reflect.ValueOf(stripMarkersOnly(s)))
						args[i] = nv
					}
				}
			case reflect.Slice:
				if ft.IsVariadic() && i == len(args)-1 && a.Type().Elem().Kind() == reflect.Interface {
					cp := reflect.MakeSlice(a.Type(), a.Len(), a.Len())
					for j := 0; j < a.Len(); j++ {
						e := a.Index(j)
						if !e.IsNil() {
							if s, ok := e.Interface().(string); ok {
								cp.Index(j).Set(reflect.ValueOf(stripMarkersOnly(s)))
								continue
							}
						}
						cp.Index(j).Set(e)
					}
					args[i] = cp
				}
			}
		}
		if ft.IsVariadic() {
			return fv.CallSlice(args)
		}
		return fv.Call(args)
	}).Interface()
}

func stripAny(v any) any {
	if s, ok := v.(string); ok {
		return stripMarkersOnly(s)
	}
	return v
}

func stripAll(vs []any) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = stripAny(v)
	}
	return out
}

// stripDeep returns v with markers removed from every string in it,
// copying only when there is something to remove.
func stripDeep(v any) any {
	if !hasMarkers(v) {
		return v
	}
	switch x := v.(type) {
	case string:
		return stripMarkersOnly(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[stripMarkersOnly(k)] = stripDeep(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = stripDeep(e)
		}
		return out
	case []string:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = stripMarkersOnly(e)
		}
		return out
	}
	return v
}

func hasMarkers(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.IndexByte(x, markOpen) >= 0
	case map[string]any:
		for k, e := range x {
			if strings.IndexByte(k, markOpen) >= 0 || hasMarkers(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasMarkers(e) {
				return true
			}
		}
	case []string:
		for _, e := range x {
			if strings.IndexByte(e, markOpen) >= 0 {
				return true
			}
		}
	}
	return false
}

// marker is one marker found in the instrumented output, at a byte offset
// of the output with all markers removed.
type marker struct {
	kind byte
	ev   int
	off  int
}

// stripMarkers removes the markers from s and returns where they were.
func stripMarkers(s string) (string, []marker) {
	if strings.IndexByte(s, markOpen) < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	var ms []marker
	for {
		i := strings.IndexByte(s, markOpen)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], markClose)
		if j < 2 {
			// Not one of ours: keep the byte, so the comparison with the
			// real output fails rather than hides it.
			b.WriteByte(s[i])
			s = s[i+1:]
			continue
		}
		m := marker{kind: s[i+1], ev: -1, off: b.Len()}
		if j > 2 {
			n, err := strconv.Atoi(s[i+2 : i+j])
			if err != nil {
				b.WriteByte(s[i])
				s = s[i+1:]
				continue
			}
			m.ev = n
		}
		ms = append(ms, m)
		s = s[i+j+1:]
	}
	return b.String(), ms
}

func stripMarkersOnly(s string) string {
	out, _ := stripMarkers(s)
	return out
}

// templateEq is text/template's eq, needed because overriding eq (to strip
// markers) replaces the builtin.
func templateEq(arg1 any, arg2 ...any) (bool, error) {
	v1 := indirectInterface(reflect.ValueOf(arg1))
	if len(arg2) == 0 {
		return false, fmt.Errorf("missing argument for comparison")
	}
	k1, _ := basicKind(v1)
	for _, arg := range arg2 {
		v2 := indirectInterface(reflect.ValueOf(arg))
		k2, _ := basicKind(v2)
		truth := false
		if k1 != k2 {
			switch {
			case k1 == intKind && k2 == uintKind:
				truth = v1.Int() >= 0 && uint64(v1.Int()) == v2.Uint()
			case k1 == uintKind && k2 == intKind:
				truth = v2.Int() >= 0 && v1.Uint() == uint64(v2.Int())
			default:
				if v1.IsValid() && v2.IsValid() {
					return false, fmt.Errorf("incompatible types for comparison: %v and %v", v1.Type(), v2.Type())
				}
			}
		} else {
			switch k1 {
			case boolKind:
				truth = v1.Bool() == v2.Bool()
			case complexKind:
				truth = v1.Complex() == v2.Complex()
			case floatKind:
				truth = v1.Float() == v2.Float()
			case intKind:
				truth = v1.Int() == v2.Int()
			case stringKind:
				truth = v1.String() == v2.String()
			case uintKind:
				truth = v1.Uint() == v2.Uint()
			default:
				if !canCompare(v1, v2) {
					return false, fmt.Errorf("non-comparable types %s: %v, %s: %v", v1, v1.Type(), v2.Type(), v2)
				}
				if isNil(v1) || isNil(v2) {
					truth = isNil(v2) == isNil(v1)
				} else {
					if !v2.Type().Comparable() {
						return false, fmt.Errorf("non-comparable type %s: %v", v2, v2.Type())
					}
					truth = v1.Interface() == v2.Interface()
				}
			}
		}
		if truth {
			return true, nil
		}
	}
	return false, nil
}

type kind int

const (
	invalidKind kind = iota
	boolKind
	complexKind
	intKind
	floatKind
	stringKind
	uintKind
)

func basicKind(v reflect.Value) (kind, error) {
	switch v.Kind() {
	case reflect.Bool:
		return boolKind, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intKind, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintKind, nil
	case reflect.Float32, reflect.Float64:
		return floatKind, nil
	case reflect.Complex64, reflect.Complex128:
		return complexKind, nil
	case reflect.String:
		return stringKind, nil
	}
	return invalidKind, fmt.Errorf("invalid type for comparison")
}

func isNil(v reflect.Value) bool {
	if !v.IsValid() {
		return true
	}
	switch v.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return v.IsNil()
	}
	return false
}

func canCompare(v1, v2 reflect.Value) bool {
	k1, k2 := v1.Kind(), v2.Kind()
	if k1 == k2 {
		return true
	}
	return k1 == reflect.Invalid || k2 == reflect.Invalid
}

func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	if v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}
