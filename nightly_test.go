package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"raming/input"
	"raming/internal/bsn"
	"raming/internal/clock"
	"raming/scenario"
)

// documentedEpoch is how the documented command sets SOURCE_DATE_EPOCH:
// local midnight of the night's date.
const documentedEpoch = "SOURCE_DATE_EPOCH=$(date -d 'today 00:00' +%s)"

// nightlyDoc is docs/nightly.md.
func nightlyDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("docs", "nightly.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// docSection is the text of a "## title" section of a Markdown document.
func docSection(t *testing.T, doc, title string) string {
	t.Helper()
	_, section, ok := strings.Cut(doc, "\n## "+title+"\n")
	if !ok {
		t.Fatalf("docs/nightly.md has no section %q", title)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// oneLine joins a shell command's continued lines and its runs of blanks.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\\\n", " ")), " ")
}

// documentedArgs is the command of docs/nightly.md's section "The
// command" (its ```sh block): the arguments after `raming`.
func documentedArgs(t *testing.T) []string {
	t.Helper()
	_, block, ok := strings.Cut(docSection(t, nightlyDoc(t), "The command"), "```sh\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("docs/nightly.md, section \"The command\": no ```sh block")
	}
	env, cmd, ok := strings.Cut(oneLine(block), " raming ")
	if !ok || env != documentedEpoch {
		t.Fatalf("docs/nightly.md: the command must read %q raming ...; it reads %q", documentedEpoch, oneLine(block))
	}
	return strings.Fields(cmd)
}

// TestCronAndSystemdRunTheTestedCommand: the cron line and the systemd
// unit of docs/nightly.md run the command TestNightlyCommand tests.
func TestCronAndSystemdRunTheTestedCommand(t *testing.T) {
	doc := nightlyDoc(t)
	want := documentedEpoch + " /usr/local/bin/raming " + strings.Join(documentedArgs(t), " ")
	tests := []struct {
		section string
		unquote *strings.Replacer // the escapes of the file format
	}{
		{"cron", strings.NewReplacer(`\%`, `%`)},
		{"systemd timer", strings.NewReplacer(`%%`, `%`, `"`, `'`, "exec ", "")},
	}
	for _, tt := range tests {
		if got := tt.unquote.Replace(oneLine(docSection(t, doc, tt.section))); !strings.Contains(got, want) {
			t.Errorf("docs/nightly.md, section %q: want it to run\n%s\n(the tested command); it reads\n%s", tt.section, want, got)
		}
	}
}

// TestNightlyCommand runs the command docs/nightly.md documents, as cron
// would on three nights around the end of summer time, on a host in the
// Netherlands and on one set to UTC. The second night's extract breaks off
// after its header. Nights 1 and 3 succeed and write files named after
// their own dates; night 2 exits 3 and leaves the directory as it was;
// night 3 compares with night 1.
func TestNightlyCommand(t *testing.T) {
	docArgs := documentedArgs(t)
	extract := func(rows int, seed uint64) []byte {
		var buf bytes.Buffer
		if err := input.Generate(&buf, input.GenerateOptions{Rows: rows, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	nights := []struct {
		date    string
		extract []byte
		code    int
	}{
		{"2026-10-24", extract(2000, 7), exitOK}, // summer time: midnight is 22:00 UTC the day before
		{"2026-10-25", extract(0, 7), exitInput}, // the copy of the extract broke off
		{"2026-10-26", extract(2000, 8), exitOK}, // winter time: 23:00 UTC the day before
		{"2026-10-27", extract(150, 9), exitOK},  // a partial copy: warned, not refused
	}
	deck, err := scenario.BuiltinText("deck")
	if err != nil {
		t.Fatal(err)
	}
	for _, tz := range []string{"Europe/Amsterdam", "UTC"} {
		t.Run(tz, func(t *testing.T) {
			t.Setenv("TZ", tz)
			host, err := time.LoadLocation(tz)
			if err != nil {
				t.Fatal(err)
			}
			tmp := t.TempDir()
			outDir := filepath.Join(tmp, "raming")
			paths := map[string]string{ // the documented paths, here
				"/etc/raming/scenario.toml":             filepath.Join(tmp, "scenario.toml"),
				"/data/extracts/ex-partners-latest.csv": filepath.Join(tmp, "ex-partners-latest.csv"),
				"/data/raming":                          outDir,
			}
			if err := os.Mkdir(outDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(paths["/etc/raming/scenario.toml"], deck, 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"raming"}
			for _, a := range docArgs {
				if p, ok := paths[a]; ok {
					a = p
				} else if strings.HasPrefix(a, "/") {
					t.Fatalf("the documented command has a path %s this test does not know", a)
				}
				args = append(args, a)
			}
			var listings [][]string
			for i, night := range nights {
				if err := os.WriteFile(paths["/data/extracts/ex-partners-latest.csv"], night.extract, 0o644); err != nil {
					t.Fatal(err)
				}
				y, m, d := mustDate(t, night.date).Date()
				epoch := time.Date(y, m, d, 0, 0, 0, 0, host).Unix()
				if out, err := exec.Command("date", "-d", night.date+" 00:00", "+%s").Output(); err == nil && strings.TrimSpace(string(out)) != strconv.FormatInt(epoch, 10) {
					t.Fatalf("date(1) gives local midnight of %s as %s, this test %d", night.date, out, epoch)
				}
				t.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(epoch, 10))
				var stdout, stderr bytes.Buffer
				if code := run(args, &stdout, &stderr); code != night.code {
					t.Fatalf("night %d (%s): exit %d, want %d; stderr:\n%s", i+1, night.date, code, night.code, stderr.String())
				}
				if i == 0 && !strings.Contains(stderr.String(), "no earlier summary") {
					t.Errorf("night 1: no warning that there is nothing to compare with; stderr:\n%s", stderr.String())
				}
				if jump := "rows used where the baseline had 2000 (-92%): check that it is complete"; (i == 3) != strings.Contains(stderr.String(), jump) {
					t.Errorf("night %d: warning %q %v; stderr:\n%s", i+1, jump, i == 3, stderr.String())
				}
				listings = append(listings, dirNames(t, outDir))
			}
			want := []string{"raming-2026-10-24.json", "raming-2026-10-24.xlsx", "raming-2026-10-26.json", "raming-2026-10-26.xlsx"}
			if got := listings[2]; !slices.Equal(got, want) {
				t.Errorf("after night 3 the directory holds %v, want %v", got, want)
			}
			if !slices.Equal(listings[0], listings[1]) {
				t.Errorf("the failed night 2 changed the directory from %v to %v", listings[0], listings[1])
			}
			var night3 struct {
				Baseline *struct {
					File        string `json:"file"`
					DataChanged bool   `json:"data_changed"`
				} `json:"baseline"`
			}
			b, _ := os.ReadFile(filepath.Join(outDir, "raming-2026-10-26.json"))
			if err := json.Unmarshal(b, &night3); err != nil {
				t.Fatal(err)
			}
			if night3.Baseline == nil || night3.Baseline.File != bsn.MaskText(filepath.Join(outDir, "raming-2026-10-24.json")) || !night3.Baseline.DataChanged {
				t.Errorf("night 3 compared with %+v, want night 1's summary with changed data", night3.Baseline)
			}
		})
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// dirNames lists a directory's names, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestSourceDateEpoch: SOURCE_DATE_EPOCH is seconds since 1970, up to the
// year 9999; anything else (milliseconds, negative, not a number) is a
// usage error that says so. At 0 every date of an extract lies in the
// future, so no row is usable: input refused.
func TestSourceDateEpoch(t *testing.T) {
	extract := writeExtract(t, 20, "standard")
	tests := []struct {
		name   string
		epoch  string
		args   []string
		code   int
		stderr string
	}{
		{"milliseconds", "1767225600000", nil, exitUsage, "seconds since 1970"}, // 2026
		{"negative", "-1", nil, exitUsage, "seconds since 1970"},
		{"after 9999", strconv.FormatInt(clock.LastEpoch+1, 10), nil, exitUsage, "seconds since 1970"},
		{"largest int64", "9223372036854775807", nil, exitUsage, "seconds since 1970"},
		{"not a number", "yesterday", nil, exitUsage, "seconds since 1970"},
		{"1970 with an extract", "0", []string{"--population", extract}, exitInput, "no usable rows"},
		{"1970", "0", nil, exitOK, "raming-1970-01-01.json"},
		{"end of 9999", strconv.FormatInt(clock.LastEpoch, 10), nil, exitOK, "raming-9999-12-31.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SOURCE_DATE_EPOCH", tt.epoch)
			args := append([]string{"run", "--iterations", "0", "--out-dir", t.TempDir(), "--log-format", "json"}, tt.args...)
			code, stdout, stderr := runCLI(t, args...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.stderr) {
				t.Errorf("exit %d, want %d with %q; stdout %q, stderr %q", code, tt.code, tt.stderr, stdout, stderr)
			}
		})
	}
	t.Run("validate", func(t *testing.T) {
		t.Setenv("SOURCE_DATE_EPOCH", "1767225600000")
		if code, _, stderr := runCLI(t, "validate", "--population", extract); code != exitUsage || !strings.Contains(stderr, "seconds since 1970") {
			t.Errorf("exit %d, stderr %q; want 2 and seconds since 1970", code, stderr)
		}
	})
}

// TestAutoNotConvergedWarns: an --iterations auto run that reaches the
// maximum before every P95 is stable says so, in the JSON's warnings and
// at level WARN in the log, not only with "converged": false.
func TestAutoNotConvergedWarns(t *testing.T) {
	if testing.Short() {
		t.Skip("a million iterations")
	}
	text, err := scenario.BuiltinText("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	// C's extra damage jumps at its 95th percentile (a discrete value with
	// weight 5%): the P95 of C's total sits on the jump and does not settle.
	wild := strings.Replace(string(text), "[C.cws_extra_damage.uncertainty]\ndistribution = \"lognormal\"\nlow = 5000\nhigh = 20000",
		"[C.cws_extra_damage.uncertainty]\ndistribution = \"discrete\"\npoint = \"stated\"\nvalues = [10000, 1000000]\nweights = [0.95, 0.05]", 1)
	if wild == string(text) {
		t.Fatal("deck-exact no longer has C.cws_extra_damage's lognormal 5000-20000: update this test")
	}
	sc := writeFile(t, "wild.toml", wild)
	code, stdout, stderr := runCLI(t, "run", "--scenario", sc, "--iterations", "auto", "--json", "-", "--log-format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s struct {
		Warnings   []string `json:"warnings"`
		MonteCarlo struct {
			Converged bool `json:"converged"`
		} `json:"monte_carlo"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	const want = "stopped at its maximum of 1000000 iterations before the P95 of every case was stable to 0.5%"
	if s.MonteCarlo.Converged || !slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.Contains(w, want) }) {
		t.Errorf("converged %v, warnings %q; want false and a warning %q", s.MonteCarlo.Converged, s.Warnings, want)
	}
	if !strings.Contains(stderr, `"level":"WARN","msg":"--iterations auto `+want) {
		t.Errorf("the log has no WARN line %q:\n%s", want, stderr)
	}
	if code, stdout, _ := runCLI(t, "run", "--iterations", "auto", "--json", "-"); code != exitOK || strings.Contains(stdout, "stopped at its maximum") {
		t.Errorf("a converged auto run: exit %d; want 0 and no warning", code)
	}
}

// TestBaselineTooLarge: a --baseline far larger than any summary, or
// endless (/dev/zero), is refused with exit code 3 after reading at most
// the limit, not read to the end.
func TestBaselineTooLarge(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 40); err != nil { // 1 TB, sparse
		t.Skip("no sparse files here:", err)
	}
	f.Close()
	files := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		files = append(files, "/dev/zero")
	}
	for _, file := range files {
		start := time.Now()
		code, _, stderr := runCLI(t, "run", "--iterations", "0", "--json", "-", "--baseline", file)
		if code != exitInput || !strings.Contains(stderr, "not a raming JSON summary") {
			t.Errorf("%s: exit %d (%s), want 3 and not a summary", file, code, stderr)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: refused after %v; the read is not limited", file, d)
		}
	}
}
