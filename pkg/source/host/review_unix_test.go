//go:build unix

package host

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO never blocks the collector, even one that appears after the
// check (a node's files change while it is read).
func TestReadFileFIFO(t *testing.T) {
	root := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o600); err != nil {
		t.Skip(err)
	}
	r, err := newRootFS(root)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := r.open("/fifo")
		if err == nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a FIFO was opened as a file")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("opening a FIFO hung")
	}
}
