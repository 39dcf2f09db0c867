// Package suggest finds the known name a mistyped one probably meant, for
// "did you mean" hints in errors.
package suggest

import "strings"

// Closest returns the known name closest to n when it is close enough to
// be a plausible typo (case-insensitive), or "".
func Closest(n string, known []string) string {
	best, bestD := "", 1<<30
	for _, k := range known {
		if d := Distance(n, k); d < bestD {
			best, bestD = k, d
		}
	}
	if bestD <= max(2, len(n)/3) {
		return best
	}
	return ""
}

// Distance is the case-insensitive Levenshtein edit distance.
func Distance(a, b string) int {
	a, b = strings.ToLower(a), strings.ToLower(b)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
