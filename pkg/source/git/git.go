// Package git fetches a repository to scan: it parses the URL forms users
// type (`https://host/org/repo[.git][//subdir][?ref=branch]`, file://,
// ssh:// and scp-like git@host:org/repo), clones with go-git into a
// temporary directory (shallow unless a commit is asked for), and tells,
// for files of the checkout, the last commit that touched them.
//
// Tokens are read from GITHUB_TOKEN for github.com and GITLAB_TOKEN for
// gitlab.com, sent only over https and only to those hosts. file:// URLs
// need the git binary: go-git runs git-upload-pack for local repositories.
package git

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// Spec is a parsed repository reference.
type Spec struct {
	// URL is what is cloned: the repository without subdir and ref.
	URL string
	// Host is the URL's host ("" for file://).
	Host string
	// Subdir is the directory inside the repository to scan ("" for the
	// root), slash-separated and clean.
	Subdir string
	// Ref is a branch, tag or commit ("" for the default branch).
	Ref string
}

func (s Spec) String() string {
	out := s.URL
	if s.Subdir != "" {
		out += "//" + s.Subdir
	}
	if s.Ref != "" {
		out += "?ref=" + s.Ref
	}
	return out
}

var scpLike = regexp.MustCompile(`^([a-zA-Z0-9._-]+@)?([a-zA-Z0-9.-]+):([^/].*)$`)

// IsURL reports whether a scan argument names a repository rather than a
// local path.
func IsURL(s string) bool {
	for _, p := range []string{"https://", "http://", "ssh://", "git://", "file://"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return strings.HasPrefix(s, "git@") && scpLike.MatchString(s)
}

// Parse reads a repository reference:
//
//	https://github.com/org/repo
//	https://github.com/org/repo.git//deploy/k8s?ref=v1.2.0
//	file:///srv/git/repo.git//charts?ref=main
//	git@github.com:org/repo.git//deploy
func Parse(s string) (Spec, error) {
	if !IsURL(s) {
		return Spec{}, fmt.Errorf("%q is not a repository URL (https://, http://, ssh://, git://, file:// or git@host:path)", s)
	}
	raw := s
	var spec Spec
	if i := strings.Index(raw, "?"); i >= 0 {
		q, err := url.ParseQuery(raw[i+1:])
		if err != nil {
			return Spec{}, fmt.Errorf("%s: query: %w", s, err)
		}
		for k := range q {
			if k != "ref" {
				return Spec{}, fmt.Errorf("%s: unknown parameter %q (only ref is understood)", s, k)
			}
		}
		spec.Ref = q.Get("ref")
		raw = raw[:i]
	}
	// The subdirectory follows the first "//" after the scheme's.
	rest := raw
	prefix := ""
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	if prefix == "file://" {
		// file:///abs/path: the path starts with "/", so look for "//"
		// after it.
		if rest == "" {
			return Spec{}, fmt.Errorf("%s: no path", s)
		}
		if j := strings.Index(rest[1:], "//"); j >= 0 {
			rest, spec.Subdir = rest[:j+1], rest[j+3:]
		}
	} else if j := strings.Index(rest, "//"); j >= 0 {
		rest, spec.Subdir = rest[:j], rest[j+2:]
	}
	if spec.Subdir != "" {
		clean := path.Clean(spec.Subdir)
		if clean == ".." || strings.HasPrefix(clean, "../") || path.IsAbs(clean) {
			return Spec{}, fmt.Errorf("%s: subdirectory %q leaves the repository", s, spec.Subdir)
		}
		if clean == "." {
			clean = ""
		}
		spec.Subdir = clean
	}
	spec.URL = prefix + strings.TrimSuffix(rest, "/")
	switch {
	case prefix == "file://":
		if spec.URL == "file://" {
			return Spec{}, fmt.Errorf("%s: no path", s)
		}
	case prefix != "":
		u, err := url.Parse(spec.URL)
		if err != nil {
			return Spec{}, fmt.Errorf("%s: %w", s, err)
		}
		if u.Host == "" || strings.Trim(u.Path, "/") == "" {
			return Spec{}, fmt.Errorf("%s: needs a host and a repository path", s)
		}
		spec.Host = u.Hostname()
	default:
		m := scpLike.FindStringSubmatch(spec.URL)
		if m == nil {
			return Spec{}, fmt.Errorf("%s: not a git@host:path reference", s)
		}
		spec.Host = m[2]
	}
	return spec, nil
}

// Options control a clone.
type Options struct {
	// Depth is how much history to fetch (default 1, a shallow clone).
	// Last-commit answers for files unchanged within it are "at or before"
	// the oldest commit fetched. A commit ref fetches full history.
	Depth int
	// Getenv reads tokens (os.Getenv when nil).
	Getenv func(string) string
	// TempDir is where the checkout directory is made (os.TempDir when
	// empty).
	TempDir string
	// Progress receives the server's progress messages, if set.
	Progress io.Writer
}

// Commit is a commit of the checkout.
type Commit struct {
	Hash    string    `json:"hash"`
	Author  string    `json:"author"`
	Email   string    `json:"email,omitempty"`
	Date    time.Time `json:"date"`
	Message string    `json:"message"`
}

// Checkout is a cloned repository.
type Checkout struct {
	Spec Spec
	// Dir is the root of the working tree; Root is the directory to scan
	// (Dir joined with the spec's subdirectory).
	Dir, Root string
	// Head is the commit checked out.
	Head Commit
	// Shallow is true when history was cut.
	Shallow bool
	repo    *gogit.Repository
	tmp     string
}

// Clone fetches the repository into a new temporary directory. Call
// Cleanup when done, also after an error-free scan.
func Clone(ctx context.Context, spec Spec, opts Options) (*Checkout, error) {
	tmp, err := os.MkdirTemp(opts.TempDir, "vigil-git-")
	if err != nil {
		return nil, fmt.Errorf("clone %s: %w", spec, err)
	}
	co := &Checkout{Spec: spec, Dir: tmp, tmp: tmp}
	if err := co.clone(ctx, opts); err != nil {
		_ = co.Cleanup()
		return nil, err
	}
	return co, nil
}

var commitRE = regexp.MustCompile(`^[0-9a-fA-F]{7,40}$`)

func (co *Checkout) clone(ctx context.Context, opts Options) error {
	spec := co.Spec
	depth := opts.Depth
	if depth <= 0 {
		depth = 1
	}
	base := gogit.CloneOptions{URL: spec.URL, Auth: auth(spec, opts.Getenv), Tags: gogit.NoTags}
	if opts.Progress != nil {
		base.Progress = opts.Progress
	}
	var repo *gogit.Repository
	var err error
	switch {
	case spec.Ref == "":
		o := base
		o.Depth, o.SingleBranch = depth, true
		repo, err = gogit.PlainCloneContext(ctx, co.Dir, false, &o)
	case commitRE.MatchString(spec.Ref):
		// A commit can be fetched only with the history that leads to it.
		repo, err = co.cloneCommit(ctx, base)
		depth = 0
	default:
		for _, ref := range []plumbing.ReferenceName{plumbing.NewBranchReferenceName(spec.Ref), plumbing.NewTagReferenceName(spec.Ref)} {
			o := base
			o.Depth, o.SingleBranch, o.ReferenceName = depth, true, ref
			repo, err = gogit.PlainCloneContext(ctx, co.Dir, false, &o)
			if err == nil || !isNoRef(err) {
				break
			}
			// A failed attempt may leave files behind.
			if rerr := resetDir(co.Dir); rerr != nil {
				return fmt.Errorf("clone %s: %w", spec, rerr)
			}
		}
		if err != nil && isNoRef(err) {
			err = fmt.Errorf("no branch or tag %q", spec.Ref)
		}
	}
	if err != nil {
		return fmt.Errorf("clone %s: %w", spec, describe(err, spec))
	}
	co.repo = repo
	co.Shallow = depth > 0
	head, err := repo.Head()
	if err != nil {
		return fmt.Errorf("clone %s: %w", spec, err)
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		return fmt.Errorf("clone %s: %w", spec, err)
	}
	co.Head = commitOf(c)
	co.Root = co.Dir
	if spec.Subdir != "" {
		co.Root = filepath.Join(co.Dir, filepath.FromSlash(spec.Subdir))
		st, err := os.Stat(co.Root)
		if err != nil || !st.IsDir() {
			return fmt.Errorf("clone %s: no directory %s in the repository at %s", spec, spec.Subdir, co.Head.Hash[:12])
		}
	}
	return nil
}

func (co *Checkout) cloneCommit(ctx context.Context, base gogit.CloneOptions) (*gogit.Repository, error) {
	o := base
	o.NoCheckout = true
	o.Tags = gogit.AllTags
	repo, err := gogit.PlainCloneContext(ctx, co.Dir, false, &o)
	if err != nil {
		return nil, err
	}
	h, err := repo.ResolveRevision(plumbing.Revision(co.Spec.Ref))
	if err != nil {
		return nil, fmt.Errorf("no commit %s: %w", co.Spec.Ref, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, err
	}
	if err := wt.Checkout(&gogit.CheckoutOptions{Hash: *h, Force: true}); err != nil {
		return nil, err
	}
	return repo, nil
}

func isNoRef(err error) bool {
	var nf *plumbing.UnexpectedError
	return errors.Is(err, plumbing.ErrReferenceNotFound) || errors.As(err, &nf) ||
		strings.Contains(err.Error(), "couldn't find remote ref") || strings.Contains(err.Error(), "reference not found")
}

func resetDir(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// describe turns transport errors into advice.
func describe(err error, spec Spec) error {
	switch {
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed):
		hint := "the repository needs credentials"
		switch tokenVar(spec.Host) {
		case "GITHUB_TOKEN":
			hint += "; set GITHUB_TOKEN"
		case "GITLAB_TOKEN":
			hint += "; set GITLAB_TOKEN"
		}
		return fmt.Errorf("%w (%s)", err, hint)
	case errors.Is(err, transport.ErrRepositoryNotFound):
		return fmt.Errorf("%w (check the URL, or credentials for a private repository)", err)
	}
	return err
}

func tokenVar(host string) string {
	switch strings.ToLower(host) {
	case "github.com", "www.github.com":
		return "GITHUB_TOKEN"
	case "gitlab.com", "www.gitlab.com":
		return "GITLAB_TOKEN"
	}
	return ""
}

// auth returns the token credentials for the host, over https only.
func auth(spec Spec, getenv func(string) string) transport.AuthMethod {
	if !strings.HasPrefix(spec.URL, "https://") {
		return nil
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	v := tokenVar(spec.Host)
	if v == "" {
		return nil
	}
	tok := getenv(v)
	if tok == "" {
		return nil
	}
	user := "x-access-token"
	if v == "GITLAB_TOKEN" {
		user = "oauth2"
	}
	return &githttp.BasicAuth{Username: user, Password: tok}
}

// Cleanup removes the checkout.
func (co *Checkout) Cleanup() error {
	if co == nil || co.tmp == "" {
		return nil
	}
	err := os.RemoveAll(co.tmp)
	co.tmp = ""
	if err != nil {
		return fmt.Errorf("remove checkout %s: %w", co.Dir, err)
	}
	return nil
}

// Open reads an existing repository (a working copy on disk), so the last
// commits of local files can be told too. dir may be inside the working
// tree.
func Open(dir string) (*Checkout, error) {
	repo, err := gogit.PlainOpenWithOptions(dir, &gogit.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, fmt.Errorf("open repository at %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("open repository at %s: %w", dir, err)
	}
	co := &Checkout{Dir: wt.Filesystem.Root(), Root: dir, repo: repo}
	if head, err := repo.Head(); err == nil {
		if c, err := repo.CommitObject(head.Hash()); err == nil {
			co.Head = commitOf(c)
		}
	}
	if shallow, err := repo.Storer.Shallow(); err == nil && len(shallow) > 0 {
		co.Shallow = true
	}
	return co, nil
}

func commitOf(c *object.Commit) Commit {
	return Commit{
		Hash:    c.Hash.String(),
		Author:  c.Author.Name,
		Email:   c.Author.Email,
		Date:    c.Author.When,
		Message: strings.TrimSpace(c.Message),
	}
}
