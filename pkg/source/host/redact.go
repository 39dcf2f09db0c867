package host

import (
	"bytes"
	"errors"
	"io"

	"go.yaml.in/yaml/v3"
)

const redacted = "REDACTED"

// redactEncryptionConfig re-encodes an EncryptionConfiguration with every
// "secret" value replaced. Comments are dropped too: an old key left in a
// comment is still a key. Anything that does not parse is refused rather
// than emitted.
func redactEncryptionConfig(b []byte) ([]byte, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	docs := 0
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		redactNode(&n)
		if err := enc.Encode(&n); err != nil {
			return nil, err
		}
		docs++
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if docs == 0 {
		return nil, errors.New("empty document")
	}
	return out.Bytes(), nil
}

func redactNode(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Value == "secret" {
				// Whatever the value was (a string, a mapping someone
				// mistyped), nothing of it survives.
				*v = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: redacted}
			}
		}
	}
	for _, c := range n.Content {
		redactNode(c)
	}
}
