package mse

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// StepwiseOptions tune Stepwise.
type StepwiseOptions struct {
	// PThreshold: a pair is added while its p-value is below it
	// (SparseMSE's pthresh; default 0.02).
	PThreshold float64
}

// StepwiseStep records one addition.
type StepwiseStep struct {
	Term   string  `json:"term"`    // e.g. "LA:NG"
	PValue float64 `json:"p_value"` // of the added pair
	// EmptyOverlap: no one is on both lists, so the term is −∞ (those
	// combinations are treated as impossible).
	EmptyOverlap bool `json:"empty_overlap,omitempty"`
}

// StepwiseResult is the outcome of Stepwise.
type StepwiseResult struct {
	Steps []StepwiseStep `json:"steps"`
	Fit   *LogLinearFit  `json:"fit"` // final model, extended fit
	// Interval is SparseMSE's log-normal 95% interval
	// n + exp(intercept ± 1.96·sd).
	Interval Interval `json:"interval"`
}

// Stepwise selects pairwise interactions as SparseMSE's stepwisefit does
// (Chan, Silverman & Vincent 2019). Starting from main effects, for each
// pair (j,k) not yet in the model it compares the number of people on both
// lists, n*, with λ, the sum of the fitted values of the cells on both lists
// under the current model: p = min(P(X ≤ n*), P(X ≥ n*)) with X ~ Poisson(λ).
// A pair whose model fails the existence/identifiability check gets p = 1.
// The pair with the smallest p (ties: the first in the order 12, 13, …, 23,
// …) is added while p < PThreshold. Fits use the extended MLE: pairs with
// no overlap are −∞.
func Stepwise(ctx context.Context, t *Table, opt StepwiseOptions) (*StepwiseResult, error) {
	if opt.PThreshold <= 0 {
		opt.PThreshold = 0.02
	}
	J := t.J()
	if J < 2 || J > MaxLogLinearLists {
		return nil, fmt.Errorf("mse: stepwise needs 2 to %d lists, table has %d", MaxLogLinearLists, J)
	}
	y := t.Dense()
	n := t.N()
	var pairs []uint64
	for a := 0; a < J; a++ {
		for b := a + 1; b < J; b++ {
			pairs = append(pairs, 1<<uint(a)|1<<uint(b))
		}
	}
	overlap := make([]float64, len(pairs))
	for i, pr := range pairs {
		for c := 1; c < len(y); c++ {
			if uint64(c)&pr == pr {
				overlap[i] += y[c]
			}
		}
	}
	g := newPoissonGLM(0, 0)
	cur := MainEffects(J)
	in := map[uint64]bool{}
	res := &StepwiseResult{}
	fit := fitLogLinearDense(g, t.Lists, n, y, cur, FitOptions{Extended: true})
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		best, bestP := -1, math.Inf(1)
		for i, pr := range pairs {
			if in[pr] {
				continue
			}
			lam := 0.0
			for c := 1; c < len(y); c++ {
				if uint64(c)&pr == pr {
					lam += fit.Fitted[c]
				}
			}
			p := poissonTwoSided(overlap[i], lam)
			cand := Model{J: J, Terms: append(append([]uint64(nil), cur.Terms...), pr)}
			sortTerms(cand.Terms)
			if ck := checkModelDense(cand, y, t.Lists); !ck.OK() {
				p = 1
			}
			if p < bestP {
				best, bestP = i, p
			}
		}
		if best < 0 || !(bestP < opt.PThreshold) {
			break
		}
		pr := pairs[best]
		in[pr] = true
		cur.Terms = append(cur.Terms, pr)
		sortTerms(cur.Terms)
		res.Steps = append(res.Steps, StepwiseStep{Term: termName(pr, t.Lists), PValue: bestP, EmptyOverlap: overlap[best] == 0})
		fit = fitLogLinearDense(g, t.Lists, n, y, cur, FitOptions{Extended: true})
	}
	ck := checkModelDense(cur, y, t.Lists)
	fit.Check = &ck
	res.Fit = fit
	res.Interval = Interval{Lower: fit.LogNormalLower, Upper: fit.LogNormalUpper, Level: 0.95, Kind: "lognormal"}
	return res, nil
}

// poissonTwoSided returns min(P(X ≤ k), P(X ≥ k)) for X ~ Poisson(lam).
func poissonTwoSided(k, lam float64) float64 {
	if lam <= 0 {
		if k == 0 {
			return 1
		}
		return 0
	}
	d := distuv.Poisson{Lambda: lam}
	lower := d.CDF(k)
	upper := 1.0
	if k > 0 {
		upper = 1 - d.CDF(k-1)
		if upper < 1e-8 {
			upper = d.Survival(k - 1)
		}
	}
	return math.Min(lower, upper)
}
