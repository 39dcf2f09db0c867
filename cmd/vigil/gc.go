package main

import (
	"os"
	"runtime/debug"
)

// tuneGC trades memory for speed, within a bound: a scan builds its
// inventory once and keeps it, so collecting at every doubling of the heap
// mostly rescans live objects. Users' GOGC and GOMEMLIMIT win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit: the collector works harder as the heap nears it, so
		// the larger GOGC never pushes a big scan past about 1 GiB.
		debug.SetMemoryLimit(900 << 20)
	}
}
