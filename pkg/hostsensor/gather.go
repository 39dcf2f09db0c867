package hostsensor

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/vigilsec/vigil/pkg/source/host"
)

// GatherOptions locate the sensors; zero values mean the defaults of the
// deploy/ manifests.
type GatherOptions struct {
	Namespace string
	Selector  string
	// Port is the sensor's port when its pods do not name one (a container
	// port named "https").
	Port int
	// Secret names the Secret holding the token (key "token"); Token, when
	// set, is used instead and no Secret is read.
	Secret string
	Token  string
	// Concurrency bounds the nodes asked at once (4 when 0); Timeout bounds
	// each node's answer (30s when 0).
	Concurrency int
	Timeout     time.Duration
	// MaxBytes bounds each answer (32 MiB when 0).
	MaxBytes int64
}

// WithDefaults fills in the defaults of the deploy/ manifests.
func (o GatherOptions) WithDefaults() GatherOptions {
	if o.Namespace == "" {
		o.Namespace = DefaultNamespace
	}
	if o.Selector == "" {
		o.Selector = DefaultSelector
	}
	if o.Port == 0 {
		o.Port = DefaultPort
	}
	if o.Secret == "" {
		o.Secret = DefaultSecret
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 32 << 20
	}
	return o
}

// Gathered is what the sensors gave.
type Gathered struct {
	// Collections are the nodes that answered, sorted by node name.
	Collections []*Collection
	// Pods is the number of sensor pods found.
	Pods int
	// Problems say, per pod, why a node gave nothing.
	Problems []string
}

var (
	podsGVR    = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	secretsGVR = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
)

// Gather asks every sensor pod for its node's collection through the API
// server's pod proxy. It fails when the pods cannot be listed or the token
// cannot be read (a scan cannot have host data then, which the caller
// reports as a coverage gap); a pod that does not answer is a problem, and
// the other nodes still count.
func Gather(ctx context.Context, cfg *rest.Config, dyn dynamic.Interface, opts GatherOptions) (*Gathered, error) {
	o := opts.WithDefaults()
	pods, err := dyn.Resource(podsGVR).Namespace(o.Namespace).List(ctx, metav1.ListOptions{LabelSelector: o.Selector})
	if err != nil {
		return nil, fmt.Errorf("list host sensor pods in namespace %s (%s): %w", o.Namespace, o.Selector, explain(err, "list pods"))
	}
	g := &Gathered{Pods: len(pods.Items)}
	if len(pods.Items) == 0 {
		return nil, fmt.Errorf("no host sensor pods in namespace %s match %s: deploy deploy/host-sensor (docs/HOST.md)", o.Namespace, o.Selector)
	}
	token := o.Token
	if token == "" {
		if token, err = readToken(ctx, dyn, o); err != nil {
			return nil, err
		}
	}
	client, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("host sensor client: %w", err)
	}
	base := strings.TrimRight(cfg.Host, "/")
	if !strings.Contains(base, "://") {
		base = "https://" + base
	}

	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, o.Concurrency)
	for _, pod := range pods.Items {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			col, err := fetch(ctx, client, base, &pod, token, o)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				g.Problems = append(g.Problems, err.Error())
				return
			}
			g.Collections = append(g.Collections, col)
		})
	}
	wg.Wait()
	slices.SortFunc(g.Collections, func(a, b *Collection) int { return strings.Compare(a.Node, b.Node) })
	slices.Sort(g.Problems)
	return g, nil
}

func readToken(ctx context.Context, dyn dynamic.Interface, o GatherOptions) (string, error) {
	sec, err := dyn.Resource(secretsGVR).Namespace(o.Namespace).Get(ctx, o.Secret, metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("read the host sensor token from Secret %s/%s: %w", o.Namespace, o.Secret, explain(err, "get secrets"))
	}
	enc, _, _ := unstructured.NestedString(sec.Object, "data", "token")
	tok, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(tok) == 0 {
		// Never the value: only that it is unusable.
		return "", fmt.Errorf("the Secret %s/%s has no usable data.token", o.Namespace, o.Secret)
	}
	return strings.TrimSpace(string(tok)), nil
}

func fetch(ctx context.Context, client *http.Client, base string, pod *unstructured.Unstructured, token string, o GatherOptions) (*Collection, error) {
	name := pod.GetName()
	node, _, _ := unstructured.NestedString(pod.Object, "spec", "nodeName")
	phase, _, _ := unstructured.NestedString(pod.Object, "status", "phase")
	where := "host sensor pod " + o.Namespace + "/" + name
	if node != "" {
		where += " (node " + node + ")"
	}
	if phase != "Running" {
		return nil, fmt.Errorf("%s: not running (phase %q)", where, phase)
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	u := base + "/api/v1/namespaces/" + url.PathEscape(o.Namespace) + "/pods/" +
		url.PathEscape("https:"+name+":"+strconv.Itoa(sensorPort(pod, o.Port))) + "/proxy" + Path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	req.Header.Set(TokenHeader, token)
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, o.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read the answer: %w", where, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return nil, fmt.Errorf("%s: the sensor rejected the token (is Secret %s the one the DaemonSet mounts?)", where, o.Secret)
	case resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("%s: forbidden: the user may not get pods/proxy in namespace %s", where, o.Namespace)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%s: HTTP %d: %s", where, resp.StatusCode, firstLine(body))
	case int64(len(body)) > o.MaxBytes:
		return nil, fmt.Errorf("%s: answer larger than %d bytes", where, o.MaxBytes)
	}
	var col Collection
	if err := json.Unmarshal(body, &col); err != nil {
		return nil, fmt.Errorf("%s: malformed answer: %w", where, err)
	}
	// The API server says which node the pod runs on; the answer is
	// trusted for that node only, and only as host data: a sensor on a
	// compromised node must neither pose as another node nor add cluster
	// objects to the scan.
	if node != "" {
		col.Node = node
	}
	objs := col.Objects[:0]
	dropped := 0
	for _, m := range col.Objects {
		if av, _ := m["apiVersion"].(string); !strings.HasPrefix(av, host.Group+"/") {
			dropped++
			continue
		}
		if node != "" {
			md, _ := m["metadata"].(map[string]any)
			if md == nil {
				md = map[string]any{}
				m["metadata"] = md
			}
			md["name"] = node
		}
		objs = append(objs, m)
	}
	col.Objects = objs
	if dropped > 0 {
		col.Notes = append(col.Notes, fmt.Sprintf("%d objects that are not host data were ignored", dropped))
	}
	return &col, nil
}

// sensorPort is the pod's container port named "https", else def: a
// manifest that moves the port keeps working without a scan flag.
func sensorPort(pod *unstructured.Unstructured, def int) int {
	containers, _, _ := unstructured.NestedSlice(pod.Object, "spec", "containers")
	for _, c := range containers {
		cm, _ := c.(map[string]any)
		ports, _, _ := unstructured.NestedSlice(cm, "ports")
		for _, p := range ports {
			p, _ := p.(map[string]any)
			if n, ok := p["containerPort"].(int64); ok && p["name"] == "https" {
				return int(n)
			}
		}
	}
	return def
}

// explain names the missing permission of a forbidden call.
func explain(err error, verb string) error {
	if apierrors.IsForbidden(err) {
		return fmt.Errorf("forbidden: the user may not %s", verb)
	}
	return err
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
