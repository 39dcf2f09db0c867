package manifest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"go.yaml.in/yaml/v3"

	"github.com/vigilsec/vigil/pkg/object"
	k8syaml "sigs.k8s.io/yaml"
)

// TestScalarsMatchKubernetes checks that values decode exactly as the
// Kubernetes YAML reader (sigs.k8s.io/yaml) decodes them.
func TestScalarsMatchKubernetes(t *testing.T) {
	cases := []string{
		"a: yes\nb: no\nc: on\nd: off\ne: y\nf: N\ng: 'yes'\nh: \"on\"\n",
		"a: 0644\nb: 0o755\nc: 0x1F\nd: 1_000\ne: -12\nf: 1e3\ng: 1.5\nh: .5\n",
		"a: ~\nb: null\nc:\nd: Null\ne: true\nf: False\ng: TRUE\n",
		"a: 2001-12-14\nb: 12:30\nc: '0644'\nd: 9223372036854775807\n",
		"a: &x {p: 1, q: [1, 2]}\nb: *x\nc:\n  <<: *x\n  p: 2\n",
		"a: |\n  line1\n  line2\nb: >\n  folded\n  text\n",
	}
	for _, doc := range cases {
		wantJSON, err := k8syaml.YAMLToJSON([]byte(doc))
		if err != nil {
			t.Fatalf("reference decoder failed on %q: %v", doc, err)
		}
		var want any
		dec := json.NewDecoder(bytes.NewReader(wantJSON))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		var root yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
			t.Fatal(err)
		}
		c := &converter{budget: 1 << 20, pos: &object.Positions{}}
		v, err := c.value(root.Content[0], object.RootPath)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ast.JSON(v)
		if err != nil {
			t.Fatal(err)
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Errorf("doc %q:\n got %s\nwant %s", doc, gb, wb)
		}
	}
}
