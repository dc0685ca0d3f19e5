package mse

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// rng is a PCG64-DXSM generator (O'Neill's PCG with a 128-bit LCG state,
// the 64-bit "cheap" multiplier and the DXSM output function applied to
// the state before it advances, as numpy's PCG64DXSM) with the variate
// generators the samplers need. Taking the output from the state before
// the multiplication, rather than after it as math/rand/v2's PCG does,
// lets the processor work on the output and the next state at the same
// time; in the sampler's loops that made a sweep about 7% faster. The
// state is kept inline so that the hot loops call no interface. All
// variate generators are exact (no approximations beyond floating point).
type rng struct {
	hi, lo uint64
	// perPerson's tables, kept between calls: the padding of ppTh past
	// ppK parts is set once, and ppCnt is left zero after each call.
	ppTh  [16]int64
	ppCnt [16]int
	ppK   int
	// r reads the same state, for the rarely used methods of rand.Rand.
	r *rand.Rand
}

// pcgSource lets rand.Rand draw from an rng's state.
type pcgSource rng

func (p *pcgSource) Uint64() uint64 { return (*rng)(p).u64() }

// newRNG seeds the state with seed (high half) and stream (low half), as
// rand.NewPCG does, and advances it once, so that the first output
// already depends on both halves through the multiplication.
func newRNG(seed, stream uint64) *rng {
	g := &rng{hi: seed, lo: stream}
	g.r = rand.New((*pcgSource)(g))
	g.u64()
	return g
}

// u64 returns the next 64-bit output.
func (g *rng) u64() uint64 {
	var out uint64
	g.hi, g.lo, out = pcgStep(g.hi, g.lo)
	return out
}

// pcgStep is u64 on a state held in local variables (for loops that
// keep it in registers): the DXSM output of the state (hi, lo), and the
// next state, (hi, lo)·m + c mod 2^128 with m = 0xda942042e4dd58b5 and
// PCG's 128-bit increment c.
func pcgStep(hi, lo uint64) (nhi, nlo, out uint64) {
	const (
		mul   = 0xda942042e4dd58b5
		incHi = 0x5851f42d4c957f2d
		incLo = 0x14057b7ef767814f
	)
	o := hi ^ hi>>32
	o *= mul
	o ^= o >> 48
	o *= lo | 1
	h, l := bits.Mul64(lo, mul)
	h += hi * mul
	l, c := bits.Add64(l, incLo, 0)
	h, _ = bits.Add64(h, incHi, c)
	return h, l, o
}

// intN returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-and-reject method (unbiased).
func (g *rng) intN(n uint64) uint64 {
	hi, lo := bits.Mul64(g.u64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(g.u64(), n)
		}
	}
	return hi
}

// float returns a value in [0, 1), as rand.Rand.Float64 does.
func (g *rng) float() float64 {
	return float64(g.u64()>>11) * (1.0 / (1 << 53))
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

// Ziggurat tables for the standard normal (Marsaglia & Tsang 2000) with
// 256 layers of equal area under f(x) = exp(−x²/2), x ≥ 0. Layer 0 is
// the base strip [0, zigX[0]) × [0, f(r)), whose part beyond r = zigX[1]
// stands for the tail; layer i ≥ 1 is [0, zigX[i]) × [f(zigX[i]),
// f(zigX[i+1])), with zigX[256] = 0. r is found by bisection so that the
// top layer closes at f = 1.
const zigN = 256

var (
	zigX [zigN + 1]float64
	zigF [zigN + 1]float64
	zigW [zigN]float64 // zigX[i] / 2^53
	zigK [zigN]uint64  // a 53-bit j with j < zigK[i] lies inside the next layer's width
)

func init() {
	f := func(x float64) float64 { return math.Exp(-0.5 * x * x) }
	// build fills zigX for tail start r and returns how far the top
	// layer's upper edge misses 1 (> 0: the layers overshoot).
	build := func(r float64) float64 {
		v := r*f(r) + math.Sqrt(math.Pi/2)*math.Erfc(r/math.Sqrt2)
		zigX[0] = v / f(r)
		zigX[1] = r
		x := r
		for i := 2; i < zigN; i++ {
			y := f(x) + v/x
			if y >= 1 {
				return 1
			}
			x = math.Sqrt(-2 * math.Log(y))
			zigX[i] = x
		}
		return f(x) + v/x - 1
	}
	lo, hi := 3.0, 4.0 // build(lo) > 0 > build(hi)
	for i := 0; i < 200 && hi-lo > 1e-16; i++ {
		mid := 0.5 * (lo + hi)
		if build(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	build(hi)
	zigX[zigN] = 0
	for i := 0; i <= zigN; i++ {
		zigF[i] = f(zigX[i])
	}
	zigF[zigN] = 1
	for i := 0; i < zigN; i++ {
		zigW[i] = zigX[i] / (1 << 53)
		zigK[i] = uint64(zigX[i+1] / zigX[i] * (1 << 53))
	}
}

// norm draws a standard normal by the ziggurat: one 64-bit word (8 bits
// of layer, 1 of sign, 53 of position) in about 99% of the draws.
func (g *rng) norm() float64 {
	for {
		u := g.u64()
		i := u & (zigN - 1)
		j := u >> 11
		x := float64(j) * zigW[i]
		if j >= zigK[i] {
			var ok bool
			if x, ok = g.normSlow(i, x); !ok {
				continue
			}
		}
		// The sign from bit 8, without a branch.
		return math.Float64frombits(math.Float64bits(x) | (u&zigN)<<55)
	}
}

// normSlow finishes a ziggurat draw that fell outside the next layer's
// width: from the tail beyond r in the base layer (Marsaglia 1964), or by
// testing a uniform height against the curve in the others.
func (g *rng) normSlow(i uint64, x float64) (float64, bool) {
	if i == 0 {
		r := zigX[1]
		for {
			a := -math.Log(g.uniform()) / r
			b := -math.Log(g.uniform())
			if 2*b > a*a {
				return r + a, true
			}
		}
	}
	y := zigF[i] + g.float()*(zigF[i+1]-zigF[i])
	return x, y < math.Exp(-0.5*x*x)
}

// gamma draws Gamma(shape a, scale 1) by Marsaglia & Tsang (2000); for
// a < 1 it uses Gamma(a+1)·U^{1/a}.
func (g *rng) gamma(a float64) float64 {
	if a < 1 {
		return g.gamma(a+1) * math.Pow(g.uniform(), 1/a)
	}
	d := a - 1.0/3
	return g.gammaMT(d, 1/math.Sqrt(9*d))
}

// gammaMT is Marsaglia & Tsang's method for shape d + 1/3 ≥ 1, with
// c = 1/√(9d) given.
func (g *rng) gammaMT(d, c float64) float64 {
	hi, lo := g.hi, g.lo
	for {
		// A standard normal x: norm's ziggurat, inline.
		var w, r uint64
		hi, lo, w = pcgStep(hi, lo)
		i := w & (zigN - 1)
		j := w >> 11
		x := float64(j) * zigW[i]
		if j >= zigK[i] {
			g.hi, g.lo = hi, lo
			var ok bool
			x, ok = g.normSlow(i, x)
			hi, lo = g.hi, g.lo
			if !ok {
				continue
			}
		}
		x = math.Float64frombits(math.Float64bits(x) | (w&zigN)<<55)
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		hi, lo, r = pcgStep(hi, lo)
		u := float64(r>>11) * (1.0 / (1 << 53))
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			g.hi, g.lo = hi, lo
			return d * v
		}
	}
}

// gammaBatch fills out[i] with a Gamma variate of the shape whose
// Marsaglia–Tsang constants are k[i] (shape ≥ 1). The first trial of every
// variate (one normal by the ziggurat, one uniform, a squeeze test) is
// made in one loop whose iterations do not depend on each other, so the
// processor overlaps them; a trial that needs more (the ziggurat's slow
// path, the exact test after a failed squeeze, or a rejection) is finished
// afterwards exactly as gammaMT would, with the same normal and uniform.
// The variates are those of gammaMT.
//
// The squeeze. With y = c·x and v = (1 + y)³, Marsaglia and Tsang accept
// when log u < h(x) = x²/2 + d(1 − v + log v); their squeeze accepts when
// u < 1 − 0.0331x⁴. Here h(x) = d·ψ(y) with ψ(y) = −3y⁴/4 + 3R(y), where
// R(y) = log(1+y) − (y − y²/2 + y³/3 − y⁴/4) = y⁵/(5(1+ξ)⁵) for some ξ
// between 0 and y (Lagrange). So R ≥ 0 for y ≥ 0, and for −1/2 ≤ y < 0,
// |R| ≤ 32|y|⁵/5. With d·y⁴ = x⁴/(81d) and d·|y|⁵ = |x|⁵/(243 d^{3/2}):
// h(x) ≥ −x⁴/(108d) − [x < 0]·0.0791|x|⁵/d^{3/2} = −m(x) when 1 + y ≥ 1/2,
// and e^h ≥ 1 + h ≥ 1 − m(x). So u < 1 − min(0.0331x⁴, m(x)) (m only
// where 1 + y ≥ 1/2) implies acceptance; for large shapes it fails
// almost never, where Marsaglia and Tsang's fails for about 10% of the
// trials whatever the shape (E[0.0331x⁴] = 0.099).
func (g *rng) gammaBatch(k []*mtC, out []float64, pend []gammaPending) {
	// pend: room for len(out) unfinished trials.
	n := len(out)
	k, pend = k[:n], pend[:n]
	np := 0
	hi, lo := g.hi, g.lo
	for i := range out {
		var w, r uint64
		hi, lo, w = pcgStep(hi, lo)
		hi, lo, r = pcgStep(hi, lo)
		zi := w & (zigN - 1)
		j := w >> 11
		x := math.Float64frombits(math.Float64bits(float64(j)*zigW[zi]) | (w&zigN)<<55)
		kc := k[i]
		v0 := 1 + kc.c*x
		v := v0 * v0 * v0
		u := float64(r>>11) * (1.0 / (1 << 53))
		x2 := x * x
		x4 := x2 * x2
		m := x4*kc.e1 + x4*(math.Abs(x)-x)*(0.5*kc.e2)
		if v0 < 0.5 {
			m = 1
		}
		out[i] = kc.d * v
		if !(j < zigK[zi] && v > 0 && u < 1-min(0.0331*x4, m)) {
			pend[np] = gammaPending{i: i, w: w, u: u}
			np++
		}
	}
	g.hi, g.lo = hi, lo
	for _, p := range pend[:np] {
		out[p.i] = g.gammaFinish(k[p.i].d, k[p.i].c, p.w, p.u)
	}
}

// gammaPending is a first trial of gammaBatch left unfinished: the
// variate's index, the ziggurat word and the uniform.
type gammaPending struct {
	i int
	w uint64
	u float64
}

// gammaFinish completes a Marsaglia–Tsang trial begun with the ziggurat
// word w and the uniform u, then draws afresh (gammaMT) if it is rejected.
func (g *rng) gammaFinish(d, c float64, w uint64, u float64) float64 {
	zi := w & (zigN - 1)
	j := w >> 11
	x := float64(j) * zigW[zi]
	if j >= zigK[zi] {
		var ok bool
		if x, ok = g.normSlow(zi, x); !ok {
			// The ziggurat rejected: a fresh normal (its sign is
			// symmetric, so the word's sign bit is as good as any).
			x = math.Abs(g.norm())
		}
	}
	x = math.Float64frombits(math.Float64bits(x) | (w&zigN)<<55)
	v := 1 + c*x
	if v > 0 {
		v = v * v * v
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
	return g.gammaMT(d, c)
}

// mtC holds the constants of Marsaglia & Tsang's method for one shape
// a ≥ 1: d = a − 1/3, c = 1/√(9d), and e1 = 1/(108d), e2 = 0.0791/d^{3/2}
// for the squeeze of gammaBatch.
type mtC struct{ d, c, e1, e2 float64 }

func newMTC(a float64) mtC {
	d := a - 1.0/3
	return mtC{d, 1 / math.Sqrt(9*d), 1 / (108 * d), 0.0791 / (d * math.Sqrt(d))}
}

// gammaTab[m] holds the constants for shape 1 + m.
const gammaTabN = 4096

var gammaTab = func() (t [gammaTabN]mtC) {
	for m := range t {
		t[m] = newMTC(float64(m) + 1)
	}
	return
}()

// mtConst returns the constants for shape 1 + m: from the table, or
// computed into *spare.
func mtConst(m int, spare *mtC) *mtC {
	if uint(m) < gammaTabN {
		return &gammaTab[m]
	}
	*spare = newMTC(float64(m) + 1)
	return spare
}

// gamma1p draws Gamma(1 + m) for an integer m ≥ 0 (the shapes of the
// Beta full conditionals), with the constants from a table.
func (g *rng) gamma1p(m int) float64 {
	if uint(m) < gammaTabN {
		t := &gammaTab[m]
		return g.gammaMT(t.d, t.c)
	}
	return g.gamma(1 + float64(m))
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
	switch {
	case a == 1:
		// 1 − X = U^{1/b}: two logs and an expm1.
		l1mx = math.Log(g.uniform()) / b
		return math.Log(-math.Expm1(l1mx)), l1mx
	case a >= 1 && b >= 1:
		x, y := g.gamma(a), g.gamma(b)
		s := x + y
		return math.Log(x / s), math.Log(y / s)
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

// beta1p draws X ~ Beta(1 + a, 1 + b) for integers a, b ≥ 0 and returns
// X, 1 − X and X/(1 − X), each computed without cancellation.
func (g *rng) beta1p(a, b int) (x, x1m, odds float64) {
	switch {
	case a == 0 && b == 0:
		u := g.uniform()
		return u, 1 - u, u / (1 - u)
	case a == 0:
		// 1 − X = U^{1/(1+b)}
		t := math.Log(g.uniform()) / float64(1+b)
		x, x1m = -math.Expm1(t), math.Exp(t)
		return x, x1m, x / x1m
	case b == 0:
		t := math.Log(g.uniform()) / float64(1+a)
		x, x1m = math.Exp(t), -math.Expm1(t)
		return x, x1m, x / x1m
	}
	u, v := g.gamma1p(a), g.gamma1p(b)
	s := 1 / (u + v)
	return u * s, v * s, u / v
}

// binomial draws Binomial(n, p).
func (g *rng) binomial(n int, p float64) int {
	if n <= 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p > 0.5 {
		return n - g.binomLow(n, 1-p)
	}
	return g.binomLow(n, p)
}

// invMax is the mean n·p below which binomLow uses inversion.
const invMax = 32

// binomLow draws Binomial(n, p) for n ≥ 1 and 0 < p ≤ 0.5: inversion for
// small means, otherwise Hörmann's (1993) BTRD transformed rejection.
func (g *rng) binomLow(n int, p float64) int {
	if float64(n)*p < invMax {
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
	return g.binomialInvFrom(u, n, powQ(p, n), s, float64(n+1)*s)
}

// binomialInvFrom is binomialInv's search from the uniform u, with
// q0 = (1 − p)^n, s = p/(1 − p) and a = (n + 1)·s.
func (g *rng) binomialInvFrom(u float64, n int, q0, s, a float64) int {
	// Two terms a step: P(x+1) = P(x)·t1 and P(x+2) = P(x)·(t1·t2), so
	// the chains of dependent operations (the probabilities, and u less
	// the probabilities passed) take one operation per two terms.
	lim := n
	if lim > len(recip)-1 {
		lim = len(recip) - 1
	}
	for {
		r := q0
		x := 0
		for x+2 <= lim {
			// (x+2 ≤ lim < len(recip): the masks only drop the
			// bounds checks)
			t1 := a*recip[(x+1)&(len(recip)-1)] - s
			t2 := a*recip[(x+2)&(len(recip)-1)] - s
			r1 := r * t1
			if s2 := r + r1; u > s2 {
				u -= s2
				r *= t1 * t2
				x += 2
				continue
			}
			if u > r {
				x++
			}
			return x
		}
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
var recip = func() (t [128]float64) {
	for x := 1; x < len(t); x++ {
		t[x] = 1 / float64(x)
	}
	return
}()

// powQ returns (1 − p)^n by repeated squaring, without branches on the
// bits of n (no exp/log; the relative error is about log2(n) ulps on top
// of the n ulps that the rounding of 1 − p already carries).
func powQ(p float64, n int) float64 {
	q := 1 - p
	r := 1.0
	for ; n > 0; n >>= 1 {
		m := [2]float64{1, q}
		r *= m[n&1]
		q *= q
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

// btrd is Hörmann's BTRD for n·p ≥ 10, p ≤ 0.5.
func (g *rng) btrd(n int, p float64) int {
	nf := float64(n)
	q := 1 - p
	npq := nf * p * q
	spq := math.Sqrt(npq)
	b := 1.15 + 2.53*spq
	ib := 1 / b
	a := -0.0873 + 0.0248*b + 0.01*p
	a2 := 2 * a
	c := nf*p + 0.5
	vr := 0.92 - 4.2*ib
	ivr := 1 / vr
	urvr := 0.86 * vr
	for {
		v := g.float()
		if v <= urvr {
			// The region of immediate acceptance: k is never negative
			// here (n·p ≥ 10), so truncation is the floor.
			u := v*ivr - 0.43
			return int((a2/(0.5-math.Abs(u))+b)*u + c)
		}
		if k, ok := g.btrdSlow(v, nf, p, q, npq, spq, a, b, c, vr, ivr); ok {
			return k
		}
	}
}

// btrdSlow is the rest of one BTRD trial (steps 2–5 of Hörmann's
// algorithm) for a first uniform v > urvr.
func (g *rng) btrdSlow(v, nf, p, q, npq, spq, a, b, c, vr, ivr float64) (int, bool) {
	var u float64
	if v >= vr {
		u = g.float() - 0.5
	} else {
		u = v*ivr - 0.93
		u = math.Copysign(0.5, u) - u
		v = g.float() * vr
	}
	us := 0.5 - math.Abs(u)
	kf := (2*a/us+b)*u + c
	if kf < 0 || kf >= nf+1 {
		return 0, false
	}
	k := math.Floor(kf)
	alpha := (2.83 + 5.1/b) * spq
	v = v * alpha / (a/(us*us) + b)
	m := math.Floor((nf + 1) * p)
	r := p / q
	nr := (nf + 1) * r
	km := math.Abs(k - m)
	if km <= 15 {
		// f(k)/f(m) as a product of ratios (n+1−i)p/(iq), with
		// numerators and denominators kept apart: one comparison,
		// no division.
		num, den := 1.0, 1.0
		if m < k {
			for i := m + 1; i <= k; i++ {
				num *= nr - r*i
				den *= i
			}
			return int(k), v*den <= num
		}
		for i := k + 1; i <= m; i++ {
			num *= nr - r*i
			den *= i
		}
		return int(k), v*num <= den
	}
	v = math.Log(v)
	rho := (km / npq) * (((km/3+0.625)*km+1.0/6)/npq + 0.5)
	t := -km * km / (2 * npq)
	if v < t-rho {
		return int(k), true
	}
	if v > t+rho {
		return 0, false
	}
	nm := nf - m + 1
	h := (m+0.5)*math.Log((m+1)/(r*nm)) + stirlingTail(m) + stirlingTail(nf-m)
	nk := nf - k + 1
	return int(k), v <= h+(nf+1)*math.Log(nm/nk)+(k+0.5)*math.Log(nk*r/(k+1))-stirlingTail(k)-stirlingTail(nf-k)
}

// poisson draws Poisson(lam): inversion for lam < 10, otherwise Hörmann's
// (1993) PTRS transformed rejection.
func (g *rng) poisson(lam float64) int {
	if lam <= 0 {
		return 0
	}
	if lam < 10 {
		u := g.float()
		// P(X = 0) = e^−λ ≥ 1 − λ: the common case for small λ without exp.
		if u <= 1-lam {
			return 0
		}
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
	return g.poissonFrom(lam, g.float()-0.5, g.float())
}

// poissonFrom is PTRS (Hörmann 1993) for λ ≥ 10, its first trial made with
// u (uniform on [−1/2, 1/2)) and v (uniform on [0, 1)).
func (g *rng) poissonFrom(lam, u, v float64) int {
	slam := math.Sqrt(lam)
	loglam := math.NaN() // log λ, once needed
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lam + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k >= 0 && !(us < 0.013 && v > us) {
			if loglam != loglam {
				loglam = math.Log(lam)
			}
			lk, _ := math.Lgamma(k + 1)
			if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lam+k*loglam-lk {
				return int(k)
			}
		}
		u = g.float() - 0.5
		v = g.float()
	}
}

// multinomial splits total into len(w) parts with probabilities ∝ w,
// adding the parts to out.
func (g *rng) multinomial(total int, w []float64, out []int) {
	var ordBuf [64]int
	ord := ordBuf[:0]
	if len(w) > len(ordBuf) {
		ord = make([]int, 0, len(w))
	}
	for k := range w {
		ord = append(ord, k)
	}
	g.multinomialOrd(total, w, out, ord, true)
}

// perPersonMax: a multinomial with at most this many people left gives
// each of them a class by one categorical draw (perPerson) instead of one
// binomial draw per class.
const perPersonMax = 12

// multinomialOrd is multinomial with a caller-kept order of the parts,
// ord (a permutation of 0..len(w)−1). With sortIt, ord is first sorted in
// place by decreasing weight, by insertion, so an order kept from one call
// to the next with similar weights costs about len(w) comparisons. Parts
// are drawn in that order by conditional binomials, so the few large parts
// use up the total early; once at most perPersonMax people are left, each
// of them draws a class among the parts left. Any order gives the same
// distribution; a sorted one is only faster.
func (g *rng) multinomialOrd(total int, w []float64, out []int, ord []int, sortIt bool) {
	g.multinomialSum(total, w, sumOf(w), out, ord, sortIt)
}

// sortByWeight sorts ord in place by decreasing w[ord[i]], by insertion:
// an order kept from one call to the next with similar weights costs
// about len(ord) comparisons.
func sortByWeight(ord []int, w []float64) {
	for i := 1; i < len(ord); i++ {
		k := ord[i]
		wk := w[k]
		j := i
		for j > 0 && w[ord[j-1]] < wk {
			ord[j] = ord[j-1]
			j--
		}
		ord[j] = k
	}
}

// sumOf returns the sum of w (two running sums, to halve the chain of
// dependent additions).
func sumOf(w []float64) float64 {
	s0, s1 := 0.0, 0.0
	i := 0
	for ; i+1 < len(w); i += 2 {
		s0 += w[i]
		s1 += w[i+1]
	}
	if i < len(w) {
		s0 += w[i]
	}
	return s0 + s1
}

// mulSum sets w[k] = a[k]·b[k] and returns the sum of w (two running
// sums). a and b have at least len(w) elements.
func mulSum(w, a, b []float64) float64 {
	a, b = a[:len(w)], b[:len(w)]
	s0, s1 := 0.0, 0.0
	k := 0
	for ; k+1 < len(w); k += 2 {
		v0, v1 := a[k]*b[k], a[k+1]*b[k+1]
		w[k], w[k+1] = v0, v1
		s0 += v0
		s1 += v1
	}
	if k < len(w) {
		v := a[k] * b[k]
		w[k] = v
		s0 += v
	}
	return s0 + s1
}

// multinomialSum is multinomialOrd with the sum of w given.
func (g *rng) multinomialSum(total int, w []float64, sum float64, out []int, ord []int, sortIt bool) {
	K := len(w)
	if total <= 0 || K == 0 {
		return
	}
	ord = ord[:K]
	if total <= perPersonMax {
		g.perPerson(total, w, out, ord, 0)
		return
	}
	if sortIt {
		sortByWeight(ord, w)
	}
	// The mass of the parts not drawn yet is kept by subtraction; when
	// it falls below 1e-4 of the mass it came from, it is summed afresh,
	// so its relative rounding error stays below about 1e-12.
	left := sum
	from := left
	rem := total
	for i, k := range ord[:K-1] {
		if rem <= perPersonMax {
			g.perPerson(rem, w, out, ord, i)
			return
		}
		if left < 1e-4*from {
			left = 0
			for _, k := range ord[i:] {
				left += w[k]
			}
			from = left
		}
		wi := w[k]
		rest := left - wi
		if rest <= 0 {
			// Nothing else has weight (up to rounding): check exactly.
			rest = 0
			for _, k := range ord[i+1:] {
				rest += w[k]
			}
			if rest <= 0 {
				out[k] += rem
				return
			}
			left = wi + rest
			from = left
		}
		if wi > 0 {
			var x int
			if wi <= rest {
				x = g.binomLow(rem, wi/left)
			} else {
				x = rem - g.binomLow(rem, rest/left)
			}
			out[k] += x
			rem -= x
			if rem == 0 {
				return
			}
		}
		left = rest
	}
	out[ord[K-1]] += rem
}

// perPerson gives each of rem people one of the parts ord[start:] by a
// categorical draw over their weights w: a uniform U in [0, Σw) against
// the cumulative sums of the weights, by a binary search without branches
// (the part is the number of cumulative sums at or below U; non-negative
// doubles compare as their bit patterns do). For at most 16 parts the
// loops run over all of ord, the parts before start having no width (and
// the padding up to 16 none that U can reach), so that their lengths do
// not depend on the draw and the processor predicts them.
func (g *rng) perPerson(rem int, w []float64, out []int, ord []int, start int) {
	K := len(ord)
	if K > 16 {
		g.perPersonLarge(rem, w, out, ord[start:])
		return
	}
	th, cnt := &g.ppTh, &g.ppCnt
	if g.ppK != K {
		for t := K; t < 16; t++ {
			th[t&15] = math.MaxInt64
		}
		g.ppK = K
	}
	cum := 0.0
	for t, k := range ord {
		v := w[k]
		if t < start {
			v = 0
		}
		cum += v
		// (the sum's bits less 1: "sum ≤ U" is "th < U")
		th[t&15] = int64(math.Float64bits(cum)) - 1
	}
	if !(cum > 0) {
		// No part with weight (cannot happen): keep the total.
		out[ord[start]] += rem
		return
	}
	// U = j·Σw/2^53 for a 53-bit j. U < Σw, but rounding can give
	// U = Σw (with probability below 2^−53), which would pass the last
	// part with weight: such a U is drawn again.
	scale := cum * (1.0 / (1 << 53))
	hi, lo := g.hi, g.lo
	for rem > 0 {
		var x uint64
		hi, lo, x = pcgStep(hi, lo)
		uf := float64(x>>11) * scale
		if uf >= cum {
			continue
		}
		u := int64(math.Float64bits(uf))
		// b += step if th[b+step−1] < u, for step = 8, 4, 2, 1.
		b := 8 & int((th[7]-u)>>63)
		b += 4 & int((th[(b+3)&15]-u)>>63)
		b += 2 & int((th[(b+1)&15]-u)>>63)
		b += 1 & int((th[b&15]-u)>>63)
		cnt[b&15]++
		rem--
	}
	g.hi, g.lo = hi, lo
	for t, k := range ord {
		out[k] += cnt[t&15]
		cnt[t&15] = 0
	}
}

// perPersonLarge is perPerson for more than 16 parts (ord: the parts to
// draw from).
func (g *rng) perPersonLarge(rem int, w []float64, out []int, ord []int) {
	n := len(ord)
	for n > 0 && !(w[ord[n-1]] > 0) {
		n--
	}
	if n <= 1 {
		out[ord[0]] += rem
		return
	}
	size := 32
	for size < n {
		size <<= 1
	}
	th, cnt := make([]int64, size), make([]int, size)
	sum := 0.0
	for _, k := range ord[:n] {
		sum += w[k]
	}
	scale := (1 << 53) / sum
	cum := 0.0
	for t, k := range ord[:n-1] {
		cum += w[k]
		th[t] = int64(cum * scale)
	}
	for t := n - 1; t < size; t++ {
		th[t] = math.MaxInt64
	}
	for ; rem > 0; rem-- {
		u := int64(g.u64() >> 11)
		b := 0
		for step := size >> 1; step > 0; step >>= 1 {
			b += step &^ int((u-th[b+step-1])>>63)
		}
		cnt[b]++
	}
	for t, k := range ord[:n] {
		out[k] += cnt[t]
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
