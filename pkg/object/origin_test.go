package object

import "testing"

func TestOriginMap(t *testing.T) {
	m := NewOriginMap(4)
	tmpl := Origin{Kind: OriginHelmTemplate, File: "t.yaml", Line: 3, Column: 5, Exact: true}
	vals := Origin{Kind: OriginHelmValues, File: "values.yaml", Line: 7, ValuesKey: "resources", Exact: true}
	m.Add("spec.containers[0].resources", vals, tmpl)
	m.Add("spec.containers[0]", tmpl)
	m.Add("", Origin{Kind: OriginHelmTemplate, File: "t.yaml", Line: 1, Exact: true})
	m.Add("ignored")
	if m.Len() != 3 || len(m.Paths()) != 3 || m.Paths()[0] != "" {
		t.Fatalf("len %d paths %v", m.Len(), m.Paths())
	}
	if got := m.Origins("spec.containers[0].resources"); len(got) != 2 || got[0] != vals {
		t.Errorf("origins = %v", got)
	}

	// A path that exists resolves to itself, exactly.
	os, found, ok := ResolveOrigins(m, "spec.containers[0].resources")
	if !ok || found != "spec.containers[0].resources" || !os[0].Exact {
		t.Errorf("exact: %v %s %v", os, found, ok)
	}
	// A field a fix would add resolves to its nearest parent, inexactly,
	// without changing the index.
	os, found, ok = ResolveOrigins(m, "spec.containers[0].resources.limits.memory")
	if !ok || found != "spec.containers[0].resources" || os[0].Exact || os[0].ValuesKey != "resources" {
		t.Errorf("parent: %v %s %v", os, found, ok)
	}
	if !m.Origins("spec.containers[0].resources")[0].Exact {
		t.Error("ResolveOrigins changed the index")
	}
	os, found, ok = ResolveOrigins(m, "spec.volumes[2].name")
	if !ok || found != "" || os[0].Line != 1 {
		t.Errorf("root: %v %q %v", os, found, ok)
	}
	if _, _, ok := ResolveOrigins(NewOriginMap(0), "a.b"); ok {
		t.Error("empty map resolved")
	}
	if _, _, ok := ResolveOrigins(nil, "a"); ok {
		t.Error("nil index resolved")
	}
	var nilMap *OriginMap
	if nilMap.Len() != 0 || nilMap.Origins("x") != nil || nilMap.Paths() != nil {
		t.Error("nil map")
	}
	m.RewriteFiles(func(f string) string { return "repo/" + f })
	if o := m.Origins("spec.containers[0].resources"); o[0].File != "repo/values.yaml" || o[1].File != "repo/t.yaml" {
		t.Errorf("rewrite: %v", o)
	}
	m.Set("spec.containers[0]", nil)
	if m.Origins("spec.containers[0]") != nil {
		t.Error("Set nil kept origins")
	}
}
