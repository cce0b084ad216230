package raming

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// program evaluates a compiled expression on the slot values.
type program func(v []float64) float64

// compiler turns expressions into float64 programs over a vector of
// slots: first the scenario's assumptions (drawn by its inputSampler),
// then a slot for every quantity and every Binomial node compiled, which
// its steps fill in order (run). Every expression is compiled the same
// way, whatever it computes: the funnel on an extract, B's shares of
// access, a case's cost. A name that is neither an assumption nor a
// quantity compiled before panics with the name.
type compiler struct {
	in        *inputSampler
	point     []float64      // every slot's value at the point values
	quantity  map[string]int // slot of each quantity, by ID
	binomials map[*Expr]int  // slot of each Binomial node, by node: one draw per node
	steps     []step
}

// step fills one slot in an iteration: a quantity's value (its program,
// times the rounding factor) or a Binomial node's draw.
type step struct {
	slot int
	prog program
	// factor carries the deck's rounding into the draws: rounded ÷ exact
	// at the point values (1 without rounding).
	factor float64
	// binomial is set for a draw of Binomial(n, p).
	binomial bool
	n, p     operand
	// inputs are the assumption slots the step's value depends on.
	inputs inputSet
}

func newCompiler(in *inputSampler) *compiler {
	// Clipped, so that adding a slot copies the sampler's point values.
	return &compiler{in: in, point: slices.Clip(in.point), quantity: map[string]int{}, binomials: map[*Expr]int{}}
}

// slots is the length of a vector of slots for the compiled programs.
func (c *compiler) slots() int { return len(c.point) }

// addQuantity compiles quantity q into a slot of its own, filled by a step.
func (c *compiler) addQuantity(q *Quantity) {
	st := step{prog: c.compile(q.Exact), factor: 1, inputs: c.inputsOf(q.Exact)}
	if q.Rounded != nil && !q.Exact.Value.IsZero() {
		st.factor = q.Rounded.Value.InexactFloat64() / q.Exact.Value.InexactFloat64()
	}
	if _, dup := c.quantity[q.ID]; dup {
		panic("raming: quantity " + q.ID + " compiled twice")
	}
	st.slot = len(c.point)
	c.quantity[q.ID] = st.slot
	c.point = append(c.point, q.Exact.Value.InexactFloat64())
	c.steps = append(c.steps, st)
}

// binomial returns the slot of a Binomial node, adding the step that draws
// it the first time the node is met: a node that several figures share is
// drawn once per iteration.
func (c *compiler) binomial(e *Expr) int {
	if slot, ok := c.binomials[e]; ok {
		return slot
	}
	st := step{binomial: true, n: c.operand(e.Args[0]), p: c.operand(e.Args[1]), inputs: c.inputsOf(e)}
	st.slot = len(c.point)
	c.binomials[e] = st.slot
	c.point = append(c.point, e.Value.InexactFloat64())
	c.steps = append(c.steps, st)
	return st.slot
}

// draws is the number of Binomial nodes compiled.
func (c *compiler) draws() int { return len(c.binomials) }

// run fills the slots of the steps in order, drawing each Binomial from r.
// With redraw (not nil: for an input held at its value) it draws only the
// steps marked, keeping the others' draws in v.
func (c *compiler) run(v []float64, r *rand.Rand, redraw []bool) {
	for i := range c.steps {
		st := &c.steps[i]
		switch {
		case !st.binomial:
			v[st.slot] = st.prog(v) * st.factor
		case redraw == nil || redraw[i]:
			v[st.slot] = binomial(r, st.n.eval(v), st.p.eval(v))
		}
	}
}

// redrawWith marks the Binomial steps to draw again when the input in slot
// is held at its value: those whose value depends on it, or on an input
// that moves with it. The result is never nil (run draws every step for
// nil).
func (c *compiler) redrawWith(slot int) []bool {
	held := append([]int{slot}, c.in.moversOf(slot)...)
	redraw := make([]bool, len(c.steps))
	for i, st := range c.steps {
		for _, h := range held {
			redraw[i] = redraw[i] || st.binomial && st.inputs.has(h)
		}
	}
	return redraw
}

// inputsOf returns the assumption slots e depends on.
func (c *compiler) inputsOf(e *Expr) inputSet {
	var s inputSet
	switch e.Op {
	case OpValue:
		if e.Name != "" {
			s.add(c.in.slotOf(e.Name))
		}
		return s
	case OpRef:
		return c.steps[c.stepOf(c.quantitySlot(e.Name))].inputs
	case OpBinomial:
		if slot, ok := c.binomials[e]; ok {
			return c.steps[c.stepOf(slot)].inputs
		}
	}
	for _, a := range e.Args {
		s.union(c.inputsOf(a))
	}
	return s
}

// stepOf returns the index of the step that fills slot.
func (c *compiler) stepOf(slot int) int { return slot - len(c.in.point) }

// quantitySlot returns the slot of a quantity compiled before. An unknown
// ID is a programming error: it panics with the ID, never reads another
// slot.
func (c *compiler) quantitySlot(id string) int {
	i, ok := c.quantity[id]
	if !ok {
		panic("raming: no quantity " + id + " to simulate")
	}
	return i
}

// compile turns an expression into a float64 program over the slots.
func (c *compiler) compile(e *Expr) program {
	switch e.Op {
	case OpValue, OpRef, OpBinomial:
		o := c.operand(e)
		if i := o.slot; i >= 0 {
			return func(v []float64) float64 { return v[i] }
		}
		k := o.c
		return func([]float64) float64 { return k }
	case OpMul:
		os := c.operands(e.Args)
		return func(v []float64) float64 {
			x := 1.0
			for _, o := range os {
				x *= o.eval(v)
			}
			return x
		}
	case OpAdd:
		os := c.operands(e.Args)
		return func(v []float64) float64 {
			x := 0.0
			for _, o := range os {
				x += o.eval(v)
			}
			return x
		}
	case OpSub:
		a, b := c.operand(e.Args[0]), c.operand(e.Args[1])
		return func(v []float64) float64 { return a.eval(v) - b.eval(v) }
	case OpDiv:
		a, b := c.operand(e.Args[0]), c.operand(e.Args[1])
		return func(v []float64) float64 { return a.eval(v) / b.eval(v) }
	case OpMax0:
		a := c.operand(e.Args[0])
		return func(v []float64) float64 { return math.Max(0, a.eval(v)) }
	}
	panic(fmt.Sprintf("raming: unknown operation %d", e.Op))
}

// operand is an argument of an operation: a slot's value, a constant, or
// a program for any other expression. Reading a slot or a constant costs
// no call.
type operand struct {
	slot int // the slot read (-1: none)
	c    float64
	prog program // nil for a slot or a constant
}

func (o operand) eval(v []float64) float64 {
	switch {
	case o.prog != nil:
		return o.prog(v)
	case o.slot >= 0:
		return v[o.slot]
	}
	return o.c
}

func (c *compiler) operand(e *Expr) operand {
	switch {
	case e.IsConstant():
		return operand{slot: -1, c: e.Value.InexactFloat64()}
	case e.Op == OpValue:
		return operand{slot: c.in.slotOf(e.Name)}
	case e.Op == OpRef:
		return operand{slot: c.quantitySlot(e.Name)}
	case e.Op == OpBinomial:
		return operand{slot: c.binomial(e)}
	}
	return operand{slot: -1, prog: c.compile(e)}
}

func (c *compiler) operands(es []*Expr) []operand {
	os := make([]operand, len(es))
	for i, e := range es {
		os[i] = c.operand(e)
	}
	return os
}

// sameExpr reports whether two expressions compute the same figure in the
// same way (as variant E's case that costs what variant D costs). Two
// Binomial nodes are the same only as the same node: each is a draw of
// its own.
func sameExpr(a, b *Expr) bool {
	if a == b {
		return true
	}
	if a.Op == OpBinomial || a.Op != b.Op || a.Name != b.Name || len(a.Args) != len(b.Args) || !a.Value.Equal(b.Value) {
		return false
	}
	for i := range a.Args {
		if !sameExpr(a.Args[i], b.Args[i]) {
			return false
		}
	}
	return true
}

// inputSet is a set of assumption slots.
type inputSet []uint64

func (s *inputSet) add(i int) {
	for len(*s) <= i/64 {
		*s = append(*s, 0)
	}
	(*s)[i/64] |= 1 << (i % 64)
}

func (s *inputSet) union(o inputSet) {
	for len(*s) < len(o) {
		*s = append(*s, 0)
	}
	for i, w := range o {
		(*s)[i] |= w
	}
}

func (s inputSet) has(i int) bool { return i/64 < len(s) && s[i/64]&(1<<(i%64)) != 0 }
