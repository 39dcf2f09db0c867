// Command k8s-up starts the integration-test API server and keeps it
// running until interrupted, for trying Vigil against a real cluster by
// hand:
//
//	test/k8s/build.sh
//	go run ./test/k8s/cmd/k8s-up -dir /tmp/k8s -load ../shared/corpus/synthetic-5000
//	vigil scan --kubeconfig /tmp/k8s/kubeconfig
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/vigilsec/vigil/test/k8s/k8stest"
)

func main() {
	dir := flag.String("dir", "", "directory for the PKI, data, logs and kubeconfig (default: a new temporary one)")
	load := flag.String("load", "", "create the objects of the YAML files under this directory")
	objects := flag.String("objects", "", "create the objects of this YAML stream, in order (owners set by "+k8stest.ControllerAnnotation+")")
	flag.Parse()
	if err := run(*dir, *load, *objects); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-up:", err)
		os.Exit(1)
	}
}

func run(dir, load, objects string) error {
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "vigil-k8s"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	c, err := k8stest.Start(ctx, dir)
	if err != nil {
		return err
	}
	defer c.Stop()
	fmt.Printf("API server %s ready in %s\nkubeconfig: %s (contexts admin, alice, bob)\n", c.URL, time.Since(start).Round(time.Millisecond), c.Kubeconfig)
	if load != "" || objects != "" {
		client, err := k8stest.NewClient(c.Kubeconfig, k8stest.Admin)
		if err != nil {
			return err
		}
		if objects != "" {
			data, err := os.ReadFile(objects)
			if err != nil {
				return err
			}
			if err := client.CreateStream(ctx, data); err != nil {
				return err
			}
			fmt.Println("created the objects of", objects)
		}
		if load != "" {
			start := time.Now()
			res, err := client.LoadDir(ctx, load)
			if err != nil {
				return err
			}
			fmt.Printf("loaded %s in %s: %s\n", load, time.Since(start).Round(time.Millisecond), res)
		}
	}
	fmt.Println("running; interrupt to stop")
	<-ctx.Done()
	return nil
}
