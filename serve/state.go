package serve

import (
	"net/http"
	"strings"

	"github.com/shopspring/decimal"

	"raming/input"
	"raming/output"
	"raming/raming"
	"raming/scenario"
)

// pageState is what the page starts from (GET /api/state): the scenario's
// assumptions grouped as on the sheet Aannames, B's options, the extract
// in use and the defaults of a run.
type pageState struct {
	Scenario   stateScenario `json:"scenario"`
	Defaults   stateDefaults `json:"defaults"`
	Groups     []stateGroup  `json:"groups"`
	Options    []stateOption `json:"options"`
	Variants   []stateVar    `json:"variants"`
	Population popSummary    `json:"population"`
}

type stateScenario struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Origin string `json:"origin"`
}

type stateDefaults struct {
	Iterations    int    `json:"iterations"`
	Seed          uint64 `json:"seed"`
	MaxIterations int    `json:"max_iterations"`
	MaxUploadMB   int64  `json:"max_upload_mb"`
}

// stateGroup is a group of assumptions: the funnel, the budget years, a
// variant with its cases, B's amounts of its options.
type stateGroup struct {
	ID          string            `json:"id"`
	Label       string            `json:"label"`
	Assumptions []stateAssumption `json:"assumptions"`
}

// stateAssumption is an assumption as the page shows it: Text is its value
// as the page's field shows it and --set reads it (a share as a
// percentage, a decimal comma).
type stateAssumption struct {
	ID          string            `json:"id"`
	Label       string            `json:"label"`
	Unit        string            `json:"unit"`
	UnitLabel   string            `json:"unit_label"`
	Value       string            `json:"value"`
	Text        string            `json:"text"`
	Description string            `json:"description"`
	Source      string            `json:"source"`
	Uncertainty *stateUncertainty `json:"uncertainty"`
}

type stateUncertainty struct {
	Distribution string `json:"distribution"`
	Range        string `json:"range"`
	Why          string `json:"why"`
}

// stateOption is an option of B with its values and Dutch labels. Record
// is true for an option that acts record by record: it needs an extract.
type stateOption struct {
	Key    string        `json:"key"`
	Label  string        `json:"label"`
	Stage  string        `json:"stage"`
	Value  string        `json:"value"`
	Values []stateChoice `json:"values"`
	Record bool          `json:"record"`
}

type stateChoice struct {
	Text  string `json:"text"`
	Label string `json:"label"`
}

type stateVar struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	CentralCase string      `json:"central_case"`
	Cases       []stateCase `json:"cases"`
}

type stateCase struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// state answers GET /api/state.
func (s *Server) state(w http.ResponseWriter, r *http.Request) {
	e, version := s.current()
	sc := s.cfg.Scenario
	st := pageState{
		Scenario:   stateScenario{Name: sc.Name, Title: sc.Title, Origin: sc.Origin},
		Defaults:   stateDefaults{Iterations: s.cfg.Iterations, Seed: s.cfg.Seed, MaxIterations: s.cfg.MaxIterations, MaxUploadMB: s.cfg.MaxUpload >> 20},
		Groups:     assumptionGroups(sc),
		Population: populationSummary(e.Population(), version),
	}
	if !st.Population.Extract {
		st.Population.BasePopulation = sc.Funnel.BasePopulation.Value.String()
	}
	if sc.B != nil {
		for _, op := range scenario.Options {
			o := stateOption{Key: op.Key, Label: op.Label, Stage: op.Stage.String(), Value: op.Get(&sc.B.Options), Record: !op.Aggregate}
			known := false
			for _, v := range op.Values {
				o.Values = append(o.Values, stateChoice{Text: v.Text, Label: v.Label})
				known = known || v.Text == o.Value
			}
			if !known { // a date as peildatum
				o.Values = append(o.Values, stateChoice{Text: o.Value, Label: o.Value})
			}
			st.Options = append(st.Options, o)
		}
	}
	for _, v := range sc.Variants() {
		h := v.Head()
		sv := stateVar{ID: h.ID, Name: h.Name, CentralCase: h.CentralCase}
		for _, c := range v.CaseHeads() {
			sv.Cases = append(sv.Cases, stateCase{ID: c.ID, Label: c.Label})
		}
		st.Variants = append(st.Variants, sv)
	}
	writeJSON(w, http.StatusOK, st)
}

// assumptionGroups groups the scenario's assumptions in their order on
// the sheet Aannames (the file's order): the funnel, the budget years,
// each variant with its cases, B's amounts of its options. Assumptions
// the scenario leaves out ("not known") are left out, as on the sheet.
func assumptionGroups(sc *scenario.Scenario) []stateGroup {
	variantOf := map[string]string{} // variant or case id -> variant id
	names := map[string]string{}
	for _, v := range sc.Variants() {
		h := v.Head()
		variantOf[h.ID], names[h.ID] = h.ID, h.Name
		for _, c := range v.CaseHeads() {
			variantOf[c.ID] = h.ID
		}
	}
	var groups []stateGroup
	for _, e := range sc.Entries() {
		if e.Optional && !e.Given() {
			continue
		}
		head, _, _ := strings.Cut(e.ID, ".")
		id, label := head, head
		switch {
		case head == "funnel":
			label = "Populatie (trechter)"
		case head == "phasing":
			label = "Begrotingsjaren (kasritme)"
		case head == "b":
			label = "Variant B: bedragen bij de opties"
		case variantOf[head] != "":
			id = variantOf[head]
			label = "Variant " + id + ": " + names[id]
		}
		if len(groups) == 0 || groups[len(groups)-1].ID != id {
			groups = append(groups, stateGroup{ID: id, Label: label})
		}
		a := stateAssumption{ID: e.ID, Label: e.Label, Unit: string(e.Unit), UnitLabel: output.UnitNL(e.Unit), Value: e.Value.String(),
			Text: valueText(e.Value, e.Unit), Description: e.Description, Source: e.Source}
		if u := e.Uncertainty; u != nil {
			a.Uncertainty = &stateUncertainty{Distribution: output.DistributionNL(sc, e), Range: rangeText(u, e.Unit), Why: u.Why}
		}
		g := &groups[len(groups)-1]
		g.Assumptions = append(g.Assumptions, a)
	}
	return groups
}

// valueText writes a value as the page's field shows it and --set reads
// it: a share as a percentage, with a decimal comma, and a trailing 0
// where three decimals could be read as a thousands separator (1,1250,
// not 1,125).
func valueText(d decimal.Decimal, u scenario.Unit) string {
	if u == scenario.Share {
		return commaText(d.Shift(2)) + "%"
	}
	return commaText(d)
}

// commaText is d with a decimal comma that no reader takes for a
// thousands separator.
func commaText(d decimal.Decimal) string {
	whole, frac, ok := strings.Cut(d.String(), ".")
	if !ok {
		return whole
	}
	if len(frac) == 3 && len(strings.TrimPrefix(whole, "-")) <= 3 && strings.Trim(whole, "-0") != "" {
		frac += "0"
	}
	return whole + "," + frac
}

// rangeText is an uncertainty's range in words.
func rangeText(u *scenario.Uncertainty, unit scenario.Unit) string {
	v := func(d *decimal.Decimal) string { return valueText(*d, unit) }
	switch {
	case u.MovesWith != "":
		return ""
	case u.Low != nil && u.High != nil:
		return v(u.Low) + " – " + v(u.High) + " (90%-interval)"
	case u.Min != nil && u.Max != nil:
		return v(u.Min) + " – " + v(u.Max) + " (minimum – maximum)"
	case u.SD != nil:
		return "standaardafwijking " + v(u.SD)
	case len(u.Values) > 0:
		var vs []string
		for i := range u.Values {
			vs = append(vs, v(&u.Values[i]))
		}
		return strings.Join(vs, ", ")
	}
	return ""
}

// popSummary is the extract in use, as the page shows it: counts, the
// reader's warnings and the rejected rows by column and reason, with the
// first lines, never a value of the file (no id, no detail that could
// quote one).
type popSummary struct {
	Version        int           `json:"version"`
	Extract        bool          `json:"extract"`
	Source         string        `json:"source,omitempty"`
	Sheet          string        `json:"sheet,omitempty"`
	RowsRead       int           `json:"rows_read"`
	RowsUsed       int           `json:"rows_used"`
	RowsRejected   int           `json:"rows_rejected"`
	Warnings       []string      `json:"warnings,omitempty"`
	WarningsNL     []string      `json:"warnings_nl,omitempty"`
	Rejected       []rejectGroup `json:"rejected,omitempty"`
	BasePopulation string        `json:"base_population,omitempty"`
}

type rejectGroup struct {
	Column string `json:"column"`
	Reason string `json:"reason"`
	Count  int    `json:"count"`
	Lines  []int  `json:"lines"`
}

// maxLines is how many line numbers a group of rejected rows lists.
const maxLines = 5

func populationSummary(pop *input.Population, version int) popSummary {
	if pop == nil {
		return popSummary{Version: version}
	}
	p := popSummary{Version: version, Extract: true, Source: pop.Source, Sheet: pop.Sheet, RowsRead: pop.RowsRead, RowsUsed: len(pop.Records),
		RowsRejected: len(pop.Rejected), Warnings: pop.Warnings, WarningsNL: output.WarningsNL(pop.Warnings)}
	at := map[[2]string]int{}
	for _, re := range pop.Rejected {
		reason := output.RejectReasonNL(raming.RejectKindOf(re))
		k := [2]string{re.Column, reason}
		i, ok := at[k]
		if !ok {
			i = len(p.Rejected)
			at[k] = i
			p.Rejected = append(p.Rejected, rejectGroup{Column: input.MaskBSN(re.Column), Reason: reason})
		}
		g := &p.Rejected[i]
		g.Count++
		if len(g.Lines) < maxLines {
			g.Lines = append(g.Lines, re.Line)
		}
	}
	return p
}
