package airwars_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-rec/vigil/extract"
	"github.com/vigil-rec/vigil/extract/eval"
	"github.com/vigil-rec/vigil/resolve"
	"github.com/vigil-rec/vigil/resolve/airwars"
)

// TestEvaluateAirwarsAllScripts runs the evaluation as `vigil eval resolve
// --airwars` does: Arabic and Latin texts, places through the built-in
// gazetteer plus the OCHA and GeoNames imports. It logs the figures; it
// skips without the shared data.
func TestEvaluateAirwarsAllScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	shared := os.Getenv("VIGIL_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "..", "shared")
	}
	dir := filepath.Join(shared, "data", "incidents", "airwars")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("Airwars data not found at %s (set VIGIL_SHARED): %v", dir, err)
	}
	g, err := eval.GazetteerWithImports(filepath.Join(shared, "data", "gazetteer"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := airwars.Evaluate(context.Background(), dir, airwars.Options{Extractor: extract.New(g), Config: resolve.DefaultConfig()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("texts %d used %d rejected %+v claims %d incidents %d", rep.Texts, rep.Used, rep.Rejected, rep.Claims, rep.Incidents)
	t.Logf("all: pairwise %+v bcubed %+v errors %+v", rep.Pairwise, rep.BCubed, rep.PairErrors)
	for _, sc := range []string{airwars.ScriptLatin, airwars.ScriptArabic} {
		s := rep.Scripts[sc]
		t.Logf("%s: %d texts, pairwise %+v bcubed %+v errors %+v", sc, s.Used, s.Pairwise, s.BCubed, s.PairErrors)
	}
	for f, s := range rep.Folds {
		t.Logf("fold %d: %d texts, pairwise %+v errors %+v", f, s.Used, s.Pairwise, s.PairErrors)
	}
	if rep.Texts != rep.Used+rep.Rejected.Boilerplate+rep.Rejected.Duplicate+rep.Rejected.NotLatin {
		t.Errorf("counts do not add up: %+v", rep)
	}
	if got := rep.Scripts[airwars.ScriptLatin].Used + rep.Scripts[airwars.ScriptArabic].Used; got != rep.Used {
		t.Errorf("Latin and Arabic texts %d, used %d", got, rep.Used)
	}
	if rep.Scripts[airwars.ScriptArabic].Used == 0 {
		t.Error("no Arabic text used")
	}
	folds := 0
	for _, s := range rep.Folds {
		folds += s.Used
	}
	if folds != rep.Used {
		t.Errorf("folds hold %d texts, used %d", folds, rep.Used)
	}
}
