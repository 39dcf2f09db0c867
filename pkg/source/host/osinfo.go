package host

import (
	"encoding/binary"
	"encoding/hex"
	"net"
	"sort"
	"strconv"
	"strings"
)

// sysctls are the kernel variables host controls judge (CIS 4.2.6's
// protect-kernel-defaults needs the first few; the rest are common
// hardening checks). Reading all of /proc/sys would emit thousands of
// values nobody judges.
var sysctls = []string{
	"fs.protected_hardlinks", "fs.protected_symlinks", "fs.suid_dumpable",
	"kernel.dmesg_restrict", "kernel.keys.maxbytes", "kernel.keys.maxkeys",
	"kernel.keys.root_maxbytes", "kernel.keys.root_maxkeys", "kernel.kptr_restrict",
	"kernel.panic", "kernel.panic_on_oops", "kernel.randomize_va_space", "kernel.sysrq",
	"kernel.unprivileged_bpf_disabled", "kernel.unprivileged_userns_clone",
	"kernel.yama.ptrace_scope",
	"net.bridge.bridge-nf-call-ip6tables", "net.bridge.bridge-nf-call-iptables",
	"net.ipv4.conf.all.accept_redirects", "net.ipv4.conf.all.accept_source_route",
	"net.ipv4.conf.all.rp_filter", "net.ipv4.conf.all.send_redirects",
	"net.ipv4.conf.default.send_redirects", "net.ipv4.ip_forward", "net.ipv4.tcp_syncookies",
	"net.ipv6.conf.all.forwarding",
	"vm.overcommit_memory", "vm.panic_on_oom",
}

func (c *collector) kernelVariables() []any {
	var out []any
	for _, k := range sysctls {
		src := "/proc/sys/" + strings.ReplaceAll(k, ".", "/")
		if v, ok := c.fs.readString(src); ok {
			out = append(out, map[string]any{"key": k, "value": v, "source": src})
		}
	}
	return out
}

func (c *collector) osRelease() (string, bool) {
	for _, p := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		if b, err := c.fs.readFile(p); err == nil {
			return string(b), true
		}
	}
	return "", false
}

func (c *collector) kernelVersion() (string, bool) {
	if v, ok := c.fs.readString("/proc/sys/kernel/osrelease"); ok && v != "" {
		return v, true
	}
	// "Linux version 6.8.0-45-generic (buildd@...) ..."
	if v, ok := c.fs.readString("/proc/version"); ok {
		if f := strings.Fields(v); len(f) >= 3 {
			return f[2], true
		}
	}
	return "", false
}

func (c *collector) hardening() map[string]any {
	apparmor := "unsupported"
	if v, ok := c.fs.readString("/sys/module/apparmor/parameters/enabled"); ok {
		apparmor = "disabled"
		if strings.HasPrefix(v, "Y") {
			apparmor = "enabled"
		}
	}
	selinux := "disabled"
	if v, ok := c.fs.readString("/sys/fs/selinux/enforce"); ok {
		selinux = "permissive"
		if v == "1" {
			selinux = "enforcing"
		}
	}
	return map[string]any{"appArmor": apparmor, "seLinux": selinux}
}

// socket is one line of /proc/net/{tcp,udp,icmp}{,6}.
type socket struct {
	transport  string
	local      string
	localPort  int
	remote     string
	remotePort int
	state      string
	inode      string
}

// maxSocketTable bounds a /proc/net socket table: every socket of the
// namespace is a line of about 150 bytes, listening or not.
const maxSocketTable = 32 << 20

const (
	tcpListen = "0A"
	// udpUnconnected is TCP_CLOSE, the state of a bound, unconnected UDP
	// socket: one that receives from anyone.
	udpUnconnected = "07"
)

func (c *collector) openPorts() (map[string]any, bool) {
	found := false
	read := func(transports ...string) []socket {
		var out []socket
		for _, t := range transports {
			// PID 1's view first: /proc/net is the reader's own network
			// namespace, which in the host sensor's pod is the pod's, not
			// the node's. A mirrored root without PID 1 falls back.
			b, err := c.fs.readFileLimit("/proc/1/net/"+t, maxSocketTable)
			if err != nil {
				b, err = c.fs.readFileLimit("/proc/net/"+t, maxSocketTable)
			}
			if err != nil {
				continue
			}
			found = true
			out = append(out, parseSockets(t, string(b))...)
		}
		return out
	}
	var tcp, udp []socket
	for _, s := range read("tcp", "tcp6") {
		if s.state == tcpListen {
			tcp = append(tcp, s)
		}
	}
	for _, s := range read("udp", "udp6") {
		if s.state == udpUnconnected && s.remotePort == 0 {
			udp = append(udp, s)
		}
	}
	icmp := read("icmp", "icmp6")
	if !found {
		return nil, false
	}
	pids := c.socketOwners()
	return map[string]any{
		"tcpPorts":  portList(tcp, pids),
		"udpPorts":  portList(udp, pids),
		"icmpPorts": portList(icmp, pids),
	}, true
}

// parseSockets reads the kernel's socket table. Addresses are hex dumps of
// 32-bit words in the kernel's byte order, which is this machine's: a
// mirrored root from a machine of the other endianness reads reversed.
func parseSockets(transport, text string) []socket {
	var out []socket
	lines := strings.Split(text, "\n")
	for _, l := range lines[min(1, len(lines)):] {
		f := strings.Fields(l)
		if len(f) < 10 {
			continue
		}
		la, lp, ok1 := parseAddr(f[1])
		ra, rp, ok2 := parseAddr(f[2])
		if !ok1 || !ok2 {
			continue
		}
		out = append(out, socket{transport: transport, local: la, localPort: lp, remote: ra, remotePort: rp, state: f[3], inode: f[9]})
	}
	return out
}

func parseAddr(s string) (string, int, bool) {
	h, p, ok := strings.Cut(s, ":")
	if !ok {
		return "", 0, false
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return "", 0, false
	}
	raw, err := hex.DecodeString(h)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return "", 0, false
	}
	if littleEndian {
		for i := 0; i+4 <= len(raw); i += 4 {
			raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
		}
	}
	return net.IP(raw).String(), int(port), true
}

// socketOwners maps socket inodes to the pid holding them, from the
// /proc/<pid>/fd links ("socket:[12345]"). Processes we may not inspect
// are skipped: their ports are listed without a pid.
func (c *collector) socketOwners() map[string]int {
	owners := map[string]int{}
	for _, p := range c.procs {
		dir := "/proc/" + strconv.Itoa(p.pid) + "/fd"
		for _, fd := range c.fs.readDir(dir) {
			l, err := c.fs.readlink(dir + "/" + fd)
			if err != nil || !strings.HasPrefix(l, "socket:[") {
				continue
			}
			ino := strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")
			if _, seen := owners[ino]; !seen {
				owners[ino] = p.pid
			}
		}
	}
	return owners
}

func portList(socks []socket, pids map[string]int) []any {
	sort.SliceStable(socks, func(i, j int) bool {
		a, b := socks[i], socks[j]
		if a.localPort != b.localPort {
			return a.localPort < b.localPort
		}
		if a.transport != b.transport {
			return a.transport < b.transport
		}
		return a.local < b.local
	})
	out := []any{}
	seen := map[string]bool{}
	for _, s := range socks {
		key := s.transport + " " + s.local + " " + strconv.Itoa(s.localPort)
		if seen[key] {
			continue
		}
		seen[key] = true
		e := map[string]any{
			"transport": s.transport, "localAddress": s.local, "localPort": s.localPort,
			"remoteAddress": s.remote, "remotePort": s.remotePort,
		}
		if pid, ok := pids[s.inode]; ok && s.inode != "0" {
			e["pid"] = pid
		}
		out = append(out, e)
	}
	return out
}

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1
