package mse

import (
	"math"
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
	}{{5, 0.3}, {40, 0.1}, {100, 0.09}, {3000, 0.003}, {1000, 0.3}, {4400, 0.02}, {100000, 0.6}, {30, 0.5}, {200, 0.97}} {
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
	scratch := make([]float64, 2*len(w)+1)
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
				g.multinomial(total, w, out, scratch)
			} else {
				// An order kept between calls, started backwards.
				g.multinomialOrd(total, w, out, scratch, ord)
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
