package host

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
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
	// notes say which files' content was withheld, and why.
	notes []string
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
	rel, err := r.resolveRel(p)
	if err != nil {
		return "", err
	}
	return filepath.Join(r.root, rel), nil
}

// resolveRel is resolve's result relative to root ("." for root itself).
func (r *rootFS) resolveRel(p string) (string, error) {
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
	if len(done) == 0 {
		return ".", nil
	}
	return filepath.FromSlash(path.Join(done...)), nil
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

// readFile reads a regular file of at most maxContent bytes.
func (r *rootFS) readFile(p string) ([]byte, error) {
	return r.readFileLimit(p, maxContent)
}

// readFileLimit reads a regular file, refusing one larger than limit
// (files under /proc report size 0, so the bytes read are counted).
func (r *rootFS) readFileLimit(p string, limit int64) ([]byte, error) {
	f, err := r.open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return b, nil
}

// open opens a regular file for reading. The path resolved by resolveRel
// is opened through os.Root, so a symlink swapped in after resolution
// still cannot lead outside root, and without blocking, so a FIFO swapped
// in cannot hang the collector; what was opened must be a regular file.
func (r *rootFS) open(p string) (*os.File, error) {
	rel, err := r.resolveRel(p)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(r.root)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.OpenFile(rel, os.O_RDONLY|openNonBlock, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, errors.New("not a regular file")
	}
	return f, nil
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

// lstatEntry is lstat of a directory entry itself: the directory is
// resolved, the entry, if a symlink, is not followed.
func (r *rootFS) lstatEntry(p string) (fs.FileInfo, error) {
	dir, base := path.Split(p)
	hp, err := r.resolve(dir)
	if err != nil {
		return nil, err
	}
	return os.Lstat(filepath.Join(hp, base))
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
	// unitContent is a systemd unit: text, emitted with credential flags
	// redacted.
	unitContent
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
			// Not the parser's message, which may quote the file.
			r.notes = append(r.notes, fmt.Sprintf("%s: content not emitted: it could not be parsed and redacted", f["path"]))
			return f
		}
	}
	// Whatever a flag names, secret material is never emitted.
	var why string
	if mode == unitContent {
		b, why = sanitizeUnit(b)
	} else {
		b, why = sanitizeConfig(b)
	}
	if why != "" {
		r.notes = append(r.notes, fmt.Sprintf("%s: content not emitted: %s", f["path"], why))
		return f
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
