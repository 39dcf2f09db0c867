package scan

import (
	"fmt"
	"testing"

	"github.com/vigilsec/vigil/pkg/policy"
)

func TestNeededKinds(t *testing.T) {
	rule := func(groups []string, kinds ...string) *policy.Rule {
		return &policy.Rule{Match: []policy.Match{{APIGroups: groups, APIVersions: []string{"*"}, Resources: kinds}}}
	}
	controls := []*policy.Control{
		{ControlID: "A", Rules: []*policy.Rule{rule([]string{"apps"}, "Deployment", "StatefulSet"), rule([]string{""}, "Pod")}},
		{ControlID: "B", Rules: []*policy.Rule{rule([]string{"apps", "extensions"}, "Deployment")}},
		// Host scanner data and Vigil's own facts are never listed.
		{ControlID: "C", Rules: []*policy.Rule{rule([]string{"hostdata.kubescape.cloud"}, "KubeletInfo"), rule([]string{"vigil.dev"}, "ClusterInfo")}},
		// A control for file scans only must not make the scan list
		// everything.
		{ControlID: "D", ScanningScope: &policy.ScanningScope{Matches: []string{"file"}}, Rules: []*policy.Rule{rule([]string{"*"}, "*")}},
	}
	got := fmt.Sprint(neededKinds(controls))
	want := "[{[apps extensions] Deployment} {[] Pod} {[apps] StatefulSet}]"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
