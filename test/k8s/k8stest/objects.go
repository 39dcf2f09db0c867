package k8stest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"
)

// ControllerAnnotation on an object names (Kind/name, same namespace) an
// object created before it that Create makes its controlling owner, with
// the real UID, as a controller manager would.
const ControllerAnnotation = "test.vigil.dev/controller"

// Client creates objects of any kind the server serves.
type Client struct {
	dyn    dynamic.Interface
	mapper meta.ResettableRESTMapper
}

// NewClient connects with a kubeconfig context ("" for the current one).
func NewClient(kubeconfig, context string) (*Client, error) {
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: context}).ClientConfig()
	if err != nil {
		return nil, err
	}
	// Loading a corpus creates thousands of objects; the server's
	// deprecation warnings about test data are noise.
	cfg.QPS, cfg.Burst = 1000, 2000
	cfg.WarningHandler = rest.NoWarnings{}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{dyn: dyn, mapper: restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))}, nil
}

// CreateStream creates the objects of a YAML stream in order, setting
// owners named by ControllerAnnotation.
func (c *Client) CreateStream(ctx context.Context, data []byte) error {
	created := map[string]*unstructured.Unstructured{}
	for _, doc := range splitYAML(data) {
		obj, err := parse(doc)
		if err != nil || obj == nil {
			return err
		}
		if owner, ok := obj.GetAnnotations()[ControllerAnnotation]; ok {
			o := created[obj.GetNamespace()+"/"+owner]
			if o == nil {
				return fmt.Errorf("%s: owner %s not created before it", obj.GetName(), owner)
			}
			obj.SetOwnerReferences([]metav1.OwnerReference{{
				APIVersion: o.GetAPIVersion(), Kind: o.GetKind(), Name: o.GetName(), UID: o.GetUID(),
				Controller: new(true),
			}})
		}
		got, err := c.Create(ctx, obj)
		if err != nil {
			return fmt.Errorf("%s %s: %w", obj.GetKind(), obj.GetName(), err)
		}
		created[obj.GetNamespace()+"/"+obj.GetKind()+"/"+obj.GetName()] = got
	}
	return nil
}

// LoadResult counts what LoadDir created and why the rest was rejected.
type LoadResult struct {
	Created  int
	Rejected map[string]int
}

func (r LoadResult) String() string {
	n := 0
	var reasons []string
	for reason, k := range r.Rejected {
		n += k
		reasons = append(reasons, fmt.Sprintf("%d× %s", k, reason))
	}
	sort.Strings(reasons)
	s := fmt.Sprintf("%d objects created", r.Created)
	if n > 0 {
		s += fmt.Sprintf(", %d rejected: %s", n, strings.Join(reasons, "; "))
	}
	return s
}

// LoadDir creates every object of the YAML files under dir, Namespaces
// first, then the rest sixteen at a time. Objects the server rejects are
// counted by reason, not fatal: corpora written for linters hold objects
// admission refuses.
func (c *Client) LoadDir(ctx context.Context, dir string) (LoadResult, error) {
	var namespaces, docs []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || (!strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, doc := range splitYAML(data) {
			if nsDoc.MatchString(doc) {
				namespaces = append(namespaces, doc)
			} else {
				docs = append(docs, doc)
			}
		}
		return nil
	})
	res := LoadResult{Rejected: map[string]int{}}
	if err != nil {
		return res, err
	}
	var mu sync.Mutex
	create := func(doc string) {
		obj, err := parse(doc)
		if err == nil && obj != nil {
			_, err = c.Create(ctx, obj)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			res.Rejected[reason(err)]++
		} else if obj != nil {
			res.Created++
		}
	}
	for _, doc := range namespaces {
		create(doc)
	}
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for _, doc := range docs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			create(doc)
		})
	}
	wg.Wait()
	return res, ctx.Err()
}

var index = regexp.MustCompile(`\[\d+\]`)

var nsDoc = regexp.MustCompile(`(?m)^kind: Namespace\s*$`)

// reason shortens an API error to its kind of problem, without names.
func reason(err error) string {
	switch {
	case apierrors.IsAlreadyExists(err):
		return "already exists"
	case apierrors.IsInvalid(err):
		var causes []string
		if s, ok := err.(apierrors.APIStatus); ok && s.Status().Details != nil {
			for _, c := range s.Status().Details.Causes {
				c := index.ReplaceAllString(c.Field, "[*]") + ": " + string(c.Type)
				if !slices.Contains(causes, c) {
					causes = append(causes, c)
				}
			}
		}
		sort.Strings(causes)
		return "invalid (" + strings.Join(causes, ", ") + ")"
	}
	return err.Error()
}

func splitYAML(data []byte) []string {
	var out []string
	for _, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1) {
		if strings.TrimSpace(doc) != "" {
			out = append(out, doc)
		}
	}
	return out
}

func parse(doc string) (*unstructured.Unstructured, error) {
	var obj unstructured.Unstructured
	if err := yaml.Unmarshal([]byte(doc), &obj.Object); err != nil {
		return nil, err
	}
	if obj.Object == nil {
		return nil, nil
	}
	return &obj, nil
}

// Create creates one object (in namespace "default" when a namespaced
// object names none); after a CRD it waits until the new kind is served.
func (c *Client) Create(ctx context.Context, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	gvk := obj.GroupVersionKind()
	var mapping *meta.RESTMapping
	err := retry(ctx, func() error {
		var err error
		if mapping, err = c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
			c.mapper.Reset()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	var ri dynamic.ResourceInterface = c.dyn.Resource(mapping.Resource)
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		ns := obj.GetNamespace()
		if ns == "" {
			ns = "default"
		}
		ri = c.dyn.Resource(mapping.Resource).Namespace(ns)
	}
	created, err := ri.Create(ctx, obj, metav1.CreateOptions{})
	if err != nil || gvk.Kind != "CustomResourceDefinition" {
		return created, err
	}
	return created, retry(ctx, func() error {
		got, err := ri.Get(ctx, obj.GetName(), metav1.GetOptions{})
		if err != nil {
			return err
		}
		conds, _, _ := unstructured.NestedSlice(got.Object, "status", "conditions")
		for _, cond := range conds {
			if cond, _ := cond.(map[string]any); cond["type"] == "Established" && cond["status"] == "True" {
				return nil
			}
		}
		return fmt.Errorf("CRD %s not established", obj.GetName())
	})
}

func retry(ctx context.Context, f func() error) error {
	var err error
	for range 100 {
		if err = f(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
	return err
}

// SetPodStatus sets a pod's status as a kubelet would: there is no kubelet
// in the test cluster, so a test that needs a running pod (one the API
// server's pod proxy reaches at ip) says so itself.
func (c *Client) SetPodStatus(ctx context.Context, namespace, name, phase, ip string) error {
	pods := c.dyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "pods"}).Namespace(namespace)
	pod, err := pods.Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	status := map[string]any{"phase": phase}
	if ip != "" {
		status["podIP"] = ip
		status["podIPs"] = []any{map[string]any{"ip": ip}}
	}
	pod.Object["status"] = status
	_, err = pods.UpdateStatus(ctx, pod, metav1.UpdateOptions{})
	return err
}
