//go:build unix

// Command benchpeers (Linux and macOS: it reads each process's rusage)
// runs raming side by side with the two peers of
// docs/performance.md, alternating (A B C A B C ...), and prints the
// ratios of their CPU times (user + system, from the kernel's accounting
// of each process) and raming's peak resident memory:
//
//   - a strong numpy peer (mc_numpy_binomial.py): the Monte Carlo of the
//     deck scenario on an extract, binomial counts per group drawn
//     vectorised over all iterations;
//   - a floor program in Go (floor/): the least work of an 11,000-row ×
//     10,000-iteration run.
//
// The peers are not part of this repository: give their folder with
// -peers (default ../shared/peers). Usage, from the repository's root:
//
//	make build
//	go run ./tools/benchpeers                      # the table of docs/performance.md
//	go run ./tools/benchpeers -runs 5 -big         # also 10,000,000 iterations
//	go run ./tools/benchpeers -scaling             # raming alone: rows 1k-1M, iterations 1k-10M
//
// Absolute times on a shared machine drift from hour to hour; the ratios
// of alternated runs do not (much). Every figure is a median.
package main

import (
	"archive/zip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	var (
		peers   = flag.String("peers", "../shared/peers", "`DIR` of the peers (mc_numpy_binomial.py, floor/)")
		raming  = flag.String("raming", "bin/raming", "the raming `BINARY` to measure (make build)")
		python  = flag.String("python", "/usr/bin/python3", "a python3 with numpy, for the numpy peer")
		runs    = flag.Int("runs", 7, "alternated runs of each program for the small cases (the large ones: a third, at least 1)")
		big     = flag.Bool("big", false, "also run 10,000,000 iterations (raming's peak memory; the numpy peer too, which takes minutes)")
		scaling = flag.Bool("scaling", false, "instead: raming alone over rows 1k-1M (10,000 iterations) and iterations 1k-10M (11,000 rows)")
		work    = flag.String("work", "", "`DIR` for the extracts and outputs (default: a new temporary folder)")
	)
	flag.Parse()
	b, err := newBench(*peers, *raming, *python, *work)
	if err != nil {
		fail(err)
	}
	if *scaling {
		err = b.scaling(max(1, *runs/3))
	} else {
		err = b.peers(*runs, *big)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchpeers:", err)
	os.Exit(1)
}

type bench struct {
	dir, raming, python, numpy, floor string
	parts                             string // the unzipped workbook the floor deflates
}

func newBench(peers, raming, python, work string) (*bench, error) {
	b := &bench{python: python}
	var err error
	if peers, err = filepath.Abs(peers); err != nil {
		return nil, err
	}
	if b.raming, err = filepath.Abs(raming); err != nil {
		return nil, err
	}
	if _, err := os.Stat(b.raming); err != nil {
		return nil, fmt.Errorf("%v: build raming first (make build) or give -raming", err)
	}
	if work == "" {
		if work, err = os.MkdirTemp("", "benchpeers-"); err != nil {
			return nil, err
		}
	}
	b.dir = work
	b.numpy = filepath.Join(peers, "mc_numpy_binomial.py")
	if _, err := os.Stat(b.numpy); err != nil {
		return nil, fmt.Errorf("%v: give the peers' folder with -peers", err)
	}
	b.floor = filepath.Join(work, "floor")
	build := exec.Command("go", "build", "-o", b.floor, ".")
	build.Dir, build.Stderr = filepath.Join(peers, "floor"), os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building the floor program: %v", err)
	}
	return b, nil
}

// extract returns an extract of the given rows (seed 1), generating it once.
func (b *bench) extract(rows int) (string, error) {
	path := filepath.Join(b.dir, fmt.Sprintf("p%d.csv", rows))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	_, err := b.measure(b.raming, "generate", "--rows", fmt.Sprint(rows), "--seed", "1", "--out", path)
	return path, err
}

// usage is one process's CPU time and peak resident memory.
type usage struct {
	cpu time.Duration
	rss int64 // bytes
}

// measure runs a program to its end and returns its usage; its output is
// kept in the work folder's log.
func (b *bench) measure(name string, args ...string) (usage, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = b.dir
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return usage{}, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return usage{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), rss: ru.Maxrss << 10}, nil
}

// program is one command line of a comparison.
type program struct {
	name string
	args []string
}

// alternate runs the programs in turn, runs times, and returns each one's
// usages.
func (b *bench) alternate(runs int, progs ...program) ([][]usage, error) {
	out := make([][]usage, len(progs))
	for range runs {
		for i, p := range progs {
			u, err := b.measure(p.name, p.args...)
			if err != nil {
				return nil, err
			}
			out[i] = append(out[i], u)
		}
	}
	return out, nil
}

func median[T int64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func cpus(us []usage) []time.Duration {
	var out []time.Duration
	for _, u := range us {
		out = append(out, u.cpu)
	}
	return out
}

func rsss(us []usage) []int64 {
	var out []int64
	for _, u := range us {
		out = append(out, u.rss)
	}
	return out
}

// ratios returns the median of the per-round ratios a[i]/b[i] and their
// range: a round's programs ran next to each other, in the same state of
// the machine.
func ratios(a, b []usage) (med, lo, hi float64) {
	var rs []float64
	for i := range a {
		rs = append(rs, a[i].cpu.Seconds()/b[i].cpu.Seconds())
	}
	slices.Sort(rs)
	med = rs[len(rs)/2]
	if len(rs)%2 == 0 {
		med = (rs[len(rs)/2-1] + rs[len(rs)/2]) / 2
	}
	return med, rs[0], rs[len(rs)-1]
}

func (b *bench) ramingRun(pop string, iterations string) program {
	return program{b.raming, []string{"run", "--population", pop, "--iterations", iterations,
		"--out", filepath.Join(b.dir, "r.xlsx"), "--json", filepath.Join(b.dir, "r.json"), "-q", "--log-format", "json"}}
}

func (b *bench) numpyRun(pop string, iterations int) program {
	return program{b.python, []string{b.numpy, pop, fmt.Sprint(iterations), "1"}}
}

// peers prints the comparison of docs/performance.md.
func (b *bench) peers(runs int, big bool) error {
	pop, err := b.extract(11000)
	if err != nil {
		return err
	}
	// The floor deflates the parts of a workbook raming wrote.
	if _, err := b.measure(b.raming, b.ramingRun(pop, "10000").args...); err != nil {
		return err
	}
	b.parts = filepath.Join(b.dir, "parts")
	if err := unzip(filepath.Join(b.dir, "r.xlsx"), b.parts); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run (11,000 rows)\truns\traming CPU\tpeer CPU\traming ÷ peer (range)\tfloor CPU\traming ÷ floor (range)\traming peak RSS\tgoal")
	row := func(name string, n int, r, p, f []usage, goal string) {
		rp, rpLo, rpHi := ratios(r, p)
		line := fmt.Sprintf("%s\t%d\t%s\t%s\t%.2f (%.2f-%.2f)", name, n, ms(median(cpus(r))), ms(median(cpus(p))), rp, rpLo, rpHi)
		if f != nil {
			rf, rfLo, rfHi := ratios(r, f)
			line += fmt.Sprintf("\t%s\t%.2f (%.2f-%.2f)", ms(median(cpus(f))), rf, rfLo, rfHi)
		} else {
			line += "\t\t"
		}
		fmt.Fprintf(tw, "%s\t%d MB\t%s\n", line, median(rsss(r))>>20, goal)
	}
	defer tw.Flush()
	fmt.Fprintf(os.Stderr, "measuring in %s ...\n", b.dir)
	us, err := b.alternate(runs, b.ramingRun(pop, "10000"), b.numpyRun(pop, 10000), program{b.floor, []string{pop, b.parts}})
	if err != nil {
		return err
	}
	row("10,000 iterations, end to end", runs, us[0], us[1], us[2], "≤ 0.67× peer, ≤ 2× floor")
	large := max(1, runs/3)
	if us, err = b.alternate(large, b.ramingRun(pop, "1000000"), b.numpyRun(pop, 1000000)); err != nil {
		return err
	}
	row("1,000,000 iterations", large, us[0], us[1], nil, "≤ 0.5× peer, ≤ 200 MB")
	// --iterations auto: the peer draws as many iterations as raming did.
	var auto, peer []usage
	for range large {
		u, err := b.measure(b.raming, b.ramingRun(pop, "auto").args...)
		if err != nil {
			return err
		}
		n, err := iterationsDone(filepath.Join(b.dir, "r.json"))
		if err != nil {
			return err
		}
		p, err := b.measure(b.python, b.numpyRun(pop, n).args...)
		if err != nil {
			return err
		}
		auto, peer = append(auto, u), append(peer, p)
		if len(auto) == 1 {
			fmt.Fprintf(os.Stderr, "--iterations auto stopped at %d iterations\n", n)
		}
	}
	row("--iterations auto", large, auto, peer, nil, "")
	if big {
		if us, err = b.alternate(1, b.ramingRun(pop, "10000000"), b.numpyRun(pop, 10000000)); err != nil {
			return err
		}
		row("10,000,000 iterations", 1, us[0], us[1], nil, "≤ 1.5 GB")
	}
	return nil
}

// scaling prints raming's CPU time and peak memory over rows and iterations.
// An extract larger than the deck's 11,000 has UHT's and the CWS's
// capacities scaled with it (the deck's would take more than 200 years,
// which the model refuses).
func (b *bench) scaling(runs int) error {
	tw := tabwriter.NewWriter(os.Stdout, 2, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "rows\titerations\truns\tCPU (median)\tpeak RSS")
	one := func(rows int, iterations string) error {
		pop, err := b.extract(rows)
		if err != nil {
			return err
		}
		run := b.ramingRun(pop, iterations)
		if rows > 11000 {
			run.args = append(run.args, "--set", fmt.Sprintf("phasing.uht_capacity=%d", 3000*rows/11000),
				"--set", fmt.Sprintf("phasing.cws_capacity=%d", 1000*rows/11000))
		}
		us, err := b.alternate(runs, run)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%d MB\n", rows, iterations, runs, ms(median(cpus(us[0]))), median(rsss(us[0]))>>20)
		return nil
	}
	defer tw.Flush()
	for _, rows := range []int{1000, 11000, 100000, 1000000} {
		if err := one(rows, "10000"); err != nil {
			return err
		}
	}
	for _, it := range []string{"1000", "100000", "1000000", "10000000"} {
		if err := one(11000, it); err != nil {
			return err
		}
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", d.Seconds()*1000) }

// iterationsDone reads the iterations a run did from its JSON summary.
func iterationsDone(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var s struct {
		MonteCarlo struct {
			Iterations int `json:"iterations"`
		} `json:"monte_carlo"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return 0, fmt.Errorf("%s: %v", path, err)
	}
	return s.MonteCarlo.Iterations, nil
}

// unzip writes the parts of a zip file into dir.
func unzip(path, dir string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(dst, filepath.Clean(dir)+string(os.PathSeparator)) {
			return fmt.Errorf("%s: a part outside the folder: %s", path, f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		src, err := f.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(src)
		src.Close()
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
