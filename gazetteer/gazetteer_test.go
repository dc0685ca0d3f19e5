package gazetteer

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/sqlite"
)

func ptr(f float64) *float64 { return &f }

func fictional() []*vigil.Place {
	country := vigil.AdminUnit{Level: 0, PCode: "XX", Name: "Testland"}
	gov := vigil.AdminUnit{Level: 1, PCode: "XX01", Name: "Northvale"}
	return []*vigil.Place{
		{ID: "XX01", PCode: "XX01", Name: "Northvale", NameAR: "الوادي الشمالي", Precision: vigil.PlaceGovernorate,
			Admin: []vigil.AdminUnit{country, gov}, Lat: ptr(10.5), Lon: ptr(20.5)},
		{ID: "x:northvale-town", Name: "Northvale", Variants: []string{"Northvale city"}, Precision: vigil.PlaceTown,
			Admin: []vigil.AdminUnit{country, gov, {Level: 4, Name: "Northvale"}}, Lat: ptr(10.51), Lon: ptr(20.51)},
		{ID: "x:northvale/northvale-quarter", Name: "Northvale Quarter", Variants: []string{"al-Northvale", "Northvale"},
			Precision: vigil.PlaceNeighbourhood, Admin: []vigil.AdminUnit{country, gov, {Level: 4, Name: "Northvale"}, {Level: 5, Name: "Northvale Quarter"}}},
	}
}

func TestAddLookupOrder(t *testing.T) {
	g := New()
	ps := fictional()
	g.Add(ps[0], ps[1], ps[2]) // coarsest first: the order must not depend on it
	got := g.Lookup(Key("Northvale"))
	if len(got) != 3 {
		t.Fatalf("Lookup: %d places", len(got))
	}
	want := []vigil.PlacePrecision{vigil.PlaceNeighbourhood, vigil.PlaceTown, vigil.PlaceGovernorate}
	for i, p := range got {
		if p.Precision != want[i] {
			t.Errorf("Lookup[%d] = %s (%v), want %v", i, p.ID, p.Precision, want[i])
		}
	}
	if got := g.Lookup(Key("الوادي الشمالي")); len(got) != 1 || got[0].ID != "XX01" {
		t.Errorf("Arabic lookup: %v", got)
	}
	if got := g.Lookup(Key("nowhere")); len(got) != 0 {
		t.Errorf("miss: %v", got)
	}
	if g.ByPCode("XX01") != ps[0] || g.ByID("x:northvale-town") != ps[1] {
		t.Error("ByPCode/ByID")
	}
	if g.MaxWords() != 2 {
		t.Errorf("MaxWords = %d", g.MaxWords())
	}
	if n := len(g.Places()); n != 3 {
		t.Errorf("Places: %d", n)
	}
}

func TestRankAmongEquals(t *testing.T) {
	g := New()
	a := &vigil.Place{ID: "geonames:1", Name: "Samewell", Precision: vigil.PlaceTown}
	b := &vigil.Place{ID: "XX0102", PCode: "XX0102", Name: "Samewell", Precision: vigil.PlaceTown}
	c := &vigil.Place{ID: "x:samewell", Name: "Samewell", Precision: vigil.PlaceTown}
	g.Add(a, c, b)
	got := g.Lookup("samewell")
	if len(got) != 3 || got[0] != b || got[1] != a || got[2] != c {
		t.Errorf("order: %s %s %s", got[0].ID, got[1].ID, got[2].ID)
	}
}

func TestMergeByID(t *testing.T) {
	g := New()
	g.Add(&vigil.Place{ID: "XX01", PCode: "XX01", Name: "Northvale", Precision: vigil.PlaceGovernorate})
	g.Add(&vigil.Place{ID: "XX01", PCode: "XX01", Name: "North Vale", NameAR: "الوادي الشمالي", Variants: []string{"Northvale"},
		Precision: vigil.PlaceGovernorate, Lat: ptr(10), Lon: ptr(20)})
	if g.Len() != 1 {
		t.Fatalf("Len = %d", g.Len())
	}
	p := g.ByPCode("XX01")
	if p.Name != "Northvale" || p.NameAR != "الوادي الشمالي" || !p.HasPoint() || len(p.Variants) != 1 || p.Variants[0] != "North Vale" {
		t.Errorf("merged: %+v", p)
	}
	for _, k := range []string{"northvale", "north vale", Key("الوادي الشمالي")} {
		if got := g.Lookup(k); len(got) != 1 || got[0] != p {
			t.Errorf("Lookup(%q) = %v", k, got)
		}
	}
}

func TestAddWithoutID(t *testing.T) {
	g := New()
	in := &vigil.Place{Name: "Al-Qasr Quarter", Precision: vigil.PlaceNeighbourhood,
		Admin: []vigil.AdminUnit{{Level: 0, Name: "Testland"}, {Level: 1, PCode: "XX01"}}}
	g.Add(&vigil.Place{ID: "XX01", PCode: "XX01", Name: "Northvale", Precision: vigil.PlaceGovernorate})
	g.Add(in)
	if in.ID != "" {
		t.Error("Add modified its argument")
	}
	got := g.Lookup(Key("qasr quarter"))
	if len(got) != 1 || got[0].ID != "x:northvale/qasr-quarter" {
		t.Fatalf("got %+v", got)
	}
	if got[0].Admin[1].Name != "Northvale" {
		t.Errorf("admin name not filled from the p-code: %+v", got[0].Admin)
	}
}

func TestBuiltinReadOnly(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Add on Builtin() did not panic")
		}
	}()
	if err := Builtin().LoadFrom(context.Background(), nil); err == nil {
		t.Error("LoadFrom into Builtin() succeeded")
	}
	c := Builtin().Clone()
	c.Add(fictional()...)
	if Builtin().ByPCode("XX01") != nil || c.ByPCode("XX01") == nil {
		t.Error("Clone is not independent")
	}
	Builtin().Add(fictional()...)
}

func TestImportOCHACSV(t *testing.T) {
	g := New()
	for _, f := range []string{"admin1.csv", "admin2_hdx.csv"} {
		im, err := ImportFile(filepath.Join("testdata", f), "")
		if err != nil {
			t.Fatal(err)
		}
		if im.Format != FormatOCHACSV || len(im.Places) != 2 {
			t.Fatalf("%s: %+v", f, im)
		}
		g.AddImport(im)
	}
	nv := g.ByPCode("XX01")
	if nv == nil || nv.Precision != vigil.PlaceGovernorate || nv.NameAR != "الوادي الشمالي" || *nv.Lat != 10.5 || *nv.Lon != 20.5 {
		t.Fatalf("XX01: %+v", nv)
	}
	if got := g.Lookup(Key("North Vale")); len(got) != 1 || got[0] != nv {
		t.Errorf("NAM_EN_REF variant: %v", got)
	}
	if len(nv.Admin) != 2 || nv.Admin[0].PCode != "XX" || nv.Admin[0].Name != "Testland" || nv.Admin[1].PCode != "XX01" {
		t.Errorf("admin: %+v", nv.Admin)
	}
	qh := g.Lookup(Key("quarry hill")) // ADM2_REF
	if len(qh) != 1 || qh[0].PCode != "XX0101" || qh[0].Precision != vigil.PlaceDistrict || qh[0].Governorate().PCode != "XX01" || *qh[0].Lat != 10.6 {
		t.Errorf("Quarry Hills: %+v", qh)
	}
}

func TestImportErrors(t *testing.T) {
	cases := []struct {
		file   string
		format string
		want   []string
	}{
		{"bad_pcode.csv", "", []string{"bad_pcode.csv:3", "PCODE", "empty p-code"}},
		{"bad_lat.csv", "", []string{"bad_lat.csv:4", "CENTROID_LAT", "not a number"}},
		{"bad_header.csv", "", []string{"bad_header.csv:1", "header", "not an OCHA"}},
		{"bad_feature.geojson", "", []string{"bad_feature.geojson:9", "features[1].properties.PCODE", "empty p-code"}},
		{"bad_places.tsv", "", []string{"bad_places.tsv:3", "19 tab-separated columns"}},
		{"bad_lat.tsv", "", []string{"bad_lat.tsv:1", "latitude", "out of range"}},
		{"admin1.csv", FormatGeoNames, []string{"admin1.csv:1", "columns"}},
		{"places.tsv", "shapefile", []string{"unknown format"}},
		{"missing.csv", "", []string{"missing.csv", "cannot open"}},
	}
	for _, c := range cases {
		_, err := ImportFile(filepath.Join("testdata", c.file), c.format)
		if err == nil {
			t.Errorf("%s: no error", c.file)
			continue
		}
		if vigil.ErrorKind(err) != vigil.EINVALID {
			t.Errorf("%s: kind %s", c.file, vigil.ErrorKind(err))
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.file, err, w)
			}
		}
	}
}

func TestLocatePolygons(t *testing.T) {
	g := New()
	im, err := ImportFile(filepath.Join("testdata", "areas.geojson"), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Polygons) != 3 {
		t.Fatalf("polygons: %d", len(im.Polygons))
	}
	g.AddImport(im)
	cases := []struct {
		lat, lon float64
		want     string
	}{
		{10.45, 20.45, "N9001"}, // Little Quarry, inside Quarry Hills, inside Northvale
		{10.3, 20.3, "XX0101"},  // Quarry Hills
		{10.65, 20.65, "XX01"},  // in the hole of Quarry Hills
		{10.9, 20.9, "XX01"},    // Northvale only
		{12, 20.5, ""},          // outside
		{10.45, -20.45, ""},     // outside
	}
	for _, c := range cases {
		p := g.Locate(c.lat, c.lon)
		got := ""
		if p != nil {
			got = p.PCode
		}
		if got != c.want {
			t.Errorf("Locate(%v, %v) = %q, want %q", c.lat, c.lon, got, c.want)
		}
	}
	lq := g.ByPCode("N9001")
	if lq.Precision != vigil.PlaceNeighbourhood || !lq.HasPoint() || *lq.Lat < 10.4 || *lq.Lat > 10.5 {
		t.Errorf("Little Quarry: %+v", lq)
	}
	// Parent names come from the gazetteer where the properties lack them.
	var levels []string
	for _, a := range lq.Admin {
		levels = append(levels, fmt.Sprintf("%d:%s:%s", a.Level, a.PCode, a.Name))
	}
	if got := strings.Join(levels, " "); got != "1:XX01:Northvale 2:XX0101:Quarry Hills 4:C9001:Quarrytown 5:N9001:Little Quarry" {
		t.Errorf("admin: %s", got)
	}
}

func TestImportGeoNames(t *testing.T) {
	im, err := ImportFile(filepath.Join("testdata", "places.tsv"), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Places) != 3 || im.Skipped != 1 {
		t.Fatalf("%d places, %d skipped", len(im.Places), im.Skipped)
	}
	p := im.Places[0]
	if p.ID != "geonames:9000001" || p.NameAR != "قرية الطين" || p.Precision != vigil.PlaceTown {
		t.Errorf("%+v", p)
	}
	if got := strings.Join(p.Variants, "|"); got != "Qaryat at Tin|Kariet Tine" {
		t.Errorf("variants %q", got)
	}
	if gov := p.Governorate(); gov == nil || gov.PCode != "SY02" {
		t.Errorf("admin1 09: %+v", p.Admin)
	}
	if im.Places[1].Precision != vigil.PlaceNeighbourhood {
		t.Errorf("PPLX: %v", im.Places[1].Precision)
	}
	if gov := im.Places[2].Governorate(); gov == nil || gov.PCode != "SY05" {
		t.Errorf("admin1 10: %+v", im.Places[2].Admin)
	}
	g := Builtin().Clone()
	g.AddImport(im)
	if got := g.Lookup(Key("Qaryat at-Tin")); len(got) != 1 || got[0].Governorate().Name != "Aleppo" {
		t.Errorf("lookup: %v", got)
	}
}

func TestTwinMerge(t *testing.T) {
	// An OCHA district and a GeoNames town that describe built-in places
	// enrich them instead of adding duplicates.
	g := Builtin().Clone()
	n := g.Len()
	bab := g.Lookup(Key("al-Bab"))
	var town *vigil.Place
	for _, p := range bab {
		if p.Precision == vigil.PlaceTown {
			town = p
		}
	}
	g.Add(&vigil.Place{ID: "SY0299", PCode: "SY0299", Name: "Al Bab", NameAR: "الباب", Precision: vigil.PlaceDistrict,
		Admin: []vigil.AdminUnit{{Level: 0, PCode: "SY"}, {Level: 1, PCode: "SY02"}, {Level: 2, PCode: "SY0299", Name: "Al Bab"}}})
	g.Add(&vigil.Place{ID: "geonames:99", Name: "Al Bāb", Variants: []string{"El Bab"}, Precision: vigil.PlaceTown,
		Lat: ptr(*town.Lat + 0.01), Lon: ptr(*town.Lon), Admin: []vigil.AdminUnit{{Level: 0, PCode: "SY"}, {Level: 1, PCode: "SY02"}, {Level: 4, Name: "Al Bāb"}}})
	// A same-named town far away stays separate.
	g.Add(&vigil.Place{ID: "geonames:100", Name: "Al Bab", Precision: vigil.PlaceTown, Lat: ptr(33.0), Lon: ptr(36.0),
		Admin: []vigil.AdminUnit{{Level: 0, PCode: "SY"}, {Level: 1, PCode: "SY12"}, {Level: 4, Name: "Al Bab"}}})
	if g.Len() != n+1 {
		t.Errorf("Len %d, want %d", g.Len(), n+1)
	}
	d := g.ByPCode("SY0299")
	if d == nil || !strings.HasPrefix(d.ID, "sy:") || d.Admin[len(d.Admin)-1].PCode != "SY0299" {
		t.Errorf("district: %+v", d)
	}
	if got := g.ByID(town.ID); got == nil || *got.Lat == *town.Lat {
		t.Errorf("town not merged or point not taken from the import: %+v", got)
	}
	if got := g.ByID("geonames:100"); got == nil {
		t.Error("far town merged")
	}
}

func TestSaveLoad(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var places []*vigil.Place
	for i := 0; i < vigil.MaxPageSize+234; i++ {
		places = append(places, &vigil.Place{ID: fmt.Sprintf("XX%05d", i), PCode: fmt.Sprintf("XX%05d", i),
			Name: fmt.Sprintf("Hamlet %d", i), Precision: vigil.PlaceTown, Lat: ptr(10), Lon: ptr(20)})
	}
	places = append(places, &vigil.Place{Name: "Idless", Precision: vigil.PlaceTown})
	if err := Save(ctx, db, places); err != nil {
		t.Fatal(err)
	}
	g := New()
	if err := g.LoadFrom(ctx, db); err != nil {
		t.Fatal(err)
	}
	if g.Len() != len(places) {
		t.Fatalf("loaded %d of %d", g.Len(), len(places))
	}
	if p := g.Lookup(Key("Hamlet 1100")); len(p) != 1 || p[0].PCode != "XX01100" || *p[0].Lat != 10 {
		t.Errorf("Hamlet 1100: %v", p)
	}
	if p := g.Lookup("idless"); len(p) != 1 || p[0].ID != "x:idless" {
		t.Errorf("Idless: %v", p)
	}
}

func TestConcurrentReads(t *testing.T) {
	g := Builtin().Clone()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if len(g.Lookup("qaterji")) == 0 {
					t.Error("miss")
					return
				}
				if i == 0 && j%50 == 0 {
					g.Add(&vigil.Place{ID: fmt.Sprintf("x:%d", j), Name: "Qaterji", Precision: vigil.PlaceStreet})
				}
			}
		}(i)
	}
	wg.Wait()
}

var benchKeys = func() []string {
	words := []string{"Qaterji", "al-Qaterji", "Aleppo", "the", "hospital", "Douma", "Maarat al-Numan", "القاطرجي",
		"strike", "killed", "Idlib province", "children", "Khan Shaykhun", "at least", "Deir ez-Zor", "Sukkari"}
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = Key(w)
	}
	return out
}()

func BenchmarkLookup(b *testing.B) {
	g := Builtin()
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		n += len(g.Lookup(benchKeys[i%len(benchKeys)]))
	}
	if n == 0 {
		b.Fatal("no hits")
	}
}

func BenchmarkKey(b *testing.B) {
	words := []string{"qaterji", "Qaterji", "al-Qaterji", "Maarat al-Numan", "القاطرجي", "the", "Deir ez-Zor"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Key(words[i%len(words)])
	}
}

func TestLoadWithPolygons(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	im, err := ImportFile(filepath.Join("testdata", "areas.geojson"), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(ctx, db, im.Places); err != nil {
		t.Fatal(err)
	}
	if err := SavePolygons(filepath.Join(dir, PolygonDir, "areas.geojson"), im); err != nil {
		t.Fatal(err)
	}
	g, err := Load(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	if g.Polygons() != 3 || g.Len() != Builtin().Len()+3 {
		t.Fatalf("%d polygons, %d places", g.Polygons(), g.Len())
	}
	p := g.Locate(10.45, 20.45)
	if p == nil || p.PCode != "N9001" || len(p.Admin) != 4 {
		t.Errorf("Locate after Load: %+v", p)
	}
	if got := g.Lookup(Key("qaterji")); len(got) == 0 {
		t.Error("built-in entries missing after Load")
	}
}

func TestImportSyrianArchive(t *testing.T) {
	path := filepath.Join("testdata", "syrianarchive.csv")
	if f, err := DetectFormat(path); err != nil || f != FormatSyrianArchive {
		t.Fatalf("DetectFormat = %q, %v; want %s (by its header)", f, err, FormatSyrianArchive)
	}
	if f, _ := DetectFormat(filepath.Join("testdata", "admin1.csv")); f != FormatOCHACSV {
		t.Errorf("an OCHA table detected as %q", f)
	}
	im, err := ImportFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if im.Format != FormatSyrianArchive || len(im.Places) != 3 {
		t.Fatalf("import: %s, %d places", im.Format, len(im.Places))
	}
	p := im.Places[1]
	if p.ID != "syrianarchive:11" || p.Name != "Olive Hill" || p.NameAR != "تل الزيتون" || p.Precision != vigil.PlaceTown || !p.HasPoint() {
		t.Errorf("row: %+v (the sub-district word dropped, a town with its point)", p)
	}
	if g := p.Governorate(); g == nil || g.PCode != "SY14" {
		t.Errorf("governorate from the region label: %+v", p.Admin)
	}
	if _, err := ImportFile(filepath.Join("testdata", "bad_syrianarchive.csv"), ""); err == nil ||
		!strings.Contains(err.Error(), "bad_syrianarchive.csv:3") || !strings.Contains(err.Error(), "latitude") {
		t.Errorf("bad latitude: %v", err)
	}
	if _, err := ImportFile(filepath.Join("testdata", "admin1.csv"), FormatSyrianArchive); err == nil {
		t.Error("an OCHA table read as Syrian Archive's")
	}
}

func TestLocateAdminAndEnrich(t *testing.T) {
	g := New()
	areas, err := ImportFile(filepath.Join("testdata", "areas.geojson"), "")
	if err != nil {
		t.Fatal(err)
	}
	g.AddImport(areas)
	g.Add(&vigil.Place{ID: "geonames:7", Name: "Olive Hill", NameAR: "تل الزيتون", Precision: vigil.PlaceTown, Lat: ptr(10.3), Lon: ptr(20.3),
		Admin: []vigil.AdminUnit{{Level: 0, PCode: "XX"}, {Level: 1, PCode: "XX01"}, {Level: 4, Name: "Olive Hill"}}})
	im, err := ImportFile(filepath.Join("testdata", "syrianarchive.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	// The boundaries place the rows, whatever their region label says.
	if n := g.LocateAdmin(im.Places); n != 2 {
		t.Errorf("LocateAdmin placed %d rows, want 2 (one lies outside every polygon)", n)
	}
	olive := im.Places[1]
	if gov := olive.Governorate(); gov == nil || gov.PCode != "XX01" || olive.Admin[len(olive.Admin)-1].Name != "Olive Hill" {
		t.Errorf("located hierarchy: %+v", olive.Admin)
	}
	n := g.Len()
	if got := g.Enrich(im.Places...); got != 1 {
		t.Errorf("Enrich merged %d, want 1", got)
	}
	if g.Len() != n {
		t.Errorf("Enrich added places: %d, want %d", g.Len(), n)
	}
	town := g.ByID("geonames:7")
	if town == nil || *town.Lat != 10.31 {
		t.Errorf("the known town did not take the row's point: %+v", town)
	}
	if len(g.Lookup(Key("بئر الحجر"))) != 0 || len(g.Lookup(Key("بلدة المقلع"))) != 0 {
		t.Error("a row that describes no known place was added")
	}
}

// TestGovernorateOf: the governorate of a place written as text, from its
// most specific known part, in English or Arabic; "" for unknown text.
func TestGovernorateOf(t *testing.T) {
	g := Builtin()
	aleppo := g.GovernorateOf("Aleppo")
	if aleppo == "" {
		t.Fatal("Aleppo has no governorate")
	}
	douma := g.GovernorateOf("Douma")
	if douma == "" || douma == g.GovernorateOf("Damascus") {
		t.Errorf("Douma: %q (Damascus: %q): want Rural Damascus, not Damascus", douma, g.GovernorateOf("Damascus"))
	}
	for _, tc := range []struct{ in, want string }{
		{"Qaterji, Aleppo", aleppo},
		{"القاطرجي", aleppo},
		{"دوما، ريف دمشق", douma},
		{"Nowhereville, Nowhereshire", ""},
	} {
		if got := g.GovernorateOf(tc.in); got != tc.want {
			t.Errorf("GovernorateOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
