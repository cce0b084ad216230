package raming

import (
	"math"
	"math/rand/v2"

	"raming/scenario"
)

// inputSampler draws the scenario's uncertain assumptions into a vector of
// slots, one per assumption in the scenario's order (a compiler adds the
// slots of the figures computed from them).
type inputSampler struct {
	point     []float64 // point value per slot
	slot      map[string]int
	field     map[*scenario.Assumption]int
	uncertain []drawn
	movers    []mover
	inputs    []Input
	inputSlot []int // slot of each input
}

// drawn is an uncertain assumption: its slot, its sampler and the key of
// its random stream (streamKey of its ID).
type drawn struct {
	slot   int
	draw   sampler
	stream uint64
}

type mover struct {
	slot, other int
	ratio, max  float64
}

func newInputSampler(sc *scenario.Scenario) (*inputSampler, error) {
	s := &inputSampler{slot: map[string]int{}, field: map[*scenario.Assumption]int{}}
	entries := sc.Entries()
	for _, e := range entries {
		s.slot[e.ID], s.field[e.Assumption] = len(s.point), len(s.point)
		s.point = append(s.point, e.Value.InexactFloat64())
	}
	for _, e := range entries {
		u := e.Uncertainty
		if u == nil {
			continue
		}
		in := Input{ID: e.ID, Label: e.Label, Distribution: string(u.Kind(e.Unit)), Point: u.Point.Kind()}
		if u.MovesWith != "" {
			mx := math.Inf(1)
			if e.Unit == scenario.Share {
				mx = 1
			}
			other := s.slotOf(u.MovesWith)
			s.movers = append(s.movers, mover{slot: s.slotOf(e.ID), other: other,
				ratio: e.Value.InexactFloat64() / entries[other].Value.InexactFloat64(), max: mx})
			in.Distribution, in.MovesWith = "moves with "+u.MovesWith, u.MovesWith
		} else {
			draw, err := newSampler(e)
			if err != nil {
				return nil, &ModelError{Msg: err.Error()}
			}
			s.uncertain = append(s.uncertain, drawn{slot: s.slotOf(e.ID), draw: draw, stream: streamKey(e.ID)})
		}
		s.inputs = append(s.inputs, in)
		s.inputSlot = append(s.inputSlot, s.slotOf(e.ID))
	}
	return s, nil
}

// slotOf returns the slot of the assumption with the given ID. An unknown
// ID is a programming error (the scenario's validation checks the IDs a
// file names): it panics with the ID, never reads another slot.
func (s *inputSampler) slotOf(id string) int {
	i, ok := s.slot[id]
	if !ok {
		panic("raming: no assumption " + id + " to simulate")
	}
	return i
}

// fieldSlot returns the slot of the scenario's assumption a, given by its
// field (&sc.Phasing.UHTCapacity); a copy of a field panics.
func (s *inputSampler) fieldSlot(a *scenario.Assumption) int {
	i, ok := s.field[a]
	if !ok {
		panic("raming: no assumption of the scenario at this address (" + a.Description + "): give the scenario's own field, not a copy")
	}
	return i
}

// draw sets v's assumption slots to their point values and draws every
// uncertain assumption of iteration i of a simulation seeded seed, each
// from its own stream, with pcg (r's source).
func (s *inputSampler) draw(seed uint64, i int, pcg *rand.PCG, r *rand.Rand, v []float64) {
	copy(v, s.point)
	for _, u := range s.uncertain {
		pcg.Seed(streamSeed(seed, u.stream), uint64(i))
		v[u.slot] = u.draw(r)
	}
	s.move(v)
}

// move sets the inputs that move with another in proportion to its draw.
func (s *inputSampler) move(v []float64) {
	for _, m := range s.movers {
		v[m.slot] = math.Min(m.max, m.ratio*v[m.other])
	}
}

// drawLanes draws every uncertain assumption into the first n lanes of m
// (iterations m.lo, m.lo+1, ...), as draw draws them.
func (s *inputSampler) drawLanes(m *machine, n int) {
	for _, u := range s.uncertain {
		col, hi := m.col(u.slot)[:n], streamSeed(m.seed, u.stream)
		for t := range col {
			m.pcg[t].Seed(hi, uint64(m.lo+t))
			col[t] = u.draw(m.rnd[t])
		}
	}
	s.moveLanes(m, n)
}

// moveLanes sets the inputs that move with another in the first n lanes.
func (s *inputSampler) moveLanes(m *machine, n int) {
	for _, mv := range s.movers {
		col, other := m.col(mv.slot)[:n], m.col(mv.other)[:n]
		for t := range col {
			col[t] = math.Min(mv.max, mv.ratio*other[t])
		}
	}
}

// varying returns the slots of the uncertain assumptions and of those that
// move with one: the slots a draw changes.
func (s *inputSampler) varying() []int {
	var out []int
	for _, u := range s.uncertain {
		out = append(out, u.slot)
	}
	for _, m := range s.movers {
		out = append(out, m.slot)
	}
	return out
}

// moversOf returns the slots of the inputs that move with the input in
// slot: holding it holds them too.
func (s *inputSampler) moversOf(slot int) []int {
	var out []int
	for _, m := range s.movers {
		if m.other == slot {
			out = append(out, m.slot)
		}
	}
	return out
}
