package mse

import (
	"math"
	"testing"
)

// Rcapture closedp.t (peer_outputs/rcapture_closedp_t.csv): abundances to
// 1e-4 relative, and the deviance, df, AIC and BIC, for every table and
// every model we fit (Mb and Mbh are not fitted). Rows Rcapture flags with
// infoFit ≠ 0 are fits at a boundary; they are compared on deviance only.
func TestClosedPTMatchesRcapture(t *testing.T) {
	fits := map[string]map[string]*LogLinearFit{}
	checked := 0
	for _, r := range peerCSV(t, "rcapture_closedp_t.csv") {
		ds, model := r["dataset"], r["model"]
		if model == "Mb" || model == "Mbh" {
			continue
		}
		if fits[ds] == nil {
			tb := loadTable(t, ds+".csv")
			fs, err := ClosedPT(tb)
			if err != nil {
				t.Fatal(err)
			}
			fits[ds] = map[string]*LogLinearFit{}
			for _, f := range fs {
				fits[ds][f.Model] = f
			}
		}
		f := fits[ds][model]
		if f == nil {
			t.Errorf("%s: model %s not fitted", ds, model)
			continue
		}
		if math.Abs(f.Deviance-atof(t, r["deviance"])) > 1e-4*math.Max(1, atof(t, r["deviance"])) {
			t.Errorf("%s %s: deviance %.6f, Rcapture %s", ds, model, f.Deviance, r["deviance"])
		}
		if r["infoFit"] != "0" {
			continue
		}
		checked++
		want := atof(t, r["abundance"])
		if math.Abs(f.Total-want)/want > 1e-4 {
			t.Errorf("%s %s: N=%.4f, Rcapture %.4f", ds, model, f.Total, want)
		}
		if math.Abs(f.SE-atof(t, r["stderr"]))/atof(t, r["stderr"]) > 1e-3 {
			t.Errorf("%s %s: SE=%.4f, Rcapture %s", ds, model, f.SE, r["stderr"])
		}
		if f.DF != int(atof(t, r["df"])) || math.Abs(f.AIC-atof(t, r["AIC"])) > 1e-3 || math.Abs(f.BIC-atof(t, r["BIC"])) > 1e-3 {
			t.Errorf("%s %s: df %d AIC %.4f BIC %.4f, Rcapture %s %s %s", ds, model, f.DF, f.AIC, f.BIC, r["df"], r["AIC"], r["BIC"])
		}
	}
	if checked < 100 {
		t.Errorf("only %d rows compared", checked)
	}
	t.Logf("%d model fits compared", checked)
}
