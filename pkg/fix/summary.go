package fix

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// Totals count a plan's fixes by status, and the files changed.
type Totals struct {
	Applied, Unchanged, Skipped, Manual, Failed, Invalid int
	FilesChanged                                         int
	Reviews                                              int
}

// Totals counts the plan's fixes once applied.
func (p *Plan) Totals() Totals {
	var t Totals
	count := func(f *Fix) {
		switch f.Status {
		case Applied:
			t.Applied++
		case Unchanged:
			t.Unchanged++
		case Skipped:
			t.Skipped++
		case Manual:
			t.Manual++
		case Failed, Pending:
			t.Failed++
		case Invalid:
			t.Invalid++
		}
	}
	for _, fp := range p.Files {
		for _, f := range fp.Fixes {
			count(f)
		}
		if fp.New != nil && string(fp.New) != string(fp.Old) {
			t.FilesChanged++
		}
	}
	for _, f := range p.Elsewhere {
		count(f)
	}
	t.Reviews = len(p.Reviews)
	return t
}

// WriteDiff writes the unified diff of every changed file.
func (p *Plan) WriteDiff(w io.Writer) error {
	for _, fp := range p.Files {
		if fp.New == nil {
			continue
		}
		if _, err := io.WriteString(w, Diff(fp.Path, fp.Old, fp.New)); err != nil {
			return err
		}
	}
	return nil
}

// WriteSummary lists, per file, every fix and what became of it, then the
// fixes no file could take, the paths to review, and the totals.
func (p *Plan) WriteSummary(w io.Writer, dryRun bool) error {
	var b strings.Builder
	applied := "applied"
	if dryRun {
		applied = "would apply"
	}
	line := func(f *Fix) {
		st := string(f.Status)
		if f.Status == Applied {
			st = applied
		}
		fmt.Fprintf(&b, "  %-11s %s  %s  [%s]", st, printable(f.Object), printable(f.describe()), printable(strings.Join(f.Controls, ",")))
		switch {
		case f.Status == Applied && f.Line > 0:
			fmt.Fprintf(&b, " %s, line %d", printable(f.Where), f.Line)
		case f.Reason != "":
			b.WriteString(": " + printable(f.Reason))
		}
		b.WriteByte('\n')
	}
	for _, fp := range p.Files {
		b.WriteString(printable(fp.Path) + "\n")
		for _, f := range fp.Fixes {
			line(f)
		}
	}
	if len(p.Elsewhere) > 0 {
		b.WriteString("Not applied to any file:\n")
		for _, f := range p.Elsewhere {
			line(f)
		}
	}
	if len(p.Reviews) > 0 {
		b.WriteString("To review (never applied):\n")
		for _, r := range p.Reviews {
			fmt.Fprintf(&b, "  %s  %s  [%s] %s\n", printable(r.Object), printable(r.Path), printable(strings.Join(r.Controls, ",")), printable(r.Location))
		}
	}
	t := p.Totals()
	verb := "applied"
	if dryRun {
		verb = "to apply (dry run, nothing written)"
	}
	fmt.Fprintf(&b, "%s %s in %s; %d already in place, %d skipped, %d to change by hand, %d failed, %d refused; %s to review\n",
		plural(t.Applied, "fix", "fixes"), verb, plural(t.FilesChanged, "file", "files"), t.Unchanged, t.Skipped, t.Manual, t.Failed, t.Invalid,
		plural(t.Reviews, "path", "paths"))
	_, err := io.WriteString(w, b.String())
	return err
}

// printable escapes the control characters of text from the report, so
// that printing it can neither add lines nor send escape sequences to a
// terminal.
func printable(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
