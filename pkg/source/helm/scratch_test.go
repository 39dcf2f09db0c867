package helm

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestScratchDump(t *testing.T) {
	chart := os.Getenv("CHART")
	kind := os.Getenv("KIND")
	res, err := Render(context.Background(), Options{Chart: chart, Set: strings.Fields(os.Getenv("SET"))})
	if err != nil { t.Fatal(err) }
	for _, e := range res.Errors { t.Log("ERR", e) }
	t.Logf("traced %+v", res.Traced)
	for _, r := range res.Objects {
		if kind != "" && r.Object.ID.Kind != kind { continue }
		t.Logf("== %s %s:%d", r.Object.ID, r.Object.Source.Path, r.Object.Source.Line)
		for _, p := range r.Origins.Paths() {
			s := ""
			for _, o := range r.Origins.Origins(p) {
				f := o.File[strings.LastIndex(o.File, "/")+1:]
				s += fmt.Sprintf(" | %s %s:%d:%d", o.Kind[5:], f, o.Line, o.Column)
				if o.ValuesKey != "" { s += " key=" + o.ValuesKey }
				if !o.Exact { s += " INEXACT" }
				if o.Detail != "" { s += " " + o.Detail }
			}
			t.Logf("%-70s%s", p, s)
		}
	}
}
