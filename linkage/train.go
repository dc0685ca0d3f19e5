package linkage

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// Params are a trained Fellegi-Sunter model: the prior probability that two
// records match (Lambda) and, per field and level, the probability of the
// level among matches (M) and among non-matches (U). Level 0 (null) has
// M = U = 1 and weighs nothing.
type Params struct {
	Fields []Field      `json:"fields"`
	Lambda float64      `json:"lambda"`
	M      [][]float64  `json:"m"`
	U      [][]float64  `json:"u"`
	TFMinU float64      `json:"tf_minimum_u"`
	Report *TrainReport `json:"report,omitempty"`
}

// Settings configure training, prediction and clustering.
type Settings struct {
	Fields []Field `json:"fields"`
	// Blocking rules for prediction, combined by union.
	Blocking []Rule `json:"blocking"`
	// Training rules: one EM round each; a round does not estimate m for
	// the fields its rule fixes.
	Training []Rule `json:"training"`
	// Deterministic rules and their guessed recall estimate λ.
	Deterministic []Rule  `json:"deterministic"`
	Recall        float64 `json:"recall"`
	// Cross compares only records of different sources (linking lists
	// that are each free of duplicates); otherwise every pair is a
	// candidate (deduplication).
	Cross bool `json:"cross"`
	// MaxBlock skips blocks of more records than this (0: 5000).
	MaxBlock int `json:"max_block"`
	// USamples is the number of random pairs u is estimated from (0: 1e6).
	USamples int `json:"u_samples"`
	// MaxTrainPairs caps the pairs of one EM round (0: 2e6), sampled.
	MaxTrainPairs int    `json:"max_train_pairs"`
	Seed          uint64 `json:"seed"`
	Workers       int    `json:"-"`
	// Progress, if set, is called now and then during long stages.
	Progress func(stage string, done, total int64) `json:"-"`
}

func (s *Settings) defaults() {
	if s.MaxBlock == 0 {
		s.MaxBlock = 5000
	}
	if s.USamples == 0 {
		s.USamples = 1_000_000
	}
	if s.MaxTrainPairs == 0 {
		s.MaxTrainPairs = 2_000_000
	}
	if s.Recall == 0 {
		s.Recall = 0.8
	}
	if s.Workers <= 0 {
		s.Workers = runtime.GOMAXPROCS(0)
	}
}

func (s *Settings) progress(stage string, done, total int64) {
	if s.Progress != nil {
		s.Progress(stage, done, total)
	}
}

// TrainReport says how the parameters were estimated.
type TrainReport struct {
	DeterministicPairs int64   `json:"deterministic_pairs"`
	TotalPairs         float64 `json:"total_pairs"`
	Lambda             float64 `json:"lambda"`
	USamples           int     `json:"u_samples"`
	Rounds             []Round `json:"rounds"`
}

// Round reports one EM round.
type Round struct {
	Rule       string   `json:"rule"`
	Pairs      int64    `json:"pairs"`
	Patterns   int      `json:"patterns"`
	Iterations int      `json:"iterations"`
	Converged  bool     `json:"converged"`
	Lambda     float64  `json:"lambda"`
	Fixed      []string `json:"fixed_fields"`
}

// Train estimates the model on d: λ from the deterministic rules, u from
// random pairs, m by EM rounds over the training rules.
func Train(ctx context.Context, d *Data, s Settings) (*Params, error) {
	s.defaults()
	if d.n < 2 {
		return nil, fmt.Errorf("linkage: need at least two records, have %d", d.n)
	}
	nf := len(d.cols)
	p := &Params{Fields: d.Fields, TFMinU: 1e-7, Report: &TrainReport{}}
	p.M = make([][]float64, nf)
	p.U = make([][]float64, nf)
	for f, c := range d.cols {
		L := c.f.Kind.Levels()
		p.M[f] = defaultM(L)
		p.U[f] = make([]float64, L)
		p.U[f][0] = 1
	}

	// λ from deterministic rules
	total := totalPairs(d, s.Cross)
	p.Report.TotalPairs = total
	if len(s.Deterministic) > 0 {
		b, err := newBlocking(d, s.Deterministic, s.Cross, s.MaxBlock)
		if err != nil {
			return nil, err
		}
		counts := make([]int64, s.Workers)
		if err := b.run(ctx, s.Workers, func(w int, i, j int32) { counts[w]++ }, nil); err != nil {
			return nil, err
		}
		var n int64
		for _, c := range counts {
			n += c
		}
		p.Report.DeterministicPairs = n
		p.Lambda = float64(n) / s.Recall / total
	}
	if p.Lambda <= 0 || p.Lambda >= 1 {
		p.Lambda = math.Min(0.5, math.Max(1e-9, float64(d.n)/total))
	}
	p.Report.Lambda = p.Lambda

	// u from random pairs
	if err := estimateU(ctx, d, s, p); err != nil {
		return nil, err
	}

	// m by EM rounds
	sums := make([][]float64, nf)
	nest := make([]int, nf)
	for f := range sums {
		sums[f] = make([]float64, len(p.M[f]))
	}
	for _, r := range s.Training {
		round, m, fixed, err := emRound(ctx, d, s, p, r)
		if err != nil {
			return nil, err
		}
		p.Report.Rounds = append(p.Report.Rounds, round)
		if m == nil {
			continue
		}
		for f := range m {
			if fixed[f] {
				continue
			}
			nest[f]++
			for l := range m[f] {
				sums[f][l] += m[f][l]
			}
		}
	}
	for f := range sums {
		if nest[f] == 0 {
			continue
		}
		for l := 1; l < len(sums[f]); l++ {
			p.M[f][l] = math.Max(sums[f][l]/float64(nest[f]), 1e-6)
		}
	}
	normalise(p.M)
	return p, nil
}

// defaultM starts EM with most matches on the exact level.
func defaultM(L int) []float64 {
	m := make([]float64, L)
	m[0] = 1
	rest := 0.2
	m[1] = 0.8
	for l := 2; l < L; l++ {
		rest /= 2
		m[l] = rest
	}
	m[L-1] += rest
	return m
}

func normalise(pr [][]float64) {
	for f := range pr {
		var t float64
		for l := 1; l < len(pr[f]); l++ {
			t += pr[f][l]
		}
		for l := 1; l < len(pr[f]); l++ {
			pr[f][l] /= t
		}
		pr[f][0] = 1
	}
}

func totalPairs(d *Data, cross bool) float64 {
	n := float64(d.n)
	if !cross {
		return n * (n - 1) / 2
	}
	counts := map[int32]float64{}
	for _, s := range d.source {
		counts[s]++
	}
	var same float64
	for _, c := range counts {
		same += c * c
	}
	return (n*n - same) / 2
}

func estimateU(ctx context.Context, d *Data, s Settings, p *Params) error {
	nf := len(d.cols)
	workers := s.Workers
	per := (s.USamples + workers - 1) / workers
	counts := make([][maxFields][8]int64, workers)
	var wg sync.WaitGroup
	singleSource := true
	for _, src := range d.source {
		if src != d.source[0] {
			singleSource = false
			break
		}
	}
	if s.Cross && singleSource {
		return fmt.Errorf("linkage: cross-source linking needs records from at least two sources")
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(s.Seed, uint64(w)+1))
			n := int32(d.n)
			for k := 0; k < per; k++ {
				i := rng.Int32N(n)
				j := rng.Int32N(n)
				for tries := 0; i == j || (s.Cross && d.source[i] == d.source[j]); tries++ {
					j = rng.Int32N(n)
					if tries > 1000 {
						return
					}
				}
				for f, c := range d.cols {
					counts[w][f][c.level(i, j)]++
				}
				if k&0xffff == 0 && ctx.Err() != nil {
					return
				}
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	p.Report.USamples = per * workers
	for f := 0; f < nf; f++ {
		L := len(p.U[f])
		var nonNull int64
		tot := make([]int64, L)
		for w := range counts {
			for l := 1; l < L; l++ {
				tot[l] += counts[w][f][l]
				nonNull += counts[w][f][l]
			}
		}
		for l := 1; l < L; l++ {
			// add half a pair to every level so that none is zero
			p.U[f][l] = (float64(tot[l]) + 0.5) / (float64(nonNull) + 0.5*float64(L-1))
		}
	}
	return nil
}

type patCount struct {
	p uint64
	n float64
}

// emRound runs EM over the pairs of one training rule with u fixed; fields
// the rule blocks on keep their m.
func emRound(ctx context.Context, d *Data, s Settings, p *Params, r Rule) (Round, [][]float64, []bool, error) {
	round := Round{Rule: r.String()}
	b, err := newBlocking(d, []Rule{r}, s.Cross, s.MaxBlock)
	if err != nil {
		return round, nil, nil, err
	}
	nf := len(d.cols)
	fixed := make([]bool, nf)
	for _, t := range b.rules[0].terms {
		fixed[t.f] = true
		round.Fixed = append(round.Fixed, d.Fields[t.f].Name)
	}
	total := b.total()
	q := 1.0
	if total > int64(s.MaxTrainPairs) {
		q = float64(s.MaxTrainPairs) / float64(total)
	}
	maps := make([]map[uint64]float64, s.Workers)
	rngs := make([]*rand.Rand, s.Workers)
	for w := range maps {
		maps[w] = map[uint64]float64{}
		rngs[w] = rand.New(rand.NewPCG(s.Seed+7, uint64(w)+101))
	}
	err = b.run(ctx, s.Workers, func(w int, i, j int32) {
		if q < 1 && rngs[w].Float64() >= q {
			return
		}
		maps[w][d.pattern(i, j)]++
	}, func(done int64) { s.progress("train "+round.Rule, done, total) })
	if err != nil {
		return round, nil, nil, err
	}
	all := maps[0]
	for _, m := range maps[1:] {
		for k, v := range m {
			all[k] += v
		}
	}
	pats := make([]patCount, 0, len(all))
	for k, v := range all {
		pats = append(pats, patCount{k, v})
		round.Pairs += int64(v)
	}
	sort.Slice(pats, func(a, b int) bool { return pats[a].p < pats[b].p })
	round.Patterns = len(pats)
	if len(pats) == 0 {
		return round, nil, fixed, nil
	}

	m := make([][]float64, nf)
	for f := range m {
		m[f] = append([]float64(nil), p.M[f]...)
	}
	lambda := 0.5
	lu := make([][]float64, nf)
	for f := range lu {
		lu[f] = make([]float64, len(p.U[f]))
		for l := range lu[f] {
			lu[f][l] = math.Log(p.U[f][l])
		}
	}
	acc := make([][]float64, nf)
	for f := range acc {
		acc[f] = make([]float64, len(m[f]))
	}
	const maxIter = 100
	for it := 0; it < maxIter; it++ {
		round.Iterations = it + 1
		lm := make([][]float64, nf)
		for f := range lm {
			lm[f] = make([]float64, len(m[f]))
			for l := range lm[f] {
				lm[f][l] = math.Log(math.Max(m[f][l], 1e-12))
			}
			for l := range acc[f] {
				acc[f][l] = 0
			}
		}
		var postSum, nSum float64
		for _, pc := range pats {
			a, u := math.Log(lambda), math.Log(1-lambda)
			for f := 0; f < nf; f++ {
				if fixed[f] {
					continue
				}
				l := patternLevel(pc.p, f)
				a += lm[f][l]
				u += lu[f][l]
			}
			post := 1 / (1 + math.Exp(u-a))
			postSum += post * pc.n
			nSum += pc.n
			for f := 0; f < nf; f++ {
				acc[f][patternLevel(pc.p, f)] += post * pc.n
			}
		}
		newLambda := postSum / nSum
		change := math.Abs(newLambda - lambda)
		lambda = math.Min(math.Max(newLambda, 1e-9), 1-1e-9)
		for f := 0; f < nf; f++ {
			if fixed[f] {
				continue
			}
			var t float64
			for l := 1; l < len(acc[f]); l++ {
				t += acc[f][l]
			}
			if t == 0 {
				continue
			}
			for l := 1; l < len(acc[f]); l++ {
				v := math.Max(acc[f][l]/t, 1e-6)
				change = math.Max(change, math.Abs(v-m[f][l]))
				m[f][l] = v
			}
		}
		if change < 1e-5 {
			round.Converged = true
			break
		}
		if ctx.Err() != nil {
			return round, nil, nil, ctx.Err()
		}
	}
	round.Lambda = lambda
	return round, m, fixed, nil
}
