package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/policy/exception"
	"github.com/vigilsec/vigil/pkg/scan"
	"github.com/vigilsec/vigil/pkg/source"
)

type auditFlags struct {
	sourceFlags
	exceptions     string
	expiringWithin string
	failOnStale    bool
	all            bool
	format         string
	frameworks     []string
}

func newExceptionsCommand(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "exceptions",
		Short: "Work with exceptions (accepted failures)",
	}
	f := &auditFlags{}
	audit := &cobra.Command{
		Use:   "audit [PATH...]",
		Short: "List exceptions that matched nothing, have expired, or expire soon",
		Long: `Scan PATHs (or, with no path, the cluster of the current kubeconfig
context, as vigil scan does) and judge every exception against the failures
found: the posture exception policies of --exceptions (or exceptions.json in
--use-artifacts-from) and the vigil.dev/skip-controls annotations of the
scanned objects.

  expired    past its expiration date: it no longer applies
  invalid    an inline skip-until that is not a date: it never applies
  unmatched  covers no failure: the problem was fixed, or the exception
             never matched (a typo in a name or control ID)
  expiring   covers failures, and expires within --expiring-within
  matched    covers failures (listed with --all)

Every control of every framework is evaluated (--frameworks narrows it), so
an exception for any control can match. Exit codes: 0 when the audit ran
(whatever it found), 1 with --fail-on-stale when an exception is expired,
invalid or unmatched, 2 on a usage or input error.`,
		Example: `  vigil exceptions audit deploy/ --exceptions exceptions.json
  vigil exceptions audit deploy/ --exceptions exceptions.json --expiring-within 30d --fail-on-stale
  vigil exceptions audit --use-artifacts-from ~/.vigil/artifacts --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd.Context(), streams, f, args)
		},
	}
	fl := audit.Flags()
	fl.StringVar(&f.exceptions, "exceptions", "", "posture exceptions file (Kubescape's exception policy JSON) to audit")
	fl.StringVar(&f.expiringWithin, "expiring-within", "", "also list exceptions in force that expire within this period (30d, 2w, 72h)")
	fl.BoolVar(&f.failOnStale, "fail-on-stale", false, "exit 1 when an exception is expired, invalid or matched no failure")
	fl.BoolVar(&f.all, "all", false, "list matched exceptions too")
	fl.StringVar(&f.format, "format", "pretty", "pretty or json (json lists every exception with its status)")
	addSourceFlags(fl, &f.sourceFlags)
	fl.StringSliceVar(&f.frameworks, "frameworks", []string{"all"}, "frameworks to scan (comma-separated; all = every framework)")
	_ = audit.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"pretty", "json"}, cobra.ShellCompDirectiveNoFileComp
	})
	cmd.AddCommand(audit)
	return cmd
}

// parsePeriod reads "30d", "2w" or a Go duration ("72h").
func parsePeriod(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("%q is not a period (30d, 2w, 72h)", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a period (30d, 2w, 72h)", s)
	}
	return d, nil
}

// auditReport is the JSON output.
type auditReport struct {
	Exceptions []exception.AuditEntry `json:"exceptions"`
	Summary    map[string]int         `json:"summary"`
	Scan       auditScan              `json:"scan"`
}

type auditScan struct {
	Target     string   `json:"target"`
	Roots      []string `json:"roots,omitempty"`
	Cluster    string   `json:"cluster,omitempty"`
	Frameworks []string `json:"frameworks"`
	Objects    int      `json:"objects"`
	Failures   int      `json:"failures"`
	// ExceptionsFile is the file audited ("" when only inline exceptions).
	ExceptionsFile string `json:"exceptionsFile,omitempty"`
}

// auditOrder puts what needs attention first.
func auditOrder() []exception.AuditStatus {
	return []exception.AuditStatus{
		exception.AuditInvalid, exception.AuditExpired, exception.AuditUnmatched, exception.AuditExpiring, exception.AuditMatched,
	}
}

func runAudit(ctx context.Context, streams IO, f *auditFlags, paths []string) error {
	if f.format != "pretty" && f.format != "json" {
		return usageErr("unknown format %q for exceptions audit (pretty or json)", f.format)
	}
	var within time.Duration
	if f.expiringWithin != "" {
		var err error
		if within, err = parsePeriod(f.expiringWithin); err != nil {
			return usageErr("--expiring-within: %v", err)
		}
	}
	exPath := f.exceptions
	if exPath == "" && f.artifactsDir != "" {
		// As a scan would: the artifacts directory's exceptions.json.
		if p := filepath.Join(f.artifactsDir, policy.ExceptionsFile); fileExists(p) {
			exPath = p
		}
	}
	now := time.Now().UTC()
	var set *exception.Set
	if exPath != "" {
		// Loaded before the scan, so a broken file fails at once.
		var err error
		if set, err = exception.Load(exPath, now); err != nil {
			return usageErr("%v", err)
		}
	}
	ctx, cancel := f.withTimeout(ctx)
	defer cancel()
	opts, err := f.options(streams, paths, nil)
	if err != nil {
		return err
	}
	opts.Frameworks = scan.SplitList(f.frameworks)
	opts.ExceptionsPath, opts.Now = exPath, now

	rep, err := runScanOpts(ctx, streams, opts)
	if err != nil {
		return err
	}
	statusOrder := auditOrder()
	failures, objects := exception.FailuresOf(rep)
	entries := set.AuditScan(failures, objects, exception.AuditOptions{Now: now, ExpiringWithin: within})
	slices.SortStableFunc(entries, func(a, b exception.AuditEntry) int {
		return slices.Index(statusOrder, a.Status) - slices.Index(statusOrder, b.Status)
	})
	summary := map[string]int{}
	stale := 0
	for _, st := range statusOrder {
		summary[string(st)] = 0
	}
	for _, e := range entries {
		summary[string(e.Status)]++
		if e.Status.Stale() {
			stale++
		}
	}
	out := auditReport{
		Exceptions: entries, Summary: summary,
		Scan: auditScan{
			Target: rep.Target.Kind, Roots: rep.Target.Roots, Cluster: rep.Target.Cluster, Frameworks: rep.Target.Names,
			Objects: rep.Inputs.Objects, Failures: len(failures), ExceptionsFile: exPath,
		},
	}
	if out.Exceptions == nil {
		out.Exceptions = []exception.AuditEntry{}
	}
	if f.format == "json" {
		if err := writeJSON(streams.Out, out); err != nil {
			return err
		}
	} else if err := writeAuditTable(streams, out, f.all, within); err != nil {
		return err
	}

	for _, w := range rep.Warnings {
		// The scan warns about expired file exceptions; the audit has
		// already listed them.
		if strings.HasPrefix(w, "exception ") && strings.Contains(w, " expired on ") {
			continue
		}
		fmt.Fprintln(streams.Err, "Warning:", w)
	}
	if n := len(rep.Inputs.Errors); n > 0 {
		// An exception for an object that was not read would look
		// unmatched: the audit is incomplete, as a scan would be.
		fmt.Fprintf(streams.Err, "Error: %d input(s) could not be read, so exceptions for them may show as unmatched:\n", n)
		for _, e := range rep.Inputs.Errors {
			fmt.Fprintln(streams.Err, "  "+e.Error())
		}
		return &exitError{code: ExitUsage}
	}
	if f.failOnStale && stale > 0 {
		return &exitError{code: ExitGate, err: fmt.Errorf("%d stale exception(s): expired, invalid or matching no failure (--fail-on-stale)", stale)}
	}
	return nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func writeAuditTable(streams IO, out auditReport, all bool, within time.Duration) error {
	w := streams.Out
	target := strings.Join(out.Scan.Roots, ", ")
	if out.Scan.Target == source.TargetCluster {
		target = "cluster " + out.Scan.Cluster
	}
	fmt.Fprintf(w, "Exceptions audited against a scan of %s: %d objects, %d failures (frameworks: %s).\n",
		target, out.Scan.Objects, out.Scan.Failures, strings.Join(out.Scan.Frameworks, ", "))
	if len(out.Exceptions) == 0 {
		fmt.Fprintln(w, "No exceptions to audit: no exceptions file (--exceptions, or exceptions.json in --use-artifacts-from) and no "+
			exception.AnnotationControls+" annotation on the scanned objects.")
		return nil
	}
	var shown []exception.AuditEntry
	for _, e := range out.Exceptions {
		if all || e.Status != exception.AuditMatched {
			shown = append(shown, e)
		}
	}
	if len(shown) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "STATUS\tEXCEPTION\tSOURCE\tCONTROLS\tMATCHES\tEXPIRES\tDETAIL")
		for _, e := range shown {
			src := e.Source
			if e.Location != "" {
				src = e.Location
			}
			expires := e.Expires
			if expires == "" {
				expires = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", e.Status, truncate(e.Name, 50), src,
				truncate(strings.Join(e.Controls, ","), 30), e.Matches, expires, e.Detail)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	var parts []string
	for _, st := range auditOrder() {
		n := out.Summary[string(st)]
		switch {
		case n == 0:
			continue
		case st == exception.AuditExpiring:
			parts = append(parts, fmt.Sprintf("%d expiring within %s", n, formatPeriod(within)))
		default:
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	fmt.Fprintf(w, "\n%d exception(s): %s.\n", len(out.Exceptions), strings.Join(parts, ", "))
	if !all && out.Summary[string(exception.AuditMatched)] > 0 {
		fmt.Fprintln(w, "Run with --all to list the matched ones too.")
	}
	return nil
}

func formatPeriod(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}
