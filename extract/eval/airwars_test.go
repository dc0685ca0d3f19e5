package eval

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-rec/vigil/extract"
)

// TestAirwarsExtract logs the extraction figures on the Airwars source
// texts (Arabic and English, per fold); it skips without the shared data.
func TestAirwarsExtract(t *testing.T) {
	shared := os.Getenv("VIGIL_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "..", "shared")
	}
	dir := filepath.Join(shared, "data", "incidents", "airwars")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("Airwars data not available (%v): set VIGIL_SHARED", err)
	}
	g, err := GazetteerWithImports(filepath.Join(shared, "data", "gazetteer"))
	if err != nil {
		t.Fatal(err)
	}
	rep, rows, err := EvalAirwarsExtract(context.Background(), dir, extract.New(g), g, extract.Language)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rep.Languages)
	t.Logf("Airwars: texts %d, one incident %d, rejected %+v", rep.Texts, rep.OneIncident, rep.Rejected)
	t.Logf("languages: %s", b)
	for f, m := range rep.Folds {
		for _, lang := range []string{"ar", "en"} {
			if s := m[lang]; s != nil {
				t.Logf("fold %d %s (%d texts): date %.3f place %.3f killed %.3f injured %.3f no-claim %d place-unscored %d date-unplaced %d", f, lang, s.Texts,
					s.Date.Share, s.Place.Share, s.Killed.Share, s.Injured.Share, s.NoClaim, s.PlaceUnscored, s.DateUnplaced)
			}
		}
	}
	if len(rows) == 0 {
		t.Fatal("no text scored")
	}
	if os.Getenv("AIRWARS_DUMP") != "" {
		out, _ := json.Marshal(rows)
		os.WriteFile(os.Getenv("AIRWARS_DUMP"), out, 0o644)
	}
}
