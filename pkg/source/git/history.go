package git

import (
	"container/heap"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// LastChange is the last commit that touched a file.
type LastChange struct {
	Commit
	// AtOrBefore is true when the file did not change within the history
	// the clone has (a shallow clone): the change is this commit or an
	// older one.
	AtOrBefore bool `json:"atOrBefore,omitempty"`
}

// LastCommits returns, for files of the checkout, the last commit that
// touched each. Paths are absolute or relative to Dir; the result is keyed
// by the paths as given. Files not in the checked-out commit are left out.
//
// History is walked once for all files, newest commit first (by committer
// date, as git log does), diffing each commit's tree with its parents' and
// stopping when every file is resolved. A merge commit is credited with a
// file only if the file differs from every parent, so changes made on a
// merged branch are credited to the branch's commit.
func (co *Checkout) LastCommits(paths []string) (map[string]LastChange, error) {
	out := map[string]LastChange{}
	if co.repo == nil || len(paths) == 0 {
		return out, nil
	}
	head, err := co.repo.Head()
	if err != nil {
		return nil, fmt.Errorf("last commits: %w", err)
	}
	headCommit, err := co.repo.CommitObject(head.Hash())
	if err != nil {
		return nil, fmt.Errorf("last commits: %w", err)
	}
	headTree, err := headCommit.Tree()
	if err != nil {
		return nil, fmt.Errorf("last commits: %w", err)
	}
	// Repository-relative slash paths of the files asked for that exist.
	remaining := map[string][]string{}
	for _, p := range paths {
		rel := p
		if filepath.IsAbs(p) {
			r, err := filepath.Rel(co.Dir, p)
			if err != nil || strings.HasPrefix(r, "..") {
				continue
			}
			rel = r
		}
		rel = filepath.ToSlash(filepath.Clean(rel))
		if _, err := headTree.FindEntry(rel); err != nil {
			continue
		}
		remaining[rel] = append(remaining[rel], p)
	}
	resolve := func(rel string, c *object.Commit, atOrBefore bool) {
		for _, p := range remaining[rel] {
			out[p] = LastChange{Commit: commitOf(c), AtOrBefore: atOrBefore}
		}
		delete(remaining, rel)
	}
	shallow := map[plumbing.Hash]bool{}
	if hs, err := co.repo.Storer.Shallow(); err == nil {
		for _, h := range hs {
			shallow[h] = true
		}
	}

	q := &commitQueue{}
	seen := map[plumbing.Hash]bool{headCommit.Hash: true}
	heap.Push(q, headCommit)
	for q.Len() > 0 && len(remaining) > 0 {
		c := heap.Pop(q).(*object.Commit)
		tree, err := c.Tree()
		if err != nil {
			return nil, fmt.Errorf("last commits: %s: %w", c.Hash, err)
		}
		var parents []*object.Commit
		boundary := shallow[c.Hash]
		if !boundary {
			for _, ph := range c.ParentHashes {
				pc, err := co.repo.CommitObject(ph)
				if err != nil {
					boundary = true // history was cut here
					parents = nil
					break
				}
				parents = append(parents, pc)
			}
		}
		if len(parents) == 0 {
			// A root commit added what it has; at a cut, files still
			// unresolved changed here or earlier.
			for rel := range remaining {
				if _, err := tree.FindEntry(rel); err == nil {
					resolve(rel, c, boundary)
				}
			}
			continue
		}
		var changed map[string]bool
		for _, pc := range parents {
			pt, err := pc.Tree()
			if err != nil {
				return nil, fmt.Errorf("last commits: %s: %w", pc.Hash, err)
			}
			changes, err := object.DiffTree(pt, tree)
			if err != nil {
				return nil, fmt.Errorf("last commits: %s: %w", c.Hash, err)
			}
			set := map[string]bool{}
			for _, ch := range changes {
				if name := ch.To.Name; name != "" {
					set[name] = true
				}
			}
			if changed == nil {
				changed = set
				continue
			}
			for k := range changed {
				if !set[k] {
					delete(changed, k)
				}
			}
		}
		for rel := range remaining {
			if changed[rel] {
				resolve(rel, c, false)
			}
		}
		for _, pc := range parents {
			if !seen[pc.Hash] {
				seen[pc.Hash] = true
				heap.Push(q, pc)
			}
		}
	}
	return out, nil
}

// commitQueue orders commits newest first by committer date.
type commitQueue []*object.Commit

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	return q[i].Committer.When.After(q[j].Committer.When)
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}
