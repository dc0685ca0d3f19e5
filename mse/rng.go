package mse

import (
	"math"
	"math/rand/v2"
)

// rng wraps a seeded PCG generator with the variate generators the
// samplers need. All are exact (no approximations beyond floating point).
type rng struct {
	r *rand.Rand
	// pcg is r's source, called directly (no interface call) by float,
	// which gives the same values as r.Float64.
	pcg *rand.PCG
}

func newRNG(seed, stream uint64) *rng {
	p := rand.NewPCG(seed, stream)
	return &rng{r: rand.New(p), pcg: p}
}

// float returns a value in [0, 1), as rand.Rand.Float64 does.
func (g *rng) float() float64 {
	return float64(g.pcg.Uint64()<<11>>11) / (1 << 53)
}

// uniform returns a value in (0, 1).
func (g *rng) uniform() float64 {
	for {
		u := g.float()
		if u > 0 {
			return u
		}
	}
}

// gamma draws Gamma(shape a, scale 1) by Marsaglia & Tsang (2000); for
// a < 1 it uses Gamma(a+1)·U^{1/a}.
func (g *rng) gamma(a float64) float64 {
	if a < 1 {
		return g.gamma(a+1) * math.Pow(g.uniform(), 1/a)
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := g.r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := g.uniform()
		x2 := x * x
		if u < 1-0.0331*x2*x2 {
			return d * v
		}
		if math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// logGamma returns log of a Gamma(a, 1) draw, accurate for tiny shapes
// (where the draw itself underflows): log G(a) = log G(a+1) + log(U)/a.
func (g *rng) logGamma(a float64) float64 {
	if a < 1 {
		return math.Log(g.gamma(a+1)) + math.Log(g.uniform())/a
	}
	return math.Log(g.gamma(a))
}

// logBeta2 draws X ~ Beta(a, b) and returns log X and log(1 − X), both
// accurate when X is close to 0 or 1.
func (g *rng) logBeta2(a, b float64) (lx, l1mx float64) {
	if a >= 1 && b >= 1 {
		// Neither gamma draw underflows: two logs instead of five.
		x, y := g.gamma(a), g.gamma(b)
		ls := math.Log(x + y)
		return math.Log(x) - ls, math.Log(y) - ls
	}
	la, lb := g.logGamma(a), g.logGamma(b)
	m := math.Max(la, lb)
	ls := m + math.Log(math.Exp(la-m)+math.Exp(lb-m))
	return la - ls, lb - ls
}

// beta draws Beta(a, b) for a, b ≥ 1, with shortcuts for a or b equal to 1.
func (g *rng) beta(a, b float64) float64 {
	switch {
	case a == 1 && b == 1:
		return g.uniform()
	case a == 1:
		// 1 − U^{1/b}
		return -math.Expm1(math.Log(g.uniform()) / b)
	case b == 1:
		return math.Exp(math.Log(g.uniform()) / a)
	}
	x := g.gamma(a)
	y := g.gamma(b)
	return x / (x + y)
}

// binomial draws Binomial(n, p): inversion when n·min(p,1−p) < 10,
// otherwise Hörmann's (1993) BTRD transformed rejection.
func (g *rng) binomial(n int, p float64) int {
	if n <= 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p > 0.5 {
		return n - g.binomial(n, 1-p)
	}
	np := float64(n) * p
	if np < 10 {
		return g.binomialInv(n, p)
	}
	return g.btrd(n, p)
}

func (g *rng) binomialInv(n int, p float64) int {
	u := g.float()
	// P(X = 0) = q^n ≥ 1 − n·p: decide the common case without exp/log.
	if u <= 1-float64(n)*p {
		return 0
	}
	q := 1 - p
	s := p / q
	a := float64(n+1) * s
	q0 := powQ(p, n)
	for {
		r := q0
		x := 0
		for u > r {
			u -= r
			x++
			if x > n {
				break
			}
			if x < len(recip) {
				r *= a*recip[x] - s
			} else {
				r *= a/float64(x) - s
			}
		}
		if x <= n {
			return x
		}
		u = g.float()
	}
}

// recip[x] = 1/x: a multiplication instead of a division in the
// inversion loops.
var recip = func() (t [64]float64) {
	for x := 1; x < len(t); x++ {
		t[x] = 1 / float64(x)
	}
	return
}()

// powQ returns (1 − p)^n: by repeated squaring for small n (no exp/log;
// the relative error is a few ulps), through log1p otherwise.
func powQ(p float64, n int) float64 {
	if n > 256 {
		return math.Exp(float64(n) * math.Log1p(-p))
	}
	q := 1 - p
	r := 1.0
	for n > 0 {
		if n&1 == 1 {
			r *= q
		}
		q *= q
		n >>= 1
	}
	return r
}

// stirlingTail returns log k! − [(k+½)log(k+1) − (k+1) + ½log 2π].
func stirlingTail(k float64) float64 {
	if k < 10 {
		return fcTable[int(k)]
	}
	r := 1 / (k + 1)
	r2 := r * r
	return (1.0/12 - (1.0/360-1.0/1260*r2)*r2) * r
}

var fcTable = func() [10]float64 {
	var t [10]float64
	for k := 0; k < 10; k++ {
		lf, _ := math.Lgamma(float64(k) + 1)
		kf := float64(k)
		t[k] = lf - ((kf+0.5)*math.Log(kf+1) - (kf + 1) + 0.5*math.Log(2*math.Pi))
	}
	return t
}()

func (g *rng) btrd(n int, p float64) int {
	nf := float64(n)
	q := 1 - p
	spq := math.Sqrt(nf * p * q)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	alpha := (2.83 + 5.1/b) * spq
	vr := 0.92 - 4.2/b
	urvr := 0.86 * vr
	m := math.Floor((nf + 1) * p)
	r := p / q
	nr := (nf + 1) * r
	npq := nf * p * q
	for {
		v := g.float()
		var u float64
		if v <= urvr {
			u = v/vr - 0.43
			return int(math.Floor((2*a/(0.5-math.Abs(u))+b)*u + c))
		}
		if v >= vr {
			u = g.float() - 0.5
		} else {
			u = v/vr - 0.93
			u = math.Copysign(0.5, u) - u
			v = g.float() * vr
		}
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		v = v * alpha / (a/(us*us) + b)
		km := math.Abs(k - m)
		if km <= 15 {
			f := 1.0
			if m < k {
				for i := m + 1; i <= k; i++ {
					f *= nr/i - r
				}
			} else if m > k {
				for i := k + 1; i <= m; i++ {
					v *= nr/i - r
				}
			}
			if v <= f {
				return int(k)
			}
			continue
		}
		v = math.Log(v)
		rho := (km / npq) * (((km/3+0.625)*km+1.0/6)/npq + 0.5)
		t := -km * km / (2 * npq)
		if v < t-rho {
			return int(k)
		}
		if v > t+rho {
			continue
		}
		nm := nf - m + 1
		h := (m+0.5)*math.Log((m+1)/(r*nm)) + stirlingTail(m) + stirlingTail(nf-m)
		nk := nf - k + 1
		if v <= h+(nf+1)*math.Log(nm/nk)+(k+0.5)*math.Log(nk*r/(k+1))-stirlingTail(k)-stirlingTail(nf-k) {
			return int(k)
		}
	}
}

// poisson draws Poisson(lam): inversion for lam < 10, otherwise Hörmann's
// (1993) PTRS transformed rejection.
func (g *rng) poisson(lam float64) int {
	if lam <= 0 {
		return 0
	}
	if lam < 10 {
		u := g.float()
		p := math.Exp(-lam)
		x := 0
		for u > p {
			u -= p
			x++
			p *= lam / float64(x)
			if p == 0 && u > 0 {
				// rounding exhausted the tail: restart
				u = g.float()
				p = math.Exp(-lam)
				x = 0
			}
		}
		return x
	}
	slam := math.Sqrt(lam)
	loglam := math.Log(lam)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := g.float() - 0.5
		v := g.float()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lam + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lk, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lam+k*loglam-lk {
			return int(k)
		}
	}
}

// negBinomial draws the number of failures before size successes with
// success probability p, as a Gamma–Poisson mixture.
func (g *rng) negBinomial(size, p float64) int {
	if p >= 1 {
		return 0
	}
	lam := g.gamma(size) * (1 - p) / p
	return g.poisson(lam)
}

// multinomial splits total into len(w) parts with probabilities ∝ w
// (conditional binomials), adding the parts to out. scratch must have
// length ≥ 2·len(w)+1.
func (g *rng) multinomial(total int, w []float64, out []int, scratch []float64) {
	var ordBuf [64]int
	ord := ordBuf[:0]
	if len(w) > len(ordBuf) {
		ord = make([]int, 0, len(w))
	}
	for k := range w {
		ord = append(ord, k)
	}
	g.multinomialOrd(total, w, out, scratch, ord)
}

// multinomialOrd is multinomial with a caller-kept order of the parts:
// ord (a permutation of 0..len(w)−1) is sorted in place by decreasing
// weight, by insertion, so an order kept from one call to the next with
// similar weights costs about len(w) comparisons. Parts are drawn in that
// order, so the few large parts use up the total early and the small ones
// mostly cost one uniform each (binomialInv's shortcut for P(X = 0)); the
// draw stops as soon as nothing is left. Any order gives the same
// distribution; this one is only faster.
func (g *rng) multinomialOrd(total int, w []float64, out []int, scratch []float64, ord []int) {
	K := len(w)
	if total <= 0 || K == 0 {
		return
	}
	for i := 1; i < K; i++ {
		k := ord[i]
		wk := w[k]
		j := i
		for j > 0 && w[ord[j-1]] < wk {
			ord[j] = ord[j-1]
			j--
		}
		ord[j] = k
	}
	// The mass of the parts not drawn yet is kept by subtraction; when
	// it falls below 1e-4 of the mass it came from, it is summed afresh,
	// so its relative rounding error stays below about 1e-12.
	left := 0.0
	for _, v := range w {
		left += v
	}
	from := left
	rem := total
	for i := 0; i < K; i++ {
		wi := w[ord[i]]
		if i == K-1 {
			out[ord[i]] += rem
			return
		}
		if left < 1e-4*from {
			left = 0
			for _, k := range ord[i:] {
				left += w[k]
			}
			from = left
		}
		if left-wi <= 0 && wi > 0 {
			// Nothing else has weight (up to rounding): check exactly.
			rest := 0.0
			for _, k := range ord[i+1:] {
				rest += w[k]
			}
			if rest <= 0 {
				out[ord[i]] += rem
				return
			}
			left = wi + rest
			from = left
		}
		x := g.binomial(rem, wi/left)
		out[ord[i]] += x
		rem -= x
		if rem == 0 {
			return
		}
		left -= wi
	}
}

// categorical draws an index with probability ∝ w (sum given).
func (g *rng) categorical(w []float64, sum float64) int {
	u := g.float() * sum
	for k, v := range w {
		u -= v
		if u < 0 {
			return k
		}
	}
	for k := len(w) - 1; k >= 0; k-- {
		if w[k] > 0 {
			return k
		}
	}
	return len(w) - 1
}
