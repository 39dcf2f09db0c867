package git

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Spec
	}{
		{"https://github.com/org/repo", Spec{URL: "https://github.com/org/repo", Host: "github.com"}},
		{"https://github.com/org/repo.git//deploy/k8s?ref=v1.2.0", Spec{URL: "https://github.com/org/repo.git", Host: "github.com", Subdir: "deploy/k8s", Ref: "v1.2.0"}},
		{"https://gitlab.example.com:8443/group/sub/repo//charts/app/", Spec{URL: "https://gitlab.example.com:8443/group/sub/repo", Host: "gitlab.example.com", Subdir: "charts/app"}},
		{"file:///srv/git/repo.git", Spec{URL: "file:///srv/git/repo.git"}},
		{"file:///srv/git/repo.git//charts?ref=main", Spec{URL: "file:///srv/git/repo.git", Subdir: "charts", Ref: "main"}},
		{"ssh://git@github.com/org/repo.git//x", Spec{URL: "ssh://git@github.com/org/repo.git", Host: "github.com", Subdir: "x"}},
		{"git@github.com:org/repo.git//deploy?ref=abc1234", Spec{URL: "git@github.com:org/repo.git", Host: "github.com", Subdir: "deploy", Ref: "abc1234"}},
	} {
		got, err := Parse(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.in, got, c.want)
		}
	}
	for _, bad := range []string{"./charts", "/abs/path", "https://github.com", "https://github.com/org/repo//../x", "https://h/o/r?branch=x", "file://"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if IsURL("charts/app") || !IsURL("https://x/y") || !IsURL("git@h:o/r") {
		t.Error("IsURL")
	}
}

func TestAuth(t *testing.T) {
	env := func(k string) string {
		return map[string]string{"GITHUB_TOKEN": "gh", "GITLAB_TOKEN": "gl"}[k]
	}
	spec := func(s string) Spec { sp, _ := Parse(s); return sp }
	if a, ok := auth(spec("https://github.com/o/r"), env).(*githttp.BasicAuth); !ok || a.Password != "gh" {
		t.Errorf("github: %v", a)
	}
	if a, ok := auth(spec("https://gitlab.com/o/r"), env).(*githttp.BasicAuth); !ok || a.Password != "gl" || a.Username != "oauth2" {
		t.Errorf("gitlab: %v", a)
	}
	for _, s := range []string{"http://github.com/o/r", "https://example.com/o/r", "git@github.com:o/r"} {
		if a := auth(spec(s), env); a != nil {
			t.Errorf("%s: token sent: %v", s, a)
		}
	}
	if a := auth(spec("https://github.com/o/r"), func(string) string { return "" }); a != nil {
		t.Errorf("no token: %v", a)
	}
}

// fixture is a repository history:
//
//	c1 (alice) add a.yaml, deploy/b.yaml, deploy/c.yaml   tag v1
//	c2 (bob)   change deploy/b.yaml                        branch feature starts here
//	c3 (carol) change deploy/c.yaml, add deploy/d.yaml     on feature
//	c4 (dave)  change a.yaml                               on master
//	c5 (erin)  merge feature into master                   master
type fixture struct {
	bare               string
	c1, c2, c3, c4, c5 plumbing.Hash
	work               string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("file:// clones need the git binary (git-upload-pack)")
	}
	f := &fixture{work: filepath.Join(t.TempDir(), "work"), bare: filepath.Join(t.TempDir(), "repo.git")}
	repo, err := gogit.PlainInit(f.work, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	commit := func(who, msg string, files map[string]string, parents ...plumbing.Hash) plumbing.Hash {
		t.Helper()
		for name, content := range files {
			p := filepath.Join(f.work, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := wt.Add(name); err != nil {
				t.Fatal(err)
			}
		}
		when = when.Add(time.Hour)
		sig := &object.Signature{Name: who, Email: who + "@example.com", When: when}
		h, err := wt.Commit(msg, &gogit.CommitOptions{Author: sig, Committer: sig, Parents: parents})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	f.c1 = commit("alice", "initial", map[string]string{"a.yaml": "a: 1\n", "deploy/b.yaml": "b: 1\n", "deploy/c.yaml": "c: 1\n"})
	if _, err := repo.CreateTag("v1", f.c1, nil); err != nil {
		t.Fatal(err)
	}
	f.c2 = commit("bob", "change b", map[string]string{"deploy/b.yaml": "b: 2\n"})
	master := plumbing.NewBranchReferenceName("master")
	feature := plumbing.NewBranchReferenceName("feature")
	if err := wt.Checkout(&gogit.CheckoutOptions{Branch: feature, Create: true}); err != nil {
		t.Fatal(err)
	}
	f.c3 = commit("carol", "change c, add d", map[string]string{"deploy/c.yaml": "c: 3\n", "deploy/d.yaml": "d: 3\n"})
	if err := wt.Checkout(&gogit.CheckoutOptions{Branch: master}); err != nil {
		t.Fatal(err)
	}
	f.c4 = commit("dave", "change a", map[string]string{"a.yaml": "a: 4\n"})
	// The merge takes feature's files: its tree equals master's plus them.
	f.c5 = commit("erin", "merge feature", map[string]string{"deploy/c.yaml": "c: 3\n", "deploy/d.yaml": "d: 3\n"}, f.c4, f.c3)

	if _, err := gogit.PlainClone(f.bare, true, &gogit.CloneOptions{URL: f.work, Mirror: true}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) url(suffix string) string { return "file://" + filepath.ToSlash(f.bare) + suffix }

func clone(t *testing.T, s string, opts Options) *Checkout {
	t.Helper()
	spec, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	opts.TempDir = t.TempDir()
	co, err := Clone(context.Background(), spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = co.Cleanup() })
	return co
}

func TestCloneShallow(t *testing.T) {
	f := newFixture(t)
	co := clone(t, f.url(""), Options{})
	if co.Head.Hash != f.c5.String() || co.Head.Author != "erin" || co.Head.Message != "merge feature" || !co.Shallow {
		t.Errorf("head = %+v shallow=%v", co.Head, co.Shallow)
	}
	if co.Root != co.Dir {
		t.Errorf("root %s != dir %s", co.Root, co.Dir)
	}
	if _, err := os.Stat(filepath.Join(co.Dir, "deploy", "d.yaml")); err != nil {
		t.Error(err)
	}
	// With one commit of history, every file changed at or before it.
	lc, err := co.LastCommits([]string{"a.yaml", filepath.Join(co.Dir, "deploy", "b.yaml"), "missing.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(lc) != 2 || lc["a.yaml"].Hash != f.c5.String() || !lc["a.yaml"].AtOrBefore {
		t.Errorf("last commits = %+v", lc)
	}
	dir := co.Dir
	if err := co.Cleanup(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("checkout not removed: %v", err)
	}
}

func TestLastCommitsFullHistory(t *testing.T) {
	f := newFixture(t)
	co := clone(t, f.url(""), Options{Depth: 50})
	lc, err := co.LastCommits([]string{"a.yaml", "deploy/b.yaml", "deploy/c.yaml", "deploy/d.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]plumbing.Hash{"a.yaml": f.c4, "deploy/b.yaml": f.c2, "deploy/c.yaml": f.c3, "deploy/d.yaml": f.c3}
	for p, h := range want {
		got := lc[p]
		if got.Hash != h.String() || got.AtOrBefore {
			t.Errorf("%s: %s (%s, %v), want %s", p, got.Hash, got.Author, got.AtOrBefore, h)
		}
	}
	if c := lc["deploy/c.yaml"]; c.Author != "carol" || c.Email != "carol@example.com" || c.Message != "change c, add d" || c.Date.IsZero() {
		t.Errorf("commit details = %+v", c)
	}
}

func TestCloneRefAndSubdir(t *testing.T) {
	f := newFixture(t)
	co := clone(t, f.url("//deploy?ref=feature"), Options{Depth: 50})
	if co.Head.Hash != f.c3.String() || co.Root != filepath.Join(co.Dir, "deploy") {
		t.Errorf("head %s root %s", co.Head.Hash, co.Root)
	}
	lc, err := co.LastCommits([]string{filepath.Join(co.Root, "b.yaml"), filepath.Join(co.Root, "c.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	if lc[filepath.Join(co.Root, "b.yaml")].Hash != f.c2.String() || lc[filepath.Join(co.Root, "c.yaml")].Hash != f.c3.String() {
		t.Errorf("last commits = %+v", lc)
	}

	if co := clone(t, f.url("?ref=v1"), Options{}); co.Head.Hash != f.c1.String() {
		t.Errorf("tag v1: head %s", co.Head.Hash)
	}
	co = clone(t, f.url("?ref="+f.c2.String()[:10]), Options{})
	if co.Head.Hash != f.c2.String() || co.Shallow {
		t.Errorf("commit ref: head %s shallow %v", co.Head.Hash, co.Shallow)
	}
	if _, err := os.Stat(filepath.Join(co.Dir, "deploy", "d.yaml")); !os.IsNotExist(err) {
		t.Errorf("commit ref checked out files of a later commit: %v", err)
	}
}

func TestCloneErrors(t *testing.T) {
	f := newFixture(t)
	for s, want := range map[string]string{
		f.url("?ref=nope"):             `no branch or tag "nope"`,
		f.url("//nowhere"):             "no directory nowhere in the repository",
		"file:///nonexistent/repo.git": "clone file:///nonexistent/repo.git",
	} {
		spec, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		tmp := t.TempDir()
		co, err := Clone(context.Background(), spec, Options{TempDir: tmp})
		if err == nil {
			_ = co.Cleanup()
			t.Errorf("%s: no error", s)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", s, err, want)
		}
		if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
			t.Errorf("%s: checkout left behind", s)
		}
	}
}

func TestOpen(t *testing.T) {
	f := newFixture(t)
	co, err := Open(filepath.Join(f.work, "deploy"))
	if err != nil {
		t.Fatal(err)
	}
	if co.Head.Hash != f.c5.String() || co.Shallow {
		t.Errorf("head %s shallow %v", co.Head.Hash, co.Shallow)
	}
	lc, err := co.LastCommits([]string{filepath.Join(f.work, "deploy", "b.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	if lc[filepath.Join(f.work, "deploy", "b.yaml")].Author != "bob" {
		t.Errorf("last commits = %+v", lc)
	}
	if err := co.Cleanup(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.work); err != nil {
		t.Errorf("Cleanup of an opened repository removed it: %v", err)
	}
	if _, err := Open(t.TempDir()); err == nil {
		t.Error("not a repository: no error")
	}
}
