package mse

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// MaxBMALists bounds the lists for BMA (the graphs are enumerated; 822 on
// five lists, 18,154 on six).
const MaxBMALists = 6

// Graph is a decomposable graphical model: its cliques and the multiset of
// separators of a junction tree (empty separators left out). Sets are bit
// masks over the lists.
type Graph struct {
	Cliques    []uint64 `json:"-"`
	Separators []uint64 `json:"-"`
}

// String writes the graph as dga does, e.g. "C=123,134 S=13", with 1-based
// list numbers; cliques and separators are sorted.
func (g Graph) String() string {
	cs := make([]string, len(g.Cliques))
	for i, c := range g.Cliques {
		cs[i] = maskDigits(c)
	}
	sort.Strings(cs)
	s := "C=" + strings.Join(cs, ",")
	if len(g.Separators) > 0 {
		ss := make([]string, len(g.Separators))
		for i, c := range g.Separators {
			ss[i] = maskDigits(c)
		}
		sort.Strings(ss)
		s += " S=" + strings.Join(ss, ",")
	}
	return s
}

// DecomposableGraphs enumerates every labelled decomposable (chordal) graph
// on p vertices: 1, 2, 8, 61, 822, 18,154 for p = 1..6.
func DecomposableGraphs(p int) []Graph {
	var edges [][2]int
	for a := 0; a < p; a++ {
		for b := a + 1; b < p; b++ {
			edges = append(edges, [2]int{a, b})
		}
	}
	var out []Graph
	adj := make([]uint64, p)
	for e := uint64(0); e < uint64(1)<<uint(len(edges)); e++ {
		for i := range adj {
			adj[i] = 0
		}
		for k, ed := range edges {
			if e&(1<<uint(k)) != 0 {
				adj[ed[0]] |= 1 << uint(ed[1])
				adj[ed[1]] |= 1 << uint(ed[0])
			}
		}
		if g, ok := chordalCliques(adj); ok {
			out = append(out, g)
		}
	}
	return out
}

// chordalCliques runs maximum cardinality search; if the visit order is a
// perfect elimination ordering (the graph is chordal) it returns the
// maximal cliques in a perfect sequence and the separators
// S_i = C_i ∩ (C_1 ∪ … ∪ C_{i−1}), empty ones left out.
func chordalCliques(adj []uint64) (Graph, bool) {
	p := len(adj)
	var visited uint64
	order := make([]int, 0, p)
	pos := make([]int, p)
	for len(order) < p {
		best, bestW := -1, -1
		for v := 0; v < p; v++ {
			if visited&(1<<uint(v)) != 0 {
				continue
			}
			w := bits.OnesCount64(adj[v] & visited)
			if w > bestW {
				best, bestW = v, w
			}
		}
		pos[best] = len(order)
		order = append(order, best)
		visited |= 1 << uint(best)
	}
	// Chordal iff for every v, its earlier neighbours form a clique.
	var cands []uint64
	var prev uint64
	for _, v := range order {
		earlier := adj[v] & prev
		for q := earlier; q != 0; q &= q - 1 {
			u := bits.TrailingZeros64(q)
			if earlier&^(1<<uint(u))&^adj[u] != 0 {
				return Graph{}, false
			}
		}
		cands = append(cands, earlier|1<<uint(v))
		prev |= 1 << uint(v)
	}
	// Maximal cliques among the candidates, in order of completion.
	var g Graph
	for i, c := range cands {
		maximal := true
		for j, d := range cands {
			if j != i && d&c == c && (d != c || j < i) {
				maximal = false
				break
			}
		}
		if maximal {
			g.Cliques = append(g.Cliques, c)
		}
	}
	var union uint64
	for i, c := range g.Cliques {
		if i > 0 {
			if s := c & union; s != 0 {
				g.Separators = append(g.Separators, s)
			}
		}
		union |= c
	}
	return g, true
}

// BMAOptions tune BMA.
type BMAOptions struct {
	// Delta is the hyper-Dirichlet parameter per cell of the full table
	// (default 2^−J, dga's suggestion; δ = 1 favours the saturated model).
	Delta float64
	// MinMissing, MaxMissing bound the grid of values of the unobserved
	// count n0 (every integer in between). MaxMissing 0 picks 10·n and
	// widens the grid (up to 160·n) while the posterior has mass at its end.
	MinMissing, MaxMissing int
	// LogPriorN is log p(N) up to a constant (default −log N).
	LogPriorN func(N float64) float64
	// LogPriorGraph is log p(G) up to a constant (default uniform).
	LogPriorGraph func(g Graph) float64
	// Workers for the graph sums (0: GOMAXPROCS).
	Workers int
}

// GraphPosterior is one graph's posterior and its estimate.
type GraphPosterior struct {
	Graph       string  `json:"graph"` // dga notation
	Description string  `json:"description"`
	Probability float64 `json:"probability"`
	// Mean, Mode and BayesEstimate of N under this graph alone.
	Mean float64 `json:"mean"`
	Mode float64 `json:"mode"`
	// BayesEstimate is E[1/N]/E[1/N²], the Bayes estimate under relative
	// squared error loss used by Madigan & York.
	BayesEstimate float64 `json:"bayes_estimate"`
}

// BMAResult is the model-averaged posterior of N.
type BMAResult struct {
	Delta         float64          `json:"delta"`
	Graphs        int              `json:"graphs"`
	MinMissing    int              `json:"min_missing"`
	MaxMissing    int              `json:"max_missing"`
	Mean          float64          `json:"mean"`
	Median        float64          `json:"median"`
	Mode          float64          `json:"mode"`
	BayesEstimate float64          `json:"bayes_estimate"` // E[1/N]/E[1/N²]
	Interval      Interval         `json:"interval"`       // 2.5% and 97.5% posterior quantiles
	TailMassLast  float64          `json:"tail_mass_last"` // posterior at the largest grid value
	Top           []GraphPosterior `json:"top"`            // best graphs (at most 10), best first
	// Posterior of N over the grid: PosteriorN[i] = p(N = n + MinMissing + i).
	PosteriorN []float64 `json:"-"`
	Observed   int       `json:"observed"`
}

// Quantile returns the smallest N whose posterior CDF reaches q.
func (r *BMAResult) Quantile(q float64) float64 {
	c := 0.0
	for i, p := range r.PosteriorN {
		c += p
		if c >= q-1e-12 {
			return float64(r.Observed + r.MinMissing + i)
		}
	}
	return float64(r.Observed + r.MinMissing + len(r.PosteriorN) - 1)
}

// BMA averages over all decomposable graphical models (Madigan & York
// 1997), as dga's bma.cr: for every graph G and every n0 on a grid it
// computes the exact posterior p(G, n0 | data) under a hyper-Dirichlet
// prior, and normalises jointly.
func BMA(ctx context.Context, t *Table, opt BMAOptions) (*BMAResult, error) {
	p := t.J()
	if p < 2 || p > MaxBMALists {
		return nil, fmt.Errorf("mse: BMA needs 2 to %d lists, table has %d", MaxBMALists, p)
	}
	if opt.Delta <= 0 {
		opt.Delta = math.Ldexp(1, -p)
	}
	auto := opt.MaxMissing <= 0
	if auto {
		opt.MaxMissing = max(10*t.N(), 1000)
	}
	graphs := DecomposableGraphs(p)
	for {
		r, err := bmaGrid(ctx, t, graphs, opt)
		if err != nil {
			return nil, err
		}
		// Widen the grid while the posterior still has mass near its end.
		tail := 0.0
		k := len(r.PosteriorN)
		for i := k - k/10; i < k; i++ {
			tail += r.PosteriorN[i]
		}
		if !auto || tail < 1e-6 || opt.MaxMissing >= 160*t.N() {
			return r, nil
		}
		opt.MaxMissing *= 2
	}
}

func bmaGrid(ctx context.Context, t *Table, graphs []Graph, opt BMAOptions) (*BMAResult, error) {
	p := t.J()
	y := t.Dense()
	n := float64(t.N())
	lo, hi := opt.MinMissing, opt.MaxMissing
	if lo < 0 || hi < lo {
		return nil, errors.New("mse: BMA: bad grid")
	}
	K := hi - lo + 1
	delta := opt.Delta
	full := 1 << uint(p)
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	// logML rows for every non-empty subset of lists.
	rows := make([][]float64, full)
	for C := 1; C < full; C++ {
		c := bits.OnesCount(uint(C))
		dC := delta * float64(int(1)<<uint(p-c))
		D := make([]float64, 1<<uint(c))
		for cell := 1; cell < full; cell++ {
			D[compress(uint64(cell), uint64(C))] += y[cell]
		}
		konst := -float64(len(D)) * lg(dC)
		for _, d := range D[1:] {
			konst += lg(d + dC)
		}
		row := make([]float64, K)
		for i := 0; i < K; i++ {
			row[i] = konst + lg(D[0]+float64(lo+i)+dC)
		}
		rows[C] = row
	}
	logPriorN := opt.LogPriorN
	if logPriorN == nil {
		logPriorN = func(N float64) float64 { return -math.Log(N) }
	}
	// Terms common to all graphs, and the per-graph factor for
	// (|cliques| − |separators|).
	common := make([]float64, K)
	per := make([]float64, K)
	totalPrior := delta * float64(full)
	for i := 0; i < K; i++ {
		n0 := float64(lo + i)
		N := n + n0
		common[i] = lg(N+1) - lg(n0+1) + logPriorN(N)
		per[i] = lg(totalPrior) - lg(N+totalPrior)
	}
	G := len(graphs)
	scores := make([][]float64, G)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	maxes := make([]float64, G)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for gi := w; gi < G; gi += workers {
				if ctx.Err() != nil {
					return
				}
				g := graphs[gi]
				s := make([]float64, K)
				d := float64(len(g.Cliques) - len(g.Separators))
				gp := 0.0
				if opt.LogPriorGraph != nil {
					gp = opt.LogPriorGraph(g)
				}
				for i := range s {
					s[i] = common[i] + d*per[i] + gp
				}
				for _, c := range g.Cliques {
					r := rows[c]
					for i := range s {
						s[i] += r[i]
					}
				}
				for _, c := range g.Separators {
					r := rows[c]
					for i := range s {
						s[i] -= r[i]
					}
				}
				m := math.Inf(-1)
				for _, v := range s {
					if v > m {
						m = v
					}
				}
				scores[gi], maxes[gi] = s, m
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gmax := math.Inf(-1)
	for _, m := range maxes {
		gmax = math.Max(gmax, m)
	}
	res := &BMAResult{Delta: delta, Graphs: G, MinMissing: lo, MaxMissing: hi, Observed: t.N()}
	res.PosteriorN = make([]float64, K)
	gpost := make([]float64, G)
	total := 0.0
	for gi, s := range scores {
		if maxes[gi]-gmax < -745 {
			continue
		}
		sum := 0.0
		for i, v := range s {
			if v-gmax > -745 {
				e := math.Exp(v - gmax)
				s[i] = e
				res.PosteriorN[i] += e
				sum += e
			} else {
				s[i] = 0
			}
		}
		gpost[gi] = sum
		total += sum
	}
	for i := range res.PosteriorN {
		res.PosteriorN[i] /= total
	}
	summarise := func(w []float64) (mean, mode, bayes float64) {
		s, s1, s2, best := 0.0, 0.0, 0.0, -1.0
		for i, v := range w {
			N := n + float64(lo+i)
			s += v
			mean += v * N
			s1 += v / N
			s2 += v / (N * N)
			if v > best {
				best, mode = v, N
			}
		}
		return mean / s, mode, s1 / s2
	}
	res.Mean, res.Mode, res.BayesEstimate = summarise(res.PosteriorN)
	res.Median = res.Quantile(0.5)
	res.Interval = Interval{Lower: res.Quantile(0.025), Upper: res.Quantile(0.975), Level: 0.95, Kind: "posterior_quantiles"}
	res.TailMassLast = res.PosteriorN[K-1]
	idx := make([]int, G)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return gpost[idx[a]] > gpost[idx[b]] })
	for _, gi := range idx[:min(10, G)] {
		if gpost[gi] == 0 {
			break
		}
		gp := GraphPosterior{Graph: graphs[gi].String(), Description: graphDescription(graphs[gi], t.Lists), Probability: gpost[gi] / total}
		gp.Mean, gp.Mode, gp.BayesEstimate = summarise(scores[gi])
		res.Top = append(res.Top, gp)
	}
	return res, nil
}

// compress maps the bits of cell selected by mask C to a dense index.
func compress(cell, C uint64) int {
	idx, k := 0, 0
	for q := C; q != 0; q &= q - 1 {
		b := q & -q
		if cell&b != 0 {
			idx |= 1 << uint(k)
		}
		k++
	}
	return idx
}

func graphDescription(g Graph, lists []string) string {
	parts := make([]string, len(g.Cliques))
	for i, c := range g.Cliques {
		parts[i] = "{" + strings.ReplaceAll(termName(c, lists), ":", ",") + "}"
	}
	return "cliques " + strings.Join(parts, " ")
}
