package jsonformat

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

func TestWriteValueMatchesEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"a": 1, "b": [true, false, null, 2.5, "x"], "c": {"z": "\"quoted\" \\ back\nline\ttab", "y": "<html> & \u2028 \u0001"}}`,
		`{"unicode": "héllo wörld ✓ 日本", "empty": {}, "list": []}`,
	} {
		v := ast.MustParseTerm(in).Value
		var got bytes.Buffer
		writeValue(&got, v, nil)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		x, _ := ast.JSON(v)
		enc.Encode(x)
		if got.String()+"\n" != want.String() {
			t.Errorf("got  %s\nwant %s", got.String(), want.String())
		}
	}
	var b bytes.Buffer
	writeString(&b, "bad\xffutf8")
	if b.String() != `"bad\ufffdutf8"` {
		t.Errorf("invalid UTF-8: %s", b.String())
	}
}
