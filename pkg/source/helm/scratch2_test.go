package helm

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestScratchCorpus(t *testing.T) {
	root := "/work/shared/corpus/real/helm-charts"
	ents, _ := os.ReadDir(root)
	for _, e := range ents {
		start := time.Now()
		res, err := Render(context.Background(), Options{Chart: filepath.Join(root, e.Name())})
		if err != nil { t.Logf("%s: FATAL %v", e.Name(), err); continue }
		noOrig := 0; total := 0
		for _, r := range res.Objects {
			for _, p := range r.Origins.Paths() { total++; _ = p }
			_ = noOrig
		}
		t.Logf("%-45s objs=%2d paths=%5d traced=%+v errs=%d notes=%d %v", e.Name(), len(res.Objects), total, res.Traced, len(res.Errors), len(res.Notes), time.Since(start).Round(time.Millisecond))
		for _, x := range res.Errors { t.Logf("    ERR %s", x) }
		for _, x := range res.Notes { t.Logf("    NOTE %s", x) }
	}
}
