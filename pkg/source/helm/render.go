package helm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"

	"github.com/vigilsec/vigil/pkg/source"
)

// Render renders a chart and traces its objects. The error is reserved for
// charts that cannot be read at all, invalid values options and a
// cancelled context; partial failures are in the result.
func Render(ctx context.Context, opts Options) (*Result, error) {
	if opts.ReleaseName == "" {
		opts.ReleaseName = DefaultReleaseName
	}
	// Without a release namespace, .Release.Namespace renders empty (helm
	// template would say "default"): the objects then name no namespace,
	// like plain manifests applied with -n, and namespace controls do not
	// blame the chart for a namespace nobody chose.
	if opts.KubeVersion == "" {
		opts.KubeVersion = DefaultKubeVersion
	}
	kv, err := common.ParseKubeVersion(opts.KubeVersion)
	if err != nil {
		return nil, fmt.Errorf("kube version %q: %w", opts.KubeVersion, err)
	}
	caps := common.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	caps.APIVersions = append(append(common.VersionSet{}, caps.APIVersions...), opts.APIVersions...)

	userVals, userSrcs, err := userValues(&opts)
	if err != nil {
		return nil, err
	}
	res := &Result{Skipped: map[string]string{}}
	first, err := runPass(ctx, &opts, caps, userVals, userSrcs, res, true)
	if err != nil {
		return nil, err
	}
	files := first.files

	// Templates of a chart often fail because a dependency that is not
	// vendored would have provided values or helpers. Rendering them again
	// as if those dependencies were disabled (their conditions false) lets
	// the parent's own objects be scanned; the result says so.
	if off := disableMissing(res.Missing); len(off) > 0 && len(first.execFailed) > 0 {
		vals := copyValuesMap(userVals)
		for _, cond := range off {
			setPath(vals, strings.Split(cond, "."), false)
		}
		second, err := runPass(ctx, &opts, caps, vals, userSrcs, nil, false)
		if err == nil {
			for name := range first.execFailed {
				if f, ok := second.files[name]; ok {
					files[name] = f
					delete(res.Skipped, name)
					res.Notes = append(res.Notes, source.Note{Path: f.tf.display, Message: fmt.Sprintf(
						"rendered as if the missing dependencies were disabled (%s false), since it fails without them", strings.Join(off, ", "))})
					res.Errors = dropErrorsFor(res.Errors, f.tf.display, first.execFailed[name])
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	decodeAll(files, res)
	if opts.IncludeCRDs {
		addCRDs(first.charts, res)
	}
	return res, nil
}

// renderedFile is the real output of one template and how it was traced.
type renderedFile struct {
	tf    *tmplFile
	truth string
	trace *fileTrace
	kind  traceKind
}

type traceKind int

const (
	traceNone traceKind = iota // no trace: origins name the file only
	traceExact
	traceNoDefines
	traceAligned
)

// passResult is one complete render of the chart with one set of values.
type passResult struct {
	charts     []*chartInfo
	files      map[string]*renderedFile
	execFailed map[string]string // templates dropped for execution errors: name -> error
}

// runPass loads the chart, processes dependencies, renders it for real and
// instrumented, and traces each output. With report set it also records
// the chart's problems in res.
func runPass(ctx context.Context, opts *Options, caps *common.Capabilities, userVals map[string]any,
	userSrcs []*valuesSource, res *Result, report bool) (*passResult, error) {
	ch, display, err := loadChart(opts.Chart)
	if err != nil {
		return nil, err
	}
	locs := map[uintptr]location{}
	locate(ch, display, locs)
	pending := findMissing(ch)
	if err := chartutil.ProcessDependencies(ch, userVals); err != nil {
		return nil, fmt.Errorf("chart %s: dependencies: %w", opts.Chart, err)
	}
	processed := processedCharts(ch)
	charts := chartTree(ch, locs)
	isolateTemplates(charts)

	if report {
		res.Chart, res.Version = ch.Name(), ch.Metadata.Version
		for _, p := range pending {
			m := describeMissing(p, processed, locs)
			res.Missing = append(res.Missing, m)
			if m.Enabled {
				res.Errors = append(res.Errors, source.InputError{Path: m.ChartFile, Line: m.Line, Reason: m.message()})
			} else {
				res.Notes = append(res.Notes, source.Note{Path: m.ChartFile, Line: m.Line, Message: m.message()})
			}
		}
		if err := checkKubeVersion(ch, caps.KubeVersion.String()); err != nil {
			res.Notes = append(res.Notes, source.Note{Path: charts[0].file("Chart.yaml"), Message: err.Error()})
		}
		if !opts.SkipSchemaValidation {
			if vals, err := util.CoalesceValues(ch, userVals); err == nil {
				res.Errors = append(res.Errors, validateSchemas(ch, charts, vals, opts.AllowNetwork)...)
			}
		}
	}

	// Templates, by Helm name.
	tmpls := map[string]*tmplFile{}
	for _, c := range charts {
		for _, t := range c.ch.Templates {
			name := path.Join(c.fullPath, t.Name)
			tf := &tmplFile{name: name, display: c.file(t.Name), chart: c, src: string(t.Data)}
			tf.analyze()
			tmpls[name] = tf
		}
	}
	rn := &renderer{ctx: ctx, ch: ch, charts: charts, tmpls: tmpls, userVals: userVals, caps: caps, opts: opts}
	truth, failures, execFailed, err := rn.truth()
	if err != nil {
		return nil, err
	}
	pr := &passResult{charts: charts, files: map[string]*renderedFile{}, execFailed: execFailed}
	if report {
		hint := missingHint(res.Missing)
		for _, name := range sortedKeys(execFailed) {
			tf := tmpls[name]
			line := errorLine(execFailed[name], tf.display)
			res.Skipped[tf.display] = execFailed[name]
			res.Errors = append(res.Errors, source.InputError{Path: tf.display, Line: line,
				Reason: "template not rendered, its objects are not scanned (templates that include its text, for a checksum say, saw it empty): " + execFailed[name] + hint})
		}
		for _, f := range failures {
			tf := tmpls[f.template]
			if tf == nil {
				continue
			}
			e := rn.failureError(f)
			res.Skipped[tf.display] = e.Reason
			res.Errors = append(res.Errors, e)
		}
	}
	failedByCall := map[string]bool{}
	for _, f := range failures {
		failedByCall[f.template] = true
	}
	for name, out := range truth {
		tf := tmpls[name]
		if tf == nil || failedByCall[name] || strings.HasSuffix(name, "NOTES.txt") || strings.TrimSpace(out) == "" {
			continue
		}
		pr.files[name] = &renderedFile{tf: tf, truth: out}
	}
	rn.trace(pr.files, userSrcs)
	return pr, nil
}

// isolateTemplates gives every chart of the tree its own template file
// records. Dependency processing copies aliased charts shallowly, so two
// aliases of one chart share them, and each render rewrites their data.
func isolateTemplates(charts []*chartInfo) {
	for _, c := range charts {
		ts := make([]*common.File, len(c.ch.Templates))
		for i, t := range c.ch.Templates {
			cp := *t
			ts[i] = &cp
		}
		c.ch.Templates = ts
	}
}

type renderer struct {
	ctx      context.Context
	ch       *chartv2.Chart
	charts   []*chartInfo
	tmpls    map[string]*tmplFile
	userVals map[string]any
	caps     *common.Capabilities
	opts     *Options
}

// values builds fresh render values: templates may modify the maps they
// are given, so no two renders share them.
func (rn *renderer) values() (common.Values, error) {
	return util.ToRenderValuesWithSchemaValidation(rn.ch, rn.userVals, common.ReleaseOptions{
		Name: rn.opts.ReleaseName, Namespace: rn.opts.Namespace, Revision: 1, IsInstall: true,
	}, rn.caps, true)
}

// setData installs a version of every (remaining) template.
func (rn *renderer) setData(fn func(tf *tmplFile) string) {
	for _, c := range rn.charts {
		for _, t := range c.ch.Templates {
			if tf := rn.tmpls[path.Join(c.fullPath, t.Name)]; tf != nil {
				t.Data = []byte(fn(tf))
			}
		}
	}
}

var parseErrRE = regexp.MustCompile(`parse error (?:at|in) \(([^):]+)`)

// truth renders the chart as Helm does. A template that stops the render
// (an execution error, a syntax error) is reduced to its defines (other
// templates may include them, or its text for a checksum) and the chart
// rendered again, so one broken template does not hide the others.
// `required` and `fail` are recorded instead of stopping the render; the
// templates that hit them are left out of the output.
func (rn *renderer) truth() (map[string]string, []failure, map[string]string, error) {
	execFailed := map[string]string{}
	var failures []failure
	limit := len(rn.tmpls) + 1
	for attempt := 0; ; attempt++ {
		if err := rn.ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		rn.setData((*tmplFile).renderText)
		vals, err := rn.values()
		if err != nil {
			return nil, nil, nil, fmt.Errorf("chart %s: values: %w", rn.opts.Chart, err)
		}
		tr := newTracer(false, nil)
		eng := engine.Engine{CustomTemplateFuncs: tr.funcs()}
		out, err := eng.RenderWithContext(rn.ctx, rn.ch, vals)
		if err == nil {
			for name, tf := range rn.tmpls {
				if tf.dropped {
					delete(out, name)
				}
			}
			return out, dedupeFailures(append(failures, tr.failures...)), execFailed, nil
		}
		name := tr.current()
		if name == "" {
			if m := parseErrRE.FindStringSubmatch(err.Error()); m != nil {
				name = m[1]
			}
		}
		tf := rn.tmpls[name]
		if tf == nil || tf.dropped || attempt >= limit {
			return nil, nil, nil, fmt.Errorf("chart %s: %s", rn.opts.Chart, rn.displayNames(err.Error()))
		}
		tf.dropped = true
		// A missing required value often makes the template fail later
		// on; the missing value is the cause to report.
		caused := false
		for _, f := range tr.failures {
			if f.template == name {
				failures = append(failures, f)
				caused = true
			}
		}
		if !caused {
			execFailed[name] = rn.displayNames(err.Error())
		}
	}
}

func dedupeFailures(fs []failure) []failure {
	seen := map[string]bool{}
	var out []failure
	for _, f := range fs {
		k := f.template + "\x00" + f.message
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

// displayNames rewrites Helm template names in a message into the paths
// users know, and folds Helm's multi-line error layout into one line.
func (rn *renderer) displayNames(msg string) string {
	names := make([]string, 0, len(rn.tmpls))
	for n := range rn.tmpls {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	pairs := make([]string, 0, 2*len(names))
	for _, n := range names {
		pairs = append(pairs, n, rn.tmpls[n].display)
	}
	msg = strings.NewReplacer(pairs...).Replace(msg)
	fields := strings.Fields(msg)
	return strings.Join(fields, " ")
}

// errorLine finds "display:LINE" in a message.
func errorLine(msg, display string) int {
	i := strings.Index(msg, display+":")
	if i < 0 {
		return 0
	}
	rest := msg[i+len(display)+1:]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(rest[:j])
	return n
}

func missingHint(ms []MissingDependency) string {
	var names []string
	for _, m := range ms {
		if m.Enabled {
			names = append(names, m.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (the chart's dependencies that are not vendored, " + strings.Join(names, ", ") + ", are the likely cause)"
}

// failureError describes a `required` or `fail` that would have stopped
// Helm: which value, where, and how to provide it.
func (rn *renderer) failureError(f failure) source.InputError {
	top := rn.tmpls[f.template]
	e := source.InputError{Path: top.display}
	call, at := rn.findCall(f)
	if f.fn == "required" {
		what := "a required value is not set"
		hint := ""
		if call != nil && call.expr != "" {
			what = "required value " + call.expr + " is not set"
			if key, ok := strings.CutPrefix(call.expr, ".Values."); ok {
				full := joinValuesPath(append(append([]string{}, at.chart.prefix...), strings.Split(key, ".")...))
				hint = fmt.Sprintf("; set it in a values file (-f) or with --set %s=...", full)
			}
		}
		where := ""
		if at != nil {
			line, _ := at.lines.position(call.off)
			if at == top {
				e.Line = line
			} else {
				where = fmt.Sprintf(" (required at %s:%d)", at.display, line)
			}
		}
		e.Reason = fmt.Sprintf("%s: %q%s; the template was not rendered, its objects are not scanned%s", what, f.message, where, hint)
		return e
	}
	if at != nil {
		line, _ := at.lines.position(call.off)
		if at == top {
			e.Line = line
		}
	}
	e.Reason = fmt.Sprintf("the chart refuses these values (fail %q); the template was not rendered, its objects are not scanned", f.message)
	return e
}

// findCall locates the `required`/`fail` call with a message, preferring
// the failing template itself, then the helpers of its chart.
func (rn *renderer) findCall(f failure) (*requiredCall, *tmplFile) {
	top := rn.tmpls[f.template]
	try := func(tf *tmplFile) *requiredCall {
		for i := range tf.calls {
			c := &tf.calls[i]
			if c.fn == f.fn && c.msg == f.message {
				return c
			}
		}
		return nil
	}
	if top != nil {
		if c := try(top); c != nil {
			return c, top
		}
	}
	names := sortedKeys(rn.tmpls)
	for _, n := range names {
		if c := try(rn.tmpls[n]); c != nil {
			return c, rn.tmpls[n]
		}
	}
	return nil, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// instrumented renders the chart with markers and returns the stripped
// output of each template with its markers.
func (rn *renderer) instrumented(markDefines bool) *instrRender {
	in := &instrumenter{markDefines: markDefines}
	rn.setData(in.instrument)
	vals, err := rn.values()
	if err != nil {
		return nil
	}
	tr := newTracer(true, valuesOf(vals))
	eng := engine.Engine{CustomTemplateFuncs: tr.funcs()}
	out, err := eng.RenderWithContext(rn.ctx, rn.ch, vals)
	if err != nil {
		return nil
	}
	ir := &instrRender{sites: in.sites, events: tr.events, values: valuesOf(vals), files: make(map[string]tracedText, len(out))}
	for name, s := range out {
		text, ms := stripMarkers(s)
		ir.files[name] = tracedText{text: text, markers: ms}
	}
	return ir
}

func valuesOf(v common.Values) map[string]any {
	if m, ok := asMap(v["Values"]); ok {
		return m
	}
	return nil
}

type instrRender struct {
	sites  []site
	events []event
	values map[string]any
	files  map[string]tracedText
}

type tracedText struct {
	text    string
	markers []marker
}

// trace attaches to each rendered file the best trace available.
func (rn *renderer) trace(files map[string]*renderedFile, userSrcs []*valuesSource) {
	if len(files) == 0 {
		return
	}
	srcs := &valuesSources{list: append(append([]*valuesSource{}, userSrcs...), chartValuesSources(rn.charts)...)}
	full := rn.instrumented(true)
	var noDefines *instrRender
	need := false
	for name, f := range files {
		if full != nil && full.files[name].text == f.truth {
			f.trace, f.kind = newFileTrace(full, full.files[name], nil, srcs), traceExact
		} else {
			need = true
		}
	}
	if need {
		noDefines = rn.instrumented(false)
	}
	for name, f := range files {
		if f.trace != nil {
			continue
		}
		switch {
		case noDefines != nil && noDefines.files[name].text == f.truth:
			f.trace, f.kind = newFileTrace(noDefines, noDefines.files[name], nil, srcs), traceNoDefines
		case noDefines != nil && noDefines.files[name].text != "":
			lm := alignLines(f.truth, noDefines.files[name].text)
			f.trace, f.kind = newFileTrace(noDefines, noDefines.files[name], lm, srcs), traceAligned
		case full != nil && full.files[name].text != "":
			lm := alignLines(f.truth, full.files[name].text)
			f.trace, f.kind = newFileTrace(full, full.files[name], lm, srcs), traceAligned
		}
	}
	// Leave the chart as written.
	rn.setData(func(tf *tmplFile) string { return tf.src })
}

// chartValuesSources lists the charts' values.yaml files, parents first.
func chartValuesSources(charts []*chartInfo) []*valuesSource {
	var out []*valuesSource
	for _, c := range charts {
		for _, f := range c.ch.Raw {
			if f.Name != "values.yaml" {
				continue
			}
			docs, err := yamlDocs(f.Data)
			if err != nil {
				continue
			}
			// Later documents of one file win.
			for i := len(docs) - 1; i >= 0; i-- {
				out = append(out, &valuesSource{file: c.file("values.yaml"), prefix: c.prefix, doc: docs[i]})
			}
		}
	}
	return out
}

// disableMissing returns the condition paths that disable the enabled
// missing dependencies.
func disableMissing(ms []MissingDependency) []string {
	var out []string
	for _, m := range ms {
		if !m.Enabled || m.Condition == "" {
			continue
		}
		cond := strings.TrimSpace(strings.Split(m.Condition, ",")[0])
		if cond != "" {
			out = append(out, cond)
		}
	}
	return out
}

func copyValuesMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			out[k] = copyValuesMap(sub)
			continue
		}
		out[k] = v
	}
	return out
}

func setPath(m map[string]any, p []string, v any) {
	for i, k := range p {
		if i == len(p)-1 {
			m[k] = v
			return
		}
		sub, ok := m[k].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[k] = sub
		}
		m = sub
	}
}

func dropErrorsFor(errs []source.InputError, display, reason string) []source.InputError {
	out := errs[:0]
	for _, e := range errs {
		if e.Path == display && strings.Contains(e.Reason, reason) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// validateSchemas checks values against each chart's values.schema.json
// as Helm does, without fetching remote references unless allowed.
func validateSchemas(ch *chartv2.Chart, charts []*chartInfo, vals map[string]any, allowNetwork bool) []source.InputError {
	var errs []source.InputError
	var walk func(c *chartv2.Chart, info *chartInfo, v map[string]any)
	byChart := map[*chartv2.Chart]*chartInfo{}
	for _, ci := range charts {
		byChart[ci.ch] = ci
	}
	walk = func(c *chartv2.Chart, info *chartInfo, v map[string]any) {
		if len(c.Schema) > 0 && info != nil {
			if err := validateSchema(c.Schema, v, allowNetwork); err != nil {
				errs = append(errs, source.InputError{Path: info.file("values.schema.json"), Reason: err.Error()})
			}
		}
		for _, d := range c.Dependencies() {
			raw, ok := v[d.Name()]
			if !ok || raw == nil {
				continue
			}
			sub, ok := asMap(raw)
			if !ok {
				continue
			}
			walk(d, byChart[d], sub)
		}
	}
	walk(ch, byChart[ch], vals)
	return errs
}

var errRemoteSchema = errors.New("remote schema references are not fetched (network access is off)")

type remoteLoader struct{ allow bool }

func (l remoteLoader) Load(url string) (any, error) {
	if !l.allow {
		return nil, fmt.Errorf("%s: %w", url, errRemoteSchema)
	}
	client := &http.Client{Timeout: 15 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
	}
	return jsonschema.UnmarshalJSON(resp.Body)
}

type urnLoader struct{}

// Load answers a permissive schema for URNs, as Helm does by default.
func (urnLoader) Load(string) (any, error) { return true, nil }

func validateSchema(schemaJSON []byte, vals map[string]any, allowNetwork bool) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return fmt.Errorf("values.schema.json is not valid JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(jsonschema.SchemeURLLoader{
		"file":  jsonschema.FileLoader{},
		"http":  remoteLoader{allow: allowNetwork},
		"https": remoteLoader{allow: allowNetwork},
		"urn":   urnLoader{},
	})
	if err := c.AddResource("file:///values.schema.json", doc); err != nil {
		return fmt.Errorf("values.schema.json: %w", err)
	}
	sch, err := c.Compile("file:///values.schema.json")
	if err != nil {
		return fmt.Errorf("values.schema.json could not be compiled, values not checked: %w", err)
	}
	if err := sch.Validate(vals); err != nil {
		msg := strings.TrimPrefix(err.Error(), "jsonschema validation failed with 'file:///values.schema.json#'\n")
		return fmt.Errorf("values do not match values.schema.json (Helm would refuse them; the chart is scanned as rendered): %s", strings.Join(strings.Fields(msg), " "))
	}
	return nil
}
