package eval

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/extract"
	"github.com/vigil-rec/vigil/gazetteer"
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

// TestIncidentAdmin3InContext checks that the admin-3 area of an incident
// with no point reads a same-named place in the place its location names
// after it (skips without the shared gazetteer files).
func TestIncidentAdmin3InContext(t *testing.T) {
	shared := os.Getenv("VIGIL_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "..", "shared")
	}
	dir := filepath.Join(shared, "data", "gazetteer")
	if _, err := os.Stat(filepath.Join(dir, "ocha_syria", "syr_admin3.geojson")); err != nil {
		t.Skipf("gazetteer files not available (%v)", err)
	}
	g, err := GazetteerWithImports(dir)
	if err != nil {
		t.Fatal(err)
	}
	city := func(name string) string {
		for _, p := range g.Lookup(gazetteer.Key(name)) {
			if p.Precision == vigil.PlaceTown {
				return placeAdmin3(g, p)
			}
		}
		return ""
	}
	for _, c := range []struct {
		inc  AirwarsIncident
		want string
	}{
		// Neighbourhoods of this name exist in other cities only: the
		// area is the named city's.
		{AirwarsIncident{Location: "حي الثورة في مدينة إدلب", LocationEN: "Thawra neighbourhood, Idlib city"}, city("إدلب")},
		{AirwarsIncident{Location: "حي الأربعين في حماة", LocationEN: "Arbaeen neighbourhood of Hama"}, city("حماة")},
		// "Between A and B": A.
		{AirwarsIncident{Location: "بين أرمناز و كفرتخاريم"}, city("أرمناز")},
	} {
		if c.want == "" {
			t.Fatalf("%s: no area for the expected place", c.inc.Location)
		}
		if got := incidentAdmin3(g, &c.inc); got != c.want {
			t.Errorf("%s: area %q, want %q", c.inc.Location, got, c.want)
		}
	}
}
