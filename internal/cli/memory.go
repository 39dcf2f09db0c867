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
	return 192<<20 + int64(n)*32<<10
}

// sizeMemory applies MemoryBudget once the objects are loaded, unless the
// user set GOMEMLIMIT.
func sizeMemory(getenv func(string) string) func(int) {
	return func(n int) {
		if getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(MemoryBudget(n))
		}
	}
}
