package cli

import "runtime/debug"

// MemoryBudget is the soft memory limit for a scan of n objects: a base
// for the policies, the compiled rules and the evaluator, plus room per
// object for its value, its indexes and its share of evaluation garbage.
// Live heap measures about 25 KiB per object (see docs/BENCHMARKS.md);
// the budget leaves the collector room to stay rare without letting a
// GOGC of 300 quadruple the heap. A soft limit never fails a scan: near
// it the collector only works harder.
func MemoryBudget(n int) int64 {
	return 192<<20 + int64(n)*36<<10
}

// fileLoadBudget is the soft limit while files are read. Parsing makes
// garbage at several times the rate it keeps objects, and the object count
// is unknown until the end, so a budget sized for the objects seen so far
// starves the parser (measured: 7.1 s instead of 4.5 s for
// synthetic-20000 under a 192 MiB limit). Files are read whole, so the
// bound is the one promised for the largest corpus; a cluster scan keeps
// the small default, since its pages arrive a few hundred objects at a
// time.
const fileLoadBudget = 1 << 30

// sizeMemory sets the soft memory limit for the phases of a scan, unless
// the user set GOMEMLIMIT: before loading (files or cluster) and, once the
// objects are loaded, MemoryBudget for their number.
func sizeMemory(getenv func(string) string, cluster bool) func(int) {
	set := func(limit int64) {
		if getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(limit)
		}
	}
	if !cluster {
		set(fileLoadBudget)
	}
	return func(n int) { set(MemoryBudget(n)) }
}
