package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/scan"
)

type listFlags struct {
	format       string
	useFrom      []string
	artifactsDir string
}

func newListCommand(streams IO) *cobra.Command {
	f := &listFlags{}
	cmd := &cobra.Command{
		Use:       "list frameworks|controls|inputs",
		Short:     "List the frameworks, controls or control inputs Vigil knows",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"frameworks", "controls", "inputs"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.format != "text" && f.format != "json" {
				return usageErr("unknown format %q for list (text or json)", f.format)
			}
			pols, err := scan.LoadPolicies(scan.PolicyOptions{UseFrom: scan.SplitList(f.useFrom), ArtifactsDir: f.artifactsDir})
			if err != nil {
				return usageErr("%v", err)
			}
			switch args[0] {
			case "frameworks", "framework":
				return listFrameworks(streams.Out, pols.Set, f.format)
			case "controls", "control":
				return listControls(streams.Out, pols.Set, f.format)
			case "inputs", "input", "controls-inputs":
				return listInputs(streams.Out, pols.Set, f.format)
			}
			return usageErr("unknown list %q (frameworks, controls or inputs)", args[0])
		},
	}
	cmd.Flags().StringVar(&f.format, "format", "text", "text or json")
	cmd.Flags().StringSliceVar(&f.useFrom, "use-from", nil, "also load Kubescape policy JSON files")
	cmd.Flags().StringVar(&f.artifactsDir, "use-artifacts-from", "", "also load a Kubescape artifacts directory")
	return cmd
}

type frameworkInfo struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Origin      string   `json:"origin"`
	Controls    []string `json:"controls"`
}

func listFrameworks(w io.Writer, set *policy.Set, format string) error {
	var out []frameworkInfo
	for _, f := range set.Frameworks() {
		fi := frameworkInfo{Name: f.Name, Description: f.Description, Origin: f.Origin, Controls: []string{}}
		for _, c := range f.Controls {
			fi.Controls = append(fi.Controls, c.ControlID)
		}
		out = append(out, fi)
	}
	if format == "json" {
		return writeJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FRAMEWORK\tCONTROLS\tDESCRIPTION")
	for _, f := range out {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", f.Name, len(f.Controls), firstSentence(f.Description))
	}
	return tw.Flush()
}

type controlInfo struct {
	ID          string   `json:"controlID"`
	Name        string   `json:"name"`
	Severity    string   `json:"severity"`
	BaseScore   float64  `json:"baseScore"`
	Category    string   `json:"category,omitempty"`
	Frameworks  []string `json:"frameworks"`
	Inputs      []string `json:"controlInputs,omitempty"`
	Description string   `json:"description"`
	Remediation string   `json:"remediation"`
	References  []string `json:"references,omitempty"`
	Origin      string   `json:"origin"`
}

func listControls(w io.Writer, set *policy.Set, format string) error {
	member := map[string][]string{}
	for _, f := range set.Frameworks() {
		for _, c := range f.Controls {
			member[c.ControlID] = append(member[c.ControlID], f.Name)
		}
	}
	var out []controlInfo
	for _, c := range set.Controls() {
		ci := controlInfo{
			ID: c.ControlID, Name: c.Name, Severity: c.Severity(), BaseScore: c.BaseScore,
			Frameworks: member[c.ControlID], Inputs: c.InputKeys(),
			Description: c.Description, Remediation: c.Remediation, References: c.References, Origin: c.Origin,
		}
		if ci.Frameworks == nil {
			ci.Frameworks = []string{}
		}
		if c.Category != nil {
			ci.Category = c.Category.Name
		}
		out = append(out, ci)
	}
	slices.SortStableFunc(out, func(a, b controlInfo) int { return compareIDs(a.ID, b.ID) })
	if format == "json" {
		return writeJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tNAME\tFRAMEWORKS")
	for _, c := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Severity, c.Name, strings.Join(c.Frameworks, ","))
	}
	return tw.Flush()
}

type inputInfo struct {
	Key         string   `json:"key"`
	Description string   `json:"description,omitempty"`
	Default     []string `json:"default"`
	Value       []string `json:"value"`
	Controls    []string `json:"controls"`
}

func listInputs(w io.Writer, set *policy.Set, format string) error {
	readers := map[string][]string{}
	for _, c := range set.Controls() {
		for _, k := range c.InputKeys() {
			readers[k] = append(readers[k], c.ControlID)
		}
	}
	keys := set.Inputs.Keys()
	for k := range set.InputDocs {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []inputInfo
	for _, k := range keys {
		ii := inputInfo{Key: k, Description: set.InputDocs[k].Description, Default: set.InputDocs[k].Default,
			Value: set.Inputs[k], Controls: readers[k]}
		if ii.Default == nil {
			ii.Default = []string{}
		}
		if ii.Value == nil {
			ii.Value = []string{}
		}
		if ii.Controls == nil {
			ii.Controls = []string{}
		}
		out = append(out, ii)
	}
	if format == "json" {
		return writeJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tCONTROLS\tDEFAULT")
	for _, i := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", i.Key, strings.Join(i.Controls, ","), truncate(strings.Join(i.Default, ","), 70))
	}
	return tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	return truncate(s, 100)
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// compareIDs orders control IDs by prefix, then number.
func compareIDs(a, b string) int {
	if a[0] != b[0] {
		return strings.Compare(a, b)
	}
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func completeFrameworks(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	pols, err := scan.LoadPolicies(scan.PolicyOptions{})
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	names := []string{"all"}
	for _, f := range pols.Set.Frameworks() {
		names = append(names, f.Name)
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

func completeControls(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	pols, err := scan.LoadPolicies(scan.PolicyOptions{})
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var ids []string
	for _, c := range pols.Set.Controls() {
		ids = append(ids, c.ControlID+"\t"+c.Name)
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}
