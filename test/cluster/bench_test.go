package cluster_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilsec/vigil/test/clitest"
	"github.com/vigilsec/vigil/test/k8s/k8stest"
)

// BenchmarkScanSynthetic5000 loads ../shared/corpus/synthetic-5000 (or
// $VIGIL_CORPUS) into the test cluster and scans it with every built-in
// control, reporting API calls and the scanner's peak RSS per scan.
//
//	go test ./test/cluster -run '^$' -bench ScanSynthetic5000 -benchtime 3x
func BenchmarkScanSynthetic5000(b *testing.B) {
	e := need(b)
	corpus := os.Getenv("VIGIL_CORPUS")
	if corpus == "" {
		corpus = filepath.Join(clitest.RepoRoot(), "..", "shared", "corpus", "synthetic-5000")
	}
	if _, err := os.Stat(corpus); err != nil {
		b.Skipf("corpus not found: %v", err)
	}
	if _, err := os.Stat(timeBin); err != nil {
		b.Skipf("needs %s (Debian package time) to measure peak RSS", timeBin)
	}
	e.loadCorpus(b, corpus)
	out := filepath.Join(b.TempDir(), "report.json")
	var requests, rss float64
	for b.Loop() {
		// Through /usr/bin/time: a child forked from the test process
		// inherits its high-water RSS mark (the loaded corpus), so the
		// rusage of a direct child overstates the scanner's peak.
		r := clitest.Run(b, timeBin, nil, "", "-f", "%M", e.vigil, "scan", "framework", "allcontrols",
			"--kubeconfig", e.kubeconfig, "--context", k8stest.Admin, "--format", "json", "--output", out)
		r.MustCode(b, 0)
		lines := strings.Split(strings.TrimSpace(r.Stderr), "\n")
		kib, err := strconv.ParseFloat(lines[len(lines)-1], 64)
		if err != nil {
			b.Fatalf("peak RSS from /usr/bin/time: %v", err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			b.Fatal(err)
		}
		rep := clitest.Report(b, string(data))
		requests = inputs(rep)["apiRequests"].(float64)
		if n := inputs(rep)["objects"].(float64); n < 4000 {
			b.Fatalf("only %v objects scanned", n)
		}
		rss = max(rss, kib/1024)
	}
	b.ReportMetric(requests, "api-calls/op")
	b.ReportMetric(rss, "peak-RSS-MiB")
}

const timeBin = "/usr/bin/time"

var corpusOnce sync.Once

func (e *env) loadCorpus(b *testing.B, dir string) {
	corpusOnce.Do(func() {
		b.StopTimer()
		defer b.StartTimer()
		start := time.Now()
		res, err := e.admin.LoadDir(context.Background(), dir)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("loaded %s in %s: %s", dir, time.Since(start).Round(time.Millisecond), res)
	})
}
