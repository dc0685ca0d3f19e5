package mse

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a confidence or credible interval for the total population.
type Interval struct {
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
	Level float64 `json:"level"` // e.g. 0.95
	// Kind says how it was computed: "profile_likelihood", "lognormal",
	// "wald", "posterior_quantiles", "bca_bootstrap".
	Kind string `json:"kind"`
}

// ProfileResult is a profile-likelihood interval for N.
type ProfileResult struct {
	Interval Interval `json:"interval"`
	// Mode is the N that maximises the multinomial profile likelihood; it
	// is close to, not equal to, the Poisson estimate n + exp(intercept).
	Mode float64 `json:"mode"`
}

// ProfileCI computes the profile-likelihood interval for the total N under
// a log-linear model (Cormack 1992; Rcapture closedpCI.t). For each N the
// full 2^J table, with N − n in the unobserved cell, is fitted by Poisson
// regression with the same design, and the multinomial log-likelihood
//
//	ℓ(N) = log N! − log (N−n)! + Σ_c y_c log(μ_c/N) + (N−n) log(μ_0/N)
//
// is maximised; the interval is {N : 2(ℓmax − ℓ(N)) ≤ χ²₁(level)}.
// N is treated as continuous.
func ProfileCI(t *Table, m Model, level float64) (*ProfileResult, error) {
	if level <= 0 || level >= 1 {
		level = 0.95
	}
	if t.J() != m.J || t.J() > MaxLogLinearLists {
		return nil, fmt.Errorf("mse: profile interval: model for %d lists, table has %d", m.J, t.J())
	}
	y := t.Dense()
	n := float64(t.N())
	cols := m.columns()
	C := len(y)
	g := newPoissonGLM(C, len(cols))
	for c := 0; c < C; c++ {
		g.y[c] = y[c]
		row := g.x[c*g.p : (c+1)*g.p]
		for k, col := range cols {
			if uint64(c)&col == col {
				row[k] = 1
			}
		}
	}
	lgN := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	first := true
	prof := func(n0 float64) float64 {
		g.y[0] = n0
		g.fit(!first)
		if !g.converged {
			g.fit(false)
		}
		first = false
		N := n + n0
		l := lgN(N+1) - lgN(n0+1)
		for c := 0; c < C; c++ {
			if g.y[c] > 0 {
				l += g.y[c] * math.Log(g.mu[c]/N)
			}
		}
		return l
	}
	// Start from the conditional (Poisson) estimate.
	f, err := FitLogLinear(t, m, FitOptions{})
	if err != nil {
		return nil, err
	}
	if math.IsNaN(f.Unobserved) || math.IsInf(f.Unobserved, 0) {
		return nil, errors.New("mse: profile interval: the model's estimate is not finite")
	}
	// Maximise over n0 ≥ 0 by golden-section search on a bracket around
	// the Poisson estimate.
	lo, hi := 0.0, math.Max(10*f.Unobserved, 10)
	for prof(hi) > prof(hi/2) && hi < 1e12 {
		hi *= 4
	}
	const gr = 0.6180339887498949
	a, b := lo, hi
	x1, x2 := b-gr*(b-a), a+gr*(b-a)
	f1, f2 := prof(x1), prof(x2)
	for i := 0; i < 200 && b-a > 1e-7*math.Max(1, b); i++ {
		if f1 < f2 {
			a, x1, f1 = x1, x2, f2
			x2 = a + gr*(b-a)
			f2 = prof(x2)
		} else {
			b, x2, f2 = x2, x1, f1
			x1 = b - gr*(b-a)
			f1 = prof(x1)
		}
	}
	mode := (a + b) / 2
	lmax := prof(mode)
	cut := distuv.ChiSquared{K: 1}.Quantile(level) / 2
	target := func(n0 float64) float64 { return lmax - prof(n0) - cut }
	res := &ProfileResult{Mode: n + mode}
	res.Interval.Level = level
	res.Interval.Kind = "profile_likelihood"
	// Lower bound: n0 in [0, mode]. If even n0 = 0 is inside, the bound is n.
	if target(0) <= 0 {
		res.Interval.Lower = n
	} else {
		res.Interval.Lower = n + bisect(target, 0, mode)
	}
	up := math.Max(2*mode, 10)
	for target(up) < 0 && up < 1e12 {
		up *= 2
	}
	if target(up) < 0 {
		res.Interval.Upper = math.Inf(1)
	} else {
		res.Interval.Upper = n + bisect(target, mode, up)
	}
	return res, nil
}

// bisect finds a root of f between a and b (f(a), f(b) of opposite signs).
func bisect(f func(float64) float64, a, b float64) float64 {
	fa := f(a)
	for i := 0; i < 200 && b-a > 1e-9*math.Max(1, math.Abs(b)); i++ {
		m := (a + b) / 2
		fm := f(m)
		if (fm < 0) == (fa < 0) {
			a, fa = m, fm
		} else {
			b = m
		}
	}
	return (a + b) / 2
}
