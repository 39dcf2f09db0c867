package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/vigilsec/vigil/pkg/scan"
	"github.com/vigilsec/vigil/pkg/source/host"
)

// hostFramework is what `vigil scan host` evaluates when no framework is
// named: the CIS benchmark holds the node checks.
const hostFramework = "cis"

func newHostCommand(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "host",
		Short: "Collect a node's Kubernetes and OS configuration (see also vigil scan host)",
	}
	var root, nodeName, format string
	collect := &cobra.Command{
		Use:   "collect",
		Short: "Print the host objects of this node, or of a directory mirroring one",
		Long: `Read the node's kubelet, control-plane, kube-proxy and CNI configuration
(command lines from /proc, static-pod manifests, configuration files with
their modes and owners) and operating-system facts (sysctls, os-release,
kernel, AppArmor/SELinux, listening ports), and print them as a List of
hostdata.kubescape.cloud/v1beta0 objects (docs/HOST-OBJECTS.md). Secrets
(keys, tokens, kubeconfigs) are described, never printed. The output can be
scanned later with vigil scan FILE.`,
		Example: `  sudo vigil host collect > node.json
  vigil host collect --root /mnt/node-image --node-name cp-1 --format yaml
  vigil scan node.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "json" && format != "yaml" {
				return usageErr("unknown format %q for host collect (choose json or yaml)", format)
			}
			col, err := host.CollectObjects(cmd.Context(), host.Options{Root: root, NodeName: nodeName})
			if err != nil {
				return usageErr("%v", err)
			}
			items := make([]any, 0, len(col.Objects))
			for _, o := range col.Objects {
				items = append(items, o)
			}
			list := map[string]any{"apiVersion": "v1", "kind": "List", "items": items}
			b, err := json.MarshalIndent(list, "", "  ")
			if err != nil {
				return err
			}
			if format == "yaml" {
				if b, err = yaml.JSONToYAML(b); err != nil {
					return err
				}
			} else {
				b = append(b, '\n')
			}
			if _, err := streams.Out.Write(b); err != nil {
				return err
			}
			for _, n := range col.Notes {
				fmt.Fprintln(streams.Err, "Note:", n)
			}
			return nil
		},
	}
	fl := collect.Flags()
	fl.StringVar(&root, "root", "/", "the node's filesystem root: / on the node, or a directory mirroring one")
	fl.StringVar(&nodeName, "node-name", "", "name of the objects (default the kubelet's --hostname-override, else /etc/hostname)")
	fl.StringVar(&format, "format", "json", "output format: json or yaml")
	cmd.AddCommand(collect, newHostServeCommand(streams))
	return cmd
}

// newScanHostCommand is `vigil scan host`: collect, then scan with the
// scan command's flags.
func newScanHostCommand(streams IO, f *scanFlags) *cobra.Command {
	h := &scan.HostOptions{}
	cmd := &cobra.Command{
		Use:   "host",
		Short: "Collect this node's configuration (or a mirror's, --root) and scan it (default framework: " + hostFramework + ")",
		Long: `Collect the node's configuration as vigil host collect does and evaluate the
host controls on it, with the report formats and gates of vigil scan.
Without --frameworks, the ` + hostFramework + ` framework runs; controls that judge only
manifests or clusters are not applicable to a host.`,
		Example: `  sudo vigil scan host
  vigil scan host --root /mnt/node-image --format json --output node-report.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			frameworks := scan.SplitList(f.frameworks)
			if len(frameworks) == 0 {
				frameworks = []string{hostFramework}
			}
			f.host = h
			return runScan(cmd.Context(), streams, f, frameworks, nil, nil)
		},
	}
	cmd.Flags().StringVar(&h.Root, "root", "/", "the node's filesystem root: / on the node, or a directory mirroring one")
	cmd.Flags().StringVar(&h.NodeName, "node-name", "", "name of the host objects (default the kubelet's --hostname-override, else /etc/hostname)")
	return cmd
}
