package policy

import "testing"

func TestAppliesTo(t *testing.T) {
	host := &Control{ControlID: "H", ScanningScope: &ScanningScope{Matches: []string{"cluster", "file"}}, Rules: []*Rule{
		{Match: []Match{{APIGroups: []string{HostDataGroup}, APIVersions: []string{"v1beta0"}, Resources: []string{"KubeletInfo"}}}},
	}}
	mixed := &Control{ControlID: "M", ScanningScope: &ScanningScope{Matches: []string{"cluster", "file"}}, Rules: []*Rule{
		{Match: []Match{{APIGroups: []string{HostDataGroup}, Resources: []string{"KubeletInfo"}}, {APIGroups: []string{""}, Resources: []string{"Pod"}}}},
	}}
	kubescapeHost := &Control{ControlID: "K", ScanningScope: &ScanningScope{Matches: []string{"cluster"}}, Rules: []*Rule{
		{DynamicMatch: []Match{{APIGroups: []string{HostDataGroup}, Resources: []string{"ControlPlaneInfo"}}}},
	}}
	workload := &Control{ControlID: "W", ScanningScope: &ScanningScope{Matches: []string{"cluster", "file"}}, Rules: []*Rule{
		{Match: []Match{{APIGroups: []string{"apps"}, Resources: []string{"Deployment"}}}},
	}}
	none := &Control{ControlID: "N"}
	for _, tc := range []struct {
		c                     *Control
		file, cluster, onHost bool
	}{
		{host, false, true, true},
		{kubescapeHost, false, true, true},
		{mixed, true, true, false},
		{workload, true, true, false},
		{none, true, true, true},
	} {
		if got := [3]bool{tc.c.AppliesTo("file"), tc.c.AppliesTo("cluster"), tc.c.AppliesTo("host")}; got != [3]bool{tc.file, tc.cluster, tc.onHost} {
			t.Errorf("%s: applies to file, cluster, host = %v", tc.c.ControlID, got)
		}
	}
}
