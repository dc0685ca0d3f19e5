package mse

import (
	"math"
	"testing"
)

// A1: Kosovo, Rcapture's BIC-best model [123,14,34]: N = 10,356.52 ± 0.01,
// SE 785.90 ± 0.1, deviance 9.32 on 4 df, BIC 203.03 (mse.md §6).
func TestKosovoFixedModel(t *testing.T) {
	tb := loadTable(t, "kosovo_1999_4lists.csv")
	m, err := ParseModel(4, "[123,14,34]")
	if err != nil {
		t.Fatal(err)
	}
	if m.String() != "[123,14,34]" {
		t.Errorf("model round trip %s", m.String())
	}
	f, err := FitLogLinear(tb, m, FitOptions{Check: true})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.Total-10356.52) > 0.01 {
		t.Errorf("N = %.4f, want 10356.52 ± 0.01", f.Total)
	}
	if math.Abs(f.SE-785.9022) > 0.1 {
		t.Errorf("SE = %.4f, want 785.90 ± 0.1", f.SE)
	}
	if math.Abs(f.Deviance-9.322670) > 1e-4 || f.DF != 4 {
		t.Errorf("deviance %.6f on %d df, want 9.322670 on 4", f.Deviance, f.DF)
	}
	if math.Abs(f.AIC-132.7467) > 1e-3 || math.Abs(f.BIC-203.0296) > 1e-3 {
		t.Errorf("AIC %.4f BIC %.4f, want 132.7467 and 203.0296", f.AIC, f.BIC)
	}
	if f.Check == nil || !f.Check.OK() {
		t.Errorf("check: %+v", f.Check)
	}
	t.Logf("%s: N=%.4f SE=%.4f dev=%.4f AIC=%.4f BIC=%.4f iters=%d", f.Model, f.Total, f.SE, f.Deviance, f.AIC, f.BIC, f.Iterations)
}

// The artificial SparseMSE table (Chan, Silverman & Vincent 2019, Table 2):
// with AB the MLE is not finite; with all three pairs the model is not
// identifiable; main effects, AC, BC, AC+BC pass.
func TestArtificialChecks(t *testing.T) {
	tb := loadTable(t, "sparsemse_artificial_3lists.csv")
	cases := []struct {
		model            string
		finite, identify bool
	}{
		{"[1,2,3]", true, true},
		{"[13,2]", true, true},
		{"[23,1]", true, true},
		{"[13,23]", true, true},
		{"[12,3]", false, true},
		{"[12,13]", false, true},
		{"[12,23]", false, true},
		{"[12,13,23]", true, false},
	}
	for _, c := range cases {
		m, err := ParseModel(3, c.model)
		if err != nil {
			t.Fatal(err)
		}
		ck, err := CheckModel(tb, m)
		if err != nil {
			t.Fatal(err)
		}
		if ck.MLEFinite != c.finite || ck.Identifiable != c.identify {
			t.Errorf("%s: finite=%v identifiable=%v (lp %.3g), want %v %v", c.model, ck.MLEFinite, ck.Identifiable, ck.LPValue, c.finite, c.identify)
		}
		if !ck.OK() && ck.Message == "" {
			t.Errorf("%s: failing check without a message", c.model)
		}
	}
}
