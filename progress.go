package main

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// progress shows a progress bar on stderr for a simulation that runs longer
// than a second, and only when stderr is a terminal (nightly runs and pipes
// get nothing). mpb draws the bar; it is started lazily after the second.
type progress struct {
	w       io.Writer
	start   time.Time
	mu      sync.Mutex
	p       *mpb.Progress
	bar     *mpb.Bar
	total   int
	enabled bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, start: time.Now(), enabled: ok && term.IsTerminal(int(f.Fd()))}
}

// update is raming.MC's Progress callback; it is safe for several goroutines.
func (p *progress) update(done, total int) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = total
	if p.bar == nil {
		if time.Since(p.start) < time.Second || done >= total {
			return
		}
		p.p = mpb.New(mpb.WithOutput(p.w), mpb.WithWidth(40))
		p.bar = p.p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name("Monte Carlo "), decor.CountersNoUnit("%d / %d")),
			mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.EwmaETA(decor.ET_STYLE_GO, 30)))
	}
	p.bar.SetTotal(int64(total), false)
	p.bar.SetCurrent(int64(done))
}

// finish completes and removes the bar, if one was shown.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.SetCurrent(int64(p.total))
		p.bar.SetTotal(int64(p.total), true)
		p.p.Wait()
	}
}
