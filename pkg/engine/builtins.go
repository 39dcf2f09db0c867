package engine

import (
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// builtins are the custom functions of the rule contract. They are passed
// to each prepared query (never registered globally).
type builtins struct {
	// cosignCalled records that a rule asked for a signature check that
	// cannot be answered offline, so the report can say so.
	cosignCalled atomic.Bool
}

func (b *builtins) options() []func(*rego.Rego) {
	return []func(*rego.Rego){
		rego.Function1(&rego.Function{
			Name:             "image.parse_normalized_name",
			Decl:             types.NewFunction(types.Args(types.S), types.S),
			Memoize:          true,
			Nondeterministic: false,
		}, func(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
			s, ok := a.Value.(ast.String)
			if !ok {
				return nil, fmt.Errorf("image.parse_normalized_name: expected a string")
			}
			n, err := NormalizeImage(string(s))
			if err != nil {
				return nil, err
			}
			return ast.StringTerm(n), nil
		}),
		rego.Function1(&rego.Function{
			Name: "cosign.has_signature",
			Decl: types.NewFunction(types.Args(types.S), types.B),
		}, func(rego.BuiltinContext, *ast.Term) (*ast.Term, error) {
			b.cosignCalled.Store(true)
			return ast.BooleanTerm(false), nil
		}),
		rego.Function2(&rego.Function{
			Name: "cosign.verify",
			Decl: types.NewFunction(types.Args(types.S, types.A), types.B),
		}, func(rego.BuiltinContext, *ast.Term, *ast.Term) (*ast.Term, error) {
			b.cosignCalled.Store(true)
			return ast.BooleanTerm(false), nil
		}),
	}
}

// capabilities are OPA's builtins plus the contract's custom functions,
// declared to the shared compiler, which type-checks rules before any query
// exists.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = append(caps.Builtins,
		&ast.Builtin{Name: "image.parse_normalized_name", Decl: types.NewFunction(types.Args(types.S), types.S)},
		&ast.Builtin{Name: "cosign.has_signature", Decl: types.NewFunction(types.Args(types.S), types.B)},
		&ast.Builtin{Name: "cosign.verify", Decl: types.NewFunction(types.Args(types.S, types.A), types.B)},
	)
	return caps
}

var (
	pathComponentRE = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$`)
	domainRE        = regexp.MustCompile(`^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$`)
	tagRE           = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)
	digestRE        = regexp.MustCompile(`^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$`)
)

// NormalizeImage turns an image reference into its fully qualified form as
// container runtimes resolve it: "nginx" → "docker.io/library/nginx",
// "ghcr.io/o/app:1" stays as is. A tag or digest is kept, none is added.
func NormalizeImage(ref string) (string, error) {
	if ref == "" {
		return "", fmt.Errorf("empty image reference")
	}
	rest := ref
	var digest, tag string
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		rest, digest = rest[:i], rest[i+1:]
		if !digestRE.MatchString(digest) {
			return "", fmt.Errorf("invalid digest in %q", ref)
		}
	}
	// A tag follows the last colon after the last slash.
	if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, '/') {
		rest, tag = rest[:i], rest[i+1:]
		if !tagRE.MatchString(tag) {
			return "", fmt.Errorf("invalid tag in %q", ref)
		}
	}
	domain, remainder := "docker.io", rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		first := rest[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first {
			domain, remainder = first, rest[i+1:]
		}
	}
	if domain == "index.docker.io" {
		domain = "docker.io"
	}
	if !domainRE.MatchString(domain) {
		return "", fmt.Errorf("invalid registry %q in %q", domain, ref)
	}
	if domain == "docker.io" && !strings.Contains(remainder, "/") {
		remainder = "library/" + remainder
	}
	for _, c := range strings.Split(remainder, "/") {
		if !pathComponentRE.MatchString(c) {
			if strings.ToLower(c) != c {
				return "", fmt.Errorf("repository name must be lowercase in %q", ref)
			}
			return "", fmt.Errorf("invalid repository name in %q", ref)
		}
	}
	out := domain + "/" + remainder
	if tag != "" {
		out += ":" + tag
	}
	if digest != "" {
		out += "@" + digest
	}
	return out, nil
}
