package main

import (
	"go/build"
	"slices"
	"strings"
	"testing"
)

// TestImportDirection states the one direction of dependency (after
// go/build's deps_test.go): main → baseline → output → raming →
// {scenario, input, published}; input and scenario know nothing of the
// model or of output; the model touches no files, clock or spreadsheet
// library; output renders to writers: it opens no files and knows nothing
// of the extract's reader (the facts of the data travel on the result);
// the file layer (internal/atomicfile) and the BSN guard (internal/bsn,
// which input, scenario and published share) are leaves; serve, beside
// the command line above output, touches no file on a client's behalf.
func TestImportDirection(t *testing.T) {
	project := []string{"raming/raming", "raming/output", "raming/input", "raming/scenario", "raming/published", "raming/baseline", "raming/serve"}
	rules := []struct {
		pkg       string
		forbidden []string
	}{
		{"raming/input", []string{"raming/raming", "raming/output", "raming/scenario"}},
		{"raming/scenario", []string{"raming/raming", "raming/output", "raming/input"}},
		{"raming/published", []string{"raming/raming", "raming/output", "raming/input", "raming/scenario"}},
		{"raming/raming", []string{"raming/output", "os", "time/tzdata", "github.com/xuri/excelize/v2", "encoding/json", "io"}},
		{"raming/output", []string{"raming/input", "os", "raming/internal/atomicfile", "raming/baseline"}},
		{"raming/baseline", []string{"raming/input", "raming/scenario"}},
		{"raming/serve", []string{"os", "os/exec", "raming/internal/atomicfile", "raming/baseline"}},
		{"raming/internal/atomicfile", project},
		{"raming/internal/bsn", append(project, "raming/internal/strictoml")},
		{"raming/internal/clock", project},
		{"raming/internal/progress", project},
		{"raming/internal/goroutine", project},
	}
	for _, r := range rules {
		p, err := build.Import(r.pkg, ".", 0)
		if err != nil {
			t.Fatalf("%s: %v", r.pkg, err)
		}
		for _, imp := range p.Imports {
			if slices.Contains(r.forbidden, imp) {
				t.Errorf("%s imports %s, against the one direction of dependency", r.pkg, imp)
			}
			if r.pkg == "raming/raming" && strings.HasPrefix(imp, "net") {
				t.Errorf("%s imports %s", r.pkg, imp)
			}
		}
	}
}
