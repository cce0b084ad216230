package raming

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// lanes is the number of iterations a compiled program evaluates at once.
// Every slot is a column of lanes values, one per iteration of a block,
// and an instruction runs down its columns in a tight loop, so that
// interpreting it costs once per block rather than once per iteration.
const lanes = 256

// opcode is an instruction's operation.
type opcode uint8

const (
	opAdd      opcode = iota // dst = a + b
	opSub                    // dst = a − b
	opMul                    // dst = a × b
	opDiv                    // dst = a ÷ b
	opMax0                   // dst = max(0, a)
	opBinomial               // dst = Binomial(a, b), drawn in each lane from the node's stream of that lane's iteration
)

// instr is one instruction: its operation on the columns of slots a and b
// into the column of slot dst. A Binomial draw is recorded in, and
// replayed from, the record's column draw, and drawn from the random
// stream keyed stream (streamKey of what the node counts).
type instr struct {
	op        opcode
	dst, a, b int32
	draw      int32
	stream    uint64
}

// compiler turns expressions into instructions over a vector of slots:
// first the scenario's assumptions (drawn by its inputSampler), then a
// slot for every constant, quantity, Binomial node and intermediate figure
// compiled. Every expression is compiled the same way, whatever it
// computes: the funnel on an extract, B's shares of access, a case's cost.
// The instructions keep the arithmetic of the exact figures in the same
// order, so every draw is what evaluating the expression in float64
// gives. A name that is neither an assumption nor a quantity compiled
// before panics with the name.
type compiler struct {
	in     *inputSampler
	nslots int
	// consts are the constant slots and their values.
	consts    []constant
	constSlot map[uint64]int
	quantity  map[string]int // slot of each quantity, by ID
	binomials map[*Expr]int  // slot of each Binomial node, by node: one draw per node
	keys      map[string]int // how many Binomial nodes of each key were compiled
	nodes     map[*Expr]int  // slot of each other compiled node: computed once
	code      []instr
	// deps are, per slot, the assumption slots its value depends on.
	deps []inputSet
	// bound is the largest value of a slot that is a count of rows
	// (countBound), and drawBound that of each recorded Binomial draw.
	bound     map[int]float64
	drawBound []float64
}

type constant struct {
	slot  int
	value float64
}

func newCompiler(in *inputSampler) *compiler {
	c := &compiler{in: in, nslots: len(in.point), constSlot: map[uint64]int{}, quantity: map[string]int{},
		binomials: map[*Expr]int{}, keys: map[string]int{}, nodes: map[*Expr]int{}, bound: map[int]float64{}}
	for i := range in.point {
		var s inputSet
		s.add(i)
		c.deps = append(c.deps, s)
	}
	return c
}

// slots is the length of a vector of slots for the compiled instructions.
func (c *compiler) slots() int { return c.nslots }

// newSlot adds a slot whose value depends on the assumptions in deps.
func (c *compiler) newSlot(deps inputSet) int {
	c.nslots++
	c.deps = append(c.deps, deps)
	return c.nslots - 1
}

// constant returns the slot of a constant value.
func (c *compiler) constant(x float64) int {
	bits := math.Float64bits(x)
	if slot, ok := c.constSlot[bits]; ok {
		return slot
	}
	slot := c.newSlot(nil)
	c.constSlot[bits] = slot
	c.consts = append(c.consts, constant{slot, x})
	c.bound[slot] = math.Abs(x)
	return slot
}

// emit appends an instruction writing a new slot (or dst, if not −1) and
// returns the slot written.
func (c *compiler) emit(op opcode, dst, a, b int) int {
	if dst < 0 {
		dst = c.newSlot(nil)
	}
	c.deps[dst].union(c.deps[a])
	c.deps[dst].union(c.deps[b])
	ba, bb := c.countBound(a), c.countBound(b)
	in := instr{op: op, dst: int32(dst), a: int32(a), b: int32(b), draw: -1}
	switch op {
	case opAdd, opSub:
		c.bound[dst] = ba + bb
	case opMul:
		c.bound[dst] = ba * bb
	case opMax0:
		c.bound[dst] = ba
	case opBinomial:
		c.bound[dst] = ba
		in.draw = int32(len(c.drawBound))
		c.drawBound = append(c.drawBound, ba)
	default:
		delete(c.bound, dst)
	}
	c.code = append(c.code, in)
	return dst
}

// addQuantity compiles quantity q: its slot holds the exact figure's
// program times the rounding factor (rounded ÷ exact at the point values;
// 1 without rounding).
func (c *compiler) addQuantity(q *Quantity) {
	if _, dup := c.quantity[q.ID]; dup {
		panic("raming: quantity " + q.ID + " compiled twice")
	}
	slot := c.compile(q.Exact)
	if q.Rounded != nil && !q.Exact.Value.IsZero() {
		if factor := q.Rounded.Value.InexactFloat64() / q.Exact.Value.InexactFloat64(); factor != 1 {
			slot = c.emit(opMul, -1, slot, c.constant(factor))
		}
	}
	c.quantity[q.ID] = slot
}

// draws is the number of Binomial nodes compiled.
func (c *compiler) draws() int { return len(c.binomials) }

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

// compile emits the instructions that compute e (after those of the
// nodes it uses, once each) and returns the slot that holds it.
func (c *compiler) compile(e *Expr) int {
	switch {
	case e.IsConstant():
		return c.constant(e.Value.InexactFloat64())
	case e.Op == OpValue:
		return c.in.slotOf(e.Name)
	case e.Op == OpRef:
		return c.quantitySlot(e.Name)
	}
	if e.Op == OpBinomial {
		if slot, ok := c.binomials[e]; ok {
			return slot
		}
		n, p := c.compile(e.Args[0]), c.compile(e.Args[1])
		slot := c.emit(opBinomial, -1, n, p)
		c.binomials[e] = slot
		// A second node of the same key (two independent draws of one
		// kind) gets a stream of its own: the key and its number.
		key := e.Name
		if c.keys[e.Name]++; c.keys[e.Name] > 1 {
			key = fmt.Sprintf("%s#%d", e.Name, c.keys[e.Name])
		}
		c.code[len(c.code)-1].stream = streamKey(key)
		return slot
	}
	if slot, ok := c.nodes[e]; ok {
		return slot
	}
	args := make([]int, len(e.Args))
	for i, a := range e.Args {
		args[i] = c.compile(a)
	}
	var slot int
	switch e.Op {
	case OpMul: // 1 × a₁ × a₂ ...: 1 × a₁ is a₁ exactly
		if len(args) == 0 {
			return c.constant(1)
		}
		slot = args[0]
		for i, a := range args[1:] {
			if i == 0 {
				slot = c.emit(opMul, -1, slot, a)
			} else {
				c.emit(opMul, slot, slot, a)
			}
		}
	case OpAdd: // 0 + a₁ + a₂ ..., as written (0 + −0 is +0)
		slot = c.constant(0)
		for i, a := range args {
			if i == 0 {
				slot = c.emit(opAdd, -1, slot, a)
			} else {
				c.emit(opAdd, slot, slot, a)
			}
		}
	case OpSub:
		slot = c.emit(opSub, -1, args[0], args[1])
	case OpDiv:
		slot = c.emit(opDiv, -1, args[0], args[1])
	case OpMax0:
		slot = c.emit(opMax0, -1, args[0], args[0])
	default:
		panic(fmt.Sprintf("raming: unknown operation %d", e.Op))
	}
	c.nodes[e] = slot
	return slot
}

// heldCode returns the instructions to run again when the input in slot
// is held at its value (and the inputs that move with it follow): those
// whose value depends on it, among them the Binomial draws (recorded in
// columns of their own), in order. The others keep their values.
func (c *compiler) heldCode(slot int) []instr {
	held := append([]int{slot}, c.in.moversOf(slot)...)
	var out []instr
	for _, in := range c.code {
		for _, h := range held {
			if c.deps[in.dst].has(h) {
				if in.op == opBinomial {
					bound := c.drawBound[in.draw]
					in.draw = int32(len(c.drawBound))
					c.drawBound = append(c.drawBound, bound)
				}
				out = append(out, in)
				break
			}
		}
	}
	return out
}

// codeFor returns the instructions that compute the given slots, in
// order: those whose results they depend on.
func (c *compiler) codeFor(slots ...int) []instr {
	need := make([]bool, c.nslots)
	for _, s := range slots {
		need[s] = true
	}
	var out []instr
	for i := len(c.code) - 1; i >= 0; i-- {
		if in := c.code[i]; need[in.dst] {
			need[in.a], need[in.b] = true, true
			out = append(out, in)
		}
	}
	slices.Reverse(out)
	return out
}

// machine is the state of one goroutine that evaluates compiled
// instructions: a column of lanes values per slot, and each lane's random
// stream. Its constants are filled in once.
type machine struct {
	v   []float64 // slot s's column is v[s*lanes : (s+1)*lanes]
	pcg [lanes]rand.PCG
	rnd [lanes]*rand.Rand
	// seed and lo select the random streams: lane t is iteration lo+t of
	// a simulation seeded seed (streamSeed).
	seed uint64
	lo   int
	// replay, when set, holds the draws the Binomial instructions read
	// instead of drawing, those of iterations at, at+1, ...
	replay *record
	at     int
}

func newMachine(c *compiler) *machine {
	m := &machine{}
	m.reset(c)
	return m
}

// reset makes m a machine for c's instructions, reusing its buffers.
func (m *machine) reset(c *compiler) {
	if m.rnd[0] == nil {
		for i := range m.rnd {
			m.rnd[i] = rand.New(&m.pcg[i])
		}
	}
	m.v = resize(m.v, c.slots()*lanes)
	for slot, x := range c.in.point {
		fill(m.col(slot), x)
	}
	for _, k := range c.consts {
		fill(m.col(k.slot), k.value)
	}
}

// col returns slot's column.
func (m *machine) col(slot int) []float64 { return m.v[slot*lanes : (slot+1)*lanes : (slot+1)*lanes] }

func fill(x []float64, v float64) {
	for i := range x {
		x[i] = v
	}
}

// exec runs code on the first n lanes.
func (m *machine) exec(code []instr, n int) {
	for _, in := range code {
		d, a, b := m.col(int(in.dst))[:n], m.col(int(in.a))[:n], m.col(int(in.b))[:n]
		switch in.op {
		case opAdd:
			for i := range d {
				d[i] = a[i] + b[i]
			}
		case opSub:
			for i := range d {
				d[i] = a[i] - b[i]
			}
		case opMul:
			for i := range d {
				d[i] = a[i] * b[i]
			}
		case opDiv:
			for i := range d {
				d[i] = a[i] / b[i]
			}
		case opMax0:
			for i := range d {
				d[i] = math.Max(0, a[i])
			}
		case opBinomial:
			if m.replay != nil {
				m.replay.draws[in.draw].load(m.at, d)
				continue
			}
			hi := streamSeed(m.seed, in.stream)
			for i := range d {
				m.pcg[i].Seed(hi, uint64(m.lo+i))
				d[i] = binomial(m.rnd[i], a[i], b[i])
			}
		}
	}
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

// streamKey is the key of a random stream: FNV-1a of what is drawn from
// it (an assumption's ID, what a Binomial node counts).
func streamKey(what string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(what); i++ {
		h = (h ^ uint64(what[i])) * 1099511628211
	}
	return h
}

// streamSeed is the first word of the PCG of a stream keyed key in a
// simulation seeded seed; the iteration is the second. So every uncertain
// assumption and every Binomial node draws each iteration from a stream of
// its own, the same in any scenario that draws it: two scenarios compared
// on the same seed draw the same random numbers for what they have in
// common, however many draws the rest takes (common random numbers). The
// words are mixed by SplitMix64's finaliser (Steele, Lea and Flood 2014),
// so that nearby seeds and keys give unrelated streams.
func streamSeed(seed, key uint64) uint64 {
	return mix64(mix64(seed) ^ key)
}

func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
