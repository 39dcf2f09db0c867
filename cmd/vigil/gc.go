package main

import (
	"os"
	"runtime/debug"

	"github.com/vigilsec/vigil/internal/cli"
)

// tuneGC trades memory for speed, within a bound: a scan builds its
// inventory once and keeps it, so collecting at every doubling of the heap
// mostly rescans live objects. The soft memory limit set here covers
// loading; the CLI sizes it to the inventory once loaded (see
// cli.MemoryBudget). Users' GOGC and GOMEMLIMIT win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(cli.MemoryBudget(0))
	}
}
