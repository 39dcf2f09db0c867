package yamledit

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the expected files of the golden cases")

// A golden case is a directory testdata/<operation>/<case>/ holding
// input.yaml, edits.yaml and either expected.yaml (the edits succeed) or
// error.txt (the last edit fails; the file holds a part of the message,
// and a first line "unsupported" asks for ErrUnsupported).
type goldenEdit struct {
	Doc    int       `yaml:"doc"`
	Path   string    `yaml:"path"`
	Value  yaml.Node `yaml:"value"`
	Delete bool      `yaml:"delete"`
	// Join defaults to true: report paths need it under labels.
	Join *bool `yaml:"join"`
	// Rewrites is how many old lines a set may rewrite (default 1): more
	// when the old value spans several lines.
	Rewrites int `yaml:"rewrites"`
}

func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/*/edits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no golden cases")
	}
	for _, e := range dirs {
		dir := filepath.Dir(e)
		name := strings.TrimPrefix(filepath.ToSlash(dir), "testdata/")
		t.Run(name, func(t *testing.T) { runGolden(t, dir) })
	}
}

func runGolden(t *testing.T, dir string) {
	input := readFile(t, filepath.Join(dir, "input.yaml"))
	var edits []goldenEdit
	if err := yaml.Unmarshal(readFile(t, filepath.Join(dir, "edits.yaml")), &edits); err != nil {
		t.Fatalf("edits.yaml: %v", err)
	}
	if len(edits) == 0 {
		t.Fatal("edits.yaml lists no edits")
	}
	f := Parse(input)
	for i, e := range edits {
		before := f.Bytes()
		nf, ch, err := applyGolden(f, e)
		if !bytes.Equal(f.Bytes(), before) {
			t.Fatalf("edit %d changed the File it was called on", i)
		}
		if i == len(edits)-1 && fileExists(filepath.Join(dir, "error.txt")) {
			checkRefusal(t, dir, nf, err)
			return
		}
		if err != nil {
			if *update && i == len(edits)-1 {
				// A case that used to succeed now fails: say so loudly, as
				// the error is new; the reviewer decides which is right.
				writeFile(t, filepath.Join(dir, "error.txt"), refusalText(err))
				_ = os.Remove(filepath.Join(dir, "expected.yaml"))
				t.Errorf("wrote error.txt: %v", err)
				return
			}
			t.Fatalf("edit %d (%s): %v", i, e.Path, err)
		}
		checkEdit(t, before, nf.Bytes(), e, ch)
		f = nf
	}
	got := f.Bytes()
	checkLineEndings(t, input, got)
	want := filepath.Join(dir, "expected.yaml")
	if *update {
		writeFile(t, want, string(got))
		return
	}
	if exp := readFile(t, want); !bytes.Equal(got, exp) {
		t.Errorf("output differs from expected.yaml\n--- got:\n%s\n--- want:\n%s", got, exp)
	}
}

func applyGolden(f *File, e goldenEdit) (*File, Change, error) {
	steps, err := ParsePath(e.Path)
	if err != nil {
		return nil, Change{}, err
	}
	join := e.Join == nil || *e.Join
	if e.Delete {
		addr := Address{Doc: e.Doc, Path: steps}
		if a, ok := f.Resolve(Address{Doc: e.Doc}, steps, join); ok {
			addr = a
		}
		return f.Delete(addr)
	}
	v, err := valueOf(&e.Value)
	if err != nil {
		return nil, Change{}, err
	}
	return f.Set(Address{Doc: e.Doc}, steps, join, v)
}

func checkRefusal(t *testing.T, dir string, nf *File, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("the last edit succeeded, want an error; output:\n%s", nf.Bytes())
	}
	if nf != nil {
		t.Errorf("a failed edit returned a File")
	}
	want := string(readFile(t, filepath.Join(dir, "error.txt")))
	if *update {
		writeFile(t, filepath.Join(dir, "error.txt"), refusalText(err))
		return
	}
	first, rest, _ := strings.Cut(want, "\n")
	if first == "unsupported" {
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("error %q does not wrap ErrUnsupported", err)
		}
		want = rest
	} else if errors.Is(err, ErrUnsupported) {
		t.Errorf("error %q wraps ErrUnsupported; error.txt says it should not", err)
	}
	if want = strings.TrimSpace(want); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
}

func refusalText(err error) string {
	if errors.Is(err, ErrUnsupported) {
		return "unsupported\n" + err.Error() + "\n"
	}
	return err.Error() + "\n"
}

// checkEdit checks one successful edit: the output parses, its data is the
// input's with exactly the edit applied, and only the lines the edit is
// about changed.
func checkEdit(t *testing.T, before, after []byte, e goldenEdit, ch Change) {
	t.Helper()
	if got := FormatPath(ch.At.Path); ch.At.Doc != e.Doc || got != e.Path {
		t.Errorf("%s reports address %v", e.Path, ch.At)
	}
	var want any
	if !e.Delete {
		if err := e.Value.Decode(&want); err != nil {
			t.Fatal(err)
		}
	}
	if err := checkData(before, after, e.Doc, ch.At.Path, e.Delete, want); err != nil {
		t.Errorf("%s: %v\n--- output:\n%s", e.Path, err, after)
	}
	if err := checkMinimal(before, after, e.Delete, ch.Kind, max(1, e.Rewrites)); err != nil {
		t.Errorf("%s: %v", e.Path, err)
	}
	if err := checkLine(before, after, ch); err != nil {
		t.Errorf("%s: %v", e.Path, err)
	}
}

// checkLineEndings: a CRLF file stays CRLF, and the presence or absence of
// a final line break is kept.
func checkLineEndings(t *testing.T, in, out []byte) {
	t.Helper()
	if err := lineEndingsKept(in, out); err != nil {
		t.Error(err)
	}
}

func lineEndingsKept(in, out []byte) error {
	crlf := bytes.Count(in, []byte("\r\n"))
	if crlf > 0 && crlf == bytes.Count(in, []byte("\n")) && bytes.Count(out, []byte("\r\n")) != bytes.Count(out, []byte("\n")) {
		return fmt.Errorf("a CRLF file got a bare LF line break:\n%q", out)
	}
	if len(in) > 0 && len(out) > 0 && (in[len(in)-1] == '\n') != (out[len(out)-1] == '\n') {
		return fmt.Errorf("the final line break was not kept: %q", out)
	}
	return nil
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, name, s string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// valueOf turns a YAML node of edits.yaml into a Value, keeping a
// scalar's text ("0644" stays octal).
func valueOf(n *yaml.Node) (Value, error) {
	switch n.Kind {
	case 0:
		return Value{}, errors.New("the edit has no value")
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return Value{Kind: Null}, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return Value{}, err
			}
			return BoolValue(b), nil
		case "!!int":
			return IntValue(n.Value)
		case "!!float":
			return FloatValue(n.Value)
		}
		return StringValue(n.Value), nil
	case yaml.MappingNode:
		m := map[string]Value{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := valueOf(n.Content[i+1])
			if err != nil {
				return Value{}, err
			}
			m[n.Content[i].Value] = v
		}
		return Value{Kind: Map, Map: m}, nil
	case yaml.SequenceNode:
		l := []Value{}
		for _, c := range n.Content {
			v, err := valueOf(c)
			if err != nil {
				return Value{}, err
			}
			l = append(l, v)
		}
		return Value{Kind: List, List: l}, nil
	}
	return Value{}, fmt.Errorf("line %d: unsupported value", n.Line)
}
