// Package config reads Vigil's configuration file: defaults for command
// flags, keyed by the flag names, so that `severity-threshold: high` in the
// file means what `--severity-threshold high` means on the command line.
//
// The file is found at --config, else $VIGIL_CONFIG, else
// $XDG_CONFIG_HOME/vigil/config.yaml, else ~/.config/vigil/config.yaml.
// Flags given on the command line win over the file; the file wins over
// built-in defaults. Keys are applied generically to whatever flags a
// command has, so a new flag is configurable as soon as it exists.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/vigilsec/vigil/internal/suggest"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// Where the file path came from.
const (
	FromFlag    = "--config"
	FromEnv     = "$VIGIL_CONFIG"
	FromXDG     = "$XDG_CONFIG_HOME"
	FromHome    = "~/.config"
	FromNowhere = "none"
)

// Location is the configuration file to read.
type Location struct {
	Path string
	// From says how the path was chosen (FromFlag, FromEnv ...).
	From string
	// Explicit paths (--config, $VIGIL_CONFIG) must exist; the default
	// locations may not.
	Explicit bool
}

// Locate finds the configuration file: flag (the --config value), then
// $VIGIL_CONFIG, then $XDG_CONFIG_HOME/vigil/config.yaml, then
// ~/.config/vigil/config.yaml. home is the user's home directory ("" when
// unknown).
func Locate(flag string, getenv func(string) string, home string) Location {
	switch {
	case flag != "":
		return Location{Path: flag, From: FromFlag, Explicit: true}
	case getenv("VIGIL_CONFIG") != "":
		return Location{Path: getenv("VIGIL_CONFIG"), From: FromEnv, Explicit: true}
	case getenv("XDG_CONFIG_HOME") != "":
		return Location{Path: filepath.Join(getenv("XDG_CONFIG_HOME"), "vigil", "config.yaml"), From: FromXDG}
	case home != "":
		return Location{Path: filepath.Join(home, ".config", "vigil", "config.yaml"), From: FromHome}
	}
	return Location{From: FromNowhere}
}

// Entry is one key of the file.
type Entry struct {
	Key string
	// Values holds one value for a scalar, each item for a list. Paths are
	// already resolved against the file's directory.
	Values []string
	List   bool
	Line   int
}

// Value renders the entry as a flag value (a list joined with commas).
func (e Entry) Value() string { return strings.Join(e.Values, ",") }

// File is a loaded configuration file.
type File struct {
	Location
	// Found is false when a default location holds no file.
	Found   bool
	Entries []Entry
}

// Where names an entry's position: "path:line".
func (f *File) Where(e Entry) string { return fmt.Sprintf("%s:%d", f.Path, e.Line) }

// Lookup finds an entry by key.
func (f *File) Lookup(key string) (Entry, bool) {
	if f == nil {
		return Entry{}, false
	}
	for _, e := range f.Entries {
		if e.Key == key {
			return e, true
		}
	}
	return Entry{}, false
}

// PathKeys are the flags whose values are paths on the scan commands:
// relative values in the file are relative to the file.
func PathKeys() []string {
	return []string{"controls-config", "exceptions", "kubeconfig", "output", "policy-dir", "use-artifacts-from", "use-from", "values"}
}

// Keys describes the keys a file may hold.
type Keys struct {
	// Known lists every valid key.
	Known []string
	// Paths are the keys whose values are file or directory paths, resolved
	// against the file's directory when relative.
	Paths []string
}

// Load reads the file at loc. A default location without a file is not an
// error: it yields an empty File.
func Load(loc Location, keys Keys) (*File, error) {
	f := &File{Location: loc}
	if loc.Path == "" {
		return f, nil
	}
	data, err := os.ReadFile(loc.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !loc.Explicit:
		return f, nil
	case err != nil:
		return nil, fmt.Errorf("read config file (from %s): %w", loc.From, err)
	}
	f.Found = true
	if f.Entries, err = Parse(data, loc.Path, keys); err != nil {
		return nil, err
	}
	return f, nil
}

// Parse reads configuration YAML; path names the file in errors and anchors
// relative paths.
func Parse(data []byte, path string, keys Keys) ([]Entry, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 || len(doc.Content) == 0 {
		return nil, nil // an empty file configures nothing
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil // a file of comments only
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the config file must be a mapping of flag names to values (key: value)", path, root.Line)
	}
	dir := filepath.Dir(path)
	var out []Entry
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		at := fmt.Sprintf("%s:%d", path, k.Line)
		if !slices.Contains(keys.Known, key) {
			msg := fmt.Sprintf("%s: unknown key %q", at, key)
			if s := suggest.Closest(strings.TrimPrefix(key, "--"), keys.Known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, errors.New(msg + "; keys are the flag names of vigil scan, see `vigil config view`")
		}
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("%s: %q is already set on line %d", at, key, prev)
		}
		seen[key] = k.Line
		e := Entry{Key: key, Line: k.Line}
		switch v.Kind {
		case yaml.ScalarNode:
			if v.Tag == "!!null" {
				return nil, fmt.Errorf("%s: %s has no value (remove the key to keep the default)", at, key)
			}
			e.Values = []string{v.Value}
		case yaml.SequenceNode:
			e.List, e.Values = true, []string{}
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("%s:%d: %s: list items must be plain values", path, item.Line, key)
				}
				e.Values = append(e.Values, item.Value)
			}
		default:
			return nil, fmt.Errorf("%s: %s must be a value or a list of values", at, key)
		}
		if slices.Contains(keys.Paths, key) {
			for i, v := range e.Values {
				// A scalar may list several paths with commas, as the
				// flag takes them.
				parts := strings.Split(v, ",")
				for j, p := range parts {
					parts[j] = resolve(dir, strings.TrimSpace(p))
				}
				e.Values[i] = strings.Join(parts, ",")
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// resolve makes a path from the file relative to the file's directory, so a
// project's config means the same from any working directory. "-" (stdin),
// URLs and "~/" paths are not file-relative.
func resolve(dir, p string) string {
	switch {
	case p == "" || p == "-" || strings.Contains(p, "://") || filepath.IsAbs(p):
		return p
	case p == "~" || strings.HasPrefix(p, "~/"):
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
		return p
	}
	return filepath.Join(dir, p)
}

// Applied is a flag the file set.
type Applied struct {
	Entry
	Flag *pflag.Flag
}

// Apply sets each flag of fs named by a key of the file, unless the command
// line set it (flag.Changed) or allow rejects the key. Flags set from the
// file are left unchanged-marked, so Changed keeps meaning "given on the
// command line". Keys that name no flag of this command are left alone:
// the file serves every command.
func (f *File) Apply(fs *pflag.FlagSet, allow func(key string) bool) ([]Applied, error) {
	if f == nil {
		return nil, nil
	}
	var out []Applied
	for _, e := range f.Entries {
		fl := fs.Lookup(e.Key)
		if fl == nil || fl.Changed || (allow != nil && !allow(e.Key)) {
			continue
		}
		if err := set(fl, e); err != nil {
			return out, fmt.Errorf("%s: %s: %w", f.Where(e), e.Key, err)
		}
		out = append(out, Applied{Entry: e, Flag: fl})
	}
	return out, nil
}

func set(fl *pflag.Flag, e Entry) error {
	// Repeatable flags (--values, --set) take list items one by one: an
	// item may itself hold a comma.
	if sv, ok := fl.Value.(pflag.SliceValue); ok && e.List {
		return sv.Replace(e.Values)
	}
	if e.List && len(e.Values) != 1 {
		return fmt.Errorf("takes one value, not a list")
	}
	return fl.Value.Set(e.Value())
}

// SortedKeys returns keys sorted and without duplicates.
func SortedKeys(keys []string) []string {
	out := slices.Clone(keys)
	sort.Strings(out)
	return slices.Compact(out)
}
