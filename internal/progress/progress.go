// Package progress shows a progress bar on a terminal for a run that takes
// longer than a second.
package progress

import (
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// Bar shows a progress bar on its writer for a run that takes longer than
// a second, and only when the writer is a terminal (nightly runs and pipes get
// nothing). It covers the whole run: the Monte Carlo iterations fill the
// first 90%, summarising the draws up to 96%, writing the outputs the
// rest; the time left is the average rate since the start, so it is an
// estimate for the whole run, not for the iterations alone. mpb draws the
// bar; it is started lazily after the first second.
type Bar struct {
	w       io.Writer
	start   time.Time
	mu      sync.Mutex
	p       *mpb.Progress
	bar     *mpb.Bar
	phase   atomic.Pointer[string] // read by the bar's own goroutine
	enabled bool
}

// The bar counts in thousandths of the run; the phases' shares.
const (
	barTotal      = 1000
	barSimulated  = 900 // the iterations are done
	barSummarised = 960 // the statistics are done
)

// New returns the bar of a run that starts now, on w.
func New(w io.Writer) *Bar {
	f, ok := w.(*os.File)
	p := &Bar{w: w, start: time.Now(), enabled: ok && term.IsTerminal(int(f.Fd()))}
	phase := "simulating"
	p.phase.Store(&phase)
	return p
}

// Update is raming.MC's Progress callback; it is safe for several
// goroutines. When every iteration is done, summarising begins.
func (p *Bar) Update(done, total int) {
	at := int64(barSimulated) * int64(done) / int64(max(1, total))
	if done >= total {
		p.set("summarising", at)
		return
	}
	p.set("simulating", at)
}

// Writing marks the start of writing the outputs.
func (p *Bar) Writing() { p.set("writing", barSummarised) }

func (p *Bar) set(phase string, at int64) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phase.Store(&phase)
	if p.bar == nil {
		if time.Since(p.start) < time.Second {
			return
		}
		p.p = mpb.New(mpb.WithOutput(p.w), mpb.WithWidth(40))
		p.bar = p.p.AddBar(barTotal,
			mpb.PrependDecorators(decor.Any(func(decor.Statistics) string { return *p.phase.Load() }, decor.WC{W: 13, C: decor.DindentRight})),
			mpb.AppendDecorators(decor.Percentage(), decor.Name(", left "), decor.AverageETA(decor.ET_STYLE_GO, decor.WC{})))
		p.bar.SetRefill(0)
	}
	p.bar.SetCurrent(at)
}

// Finish completes and removes the bar, if one was shown.
func (p *Bar) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.SetCurrent(barTotal)
		p.p.Wait()
	}
}
