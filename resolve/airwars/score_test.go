package airwars

import (
	"strings"
	"testing"
)

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

func TestClassifyScript(t *testing.T) {
	body := func(s string) string { return strings.Repeat(s+" ", 30) }
	texts := []Text{
		{Publisher: "a", Text: body("Two air strikes hit the market in the town this morning")},
		{Publisher: "b", Text: body("قصف جوي على سوق البلدة صباح اليوم وسقوط ضحايا")},
		{Publisher: "c", Text: body("Авиаудар по рынку в городе сегодня утром")},
		{Publisher: "d", Text: body("قصف جوي على سوق المدينة") + "Like Share Comment " + body("Posted by the media centre")},
	}
	want := []struct{ reason, script string }{
		{ReasonNone, ScriptLatin},
		{ReasonNotLatin, ScriptArabic},
		{ReasonNotLatin, ScriptOther},
		{ReasonNotLatin, ScriptArabic},
	}
	for i, c := range Classify(texts) {
		if c.Reason != want[i].reason || c.Script != want[i].script {
			t.Errorf("text %d: reason %q script %q, want %q %q", i, c.Reason, c.Script, want[i].reason, want[i].script)
		}
	}
}

func TestScoreSubsetAndFold(t *testing.T) {
	items := []Item{
		{Index: 0, Codes: []string{"A"}, Incidents: []int64{1}, Script: ScriptLatin},
		{Index: 1, Codes: []string{"A"}, Incidents: []int64{1}, Script: ScriptArabic},
		{Index: 2, Codes: []string{"A"}, Incidents: []int64{1}, Script: ScriptArabic},
		{Index: 3, Codes: []string{"B"}, Script: ScriptArabic},
	}
	s := ScoreSubset(items, func(it Item) bool { return it.Script == ScriptArabic })
	if s.Used != 3 || s.NoClaims != 1 || s.PairErrors.GoldPairs != 1 || s.Pairwise.F1 != 1 {
		t.Errorf("arabic subset = %+v", s)
	}
	// FNV-1a (32 bits) modulo 3, computed independently.
	for code, want := range map[string]int{"XX0001": 2, "XX0002": 0, "XX0003": 1} {
		if f := Fold(code); f != want {
			t.Errorf("Fold(%q) = %d, want %d", code, f, want)
		}
	}
}
