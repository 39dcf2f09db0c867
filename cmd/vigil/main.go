// Command vigil is the Vigil Kubernetes security scanner.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/vigilsec/vigil/internal/cli"
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := startProfile()
	code := cli.Run(ctx, os.Args[1:], cli.StdIO())
	stopProfile()
	stop()
	os.Exit(code)
}
