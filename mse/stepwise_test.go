package mse

import (
	"context"
	"math"
	"strings"
	"testing"
)

var sparseMSEFiles = map[string]string{
	"UKdat":    "uk_modern_slavery_2013_6lists.csv",
	"UKdat_5":  "uk_modern_slavery_2013_5lists.csv",
	"NewOrl":   "new_orleans_trafficking_8lists.csv",
	"NewOrl_5": "new_orleans_trafficking_5lists.csv",
	"Ned":      "netherlands_trafficking_6lists.csv",
	"Ned_5":    "netherlands_trafficking_5lists.csv",
	"Western":  "us_western_sex_trafficking_5lists.csv",
}

// A2 and the other SparseMSE peer rows: the stepwise path (terms in order
// of addition), the point estimate (11,313.0 for UK-5), the log-normal
// interval and the adjusted AIC; main effects too.
func TestStepwiseMatchesSparseMSE(t *testing.T) {
	for _, r := range peerCSV(t, "sparsemse_estimatepopulation0.csv") {
		file := sparseMSEFiles[r["dataset"]]
		if file == "" {
			t.Fatalf("unknown dataset %s", r["dataset"])
		}
		tb := loadTable(t, file)
		var fit *LogLinearFit
		var terms []string
		if r["method"] == "main" {
			f, err := FitLogLinear(tb, MainEffects(tb.J()), FitOptions{Extended: true})
			if err != nil {
				t.Fatal(err)
			}
			fit = f
		} else {
			res, err := Stepwise(context.Background(), tb, StepwiseOptions{PThreshold: atof(t, r["pthresh"])})
			if err != nil {
				t.Fatal(err)
			}
			fit = res.Fit
			// SparseMSE lists the pairs with a non-empty overlap; pairs
			// with no one in common (fitted as −∞) are kept apart.
			for _, s := range res.Steps {
				if !s.EmptyOverlap {
					terms = append(terms, s.Term)
				}
			}
			if got := strings.Join(terms, " "); got != r["two_list_terms"] {
				t.Errorf("%s stepwise terms %q, SparseMSE %q", r["dataset"], got, r["two_list_terms"])
			}
		}
		// Standard errors depend on where IRLS stops (R's glm: relative
		// deviance change 1e-8), so the interval gets 1e-4.
		for _, c := range []struct {
			name      string
			got, want float64
			tol       float64
		}{
			{"estimate", fit.Total, atof(t, r["point"]), 1e-6},
			{"lower", fit.LogNormalLower, atof(t, r["lower2.5"]), 1e-4},
			{"upper", fit.LogNormalUpper, atof(t, r["upper97.5"]), 1e-4},
		} {
			if rel := math.Abs(c.got-c.want) / c.want; rel > c.tol {
				t.Errorf("%s %s %s = %.4f, SparseMSE %.4f", r["dataset"], r["method"], c.name, c.got, c.want)
			}
		}
		if math.Abs(fit.AIC-atof(t, r["aic_adjusted"])) > 1e-4 {
			t.Errorf("%s %s AIC %.5f, SparseMSE %s", r["dataset"], r["method"], fit.AIC, r["aic_adjusted"])
		}
		t.Logf("%-8s %-8s N=%.1f [%.1f, %.1f] %v", r["dataset"], r["method"], fit.Total, fit.LogNormalLower, fit.LogNormalUpper, terms)
	}
}
