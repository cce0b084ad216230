package output_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"raming/output"
	"raming/raming"
	"raming/scenario"
)

// TestToyVariant adds a variant F through the public types only: a header
// and a formula (EUR 1,000 for everyone affected). It is estimated,
// simulated, and shown in the JSON and on the workbook's overview like A-E,
// which proves that nothing downstream lists the variants by hand.
func TestToyVariant(t *testing.T) {
	sc, err := scenario.Load("deck-exact")
	if err != nil {
		t.Fatal(err)
	}
	m, err := raming.NewModel(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.Variants = append(m.Variants, raming.VariantModel{
		Header: scenario.Header{ID: "F", Name: "Vast bedrag voor iedere gedupeerde", ShortName: "Vast bedrag"},
		Cases: func(b *raming.Builder) ([]raming.Case, error) {
			pop := b.Quantity("funnel.affected")
			scheme := raming.Mul(pop, raming.Amount(decimal.NewFromInt(1000)))
			return []raming.Case{raming.NewCase(scenario.CaseHeader{ID: "F-1k", Label: "€ 1.000 per gedupeerde"},
				pop, raming.Count(0), scheme, raming.Count(0))}, nil
		},
	})
	res, err := m.Simulate(raming.MC{Seed: 1, Iterations: 200, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := output.WriteJSON(&js, res, output.Provenance{ToolVersion: "test"}, output.Options{}); err != nil {
		t.Fatal(err)
	}
	var s struct {
		Variants []struct {
			ID          string
			CentralCase string `json:"central_case"`
			Cases       []struct{ ID, Total string }
			MonteCarlo  *struct{ P50 string } `json:"monte_carlo"`
		}
	}
	if err := json.Unmarshal(js.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	f := s.Variants[len(s.Variants)-1]
	if len(s.Variants) != 6 || f.ID != "F" || f.CentralCase != "F-1k" || f.Cases[0].Total != "7837500.00" || f.MonteCarlo == nil {
		t.Fatalf("JSON: got %+v; want a sixth variant F with F-1k = 7,837.5 × EUR 1,000 and its Monte Carlo band", f)
	}

	var wb bytes.Buffer
	if err := output.WriteWorkbook(&wb, res, output.Provenance{ToolVersion: "test"}, output.Options{}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&wb)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Overzicht")
	if err != nil {
		t.Fatal(err)
	}
	var seenVariant, seenCase bool
	for _, r := range rows {
		if len(r) > 1 && r[0] == "F" && r[1] == "Vast bedrag voor iedere gedupeerde" {
			seenVariant = true
		}
		if len(r) > 0 && r[0] == "F-1k" {
			seenCase = true
		}
	}
	if !seenVariant || !seenCase {
		t.Errorf("overview: variant F %v, case F-1k %v; want both", seenVariant, seenCase)
	}
	if idx, err := x.GetSheetIndex("F Vast bedrag"); err != nil || idx < 0 {
		t.Errorf("no sheet for variant F (%v)", err)
	}
}
