package custom

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/policy/library"
)

// check compiles the controls with the real engine, as a scan will. A
// built-in rule that does not compile is skipped in a scan; a custom one
// stops the load instead: its author is at the keyboard, and a broken
// simple-contract module (compiled as a shared module) would break every
// rule. The engine's messages give file and line; each is sharpened to
// file:line:column by compiling the failing file alone.
func (s *Set) check(ctx context.Context, lib *library.Library) error {
	var controls []*policy.Control
	for _, c := range s.Controls {
		controls = append(controls, c.Control)
	}
	mods := engineModules(lib.Modules, s.Modules)
	_, err := engine.New(ctx, controls, engine.Options{Inputs: lib.Defaults(), Modules: mods, Workers: 1})
	if err == nil {
		return nil
	}
	var cerr *engine.CompileError
	if !errors.As(err, &cerr) {
		return fmt.Errorf("custom controls: %w", err)
	}
	var problems []string
	seen := map[string]bool{}
	for _, c := range s.Controls {
		var msgs []string
		for _, m := range cerr.Messages {
			// Rule errors start "control ID rule NAME: "; a broken
			// simple-contract module is reported as a shared module
			// error, by file name.
			if strings.HasPrefix(m, "control "+c.ControlID+" ") || strings.Contains(m, c.File+":") {
				msgs = append(msgs, m)
			}
		}
		if len(msgs) == 0 {
			continue
		}
		for _, p := range s.precise(c, lib, msgs) {
			if !seen[p] {
				seen[p] = true
				problems = append(problems, p)
			}
		}
	}
	if len(problems) == 0 {
		for _, m := range cerr.Messages {
			if !seen[m] {
				seen[m] = true
				problems = append(problems, m)
			}
		}
	}
	return &LoadError{Problems: problems}
}

func engineModules(sets ...[]library.Module) []engine.Module {
	var out []engine.Module
	for _, set := range sets {
		out = append(out, set...)
	}
	return out
}

// precise compiles the control's own file with the shared modules and
// returns its errors at the lines the engine reported, with columns. When
// that finds nothing the engine did (an error outside the file), the
// engine's messages stand.
func (s *Set) precise(c *Control, lib *library.Library, engineMsgs []string) []string {
	rows := map[int]bool{}
	re := regexp.MustCompile(regexp.QuoteMeta(c.File) + `:(\d+):`)
	for _, m := range engineMsgs {
		for _, sub := range re.FindAllStringSubmatch(m, -1) {
			if n, err := strconv.Atoi(sub[1]); err == nil {
				rows[n] = true
			}
		}
	}
	mods := map[string]*ast.Module{}
	for i, m := range append(engine.ContractModules(), engineModules(lib.Modules)...) {
		pm, err := parse(m.File, m.Source)
		if err != nil {
			return engineMsgs
		}
		mods[fmt.Sprintf("lib%d", i)] = pm
	}
	src := c.Rules[0].Rule
	if c.Contract == ContractSimple {
		for _, m := range s.Modules {
			if m.File == c.File {
				src = m.Source
			}
		}
	}
	own, err := parse(c.File, src)
	if err != nil {
		return []string{err.Error()}
	}
	mods["own"] = own
	comp := ast.NewCompiler()
	comp.Compile(mods)
	var out []string
	for _, e := range comp.Errors {
		if e.Location != nil && e.Location.File == c.File && rows[e.Location.Row] {
			out = append(out, formatASTError(e))
		}
	}
	if len(out) == 0 {
		return engineMsgs
	}
	return out
}
