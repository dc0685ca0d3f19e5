package mse

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"sync/atomic"
	"testing"
)

var quickLCMCR = LCMCROptions{K: 10, Seed: 1, Burnin: 2000, Samples: 500, Thin: 10, Chains: 2}

func TestEstimateKosovo(t *testing.T) {
	tb := loadTable(t, "kosovo_1999_4lists.csv")
	var calls atomic.Int64
	rep, err := Estimate(context.Background(), tb, Options{LCMCR: quickLCMCR, Progress: func(string, int, int) { calls.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Estimability.Estimable || rep.Documented != 4400 {
		t.Fatalf("estimability %+v documented %d", rep.Estimability, rep.Documented)
	}
	got := map[string]Result{}
	for _, r := range rep.Results {
		got[r.Method] = r
		if r.MethodName == "" || r.Model == "" || r.Interval == nil || r.Interval.Kind == "" {
			t.Errorf("%s: missing name, model or interval: %+v", r.Method, r)
		}
		if math.Abs(r.Total-float64(r.Documented)-r.Undocumented) > 1e-6*r.Total {
			t.Errorf("%s: total %.2f ≠ documented %d + undocumented %.2f", r.Method, r.Total, r.Documented, r.Undocumented)
		}
	}
	for _, m := range []string{MethodLogLinear, MethodStepwise, MethodBMA, MethodLCMCR} {
		if _, ok := got[m]; !ok {
			t.Errorf("no %s result (errors: %v)", m, rep.Errors)
		}
	}
	ll := got[MethodLogLinear]
	if math.Abs(ll.Total-10356.52) > 0.01 || !strings.HasPrefix(ll.Model, "[123,14,34]") || ll.Interval.Kind != "profile_likelihood" {
		t.Errorf("loglinear: %.2f %q %s", ll.Total, ll.Model, ll.Interval.Kind)
	}
	// The runner-up [123,134] is 0.08 BIC behind and gives 12,741.
	if !strings.Contains(strings.Join(ll.Warnings, " "), "[123,134]") {
		t.Errorf("loglinear: no warning about the close runner-up model: %q", ll.Warnings)
	}
	if calls.Load() == 0 {
		t.Error("progress callback never called")
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"method"`, `"method_name"`, `"model"`, `"total"`, `"documented"`, `"undocumented"`, `"interval"`, `"kind"`, `"r_hat"`} {
		if !strings.Contains(string(raw), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	var back map[string]any
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
}

// UK-5: the BIC-best log-linear model (25,311) and SparseMSE's stepwise
// model (11,313) differ by more than a factor 1.5: the report says so.
func TestEstimateWarnsWhenMethodsDisagree(t *testing.T) {
	tb := loadTable(t, "uk_modern_slavery_2013_5lists.csv")
	rep, err := Estimate(context.Background(), tb, Options{Methods: []string{MethodLogLinear, MethodStepwise}})
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(rep.Warnings, " ")
	if !strings.Contains(w, "methods disagree") || !strings.Contains(w, "sparse") {
		t.Errorf("warnings: %q", rep.Warnings)
	}
}

func TestEstimateNotEstimable(t *testing.T) {
	one, _ := NewTable("one", []string{"A", "B", "C"}, []uint64{1}, []int{12})
	rep, err := Estimate(context.Background(), one, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Estimability.Estimable || rep.Estimability.Reason == "" || len(rep.Results) != 0 {
		t.Errorf("one list: %+v", rep)
	}
	if strings.Join(rep.DroppedLists, ",") != "B,C" {
		t.Errorf("dropped %v", rep.DroppedLists)
	}
	// Two usable lists: only the two-list estimators, with the reason.
	two, _ := NewTable("two", []string{"A", "B", "C"}, []uint64{1, 2, 3}, []int{1507, 1125, 403})
	rep, err = Estimate(context.Background(), two, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Estimability.Estimable || !rep.Estimability.TwoLists || len(rep.Results) != 2 || rep.Results[0].Method != MethodTwoList {
		t.Fatalf("two lists: %+v", rep)
	}
	if math.Abs(rep.Results[1].Total-7231.473) > 0.001 {
		t.Errorf("Chapman %.3f", rep.Results[1].Total)
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Error(err)
	}
	// No overlap: Lincoln–Petersen is infinite; JSON still marshals (null).
	none, _ := NewTable("none", []string{"A", "B"}, []uint64{1, 2}, []int{10, 12})
	rep, _ = Estimate(context.Background(), none, Options{})
	raw, err := json.Marshal(rep)
	if err != nil || !strings.Contains(string(raw), `"total":null`) {
		t.Errorf("no-overlap JSON: %v %s", err, raw)
	}
}

// The artificial SparseMSE table: whichever model the search picks, the
// report must carry the existence/identifiability verdicts, and the
// pair-term models are flagged.
func TestEstimateArtificialFlagged(t *testing.T) {
	tb := loadTable(t, "sparsemse_artificial_3lists.csv")
	rep, err := Estimate(context.Background(), tb, Options{Methods: []string{MethodLogLinear}})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Results[0].Details.(*SearchResult)
	flagged := 0
	for _, f := range s.All {
		m, _ := ParseModel(3, f.Model)
		ck, _ := CheckModel(tb, m)
		if !ck.OK() {
			flagged++
		}
	}
	if flagged != 4 {
		t.Errorf("%d of 8 models flagged, want 4 (AB, AB+AC, AB+BC, all pairs)", flagged)
	}
	if !strings.Contains(strings.Join(rep.Warnings, " "), "no one in common") {
		t.Errorf("no warning about non-overlapping lists: %q", rep.Warnings)
	}
	if best := s.Best; best.Check == nil {
		t.Error("best model carries no check")
	} else if !best.Check.OK() && len(rep.Results[0].Warnings) == 0 {
		t.Error("best model fails the check but the result has no warning")
	}
}

func TestEstimateUnknownMethod(t *testing.T) {
	tb, _ := NewTable("x", []string{"A", "B", "C"}, []uint64{1, 2, 4, 3}, []int{5, 4, 3, 2})
	if _, err := Estimate(context.Background(), tb, Options{Methods: []string{"magic"}}); err == nil {
		t.Error("unknown method accepted")
	}
}
