package airwars

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-rec/vigil/extract"
	"github.com/vigil-rec/vigil/gazetteer"
	"github.com/vigil-rec/vigil/resolve"
)

func sharedDir(t *testing.T) string {
	root := os.Getenv("VIGIL_SHARED")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared")
	}
	dir := filepath.Join(root, "data", "incidents", "airwars")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("Airwars data not found at %s (set VIGIL_SHARED): %v", dir, err)
	}
	return dir
}

// TestEvaluateAirwars runs the Latin-only evaluation (Arabic texts counted
// as not_latin) with the built-in gazetteer.
func TestEvaluateAirwars(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	dir := sharedDir(t)
	rep, err := Evaluate(context.Background(), dir, Options{Extractor: extract.New(gazetteer.Builtin()), Config: resolve.DefaultConfig(), LatinOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("texts %d used %d rejected %+v claims %d (texts without claims %d) incidents %d stats %+v", rep.Texts, rep.Used, rep.Rejected, rep.Claims, rep.NoClaims, rep.Incidents, rep.Stats)
	t.Logf("pairwise %+v bcubed %+v killed range %+v in %s", rep.Pairwise, rep.BCubed, rep.KilledRangeOverlap, rep.Elapsed)
	if rep.Used == 0 || rep.Texts != rep.Used+rep.Rejected.Boilerplate+rep.Rejected.Duplicate+rep.Rejected.NotLatin {
		t.Errorf("counts do not add up: %+v", rep)
	}
	if rep.Scripts[ScriptArabic].Used != 0 || rep.Rejected.NotLatin == 0 {
		t.Errorf("Latin only, yet %d Arabic texts used and %d not_latin", rep.Scripts[ScriptArabic].Used, rep.Rejected.NotLatin)
	}
}
