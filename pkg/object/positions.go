package object

import (
	"slices"
	"strconv"
	"strings"
)

// Position is a 1-based line and column in a source file.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// IsZero reports whether the position is unknown.
func (p Position) IsZero() bool { return p.Line == 0 }

// Positions indexes the source positions of an object's nodes by JSON path
// ("spec.containers[0].image"). Paths are stored as 64-bit FNV-1a hashes
// computed incrementally while the document is walked, so building the index
// allocates no path strings and a lookup hashes the query path once.
type Positions struct {
	entries []posEntry
	sorted  bool
}

type posEntry struct {
	hash      uint64
	line, col int32
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// PathHash is the running hash of a JSON path. The zero path is RootPath.
type PathHash uint64

// RootPath is the hash of the empty path (the object itself).
const RootPath PathHash = fnvOffset

func (h PathHash) addString(s string) PathHash {
	x := uint64(h)
	for i := 0; i < len(s); i++ {
		x ^= uint64(s[i])
		x *= fnvPrime
	}
	return PathHash(x)
}

// Key returns the hash of the path extended by a map key.
func (h PathHash) Key(k string) PathHash {
	if h != RootPath {
		h = h.addString(".")
	}
	return h.addString(k)
}

// Index returns the hash of the path extended by a list index.
func (h PathHash) Index(i int) PathHash {
	var buf [24]byte
	b := append(buf[:0], '[')
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ']')
	x := uint64(h)
	for _, c := range b {
		x ^= uint64(c)
		x *= fnvPrime
	}
	return PathHash(x)
}

// HashPath hashes a dotted path exactly as the incremental Key and Index
// steps would, so "a.b[0]" == RootPath.Key("a").Key("b").Index(0).
func HashPath(path string) PathHash {
	return RootPath.addString(path)
}

// Add records the position of the node at path h.
func (p *Positions) Add(h PathHash, line, col int) {
	p.entries = append(p.entries, posEntry{hash: uint64(h), line: int32(line), col: int32(col)})
	p.sorted = false
}

// Seal sorts the index for lookups; call once after the last Add.
func (p *Positions) Seal() {
	slices.SortFunc(p.entries, func(a, b posEntry) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return 0
	})
	p.entries = slices.Clip(p.entries)
	p.sorted = true
}

// Len returns the number of indexed nodes.
func (p *Positions) Len() int {
	if p == nil {
		return 0
	}
	return len(p.entries)
}

// Lookup returns the position of the node at exactly this path.
func (p *Positions) Lookup(path string) (Position, bool) {
	if p == nil || !p.sorted {
		return Position{}, false
	}
	h := uint64(HashPath(path))
	i, ok := slices.BinarySearchFunc(p.entries, h, func(e posEntry, t uint64) int {
		switch {
		case e.hash < t:
			return -1
		case e.hash > t:
			return 1
		}
		return 0
	})
	if !ok {
		return Position{}, false
	}
	e := p.entries[i]
	return Position{Line: int(e.line), Column: int(e.col)}, true
}

// Resolve returns the position of the node at path or, when that node does
// not exist (a field a fix would add), of its nearest existing ancestor. It
// also returns the path that was found.
func (p *Positions) Resolve(path string) (Position, string, bool) {
	for {
		if pos, ok := p.Lookup(path); ok {
			return pos, path, true
		}
		if path == "" {
			return Position{}, "", false
		}
		path = ParentPath(path)
	}
}

// ParentPath drops the last segment of a dotted path.
func ParentPath(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		// A dot inside a bracketed key is not a separator; library paths
		// never bracket keys, so the last dot is the separator.
		return path[:i]
	}
	return ""
}
