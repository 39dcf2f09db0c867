package host

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"

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
	var secrets []string
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		redactNode(&n, &secrets)
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
	if leaked(out.Bytes(), secrets) {
		return nil, errors.New("a key is also written elsewhere in the file (a YAML anchor)")
	}
	if !reparses(out.Bytes()) {
		return nil, errors.New("an alias of a redacted key")
	}
	return out.Bytes(), nil
}

func redactNode(n *yaml.Node, secrets *[]string) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			// Any case: the API server's decoder may not care, and a
			// key's value is never worth the risk.
			if k.Kind == yaml.ScalarNode && strings.EqualFold(k.Value, "secret") {
				// Whatever the value was (a string, a mapping someone
				// mistyped, an alias of a value written elsewhere),
				// nothing of it survives.
				scalars(v, secrets)
				*v = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: redacted}
			}
		}
	}
	for _, c := range n.Content {
		redactNode(c, secrets)
	}
}

// scalars collects the scalar values under n, through aliases.
func scalars(n *yaml.Node, out *[]string) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.ScalarNode:
		*out = append(*out, n.Value)
	case yaml.AliasNode:
		scalars(n.Alias, out)
	default:
		for _, c := range n.Content {
			scalars(c, out)
		}
	}
}

// leaked reports whether a redacted value still appears in out (written
// again through an anchor, or as another key's value). Values too short
// to be credentials are not searched for.
func leaked(out []byte, secrets []string) bool {
	for _, s := range secrets {
		if len(s) >= 6 && s != redacted && bytes.Contains(out, []byte(s)) {
			return true
		}
	}
	return false
}

// sensitiveKey reports whether a configuration key's value is a credential
// itself (token, password, clientKeyData, client-key-data, SECRET_KEY...),
// in any spelling; keys naming a file, path, directory or another object
// are not.
func sensitiveKey(k string) bool {
	n := strings.ToLower(strings.NewReplacer("-", "", "_", "", ".", "").Replace(k))
	for _, s := range []string{"file", "path", "dir", "name", "ref"} {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	switch n {
	case "auth", "authorization", "clientkeydata", "credentials", "bearer":
		return true
	}
	for _, s := range []string{"token", "password", "passwd", "secret", "privatekey", "apikey", "accesskey"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// sanitizeConfig decides whether a YAML or JSON configuration file
// (a kubelet or kube-proxy configuration, a static-pod manifest, an audit
// policy, etcd's configuration) may be emitted, and redacts what it holds
// of credentials. Files are named by command-line flags, and any process
// on the node (one in any pod, seen through hostPID) may call itself
// kubelet: whatever a flag names, a private key, a kubeconfig, a token
// file or anything that is not a configuration mapping is refused (the
// reason is returned). Values of credential keys, credential flags in
// command and args lists, and environment variables named like
// credentials are replaced by REDACTED; a file with nothing to redact is
// returned as it is.
func sanitizeConfig(b []byte) ([]byte, string) {
	if bytes.Contains(b, []byte("PRIVATE KEY")) {
		return nil, "it holds a private key"
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []*yaml.Node
	for {
		n := &yaml.Node{}
		err := dec.Decode(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "it is not a YAML or JSON configuration file"
		}
		docs = append(docs, n)
	}
	var secrets []string
	changed := false
	for _, d := range docs {
		top := d
		if d.Kind == yaml.DocumentNode {
			if len(d.Content) == 0 {
				continue
			}
			top = d.Content[0]
		}
		if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
			continue
		}
		if top.Kind != yaml.MappingNode || !identifierKeys(top) {
			return nil, "it is not a configuration mapping"
		}
		if isKubeconfig(top) {
			return nil, "it is a kubeconfig"
		}
		changed = redactConfigNode(top, &secrets) || changed
	}
	if !changed {
		return b, ""
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	for _, d := range docs {
		// Comments may hold what was redacted: they go.
		dropComments(d)
		if err := enc.Encode(d); err != nil {
			return nil, "it could not be redacted"
		}
	}
	if err := enc.Close(); err != nil || leaked(out.Bytes(), secrets) || !reparses(out.Bytes()) {
		return nil, "it could not be redacted"
	}
	return out.Bytes(), ""
}

// reparses reports whether redacted YAML still parses: an alias of a
// redacted anchor no longer does.
func reparses(b []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// configKey is what the top-level keys of configuration files look like;
// lines of /etc/shadow ("root:...:::") parse as YAML keys too.
var configKey = regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`)

func identifierKeys(m *yaml.Node) bool {
	for i := 0; i < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind != yaml.ScalarNode || !configKey.MatchString(k.Value) {
			return false
		}
	}
	return true
}

func isKubeconfig(m *yaml.Node) bool {
	keys := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		keys[k.Value] = true
		if k.Value == "kind" && v.Value == "Config" {
			return true
		}
	}
	return keys["users"] && (keys["clusters"] || keys["contexts"])
}

func dropComments(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		dropComments(c)
	}
}

func redactScalar(v *yaml.Node, secrets *[]string) bool {
	// automountServiceAccountToken: false holds no credential.
	if v.Value == "" || v.Value == redacted || (v.Kind == yaml.ScalarNode && (v.ShortTag() == "!!bool" || v.ShortTag() == "!!null")) {
		return false
	}
	scalars(v, secrets)
	*v = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: redacted}
	return true
}

// redactConfigNode redacts credentials under n and reports whether it
// changed anything.
func redactConfigNode(n *yaml.Node, secrets *[]string) bool {
	changed := false
	switch n.Kind {
	case yaml.MappingNode:
		var envName, envValue *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "name":
				envName = v
			case "value":
				envValue = v
			}
			if !sensitiveKey(k.Value) {
				continue
			}
			switch v.Kind {
			case yaml.ScalarNode, yaml.AliasNode:
				changed = redactScalar(v, secrets) || changed
			case yaml.SequenceNode:
				for _, e := range v.Content {
					if e.Kind == yaml.ScalarNode || e.Kind == yaml.AliasNode {
						changed = redactScalar(e, secrets) || changed
					}
				}
			}
		}
		// An environment variable: {name: DB_PASSWORD, value: ...}.
		if envName != nil && envValue != nil && envName.Kind == yaml.ScalarNode &&
			(envValue.Kind == yaml.ScalarNode || envValue.Kind == yaml.AliasNode) && sensitiveKey(envName.Value) {
			changed = redactScalar(envValue, secrets) || changed
		}
	case yaml.SequenceNode:
		// A command or args list: credential flags, as in cmdLine.
		for i := 0; i < len(n.Content); i++ {
			e := n.Content[i]
			if e.Kind != yaml.ScalarNode || !strings.HasPrefix(e.Value, "-") {
				continue
			}
			name := strings.TrimLeft(e.Value, "-")
			if k, v, ok := strings.Cut(name, "="); ok {
				if sensitiveFlag(k) && v != redacted {
					*secrets = append(*secrets, v)
					*e = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: e.Value[:len(e.Value)-len(name)] + k + "=" + redacted}
					changed = true
				}
				continue
			}
			if sensitiveFlag(name) && i+1 < len(n.Content) {
				if next := n.Content[i+1]; next.Kind == yaml.ScalarNode && !strings.HasPrefix(next.Value, "-") {
					changed = redactScalar(next, secrets) || changed
					i++
				}
			}
		}
	}
	for _, c := range n.Content {
		changed = redactConfigNode(c, secrets) || changed
	}
	return changed
}

// unitFlag is a flag with a value in a systemd unit's text, at the start
// of a word: --name=value or --name value, the value possibly quoted.
var unitFlag = regexp.MustCompile(`(^|[\s="'])(-{1,2})([A-Za-z0-9][A-Za-z0-9_.-]*)(=|[ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s"'\\]+)`)

// sanitizeUnit redacts credential flags in a systemd unit (Environment=
// lines often carry the kubelet's extra arguments) and refuses one that
// holds a private key.
func sanitizeUnit(b []byte) ([]byte, string) {
	if bytes.Contains(b, []byte("PRIVATE KEY")) {
		return nil, "it holds a private key"
	}
	return unitFlag.ReplaceAllFunc(b, func(m []byte) []byte {
		g := unitFlag.FindSubmatch(m)
		if !sensitiveFlag(string(g[3])) || bytes.HasPrefix(g[5], []byte("-")) {
			return m
		}
		return []byte(string(g[1]) + string(g[2]) + string(g[3]) + string(g[4]) + redacted)
	}), ""
}
