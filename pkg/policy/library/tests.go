package library

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"go.yaml.in/yaml/v3"
)

// TestCase is one test of a control: input objects and the verdicts
// expected on them.
type TestCase struct {
	Name string
	// Objects is the input as a YAML stream, so the engine reads it exactly
	// as it reads a user's manifests (positions included).
	Objects []byte
	// Inputs override control inputs for this case.
	Inputs map[string][]string
	// Expect lists the objects the case is about. Objects not listed must
	// not fail.
	Expect []Expectation
	// Line is where the case starts in tests.yaml.
	Line int
}

// Expectation is the verdict expected on one object.
type Expectation struct {
	// Object is "Kind/namespace/name" (namespace empty for cluster-scoped
	// objects and objects that name none).
	Object string `yaml:"object"`
	// Status is "failed" (the default), "passed" or "skipped".
	Status      string    `yaml:"status"`
	FailedPaths []string  `yaml:"failedPaths"`
	ReviewPaths []string  `yaml:"reviewPaths"`
	DeletePaths []string  `yaml:"deletePaths"`
	FixPaths    []FixPath `yaml:"fixPaths"`
	// Message, when set, must be a substring of an alert message.
	Message string `yaml:"message"`
}

// FixPath is an expected fix.
type FixPath struct {
	Path  string `yaml:"path"`
	Value string `yaml:"value"`
}

type testFile struct {
	Name    string              `yaml:"name"`
	Objects []yaml.Node         `yaml:"objects"`
	Inputs  map[string][]string `yaml:"inputs"`
	Expect  []Expectation       `yaml:"expect"`
}

func loadTests(fsys fs.FS, dir string) ([]TestCase, error) {
	p := path.Join(dir, TestsFile)
	data, err := fs.ReadFile(fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseTests(data, p)
}

// ParseTests parses a tests.yaml file; name is used in errors.
func ParseTests(data []byte, name string) ([]TestCase, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	seq := root.Content[0]
	if seq.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: expected a list of test cases", name)
	}
	var out []TestCase
	for _, n := range seq.Content {
		var tf testFile
		if err := n.Decode(&tf); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n.Line, err)
		}
		if tf.Name == "" {
			return nil, fmt.Errorf("%s:%d: test case needs a name", name, n.Line)
		}
		tc := TestCase{Name: tf.Name, Inputs: tf.Inputs, Expect: tf.Expect, Line: n.Line}
		for i := range tf.Objects {
			var buf bytes.Buffer
			enc := yaml.NewEncoder(&buf)
			enc.SetIndent(2)
			if err := enc.Encode(&tf.Objects[i]); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, tf.Objects[i].Line, err)
			}
			b := buf.Bytes()
			if i > 0 {
				tc.Objects = append(tc.Objects, "---\n"...)
			}
			tc.Objects = append(tc.Objects, b...)
		}
		for i, e := range tc.Expect {
			if e.Object == "" {
				return nil, fmt.Errorf("%s:%d: test %q: expectation %d names no object", name, n.Line, tf.Name, i+1)
			}
			switch e.Status {
			case "":
				tc.Expect[i].Status = "failed"
			case "failed", "passed", "skipped":
			default:
				return nil, fmt.Errorf("%s:%d: test %q: status %q is not failed, passed or skipped", name, n.Line, tf.Name, e.Status)
			}
		}
		out = append(out, tc)
	}
	return out, nil
}
