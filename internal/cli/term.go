package cli

import (
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress shows what a long scan is doing on stderr, only on a terminal
// and only once the scan has taken long enough to be worth it.
type progress struct {
	mu      sync.Mutex
	streams IO
	stage   string
	shown   bool
	stopped bool
	done    chan struct{}
	once    sync.Once
}

const progressDelay = 700 * time.Millisecond

func newProgress(streams IO) *progress {
	p := &progress{streams: streams, done: make(chan struct{})}
	if !streams.IsTerminal(streams.Err) {
		close(p.done)
		return p
	}
	go p.loop()
	return p
}

func (p *progress) loop() {
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	timer := time.NewTimer(progressDelay)
	defer timer.Stop()
	select {
	case <-p.done:
		return
	case <-timer.C:
	}
	tick := time.NewTicker(120 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		p.mu.Lock()
		if p.stopped {
			p.mu.Unlock()
			return
		}
		fmt.Fprintf(p.streams.Err, "\r\x1b[K%s %s", frames[i%len(frames)], p.stage)
		p.shown = true
		p.mu.Unlock()
		select {
		case <-p.done:
			return
		case <-tick.C:
		}
	}
}

func (p *progress) set(stage string) {
	p.mu.Lock()
	p.stage = stage
	p.mu.Unlock()
}

func (p *progress) stop() {
	p.once.Do(func() {
		select {
		case <-p.done:
		default:
			close(p.done)
		}
		p.mu.Lock()
		p.stopped = true
		if p.shown {
			fmt.Fprint(p.streams.Err, "\r\x1b[K")
		}
		p.mu.Unlock()
	})
}
