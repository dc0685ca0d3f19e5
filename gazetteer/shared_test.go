package gazetteer

import (
	"os"
	"path/filepath"
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
