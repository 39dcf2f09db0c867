// Package cluster is the source for live clusters: it lists, through the
// API server, only the kinds the loaded rules match, page by page and a few
// kinds at a time, and turns what it may not list into an honest account
// (which kind, which verb) instead of a silent gap.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/vigilsec/vigil/pkg/hostsensor"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

// Kind is a kind the rules need, as their matches name it ("*" wildcards).
type Kind struct {
	Groups []string
	Kind   string
}

// Options configure a cluster scan.
type Options struct {
	// Kubeconfig is the kubeconfig file; empty means $KUBECONFIG, then
	// ~/.kube/config, then the in-cluster service account.
	Kubeconfig string
	// Context selects a kubeconfig context (the current one when empty).
	Context string
	// Kinds are what to list. A kind no rule matches is never listed.
	Kinds []Kind
	// Namespaces filter namespaced objects. With Include set, namespaced
	// kinds are listed namespace by namespace, so a user allowed only in
	// those namespaces can scan them.
	Namespaces source.NamespaceFilter
	// LabelSelector limits what is listed.
	LabelSelector string
	// PageSize is the number of objects per LIST request (500 when 0).
	PageSize int64
	// Concurrency bounds the LIST requests in flight (4 when 0).
	Concurrency int
	// QPS and Burst bound the request rate (50 and 100 when 0).
	QPS   float32
	Burst int
	// Getenv reads KUBECONFIG (os.Getenv when nil).
	Getenv func(string) string
	// HostSensor, when set, adds the nodes' host objects, fetched from the
	// host sensor DaemonSet through the API server's pod proxy.
	HostSensor *hostsensor.GatherOptions
}

// Source lists a cluster.
type Source struct {
	Options
	// Requests counts the API calls the last Load made.
	Requests atomic.Int64
	// ClusterName is the kubeconfig context's cluster, once loaded.
	ClusterName string
	config      *rest.Config
	warnings    warnings
}

// warnings collects the API server's distinct warnings.
type warnings struct {
	mu   sync.Mutex
	seen []string
}

func (w *warnings) HandleWarningHeader(code int, agent, text string) {
	if code != 299 || text == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !slices.Contains(w.seen, text) {
		w.seen = append(w.seen, text)
	}
}

// Load lists the cluster. It fails when the cluster cannot be reached or
// discovery fails; a kind that cannot be listed is reported in the
// inventory's Unavailable list and the rest is scanned.
func (s *Source) Load(ctx context.Context) (*source.Inventory, error) {
	cfg, name, err := s.restConfig()
	if err != nil {
		return nil, err
	}
	s.ClusterName = name
	dc, dyn, err := clients(ctx, cfg)
	if err != nil {
		return nil, err
	}
	inv := &source.Inventory{Target: source.TargetCluster, Roots: []string{name}}
	version, err := dc.ServerVersion()
	if err != nil {
		return nil, fmt.Errorf("connect to the cluster %q: %w", name, err)
	}
	resources, err := s.resolve(dc, inv)
	if err != nil {
		return nil, err
	}
	objects := s.listAll(ctx, dyn, resources, inv)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("listing the cluster: %w", err)
	}
	s.warnings.mu.Lock()
	for _, w := range slices.Sorted(slices.Values(s.warnings.seen)) {
		inv.Notes = append(inv.Notes, source.Note{Message: "API server warning: " + w})
	}
	s.warnings.mu.Unlock()
	objects = collapseOwned(objects, inv)
	inv.Objects = objects
	facts := s.facts(ctx, dyn, version.GitVersion, objects, inv)
	inv.Objects = append(inv.Objects, facts)
	if s.HostSensor != nil {
		inv.Objects = append(inv.Objects, s.gatherHosts(ctx, cfg, dyn, inv)...)
	}
	sort.SliceStable(inv.Objects, func(i, j int) bool { return lessObject(inv.Objects[i], inv.Objects[j]) })
	return inv, nil
}

// restConfig builds the client configuration from kubeconfig or, when
// there is none, the pod's service account.
func (s *Source) restConfig() (*rest.Config, string, error) {
	if s.config != nil {
		return s.config, s.ClusterName, nil
	}
	getenv := s.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = s.Kubeconfig
	if s.Kubeconfig == "" {
		if env := getenv("KUBECONFIG"); env != "" {
			rules.Precedence = filepath.SplitList(env)
		}
	}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: s.Context}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
	cfg, err := cc.ClientConfig()
	name := s.Context
	if err != nil {
		if s.Kubeconfig != "" || s.Context != "" || !clientcmd.IsEmptyConfig(err) {
			return nil, "", fmt.Errorf("kubeconfig: %w", err)
		}
		ic, icErr := rest.InClusterConfig()
		if icErr != nil {
			return nil, "", fmt.Errorf("no kubeconfig found and not running in a cluster: give --kubeconfig or set KUBECONFIG (%v)", icErr)
		}
		cfg, name = ic, "in-cluster"
	} else if name == "" {
		if raw, err := cc.RawConfig(); err == nil {
			name = raw.CurrentContext
		}
	}
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = s.QPS, s.Burst
	if cfg.QPS == 0 {
		cfg.QPS = 50
	}
	if cfg.Burst == 0 {
		cfg.Burst = 100
	}
	cfg.UserAgent = "vigil"
	// The server's warnings (deprecated APIs ...) become notes of the
	// report instead of log lines on stderr.
	cfg.WarningHandler = &s.warnings
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return counter{rt, &s.Requests} })
	s.config = cfg
	return cfg, name, nil
}

// clients makes the discovery and dynamic clients. Discovery calls take
// no context, so their requests get the time left before the context's
// deadline as a timeout; the lists are bounded by the context itself.
func clients(ctx context.Context, cfg *rest.Config) (discovery.DiscoveryInterface, dynamic.Interface, error) {
	dcfg := cfg
	if deadline, ok := ctx.Deadline(); ok {
		dcfg = rest.CopyConfig(cfg)
		dcfg.Timeout = max(time.Until(deadline), time.Millisecond)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(dcfg)
	if err != nil {
		return nil, nil, fmt.Errorf("discovery client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("dynamic client: %w", err)
	}
	// Discovery answers are asked once per scan and reused.
	return memory.NewMemCacheClient(dc), dyn, nil
}

// counter counts requests to the API server.
type counter struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (c counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// resource is one API resource to list.
type resource struct {
	gvr        schema.GroupVersionResource
	kind       string
	namespaced bool
}

// resolve maps the kinds the rules need to the resources the server
// serves, in their preferred version.
func (s *Source) resolve(dc discovery.DiscoveryInterface, inv *source.Inventory) ([]resource, error) {
	lists, err := dc.ServerPreferredResources()
	if err != nil && len(lists) == 0 {
		return nil, fmt.Errorf("discover the API: %w", err)
	}
	if err != nil {
		// Some aggregated APIs did not answer; the rest is usable.
		inv.Notes = append(inv.Notes, source.Note{Message: "part of the API could not be discovered: " + err.Error()})
	}
	var out []resource
	seen := map[schema.GroupVersionResource]bool{}
	for _, l := range lists {
		gv, err := schema.ParseGroupVersion(l.GroupVersion)
		if err != nil {
			continue
		}
		for _, r := range l.APIResources {
			if strings.Contains(r.Name, "/") || !slices.Contains(r.Verbs, "list") || !s.wanted(gv.Group, r.Kind) {
				continue
			}
			gvr := gv.WithResource(r.Name)
			if seen[gvr] {
				continue
			}
			seen[gvr] = true
			out = append(out, resource{gvr: gvr, kind: r.Kind, namespaced: r.Namespaced})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].gvr.String() < out[j].gvr.String() })
	return out, nil
}

func (s *Source) wanted(group, kind string) bool {
	for _, k := range s.Kinds {
		if k.Kind != kind && k.Kind != "*" {
			continue
		}
		if slices.Contains(k.Groups, "*") || slices.Contains(k.Groups, group) {
			return true
		}
	}
	return false
}

// listAll lists every resource, a bounded number at a time.
func (s *Source) listAll(ctx context.Context, dyn dynamic.Interface, resources []resource, inv *source.Inventory) []*object.Object {
	conc := s.Concurrency
	if conc <= 0 {
		conc = 4
	}
	type job struct {
		r  resource
		ns string
	}
	var jobs []job
	for _, r := range resources {
		if r.namespaced && len(s.Namespaces.Include) > 0 {
			for _, ns := range s.Namespaces.Include {
				jobs = append(jobs, job{r, ns})
			}
			continue
		}
		jobs = append(jobs, job{r, ""})
	}
	var (
		mu      sync.Mutex
		objects []*object.Object
		wg      sync.WaitGroup
		sem     = make(chan struct{}, conc)
	)
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			objs, err := s.list(ctx, dyn, j.r, j.ns)
			mu.Lock()
			defer mu.Unlock()
			objects = append(objects, objs...)
			if err != nil {
				inv.Unavailable = append(inv.Unavailable, unavailable(j.r, j.ns, err))
			}
		})
	}
	wg.Wait()
	return objects
}

// list lists one resource, page by page, keeping what passes the filters.
func (s *Source) list(ctx context.Context, dyn dynamic.Interface, r resource, ns string) ([]*object.Object, error) {
	page := s.PageSize
	if page <= 0 {
		page = 500
	}
	var out []*object.Object
	opts := metav1.ListOptions{Limit: page, LabelSelector: s.LabelSelector}
	for {
		var l *unstructured.UnstructuredList
		var err error
		if r.namespaced && ns != "" {
			l, err = dyn.Resource(r.gvr).Namespace(ns).List(ctx, opts)
		} else {
			l, err = dyn.Resource(r.gvr).List(ctx, opts)
		}
		if err != nil {
			return out, err
		}
		for i := range l.Items {
			o, err := convert(l.Items[i].Object, r)
			if err != nil {
				continue
			}
			if s.Namespaces.Keep(o) {
				out = append(out, o)
			}
		}
		if l.GetContinue() == "" {
			return out, nil
		}
		opts.Continue = l.GetContinue()
	}
}

// convert turns a listed object into an object for the rules. Fields that
// no rule judges and that only take memory are dropped: managedFields and
// the last-applied-configuration copy of the whole object.
func convert(m map[string]any, r resource) (*object.Object, error) {
	if md, ok := m["metadata"].(map[string]any); ok {
		delete(md, "managedFields")
		if ann, ok := md["annotations"].(map[string]any); ok {
			delete(ann, "kubectl.kubernetes.io/last-applied-configuration")
			if len(ann) == 0 {
				delete(md, "annotations")
			}
		}
	}
	if _, ok := m["apiVersion"]; !ok {
		m["apiVersion"] = r.gvr.GroupVersion().String()
	}
	if _, ok := m["kind"]; !ok {
		m["kind"] = r.kind
	}
	v, err := ast.InterfaceToValue(m)
	if err != nil {
		return nil, err
	}
	return object.New(v, object.Source{Kind: "cluster"})
}

// unavailable records a kind that could not be listed, and why.
func unavailable(r resource, ns string, err error) source.Unavailable {
	u := source.Unavailable{Group: r.gvr.Group, Version: r.gvr.Version, Kind: r.kind, Resource: r.gvr.Resource, Namespace: ns, Verb: "list"}
	var status apierrors.APIStatus
	switch {
	case apierrors.IsForbidden(err) && r.namespaced && ns == "":
		u.Reason = "forbidden: the user may not list " + u.Resource + " in all namespaces (with --include-namespaces Vigil lists namespace by namespace)"
	case apierrors.IsForbidden(err):
		u.Reason = "forbidden: the user may not list " + u.Resource
	case errors.Is(err, context.DeadlineExceeded):
		u.Reason = "timed out"
	case errors.As(err, &status):
		u.Reason = status.Status().Message
	default:
		u.Reason = err.Error()
	}
	return u
}

func lessObject(a, b *object.Object) bool {
	if a.ID.Namespace != b.ID.Namespace {
		return a.ID.Namespace < b.ID.Namespace
	}
	if a.ID.Kind != b.ID.Kind {
		return a.ID.Kind < b.ID.Kind
	}
	return a.ID.Name < b.ID.Name
}
