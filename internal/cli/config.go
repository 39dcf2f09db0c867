package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vigilsec/vigil/internal/config"
)

// configAllows says whether a command takes defaults from the config file,
// and which keys: nil when it takes none. The file holds scan defaults;
// commands with flags of the same name but another meaning (list's text
// format, download's output) must not pick them up.
func configAllows(cmd *cobra.Command) func(key string) bool {
	path := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	switch {
	case path == "scan" || strings.HasPrefix(path, "scan "):
		return func(string) bool { return true }
	case path == "exceptions audit":
		// The audit prints its own table or JSON, not a scan report.
		return func(k string) bool { return k != "format" && k != "output" }
	case path == "list":
		return func(k string) bool { return k == "use-from" || k == "use-artifacts-from" || k == "policy-dir" }
	}
	return nil
}

// notKeys are flags that configure the run, not the scan. Fixing files is
// asked for on the command line each time, never by a config file.
func notKey(name string) bool {
	switch name {
	case "help", "config", "fix", "interactive":
		return true
	}
	return false
}

// configCommands are the commands that take config keys, in tree order.
func configCommands(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if configAllows(c) != nil {
			out = append(out, c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

// commandFlags visits a command's flags, its own and those inherited from
// its parents.
func commandFlags(c *cobra.Command, fn func(*pflag.Flag)) {
	// InheritedFlags merges the parents' persistent flags into Flags().
	c.InheritedFlags()
	c.Flags().VisitAll(fn)
}

// configKeys are every key the file may hold: the flags of the commands
// that take config, so a new flag is a valid key as soon as it exists.
func configKeys(root *cobra.Command) config.Keys {
	var known []string
	for _, c := range configCommands(root) {
		allow := configAllows(c)
		commandFlags(c, func(f *pflag.Flag) {
			if !notKey(f.Name) && allow(f.Name) {
				known = append(known, f.Name)
			}
		})
	}
	return config.Keys{Known: config.SortedKeys(known), Paths: config.PathKeys()}
}

func homeDir(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

func loadConfig(root *cobra.Command, streams IO) (*config.File, error) {
	flag, _ := root.PersistentFlags().GetString("config")
	loc := config.Locate(flag, streams.Getenv, homeDir(streams.Getenv))
	f, err := config.Load(loc, configKeys(root))
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	return f, nil
}

// applyConfig is the root's PersistentPreRunE: it sets the flags the
// command line left alone from the config file.
func applyConfig(streams IO) func(cmd *cobra.Command, args []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		allow := configAllows(cmd)
		if allow == nil {
			return nil
		}
		f, err := loadConfig(cmd.Root(), streams)
		if err != nil {
			return err
		}
		if _, err := f.Apply(cmd.Flags(), func(k string) bool { return !notKey(k) && allow(k) }); err != nil {
			return &exitError{code: ExitUsage, err: err}
		}
		return nil
	}
}

func newConfigCommand(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config view|path",
		Short: "Show the configuration file and the defaults it sets",
		Long: `Vigil reads defaults for scan flags from a YAML file whose keys are the
flag names (severity-threshold: high, exclude-controls: [C-0017]). The file
is --config FILE, else $VIGIL_CONFIG, else $XDG_CONFIG_HOME/vigil/config.yaml,
else ~/.config/vigil/config.yaml. Flags on the command line win over the
file; relative paths in the file are relative to its directory.`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "view",
		Short: "Print the effective configuration and where each value comes from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return viewConfig(cmd.Root(), streams)
		},
	}, &cobra.Command{
		Use:   "path",
		Short: "Print the configuration file's path",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			flag, _ := cmd.Root().PersistentFlags().GetString("config")
			loc := config.Locate(flag, streams.Getenv, homeDir(streams.Getenv))
			if loc.Path == "" {
				fmt.Fprintln(streams.Err, "No configuration file: no --config, $VIGIL_CONFIG, $XDG_CONFIG_HOME or home directory.")
				return nil
			}
			fmt.Fprintln(streams.Out, loc.Path)
			if _, err := os.Stat(loc.Path); err != nil {
				fmt.Fprintf(streams.Err, "(from %s; no file there, so Vigil uses its built-in defaults)\n", loc.From)
			}
			return nil
		},
	})
	return cmd
}

// keyInfo is what view shows of one key.
type keyInfo struct {
	def    string
	hidden bool
	usedBy []string
}

func viewConfig(root *cobra.Command, streams IO) error {
	f, err := loadConfig(root, streams)
	if err != nil {
		return err
	}
	keys := map[string]*keyInfo{}
	var order []string
	for _, c := range configCommands(root) {
		allow := configAllows(c)
		name := strings.TrimPrefix(c.CommandPath(), root.Name()+" ")
		commandFlags(c, func(fl *pflag.Flag) {
			if notKey(fl.Name) || !allow(fl.Name) {
				return
			}
			k := keys[fl.Name]
			if k == nil {
				k = &keyInfo{def: fl.DefValue, hidden: fl.Hidden}
				keys[fl.Name] = k
				order = append(order, fl.Name)
			}
			// "scan control" uses what "scan" uses; name the parent only.
			if !slices.ContainsFunc(k.usedBy, func(u string) bool { return strings.HasPrefix(name, u+" ") }) {
				k.usedBy = append(k.usedBy, name)
			}
		})
		// Check every value against the flags that will take it, so a bad
		// value shows here rather than at the next scan. These commands do
		// not run in this process; setting their flags changes nothing.
		if _, err := f.Apply(c.Flags(), func(k string) bool { return !notKey(k) && allow(k) }); err != nil {
			return &exitError{code: ExitUsage, err: err}
		}
	}
	slices.Sort(order)

	w := streams.Out
	switch {
	case f.Path == "":
		fmt.Fprintln(w, "Config file: none (no --config, $VIGIL_CONFIG, $XDG_CONFIG_HOME or home directory)")
	case !f.Found:
		fmt.Fprintf(w, "Config file: %s (from %s; not found, so every value is a built-in default)\n", f.Path, f.From)
	default:
		fmt.Fprintf(w, "Config file: %s (from %s)\n", f.Path, f.From)
	}
	if len(f.Entries) > 0 {
		fmt.Fprintln(w)
		for _, e := range f.Entries {
			if e.List {
				fmt.Fprintf(w, "%s: [%s]\n", e.Key, strings.Join(e.Values, ", "))
			} else {
				fmt.Fprintf(w, "%s: %s\n", e.Key, e.Value())
			}
		}
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVALUE\tFROM\tUSED BY")
	for _, name := range order {
		k := keys[name]
		val, from := k.def, "default"
		if e, ok := f.Lookup(name); ok {
			val, from = e.Value(), f.Where(e)
		} else if k.hidden {
			continue
		}
		if val == "" || val == "[]" {
			val = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, truncate(val, 60), from, strings.Join(k.usedBy, ", "))
	}
	return tw.Flush()
}
