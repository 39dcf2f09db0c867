package host

import (
	"bytes"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// process is a running program found under /proc.
type process struct {
	pid  int
	args []string
}

// program is the name a process is known by: the base name of argv[0], or
// for hyperkube-style multi-call binaries the sub-command.
func (p process) program() string {
	if len(p.args) == 0 {
		return ""
	}
	name := path.Base(p.args[0])
	if name == "hyperkube" && len(p.args) > 1 {
		return p.args[1]
	}
	return name
}

// processes reads every /proc/<pid>/cmdline under the root, in pid order.
// Kernel threads and unreadable entries have empty command lines and are
// left out.
func (r *rootFS) processes() []process {
	var out []process
	for _, name := range r.readDir("/proc") {
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		b, err := r.readFile("/proc/" + name + "/cmdline")
		if err != nil || len(b) == 0 {
			continue
		}
		out = append(out, process{pid: pid, args: splitCmdline(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pid < out[j].pid })
	return out
}

// splitCmdline splits a NUL-separated command line. A program that rewrote
// its title into one space-separated string is split on spaces.
func splitCmdline(b []byte) []string {
	b = bytes.TrimRight(b, "\x00")
	parts := strings.Split(string(b), "\x00")
	if len(parts) == 1 {
		parts = strings.Fields(parts[0])
	}
	return parts
}

// ParseFlags reads a component's arguments into flag name → value, as
// docs/HOST-OBJECTS.md specifies for vigil.flags: "--a=b" and "--a b" give
// a: b, a flag followed by another flag or nothing is "true", the last of
// repeated flags wins, positional arguments are ignored. The first argument
// is the program and is skipped.
func ParseFlags(args []string) map[string]string {
	flags := map[string]string{}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		name := strings.TrimLeft(a, "-")
		if k, v, ok := strings.Cut(name, "="); ok {
			flags[k] = v
			continue
		}
		if name == "" {
			continue
		}
		if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			flags[name] = args[i+1]
			i++
			continue
		}
		flags[name] = "true"
	}
	return flags
}

// sensitiveFlag reports whether a flag's value is a credential itself
// (--token, --bootstrap-token, --etcd-password...) rather than the path of
// a file holding one, which is what controls need to see.
func sensitiveFlag(name string) bool {
	n := strings.ToLower(name)
	for _, suffix := range []string{"-file", "-path", "-dir"} {
		if strings.HasSuffix(n, suffix) {
			return false
		}
	}
	return n == "token" || strings.HasSuffix(n, "-token") || strings.Contains(n, "password") || strings.Contains(n, "secret")
}

// urlPassword matches the password of a URL's user information
// (https://user:password@host), in a value that may list several URLs.
var urlPassword = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s,]+):[^/@\s,]+@`)

// redactArgs replaces the values of sensitive flags with "REDACTED", in
// both "--flag=value" and "--flag value" forms, and the passwords of URLs
// in any argument (--etcd-servers=https://user:password@...).
func redactArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = urlPassword.ReplaceAllString(a, "${1}:"+redacted+"@")
	}
	for i := 1; i < len(out); i++ {
		a := out[i]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name := strings.TrimLeft(a, "-")
		if k, _, ok := strings.Cut(name, "="); ok {
			if sensitiveFlag(k) {
				out[i] = a[:len(a)-len(name)] + k + "=" + redacted
			}
			continue
		}
		// pflag takes the next argument as a value flag's value even when
		// it starts with "-"; only a long flag after it is surely not one.
		if sensitiveFlag(name) && i+1 < len(out) && !strings.HasPrefix(out[i+1], "--") {
			out[i+1] = redacted
			i++
		}
	}
	return out
}

// podCommand returns the first container's command followed by its args
// from a static-pod manifest.
func podCommand(b []byte) ([]string, bool) {
	var pod struct {
		Spec struct {
			Containers []struct {
				Command []string `yaml:"command"`
				Args    []string `yaml:"args"`
			} `yaml:"containers"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(b, &pod); err != nil || len(pod.Spec.Containers) == 0 {
		return nil, false
	}
	c := pod.Spec.Containers[0]
	args := append(append([]string{}, c.Command...), c.Args...)
	return args, len(args) > 0
}

// microk8sArgs reads a MicroK8s args file: one or more flags per line,
// "#" comments, and ${SNAP_DATA}/${SNAP} standing for the snap's paths.
func microk8sArgs(b []byte) []string {
	repl := strings.NewReplacer(
		"${SNAP_DATA}", microk8sData, "$SNAP_DATA", microk8sData,
		"${SNAP}", "/snap/microk8s/current", "$SNAP", "/snap/microk8s/current",
	)
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		for _, f := range strings.Fields(line) {
			out = append(out, repl.Replace(unquote(f)))
		}
	}
	return out
}

func unquote(s string) string {
	if k, v, ok := strings.Cut(s, "="); ok && len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return k + "=" + v[1:len(v)-1]
	}
	return s
}

// rancherArgs collects a component's extra arguments for k3s and RKE2:
// the "<component>-arg" entries of config.yaml, then of config.yaml.d/*
// in name order, then "--<component>-arg" flags of the server process (the
// command line wins, so it comes last). Each entry is "flag=value".
func (r *rootFS) rancherArgs(configDir, key string, proc *process) ([]string, []string) {
	var out, read []string
	files := []string{configDir + "/config.yaml"}
	for _, n := range r.readDir(configDir + "/config.yaml.d") {
		if strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml") {
			files = append(files, configDir+"/config.yaml.d/"+n)
		}
	}
	for _, f := range files {
		b, err := r.readFile(f)
		if err != nil {
			continue
		}
		read = append(read, f)
		var cfg map[string]any
		if yaml.Unmarshal(b, &cfg) != nil {
			continue
		}
		// "key+" appends in k3s; with last-wins flags, appending and
		// replacing read the same.
		for _, k := range []string{key, key + "+"} {
			switch v := cfg[k].(type) {
			case string:
				out = append(out, "--"+strings.TrimLeft(v, "-"))
			case []any:
				for _, e := range v {
					if s, ok := e.(string); ok {
						out = append(out, "--"+strings.TrimLeft(s, "-"))
					}
				}
			}
		}
	}
	if proc != nil {
		f := ParseFlagList(proc.args, key)
		for _, v := range f {
			out = append(out, "--"+strings.TrimLeft(v, "-"))
		}
	}
	return out, read
}

// ParseFlagList returns every value of a repeatable flag, in order.
func ParseFlagList(args []string, name string) []string {
	var out []string
	for i := 1; i < len(args); i++ {
		a := strings.TrimLeft(args[i], "-")
		if !strings.HasPrefix(args[i], "-") {
			continue
		}
		if k, v, ok := strings.Cut(a, "="); ok && k == name {
			out = append(out, v)
		} else if a == name && i+1 < len(args) {
			out = append(out, args[i+1])
			i++
		}
	}
	return out
}
