package host

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxPKIFiles bounds the PKI listing: a directory that holds more is not
// a PKI directory any more, and the object would grow without limit.
const maxPKIFiles = 2000

// component is what was found of one Kubernetes component.
type component struct {
	name  string
	found bool
	args  []string
	flags map[string]string
	// source says where args came from (docs/HOST-OBJECTS.md vigil.sources).
	source string
	// manifest is the static-pod manifest, when one exists, even if the
	// command line came from the running process.
	manifest string
}

func (c *component) cmdLine() string { return strings.Join(c.args, " ") }

// flagValues is flags as a JSON-like value, like every other field of the
// objects (Rego conversion and tests see one representation).
func (c *component) flagValues() map[string]any {
	out := make(map[string]any, len(c.flags))
	for k, v := range c.flags {
		out[k] = v
	}
	return out
}

// collector gathers one node.
type collector struct {
	fs    *rootFS
	lay   *layout
	procs []process
	notes []string
	// rancher is the running k3s or rke2 process, if any.
	rancher *process
}

func (c *collector) process(name string) *process {
	for i := range c.procs {
		if c.procs[i].program() == name {
			return &c.procs[i]
		}
	}
	return nil
}

// rancherRole says whether a k3s node runs the server (control plane) and
// the agent (kubelet, kube-proxy). A server is also an agent unless told
// otherwise, which we cannot see; a server always runs a kubelet in k3s.
func (c *collector) rancherRole() (server, agent bool) {
	if c.rancher != nil && len(c.rancher.args) > 1 {
		switch c.rancher.args[1] {
		case "server":
			return true, true
		case "agent":
			return false, true
		}
	}
	server = c.lay.serverDir != "" && c.fs.isDir(c.lay.serverDir)
	agent = server || (c.lay.agentDir != "" && c.fs.isDir(c.lay.agentDir))
	return server, agent
}

// command finds a component's command line: its process, else its
// static-pod manifest, else its MicroK8s args file, else (k3s, which runs
// everything in one process) the k3s configuration.
func (c *collector) command(name string, controlPlane bool) *component {
	comp := &component{name: name}
	if c.lay.manifests != "" {
		if m := c.lay.manifests + "/" + name + ".yaml"; c.fs.exists(m) {
			comp.manifest = m
		}
	}
	if p := c.process(name); p != nil {
		comp.found, comp.args, comp.source = true, p.args, fmt.Sprintf("/proc/%d/cmdline", p.pid)
	} else if comp.manifest != "" {
		b, err := c.fs.readFile(comp.manifest)
		if args, ok := podCommand(b); err == nil && ok {
			comp.found, comp.args, comp.source = true, args, comp.manifest
		} else {
			comp.found, comp.args, comp.source = true, nil, comp.manifest+" (no container command)"
			c.notes = append(c.notes, comp.manifest+": no container command or args could be read")
		}
	} else if c.lay.argsDir != "" && c.fs.exists(c.lay.argsDir+"/"+name) {
		f := c.lay.argsDir + "/" + name
		b, _ := c.fs.readFile(f)
		comp.found, comp.args, comp.source = true, append([]string{name}, microk8sArgs(b)...), f
	} else if c.lay.name == LayoutK3s {
		server, agent := c.rancherRole()
		if (controlPlane && server) || (!controlPlane && agent) {
			if name == "etcd" && !c.fs.isDir(c.lay.etcdDataDir+"/etcd") {
				// k3s keeps its data in SQLite unless etcd was asked for.
				return comp
			}
			args, read := c.fs.rancherArgs(c.lay.rancherConfig, name+"-arg", c.rancher)
			comp.found, comp.args = true, append([]string{name}, args...)
			comp.source = "k3s"
			if len(read) > 0 {
				comp.source = "k3s config " + strings.Join(read, ", ")
			}
			comp.source += " (k3s built-in defaults not included)"
		}
	}
	comp.args = redactArgs(comp.args)
	comp.flags = ParseFlags(comp.args)
	return comp
}

// fields fills one object's data: files, their sources, and what a flag
// named but does not exist.
type fields struct {
	c       *collector
	data    map[string]any
	sources map[string]any
	missing []any
	// what names the object in notes ("kubelet", "kube-apiserver").
	what string
}

func (c *collector) newFields(what string) *fields {
	return &fields{c: c, data: map[string]any{}, sources: map[string]any{}, missing: []any{}, what: what}
}

// file sets into[key] to the file at p (if it exists). named says the path
// came from a flag or a config file rather than a layout default, so its
// absence is worth reporting; field is the dotted name used in sources.
func (f *fields) file(into map[string]any, key, field, p string, mode contentMode, source string, named bool) {
	if p == "" {
		return
	}
	if fi := f.c.fs.file(p, mode); fi != nil {
		into[key] = fi
		f.sources[field] = source
		return
	}
	if named {
		f.missing = append(f.missing, map[string]any{"field": field, "path": p})
		f.c.notes = append(f.c.notes, fmt.Sprintf("%s: %s names %s, which does not exist on the node", f.what, source, p))
	}
}

func (f *fields) vigil(extra map[string]any) {
	v := map[string]any{"layout": f.c.lay.name, "sources": f.sources, "missing": f.missing}
	for k, x := range extra {
		v[k] = x
	}
	f.data["vigil"] = v
}

// flagOr picks a path from the first flag present, else the default.
func flagOr(flags map[string]string, def string, names ...string) (p, source string, named bool) {
	for _, n := range names {
		if v := flags[n]; v != "" {
			return v, "--" + n, true
		}
	}
	return def, "default", false
}

func (c *collector) defaultSource() string { return "default (" + c.lay.name + ")" }

// nodeComponent finds a component that runs on every node (kubelet,
// kube-proxy): found by its command line, or by one of its layout's files
// when it runs in a way the command line search cannot see. fields is nil
// when neither exists.
func (c *collector) nodeComponent(name string, files ...string) (*component, *fields) {
	comp := c.command(name, false)
	found := comp.found
	for _, p := range files {
		found = found || c.fs.exists(p)
	}
	if !found {
		return comp, nil
	}
	f := c.newFields(name)
	f.data["cmdLine"] = comp.cmdLine()
	if comp.found {
		f.sources["cmdLine"] = comp.source
	}
	return comp, f
}

// flagFile sets data[key] to the file the first of the component's flags
// names, else to the layout default, and returns the path used.
func (f *fields) flagFile(comp *component, key, def string, mode contentMode, flags ...string) string {
	p, src, named := flagOr(comp.flags, def, flags...)
	f.file(f.data, key, key, p, mode, f.c.sourceName(src), named)
	return p
}

func (c *collector) kubelet() (map[string]any, *component) {
	k, f := c.nodeComponent("kubelet", c.lay.kubeletConfig, c.lay.kubeletKubeconfig)
	if f == nil {
		return nil, k
	}
	cfg := f.flagFile(k, "configFile", c.lay.kubeletConfig, withContent, "config")
	f.flagFile(k, "kubeConfigFile", c.lay.kubeletKubeconfig, metadataOnly, "kubeconfig")

	ca, src, named := flagOr(k.flags, "", "client-ca-file")
	if !named {
		if p := kubeletConfigCA(c.fs, cfg); p != "" {
			ca, src, named = p, "config authentication.x509.clientCAFile", true
		} else {
			ca = c.lay.kubeletClientCA
		}
	}
	f.file(f.data, "clientCAFile", "clientCAFile", ca, metadataOnly, c.sourceName(src), named)

	services := []any{}
	for _, dir := range []string{"/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"} {
		if fi := c.fs.file(dir+"/kubelet.service", unitContent); fi != nil {
			services = append(services, fi)
		}
		for _, n := range c.fs.readDir(dir + "/kubelet.service.d") {
			if strings.HasSuffix(n, ".conf") {
				if fi := c.fs.file(dir+"/kubelet.service.d/"+n, unitContent); fi != nil {
					services = append(services, fi)
				}
			}
		}
	}
	sort.SliceStable(services, func(i, j int) bool {
		return services[i].(map[string]any)["path"].(string) < services[j].(map[string]any)["path"].(string)
	})
	f.data["serviceFiles"] = services
	f.vigil(map[string]any{"flags": k.flagValues()})
	return f.data, k
}

func (c *collector) sourceName(src string) string {
	if src == "default" {
		return c.defaultSource()
	}
	return src
}

// kubeletConfigCA reads authentication.x509.clientCAFile from the kubelet
// configuration file.
func kubeletConfigCA(r *rootFS, p string) string {
	if p == "" {
		return ""
	}
	b, err := r.readFile(p)
	if err != nil {
		return ""
	}
	var cfg struct {
		Authentication struct {
			X509 struct {
				ClientCAFile string `yaml:"clientCAFile"`
			} `yaml:"x509"`
		} `yaml:"authentication"`
	}
	if yaml.Unmarshal(b, &cfg) != nil {
		return ""
	}
	return cfg.Authentication.X509.ClientCAFile
}

func (c *collector) controlPlane() (map[string]any, []*component) {
	api := c.command("kube-apiserver", true)
	cm := c.command("kube-controller-manager", true)
	sch := c.command("kube-scheduler", true)
	etcd := c.command("etcd", true)
	comps := []*component{api, cm, sch, etcd}
	if !api.found && !cm.found && !sch.found && !etcd.found {
		return nil, comps
	}
	f := c.newFields("control plane")
	flags := map[string]any{}
	if api.found {
		info := map[string]any{"cmdLine": api.cmdLine()}
		f.sources["APIServerInfo.cmdLine"] = api.source
		f.file(info, "specsFile", "APIServerInfo.specsFile", api.manifest, withContent, "static pod", false)
		if p := api.flags["encryption-provider-config"]; p != "" {
			f.file(info, "encryptionProviderConfigFile", "APIServerInfo.encryptionProviderConfigFile", p, redactedContent, "kube-apiserver --encryption-provider-config", true)
		}
		if p := api.flags["audit-policy-file"]; p != "" {
			f.file(info, "auditPolicyFile", "APIServerInfo.auditPolicyFile", p, withContent, "kube-apiserver --audit-policy-file", true)
		}
		f.data["APIServerInfo"] = info
		flags["apiServer"] = api.flagValues()
	}
	for _, x := range []struct {
		comp       *component
		key, flags string
		def        string
	}{
		{cm, "controllerManagerInfo", "controllerManager", c.lay.controllerManagerKubeconfig},
		{sch, "schedulerInfo", "scheduler", c.lay.schedulerKubeconfig},
	} {
		if !x.comp.found {
			continue
		}
		info := map[string]any{"cmdLine": x.comp.cmdLine()}
		f.sources[x.key+".cmdLine"] = x.comp.source
		f.file(info, "specsFile", x.key+".specsFile", x.comp.manifest, withContent, "static pod", false)
		p, src, named := flagOr(x.comp.flags, x.def, "kubeconfig", "authentication-kubeconfig")
		if named {
			src = x.comp.name + " " + src
		}
		f.file(info, "configFile", x.key+".configFile", p, metadataOnly, c.sourceName(src), named)
		f.data[x.key] = info
		flags[x.flags] = x.comp.flagValues()
	}
	extra := map[string]any{"flags": flags}
	if etcd.found {
		f.sources["etcd.cmdLine"] = etcd.source
		extra["etcd"] = map[string]any{"cmdLine": etcd.cmdLine()}
		flags["etcd"] = etcd.flagValues()
		if p := etcd.flags["config-file"]; p != "" {
			f.file(f.data, "etcdConfigFile", "etcdConfigFile", p, withContent, "etcd --config-file", true)
		} else {
			f.file(f.data, "etcdConfigFile", "etcdConfigFile", etcd.manifest, withContent, "static pod", false)
		}
	}
	dd, src, named := flagOr(etcd.flags, c.lay.etcdDataDir, "data-dir")
	if named {
		src = "etcd " + src
	}
	f.file(f.data, "etcdDataDir", "etcdDataDir", dd, metadataOnly, c.sourceName(src), named)
	f.file(f.data, "adminConfigFile", "adminConfigFile", c.lay.adminConfig, metadataOnly, c.defaultSource(), false)

	pki, pkiSrc := c.lay.pkiDir, c.defaultSource()
	if pki == "" && api.flags["client-ca-file"] != "" {
		pki, pkiSrc = path.Dir(api.flags["client-ca-file"]), "directory of kube-apiserver --client-ca-file"
	}
	f.file(f.data, "PKIDir", "PKIDir", pki, metadataOnly, pkiSrc, false)
	files := []any{}
	if pki != "" && c.fs.isDir(pki) {
		c.walkFiles(pki, func(p string) bool {
			if len(files) >= maxPKIFiles {
				c.notes = append(c.notes, fmt.Sprintf("%s: more than %d files, the rest are not listed", pki, maxPKIFiles))
				return false
			}
			if fi := c.fs.file(p, metadataOnly); fi != nil {
				files = append(files, fi)
			}
			return true
		})
	}
	f.data["PKIFiles"] = files
	f.vigil(extra)
	return f.data, comps
}

// walkFiles visits the regular files under dir, depth first in name order,
// without following symlinked directories (a link loop would never end;
// two links to "." would make 2^40 paths). A symlink to a regular file is
// visited.
func (c *collector) walkFiles(dir string, visit func(p string) bool) bool {
	for _, n := range c.fs.readDir(dir) {
		p := dir + "/" + n
		st, err := c.fs.lstatEntry(p)
		if err != nil {
			continue
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			if st, err = c.fs.lstat(p); err != nil || !st.Mode().IsRegular() {
				continue
			}
		}
		switch {
		case st.IsDir():
			if !c.walkFiles(p, visit) {
				return false
			}
		case st.Mode().IsRegular():
			if !visit(p) {
				return false
			}
		}
	}
	return true
}

func (c *collector) kubeProxy() (map[string]any, *component) {
	kp, f := c.nodeComponent("kube-proxy", c.lay.proxyKubeconfig)
	if f == nil {
		return nil, kp
	}
	f.flagFile(kp, "kubeConfigFile", c.lay.proxyKubeconfig, metadataOnly, "kubeconfig")
	if p := kp.flags["config"]; p != "" {
		f.file(f.data, "configFile", "configFile", p, withContent, "--config", true)
	}
	f.vigil(map[string]any{"flags": kp.flagValues()})
	return f.data, kp
}

// knownCNIs are recognised in configuration file names, where the type
// field names only the generic plugin (Canal's file says "calico").
var knownCNIs = []string{"antrea", "calico", "canal", "cilium", "flannel", "kube-router", "multus", "weave"}

func (c *collector) cni() map[string]any {
	dir := c.lay.cniDir
	if dir == "" {
		return nil
	}
	files := []any{}
	names := map[string]bool{}
	for _, n := range c.fs.readDir(dir) {
		p := dir + "/" + n
		st, err := c.fs.lstat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		if fi := c.fs.file(p, metadataOnly); fi != nil {
			files = append(files, fi)
		}
		for _, k := range knownCNIs {
			if strings.Contains(strings.ToLower(n), k) {
				names[k] = true
			}
		}
		// The contents are read to name the plugins, never emitted.
		if b, err := c.fs.readFile(p); err == nil && st.Size() <= maxContent {
			for _, t := range cniTypes(b) {
				names[t] = true
			}
		}
	}
	if len(files) == 0 {
		return nil
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	slices.Sort(list)
	return map[string]any{
		"CNIConfigFiles": files,
		"CNINames":       list,
		"vigil":          map[string]any{"layout": c.lay.name, "sources": map[string]any{"CNIConfigFiles": dir}},
	}
}

// cniTypes returns the plugin types of a .conf or .conflist file.
func cniTypes(b []byte) []string {
	var conf struct {
		Type    string `json:"type"`
		Plugins []struct {
			Type string `json:"type"`
		} `json:"plugins"`
	}
	if json.Unmarshal(b, &conf) != nil {
		return nil
	}
	var out []string
	if conf.Type != "" {
		out = append(out, conf.Type)
	}
	for _, p := range conf.Plugins {
		if p.Type != "" {
			out = append(out, p.Type)
		}
	}
	return out
}
