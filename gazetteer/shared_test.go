package gazetteer

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

// sharedDir returns the shared data directory (env VIGIL_SHARED, default
// ../shared beside the repository root), or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("VIGIL_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	gaz := filepath.Join(dir, "data", "gazetteer")
	if _, err := os.Stat(gaz); err != nil {
		t.Skipf("SKIP: shared gazetteer data not found at %s (set VIGIL_SHARED): %v", gaz, err)
	}
	return gaz
}

func importShared(t testing.TB, g *Gazetteer, names ...string) []*Import {
	t.Helper()
	dir := sharedDir(t)
	var out []*Import
	for _, n := range names {
		im, err := ImportFile(filepath.Join(dir, n), "")
		if err != nil {
			t.Fatalf("import %s: %v", n, err)
		}
		if g != nil {
			g.AddImport(im)
		}
		out = append(out, im)
	}
	return out
}

func TestSharedBuiltinInsideGovernorates(t *testing.T) {
	admin1 := New()
	importShared(t, admin1, "ocha_syria/syr_admin1.geojson")
	if admin1.Polygons() != 14 {
		t.Fatalf("admin1 polygons: %d", admin1.Polygons())
	}
	bad := 0
	for _, p := range Builtin().Places() {
		gov := p.Governorate()
		if gov == nil || !p.HasPoint() {
			continue
		}
		got := admin1.Locate(*p.Lat, *p.Lon)
		if got == nil || got.PCode != gov.PCode {
			bad++
			gp := "nil"
			if got != nil {
				gp = got.PCode + " " + got.Name
			}
			t.Errorf("%s (%s) at %.4f,%.4f: built-in governorate %s, polygon says %s", p.Name, p.ID, *p.Lat, *p.Lon, gov.PCode, gp)
		}
	}
	t.Logf("%d built-in places checked, %d outside their governorate", len(Builtin().Places()), bad)
}

func TestSharedGovernorateNames(t *testing.T) {
	ims := importShared(t, nil, "ocha_syria/syr_admin1.csv", "ocha_syria/syr_admin2.csv")
	for _, im := range ims {
		for _, p := range im.Places {
			b := Builtin().ByPCode(p.PCode)
			if b == nil {
				if p.Precision == vigil.PlaceGovernorate {
					t.Errorf("governorate %s %s not built in", p.PCode, p.Name)
				}
				continue
			}
			found := false
			for _, q := range Builtin().Lookup(Key(p.Name)) {
				if q == b {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: OCHA name %q does not look up built-in %q", p.PCode, p.Name, b.Name)
			}
			found = false
			for _, q := range Builtin().Lookup(Key(p.NameAR)) {
				if q == b {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: OCHA Arabic name %q does not look up built-in %q", p.PCode, p.NameAR, b.NameAR)
			}
		}
	}
}

func TestSharedImportAll(t *testing.T) {
	g := Builtin().Clone()
	before := g.Len()
	ims := importShared(t, g,
		"ocha_syria/syr_admin1.geojson", "ocha_syria/syr_admin2.geojson", "ocha_syria/syr_admin3.geojson",
		"ocha_syria/city_neighbourhoods.geojson",
		"ocha_syria/syr_admin1.csv", "ocha_syria/syr_admin2.csv", "ocha_syria/syr_admin3.csv",
		"ocha_syria/city_neighbourhoods.csv",
		"geonames_syria/geonames_cities500_SY.tsv")
	n := 0
	for _, im := range ims {
		n += len(im.Places)
		t.Logf("%s: %d places, %d polygons, %d skipped", filepath.Base(im.File), len(im.Places), len(im.Polygons), im.Skipped)
	}
	t.Logf("built-in %d places; after importing %d rows: %d places, %d polygons", before, n, g.Len(), g.Polygons())

	// Every governorate and district p-code is known after the import.
	for _, pc := range []string{"SY01", "SY02", "SY14", "SY0200"} {
		if g.ByPCode(pc) == nil {
			t.Errorf("ByPCode(%s) = nil", pc)
		}
	}
	// The built-in Qaterji point lies in an imported neighbourhood polygon
	// of Aleppo; Locate returns the smallest unit.
	q := g.Lookup(Key("Qaterji"))[0]
	loc := g.Locate(*q.Lat, *q.Lon)
	if loc == nil {
		t.Fatal("Locate(Qaterji) = nil")
	}
	t.Logf("Locate(Qaterji %.4f,%.4f) = %s %q %s", *q.Lat, *q.Lon, loc.ID, loc.Name, loc.PCode)
	if loc.Precision != vigil.PlaceNeighbourhood || loc.Governorate() == nil || loc.Governorate().PCode != "SY02" {
		t.Errorf("Locate(Qaterji) = %+v", loc)
	}
	// The OCHA neighbourhood merged into the built-in Qaterji: it has a
	// p-code now, and its (OCHA) point lies in its own polygon.
	if q.PCode == "" || loc != q {
		t.Errorf("Qaterji after import: pcode %q, Locate gives %s", q.PCode, loc.ID)
	}
	// Every imported neighbourhood's own point lies in its own polygon for
	// nearly all neighbourhoods (a few concave shapes aside).
	hits, total := 0, 0
	for _, p := range ims[3].Places {
		total++
		if l := g.Locate(*p.Lat, *p.Lon); l != nil && l.PCode == p.PCode {
			hits++
		}
	}
	if hits < total*9/10 {
		t.Errorf("neighbourhood points in their own polygon: %d of %d", hits, total)
	}
	t.Logf("neighbourhood points in their own polygon: %d of %d", hits, total)
	// A point in the desert east of Palmyra is in Homs governorate and
	// some district and sub-district, not a neighbourhood.
	loc = g.Locate(34.6, 38.6)
	if loc == nil || loc.Governorate() == nil || loc.Governorate().PCode != "SY04" || loc.Precision != vigil.PlaceDistrict {
		t.Errorf("Locate(34.6, 38.6) = %+v", loc)
	}
	if g.Locate(48.85, 2.35) != nil {
		t.Error("Paris is in Syria")
	}
	// GeoNames towns merged into the built-in entries rather than
	// duplicating them.
	for _, name := range []string{"Douma", "Manbij", "Saraqib", "Ariha"} {
		towns := 0
		for _, p := range g.Lookup(Key(name)) {
			if p.Precision == vigil.PlaceTown {
				towns++
			}
		}
		if towns != 1 {
			var ids []string
			for _, p := range g.Lookup(Key(name)) {
				ids = append(ids, p.ID+"/"+p.Precision.String())
			}
			t.Errorf("%s: %d towns: %v", name, towns, ids)
		}
	}
}

// TestSharedSyrianArchiveCoverage reports how many of the Syrian Archive's
// place names (English or Arabic) the built-in gazetteer resolves, and
// how many resolve to a place more than 25 km from the archive's point
// (almost all homonyms: many villages share the name of a reported town or
// neighbourhood; the built-in entry is the most reported one).
func TestSharedSyrianArchiveCoverage(t *testing.T) {
	dir := sharedDir(t)
	f, err := os.Open(filepath.Join(dir, "syrianarchive_locations.csv"))
	if err != nil {
		t.Skipf("SKIP: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	g := Builtin()
	found, far, total := 0, 0, 0
	for _, row := range rows[1:] {
		total++
		var ps []*vigil.Place
		for _, n := range []string{row[1], row[2]} {
			if ps = g.Lookup(Key(n)); len(ps) > 0 {
				break
			}
		}
		if len(ps) == 0 {
			continue
		}
		found++
		lat, err1 := strconv.ParseFloat(row[5], 64)
		lon, err2 := strconv.ParseFloat(row[6], 64)
		if err1 == nil && err2 == nil && ps[0].HasPoint() {
			best := math.Inf(1)
			for _, p := range ps {
				if p.HasPoint() {
					best = math.Min(best, distanceKm(lat, lon, *p.Lat, *p.Lon))
				}
			}
			if best > 25 {
				far++
				t.Logf("far: %q / %q at %.3f,%.3f: nearest candidate %.0f km (%s)", row[1], row[2], lat, lon, best, ps[0].ID)
			}
		}
	}
	t.Logf("Syrian Archive locations resolved by the built-in gazetteer: %d of %d (%d more than 25 km away)", found, total, far)
	if found < total/4 || far > found/6 {
		t.Errorf("coverage %d of %d, %d far", found, total, far)
	}
}

func TestSharedSyrianArchive(t *testing.T) {
	ims := importShared(t, nil, "syrianarchive_locations.csv")
	if ims[0].Format != FormatSyrianArchive || len(ims[0].Places) != 819 {
		t.Fatalf("syrianarchive_locations.csv: %s, %d places, want %s and 819", ims[0].Format, len(ims[0].Places), FormatSyrianArchive)
	}
	// Its villages enrich the places already known: Kansafra (built in)
	// takes Syrian Archive's point, and nothing new is added.
	g := Builtin().Clone()
	importShared(t, g, "ocha_syria/syr_admin3.csv", "ocha_syria/syr_admin3.geojson")
	n := g.Len()
	g.LocateAdmin(ims[0].Places)
	if merged := g.Enrich(ims[0].Places...); merged < 100 {
		t.Errorf("Enrich merged %d rows, want at least 100", merged)
	}
	if g.Len() != n {
		t.Errorf("Enrich added places: %d, want %d", g.Len(), n)
	}
	var k *vigil.Place
	for _, p := range g.Lookup(Key("كنصفرة")) {
		if p.Precision == vigil.PlaceTown {
			k = p
		}
	}
	if k == nil || math.Abs(*k.Lat-35.69) < 0.001 {
		t.Errorf("Kansafra kept its built-in point: %+v", k)
	}
}
