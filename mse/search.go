package mse

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// MaxSearchLists bounds the exhaustive hierarchical search (J = 6 already
// has millions of models).
const MaxSearchLists = 5

// EnumerateHierarchical lists every hierarchical log-linear model over J
// lists that contains all main effects and interactions of order at most
// maxOrder (maxOrder ≤ J−1; 0 means J−1), as Rcapture's closedpMS.t does.
// There are 8, 113 and 6,893 of them for J = 3, 4, 5 with maxOrder = J−1.
func EnumerateHierarchical(J, maxOrder int) []Model {
	if maxOrder <= 0 || maxOrder > J-1 {
		maxOrder = J - 1
	}
	var cand []uint64
	for s := uint64(1); s < uint64(1)<<uint(J); s++ {
		if k := bits.OnesCount64(s); k >= 2 && k <= maxOrder {
			cand = append(cand, s)
		}
	}
	sortTerms(cand)
	in := make(map[uint64]bool, len(cand))
	var out []Model
	var cur []uint64
	var rec func(i int)
	rec = func(i int) {
		if i == len(cand) {
			m := Model{J: J, Terms: append([]uint64(nil), cur...)}
			out = append(out, m)
			return
		}
		t := cand[i]
		// exclude
		rec(i + 1)
		// include only if every facet of order ≥ 2 is in
		if bits.OnesCount64(t) > 2 {
			for q := t; q != 0; q &= q - 1 {
				if !in[t&^(q&-q)] {
					return
				}
			}
		}
		in[t] = true
		cur = append(cur, t)
		rec(i + 1)
		cur = cur[:len(cur)-1]
		in[t] = false
	}
	rec(0)
	return out
}

// Criterion selects models.
type Criterion string

const (
	AIC Criterion = "aic"
	BIC Criterion = "bic"
)

func (c Criterion) value(f *LogLinearFit) float64 {
	if c == AIC {
		return f.AIC
	}
	return f.BIC
}

// SearchOptions tune SearchHierarchical.
type SearchOptions struct {
	MaxOrder  int       // highest interaction order (0: J−1)
	Criterion Criterion // "bic" (default) or "aic"
	Workers   int       // parallel fits (0: GOMAXPROCS)
	// Progress, when set, is called from time to time with the number of
	// models fitted so far and the total. It may be called concurrently.
	Progress func(done, total int)
}

// SearchResult is the outcome of an exhaustive model search.
type SearchResult struct {
	Criterion Criterion       `json:"criterion"`
	Count     int             `json:"count"` // models fitted
	Best      *LogLinearFit   `json:"best"`
	Top       []*LogLinearFit `json:"top"` // best models, best first (at most 20)
	All       []*LogLinearFit `json:"-"`   // every model, best first
}

// SearchHierarchical fits every hierarchical model (EnumerateHierarchical)
// and ranks them by AIC or BIC, ties broken by enumeration order. It needs
// 3 to MaxSearchLists lists.
func SearchHierarchical(ctx context.Context, t *Table, opt SearchOptions) (*SearchResult, error) {
	J := t.J()
	if J < 3 || J > MaxSearchLists {
		return nil, fmt.Errorf("mse: exhaustive search needs 3 to %d lists, table has %d", MaxSearchLists, J)
	}
	if opt.Criterion == "" {
		opt.Criterion = BIC
	}
	if opt.Criterion != AIC && opt.Criterion != BIC {
		return nil, fmt.Errorf("mse: unknown criterion %q", opt.Criterion)
	}
	models := EnumerateHierarchical(J, opt.MaxOrder)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	y := t.Dense()
	n := t.N()
	fits := make([]*LogLinearFit, len(models))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := newPoissonGLM(0, 0)
			for {
				if ctx.Err() != nil {
					return
				}
				i := int(next.Add(1) - 1)
				if i >= len(models) {
					return
				}
				f := fitLogLinearDense(g, t.Lists, n, y, models[i], FitOptions{})
				f.Fitted = nil
				fits[i] = f
				d := int(done.Add(1))
				if opt.Progress != nil && (d%256 == 0 || d == len(models)) {
					opt.Progress(d, len(models))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	order := make([]int, len(fits))
	for i := range order {
		order[i] = i
	}
	crit := opt.Criterion
	sort.SliceStable(order, func(a, b int) bool {
		va, vb := crit.value(fits[order[a]]), crit.value(fits[order[b]])
		if math.IsNaN(va) {
			return false
		}
		if math.IsNaN(vb) {
			return true
		}
		return va < vb
	})
	res := &SearchResult{Criterion: crit, Count: len(fits)}
	for _, i := range order {
		res.All = append(res.All, fits[i])
	}
	res.Best = res.All[0]
	res.Top = res.All[:min(20, len(res.All))]
	return res, nil
}
