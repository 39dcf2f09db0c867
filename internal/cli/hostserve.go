package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigilsec/vigil/pkg/hostsensor"
	"github.com/vigilsec/vigil/pkg/source/host"
)

// newHostServeCommand is `vigil host serve`, the host sensor a DaemonSet
// runs on every node.
func newHostServeCommand(streams IO) *cobra.Command {
	var root, nodeName, listen, tokenFile string
	var ttl time.Duration
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve this node's host objects to cluster scans (the host sensor DaemonSet)",
		Long: `Collect this node's host objects (as vigil host collect) and serve them over
HTTPS at ` + hostsensor.Path + ` to callers that send the shared token in the
` + hostsensor.TokenHeader + ` header. vigil scan --host-scan fetches them
through the API server's pod proxy. Collections are cached for --cache-ttl.
The token comes from --token-file, else $VIGIL_SENSOR_TOKEN; the node name
from --node-name, else $NODE_NAME (set from the pod's spec.nodeName in
deploy/host-sensor). See docs/HOST.md.`,
		Example: `  vigil host serve --root /host --token-file /var/run/vigil/token`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			token, err := sensorToken(tokenFile, streams.Getenv)
			if err != nil {
				return usageErr("%v", err)
			}
			if nodeName == "" {
				nodeName = streams.Getenv("NODE_NAME")
			}
			opts := host.Options{Root: root, NodeName: nodeName}
			collect := func(ctx context.Context) (*hostsensor.Collection, error) {
				col, err := host.CollectObjects(ctx, opts)
				if err != nil {
					return nil, err
				}
				return &hostsensor.Collection{Node: col.NodeName, Layout: col.Layout, Objects: col.Objects, Notes: col.Notes}, nil
			}
			h, err := hostsensor.NewHandler(collect, token, ttl)
			if err != nil {
				return usageErr("%v", err)
			}
			hostname, _, _ := net.SplitHostPort(listen)
			tlsCfg, err := hostsensor.SelfSignedTLS(hostname)
			if err != nil {
				return fmt.Errorf("server certificate: %w", err)
			}
			return hostsensor.Serve(cmd.Context(), listen, h, tlsCfg, func(a net.Addr) {
				fmt.Fprintf(streams.Err, "vigil host sensor listening on https://%s%s\n", a, hostsensor.Path)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&root, "root", "/", "the node's filesystem root (the host mounted into the pod)")
	fl.StringVar(&nodeName, "node-name", "", "node name for the objects (default $NODE_NAME, else the node's hostname)")
	fl.StringVar(&listen, "listen", ":"+strconv.Itoa(hostsensor.DefaultPort), "address to listen on")
	fl.StringVar(&tokenFile, "token-file", "", "file holding the shared token (default $VIGIL_SENSOR_TOKEN)")
	fl.DurationVar(&ttl, "cache-ttl", time.Minute, "serve the same collection for this long before collecting again")
	return cmd
}

// sensorToken reads the shared token; it is never printed.
func sensorToken(file string, getenv func(string) string) (string, error) {
	var tok string
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("token file: %w", err)
		}
		tok = string(b)
	} else {
		tok = getenv("VIGIL_SENSOR_TOKEN")
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return "", fmt.Errorf("no token: give --token-file or set VIGIL_SENSOR_TOKEN")
	}
	return tok, nil
}
