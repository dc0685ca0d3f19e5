package mse

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
)

// canonicalGraph sorts the cliques and separators of dga notation.
func canonicalGraph(s string) string {
	var cs, ss []string
	for _, part := range strings.Fields(s) {
		switch {
		case strings.HasPrefix(part, "C="):
			cs = strings.Split(part[2:], ",")
		case strings.HasPrefix(part, "S="):
			ss = strings.Split(part[2:], ",")
		}
	}
	sort.Strings(cs)
	sort.Strings(ss)
	out := "C=" + strings.Join(cs, ",")
	if len(ss) > 0 {
		out += " S=" + strings.Join(ss, ",")
	}
	return out
}

func TestDecomposableGraphsMatchDGA(t *testing.T) {
	for p, want := range map[int]int{1: 1, 2: 2, 3: 8, 4: 61, 5: 822} {
		gs := DecomposableGraphs(p)
		if len(gs) != want {
			t.Errorf("p=%d: %d graphs, want %d", p, len(gs), want)
		}
		if p < 3 {
			continue
		}
		raw, err := os.ReadFile(sharedPath(t, "dga_graphs"+string(rune('0'+p))+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var ref []struct{ C, S [][]int }
		if err := json.Unmarshal(raw, &ref); err != nil {
			t.Fatal(err)
		}
		refSet := map[string]bool{}
		for _, g := range ref {
			var cs, ss []string
			for _, c := range g.C {
				cs = append(cs, digitsOf(c))
			}
			for _, c := range g.S {
				ss = append(ss, digitsOf(c))
			}
			s := "C=" + strings.Join(cs, ",")
			if len(ss) > 0 {
				s += " S=" + strings.Join(ss, ",")
			}
			refSet[canonicalGraph(s)] = true
		}
		if len(refSet) != want {
			t.Errorf("p=%d: reference has %d distinct graphs", p, len(refSet))
		}
		for _, g := range gs {
			if !refSet[g.String()] {
				t.Errorf("p=%d: graph %s not in dga's list", p, g.String())
			}
		}
	}
}

func digitsOf(v []int) string {
	sort.Ints(v)
	var b []byte
	for _, x := range v {
		b = append(b, listDigit(x-1))
	}
	return string(b)
}

// A3: Madigan & York's 3-list example with δ = 1, the negative binomial
// prior a = 13.14, b = 55.17 and n0 = 1..300 (dga's own test): top model
// probability 0.37, its Bayes estimate E[1/N]/E[1/N²] 731 and mode 729;
// model-averaged 731 and 728.
func TestBMAMadiganYork(t *testing.T) {
	tb := loadTable(t, "dga_madigan_york_3lists.csv")
	a, b := 13.14, 55.17
	res, err := BMA(context.Background(), tb, BMAOptions{
		Delta: 1, MinMissing: 1, MaxMissing: 300,
		LogPriorN: func(N float64) float64 {
			l1, _ := math.Lgamma(N + a)
			l2, _ := math.Lgamma(N + 1)
			l3, _ := math.Lgamma(a)
			return N*math.Log(b) - (N+a)*math.Log(1+b) + l1 - l2 - l3
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	top := res.Top[0]
	if math.Round(top.Probability*100)/100 != 0.37 {
		t.Errorf("top model probability %.4f, want 0.37", top.Probability)
	}
	if math.Round(top.BayesEstimate) != 731 || top.Mode != 729 {
		t.Errorf("top model Bayes estimate %.2f mode %.0f, want 731 and 729", top.BayesEstimate, top.Mode)
	}
	if math.Round(res.BayesEstimate) != 731 || res.Mode != 728 {
		t.Errorf("averaged Bayes estimate %.2f mode %.0f, want 731 and 728", res.BayesEstimate, res.Mode)
	}
	t.Logf("top %s p=%.4f bayes %.2f mode %.0f; averaged %.2f / %.0f", top.Graph, top.Probability, top.BayesEstimate, top.Mode, res.BayesEstimate, res.Mode)
}

// dga bma.cr peer runs (peer_outputs/dga_bma_cr.csv): mean, quantiles,
// mode and top model with p(N) ∝ 1/N on the grid 0..Nmissing_max.
func TestBMAMatchesDGA(t *testing.T) {
	for _, r := range peerCSV(t, "dga_bma_cr.csv") {
		tb := loadTable(t, r["dataset"]+".csv")
		if testing.Short() && tb.J() == 5 {
			continue
		}
		res, err := BMA(context.Background(), tb, BMAOptions{Delta: atof(t, r["delta"]), MaxMissing: int(atof(t, r["Nmissing_max"]))})
		if err != nil {
			t.Fatal(err)
		}
		name := r["dataset"] + " δ=" + r["delta"]
		if rel := math.Abs(res.Mean-atof(t, r["mean"])) / res.Mean; rel > 1e-6 {
			t.Errorf("%s: mean %.4f, dga %s", name, res.Mean, r["mean"])
		}
		for _, q := range []struct {
			col string
			got float64
		}{{"q025", res.Interval.Lower}, {"median", res.Median}, {"q975", res.Interval.Upper}, {"mode", res.Mode}} {
			if math.Abs(q.got-atof(t, r[q.col])) > 1 {
				t.Errorf("%s: %s %.0f, dga %s", name, q.col, q.got, r[q.col])
			}
		}
		if res.Top[0].Graph != canonicalGraph(r["top_model"]) || math.Abs(res.Top[0].Probability-atof(t, r["top_model_prob"])) > 1e-4 {
			t.Errorf("%s: top %s (%.4f), dga %s (%s)", name, res.Top[0].Graph, res.Top[0].Probability, r["top_model"], r["top_model_prob"])
		}
	}
}

func BenchmarkBMAUK5(b *testing.B) {
	tb := loadTable(b, "uk_modern_slavery_2013_5lists.csv")
	for i := 0; i < b.N; i++ {
		if _, err := BMA(context.Background(), tb, BMAOptions{MaxMissing: 80000}); err != nil {
			b.Fatal(err)
		}
	}
}
