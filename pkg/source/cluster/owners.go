package cluster

import (
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/source"
)

// ownerKinds are the controllers whose children are judged at the owner:
// the pod template a finding points at is the owner's, and a fix applies
// there. A Deployment's ReplicaSets and their Pods, a CronJob's Jobs and
// their Pods, a DaemonSet's or StatefulSet's Pods.
var ownerKinds = map[string]bool{
	"Deployment": true, "ReplicaSet": true, "StatefulSet": true, "DaemonSet": true,
	"Job": true, "CronJob": true, "ReplicationController": true,
}

// collapseOwned drops objects whose controller is among the listed
// objects. An object whose owner was not listed (filtered out, or not
// allowed) is kept: it must be judged somewhere.
func collapseOwned(objects []*object.Object, inv *source.Inventory) []*object.Object {
	uids := map[string]bool{}
	for _, o := range objects {
		if ownerKinds[o.ID.Kind] {
			if uid := metaString(o, "uid"); uid != "" {
				uids[uid] = true
			}
		}
	}
	out := objects[:0]
	dropped := 0
	for _, o := range objects {
		if uid := controllerUID(o); uid != "" && uids[uid] {
			dropped++
			continue
		}
		out = append(out, o)
	}
	if dropped > 0 {
		inv.Notes = append(inv.Notes, source.Note{Message: itoa(dropped) + " objects owned by a listed controller (Pods of ReplicaSets, ReplicaSets of Deployments, Jobs of CronJobs ...) are judged at their owner"})
	}
	return out
}

// controllerUID is the UID of the object's controlling owner, if any.
func controllerUID(o *object.Object) string {
	md, _ := field(o.Value, "metadata").(ast.Object)
	refs, _ := field(md, "ownerReferences").(*ast.Array)
	if refs == nil {
		return ""
	}
	uid := ""
	refs.Foreach(func(t *ast.Term) {
		ref, ok := t.Value.(ast.Object)
		if !ok || field(ref, "controller") != ast.Boolean(true) {
			return
		}
		if k, _ := field(ref, "kind").(ast.String); ownerKinds[string(k)] {
			u, _ := field(ref, "uid").(ast.String)
			uid = string(u)
		}
	})
	return uid
}

func metaString(o *object.Object, key string) string {
	md, _ := field(o.Value, "metadata").(ast.Object)
	s, _ := field(md, key).(ast.String)
	return string(s)
}

// field reads a key of a Rego object; nil when v is not an object or has
// no such key.
func field(v ast.Value, key string) ast.Value {
	o, ok := v.(ast.Object)
	if !ok || o == nil {
		return nil
	}
	t := o.Get(ast.StringTerm(key))
	if t == nil {
		return nil
	}
	return t.Value
}

func itoa(n int) string { return strconv.Itoa(n) }
