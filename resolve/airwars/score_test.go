package airwars

import "testing"

func TestPairScores(t *testing.T) {
	items := []Item{
		{Index: 0, Codes: []string{"A"}, Incidents: []int64{1}},
		{Index: 1, Codes: []string{"A"}, Incidents: []int64{1}},
		{Index: 2, Codes: []string{"A"}, Incidents: []int64{2}, Linked: []int64{1}},
		{Index: 3, Codes: []string{"A"}},                        // no claim
		{Index: 4, Codes: []string{"B"}, Incidents: []int64{1}}, // merged wrongly
		{Index: 5, Codes: []string{"B"}, Incidents: []int64{3}},
	}
	// Gold pairs: 6 among A, 1 for B. Together in vigil: (0,1), (0,4), (1,4).
	p := Pairwise(items)
	if p.Precision != 0.333 || p.Recall != 0.143 {
		t.Errorf("pairwise = %+v", p)
	}
	// With links: (0,2), (1,2) and (2,4) too.
	pl := PairwiseWithLinks(items)
	if pl.Precision != 0.5 || pl.Recall != 0.429 {
		t.Errorf("pairwise with links = %+v", pl)
	}
	e := CountPairErrors(items)
	want := PairErrors{Merged: 2, Split: 6, SplitNoClaim: 3, SplitLinked: 2, SplitUnlinked: 1, GoldPairs: 7}
	if e != want {
		t.Errorf("pair errors = %+v, want %+v", e, want)
	}
}
