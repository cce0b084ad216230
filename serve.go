package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"raming/scenario"
	"raming/serve"
)

// defaultAddr is where raming serve listens: the loopback address, a free
// port.
const defaultAddr = "127.0.0.1:0"

func serveCommand() *cli.Command {
	f := newSharedFlags()
	return &cli.Command{
		Name:  "serve",
		Usage: "a page in the browser for what-ifs: change an assumption, see the figures, bands and budget years move (docs/serve.md)",
		Flags: []cli.Flag{f.scenario,
			&cli.StringFlag{Name: "population", Usage: "population extract `FILE` to start with (CSV, Unicode text or .xlsx); another can be chosen in the page"},
			&cli.StringFlag{Name: "addr", Value: defaultAddr, Usage: "loopback address and port to listen on, `HOST:PORT` (port 0: a free one); only 127.0.0.1, ::1 or localhost"},
			&cli.BoolFlag{Name: "open", Usage: "open the page in the default browser"},
			&cli.StringFlag{Name: "iterations", Value: "10000", Usage: "the page's Monte Carlo iterations `N` at the start (0 to " + strconv.Itoa(serve.DefaultMaxIterations) + ")"},
			f.seed, f.workers, f.maxMemory, f.logFormat, f.encoding, f.sheet, f.ignoreCols},
		Action: func(c *cli.Context) error {
			cfg, err := serveConfigFrom(c)
			if err != nil {
				return err
			}
			return cfg.serve(c.Context, c.App.Writer, c.App.ErrWriter)
		},
	}
}

// serveConfig is `raming serve`, read from its flags.
type serveConfig struct {
	input     inputConfig
	addr      string
	open      bool
	logFormat string
	server    serve.Config
}

func serveConfigFrom(c *cli.Context) (serveConfig, error) {
	if err := noArgs(c); err != nil {
		return serveConfig{}, err
	}
	cfg := serveConfig{input: inputFlags(c), addr: c.String("addr"), open: c.Bool("open"), logFormat: c.String("log-format")}
	if err := loopback(cfg.addr); err != nil {
		return cfg, err
	}
	if err := cfg.input.checkSheet(); err != nil {
		return cfg, err
	}
	mc, err := monteCarloFlags(c, fmt.Sprintf("the page takes 0 to %d iterations", serve.DefaultMaxIterations))
	if err != nil {
		return cfg, err
	}
	if mc.Iterations > serve.DefaultMaxIterations {
		return cfg, usage("--iterations %s: the page takes 0 to %d iterations", c.String("iterations"), serve.DefaultMaxIterations)
	}
	read := cfg.input.read
	read.Sheet = "" // the sheet of the extract at the start, not of an upload
	cfg.server = serve.Config{Read: read, ToolVersion: toolVersion(), Now: runTime,
		MC: mc, Iterations: mc.Iterations, Seed: mc.Seed}
	return cfg, nil
}

// loopback refuses an address that is not a loopback address with a port:
// the page is for the machine it runs on.
func loopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usage("--addr %q: give HOST:PORT, e.g. 127.0.0.1:8080 (port 0: a free one)", addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return usage("--addr %q: the port is a number from 0 to 65535", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return usage("--addr %q: raming serve listens on the loopback address only (127.0.0.1, ::1 or localhost), so that only this machine reaches it", addr)
	}
	return nil
}

// serve loads the scenario and the extract, listens, prints the page's
// address as the first line on stdout and serves until the process is
// interrupted (Ctrl-C: exit 130, as every command).
func (cfg serveConfig) serve(ctx context.Context, stdout, stderr io.Writer) error {
	log, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		return err
	}
	sc, err := stage(log, "scenario", func() (*scenario.Scenario, []any, error) {
		sc, err := scenario.Load(cfg.input.scenario)
		if err != nil {
			return nil, nil, err
		}
		return sc, []any{"name", sc.Name, "sha256", sc.SHA256}, nil
	})
	if err != nil {
		return err
	}
	now, err := runTime()
	if err != nil {
		return err
	}
	pop, err := cfg.input.populationStage(now, log)
	if err != nil {
		return err
	}
	cfg.server.Scenario, cfg.server.Population, cfg.server.Log = sc, pop, log
	cfg.server.ScenarioBase = cfg.input.scenario
	if _, err := scenario.BuiltinText(cfg.input.scenario); err != nil {
		if abs, err := filepath.Abs(cfg.input.scenario); err == nil {
			cfg.server.ScenarioBase = abs
		}
	}
	srv, err := serve.New(cfg.server)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return usage("--addr %s: cannot listen there: %v", cfg.addr, err)
	}
	addr := ln.Addr().String()
	hs := &http.Server{Handler: srv.Handler(addr), ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	url := srv.URL(ln.Addr())
	if _, err := fmt.Fprintln(stdout, url); err != nil { // nobody would learn the address
		ln.Close()
		return &stdoutError{err}
	}
	log.Info("serving", "addr", addr, "scenario", sc.Name)
	if cfg.open {
		if err := openBrowser(url); err != nil {
			log.Warn("the browser could not be opened: open the address above yourself", "error", err.Error())
		}
	}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return nil
	}
}

// openBrowser opens url in the default browser.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		cmd = exec.Command("open", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
