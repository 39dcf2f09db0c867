package cluster

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vigilsec/vigil/pkg/hostsensor"
)

func TestNodeNotesBounded(t *testing.T) {
	col := &hostsensor.Collection{Node: "n1"}
	for i := range 500 {
		col.Notes = append(col.Notes, fmt.Sprintf("note %d", i))
	}
	got := nodeNotes(col)
	if len(got) != maxNodeNotes+1 {
		t.Fatalf("%d notes kept, want %d", len(got), maxNodeNotes+1)
	}
	if !strings.Contains(got[0].Message, "node n1: note 0") || got[len(got)-1].Message != "host scan: node n1: 450 more notes not shown" {
		t.Errorf("notes: first %q, last %q", got[0].Message, got[len(got)-1].Message)
	}
	if n := nodeNotes(&hostsensor.Collection{Node: "n2", Notes: []string{"a"}}); len(n) != 1 {
		t.Errorf("one note became %d", len(n))
	}
}
