package linkage

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/vigil-rec/vigil/names"
)

func tinyData(t *testing.T) *Data {
	b, err := NewBuilder([]Field{{Name: "name", Kind: Name, TF: true}, {Name: "age", Kind: Number}})
	if err != nil {
		t.Fatal(err)
	}
	// fictional records: 0,1 one person (two lists), 2,3 another, 4 alone
	rows := [][3]string{{"سامر النجار", "0", "34"}, {"Samer al-Najjar", "1", "34"}, {"Lina Haddad", "0", "8"}, {"لينا حداد", "1", "9"}, {"Karim Example", "1", "50"}}
	for i, r := range rows {
		src := 0
		if r[1] == "1" {
			src = 1
		}
		if err := b.Add(string(rune('a'+i)), src, r[0], r[2]); err != nil {
			t.Fatal(err)
		}
	}
	return b.Data()
}

func TestLevelsAcrossScripts(t *testing.T) {
	d := tinyData(t)
	if l := d.cols[0].level(0, 1); l != 2 {
		t.Errorf("Arabic vs Latin same name: level %d, want 2 (close)", l)
	}
	if l := d.cols[0].level(0, 2); l != 4 {
		t.Errorf("different names: level %d, want 4", l)
	}
	if l := d.cols[1].level(2, 3); l != 2 {
		t.Errorf("age off by one: level %d, want 2", l)
	}
}

func TestClusterConstraintsAndStableIDs(t *testing.T) {
	d := tinyData(t)
	edges := []Edge{{0, 1, 10}, {2, 3, 8}, {1, 2, 5}, {3, 4, 1}}
	l := Cluster(d, edges, 4, ClusterOptions{})
	if !(l[0] == l[1] && l[1] == l[2] && l[2] == l[3] && l[4] != l[0]) {
		t.Fatalf("components = %v", l)
	}
	// one record per list: the 1-2 edge would put two of list 0 together
	l = Cluster(d, edges, 4, ClusterOptions{OneToOne: true})
	if l[0] != l[1] || l[2] != l[3] || l[1] == l[2] {
		t.Fatalf("one-to-one = %v", l)
	}
	// a non-match decision splits; a match decision joins below threshold
	l = Cluster(d, edges, 4, ClusterOptions{Cannot: [][2]int32{{0, 1}}, Must: [][2]int32{{3, 4}}})
	if l[0] == l[1] || l[3] != l[4] {
		t.Fatalf("decisions = %v", l)
	}
	next := Counter("P", []string{"P7", "P2"})
	ids := StableIDs([]int32{0, 0, 2, 2, 4}, []string{"P2", "P2", "P7", "", ""}, next)
	if ids[0] != "P2" || ids[2] != "P7" || ids[3] != "P7" || ids[4] != "P8" {
		t.Errorf("stable ids = %v", ids)
	}
}

func TestTrainPredictExplain(t *testing.T) {
	d := tinyData(t)
	s := Settings{Blocking: []Rule{{"name~"}, {"age"}}, Training: []Rule{{"age"}}, USamples: 1000, Seed: 1}
	p, err := Train(context.Background(), d, s)
	if err != nil {
		t.Fatal(err)
	}
	sc := NewScorer(d, p)
	edges, st, err := Predict(context.Background(), sc, s, -1000)
	if err != nil {
		t.Fatal(err)
	}
	if st.Comparisons == 0 || len(edges) == 0 {
		t.Fatalf("no pairs: %+v", st)
	}
	e := sc.Explain(0, 1)
	var sum float64
	for _, f := range e.Fields {
		sum += f.Weight + f.TF + f.Overlap
	}
	if len(e.Fields) != 2 || sum-e.Weight > 1e-4 || e.Weight-sum > 1e-4 {
		t.Errorf("explanation does not add up: %+v", e)
	}
	if _, err := NewBuilder(nil); err == nil {
		t.Error("no fields accepted")
	}
	if _, _, err := Predict(context.Background(), sc, Settings{Blocking: []Rule{{"nope"}}}, 0); err == nil {
		t.Error("unknown blocking field accepted")
	}
}

// A chain a-b-c-d where only neighbours look alike: connected components
// join all four, average linkage keeps the two real groups apart.
func TestClusterAverageResistsChaining(t *testing.T) {
	b, err := NewBuilder([]Field{{Name: "x", Kind: Exact}, {Name: "y", Kind: Exact}, {Name: "z", Kind: Exact}})
	if err != nil {
		t.Fatal(err)
	}
	// fictional codes: neighbours agree on two fields of three, others on
	// one or none
	for i, r := range [][3]string{{"p", "q", "r"}, {"p", "q", "s"}, {"t", "q", "s"}, {"t", "u", "s"}} {
		if err := b.Add(string(rune('a'+i)), 0, r[0], r[1], r[2]); err != nil {
			t.Fatal(err)
		}
	}
	d := b.Data()
	lv := []float64{1, 0.9, 0.1}
	lu := []float64{1, 0.01, 0.99}
	p := &Params{Lambda: 0.01, M: [][]float64{lv, lv, lv}, U: [][]float64{lu, lu, lu}}
	sc := NewScorer(d, p)
	edges := []Edge{{0, 1, sc.Weight(0, 1)}, {2, 3, sc.Weight(2, 3)}, {1, 2, sc.Weight(1, 2)}}
	minW := sc.WeightFor(0.8)
	if cc := Cluster(d, edges, minW, ClusterOptions{}); cc[0] != cc[3] {
		t.Fatalf("connected components should chain: %v", cc)
	}
	l := sc.ClusterAverage(edges, minW, 0.3, ClusterOptions{})
	if l[0] != l[1] || l[2] != l[3] || l[1] == l[2] {
		t.Errorf("average linkage = %v, want {a,b} {c,d}", l)
	}
	// a match decision still joins
	l = sc.ClusterAverage(edges, minW, 0.3, ClusterOptions{Must: [][2]int32{{1, 2}}})
	if l[0] != l[3] {
		t.Errorf("must-link ignored: %v", l)
	}
}

func TestBCubed(t *testing.T) {
	m := BCubedMetrics([]int32{0, 0, 0, 3}, []string{"a", "a", "b", "b"})
	// precision: 2/3, 2/3, 1/3, 1 → 0.6667; recall: 1, 1, 1/2, 1/2 → 0.75
	if m.Precision != 0.6667 || m.Recall != 0.75 {
		t.Errorf("b-cubed = %+v", m)
	}
}

// The signature bounds never drop a pair that the full comparison would put
// in a better band.
func TestBoundsAreSafe(t *testing.T) {
	b, err := NewBuilder([]Field{{Name: "n", Kind: Name}, {Name: "s", Kind: String}})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	alpha := []rune("abcdehilmnorstuyzابتدرسعلمنهوي")
	word := func() string {
		rs := make([]rune, 2+rng.IntN(12))
		for i := range rs {
			rs[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(rs)
	}
	for i := 0; i < 400; i++ {
		w := word()
		if i%2 == 1 { // near copies of the previous word
			w = string([]rune(w)[:len([]rune(w))-1]) + "a"
		}
		if err := b.Add("r", 0, w, w); err != nil {
			t.Fatal(err)
		}
	}
	d := b.Data()
	nc, sc := d.cols[0], d.cols[1]
	for i := int32(0); i < int32(d.n); i++ {
		for j := int32(0); j < int32(d.n); j++ {
			a, bb := nc.ids[i], nc.ids[j]
			if nc.vScr[a] == nc.vScr[bb] && names.JaroWinkler(nc.runes(a), nc.runes(bb)) >= jwFuzzy && !jwMayReach(nc.vSig, nc.vOff, nc.vRunes, a, bb) {
				t.Fatalf("JW bound dropped %q %q", nc.vocab[a], nc.vocab[bb])
			}
			a, bb = sc.ids[i], sc.ids[j]
			if names.OSA(sc.runes(a), sc.runes(bb), 2) <= 2 && !editMayReach(sc.vSig, sc.vOff, a, bb, 2) {
				t.Fatalf("edit bound dropped %q %q", sc.vocab[a], sc.vocab[bb])
			}
		}
	}
}

// Each value id reads back its own runes (an arena offset was once off by
// one value, so fuzzy comparisons read the next value's letters).
func TestArenaRunes(t *testing.T) {
	b, _ := NewBuilder([]Field{{Name: "s", Kind: String}})
	for _, v := range []string{"alpha", "be", "gamma", "be"} {
		b.Add("r", 0, v)
	}
	d := b.Data()
	c := d.cols[0]
	for i := range d.n {
		if got, want := string(c.runes(c.ids[i])), d.Value(i, 0); got != want {
			t.Errorf("record %d: runes %q, value %q", i, got, want)
		}
	}
}
