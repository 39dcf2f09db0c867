package host

import (
	"bufio"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// maxContent is the largest file whose content is emitted: configuration
// files are small, and a huge one is more likely a mistake than a config.
const maxContent = 1 << 20

// maxLinks bounds symlink resolution, as the kernel does (ELOOP).
const maxLinks = 40

// rootFS reads a node's files under a root directory. Every path is a path
// on the node ("/etc/kubernetes/admin.conf"); symlinks are resolved as if
// root were "/" (a chroot), so a link can never lead outside root: an
// absolute target starts again at root and ".." stops at it. This matters
// for mirrored roots (a mounted disk image, a copy of a node), whose
// absolute links point into the node, not into the machine reading it.
type rootFS struct {
	root string
	// users and groups map ids to names, from root's /etc/passwd and
	// /etc/group, loaded once.
	users, groups map[int]string
}

func newRootFS(root string) (*rootFS, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	r := &rootFS{root: filepath.Clean(abs)}
	r.users = r.idNames("/etc/passwd")
	r.groups = r.idNames("/etc/group")
	return r, nil
}

// resolve maps a node path to a host path with every symlink resolved
// inside root. A path that does not exist resolves to where it would be.
func (r *rootFS) resolve(p string) (string, error) {
	var done []string
	todo := splitPath(p)
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		if c == ".." {
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		cand := filepath.Join(r.root, filepath.FromSlash(path.Join(append(done, c)...)))
		st, err := os.Lstat(cand)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			done = append(done, c)
			continue
		}
		if links++; links > maxLinks {
			return "", errors.New("too many levels of symbolic links")
		}
		target, err := os.Readlink(cand)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(target, "/") {
			done = nil
		}
		todo = append(splitPath(target), todo...)
	}
	return filepath.Join(r.root, filepath.FromSlash(path.Join(done...))), nil
}

func splitPath(p string) []string {
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}

func (r *rootFS) lstat(p string) (fs.FileInfo, error) {
	hp, err := r.resolve(p)
	if err != nil {
		return nil, err
	}
	return os.Lstat(hp)
}

func (r *rootFS) exists(p string) bool {
	if p == "" {
		return false
	}
	_, err := r.lstat(p)
	return err == nil
}

func (r *rootFS) isDir(p string) bool {
	if p == "" {
		return false
	}
	st, err := r.lstat(p)
	return err == nil && st.IsDir()
}

func (r *rootFS) readFile(p string) ([]byte, error) {
	hp, err := r.resolve(p)
	if err != nil {
		return nil, err
	}
	st, err := os.Lstat(hp)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	return os.ReadFile(hp)
}

// readString reads a file expected to hold one short value (/proc, /sys).
// Files under /proc report size 0, so the size is not checked first.
func (r *rootFS) readString(p string) (string, bool) {
	b, err := r.readFile(p)
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(b)), true
}

// readDir lists a directory's entry names, sorted.
func (r *rootFS) readDir(p string) []string {
	hp, err := r.resolve(p)
	if err != nil {
		return nil
	}
	ents, err := os.ReadDir(hp)
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// readlink reads a link's text without following it (for /proc/<pid>/fd).
func (r *rootFS) readlink(p string) (string, error) {
	dir, base := path.Split(p)
	hp, err := r.resolve(dir)
	if err != nil {
		return "", err
	}
	return os.Readlink(filepath.Join(hp, base))
}

// contentMode says whether a file's bytes may be emitted.
type contentMode int

const (
	metadataOnly contentMode = iota
	withContent
	// redacted content: the encryption provider config with its keys
	// replaced.
	redactedContent
)

// file describes a node file in the shape of docs/HOST-OBJECTS.md, or
// returns nil when it does not exist.
func (r *rootFS) file(p string, mode contentMode) map[string]any {
	st, err := r.lstat(p)
	if err != nil {
		return nil
	}
	f := map[string]any{
		"path":        path.Clean("/" + p),
		"permissions": int(st.Mode().Perm()) | specialBits(st.Mode()),
		"ownership":   r.ownership(st),
	}
	if mode == metadataOnly || !st.Mode().IsRegular() || st.Size() > maxContent {
		return f
	}
	b, err := r.readFile(p)
	if err != nil {
		return f
	}
	if mode == redactedContent {
		if b, err = redactEncryptionConfig(b); err != nil {
			return f
		}
	}
	f["content"] = base64.StdEncoding.EncodeToString(b)
	return f
}

func specialBits(m fs.FileMode) int {
	bits := 0
	if m&fs.ModeSetuid != 0 {
		bits |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		bits |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		bits |= 0o1000
	}
	return bits
}

func (r *rootFS) ownership(st fs.FileInfo) map[string]any {
	uid, gid, ok := owner(st)
	if !ok {
		return map[string]any{"err": "file ownership is not available on this platform"}
	}
	o := map[string]any{"uid": uid, "gid": gid}
	if n, ok := r.users[uid]; ok {
		o["username"] = n
	}
	if n, ok := r.groups[gid]; ok {
		o["groupname"] = n
	}
	return o
}

// idNames reads name:x:id lines (passwd and group share the first three
// fields).
func (r *rootFS) idNames(p string) map[int]string {
	out := map[int]string{}
	b, err := r.readFile(p)
	if err != nil {
		return out
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) < 3 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		id, err := strconv.Atoi(fields[2])
		if err != nil {
			continue
		}
		if _, dup := out[id]; !dup {
			out[id] = fields[0]
		}
	}
	return out
}
