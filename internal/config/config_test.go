package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

var testKeys = Keys{
	Known: []string{"severity-threshold", "compliance-threshold", "exclude-controls", "exceptions", "use-from", "values", "verbose", "timeout", "format"},
	Paths: PathKeys(),
}

func TestLocate(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		name     string
		flag     string
		getenv   func(string) string
		home     string
		want     string
		from     string
		explicit bool
	}{
		{"flag wins", "/etc/vigil.yaml", env("VIGIL_CONFIG", "/env.yaml", "XDG_CONFIG_HOME", "/xdg"), "/home/u", "/etc/vigil.yaml", FromFlag, true},
		{"then VIGIL_CONFIG", "", env("VIGIL_CONFIG", "/env.yaml", "XDG_CONFIG_HOME", "/xdg"), "/home/u", "/env.yaml", FromEnv, true},
		{"then XDG_CONFIG_HOME", "", env("XDG_CONFIG_HOME", "/xdg"), "/home/u", "/xdg/vigil/config.yaml", FromXDG, false},
		{"then the home directory", "", env(), "/home/u", "/home/u/.config/vigil/config.yaml", FromHome, false},
		{"no home", "", env(), "", "", FromNowhere, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc := Locate(tc.flag, tc.getenv, tc.home)
			if loc.Path != tc.want || loc.From != tc.from || loc.Explicit != tc.explicit {
				t.Errorf("got %+v", loc)
			}
		})
	}
}

func TestParse(t *testing.T) {
	const path = "/proj/ci/vigil.yaml"
	cases := []struct {
		name    string
		yaml    string
		want    []Entry
		wantErr string
	}{
		{"scalars and lists", "severity-threshold: high\ncompliance-threshold: 80\nexclude-controls: [C-0017, C-0034]\n",
			[]Entry{{Key: "severity-threshold", Values: []string{"high"}, Line: 1},
				{Key: "compliance-threshold", Values: []string{"80"}, Line: 2},
				{Key: "exclude-controls", Values: []string{"C-0017", "C-0034"}, List: true, Line: 3}}, ""},
		{"relative paths are relative to the file", "exceptions: exceptions.json\nuse-from:\n  - ../policies/a.json\n  - /abs/b.json\nvalues: \"-\"\n",
			[]Entry{{Key: "exceptions", Values: []string{"/proj/ci/exceptions.json"}, Line: 1},
				{Key: "use-from", Values: []string{"/proj/policies/a.json", "/abs/b.json"}, List: true, Line: 2},
				{Key: "values", Values: []string{"-"}, Line: 5}}, ""},
		{"a comma list of paths in a scalar", "use-from: a.json, b.json\n",
			[]Entry{{Key: "use-from", Values: []string{"/proj/ci/a.json,/proj/ci/b.json"}, Line: 1}}, ""},
		{"other values are not paths", "format: json/pretty\n",
			[]Entry{{Key: "format", Values: []string{"json/pretty"}, Line: 1}}, ""},
		{"empty file", "", nil, ""},
		{"comments only", "# nothing yet\n", nil, ""},
		{"unknown key with a suggestion", "severity-threshold: high\nseverity_treshold: high\n", nil,
			`/proj/ci/vigil.yaml:2: unknown key "severity_treshold" (did you mean "severity-threshold"?)`},
		{"flag spelling", "--verbose: true\n", nil, `unknown key "--verbose" (did you mean "verbose"?)`},
		{"unknown key without a suggestion", "colour-scheme: dark\n", nil, `/proj/ci/vigil.yaml:1: unknown key "colour-scheme"; keys are`},
		{"duplicate key", "format: json\nformat: sarif\n", nil, `/proj/ci/vigil.yaml:2: "format" is already set on line 1`},
		{"no value", "format:\n", nil, "/proj/ci/vigil.yaml:1: format has no value"},
		{"nested map", "format:\n  a: b\n", nil, "format must be a value or a list"},
		{"nested list", "use-from:\n  - [a]\n", nil, "/proj/ci/vigil.yaml:2: use-from: list items must be plain values"},
		{"not a mapping", "- a\n- b\n", nil, "/proj/ci/vigil.yaml:1: the config file must be a mapping"},
		{"bad YAML", "format: [json\n", nil, "config file /proj/ci/vigil.yaml: yaml:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.yaml), path, testKeys)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tc.want, func(a, b Entry) bool {
				return a.Key == b.Key && a.List == b.List && a.Line == b.Line && slices.Equal(a.Values, b.Values)
			}) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.yaml")
	f, err := Load(Location{Path: missing, From: FromXDG}, testKeys)
	if err != nil || f.Found || len(f.Entries) != 0 {
		t.Errorf("a missing default file configures nothing: %+v %v", f, err)
	}
	if _, err := Load(Location{Path: missing, From: FromEnv, Explicit: true}, testKeys); err == nil || !strings.Contains(err.Error(), "from $VIGIL_CONFIG") {
		t.Errorf("a missing explicit file is an error: %v", err)
	}
	p := filepath.Join(dir, "c.yaml")
	os.WriteFile(p, []byte("exceptions: ex.json\n"), 0o644)
	f, err = Load(Location{Path: p, From: FromFlag, Explicit: true}, testKeys)
	if err != nil || !f.Found {
		t.Fatal(err)
	}
	if e, ok := f.Lookup("exceptions"); !ok || e.Value() != filepath.Join(dir, "ex.json") || f.Where(e) != p+":1" {
		t.Errorf("entry %+v", e)
	}
	// An empty file (such as /dev/null) is the way to run with no
	// configuration at all.
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, nil, 0o644)
	if f, err := Load(Location{Path: empty, From: FromEnv, Explicit: true}, testKeys); err != nil || len(f.Entries) != 0 {
		t.Errorf("empty file: %+v %v", f, err)
	}
}

func TestApply(t *testing.T) {
	newFlags := func() *pflag.FlagSet {
		fs := pflag.NewFlagSet("scan", pflag.ContinueOnError)
		fs.String("severity-threshold", "", "")
		fs.Float64("compliance-threshold", 0, "")
		fs.StringSlice("exclude-controls", nil, "")
		fs.StringArray("values", nil, "")
		fs.Bool("verbose", false, "")
		fs.Duration("timeout", 10*time.Minute, "")
		fs.StringSlice("format", []string{"pretty"}, "")
		return fs
	}
	yamlFile := `severity-threshold: high
compliance-threshold: 80
exclude-controls: [C-0017, C-0034]
values: ["a,b.yaml", c.yaml]
verbose: true
timeout: 90s
format: json,sarif
`
	entries, err := Parse([]byte(yamlFile), "/p/config.yaml", Keys{Known: testKeys.Known})
	if err != nil {
		t.Fatal(err)
	}
	file := &File{Location: Location{Path: "/p/config.yaml"}, Found: true, Entries: entries}

	cases := []struct {
		name  string
		args  []string
		allow func(string) bool
		flag  string
		want  string
	}{
		{"the file sets a default", nil, nil, "severity-threshold", "high"},
		{"the command line wins", []string{"--severity-threshold", "critical"}, nil, "severity-threshold", "critical"},
		{"numbers", nil, nil, "compliance-threshold", "80"},
		{"the command line wins over numbers", []string{"--compliance-threshold=0"}, nil, "compliance-threshold", "0"},
		{"lists", nil, nil, "exclude-controls", "[C-0017,C-0034]"},
		{"repeatable flags take items whole", nil, nil, "values", `["a,b.yaml",c.yaml]`},
		{"booleans", nil, nil, "verbose", "true"},
		{"durations", nil, nil, "timeout", "1m30s"},
		{"comma lists in a scalar", nil, nil, "format", "[json,sarif]"},
		{"keys a command does not take", nil, func(k string) bool { return k != "format" }, "format", "[pretty]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFlags()
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			applied, err := file.Apply(fs, tc.allow)
			if err != nil {
				t.Fatal(err)
			}
			if got := fs.Lookup(tc.flag).Value.String(); got != tc.want {
				t.Errorf("%s = %s, want %s", tc.flag, got, tc.want)
			}
			if fs.Lookup(tc.flag).Changed != (len(tc.args) > 0) {
				t.Error("Changed must keep meaning: given on the command line")
			}
			for _, a := range applied {
				if a.Key == tc.flag && len(tc.args) > 0 {
					t.Errorf("a flag given on the command line was set from the file")
				}
			}
		})
	}

	// A key the command has no flag for is left alone; a bad value names
	// the file and line.
	other := &File{Location: Location{Path: "/p/config.yaml"}, Entries: []Entry{{Key: "policy-dir", Values: []string{"x"}, Line: 1}}}
	if applied, err := other.Apply(newFlags(), nil); err != nil || len(applied) != 0 {
		t.Errorf("unknown flag: %v %v", applied, err)
	}
	bad := &File{Location: Location{Path: "/p/config.yaml"}, Entries: []Entry{{Key: "compliance-threshold", Values: []string{"most"}, Line: 7}}}
	if _, err := bad.Apply(newFlags(), nil); err == nil || !strings.HasPrefix(err.Error(), "/p/config.yaml:7: compliance-threshold:") {
		t.Errorf("bad value: %v", err)
	}
	list := &File{Location: Location{Path: "/p/config.yaml"}, Entries: []Entry{{Key: "verbose", Values: []string{"true", "false"}, List: true, Line: 2}}}
	if _, err := list.Apply(newFlags(), nil); err == nil || !strings.Contains(err.Error(), "takes one value, not a list") {
		t.Errorf("list for a scalar flag: %v", err)
	}
}
