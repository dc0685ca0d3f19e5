package mse

import (
	"math"
)

// poissonGLM fits a Poisson GLM with log link by iteratively reweighted
// least squares (Newton's method; the log link is canonical). It works on a
// dense design and reuses its buffers between fits, so one value can fit
// thousands of models.
type poissonGLM struct {
	n, p   int
	x      []float64 // n×p row-major design
	y      []float64
	offset []float64 // optional, length n

	beta, mu, eta []float64
	xtwx, chol    []float64 // p×p
	rhs, tmp      []float64
	aliased       []bool
	rank          int
	iter          int
	converged     bool
	dev           float64
}

const (
	glmTol      = 1e-10 // relative change in deviance, as glm's epsilon
	glmMaxIter  = 100
	cholRelTol  = 1e-10 // pivot tolerance relative to the diagonal
	muFloor     = 1e-300
	etaMax      = 700.0
	maxHalvings = 30
)

func newPoissonGLM(n, p int) *poissonGLM {
	g := &poissonGLM{n: n, p: p}
	g.x = make([]float64, n*p)
	g.y = make([]float64, n)
	g.beta = make([]float64, p)
	g.mu = make([]float64, n)
	g.eta = make([]float64, n)
	g.xtwx = make([]float64, p*p)
	g.chol = make([]float64, p*p)
	g.rhs = make([]float64, p)
	g.tmp = make([]float64, p)
	g.aliased = make([]bool, p)
	return g
}

// resize reuses buffers for a design of n×p.
func (g *poissonGLM) resize(n, p int) {
	if cap(g.x) < n*p || cap(g.y) < n || cap(g.xtwx) < p*p {
		*g = *newPoissonGLM(n, p)
		return
	}
	g.n, g.p = n, p
	g.x = g.x[:n*p]
	g.y = g.y[:n]
	g.mu = g.mu[:n]
	g.eta = g.eta[:n]
	g.beta = g.beta[:p]
	g.xtwx = g.xtwx[:p*p]
	g.chol = g.chol[:p*p]
	g.rhs = g.rhs[:p]
	g.tmp = g.tmp[:p]
	g.aliased = g.aliased[:p]
}

func poissonDeviance(y, mu []float64) float64 {
	d := 0.0
	for i, yi := range y {
		if yi > 0 {
			d += yi*math.Log(yi/mu[i]) - (yi - mu[i])
		} else {
			d += mu[i]
		}
	}
	return 2 * d
}

// loglik is the Poisson log-likelihood including the −log y! terms.
func (g *poissonGLM) loglik() float64 {
	l := 0.0
	for i, yi := range g.y {
		if yi > 0 {
			lg, _ := math.Lgamma(yi + 1)
			l += yi*math.Log(g.mu[i]) - g.mu[i] - lg
		} else {
			l -= g.mu[i]
		}
	}
	return l
}

func (g *poissonGLM) setEta() {
	for i := 0; i < g.n; i++ {
		e := 0.0
		row := g.x[i*g.p : (i+1)*g.p]
		for k, b := range g.beta {
			e += row[k] * b
		}
		if g.offset != nil {
			e += g.offset[i]
		}
		if e > etaMax {
			e = etaMax
		}
		g.eta[i] = e
		g.mu[i] = math.Max(math.Exp(e), muFloor)
	}
}

// fit runs IRLS. With warm=true it starts from the current beta, otherwise
// from mu = y + 0.1 as R's poisson family does.
func (g *poissonGLM) fit(warm bool) {
	n, p := g.n, g.p
	if warm {
		g.setEta()
	} else {
		for i := 0; i < n; i++ {
			g.mu[i] = g.y[i] + 0.1
			g.eta[i] = math.Log(g.mu[i])
		}
	}
	devOld := poissonDeviance(g.y, g.mu)
	g.converged = false
	betaOld := g.tmp
	for g.iter = 1; g.iter <= glmMaxIter; g.iter++ {
		// Normal equations of the weighted least-squares step:
		// (X'WX) beta = X'W z, z = eta - offset + (y - mu)/mu, W = mu.
		for k := range g.xtwx {
			g.xtwx[k] = 0
		}
		for k := range g.rhs {
			g.rhs[k] = 0
		}
		for i := 0; i < n; i++ {
			w := g.mu[i]
			z := g.eta[i] + (g.y[i]-g.mu[i])/g.mu[i]
			if g.offset != nil {
				z -= g.offset[i]
			}
			row := g.x[i*p : (i+1)*p]
			for a := 0; a < p; a++ {
				xa := row[a]
				if xa == 0 {
					continue
				}
				wa := w * xa
				g.rhs[a] += wa * z
				r := g.xtwx[a*p : a*p+a+1]
				for b := 0; b <= a; b++ {
					r[b] += wa * row[b]
				}
			}
		}
		copy(betaOld, g.beta)
		g.cholesky()
		g.solve(g.rhs, g.beta)
		g.setEta()
		dev := poissonDeviance(g.y, g.mu)
		// Step halving when the step is not finite or makes things worse
		// by a wide margin (rare for the canonical link).
		for h := 0; h < maxHalvings && (math.IsNaN(dev) || math.IsInf(dev, 0) || dev > devOld*(1+1e-7)+1e-7) && g.iter > 1; h++ {
			for k := range g.beta {
				g.beta[k] = (g.beta[k] + betaOld[k]) / 2
			}
			g.setEta()
			dev = poissonDeviance(g.y, g.mu)
		}
		g.dev = dev
		if math.Abs(dev-devOld)/(math.Abs(dev)+0.1) < glmTol {
			g.converged = true
			break
		}
		devOld = dev
	}
	if g.iter > glmMaxIter {
		g.iter = glmMaxIter
	}
	// Final information matrix at the solution, for standard errors.
	for k := range g.xtwx {
		g.xtwx[k] = 0
	}
	for i := 0; i < n; i++ {
		w := g.mu[i]
		row := g.x[i*p : (i+1)*p]
		for a := 0; a < p; a++ {
			if row[a] == 0 {
				continue
			}
			wa := w * row[a]
			r := g.xtwx[a*p : a*p+a+1]
			for b := 0; b <= a; b++ {
				r[b] += wa * row[b]
			}
		}
	}
	g.cholesky()
}

// cholesky factors the lower triangle of xtwx into chol, dropping (as R's
// pivoting QR does) columns that are linearly dependent on earlier ones.
func (g *poissonGLM) cholesky() {
	p := g.p
	A, L := g.xtwx, g.chol
	g.rank = 0
	for k := 0; k < p; k++ {
		g.aliased[k] = false
		d := A[k*p+k]
		orig := d
		for i := 0; i < k; i++ {
			d -= L[k*p+i] * L[k*p+i]
		}
		if !(d > cholRelTol*orig) || orig <= 0 {
			g.aliased[k] = true
			for i := 0; i <= k; i++ {
				L[k*p+i] = 0
			}
			for r := k + 1; r < p; r++ {
				L[r*p+k] = 0
			}
			continue
		}
		g.rank++
		lkk := math.Sqrt(d)
		L[k*p+k] = lkk
		for r := k + 1; r < p; r++ {
			s := A[r*p+k]
			for i := 0; i < k; i++ {
				s -= L[r*p+i] * L[k*p+i]
			}
			L[r*p+k] = s / lkk
		}
	}
}

// solve solves (L L') x = b, with aliased coordinates set to 0.
func (g *poissonGLM) solve(b, x []float64) {
	p := g.p
	L := g.chol
	for k := 0; k < p; k++ {
		if g.aliased[k] {
			x[k] = 0
			continue
		}
		s := b[k]
		for i := 0; i < k; i++ {
			s -= L[k*p+i] * x[i]
		}
		x[k] = s / L[k*p+k]
	}
	for k := p - 1; k >= 0; k-- {
		if g.aliased[k] {
			x[k] = 0
			continue
		}
		s := x[k]
		for r := k + 1; r < p; r++ {
			s -= L[r*p+k] * x[r]
		}
		x[k] = s / L[k*p+k]
	}
}

// varCoef returns the variance of coefficient k, (X'WX)^{-1}[k,k].
func (g *poissonGLM) varCoef(k int) float64 {
	if g.aliased[k] {
		return math.NaN()
	}
	e := make([]float64, g.p)
	v := make([]float64, g.p)
	e[k] = 1
	g.solve(e, v)
	return v[k]
}
