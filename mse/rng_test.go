package mse

import (
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// The variate generators against their exact distributions: a chi-square
// goodness-of-fit over the central cells for the discrete ones, moments for
// gamma and beta. Seeds are fixed, so the test is reproducible.
func TestRNGBinomialPoissonFit(t *testing.T) {
	g := newRNG(1, 2)
	const draws = 200000
	check := func(name string, draw func() int, pmf func(k float64) float64, lo, hi int) {
		counts := make(map[int]int)
		for i := 0; i < draws; i++ {
			counts[draw()]++
		}
		chi, df := 0.0, -1
		tailObs, tailExp := 0.0, 1.0
		for k := lo; k <= hi; k++ {
			e := pmf(float64(k)) * draws
			tailExp -= pmf(float64(k))
			if e < 20 {
				tailObs += float64(counts[k])
				tailExp += pmf(float64(k))
				continue
			}
			o := float64(counts[k])
			chi += (o - e) * (o - e) / e
			df++
		}
		for k, c := range counts {
			if k < lo || k > hi {
				tailObs += float64(c)
			}
		}
		if e := tailExp * draws; e >= 20 {
			chi += (tailObs - e) * (tailObs - e) / e
			df++
		}
		crit := distuv.ChiSquared{K: float64(df)}.Quantile(0.999)
		if chi > crit {
			t.Errorf("%s: chi-square %.1f on %d df (0.999 quantile %.1f)", name, chi, df, crit)
		}
	}
	for _, c := range []struct {
		n int
		p float64
	}{{5, 0.3}, {40, 0.1}, {100, 0.09}, {3000, 0.003}, {1000, 0.3}, {4400, 0.02}, {100000, 0.6}, {30, 0.5}, {200, 0.97},
		// means between 16 and invMax go by inversion (two terms a step,
		// and past the table of 1/x when n > 127), above it by BTRD
		{40, 0.5}, {300, 0.08}, {2000, 0.015}, {130, 0.24}, {150, 0.26}} {
		d := distuv.Binomial{N: float64(c.n), P: c.p}
		mean, sd := d.Mean(), d.StdDev()
		check("binomial", func() int { return g.binomial(c.n, c.p) }, d.Prob, int(mean-6*sd)-1, int(mean+6*sd)+1)
	}
	for _, lam := range []float64{0.5, 4, 9.9, 10, 57.3, 12000} {
		d := distuv.Poisson{Lambda: lam}
		check("poisson", func() int { return g.poisson(lam) }, d.Prob, int(lam-6*math.Sqrt(lam))-1, int(lam+6*math.Sqrt(lam))+1)
	}
}

func TestRNGGammaBetaMoments(t *testing.T) {
	g := newRNG(3, 4)
	const draws = 400000
	for _, a := range []float64{0.05, 0.3, 1, 2.5, 300} {
		s, s2 := 0.0, 0.0
		for i := 0; i < draws; i++ {
			x := g.gamma(a)
			s += x
			s2 += x * x
		}
		m := s / draws
		v := s2/draws - m*m
		if math.Abs(m-a) > 5*math.Sqrt(a/draws) || math.Abs(v-a)/a > 0.05+10/math.Sqrt(draws)*math.Sqrt(1+6/a) {
			t.Errorf("gamma(%g): mean %.4f var %.4f", a, m, v)
		}
	}
	for _, ab := range [][2]float64{{1, 1}, {1, 50}, {7, 1}, {3, 9}, {1, 0.05}} {
		a, b := ab[0], ab[1]
		s := 0.0
		for i := 0; i < draws; i++ {
			var x float64
			if a >= 1 && b >= 1 {
				x = g.beta(a, b)
			} else {
				lx, _ := g.logBeta2(a, b)
				x = math.Exp(lx)
			}
			s += x
		}
		want := a / (a + b)
		sd := math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))
		if math.Abs(s/draws-want) > 5*sd/math.Sqrt(draws) {
			t.Errorf("beta(%g,%g): mean %.5f want %.5f", a, b, s/draws, want)
		}
	}
}

// multinomial: the mean and variance of every part match n·p and n·p(1−p),
// for totals that take the binomial and the categorical paths.
func TestRNGMultinomialMoments(t *testing.T) {
	g := newRNG(5, 6)
	w := []float64{0.02, 3, 0.5, 0, 1e-4, 1.2, 0.3}
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	ord := make([]int, len(w))
	for k := range ord {
		ord[k] = len(w) - 1 - k
	}
	for _, total := range []int{3, 17, 250, 5000} {
		const reps = 40000
		s := make([]float64, len(w))
		s2 := make([]float64, len(w))
		out := make([]int, len(w))
		for r := 0; r < reps; r++ {
			for k := range out {
				out[k] = 0
			}
			if r%2 == 0 {
				g.multinomial(total, w, out)
			} else {
				// An order kept between calls, started backwards.
				g.multinomialOrd(total, w, out, ord, true)
			}
			tot := 0
			for k, c := range out {
				s[k] += float64(c)
				s2[k] += float64(c * c)
				tot += c
			}
			if tot != total {
				t.Fatalf("parts sum to %d, want %d", tot, total)
			}
		}
		for k := range w {
			p := w[k] / sum
			mean := s[k] / reps
			v := s2[k]/reps - mean*mean
			wantV := float64(total) * p * (1 - p)
			if math.Abs(mean-float64(total)*p) > 5*math.Sqrt(wantV/reps)+1e-9 {
				t.Errorf("total %d part %d: mean %.4f want %.4f", total, k, mean, float64(total)*p)
			}
			// Relative s.e. of a sample variance is about
			// sqrt((1/var + 2)/reps) for counts this shape; allow 5.
			tol := math.Max(0.06, 5*math.Sqrt((1/wantV+2)/reps))
			if wantV > 0.01 && math.Abs(v-wantV)/wantV > tol {
				t.Errorf("total %d part %d: var %.4f want %.4f", total, k, v, wantV)
			}
		}
	}
}

// The generator is PCG64-DXSM; these values come from a direct
// implementation of its definition with Python's integers (state
// (seed, stream) advanced once, then output before each step).
func TestRNGPCG64DXSM(t *testing.T) {
	for _, c := range []struct {
		seed, stream uint64
		want         [4]uint64
	}{
		{1, 0, [4]uint64{0xbac694c9bcb6495f, 0x3f4f3f70a1b401c, 0x4b3e10bea2e01165, 0x9938bfcdff88d1f0}},
		{1, 1, [4]uint64{0xda4471d4f25f98b5, 0x55ca3243badc8f81, 0x511c1c73e1729d1b, 0x73848040d1d947f0}},
		{12345, 3, [4]uint64{0x11e0f06496bf4b82, 0xc0b5c58e36fb131d, 0x2c4b4f94d7d242ef, 0xa0ee93a3cdfac5bc}},
	} {
		g := newRNG(c.seed, c.stream)
		for i, w := range c.want {
			if got := g.u64(); got != w {
				t.Errorf("PCG64-DXSM(%d, %d) output %d = %#x, want %#x", c.seed, c.stream, i, got, w)
			}
		}
	}
}

// The ziggurat normal: a chi-square over 0.25-wide bins on [−5, 5] and the
// two tails, and the first four moments.
func TestRNGNormal(t *testing.T) {
	g := newRNG(7, 8)
	const n = 2000000
	const nb = 40
	var counts [nb + 2]float64
	var m1, m2, m4 float64
	for i := 0; i < n; i++ {
		x := g.norm()
		m1 += x
		m2 += x * x
		m4 += x * x * x * x
		switch {
		case x < -5:
			counts[0]++
		case x >= 5:
			counts[nb+1]++
		default:
			counts[1+int((x+5)*4)]++
		}
	}
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	chi, df := 0.0, -1
	tailObs, tailExp := 0.0, 0.0 // the bins expecting fewer than 20, pooled
	for b := 0; b < nb+2; b++ {
		var p float64
		switch b {
		case 0:
			p = cdf(-5)
		case nb + 1:
			p = 1 - cdf(5)
		default:
			lo := -5 + float64(b-1)*0.25
			p = cdf(lo+0.25) - cdf(lo)
		}
		e := p * n
		if e < 20 {
			tailObs += counts[b]
			tailExp += e
			continue
		}
		chi += (counts[b] - e) * (counts[b] - e) / e
		df++
	}
	chi += (tailObs - tailExp) * (tailObs - tailExp) / tailExp
	df++
	if crit := (distuv.ChiSquared{K: float64(df)}).Quantile(0.999); chi > crit {
		t.Errorf("normal: chi-square %.1f on %d df (0.999 quantile %.1f); the far bins %.0f against %.1f", chi, df, crit, tailObs, tailExp)
	}
	m1, m2, m4 = m1/n, m2/n, m4/n
	if math.Abs(m1) > 5/math.Sqrt(n) || math.Abs(m2-1) > 5*math.Sqrt(2.0/n) || math.Abs(m4-3) > 5*math.Sqrt(96.0/n) {
		t.Errorf("normal: mean %.5f, E x² %.5f, E x⁴ %.4f", m1, m2, m4)
	}
}

// gammaBatch's squeeze (see there) is a lower bound of exp(h(x)), the
// Marsaglia–Tsang acceptance bound, wherever it is used; so is Marsaglia and
// Tsang's own. h is computed from its series where it would cancel.
func TestGammaSqueezeBound(t *testing.T) {
	for _, a := range []float64{1, 1.01, 1.3, 2, 3, 10, 51, 1000, 1e5, 1e7} {
		k := newMTC(a)
		for i := -200000; i <= 200000; i++ {
			x := float64(i) * 3e-4
			v0 := 1 + k.c*x
			if v0 <= 0 {
				continue
			}
			y := k.c * x
			var psi float64 // h/d
			if math.Abs(y) < 0.1 {
				psi = -0.75 * y * y * y * y
				sgn := 3.0
				for n := 5; n <= 40; n++ {
					psi += sgn * math.Pow(y, float64(n)) / float64(n)
					sgn = -sgn
				}
			} else {
				psi = 4.5*y*y + 1 - v0*v0*v0 + 3*math.Log1p(y)
			}
			eh := math.Exp(k.d * psi)
			x4 := x * x * x * x
			if 1-0.0331*x4 > eh*(1+1e-12) {
				t.Fatalf("shape %g, x %g: Marsaglia–Tsang squeeze %g above exp(h) %g", a, x, 1-0.0331*x4, eh)
			}
			if v0 >= 0.5 {
				m := x4*k.e1 + x4*(math.Abs(x)-x)*(0.5*k.e2)
				if 1-m > eh*(1+1e-12) {
					t.Fatalf("shape %g, x %g: squeeze %g above exp(h) %g", a, x, 1-m, eh)
				}
			}
		}
	}
}

// gammaBatch against the gamma distribution: a Kolmogorov–Smirnov test for
// shapes from 1 (where the exact test after the squeeze is common) to
// large ones, the table's and computed constants both.
func TestRNGGammaBatch(t *testing.T) {
	g := newRNG(9, 10)
	const n = 100000
	for _, a := range []float64{1, 1.5, 2, 3.7, 51, 4000, 1e5} {
		ks := make([]*mtC, n)
		var c mtC
		if a == math.Floor(a) && a-1 < gammaTabN {
			ks[0] = mtConst(int(a)-1, &c)
		} else {
			c = newMTC(a)
			ks[0] = &c
		}
		for i := range ks {
			ks[i] = ks[0]
		}
		out := make([]float64, n)
		g.gammaBatch(ks, out, make([]gammaPending, n))
		d := ksStat(out, distuv.Gamma{Alpha: a, Beta: 1}.CDF)
		if d > 1.95/math.Sqrt(n) {
			t.Errorf("gammaBatch shape %g: KS D = %.4f (0.001 critical value %.4f)", a, d, 1.95/math.Sqrt(n))
		}
	}
}

// ksStat is the Kolmogorov–Smirnov distance between the sample x (sorted
// in place) and the distribution function cdf.
func ksStat(x []float64, cdf func(float64) float64) float64 {
	sort.Float64s(x)
	d := 0.0
	n := float64(len(x))
	for i, v := range x {
		f := cdf(v)
		d = math.Max(d, math.Max(f-float64(i)/n, float64(i+1)/n-f))
	}
	return d
}

// perPerson (up to 16 parts, from any start) and perPersonLarge (more):
// the parts' counts against the multinomial, by chi-square.
func TestRNGPerPerson(t *testing.T) {
	g := newRNG(11, 12)
	for _, c := range []struct {
		K, start, rem int
	}{{10, 0, 7}, {10, 3, 12}, {16, 5, 3}, {15, 11, 2}, {20, 2, 9}, {40, 0, 5}} {
		w := make([]float64, c.K)
		ord := make([]int, c.K)
		for k := range w {
			w[k] = float64((k*7)%5) + 0.5 // some equal, none zero
			ord[k] = (k*7 + 3) % c.K      // a permutation (7 and K coprime)
		}
		w[ord[c.K-1]] = 0 // the last part has no weight: it must get nobody
		sum := 0.0
		for _, k := range ord[c.start:] {
			sum += w[k]
		}
		out := make([]int, c.K)
		const reps = 40000
		for r := 0; r < reps; r++ {
			g.perPerson(c.rem, w, out, ord, c.start)
		}
		chi, df := 0.0, -1
		for i, k := range ord {
			if i < c.start || w[k] == 0 {
				if out[k] != 0 {
					t.Errorf("K=%d start %d: part %d (no weight or drawn before) got %d", c.K, c.start, k, out[k])
				}
				continue
			}
			e := float64(reps*c.rem) * w[k] / sum
			chi += (float64(out[k]) - e) * (float64(out[k]) - e) / e
			df++
		}
		if crit := (distuv.ChiSquared{K: float64(df)}).Quantile(0.999); chi > crit {
			t.Errorf("perPerson K=%d start %d: chi-square %.1f on %d df (0.999 quantile %.1f)", c.K, c.start, chi, df, crit)
		}
	}
}

// intN: uniform over [0, n), chi-square, for an n that divides 2^64 and
// ones that do not.
func TestRNGIntN(t *testing.T) {
	g := newRNG(15, 16)
	for _, n := range []uint64{1, 2, 3, 8, 13, 14} {
		counts := make([]float64, n)
		const draws = 200000
		for i := 0; i < draws; i++ {
			v := g.intN(n)
			if v >= n {
				t.Fatalf("intN(%d) = %d", n, v)
			}
			counts[v]++
		}
		if n == 1 {
			continue
		}
		chi := 0.0
		e := float64(draws) / float64(n)
		for _, c := range counts {
			chi += (c - e) * (c - e) / e
		}
		if crit := (distuv.ChiSquared{K: float64(n - 1)}).Quantile(0.999); chi > crit {
			t.Errorf("intN(%d): chi-square %.1f on %d df (0.999 quantile %.1f)", n, chi, n-1, crit)
		}
	}
}
