package mse

import (
	"context"
	"math"
	"strings"
	"testing"
)

func TestEnumerateHierarchicalCounts(t *testing.T) {
	for J, want := range map[int]int{3: 8, 4: 113, 5: 6893} {
		ms := EnumerateHierarchical(J, 0)
		if len(ms) != want {
			t.Errorf("J=%d: %d models, want %d", J, len(ms), want)
		}
		seen := map[string]bool{}
		for _, m := range ms {
			s := m.String()
			if seen[s] {
				t.Errorf("J=%d: duplicate model %s", J, s)
			}
			seen[s] = true
			back, err := ParseModel(J, s)
			if err != nil || back.String() != s {
				t.Errorf("J=%d: %s does not round-trip (%v)", J, s, err)
			}
		}
	}
}

// Rcapture closedpMS.t: the BIC ranking and the abundances of the 20 best
// models, for every table in the peer file. Models the peer flags with
// infoFit=1 (fit at a boundary) are compared on rank only.
func TestSearchMatchesRcaptureTop20(t *testing.T) {
	rows := peerCSV(t, "rcapture_closedpMS_t_bic_top20.csv")
	byData := map[string][]map[string]string{}
	var order []string
	for _, r := range rows {
		if _, ok := byData[r["dataset"]]; !ok {
			order = append(order, r["dataset"])
		}
		byData[r["dataset"]] = append(byData[r["dataset"]], r)
	}
	for _, ds := range order {
		peer := byData[ds]
		tb := loadTable(t, ds+".csv")
		if testing.Short() && tb.J() == 5 {
			continue
		}
		res, err := SearchHierarchical(context.Background(), tb, SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]int{3: 8, 4: 113, 5: 6893}[tb.J()]
		if res.Count != want {
			t.Errorf("%s: %d models", ds, res.Count)
		}
		var mism []string
		for i, r := range peer {
			got := res.All[i]
			bic := atof(t, r["BIC"])
			if got.Model != r["model"] && math.Abs(got.BIC-bic) > 1e-6 {
				mism = append(mism, r["model"]+"≠"+got.Model)
				continue
			}
			// same model (or a tie in BIC): compare the numbers
			if got.Model != r["model"] {
				continue
			}
			if r["infoFit"] != "0" {
				continue
			}
			if rel := math.Abs(got.Total-atof(t, r["abundance"])) / atof(t, r["abundance"]); rel > 1e-6 {
				t.Errorf("%s %s: N=%.4f, Rcapture %s", ds, got.Model, got.Total, r["abundance"])
			}
			if math.Abs(got.BIC-bic) > 1e-5 || math.Abs(got.Deviance-atof(t, r["deviance"])) > 1e-5 {
				t.Errorf("%s %s: BIC %.6f dev %.6f, Rcapture %s %s", ds, got.Model, got.BIC, got.Deviance, r["BIC"], r["deviance"])
			}
			// SE depends on where IRLS stops (R's glm stops at a relative
			// deviance change of 1e-8, we go to 1e-10): allow 1e-4.
			if rel := math.Abs(got.SE-atof(t, r["stderr"])) / atof(t, r["stderr"]); rel > 1e-4 {
				t.Errorf("%s %s: SE=%.4f, Rcapture %s", ds, got.Model, got.SE, r["stderr"])
			}
		}
		if len(mism) > 0 {
			t.Errorf("%s: ranking differs from Rcapture: %s", ds, strings.Join(mism, " "))
		}
		t.Logf("%s: best %s N=%.2f BIC=%.3f", ds, res.Best.Model, res.Best.Total, res.Best.BIC)
	}
}

func BenchmarkSearchJ5(b *testing.B) {
	tb := loadTable(b, "uk_modern_slavery_2013_5lists.csv")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := SearchHierarchical(context.Background(), tb, SearchOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
