// Package manifest decodes YAML and JSON manifests into objects. Each file is
// parsed once into YAML nodes; one walk of the nodes builds the object's Rego
// value and its position index together.
//
// Scalars are resolved as Kubernetes reads manifests (YAML 1.1 rules, as
// sigs.k8s.io/yaml does): unquoted yes/no/on/off are booleans and 0644 is an
// octal integer.
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"go.yaml.in/yaml/v3"

	"github.com/vigilsec/vigil/pkg/object"
)

// ParseError is a document that could not be parsed.
type ParseError struct {
	Path   string
	Line   int
	Reason string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Reason)
}

// Note is something a user should know about an input that is not an error,
// such as a document that is not a Kubernetes object.
type Note struct {
	Path    string
	Line    int
	Message string
}

func (n Note) String() string {
	if n.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", n.Path, n.Line, n.Message)
	}
	return fmt.Sprintf("%s: %s", n.Path, n.Message)
}

// Result is what decoding one file produced. A file may yield objects and
// errors at once: a broken document does not lose the documents around it.
type Result struct {
	Objects []*object.Object
	Notes   []Note
	Errors  []*ParseError
}

// Options control decoding.
type Options struct {
	// Path is recorded as the objects' source path and used in messages.
	Path string
	// SourceKind is recorded in each object's source ("file", "stdin", ...).
	SourceKind string
	// JSON forces the whole input to be read as one document. Without it,
	// YAML documents are split on "---" lines.
	JSON bool
}

// Decode reads every Kubernetes object from data.
func Decode(data []byte, opts Options) *Result {
	res := &Result{}
	if opts.JSON || looksLikeJSON(data) {
		decodeDoc(res, data, 0, 0, opts)
		return res
	}
	for i, d := range splitDocuments(data) {
		decodeDoc(res, d.data, d.line-1, i, opts)
	}
	return res
}

func looksLikeJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

type document struct {
	data []byte
	line int // 1-based line of the document's first line in the file
}

// splitDocuments cuts a YAML stream on document separators the way the
// Kubernetes YAML reader does, so one broken document cannot hide the rest.
func splitDocuments(data []byte) []document {
	var docs []document
	start, startLine, line := 0, 1, 1
	for pos := 0; pos < len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		next := len(data)
		if end >= 0 {
			next = pos + end + 1
		}
		l := bytes.TrimRight(data[pos:next], "\r\n")
		if isSeparator(l) {
			docs = append(docs, document{data: data[start:pos], line: startLine})
			// Content after "--- " on the same line belongs to the next
			// document; keep it by starting the document at the marker
			// with the marker blanked out.
			start, startLine = next, line+1
			if rest := bytes.TrimSpace(l[3:]); len(rest) > 0 && rest[0] != '#' {
				start, startLine = pos+3, line
			}
		}
		pos = next
		line++
	}
	docs = append(docs, document{data: data[start:], line: startLine})
	return docs
}

func isSeparator(l []byte) bool {
	if !bytes.HasPrefix(l, []byte("---")) {
		return false
	}
	return len(l) == 3 || l[3] == ' ' || l[3] == '\t'
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func decodeDoc(res *Result, data []byte, lineOffset, docIndex int, opts Options) {
	if len(bytes.TrimSpace(data)) == 0 {
		return
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		pe := &ParseError{Path: opts.Path, Reason: err.Error()}
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			// The YAML library reports parser errors (as opposed to scanner
			// errors) with a zero-based line.
			if strings.HasPrefix(m[2], "did not find expected") {
				n++
			}
			pe.Line, pe.Reason = n+lineOffset, m[2]
		} else {
			pe.Reason = strings.TrimPrefix(pe.Reason, "yaml: ")
			pe.Line = lineOffset + 1
		}
		res.Errors = append(res.Errors, pe)
		return
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return // comments only
	}
	node := root.Content[0]
	c := &converter{lineOffset: lineOffset, budget: 8*len(data) + 4096, path: opts.Path}
	switch node.Kind {
	case yaml.SequenceNode:
		// A JSON or YAML array of objects.
		for i, item := range node.Content {
			c.addObject(res, item, docIndex, opts, fmt.Sprintf("item %d", i))
		}
	case yaml.MappingNode:
		if items := listItems(node); items != nil {
			for i, item := range items.Content {
				c.addObject(res, item, docIndex, opts, fmt.Sprintf("list item %d", i))
			}
			return
		}
		c.addObject(res, node, docIndex, opts, "document")
	case yaml.ScalarNode:
		if node.ShortTag() == "!!null" {
			return
		}
		res.Notes = append(res.Notes, Note{Path: opts.Path, Line: node.Line + lineOffset,
			Message: "document is a scalar, not a Kubernetes object: skipped"})
	default:
		res.Notes = append(res.Notes, Note{Path: opts.Path, Line: node.Line + lineOffset,
			Message: "document is not a Kubernetes object: skipped"})
	}
	res.Errors = append(res.Errors, c.errs...)
	res.Notes = append(res.Notes, c.notes...)
}

// listItems returns the items of a `kind: List` (or any *List kind).
func listItems(n *yaml.Node) *yaml.Node {
	var kind string
	var items *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "kind":
			kind = n.Content[i+1].Value
		case "items":
			items = n.Content[i+1]
		}
	}
	if strings.HasSuffix(kind, "List") && items != nil && items.Kind == yaml.SequenceNode {
		return items
	}
	return nil
}

type converter struct {
	lineOffset int
	budget     int
	path       string
	pos        *object.Positions
	errs       []*ParseError
	notes      []Note
}

var errBudget = errors.New("document expands to too many nodes (recursive aliases?)")

func (c *converter) addObject(res *Result, n *yaml.Node, docIndex int, opts Options, what string) {
	line := n.Line + c.lineOffset
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode || !hasKey(n, "apiVersion") || !hasKey(n, "kind") {
		res.Notes = append(res.Notes, Note{Path: opts.Path, Line: line,
			Message: what + " has no apiVersion and kind, so it is not a Kubernetes object: skipped"})
		return
	}
	c.pos = &object.Positions{}
	c.pos.Add(object.RootPath, n.Line+c.lineOffset, n.Column)
	v, err := c.value(n, object.RootPath)
	if err != nil {
		res.Errors = append(res.Errors, &ParseError{Path: opts.Path, Line: line, Reason: err.Error()})
		return
	}
	c.pos.Seal()
	src := object.Source{Path: opts.Path, Document: docIndex, Line: line, Kind: opts.SourceKind}
	o, err := object.New(v, src)
	if err != nil {
		res.Notes = append(res.Notes, Note{Path: opts.Path, Line: line, Message: what + ": " + err.Error() + ": skipped"})
		return
	}
	o.Positions = c.pos
	res.Objects = append(res.Objects, o)
}

func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := n.Content[i+1]
			return v.Kind == yaml.ScalarNode && v.Value != ""
		}
	}
	return false
}

func (c *converter) value(n *yaml.Node, h object.PathHash) (ast.Value, error) {
	c.budget--
	if c.budget < 0 {
		return nil, errBudget
	}
	switch n.Kind {
	case yaml.AliasNode:
		return c.value(n.Alias, h)
	case yaml.MappingNode:
		return c.mapping(n, h)
	case yaml.SequenceNode:
		arr := make([]*ast.Term, 0, len(n.Content))
		for i, item := range n.Content {
			ih := h.Index(i)
			c.pos.Add(ih, item.Line+c.lineOffset, item.Column)
			v, err := c.value(item, ih)
			if err != nil {
				return nil, err
			}
			arr = append(arr, ast.NewTerm(v))
		}
		return ast.NewArray(arr...), nil
	case yaml.ScalarNode:
		return scalar(n), nil
	}
	return ast.Null{}, nil
}

func (c *converter) mapping(n *yaml.Node, h object.PathHash) (ast.Value, error) {
	obj := ast.NewObjectWithCapacity(len(n.Content) / 2)
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind == yaml.ScalarNode && kn.ShortTag() == "!!merge" {
			merges = append(merges, vn)
			continue
		}
		key := keyString(kn)
		kt := ast.StringTerm(key)
		if prev := obj.Get(kt); prev != nil {
			c.notes = append(c.notes, Note{Path: c.path, Line: kn.Line + c.lineOffset,
				Message: fmt.Sprintf("duplicate key %q: the last value is used", key)})
		}
		kh := h.Key(key)
		c.pos.Add(kh, kn.Line+c.lineOffset, kn.Column)
		v, err := c.value(vn, kh)
		if err != nil {
			return nil, err
		}
		obj.Insert(kt, ast.NewTerm(v))
	}
	// Merge keys (<<) fill in only what the mapping does not set itself.
	for _, m := range merges {
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			if s.Kind == yaml.AliasNode {
				s = s.Alias
			}
			if s.Kind != yaml.MappingNode {
				continue
			}
			mv, err := c.mapping(s, h)
			if err != nil {
				return nil, err
			}
			mv.(ast.Object).Foreach(func(k, v *ast.Term) {
				if obj.Get(k) == nil {
					obj.Insert(k, v)
				}
			})
		}
	}
	return obj, nil
}

// keyString renders a mapping key as the JSON object key Kubernetes would see.
func keyString(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return strings.TrimSpace(n.Value)
	}
	switch v := scalar(n).(type) {
	case ast.String:
		return string(v)
	case ast.Boolean:
		return strconv.FormatBool(bool(v))
	case ast.Null:
		return "null"
	default:
		return n.Value
	}
}

// yaml11Bools are the plain scalars YAML 1.1 (and so kubectl) reads as
// booleans but YAML 1.2 does not.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

func scalar(n *yaml.Node) ast.Value {
	plain := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
	switch n.ShortTag() {
	case "!!null":
		return ast.Null{}
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			return ast.String(n.Value)
		}
		return ast.Boolean(b)
	case "!!int":
		s := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(s, 0, 64); err == nil {
			return ast.Number(strconv.FormatInt(i, 10))
		}
		if u, err := strconv.ParseUint(s, 0, 64); err == nil {
			return ast.Number(strconv.FormatUint(u, 10))
		}
		if strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "-0o") {
			if i, err := strconv.ParseInt(strings.Replace(s, "0o", "0", 1), 0, 64); err == nil {
				return ast.Number(strconv.FormatInt(i, 10))
			}
		}
		return ast.String(n.Value)
	case "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return ast.String(n.Value)
		}
		return ast.Number(strconv.FormatFloat(f, 'g', -1, 64))
	case "!!str":
		if plain {
			if b, ok := yaml11Bools[n.Value]; ok {
				return ast.Boolean(b)
			}
		}
		return ast.String(n.Value)
	}
	// Timestamps, binary and custom tags stay strings, as they do in JSON.
	return ast.String(n.Value)
}
