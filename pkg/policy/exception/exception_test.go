package exception

import (
	"strings"
	"testing"
	"time"

	"github.com/vigilsec/vigil/pkg/manifest"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func obj(t *testing.T, y string) *object.Object {
	t.Helper()
	res := manifest.Decode([]byte(y), manifest.Options{Path: "deploy/app.yaml"})
	if len(res.Objects) != 1 {
		t.Fatalf("want one object: %v", res.Errors)
	}
	return res.Objects[0]
}

func TestMatching(t *testing.T) {
	coredns := obj(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: coredns\n  namespace: kube-system\n  labels: {k8s-app: kube-dns, team: platform}\n")
	web := obj(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: coredns-web\n  namespace: shop\n  annotations: {owner: alice}\n")
	c57 := &policy.Control{ControlID: "C-0057", Name: "Privileged container"}
	c34 := &policy.Control{ControlID: "C-0034", Name: "Automatic mapping of service account"}

	cases := []struct {
		name      string
		json      string
		o         *object.Object
		c         *policy.Control
		fws       []string
		wantMatch bool
	}{
		{"name regex is anchored", `[{"name":"x","resources":[{"attributes":{"name":"coredns"}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, web, c57, nil, false},
		{"name regex matches whole name", `[{"name":"x","resources":[{"attributes":{"name":"coredns.*"}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, web, c57, nil, true},
		{"case-insensitive", `[{"name":"x","resources":[{"attributes":{"kind":"deployment","namespace":"KUBE-SYSTEM"}}],"posturePolicies":[{"controlID":"c-0057"}]}]`, coredns, c57, nil, true},
		{"all attributes must match", `[{"name":"x","resources":[{"attributes":{"namespace":"kube-system","name":"other"}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, coredns, c57, nil, false},
		{"any resource may match", `[{"name":"x","resources":[{"attributes":{"name":"nope"}},{"attributes":{"name":"coredns"}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, coredns, c57, nil, true},
		{"unknown attribute is a label", `[{"name":"x","resources":[{"attributes":{"k8s-app":"kube-.*"}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, coredns, c57, nil, true},
		{"labels map", `[{"name":"x","resources":[{"attributes":{"labels":{"team":"platform"}}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, coredns, c57, nil, true},
		{"missing label does not match", `[{"name":"x","resources":[{"attributes":{"labels":{"team":"platform"}}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, web, c57, nil, false},
		{"annotations map", `[{"name":"x","resources":[{"attributes":{"annotations":{"owner":"al.*"}}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, web, c57, nil, true},
		{"source path", `[{"name":"x","resources":[{"attributes":{"path":"deploy/.*"}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, web, c57, nil, true},
		{"other control", `[{"name":"x","resources":[{"attributes":{"name":"coredns"}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, coredns, c34, nil, false},
		{"by control name", `[{"name":"x","resources":[{"attributes":{"name":"coredns"}}],"posturePolicies":[{"controlName":"automatic mapping.*"}]}]`, coredns, c34, nil, true},
		{"framework scope", `[{"name":"x","resources":[{"attributes":{"name":"coredns"}}],"posturePolicies":[{"frameworkName":"NSA"}]}]`, coredns, c34, []string{"nsa"}, true},
		{"framework scope excludes other frameworks", `[{"name":"x","resources":[{"attributes":{"name":"coredns"}}],"posturePolicies":[{"frameworkName":"NSA"}]}]`, coredns, c34, []string{"security"}, false},
		{"framework and control together", `[{"name":"x","resources":[{"attributes":{"name":"coredns"}}],"posturePolicies":[{"frameworkName":"nsa","controlID":"C-0057"}]}]`, coredns, c34, []string{"nsa"}, false},
		{"expired", `[{"name":"x","expirationDate":"2026-01-01T00:00:00Z","resources":[{"attributes":{"name":"coredns"}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, coredns, c57, nil, false},
		{"not yet expired", `[{"name":"x","expirationDate":"2027-01-01","resources":[{"attributes":{"name":"coredns"}}],"posturePolicies":[{"controlID":"C-0057"}]}]`, coredns, c57, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse([]byte(tc.json), now)
			if err != nil {
				t.Fatal(err)
			}
			got := s.Except(tc.o, tc.c, tc.fws)
			if (got != nil) != tc.wantMatch {
				t.Errorf("match = %v, want %v", got != nil, tc.wantMatch)
			}
		})
	}
}

func TestInlineAnnotations(t *testing.T) {
	o := obj(t, `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    vigil.dev/skip-controls: "C-0017, C-0034"
    vigil.dev/skip-reason: writes its cache to the root filesystem
    vigil.dev/skip-until: "2026-12-31"
`)
	var s *Set
	ex := s.Except(o, &policy.Control{ControlID: "C-0017"}, nil)
	if ex == nil || ex.Reason != "writes its cache to the root filesystem" || ex.Source != "annotation" {
		t.Fatalf("got %+v", ex)
	}
	if s.Except(o, &policy.Control{ControlID: "C-0057"}, nil) != nil {
		t.Error("a control not listed must not be excepted")
	}
	late, _ := Parse([]byte("[]"), time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC))
	if late.Except(o, &policy.Control{ControlID: "C-0017"}, nil) != nil {
		t.Error("an expired inline exception must not apply")
	}
}

func TestAuditAndErrors(t *testing.T) {
	s, err := Parse([]byte(`[
		{"name":"used","resources":[{"attributes":{"name":"p"}}],"posturePolicies":[{"controlID":"C-1"}]},
		{"name":"unused","resources":[{"attributes":{"name":"zzz"}}],"posturePolicies":[{"controlID":"C-1"}]},
		{"name":"old","expirationDate":"2020-01-01","resources":[{"attributes":{"name":"p"}}],"posturePolicies":[{"controlID":"C-1"}]}
	]`), now)
	if err != nil {
		t.Fatal(err)
	}
	s.Except(obj(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"), &policy.Control{ControlID: "C-1"}, nil)
	audit := strings.Join(s.Audit(), "\n")
	if !strings.Contains(audit, `"unused" matched no failure`) || !strings.Contains(audit, `"old" expired on 2020-01-01`) || strings.Contains(audit, `"used"`) {
		t.Errorf("audit:\n%s", audit)
	}
	for _, bad := range []string{
		`[{"name":"x","resources":[{"attributes":{"name":"("}}]}]`,
		`[{"name":"x","resources":[]}]`,
		`[{"name":"x","actions":["delete"],"resources":[{"attributes":{"name":"a"}}]}]`,
		`[{"name":"x","expirationDate":"someday","resources":[{"attributes":{"name":"a"}}]}]`,
	} {
		if _, err := Parse([]byte(bad), now); err == nil {
			t.Errorf("want an error for %s", bad)
		}
	}
}
