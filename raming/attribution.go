package raming

import (
	"context"
	"fmt"
	"math/big"
	"math/bits"
	"slices"
	"sync"

	"github.com/shopspring/decimal"

	"raming/internal/goroutine"
	"raming/scenario"
)

// attribute splits each shared case's point difference over the keys that
// differ between base and other (cmp.Differences): by Shapley values over
// the keys that can move the estimate when they are at most
// MaxShapleyKeys, else one after another in the scenario reference's order
// (cmp.Method says which). It runs the engine's deterministic estimate of
// the base with every subset of those keys taken from the other (Shapley)
// or with every prefix of them (sequential), on workers side by side. A
// key whose distribution alone differs moves no estimate and gets 0; what
// the keys do not explain (other − base with every key taken) is a
// residual line. The shares are in whole cents that add up to the
// difference rounded to the cent (allocateCents). A subset that is not a
// valid scenario (keys that only make sense together) leaves the
// comparison without a split, and Note says why.
func (e *Engine) attribute(ctx context.Context, base, other *scenario.Scenario, c *ScenarioComparison, workers int) error {
	var players []scenario.Difference
	for _, d := range c.Differences {
		if d.Kind.MovesPoint() {
			players = append(players, d)
		}
	}
	if len(c.Cases) == 0 || len(c.Differences) == 0 {
		return nil
	}
	k := len(players)
	c.Method = AttributionSequential
	switch {
	case k == 0:
		c.Method = AttributionNone
	case k <= MaxShapleyKeys:
		c.Method = AttributionShapley
		// The keys that change what variant B per record reads vary
		// slowest, so that each evaluation of B serves a run of subsets
		// from the engine's cache.
		var rest, b []scenario.Difference
		for _, d := range players {
			if e.changesB(base, other, d) {
				b = append(b, d)
			} else {
				rest = append(rest, d)
			}
		}
		players = append(rest, b...)
	}
	var masks []uint32
	if c.Method != AttributionSequential {
		for m := range uint32(1) << k {
			masks = append(masks, m)
		}
	} else {
		for i := range k + 1 {
			masks = append(masks, uint32(1)<<i-1)
		}
	}
	// totals[m][j] is shared case j's total with the keys of masks[m] taken.
	totals := make([][]decimal.Decimal, len(masks))
	var mu sync.Mutex
	var first error
	goroutine.Parallel(workers, len(masks), func(_, m int) {
		if ctx.Err() != nil {
			return
		}
		t, err := e.withKeys(ctx, base, other, players, masks[m], c)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && first == nil {
			first = err
		}
		totals[m] = t
	})
	if err := cancelled(ctx); err != nil {
		return err
	}
	if first != nil {
		c.Method, c.Note = AttributionNone, fmt.Sprintf("the difference could not be split over the keys: %v", first)
		return nil
	}
	for j := range c.Cases {
		cc := &c.Cases[j]
		shares := make([]*big.Rat, k)
		if c.Method != AttributionSequential {
			shares = shapley(k, func(m uint32) decimal.Decimal { return totals[m][j] })
		} else {
			for i := range k {
				shares[i] = totals[i+1][j].Sub(totals[i][j]).Rat()
			}
		}
		residual := cc.Other.Total.Value.Sub(totals[len(totals)-1][j])
		lines := append(slices.Clone(shares), residual.Rat())
		cents := allocateCents(lines, cc.Difference)
		for _, d := range c.Differences {
			con := Contribution{Key: d.Key, Kind: d.Kind, Amount: decimal.Zero}
			if i := slices.IndexFunc(players, func(p scenario.Difference) bool { return p.Key == d.Key }); i >= 0 {
				con.Amount = cents[i]
			}
			cc.Attribution = append(cc.Attribution, con)
		}
		if !cents[k].IsZero() {
			cc.Attribution = append(cc.Attribution, Contribution{Residual: true, Amount: cents[k]})
		}
	}
	return nil
}

// changesB reports whether taking d from other changes what variant B
// per record reads (bKey), so that B must be evaluated again.
func (e *Engine) changesB(base, other *scenario.Scenario, d scenario.Difference) bool {
	if e.pop == nil || base.B == nil {
		return false
	}
	sc := base.Clone()
	if sc.Take(other, d) != nil || sc.B == nil {
		return false
	}
	return bKey(sc, sc.B) != bKey(base, base.B)
}

// withKeys returns the totals of the comparison's shared cases under the
// base with the keys in mask (bit i: players[i]) taken from other, by the
// engine's deterministic estimate (the base's own run for an empty mask).
func (e *Engine) withKeys(ctx context.Context, base, other *scenario.Scenario, players []scenario.Difference, mask uint32, c *ScenarioComparison) ([]decimal.Decimal, error) {
	res := c.Base
	if mask != 0 {
		var taken []scenario.Difference
		for i, d := range players {
			if mask&(1<<i) != 0 {
				taken = append(taken, d)
			}
		}
		sc := base.Clone()
		if err := sc.Take(other, taken...); err != nil {
			return nil, err
		}
		if err := sc.Revalidate(); err != nil {
			return nil, err
		}
		m, err := e.model(sc)
		if err != nil {
			return nil, err
		}
		if res, err = m.estimate(ctx); err != nil {
			return nil, err
		}
	}
	out := make([]decimal.Decimal, len(c.Cases))
	for j, cc := range c.Cases {
		cs := res.Case(cc.CaseID)
		if cs == nil {
			return nil, fmt.Errorf("the base with keys of the other has no case %s", cc.CaseID)
		}
		out[j] = cs.Total.Value
	}
	return out, nil
}

// shapley returns the Shapley value of each of k players in the game
// whose worth of a coalition (bit i: player i) is v, exactly:
//
//	φ_i = Σ over coalitions S without i of |S|! (k − |S| − 1)! / k! × (v(S ∪ {i}) − v(S))
//
// The marginal effects are summed per size of S first (exact decimals),
// then weighted.
func shapley(k int, v func(m uint32) decimal.Decimal) []*big.Rat {
	fact := func(n int) *big.Int { return new(big.Int).MulRange(1, int64(max(n, 1))) }
	out := make([]*big.Rat, k)
	for i := range k {
		bySize := make([]decimal.Decimal, k)
		for m := range uint32(1) << k {
			if m&(1<<i) == 0 {
				s := bits.OnesCount32(m)
				bySize[s] = bySize[s].Add(v(m | 1<<i).Sub(v(m)))
			}
		}
		phi := new(big.Rat)
		for s, sum := range bySize {
			w := new(big.Rat).SetFrac(new(big.Int).Mul(fact(s), fact(k-s-1)), fact(k))
			phi.Add(phi, w.Mul(w, sum.Rat()))
		}
		out[i] = phi
	}
	return out
}

// allocateCents rounds exact shares that add up to total to whole cents
// that add up to total rounded to the cent (half away from zero), by the
// largest remainder, as the budget years are (allocate): each share
// rounded down to the cent, and the cents left over to the shares with the
// largest remainders (ties: the earlier share).
func allocateCents(shares []*big.Rat, total decimal.Decimal) []decimal.Decimal {
	hundred := big.NewRat(100, 1)
	target := total.Round(2).Shift(2).BigInt()
	floors := make([]*big.Int, len(shares))
	rems := make([]*big.Rat, len(shares))
	sum := new(big.Int)
	for i, s := range shares {
		x := new(big.Rat).Mul(s, hundred)
		f := new(big.Int).Div(x.Num(), x.Denom()) // Euclidean: rounds down for a positive denominator
		floors[i], rems[i] = f, x.Sub(x, new(big.Rat).SetInt(f))
		sum.Add(sum, f)
	}
	extra := new(big.Int).Sub(target, sum).Int64()
	if extra < 0 || extra > int64(len(shares)) {
		panic(fmt.Sprintf("raming: the shares do not add up to %s (%d cents left over)", total, extra))
	}
	order := make([]int, len(shares))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
	out := make([]decimal.Decimal, len(shares))
	for _, i := range order[:extra] {
		floors[i].Add(floors[i], big.NewInt(1))
	}
	for i, f := range floors {
		out[i] = decimal.NewFromBigInt(f, -2)
	}
	return out
}
