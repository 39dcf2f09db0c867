package yamledit

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzSet applies one set or delete to a YAML text at a path chosen among
// the nodes the text has (optionally extended by new steps) and checks
// that the editor either refuses or writes text that parses, holds exactly
// the edit as data, and changed one run of lines.
func FuzzSet(f *testing.F) {
	inputs, _ := filepath.Glob("testdata/*/*/input.yaml")
	for i, name := range inputs {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for op := range uint8(6) {
			f.Add(data, uint16(i*7+int(op)), "securityContext.runAsNonRoot", "true", op)
		}
		f.Add(data, uint16(i), "[0].name", "500m", uint8(8))
		f.Add(data, uint16(i*3), "", "it's # \"x\"", uint8(7))
	}
	f.Fuzz(func(t *testing.T, input []byte, pick uint16, extra, text string, op uint8) {
		if len(input) > 2048 || len(extra) > 64 || len(text) > 64 {
			return
		}
		fuzzEdit(t, input, pick, extra, text, op)
	})
}

// fuzzEdit reports whether the edit was made (not refused or skipped).
func fuzzEdit(t *testing.T, input []byte, pick uint16, extra, text string, op uint8) bool {
	f := Parse(input)
	var docs []int
	for i, d := range f.docs {
		if d.err == nil && sameReading(d, input) {
			docs = append(docs, i)
		}
	}
	if len(docs) == 0 {
		return false
	}
	di := docs[int(pick)%len(docs)]
	paths := [][]Step{nil}
	if root := f.docs[di].root; root != nil {
		paths = nodePaths(root, nil, nil)
	}
	path := paths[int(pick/7)%len(paths)]
	before := append([]byte(nil), input...)

	del := op%3 == 0 && len(path) > 0
	var v Value
	var nf *File
	var ch Change
	var err error
	if del {
		nf, ch, err = f.Delete(Address{Doc: di, Path: path})
	} else {
		var ok bool
		if v, ok = fuzzValue(text, op/3); !ok {
			return false
		}
		rel := path
		if op%3 == 2 {
			more, perr := ParsePath(extra)
			if perr != nil {
				return false
			}
			rel = append(append([]Step(nil), path...), more...)
		}
		nf, ch, err = f.Set(Address{Doc: di}, rel, op&0x40 != 0, v)
	}
	if !bytes.Equal(f.Bytes(), before) {
		t.Fatal("the edit changed the File it was called on")
	}
	if err != nil {
		if nf != nil {
			t.Fatal("a failed edit returned a File")
		}
		return false
	}
	after := nf.Bytes()
	if err := lineEndingsKept(before, after); err != nil {
		t.Fatal(err)
	}
	var want any
	if !del {
		want = v.Data()
	}
	if err := checkData(before, after, di, ch.At.Path, del, want); err != nil {
		t.Fatalf("%v\n--- input:\n%s\n--- output:\n%s", err, before, after)
	}
	rewrites := 1
	if ch.Kind == "replace" {
		// The old value may span lines (a block scalar, a folded string).
		rewrites = 1 << 30
	}
	if err := checkMinimal(before, after, del, ch.Kind, rewrites); err != nil {
		t.Fatalf("%v\n--- input:\n%s\n--- output:\n%s", err, before, after)
	}
	if err := checkLine(before, after, ch); err != nil {
		t.Fatalf("%v\n--- input:\n%s\n--- output:\n%s", err, before, after)
	}
	// The new File must be as good as a fresh parse of its bytes (but for
	// the line break it writes, which stays that of the original).
	again := Parse(after)
	if len(again.docs) != len(nf.docs) || !reflect.DeepEqual(again.lineStart, nf.lineStart) {
		t.Fatalf("the edited File differs from a parse of its bytes")
	}
	return true
}

// sameReading reports whether the package and plain yaml.v3 read a
// document as the same data; where YAML 1.1 and 1.2 disagree (a key "on")
// the tests' own account of an edit would not apply.
func sameReading(d *document, input []byte) bool {
	if hasDuplicateKeys(d.root) {
		// "0" and "00" are one key as data; which value wins is luck.
		return false
	}
	mine, err := docData(d)
	if err != nil {
		return false
	}
	theirs, err := decodeDoc(input[d.start:d.end])
	if err != nil {
		return false
	}
	return reflect.DeepEqual(mine, theirs)
}

func hasDuplicateKeys(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := keyString(n.Content[i])
			if seen[k] {
				return true
			}
			seen[k] = true
		}
	}
	for _, c := range n.Content {
		if hasDuplicateKeys(c) {
			return true
		}
	}
	return false
}

// nodePaths lists the paths of every node under n, n's own first.
func nodePaths(n *yaml.Node, path []Step, out [][]Step) [][]Step {
	out = append(out, path)
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].ShortTag() == "!!merge" {
				continue
			}
			p := append(append([]Step(nil), path...), Step{Key: keyString(n.Content[i])})
			out = nodePaths(n.Content[i+1], p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := append(append([]Step(nil), path...), Step{Index: i, IsIndex: true})
			out = nodePaths(c, p, out)
		}
	}
	return out
}

// fuzzValue builds a value of the kind k selects from text.
func fuzzValue(text string, k uint8) (Value, bool) {
	switch k % 7 {
	case 0:
		return StringValue(text), true
	case 1:
		v, err := IntValue(text)
		return v, err == nil
	case 2:
		return BoolValue(len(text)%2 == 0), true
	case 3:
		return Value{Kind: Map, Map: map[string]Value{text: StringValue("x"), "name": BoolValue(true)}}, true
	case 4:
		return Value{Kind: List, List: []Value{StringValue(text), {Kind: Map, Map: map[string]Value{"a": StringValue(text)}}}}, true
	case 5:
		v, err := FloatValue(text)
		return v, err == nil
	}
	return Value{Kind: Null}, true
}
