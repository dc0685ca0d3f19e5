package mse

import (
	"fmt"
	"math"
	"math/bits"
)

// ClosedPTModels are the names of the fixed models ClosedPT fits, in order.
// The behavioural models Mb and Mbh of Rcapture are left out: they assume
// ordered capture occasions, which lists of victims are not.
var ClosedPTModels = []string{
	"M0", "Mt",
	"Mh Chao (LB)", "Mh Poisson2", "Mh Darroch", "Mh Gamma3.5",
	"Mth Chao (LB)", "Mth Poisson2", "Mth Darroch", "Mth Gamma3.5",
}

var closedPTDescriptions = map[string]string{
	"M0":            "every list has the same capture probability, everyone alike",
	"Mt":            "lists differ, independent, everyone alike (the independence log-linear model)",
	"Mh Chao (LB)":  "lists alike, people differ in catchability (Chao's lower bound)",
	"Mh Poisson2":   "lists alike, people differ in catchability (Poisson2 heterogeneity)",
	"Mh Darroch":    "lists alike, people differ in catchability (Darroch's heterogeneity)",
	"Mh Gamma3.5":   "lists alike, people differ in catchability (Gamma(3.5) heterogeneity)",
	"Mth Chao (LB)": "lists differ and people differ in catchability (Chao's lower bound)",
	"Mth Poisson2":  "lists differ and people differ in catchability (Poisson2 heterogeneity)",
	"Mth Darroch":   "lists differ and people differ in catchability (Darroch's heterogeneity)",
	"Mth Gamma3.5":  "lists differ and people differ in catchability (Gamma(3.5) heterogeneity)",
}

// ClosedPT fits Rcapture's closedp.t models: Poisson regressions on the
// 2^J − 1 observable cells whose covariates are functions of the pattern.
// With k the number of lists a pattern is on:
//
//	M0: k;  Mt: one column per list;
//	Mh Chao (LB): k and max(0, k − j + 1) for j = 3..J, columns with
//	  negative estimates dropped and the model refitted;
//	Mh Poisson2: k, 2^k − 1;  Mh Darroch: k, k²/2;
//	Mh Gamma3.5: k, −log(3.5 + k) + log 3.5;
//	Mth *: the list columns plus the same heterogeneity column(s).
//
// The estimate is n + exp(intercept), with Rcapture's SE, deviance, AIC and
// BIC conventions (see LogLinearFit).
func ClosedPT(t *Table) ([]*LogLinearFit, error) {
	J := t.J()
	if J < 2 || J > MaxLogLinearLists {
		return nil, fmt.Errorf("mse: closedp.t models need 2 to %d lists, table has %d", MaxLogLinearLists, J)
	}
	y := t.Dense()
	n := t.N()
	g := newPoissonGLM(0, 0)
	var out []*LogLinearFit
	for _, name := range ClosedPTModels {
		f := fitClosedModel(g, name, J, y, n)
		f.Description = closedPTDescriptions[name]
		out = append(out, f)
	}
	return out, nil
}

type covariate func(cell uint64) float64

func fitClosedModel(g *poissonGLM, name string, J int, y []float64, n int) *LogLinearFit {
	kOf := func(c uint64) float64 { return float64(bits.OnesCount64(c)) }
	var cols []covariate
	withT := len(name) >= 3 && name[:3] == "Mth" || name == "Mt"
	if withT {
		for j := 0; j < J; j++ {
			b := uint64(1) << uint(j)
			cols = append(cols, func(c uint64) float64 {
				if c&b != 0 {
					return 1
				}
				return 0
			})
		}
	} else {
		cols = append(cols, kOf)
	}
	var het []covariate
	switch {
	case name == "M0" || name == "Mt":
	case hasSuffix(name, "Chao (LB)"):
		for j := 3; j <= J; j++ {
			jj := float64(j)
			het = append(het, func(c uint64) float64 { return math.Max(0, kOf(c)-jj+1) })
		}
	case hasSuffix(name, "Poisson2"):
		het = append(het, func(c uint64) float64 { return math.Pow(2, kOf(c)) - 1 })
	case hasSuffix(name, "Darroch"):
		het = append(het, func(c uint64) float64 { k := kOf(c); return k * k / 2 })
	case hasSuffix(name, "Gamma3.5"):
		het = append(het, func(c uint64) float64 { return -math.Log(3.5+kOf(c)) + math.Log(3.5) })
	}
	chao := hasSuffix(name, "Chao (LB)")
	for {
		all := append(append([]covariate(nil), cols...), het...)
		C := len(y) - 1
		g.resize(C, 1+len(all))
		g.offset = nil
		for i := 0; i < C; i++ {
			c := uint64(i + 1)
			g.y[i] = y[c]
			row := g.x[i*g.p : (i+1)*g.p]
			row[0] = 1
			for k, f := range all {
				row[1+k] = f(c)
			}
		}
		g.fit(false)
		if chao {
			// Drop the η columns whose estimates are negative, refit.
			var keep []covariate
			for k := range het {
				if g.beta[1+len(cols)+k] >= 0 {
					keep = append(keep, het[k])
				}
			}
			if len(keep) < len(het) {
				het = keep
				continue
			}
		}
		break
	}
	f := &LogLinearFit{Model: name, Observed: n, Deviance: g.dev, Rank: g.rank, DF: len(y) - 1 - g.rank,
		Converged: g.converged, Iterations: g.iter}
	f.LogLik = g.loglik()
	f.AIC = -2*f.LogLik + 2*float64(g.rank)
	f.BIC = f.AIC + (math.Log(float64(n))-2)*float64(g.rank)
	f.Intercept = g.beta[0]
	f.InterceptVar = g.varCoef(0)
	n0 := math.Exp(f.Intercept)
	f.Unobserved = n0
	f.Total = float64(n) + n0
	f.SE = math.Sqrt(n0 + n0*n0*f.InterceptVar)
	sd := math.Sqrt(f.InterceptVar)
	f.LogNormalLower = float64(n) + math.Exp(f.Intercept-1.959963984540054*sd)
	f.LogNormalUpper = float64(n) + math.Exp(f.Intercept+1.959963984540054*sd)
	return f
}

func hasSuffix(s, suf string) bool { return len(s) >= len(suf) && s[len(s)-len(suf):] == suf }
