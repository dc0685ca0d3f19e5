package mse

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// LCMCROptions tune LCMCR. Zero values take the defaults shown.
type LCMCROptions struct {
	K       int     // truncation: most latent classes (default min(2^J − 1, 15), HRDAG's rule)
	AAlpha  float64 // Gamma shape of the stick-breaking concentration α (default 0.25)
	BAlpha  float64 // Gamma rate of α (default 0.25)
	Burnin  int     // sweeps discarded per chain after the warm-up (default 10,000)
	Samples int     // draws kept per chain (default 1,000)
	Thin    int     // sweeps per kept draw (default 100)
	Chains  int     // independent chains, run in parallel (default 4)
	Seed    uint64  // chain c uses PCG64-DXSM seeded (Seed, c); the same seed gives the same draws
	// NoLabelMoves turns off the label-switching moves (labelSwitch) and
	// leaves the plain Gibbs sampler of the reference implementation
	// (LCMCR 0.4.14). Each chain then keeps the class order it settles
	// into at the start; see docs/mse.md ("A4") for what that does on the
	// Colombian stratum. Default false: the moves are made.
	NoLabelMoves bool
	// Progress, when set, is called now and then with the sweeps done and
	// the total over all chains (possibly from several goroutines).
	Progress func(done, total int)
}

func (o *LCMCROptions) defaults(J int) {
	if o.K <= 0 {
		o.K = 15
		if J < 4 {
			o.K = 1<<uint(J) - 1
		}
	}
	if o.AAlpha <= 0 {
		o.AAlpha = 0.25
	}
	if o.BAlpha <= 0 {
		o.BAlpha = 0.25
	}
	if o.Burnin < 0 {
		o.Burnin = 0
	} else if o.Burnin == 0 {
		o.Burnin = 10000
	}
	if o.Samples <= 0 {
		o.Samples = 1000
	}
	if o.Thin <= 0 {
		o.Thin = 100
	}
	if o.Chains <= 0 {
		o.Chains = 4
	}
}

// LCMCRResult is the posterior of N from LCMCR.
type LCMCRResult struct {
	K       int     `json:"k"`
	AAlpha  float64 `json:"a_alpha"`
	BAlpha  float64 `json:"b_alpha"`
	Chains  int     `json:"chains"`
	Burnin  int     `json:"burnin"`
	Samples int     `json:"samples"` // per chain
	Thin    int     `json:"thin"`
	Seed    uint64  `json:"seed"`
	// LabelMoves: the label-switching moves were made (false only with
	// NoLabelMoves).
	LabelMoves bool    `json:"label_moves"`
	Observed   int     `json:"observed"`
	Mean       float64 `json:"mean"`
	Median     float64 `json:"median"`
	SD         float64 `json:"sd"`
	// Interval: 2.5% and 97.5% quantiles of the pooled draws.
	Interval Interval `json:"interval"`
	// RHat is the split-R̂ of N over the chains (values above 1.05 mean the
	// chains have not agreed); ESS the effective sample size of the pooled
	// draws.
	RHat float64 `json:"r_hat"`
	ESS  float64 `json:"ess"`
	// ChainMedians are the medians of N per chain.
	ChainMedians []float64 `json:"chain_medians"`
	// KStarMean is the mean number of occupied latent classes;
	// KStarAtMax the share of draws with every class occupied (if large,
	// raise K).
	KStarMean     float64  `json:"k_star_mean"`
	KStarAtMax    float64  `json:"k_star_at_max"`
	Warnings      []string `json:"warnings,omitempty"`
	Seconds       float64  `json:"seconds"`
	MicrosPerIter float64  `json:"micros_per_sweep"` // wall time per sweep per chain
	// Draws[c] are chain c's kept draws of N.
	Draws [][]float64 `json:"-"`
}

// Quantile returns the q-quantile of the pooled draws.
func (r *LCMCRResult) Quantile(q float64) float64 {
	var all []float64
	for _, d := range r.Draws {
		all = append(all, d...)
	}
	sort.Float64s(all)
	return quantileSorted(all, q)
}

// quantileSorted is R's type-7 quantile.
func quantileSorted(x []float64, q float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	h := (float64(len(x)) - 1) * q
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (h-lo)*(x[i+1]-x[i])
}

// LCMCR runs the Bayesian non-parametric latent-class capture–recapture
// model of Manrique-Vallier (2016) by Gibbs sampling, several chains in
// parallel. People fall into latent classes (at most K, with a truncated
// stick-breaking prior whose concentration α has a Gamma(AAlpha, BAlpha)
// prior); within a class lists record people independently; p(N) ∝ 1/N.
// It works with any number of lists and only the observed patterns, so its
// cost per sweep grows with (distinct patterns)·K·J, not with n.
func LCMCR(ctx context.Context, t *Table, opt LCMCROptions) (*LCMCRResult, error) {
	J := t.J()
	if J < 2 {
		return nil, errors.New("mse: LCMCR needs at least 2 lists")
	}
	for j, c := range t.ListTotals() {
		if c == 0 {
			return nil, fmt.Errorf("mse: LCMCR: list %q has no records; drop it first", t.Lists[j])
		}
	}
	if t.N() == 0 {
		return nil, errors.New("mse: LCMCR: empty table")
	}
	opt.defaults(J)
	res := &LCMCRResult{K: opt.K, AAlpha: opt.AAlpha, BAlpha: opt.BAlpha, Chains: opt.Chains, Burnin: opt.Burnin,
		Samples: opt.Samples, Thin: opt.Thin, Seed: opt.Seed, LabelMoves: !opt.NoLabelMoves, Observed: t.N()}
	res.Draws = make([][]float64, opt.Chains)
	kstar := make([][]int, opt.Chains)
	perChain := 500 + opt.Burnin + opt.Samples*opt.Thin
	total := perChain * opt.Chains
	var done atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, opt.Chains)
	for c := 0; c < opt.Chains; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			s := newLCMCRSampler(t, opt.K, opt.AAlpha, opt.BAlpha, newRNG(opt.Seed, uint64(c)))
			s.labelMoves = !opt.NoLabelMoves
			report := func(k int) error {
				d := int(done.Add(int64(k)))
				if opt.Progress != nil {
					opt.Progress(d, total)
				}
				return ctx.Err()
			}
			if errs[c] = s.init(report); errs[c] != nil {
				return
			}
			for i := 0; i < opt.Burnin; i++ {
				s.sweep(true)
				if (i+1)%2000 == 0 {
					if errs[c] = report(2000); errs[c] != nil {
						return
					}
				}
			}
			report(opt.Burnin % 2000)
			draws := make([]float64, opt.Samples)
			ks := make([]int, opt.Samples)
			pending := 0
			for d := 0; d < opt.Samples; d++ {
				for i := 0; i < opt.Thin; i++ {
					s.sweep(true)
				}
				draws[d] = float64(s.n + s.n0)
				ks[d] = s.kStar()
				pending += opt.Thin
				if pending >= 2000 {
					if errs[c] = report(pending); errs[c] != nil {
						return
					}
					pending = 0
				}
			}
			report(pending)
			res.Draws[c] = draws
			kstar[c] = ks
		}(c)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	res.Seconds = time.Since(start).Seconds()
	// Wall time per sweep of one chain on one core.
	res.MicrosPerIter = res.Seconds * 1e6 * float64(minInt(opt.Chains, runtime.GOMAXPROCS(0))) / float64(perChain*opt.Chains)
	var all []float64
	for _, d := range res.Draws {
		all = append(all, d...)
		sd := append([]float64(nil), d...)
		sort.Float64s(sd)
		res.ChainMedians = append(res.ChainMedians, quantileSorted(sd, 0.5))
	}
	sort.Float64s(all)
	m, v := meanVar(all)
	res.Mean, res.SD = m, math.Sqrt(v)
	res.Median = quantileSorted(all, 0.5)
	res.Interval = Interval{Lower: quantileSorted(all, 0.025), Upper: quantileSorted(all, 0.975), Level: 0.95, Kind: "posterior_quantiles"}
	res.RHat = splitRHat(res.Draws)
	res.ESS = essMulti(res.Draws)
	nk, atMax := 0.0, 0.0
	for _, ks := range kstar {
		for _, k := range ks {
			nk += float64(k)
			if k == opt.K {
				atMax++
			}
		}
	}
	res.KStarMean = nk / float64(len(all))
	res.KStarAtMax = atMax / float64(len(all))
	res.diagnose(all[len(all)-1], t.N())
	return res, nil
}

// diagnose adds the plain-language warnings: chains that disagree, few
// effective draws, all classes in use, draws at the sampler's cap. maxDraw
// is the largest draw of N; n the documented count.
func (res *LCMCRResult) diagnose(maxDraw float64, n int) {
	opt := LCMCROptions{Chains: res.Chains, K: res.K}
	if opt.Chains > 1 && res.RHat > 1.05 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the %d sampler chains disagree (R-hat %.2f; chain medians %s): the estimate is not reliable yet; run longer chains", opt.Chains, res.RHat, fmtList(res.ChainMedians)))
	}
	if res.ESS < 400 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("only about %.0f effectively independent draws: the interval is imprecise; run longer chains", res.ESS))
	}
	if res.KStarAtMax > 0.5 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("all %d latent classes are in use in %.0f%% of draws: raise K", opt.K, 100*res.KStarAtMax))
	}
	if maxDraw >= 21*float64(n)-0.5 {
		res.Warnings = append(res.Warnings, "some draws reached the sampler's cap of 21 times the documented count: the data say little about the undocumented")
	}
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func fmtList(x []float64) string {
	s := ""
	for i, v := range x {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%.0f", v)
	}
	return s
}

// lcmcrSampler is one chain.
type lcmcrSampler struct {
	J, K, M int
	n       int
	pats    []uint64
	counts  []int
	listTot []int
	aA, bA  float64
	g       *rng

	alpha float64
	// The stick-breaking weights are kept as plain numbers: V_k, 1 − V_k,
	// π_k and the products ∏_{l<k}(1 − V_l). Logs are taken only where
	// needed (label moves, α, cells whose weights underflow), except for
	// the breaks drawn in logs (lV, l1V; NaN where not drawn so).
	vLin   []float64 // K−1: V_k
	v1Lin  []float64 // K−1: 1 − V_k
	lV     []float64 // K−1: log V_k, or NaN
	l1V    []float64 // K−1: log(1 − V_k), or NaN
	prodV1 []float64 // K: ∏_{l<k}(1 − V_l)
	piLin  []float64 // K: π_k
	lpK    float64   // log π_K
	// logPi, log1mV and logV: the logs, filled by materializeLogPi; they
	// are the source of π (piFromLogs) only at the start and after the
	// classes are relabelled.
	piFromLogs bool
	logPi      []float64 // K
	log1mV     []float64 // K−1: log(1 − V_k)
	logV       []float64 // K−1: log V_k
	// labelMoves: Metropolis label-switching moves after the stick
	// breaks (see labelSwitch); off only to study the plain Gibbs sampler.
	labelMoves bool
	lambda     []float64 // J×K, list-major: λ_jk at j·K + k
	lam1m      []float64 // J×K: 1 − λ, drawn as such (no cancellation)
	n0         int
	n0k        []int // imputed unobserved per class
	nObsK      []int // observed per class
	a1         []int // J×K: observed in class k on list j
	w          []float64
	base       []float64 // π_k ∏_j (1 − λ_jk)
	ratio      []float64 // J×K: λ/(1 − λ)
	logBase    []float64
	logRat     []float64
	tmpInt     []int
	// ordCell[m]: the order of the classes kept between sweeps for the
	// multinomial draws of cell m.
	ordCell [][]int
	// logsReady: logBase and logRat are up to date; baseReady: base and
	// ratio are (the sweep leaves them so for the next one).
	logsReady, baseReady bool
	// cellOrder: the cells by number of lists; cellParent: see
	// newLCMCRSampler; cellScaled: the cell's weights were computed in
	// logs and rescaled this sweep.
	cellOrder  []int32
	cellParent []int32
	cellScaled []bool
	// The cells' weights (M×K), for the products from parent cells.
	cellW []float64
	// Scratch for the batched gamma variates of the λ and stick draws.
	gk    []*mtC
	gkTmp []mtC // constants not in the table
	gv    []float64
	gPair []int32
	gPend []gammaPending
	// sweeps counts the sweeps done; the orders are sorted afresh every
	// sortEvery sweeps.
	sweeps int
	// For patterns by bit lists.
	patBits [][]int
}

func newLCMCRSampler(t *Table, K int, aA, bA float64, g *rng) *lcmcrSampler {
	J, M := t.J(), len(t.Patterns)
	s := &lcmcrSampler{J: J, K: K, M: M, n: t.N(), pats: t.Patterns, counts: t.Counts, listTot: t.ListTotals(),
		aA: aA, bA: bA, g: g}
	s.logPi = make([]float64, K)
	s.log1mV = make([]float64, K)
	s.logV = make([]float64, K)
	s.vLin = make([]float64, K)
	s.lV = make([]float64, K)
	s.l1V = make([]float64, K)
	s.v1Lin = make([]float64, K)
	s.prodV1 = make([]float64, K)
	s.piLin = make([]float64, K)
	s.labelMoves = true
	s.lambda = make([]float64, K*J)
	s.lam1m = make([]float64, K*J)
	s.n0k = make([]int, K)
	s.nObsK = make([]int, K)
	s.a1 = make([]int, K*J)
	s.w = make([]float64, K)
	s.base = make([]float64, K)
	s.ratio = make([]float64, K*J)
	s.logBase = make([]float64, K)
	s.logRat = make([]float64, K*J)
	s.tmpInt = make([]int, K)
	s.cellW = make([]float64, M*K)
	s.gk = make([]*mtC, 0, 2*J*K)
	s.gkTmp = make([]mtC, 2*J*K)
	s.gv = make([]float64, 2*J*K)
	s.gPair = make([]int32, 0, J*K)
	s.gPend = make([]gammaPending, 2*J*K)
	s.patBits = make([][]int, M)
	s.ordCell = make([][]int, M)
	for m := range s.ordCell {
		s.ordCell[m] = make([]int, K)
		for k := range s.ordCell[m] {
			s.ordCell[m][k] = k
		}
	}
	for m, p := range t.Patterns {
		for q := p; q != 0; q &= q - 1 {
			s.patBits[m] = append(s.patBits[m], bits.TrailingZeros64(q))
		}
	}
	// Cells by number of lists, each with its parent: the cell of the
	// same pattern less its highest list, whose weights times that list's
	// odds are the cell's (−1: none).
	index := make(map[uint64]int, M)
	for m, p := range t.Patterns {
		index[p] = m
	}
	s.cellOrder = make([]int32, M)
	s.cellParent = make([]int32, M)
	for m, p := range t.Patterns {
		s.cellOrder[m] = int32(m)
		s.cellParent[m] = -1
		if q := p &^ (1 << (63 - bits.LeadingZeros64(p))); q != 0 {
			if pm, ok := index[q]; ok {
				s.cellParent[m] = int32(pm)
			}
		}
	}
	sort.SliceStable(s.cellOrder, func(a, b int) bool {
		return bits.OnesCount64(t.Patterns[s.cellOrder[a]]) < bits.OnesCount64(t.Patterns[s.cellOrder[b]])
	})
	s.cellScaled = make([]bool, M)
	return s
}

// init follows the reference initialisation: λ_jk = share of people on
// list j for every class, α = 0.3/K, 500 warm-up sweeps with α fixed, and
// classes relabelled by decreasing π.
//
// The first warm-up sweep assigns people with class weights spread evenly
// over the first min(4, K) classes (0.9 of the mass) and the rest (0.1), as
// the reference sampler does; the stick-breaking draws only start at the
// end of that sweep. This matters. Starting instead from π drawn from
// Beta(1,1) sticks (as an earlier version did) often gives one class most of
// the weight, so the first sweep puts most people in it; with α = 0.3/K the
// sampler then keeps them together. On the 20-list Colombian stratum that
// is a local mode (one class of about 740 of the 982 people, N ≈ 1,400)
// whose collapsed log-likelihood is about 90 lower than the main mode's and
// which the Gibbs sampler does not leave in millions of sweeps: half of the
// chains started that way stayed there (R̂ 1.29, pooled mean 1,658 instead of
// 2,066). With the spread start no chain out of 16 entered it.
func (s *lcmcrSampler) init(report func(int) error) error {
	K, J := s.K, s.J
	head := minInt(4, K)
	for k := 0; k < K; k++ {
		if k < head {
			s.logPi[k] = math.Log(0.9 / float64(head))
			if head == K {
				s.logPi[k] = -math.Log(float64(K))
			}
		} else {
			s.logPi[k] = math.Log(0.1 / float64(K-head))
		}
	}
	for k := 0; k < K; k++ {
		for j := 0; j < J; j++ {
			s.lambda[j*K+k] = float64(s.listTot[j]) / float64(s.n)
			s.lam1m[j*K+k] = float64(s.n-s.listTot[j]) / float64(s.n)
		}
	}
	s.piFromLogs = true
	s.alpha = 0.3 / float64(K)
	for i := 0; i < 500; i++ {
		s.sweep(false)
	}
	if err := report(500); err != nil {
		return err
	}
	// Relabel by decreasing π (the conditional stick-breaking structure is
	// rebuilt at the next sweep from the class sizes).
	s.materializeLogPi()
	idx := make([]int, K)
	for k := range idx {
		idx[k] = k
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.logPi[idx[a]] > s.logPi[idx[b]] })
	lp := append([]float64(nil), s.logPi...)
	lam := append([]float64(nil), s.lambda...)
	lam1m := append([]float64(nil), s.lam1m...)
	n0k := append([]int(nil), s.n0k...)
	for nk, k := range idx {
		s.logPi[nk] = lp[k]
		for j := 0; j < J; j++ {
			s.lambda[j*K+nk] = lam[j*K+k]
			s.lam1m[j*K+nk] = lam1m[j*K+k]
		}
		s.n0k[nk] = n0k[k]
	}
	s.piFromLogs = true
	s.baseReady = false
	return nil
}

// prepare computes base_k = π_k ∏_j (1 − λ_jk) and ratio_jk = λ/(1 − λ),
// from which every cell's class weights follow by products. The sweep
// leaves them ready for the next one, so this runs only at the start and
// after the classes are relabelled.
func (s *lcmcrSampler) prepare() {
	K, J := s.K, s.J
	if s.piFromLogs {
		for k := range s.piLin {
			s.piLin[k] = math.Exp(s.logPi[k])
		}
	}
	for k := 0; k < K; k++ {
		b := s.piLin[k]
		for j := 0; j < J; j++ {
			l, l1 := s.lambda[j*K+k], s.lam1m[j*K+k]
			b *= l1
			s.ratio[j*K+k] = l / l1
		}
		s.base[k] = b
	}
	s.logsReady = false
	s.baseReady = true
}

// prepareLogs computes log base_k and log ratio_jk, for cells whose
// products underflow; only when needed.
func (s *lcmcrSampler) prepareLogs() {
	if s.logsReady {
		return
	}
	s.materializeLogPi()
	K, J := s.K, s.J
	for k := 0; k < K; k++ {
		lb := s.logPi[k]
		for j := 0; j < J; j++ {
			l1 := math.Log(s.lam1m[j*K+k])
			lb += l1
			s.logRat[j*K+k] = math.Log(s.lambda[j*K+k]) - l1
		}
		s.logBase[k] = lb
	}
	s.logsReady = true
}

// sortEvery: the class orders of the multinomial draws are sorted by
// decreasing weight every sortEvery sweeps. Weights change little from one
// sweep to the next, so a slightly stale order costs less than sorting
// (whose comparisons the processor mispredicts); any order gives the same
// distribution.
const sortEvery = 16

// sweep is one Gibbs sweep; updateAlpha is false during warm-up.
func (s *lcmcrSampler) sweep(updateAlpha bool) {
	if !s.baseReady {
		s.prepare()
	}
	sortIt := s.sweeps%sortEvery == 0
	s.sweeps++
	s.drawObservedClasses(sortIt)
	s.drawLambda()
	s.drawSticks(s.nObsK[:s.K])
	if s.labelMoves {
		s.labelSwitch()
	}
	s.drawUnobserved()
	// 7. α ~ Gamma(a + K − 1, rate b − log π_K).
	if updateAlpha {
		s.alpha = s.g.gamma(s.aA+float64(s.K)-1) / (s.bA - s.logPiK())
	}
}

// drawObservedClasses is step 1: the latent classes of the observed
// people, cell by cell, counted in nObsK and a1. sortIt: sort the classes
// of each cell's multinomial afresh.
func (s *lcmcrSampler) drawObservedClasses(sortIt bool) {
	K, J := s.K, s.J
	g := s.g
	nObsK := s.nObsK[:K]
	for k := range nObsK {
		nObsK[k] = 0
	}
	a1 := s.a1[:K*J]
	for i := range a1 {
		a1[i] = 0
	}
	base := s.base[:K]
	ratio := s.ratio[:J*K]
	cellW := s.cellW
	for _, m32 := range s.cellOrder {
		m := int(m32)
		pb := s.patBits[m]
		w := cellW[m*K : m*K+K]
		// w_k = base_k ∏_{j on the pattern} ratio_jk: the parent cell's
		// weights times the odds of the last list, when the parent is
		// there (and was not rescaled).
		jl := pb[len(pb)-1]
		r := ratio[jl*K : jl*K+K]
		r = r[:len(w)]
		var sum float64
		if pm := s.cellParent[m]; pm >= 0 && !s.cellScaled[pm] {
			sum = mulSum(w, cellW[int(pm)*K:int(pm)*K+K], r)
		} else if len(pb) == 1 {
			sum = mulSum(w, base, r)
		} else {
			for k, b := range base {
				for _, j := range pb {
					b *= ratio[j*K+k]
				}
				w[k] = b
			}
			sum = sumOf(w)
		}
		s.cellScaled[m] = false
		if !(sum > 1e-280) || sum > math.MaxFloat64 {
			s.cellScaled[m] = true
			// Underflow or overflow: redo in logs with a max shift.
			s.prepareLogs()
			mx := math.Inf(-1)
			for k := 0; k < K; k++ {
				v := s.logBase[k]
				for _, j := range pb {
					v += s.logRat[j*K+k]
				}
				w[k] = v
				mx = math.Max(mx, v)
			}
			sum = 0
			for k := 0; k < K; k++ {
				w[k] = math.Exp(w[k] - mx)
				sum += w[k]
			}
		}
		f := s.counts[m]
		if f == 1 {
			k := g.categorical(w, sum)
			nObsK[k]++
			for _, j := range pb {
				a1[j*K+k]++
			}
			continue
		}
		ck := s.tmpInt[:K]
		for k := range ck {
			ck[k] = 0
		}
		ord := s.ordCell[m]
		if f <= perPersonMax {
			g.perPerson(f, w, ck, ord, 0)
		} else {
			g.multinomialSum(f, w, sum, ck, ord, sortIt)
		}
		if f < K {
			// Few people: add the classes that got some.
			for k, c := range ck {
				if c != 0 {
					nObsK[k] += c
					for _, j := range pb {
						a1[j*K+k] += c
					}
				}
			}
			continue
		}
		no := nObsK[:len(ck)]
		for k, c := range ck {
			no[k] += c
		}
		for _, j := range pb {
			a := a1[j*K : j*K+K]
			a = a[:len(ck)]
			for k, c := range ck {
				a[k] += c
			}
		}
	}
}

// drawLambda is step 2: the list-capture probabilities
// λ_jk ~ Beta(1 + A1, 1 + A0), A0 counting the imputed unobserved people
// too. λ, 1 − λ and their ratio come from the same two gamma variates.
func (s *lcmcrSampler) drawLambda() {
	K, J := s.K, s.J
	g := s.g
	a1 := s.a1[:K*J]
	lambda, lam1m, ratio := s.lambda[:J*K], s.lam1m[:J*K], s.ratio[:J*K]
	tot := s.tmpInt[:K]
	for k := range tot {
		tot[k] = s.nObsK[k] + s.n0k[k]
	}
	// Beta(1 + a, 1 + b) is x/(x + y) for x ~ Gamma(1 + a), y ~ Gamma(1 + b):
	// the gamma variates are drawn together (gammaBatch). An empty class
	// (a = b = 0) needs one uniform.
	gk, pairs := s.gk[:0], s.gPair[:0]
	for j := 0; j < J; j++ {
		for k, t := range tot {
			i := j*K + k
			a, b := a1[i], t-a1[i]
			if t > 0 {
				n := len(gk)
				gk = append(gk, mtConst(a, &s.gkTmp[n]), mtConst(b, &s.gkTmp[n+1]))
				pairs = append(pairs, int32(i))
				continue
			}
			l, l1, r := g.beta1p(a, b)
			// keep λ strictly inside (0,1) for the logs
			if !(l > 0) || !(l1 > 0) {
				l, l1, r = clampLambda(l, l1)
			}
			lambda[i], lam1m[i], ratio[i] = l, l1, r
		}
	}
	gv := s.gv[:len(gk)]
	g.gammaBatch(gk, gv, s.gPend)
	for p, i := range pairs {
		// λ = x/(x+y), 1 − λ = y/(x+y), λ/(1 − λ) = x/y: one division.
		x, y := gv[2*p], gv[2*p+1]
		sum := x + y
		r := 1 / (y * sum)
		lambda[i], lam1m[i], ratio[i] = x*y*r, y*y*r, x*sum*r
	}
}

// drawUnobserved is steps 4–6: P0 and the unobserved count, then its split
// over the classes. base and ratio stay as they are for the next sweep's
// step 1.
func (s *lcmcrSampler) drawUnobserved() {
	K, J := s.K, s.J
	g := s.g
	base, lam1m := s.base[:K], s.lam1m[:J*K]
	copy(base, s.piLin[:K])
	for j := 0; j < J; j++ {
		for k, l1 := range lam1m[j*K : j*K+K] {
			base[k] *= l1
		}
	}
	p0 := 0.0
	for _, b := range base {
		p0 += b
	}
	s.logsReady = false
	if p0 > 1 {
		p0 = 1
	}
	// n0 ~ NegBin(n, 1 − P0) (the failures before n successes), split
	// over the classes ∝ base_k: as a Gamma–Poisson mixture,
	// n0 | G ~ Poisson(G·P0/(1 − P0)) with G ~ Gamma(n, 1), and the split
	// of a Poisson count is independent Poisson counts, so
	// n0_k | G ~ Poisson(G·base_k/(1 − P0)). The cap N ≤ 21n rejects the
	// whole draw, as the reference redraws n0.
	n0k := s.n0k[:K]
	for {
		G := g.gamma(float64(s.n)) / (1 - p0)
		tot := 0
		for k, b := range base {
			c := g.poisson(G * b)
			n0k[k] = c
			tot += c
		}
		if tot <= 20*s.n {
			s.n0 = tot
			break
		}
	}
}

// drawSticks is step 3: the stick breaks
// V_k ~ Beta(1 + n_k, α + Σ_{l>k} n_l), k < K, and π. A break whose
// second shape is at least 1 is drawn as x/(x + y) from two gamma variates
// (or as 1 − U^{1/b} when n_k = 0) and kept as plain numbers: neither V_k
// nor 1 − V_k can underflow then. A break with a shape below 1
// (α + Σ_{l>k} n_l < 1: the last occupied class and those after it, when
// α < 1) is drawn in logs, since 1 − V_k can then be far below the
// smallest double; π_k is exp of its log there.
func (s *lcmcrSampler) drawSticks(nObsK []int) {
	K, g := s.K, s.g
	rest := 0
	for k := 0; k < K; k++ {
		rest += nObsK[k] + s.n0k[k]
	}
	vLin, v1Lin, lV, l1V := s.vLin[:K], s.v1Lin[:K], s.lV[:K], s.l1V[:K]
	prodV1, piLin := s.prodV1[:K], s.piLin[:K]
	// The breaks with α + Σ_{l>k} n_l ≥ 1 (the first kLin): their gamma
	// variates are drawn together.
	gk := s.gk[:0]
	kLin := 0
	r := rest
	for ; kLin < K-1; kLin++ {
		nk := nObsK[kLin] + s.n0k[kLin]
		r -= nk
		b := s.alpha + float64(r)
		if !(b >= 1) {
			break
		}
		n := len(gk)
		s.gkTmp[n+1] = newMTC(b)
		gk = append(gk, mtConst(nk, &s.gkTmp[n]), &s.gkTmp[n+1])
	}
	gv := s.gv[:len(gk)]
	g.gammaBatch(gk, gv, s.gPend)
	P := 1.0    // ∏_{l<k}(1 − V_l)
	pLin := 1.0 // the part of it from breaks kept as plain numbers
	lLog := 0.0 // the log of the rest
	for k := 0; k < kLin; k++ {
		x, y := gv[2*k], gv[2*k+1]
		t := 1 / (x + y)
		v, v1 := x*t, y*t
		vLin[k], v1Lin[k] = v, v1
		lV[k], l1V[k] = math.NaN(), math.NaN()
		prodV1[k] = P
		piLin[k] = P * v
		P *= v1
		if pLin *= v1; pLin < 1e-280 {
			lLog += math.Log(pLin)
			pLin = 1
		}
	}
	if kLin < K-1 {
		lP := math.Log(P) // log P from here on
		for k := 0; k < kLin; k++ {
			rest -= nObsK[k] + s.n0k[k]
		}
		for k := kLin; k < K-1; k++ {
			nk := nObsK[k] + s.n0k[k]
			rest -= nk
			b := s.alpha + float64(rest)
			prodV1[k] = P
			var v, v1, lv, l1v float64
			if nk == 0 {
				// Beta(1, b): log(1 − V) = log(U)/b exactly; V = 1 − e^t
				// directly when that loses nothing (e^t < 1/2), else by
				// expm1.
				l1v = math.Log(g.uniform()) / b
				v1 = math.Exp(l1v)
				if v1 < 0.5 {
					v = 1 - v1
				} else {
					v = -math.Expm1(l1v)
				}
				lv = math.NaN()
			} else {
				// V = Ga/(Ga + Gb), Ga ~ Gamma(1 + n_k), Gb ~ Gamma(b) kept
				// as its log (log Gamma(b+1) + log(U)/b: it can
				// underflow). With e = Gb/Ga: log V = −log(1 + e),
				// log(1 − V) = log e − log(1 + e).
				le := math.Log(g.gamma(b+1)) + math.Log(g.uniform())/b - math.Log(g.gamma1p(nk))
				e := math.Exp(le)
				l1p := math.Log1p(e)
				lv, l1v = -l1p, le-l1p
				v = 1 / (1 + e)
				v1 = e * v
			}
			vLin[k], v1Lin[k] = v, v1
			lV[k], l1V[k] = lv, l1v
			if P > 1e-290 {
				piLin[k] = P * v
			} else {
				lvk := lv
				if lvk != lvk {
					lvk = math.Log(v)
				}
				piLin[k] = math.Exp(lP + lvk)
			}
			lP += l1v
			lLog += l1v
			P *= v1
		}
		prodV1[K-1] = P
		piLin[K-1] = math.Exp(lP)
	} else {
		prodV1[K-1] = P
		piLin[K-1] = P
	}
	s.lpK = math.Log(pLin) + lLog
	s.piFromLogs = false
}

// logV1 returns log(1 − V_k).
func (s *lcmcrSampler) logV1(k int) float64 {
	if l := s.l1V[k]; l == l {
		return l
	}
	return math.Log(s.v1Lin[k])
}

// materializeLogPi fills logPi, logV and log1mV from the breaks.
func (s *lcmcrSampler) materializeLogPi() {
	if s.piFromLogs {
		return
	}
	K := s.K
	acc := 0.0
	for k := 0; k < K-1; k++ {
		lv := s.lV[k]
		if lv != lv {
			lv = math.Log(s.vLin[k])
		}
		s.logV[k] = lv
		s.log1mV[k] = s.logV1(k)
		s.logPi[k] = acc + lv
		acc += s.log1mV[k]
	}
	s.logPi[K-1] = acc
}

// logPiK returns log π_K = Σ_{k<K} log(1 − V_k).
func (s *lcmcrSampler) logPiK() float64 {
	if s.piFromLogs {
		return s.logPi[s.K-1]
	}
	return s.lpK
}

// clampLambda keeps λ and 1 − λ inside (0, 1) when a draw rounds to an
// end (possible only with extreme shapes), and returns the matching ratio.
func clampLambda(l, l1 float64) (float64, float64, float64) {
	if !(l > 0) {
		l, l1 = math.SmallestNonzeroFloat64, 1
	} else {
		l, l1 = 1, math.SmallestNonzeroFloat64
	}
	return l, l1, l / l1
}

// labelSwitch makes the two Metropolis label-switching moves of
// Papaspiliopoulos & Roberts (2008) and Hastie, Liverani & Richardson
// (2015) for stick-breaking mixtures. The stick-breaking prior is not
// exchangeable (class 1 has the largest expected weight), and Gibbs
// updates of the classes alone almost never exchange the roles of two
// large classes. On the 20-list Colombian stratum that leaves each chain
// with whichever class order it started from: chains whose first class
// holds the people most lists miss gave medians near 2,100, the others
// near 1,600, with no move between them in a million sweeps. Both moves
// leave the posterior unchanged:
//
//  1. Swap the labels (members and λ) of two classes j, l, keeping π;
//     accept with probability min(1, (π_l/π_j)^(n_j − n_l)).
//  2. Swap the labels of neighbours k, k+1 together with their stick
//     breaks V_k, V_{k+1}; accept with probability
//     min(1, (1 − V_{k+1})^(n_k) / (1 − V_k)^(n_{k+1})). The last class
//     (V_K = 1) never takes part.
//
// n_k counts the observed and the imputed unobserved members of class k.
func (s *lcmcrSampler) labelSwitch() {
	K := s.K
	if K < 2 {
		return
	}
	g := s.g
	nk := func(k int) float64 { return float64(s.nObsK[k] + s.n0k[k]) }
	// Move 1. log(π_l/π_j) from the plain numbers: a π that underflowed
	// belongs to an empty class, and the move is then rejected (or
	// skipped, d = 0) as it would be with the exact logs.
	j := int(g.intN(uint64(K)))
	l := int(g.intN(uint64(K - 1)))
	if l >= j {
		l++
	}
	if d := nk(j) - nk(l); d != 0 {
		if la := d * math.Log(s.piLin[l]/s.piLin[j]); la >= 0 || math.Log(g.uniform()) < la {
			s.swapClasses(j, l)
		}
	}
	// Move 2.
	if K < 3 {
		return
	}
	k := int(g.intN(uint64(K - 2)))
	la := 0.0
	if n := nk(k); n != 0 {
		la += n * s.logV1(k+1)
	}
	if n := nk(k + 1); n != 0 {
		la -= n * s.logV1(k)
	}
	if la >= 0 || math.Log(g.uniform()) < la {
		s.swapClasses(k, k+1)
		// The breaks move with the labels; π_k and π_{k+1} change, the
		// other products (and log π_K) do not.
		s.vLin[k], s.vLin[k+1] = s.vLin[k+1], s.vLin[k]
		s.v1Lin[k], s.v1Lin[k+1] = s.v1Lin[k+1], s.v1Lin[k]
		s.lV[k], s.lV[k+1] = s.lV[k+1], s.lV[k]
		s.l1V[k], s.l1V[k+1] = s.l1V[k+1], s.l1V[k]
		P := s.prodV1[k]
		s.prodV1[k+1] = P * s.v1Lin[k]
		if s.lV[k] == s.lV[k] || s.lV[k+1] == s.lV[k+1] || !(P > 1e-250) {
			// A break drawn in logs: π in logs.
			lp := s.logProd(k)
			s.piLin[k] = math.Exp(lp + s.logVk(k))
			s.piLin[k+1] = math.Exp(lp + s.logV1(k) + s.logVk(k+1))
			return
		}
		s.piLin[k] = P * s.vLin[k]
		s.piLin[k+1] = s.prodV1[k+1] * s.vLin[k+1]
	}
}

// logVk returns log V_k.
func (s *lcmcrSampler) logVk(k int) float64 {
	if l := s.lV[k]; l == l {
		return l
	}
	return math.Log(s.vLin[k])
}

// logProd returns log ∏_{l<k}(1 − V_l).
func (s *lcmcrSampler) logProd(k int) float64 {
	acc := 0.0
	for l := 0; l < k; l++ {
		acc += s.logV1(l)
	}
	return acc
}

// swapClasses exchanges the labels of classes a and b: their members
// (observed and imputed), their list totals and their λ; π stays with the
// label.
func (s *lcmcrSampler) swapClasses(a, b int) {
	J, K := s.J, s.K
	s.nObsK[a], s.nObsK[b] = s.nObsK[b], s.nObsK[a]
	s.n0k[a], s.n0k[b] = s.n0k[b], s.n0k[a]
	for j := 0; j < J; j++ {
		ja, jb := j*K+a, j*K+b
		s.a1[ja], s.a1[jb] = s.a1[jb], s.a1[ja]
		s.lambda[ja], s.lambda[jb] = s.lambda[jb], s.lambda[ja]
		s.lam1m[ja], s.lam1m[jb] = s.lam1m[jb], s.lam1m[ja]
		s.ratio[ja], s.ratio[jb] = s.ratio[jb], s.ratio[ja]
	}
}

func (s *lcmcrSampler) kStar() int {
	k := 0
	for i := 0; i < s.K; i++ {
		if s.nObsK[i]+s.n0k[i] > 0 {
			k++
		}
	}
	return k
}

func meanVar(x []float64) (float64, float64) {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	v := 0.0
	for _, u := range x {
		v += (u - m) * (u - m)
	}
	if len(x) > 1 {
		v /= float64(len(x) - 1)
	}
	return m, v
}

// splitRHat is the split-R̂ of Gelman et al. (BDA3): each chain is cut in
// two halves and the between- and within-half variances compared.
func splitRHat(chains [][]float64) float64 {
	var halves [][]float64
	for _, c := range chains {
		h := len(c) / 2
		if h < 2 {
			return math.NaN()
		}
		halves = append(halves, c[:h], c[len(c)-h:])
	}
	n := float64(len(halves[0]))
	var means []float64
	W := 0.0
	for _, h := range halves {
		m, v := meanVar(h)
		means = append(means, m)
		W += v
	}
	W /= float64(len(halves))
	_, B := meanVar(means)
	B *= n
	if W == 0 {
		return math.NaN()
	}
	varPlus := (n-1)/n*W + B/n
	return math.Sqrt(varPlus / W)
}

// essMulti estimates the effective sample size of the pooled chains from
// the multi-chain autocorrelation with Geyer's initial monotone sequence
// (as Stan does).
func essMulti(chains [][]float64) float64 {
	m := len(chains)
	n := len(chains[0])
	for _, c := range chains {
		if len(c) < n {
			n = len(c)
		}
	}
	if n < 4 {
		return math.NaN()
	}
	means := make([]float64, m)
	vars := make([]float64, m)
	acov := make([][]float64, m)
	for i, c := range chains {
		c = c[:n]
		means[i], vars[i] = meanVar(c)
		acov[i] = autocov(c, means[i])
	}
	W := 0.0
	for _, v := range vars {
		W += v
	}
	W /= float64(m)
	_, B := meanVar(means)
	if m == 1 {
		B = 0
	}
	varPlus := float64(n-1)/float64(n)*W + B
	if varPlus == 0 {
		return math.NaN()
	}
	rho := func(t int) float64 {
		s := 0.0
		for i := range chains {
			s += acov[i][t]
		}
		s /= float64(m)
		return 1 - (W-s)/varPlus
	}
	// Geyer: sum pairs Γ_k = ρ_{2k} + ρ_{2k+1} while positive, monotone.
	sum := 0.0
	prev := math.Inf(1)
	for k := 0; 2*k+1 < n; k++ {
		gk := rho(2*k) + rho(2*k+1)
		if gk <= 0 {
			break
		}
		if gk > prev {
			gk = prev
		}
		prev = gk
		sum += gk
	}
	tau := -1 + 2*sum
	if tau < 1/math.Log10(float64(m*n)) {
		tau = 1 / math.Log10(float64(m*n))
	}
	return float64(m*n) / tau
}

// autocov returns the biased autocovariances of x at every lag (direct
// O(n²) sum, truncated where it stops mattering).
func autocov(x []float64, mean float64) []float64 {
	n := len(x)
	out := make([]float64, n)
	maxLag := n - 1
	for t := 0; t <= maxLag; t++ {
		s := 0.0
		for i := 0; i+t < n; i++ {
			s += (x[i] - mean) * (x[i+t] - mean)
		}
		out[t] = s / float64(n)
	}
	return out
}
