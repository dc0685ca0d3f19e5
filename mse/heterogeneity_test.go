package mse

import (
	"context"
	"math"
	"strings"
	"testing"
)

// expectedTable builds the table of expected counts (rounded) for N people
// in groups: each group holds a share of the people and records them on
// each list independently with its own probabilities.
func expectedTable(t *testing.T, N float64, shares []float64, probs [][]float64) *Table {
	t.Helper()
	J := len(probs[0])
	var pats []uint64
	var counts []int
	for p := uint64(1); p < 1<<uint(J); p++ {
		e := 0.0
		for g, sh := range shares {
			x := sh * N
			for j := 0; j < J; j++ {
				if p&(1<<uint(j)) != 0 {
					x *= probs[g][j]
				} else {
					x *= 1 - probs[g][j]
				}
			}
			e += x
		}
		if c := int(math.Round(e)); c > 0 {
			pats = append(pats, p)
			counts = append(counts, c)
		}
	}
	tab, err := NewTable("synthetic", []string{"A", "B", "C", "D"}[:J], pats, counts)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func hasHeterogeneityWarning(ws []string) bool {
	for _, w := range ws {
		if strings.Contains(w, "equally likely to be recorded") {
			return true
		}
	}
	return false
}

// TestHeterogeneityWarning: a table where everyone is alike gives no
// heterogeneity warning; one where half the people are rarely recorded and
// half often gives it, next to the estimates.
func TestHeterogeneityWarning(t *testing.T) {
	alike := expectedTable(t, 10000, []float64{1}, [][]float64{{0.3, 0.4, 0.5, 0.35}})
	if w := heterogeneityWarning(alike); len(w) != 0 {
		t.Errorf("people alike: unexpected warning %q", w)
	}
	mixed := expectedTable(t, 10000, []float64{0.5, 0.5}, [][]float64{{0.08, 0.1, 0.12, 0.09}, {0.6, 0.7, 0.75, 0.65}})
	w := heterogeneityWarning(mixed)
	if len(w) != 1 || !hasHeterogeneityWarning(w) {
		t.Fatalf("people differ: warnings %q", w)
	}
	rep, err := Estimate(context.Background(), mixed, Options{Methods: []string{MethodTwoList, MethodLogLinear}})
	if err != nil {
		t.Fatal(err)
	}
	if !hasHeterogeneityWarning(rep.Warnings) {
		t.Errorf("Estimate's warnings lack heterogeneity: %q", rep.Warnings)
	}
	rep, err = Estimate(context.Background(), alike, Options{Methods: []string{MethodLogLinear}})
	if err != nil {
		t.Fatal(err)
	}
	if hasHeterogeneityWarning(rep.Warnings) {
		t.Errorf("people alike: Estimate warns of heterogeneity: %q", rep.Warnings)
	}
}
