package yamledit

import (
	"fmt"
	"strings"
	"testing"
)

// benchFile is a 50-document file of Deployments, like a rendered chart.
func benchFile() []byte {
	var b strings.Builder
	for i := range 50 {
		fmt.Fprintf(&b, `---
# Source: app/templates/deployment-%d.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-%d
  labels:
    app.kubernetes.io/name: app-%d
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: app-%d
    spec:
      containers:
        - name: app
          image: "registry.example.com/app:%d"
          ports:
            - containerPort: 8080
          resources: {}
        - name: sidecar
          image: envoy:1.30
`, i, i, i, i, i)
	}
	return []byte(b.String())
}

// BenchmarkSet makes 100 edits (two per document: a nested insert and a
// replace) on a 50-document file, each on the result of the one before,
// as vigil fix does.
func BenchmarkSet(b *testing.B) {
	data := benchFile()
	ape, _ := ParsePath("spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation")
	img, _ := ParsePath("spec.template.spec.containers[1].image")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f := Parse(data)
		for doc := 1; doc <= 50; doc++ {
			var err error
			if f, _, err = f.Set(Address{Doc: doc}, ape, true, BoolValue(false)); err != nil {
				b.Fatal(err)
			}
			if f, _, err = f.Set(Address{Doc: doc}, img, true, StringValue("envoy:1.31")); err != nil {
				b.Fatal(err)
			}
		}
	}
}
