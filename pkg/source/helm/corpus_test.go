package helm

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/object"
)

const corpus = "../../../../shared/corpus/real/helm-charts"

func corpusCharts(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir(corpus)
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// fileLines caches files read by the checks.
type fileLines map[string][]string

func (fl fileLines) line(t *testing.T, path string, n int) string {
	ls, ok := fl[path]
	if !ok {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("origin names unreadable file %s: %v", path, err)
		}
		ls = strings.Split(string(data), "\n")
		fl[path] = ls
	}
	if n < 1 || n > len(ls) {
		t.Fatalf("origin line %s:%d out of range", path, n)
	}
	return ls[n-1]
}

// checkAllOrigins checks every origin of every path of every rendered
// object: the template line must show the key (or an action that printed
// it), and a values line must show the values key, both at the column
// given. This is what "never a wrong line" means, checked on real charts.
func checkAllOrigins(t *testing.T, fl fileLines, name string, res *Result) {
	bad := 0
	for _, r := range res.Objects {
		if r.Origins == nil {
			continue
		}
		walkPaths(r.Object.Value, nil, func(path string, segs []string) {
			origins := r.Origins.Origins(path)
			if len(origins) == 0 {
				t.Errorf("%s: %s %s: no origin", name, r.Object.Source.Path, path)
				return
			}
			for _, o := range origins {
				if msg := checkOrigin(t, fl, o, segs); msg != "" && bad < 10 {
					bad++
					t.Errorf("%s: %s: %s: %s", name, r.Object.ID, path, msg)
				}
			}
		})
	}
}

func checkOrigin(t *testing.T, fl fileLines, o object.Origin, segs []string) string {
	if o.Line == 0 {
		return "" // file-only origins claim nothing about lines
	}
	switch o.Kind {
	case object.OriginHelmTemplate:
		line := fl.line(t, o.File, o.Line)
		if len(segs) == 0 {
			return ""
		}
		last := segs[len(segs)-1]
		if isIndexSeg(last) {
			if strings.Contains(line, "-") || strings.Contains(line, "{{") || strings.Contains(line, "[") {
				return ""
			}
			return "template line " + o.File + ":" + itoa(o.Line) + " has no list item: " + line
		}
		at := atColumn(line, o.Column)
		if startsWithKey(at, last) || strings.Contains(line, "{{") {
			return ""
		}
		return "template " + o.File + ":" + itoa(o.Line) + ":" + itoa(o.Column) + " shows neither " + last + " nor an action: " + line
	case object.OriginHelmValues:
		if o.File == "" {
			return ""
		}
		line := fl.line(t, o.File, o.Line)
		k := strings.ReplaceAll(o.ValuesKey, `\.`, "\x00")
		if i := strings.LastIndexAny(k, ".["); i >= 0 {
			if k[i] == '[' {
				if strings.Contains(line, "-") || strings.Contains(line, "[") {
					return ""
				}
				return "values line " + o.File + ":" + itoa(o.Line) + " has no list item for " + k + ": " + line
			}
			k = k[i+1:]
		}
		k = strings.ReplaceAll(k, "\x00", ".")
		if startsWithKey(atColumn(line, o.Column), k) {
			return ""
		}
		return "values line " + o.File + ":" + itoa(o.Line) + " does not show key " + o.ValuesKey + ": " + line
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

func walkPaths(v ast.Value, segs []string, fn func(path string, segs []string)) {
	fn(joinObjectPath(segs), segs)
	switch x := v.(type) {
	case ast.Object:
		for _, k := range x.Keys() {
			if ks, ok := k.Value.(ast.String); ok {
				walkPaths(x.Get(k).Value, appendPath(segs, string(ks)), fn)
			}
		}
	case *ast.Array:
		for i := 0; i < x.Len(); i++ {
			walkPaths(x.Elem(i).Value, appendPath(segs, indexSeg(i)), fn)
		}
	}
}

func atColumn(line string, col int) string {
	r := []rune(line)
	if col < 1 || col > len(r) {
		return ""
	}
	return string(r[col-1:])
}

func startsWithKey(s, key string) bool {
	return strings.HasPrefix(s, key) || strings.HasPrefix(s, `"`+key+`"`) || strings.HasPrefix(s, "'"+key+"'")
}

// TestCorpus renders every chart of the corpus with default values, once:
// 40 render cleanly; three declare dependencies that are not vendored and
// still render what they can, saying what is missing; one stops on a
// required value (TestCorpusRequired). Every file must be traced exactly
// and every origin must point at its key.
func TestCorpus(t *testing.T) {
	special := map[string]struct {
		errors, notes []string
		minObjs       int
	}{
		"kube-prometheus-stack": {[]string{
			"Chart.yaml:54: chart kube-prometheus-stack depends on kube-state-metrics 8.4.0 from https://prometheus-community.github.io/helm-charts, which is not vendored in charts/",
			"Chart.yaml:58: chart kube-prometheus-stack depends on prometheus-node-exporter 4.56.1",
			"Chart.yaml:62: chart kube-prometheus-stack depends on grafana 12.11.1 from https://grafana-community.github.io/helm-charts",
			"vendor it with `helm dependency build ",
		}, []string{
			"Chart.yaml:66: chart kube-prometheus-stack depends on prometheus-windows-exporter 0.12.* from https://prometheus-community.github.io/helm-charts, which is not vendored in charts/, but it is disabled (windowsMonitoring.enabled is false)",
			"templates/prometheus/clusterrole.yaml: rendered as if the missing dependencies were disabled",
		}, 100},
		"prometheus": {[]string{
			"Chart.yaml:34: chart prometheus depends on alertmanager 1.42.*",
			"Chart.yaml:38: chart prometheus depends on kube-state-metrics 8.4.*",
			"Chart.yaml:42: chart prometheus depends on prometheus-node-exporter 4.56.*",
			"Chart.yaml:46: chart prometheus depends on prometheus-pushgateway 3.8.*",
		}, nil, 7},
		"prometheus-kafka-exporter": {nil, []string{
			"Chart.yaml:31: chart prometheus-kafka-exporter depends on kafka 32.4.3 from https://charts.bitnami.com/bitnami, which is not vendored in charts/, but it is disabled (kafka.enabled is false)",
		}, 5},
		"prometheus-postgres-exporter": {[]string{"required value .Values.config.datasource.password is not set"}, nil, 4},
	}
	fl := fileLines{}
	clean := 0
	for _, name := range corpusCharts(t) {
		res, err := Render(context.Background(), Options{Chart: filepath.Join(corpus, name)})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(res.Objects) == 0 {
			t.Errorf("%s: no objects", name)
		}
		if res.Traced.Untraced+res.Traced.Aligned+res.Traced.NoDefines > 0 {
			t.Errorf("%s: traced %+v, want every file traced exactly", name, res.Traced)
		}
		checkAllOrigins(t, fl, name, res)
		sp, isSpecial := special[name]
		if !isSpecial {
			if len(res.Errors) > 0 || len(res.Notes) > 0 {
				t.Errorf("%s:\n%s", name, errorsOf(res))
				continue
			}
			clean++
			continue
		}
		got := errorsOf(res)
		for _, w := range sp.errors {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing error %q in\n%s", name, w, got)
			}
		}
		for _, w := range sp.notes {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing note %q in\n%s", name, w, got)
			}
		}
		if len(res.Objects) < sp.minObjs {
			t.Errorf("%s: %d objects, want at least %d", name, len(res.Objects), sp.minObjs)
		}
	}
	if clean != 40 {
		t.Errorf("%d charts render cleanly, want 40", clean)
	}
}

func errorsOf(res *Result) string {
	var b strings.Builder
	for _, e := range res.Errors {
		b.WriteString("ERROR " + e.Error() + "\n")
	}
	for _, n := range res.Notes {
		b.WriteString("NOTE " + n.String() + "\n")
	}
	return b.String()
}

func TestCorpusRequired(t *testing.T) {
	corpusCharts(t)
	chart := filepath.Join(corpus, "prometheus-postgres-exporter")
	res, err := Render(context.Background(), Options{Chart: chart})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 {
		t.Fatalf("errors:\n%s", errorsOf(res))
	}
	e := res.Errors[0]
	if !strings.HasSuffix(e.Path, "templates/secrets.yaml") || e.Line != 2 ||
		!strings.Contains(e.Reason, "required value .Values.config.datasource.password is not set") ||
		!strings.Contains(e.Reason, "--set config.datasource.password=") {
		t.Errorf("error = %v", e)
	}
	without := len(res.Objects)
	res, err = Render(context.Background(), Options{Chart: chart, Set: []string{"config.datasource.password=x"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 || len(res.Objects) != without+1 {
		t.Errorf("with the password: %d objects (without: %d), errors:\n%s", len(res.Objects), without, errorsOf(res))
	}
	find(t, res, "Secret", "release-name-prometheus-postgres-exporter")
	find(t, res, "Deployment", "release-name-prometheus-postgres-exporter")
}
