package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/extract"
	"github.com/vigil-rec/vigil/gazetteer"
)

// sharedDir finds ../shared: $VIGIL_SHARED, else the first shared/ found
// walking up from the working directory.
func sharedDir() string {
	if s := os.Getenv("VIGIL_SHARED"); s != "" {
		return s
	}
	wd, _ := os.Getwd()
	for dir := wd; ; dir = filepath.Dir(dir) {
		d := filepath.Join(dir, "shared")
		if st, err := os.Stat(filepath.Join(d, "data")); err == nil && st.IsDir() {
			return d
		}
		if filepath.Dir(dir) == dir {
			return filepath.Join(wd, "..", "..", "..", "shared")
		}
	}
}

func fakesPath(t testing.TB) string {
	p := filepath.Join(sharedDir(), "data", "extraction", "fakes", "fakes_dev.csv")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("FA-KES dev set not found at %s (set VIGIL_SHARED): %v", p, err)
	}
	return p
}

func TestMappings(t *testing.T) {
	a := vigil.Attribution{Candidates: []vigil.PerpetratorCandidate{
		{Actor: "russia", Status: vigil.Contested, Spans: []vigil.Span{{}}},
		{Actor: "syrian_government", Status: vigil.Contested, Spans: []vigil.Span{{}}},
	}}
	if got := ActorClass(a); got != ActorGovernment {
		t.Errorf("ActorClass = %q", got)
	}
	if got := ActorClass(vigil.Attribution{}); got != ActorUnknown {
		t.Errorf("empty ActorClass = %q", got)
	}
	den := vigil.Attribution{Candidates: []vigil.PerpetratorCandidate{{Actor: "isis", Status: vigil.Denied}}}
	if got := ActorClass(den); got != ActorUnknown {
		t.Errorf("denied-only ActorClass = %q", got)
	}
	if Cause(vigil.EventAirStrike) != "shelling" || Cause(vigil.EventSuicideBomb) != "explosion" || Cause(vigil.EventChemical) != "chemical and toxic gases" {
		t.Error("cause mapping")
	}
	g := gazetteer.Builtin()
	for name, want := range map[string]string{"Raqqa": "raqqa", "Rural Damascus": "damascus", "Qaterji": "aleppo", "Idlib": "idlib"} {
		ps := g.Lookup(gazetteer.Key(name))
		if len(ps) == 0 {
			t.Errorf("gazetteer has no %s", name)
			continue
		}
		if got := Governorate(ps[0]); got != want {
			t.Errorf("Governorate(%s) = %q, want %q", name, got, want)
		}
	}
	n := 15
	if PointValue(vigil.Figure{Min: 0, Max: &n, Qualifier: vigil.QualUpTo}) != 15 {
		t.Error("PointValue up to")
	}
	if !within10(9, 10) || within10(8, 10) || !within10(0, 0) || within10(1, 0) {
		t.Error("within10")
	}
}

// TestFakesClaim: the label describes the first event that states deaths,
// and an article whose claim is unplaced takes its first placed event's
// governorate.
func TestFakesClaim(t *testing.T) {
	g := gazetteer.Builtin()
	place := func(name string) *vigil.Valued[vigil.Place] {
		return &vigil.Valued[vigil.Place]{Value: *g.Lookup(gazetteer.Key(name))[0]}
	}
	n := 1300
	offensive := &vigil.Claim{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventArmedClash}, Place: place("Raqqa")}
	raid := &vigil.Claim{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike}, Place: place("Deir ez-Zor"),
		Figures: []vigil.Figure{vigil.Exact(vigil.Killed, vigil.CatCombatants, 15)}}
	if got := Predict([]*vigil.Claim{offensive, raid}); got.Location != "deir ezzor" || got.NonCivilians != 15 || got.Cause != "shelling" {
		t.Errorf("Predict = %+v", got)
	}
	if got := Predict([]*vigil.Claim{offensive}); got.Location != "raqqa" || got.Cause != "shooting" {
		t.Errorf("Predict, no deaths = %+v", got)
	}
	gas := &vigil.Claim{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventChemical},
		Figures: []vigil.Figure{{Kind: vigil.Killed, Category: vigil.CatTotal, Max: &n, Qualifier: vigil.QualUpTo}}}
	call := &vigil.Claim{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventChemical}, Place: place("Damascus")}
	if got := Predict([]*vigil.Claim{call, gas}); got.Location != "damascus" || got.Civilians != 1300 {
		t.Errorf("Predict, unplaced = %+v", got)
	}
	if MainClaim([]*vigil.Claim{offensive, raid}) != offensive {
		t.Error("MainClaim is the first claim (Airwars)")
	}
}

func foldLine(r *Report) string {
	var b strings.Builder
	for _, n := range []string{"location", "actor", "cause", "civilians_exact"} {
		fmt.Fprintf(&b, "%s %.3f  ", n, r.Fields[n].Accuracy)
	}
	return strings.TrimSpace(b.String())
}

func TestReadFakes(t *testing.T) {
	csv := "unit_id,article_title,article_content,source,date,location,actor,cause_of_death,nb_children,nb_civilians,nb_noncivilians,nb_women,label\n" +
		"1,T,\"Body text, with a comma.\",x,8/18/16,Aleppo,unknown,shelling,1,2,3,4,1\n"
	arts, err := ReadFakes(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].Gold.Location != "aleppo" || arts[0].Gold.Civilians != 2 || arts[0].Gold.Children != 1 ||
		arts[0].Gold.NonCivilians != 3 || arts[0].Gold.Women != 4 || arts[0].Published.String() != "2016-08-18" {
		t.Errorf("ReadFakes = %+v", arts)
	}
}

// TestFakesDev runs the extractor over the FA-KES dev set and logs the
// report. Set VIGIL_EVAL_DUMP to a file to write per-article rows.
func TestFakesDev(t *testing.T) {
	p := fakesPath(t)
	rep, err := EvalFakes(p, extract.New(gazetteer.Builtin()))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rep)
	t.Logf("FA-KES dev: %s", b)
	if rep.Articles == 0 {
		t.Fatal("no articles")
	}
	for f := 0; f < 3; f++ {
		sub := rep.Subset(func(r Row) bool { return Fold(r.ID) == f })
		t.Logf("fold %d (%d articles): %s", f, sub.Articles, foldLine(sub))
	}
	t.Logf("all (%d articles): %s", rep.Articles, foldLine(rep))
	if out := os.Getenv("VIGIL_EVAL_DUMP"); out != "" {
		rb, _ := json.MarshalIndent(rep.Rows, "", " ")
		os.WriteFile(out, rb, 0o644)
	}
}
