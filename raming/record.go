package raming

import (
	"fmt"
	"math"
)

// record is what a simulation keeps of its iterations: the draw of every
// uncertain assumption and of every Binomial node (among them those drawn
// again with a risk held), each count in as few bytes as its largest
// possible value needs. Every figure of an iteration follows from its
// record by the compiled arithmetic, so the summaries replay iterations
// from it (replay) instead of keeping each figure of each iteration: the
// memory per iteration does not grow with the cases and budget years.
type record struct {
	inputs [][]float32  // per uncertain assumption (inputSampler.uncertain): drawn in single precision
	draws  []drawColumn // per Binomial instruction (instr.draw)
}

// drawColumn holds one Binomial node's draws, in the narrowest of its
// three slices that holds the node's largest count.
type drawColumn struct {
	u16 []uint16
	u32 []uint32
	f64 []float64
}

// drawBytes is the width of a draw column for counts up to bound.
func drawBytes(bound float64) int {
	switch {
	case bound <= math.MaxUint16:
		return 2
	case bound <= math.MaxUint32:
		return 4
	}
	return 8
}

// newRecord makes a record for up to capacity iterations (its pages are
// touched only as iterations are recorded).
func (s *simulator) newRecord(capacity int) *record {
	r := &record{inputs: make([][]float32, len(s.in.uncertain)), draws: make([]drawColumn, len(s.drawBound))}
	for k := range r.inputs {
		r.inputs[k] = make([]float32, capacity)
	}
	for k, b := range s.drawBound {
		switch drawBytes(b) {
		case 2:
			r.draws[k].u16 = make([]uint16, capacity)
		case 4:
			r.draws[k].u32 = make([]uint32, capacity)
		default:
			r.draws[k].f64 = make([]float64, capacity)
		}
	}
	return r
}

// recordBytes is what the record keeps per iteration.
func (s *simulator) recordBytes() int64 {
	b := int64(4 * len(s.in.uncertain))
	for _, bound := range s.drawBound {
		b += int64(drawBytes(bound))
	}
	return b
}

// store records draws x of iterations lo, lo+1, ... A count that the
// column cannot hold exactly is a programming error (a Binomial node's n
// must be a whole number below its bound).
func (c *drawColumn) store(lo int, x []float64) {
	switch {
	case c.u16 != nil:
		dst := c.u16[lo : lo+len(x)]
		for i, v := range x {
			dst[i] = uint16(v)
			if float64(dst[i]) != v {
				panic(fmt.Sprintf("raming: a Binomial draw %v is not a count below %d", v, math.MaxUint16+1))
			}
		}
	case c.u32 != nil:
		dst := c.u32[lo : lo+len(x)]
		for i, v := range x {
			dst[i] = uint32(v)
			if float64(dst[i]) != v {
				panic(fmt.Sprintf("raming: a Binomial draw %v is not a count below %d", v, uint64(math.MaxUint32)+1))
			}
		}
	default:
		copy(c.f64[lo:], x)
	}
}

// load writes the draws of iterations lo, lo+1, ... into x.
func (c *drawColumn) load(lo int, x []float64) {
	switch {
	case c.u16 != nil:
		for i, v := range c.u16[lo : lo+len(x)] {
			x[i] = float64(v)
		}
	case c.u32 != nil:
		for i, v := range c.u32[lo : lo+len(x)] {
			x[i] = float64(v)
		}
	default:
		copy(x, c.f64[lo:lo+len(x)])
	}
}

// countBound returns the largest value slot can take if it is a count of
// rows (constants, sums and products of counts, draws of them), else +Inf.
func (c *compiler) countBound(slot int) float64 {
	if b, ok := c.bound[slot]; ok {
		return b
	}
	return math.Inf(1)
}

// storeInputs records the draws x of uncertain assumption k of iterations
// lo, lo+1, ... (single-precision values, newSampler).
func (r *record) storeInputs(k, lo int, x []float64) {
	dst := r.inputs[k][lo : lo+len(x)]
	for i, v := range x {
		dst[i] = float32(v)
	}
}

// loadInputs writes the draws of uncertain assumption k of iterations lo,
// lo+1, ... into x.
func (r *record) loadInputs(k, lo int, x []float64) {
	for i, v := range r.inputs[k][lo : lo+len(x)] {
		x[i] = float64(v)
	}
}
