package fix

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Diff returns a unified diff (three lines of context, git's a/ b/
// prefixes) from old to new, or "" when they are equal. Lines keep their
// line breaks, so a CRLF file's diff applies to it as is.
func Diff(name string, old, new []byte) string {
	if string(old) == string(new) {
		return ""
	}
	a, b := splitLines(string(old)), splitLines(string(new))
	ops := diffLines(a, b)
	var out strings.Builder
	name = strings.TrimPrefix(filepath.ToSlash(name), "/")
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	const context = 3
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk starts context lines before a change and runs until
		// more than 2*context equal lines separate it from the next.
		start := max(i-context, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end = min(end+context, len(ops))
				break
			}
			end = run
		}
		writeHunk(&out, a, b, ops[start:end])
		i = end
	}
	return out.String()
}

type lineOp struct {
	kind byte // ' ', '-' or '+'
	a, b int  // line indexes in old and new (the next one for an insert or delete)
}

func writeHunk(out *strings.Builder, a, b []string, ops []lineOp) {
	var na, nb int
	for _, o := range ops {
		if o.kind != '+' {
			na++
		}
		if o.kind != '-' {
			nb++
		}
	}
	sa, sb := ops[0].a+1, ops[0].b+1
	if na == 0 {
		sa--
	}
	if nb == 0 {
		sb--
	}
	fmt.Fprintf(out, "@@ -%d,%d +%d,%d @@\n", sa, na, sb, nb)
	for _, o := range ops {
		var line string
		if o.kind == '+' {
			line = b[o.b]
		} else {
			line = a[o.a]
		}
		out.WriteByte(o.kind)
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// splitLines splits after each "\n", keeping it.
func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// diffLines is Myers' O(ND) shortest edit script, after the common
// prefix and suffix are set aside: fixes change few lines of long files,
// so D stays small and so do the saved frontiers.
func diffLines(a, b []string) []lineOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []lineOp
	for i := range pre {
		ops = append(ops, lineOp{' ', i, i})
	}
	for _, o := range myers(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		ops = append(ops, lineOp{o.kind, o.a + pre, o.b + pre})
	}
	for i := range suf {
		ops = append(ops, lineOp{' ', len(a) - suf + i, len(b) - suf + i})
	}
	return ops
}

func myers(a, b []string) []lineOp {
	n, m := len(a), len(b)
	limit := n + m
	off := limit + 1
	v := make([]int, 2*limit+3)
	// Each round saves only the diagonals it can have reached, -d..d
	// (trace[d][i] is diagonal i-d): the saved frontiers grow with the
	// square of the changes, not with the changes times the file.
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m)
			}
		}
	}
	return nil
}

func backtrack(trace [][]int, x, y int) []lineOp {
	var rev []lineOp
	for d := len(trace) - 1; d >= 0; d-- {
		// trace[d] is the frontier before round d, diagonal k at k+d.
		v := trace[d]
		k := x - y
		var pk int
		if k == -d || (k != d && v[d+k-1] < v[d+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := 0
		if d > 0 {
			px = v[d+pk]
		}
		py := px - pk
		for x > px && y > py {
			x--
			y--
			rev = append(rev, lineOp{' ', x, y})
		}
		if d > 0 {
			if x == px {
				y--
				rev = append(rev, lineOp{'+', x, y})
			} else {
				x--
				rev = append(rev, lineOp{'-', x, y})
			}
		}
		x, y = px, py
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}
