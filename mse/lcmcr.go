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
	Seed    uint64  // chain c uses PCG(Seed, c); the same seed gives the same draws
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

	alpha  float64
	logPi  []float64 // K
	log1mV []float64 // K−1: log(1 − V_k)
	logV   []float64 // K−1: log V_k
	// labelMoves: Metropolis label-switching moves after the stick
	// breaks (see labelSwitch); off only to study the plain Gibbs sampler.
	labelMoves bool
	lambda     []float64 // K×J, class-major
	n0         int
	n0k        []int // imputed unobserved per class
	nObsK      []int // observed per class
	a1         []int // K×J: observed in class k on list j
	w          []float64
	base       []float64 // π_k ∏_j (1 − λ_jk)
	ratio      []float64 // K×J: λ/(1 − λ)
	logBase    []float64
	logRat     []float64
	suffix     []float64
	tmpInt     []int
	// ordCell[m] and ordN0: the order of the classes kept between sweeps
	// for the multinomial draws of cell m and of the unobserved.
	ordCell [][]int
	ordN0   []int
	// logsReady: logBase and logRat are up to date.
	logsReady bool
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
	s.labelMoves = true
	s.lambda = make([]float64, K*J)
	s.n0k = make([]int, K)
	s.nObsK = make([]int, K)
	s.a1 = make([]int, K*J)
	s.w = make([]float64, K)
	s.base = make([]float64, K)
	s.ratio = make([]float64, K*J)
	s.logBase = make([]float64, K)
	s.logRat = make([]float64, K*J)
	s.suffix = make([]float64, 2*K+1)
	s.tmpInt = make([]int, K)
	s.patBits = make([][]int, M)
	s.ordCell = make([][]int, M)
	s.ordN0 = make([]int, K)
	for k := range s.ordN0 {
		s.ordN0[k] = k
	}
	for m := range s.ordCell {
		s.ordCell[m] = append([]int(nil), s.ordN0...)
	}
	for m, p := range t.Patterns {
		for q := p; q != 0; q &= q - 1 {
			s.patBits[m] = append(s.patBits[m], bits.TrailingZeros64(q))
		}
	}
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
			s.lambda[k*J+j] = float64(s.listTot[j]) / float64(s.n)
		}
	}
	s.alpha = 0.3 / float64(K)
	for i := 0; i < 500; i++ {
		s.sweep(false)
	}
	if err := report(500); err != nil {
		return err
	}
	// Relabel by decreasing π (the conditional stick-breaking structure is
	// rebuilt at the next sweep from the class sizes).
	idx := make([]int, K)
	for k := range idx {
		idx[k] = k
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.logPi[idx[a]] > s.logPi[idx[b]] })
	lp := append([]float64(nil), s.logPi...)
	lam := append([]float64(nil), s.lambda...)
	n0k := append([]int(nil), s.n0k...)
	for nk, k := range idx {
		s.logPi[nk] = lp[k]
		copy(s.lambda[nk*J:(nk+1)*J], lam[k*J:(k+1)*J])
		s.n0k[nk] = n0k[k]
	}
	return nil
}

// prepare computes base_k = π_k ∏_j (1 − λ_jk) and ratio_jk = λ/(1 − λ),
// from which every cell's class weights follow by products. The logs (for
// cells whose products underflow) are computed only when needed.
func (s *lcmcrSampler) prepare() {
	K, J := s.K, s.J
	for k := 0; k < K; k++ {
		b := math.Exp(s.logPi[k])
		for j := 0; j < J; j++ {
			l := s.lambda[k*J+j]
			b *= 1 - l
			s.ratio[k*J+j] = l / (1 - l)
		}
		s.base[k] = b
	}
	s.logsReady = false
}

func (s *lcmcrSampler) prepareLogs() {
	if s.logsReady {
		return
	}
	K, J := s.K, s.J
	for k := 0; k < K; k++ {
		lb := s.logPi[k]
		for j := 0; j < J; j++ {
			l := s.lambda[k*J+j]
			l1 := math.Log1p(-l)
			lb += l1
			s.logRat[k*J+j] = math.Log(l) - l1
		}
		s.logBase[k] = lb
	}
	s.logsReady = true
}

// sweep is one Gibbs sweep; updateAlpha is false during warm-up.
func (s *lcmcrSampler) sweep(updateAlpha bool) {
	K, J := s.K, s.J
	g := s.g
	s.prepare()
	// 1. Latent classes of the observed people, cell by cell.
	for k := range s.nObsK {
		s.nObsK[k] = 0
	}
	for i := range s.a1 {
		s.a1[i] = 0
	}
	w := s.w
	for m := 0; m < s.M; m++ {
		pb := s.patBits[m]
		sum := 0.0
		for k := 0; k < K; k++ {
			v := s.base[k]
			r := s.ratio[k*J:]
			for _, j := range pb {
				v *= r[j]
			}
			w[k] = v
			sum += v
		}
		if !(sum > 1e-280) || math.IsInf(sum, 0) {
			// Underflow or overflow: redo in logs with a max shift.
			s.prepareLogs()
			mx := math.Inf(-1)
			for k := 0; k < K; k++ {
				v := s.logBase[k]
				for _, j := range pb {
					v += s.logRat[k*J+j]
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
			s.nObsK[k]++
			a := s.a1[k*J:]
			for _, j := range pb {
				a[j]++
			}
			continue
		}
		ck := s.tmpInt
		for k := range ck {
			ck[k] = 0
		}
		g.multinomialOrd(f, w, ck, s.suffix, s.ordCell[m])
		for k, c := range ck {
			if c == 0 {
				continue
			}
			s.nObsK[k] += c
			a := s.a1[k*J:]
			for _, j := range pb {
				a[j] += c
			}
		}
	}
	// 2. List-capture probabilities λ_jk ~ Beta(1 + A1, 1 + A0), A0 counting
	// the imputed unobserved people too.
	for k := 0; k < K; k++ {
		tot := s.nObsK[k] + s.n0k[k]
		for j := 0; j < J; j++ {
			a1 := s.a1[k*J+j]
			l := g.beta(1+float64(a1), 1+float64(tot-a1))
			// keep λ strictly inside (0,1) for the logs
			if l <= 0 {
				l = math.SmallestNonzeroFloat64
			} else if l >= 1 {
				l = 1 - 1e-16
			}
			s.lambda[k*J+j] = l
		}
	}
	// 3. Stick breaks V_k ~ Beta(1 + n_k, α + Σ_{l>k} n_l).
	rest := 0
	for k := 0; k < K; k++ {
		rest += s.nObsK[k] + s.n0k[k]
	}
	acc := 0.0
	for k := 0; k < K-1; k++ {
		nk := s.nObsK[k] + s.n0k[k]
		rest -= nk
		lv, l1v := g.logBeta2(1+float64(nk), s.alpha+float64(rest))
		s.logPi[k] = acc + lv
		s.log1mV[k] = l1v
		s.logV[k] = lv
		acc += l1v
	}
	s.logPi[K-1] = acc
	if s.labelMoves {
		s.labelSwitch()
	}
	// 4–6. P0 and the unobserved count, then its split over classes.
	p0 := 0.0
	for k := 0; k < K; k++ {
		b := math.Exp(s.logPi[k])
		for j := 0; j < J; j++ {
			b *= 1 - s.lambda[k*J+j]
		}
		s.base[k] = b
		p0 += b
	}
	if p0 > 1 {
		p0 = 1
	}
	for {
		s.n0 = g.negBinomial(float64(s.n), 1-p0)
		if s.n0 <= 20*s.n {
			break
		}
	}
	for k := range s.n0k {
		s.n0k[k] = 0
	}
	if s.n0 > 0 {
		g.multinomialOrd(s.n0, s.base, s.n0k, s.suffix, s.ordN0)
	}
	// 7. α ~ Gamma(a + K − 1, rate b − log π_K).
	if updateAlpha {
		s.alpha = g.gamma(s.aA+float64(K)-1) / (s.bA - s.logPi[K-1])
	}
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
	// Move 1.
	j := int(g.r.Uint64N(uint64(K)))
	l := int(g.r.Uint64N(uint64(K - 1)))
	if l >= j {
		l++
	}
	if d := nk(j) - nk(l); d != 0 {
		if la := d * (s.logPi[l] - s.logPi[j]); la >= 0 || math.Log(g.uniform()) < la {
			s.swapClasses(j, l)
		}
	}
	// Move 2.
	if K < 3 {
		return
	}
	k := int(g.r.Uint64N(uint64(K - 2)))
	la := nk(k)*s.log1mV[k+1] - nk(k+1)*s.log1mV[k]
	if la >= 0 || math.Log(g.uniform()) < la {
		s.swapClasses(k, k+1)
		s.logV[k], s.logV[k+1] = s.logV[k+1], s.logV[k]
		s.log1mV[k], s.log1mV[k+1] = s.log1mV[k+1], s.log1mV[k]
		// π_k and π_{k+1} change; the rest keep their products.
		acc := s.logPi[k] - s.logV[k+1] // log ∏_{l<k}(1 − V_l)
		s.logPi[k] = acc + s.logV[k]
		s.logPi[k+1] = acc + s.log1mV[k] + s.logV[k+1]
	}
}

// swapClasses exchanges the labels of classes a and b: their members
// (observed and imputed), their list totals and their λ; π stays with the
// label.
func (s *lcmcrSampler) swapClasses(a, b int) {
	J := s.J
	s.nObsK[a], s.nObsK[b] = s.nObsK[b], s.nObsK[a]
	s.n0k[a], s.n0k[b] = s.n0k[b], s.n0k[a]
	for j := 0; j < J; j++ {
		s.a1[a*J+j], s.a1[b*J+j] = s.a1[b*J+j], s.a1[a*J+j]
		s.lambda[a*J+j], s.lambda[b*J+j] = s.lambda[b*J+j], s.lambda[a*J+j]
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
