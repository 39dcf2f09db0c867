package hostsensor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func sensorPod(node string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"metadata": map[string]any{"name": "sensor-abc", "namespace": "vigil"},
		"spec":     map[string]any{"nodeName": node},
		"status":   map[string]any{"phase": "Running"},
	}}
}

// fetchFrom asks a fake API server proxy that answers with body.
func fetchFrom(t *testing.T, body string, o GatherOptions) (*Collection, error) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(TokenHeader) != testToken {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	return fetch(context.Background(), srv.Client(), srv.URL, sensorPod("node-1"), testToken, o.WithDefaults())
}

// A sensor speaks for the node its pod runs on, and only with host data:
// a compromised node must not be able to pose as another node (hiding the
// real one's findings) or add cluster objects (a Deployment, a
// ClusterRoleBinding) to the scan.
func TestFetchTrustsOnlyHostDataOfItsNode(t *testing.T) {
	answer := func(node string, objs ...map[string]any) string {
		b, _ := json.Marshal(Collection{Node: node, Objects: objs, CollectedAt: time.Now()})
		return string(b)
	}
	hostObj := func(name string) map[string]any {
		return map[string]any{"apiVersion": "hostdata.kubescape.cloud/v1beta0", "kind": "KubeletInfo", "metadata": map[string]any{"name": name}, "data": map[string]any{}}
	}
	col, err := fetchFrom(t, answer("control-plane-1", hostObj("control-plane-1")), GatherOptions{})
	if err == nil && (col.Node != "node-1" || col.Objects[0]["metadata"].(map[string]any)["name"] != "node-1") {
		t.Errorf("the sensor on node-1 spoke for %s (objects %v)", col.Node, col.Objects)
	}
	bad := map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": map[string]any{"name": "x"}}
	if col, err := fetchFrom(t, answer("node-1", hostObj("node-1"), bad), GatherOptions{}); err == nil {
		for _, o := range col.Objects {
			if o["kind"] == "ClusterRoleBinding" {
				t.Error("a sensor added a cluster object to the scan")
			}
		}
	}
}

func TestFetchBounded(t *testing.T) {
	_, err := fetchFrom(t, `{"node":"node-1","objects":[],"notes":["`+strings.Repeat("x", 4096)+`"]}`, GatherOptions{MaxBytes: 1024})
	if err == nil || !strings.Contains(err.Error(), "larger than 1024 bytes") {
		t.Errorf("an oversized answer was accepted: %v", err)
	}
}
