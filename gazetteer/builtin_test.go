package gazetteer

import (
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

func TestBuiltinQaterji(t *testing.T) {
	g := Builtin()
	spellings := []string{"Qaterji", "Katerji", "Qatirji", "al-Qaterji", "Al Qaterji", "el-Qaterji",
		"Karm al-Qaterji", "Karm al Qaterji", "QATERJI", "القاطرجي", "قاطرجي", "كرم القاطرجي", "القاطرجيّ"}
	var want *vigil.Place
	for _, s := range spellings {
		got := g.Lookup(Key(s))
		if len(got) == 0 {
			t.Errorf("Lookup(Key(%q)=%q): no place", s, Key(s))
			continue
		}
		if want == nil {
			want = got[0]
		}
		if got[0] != want {
			t.Errorf("Lookup(Key(%q))[0] = %s, want %s", s, got[0].ID, want.ID)
		}
	}
	if want == nil {
		t.Fatal("Qaterji not found")
	}
	if want.Precision != vigil.PlaceNeighbourhood {
		t.Errorf("precision %v", want.Precision)
	}
	if gov := want.Governorate(); gov == nil || gov.PCode != "SY02" || gov.Name != "Aleppo" {
		t.Errorf("governorate %+v", gov)
	}
	if n := len(want.Admin); n < 4 || want.Admin[0].Level != 0 || want.Admin[n-2].Name != "Aleppo" || want.Admin[n-2].Level != 4 {
		t.Errorf("admin %+v", want.Admin)
	}
	if !want.HasPoint() {
		t.Error("no point")
	}
}

func TestBuiltinAleppoOrder(t *testing.T) {
	got := Builtin().Lookup(Key("Aleppo"))
	if len(got) < 2 {
		t.Fatalf("Aleppo: %d places", len(got))
	}
	if got[0].Precision != vigil.PlaceTown || got[1].Precision != vigil.PlaceGovernorate || got[1].PCode != "SY02" {
		t.Errorf("Aleppo order: %s (%v), %s (%v)", got[0].ID, got[0].Precision, got[1].ID, got[1].Precision)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Precision.FinerThan(got[i-1].Precision) {
			t.Errorf("not most specific first at %d", i)
		}
	}
	if p := Builtin().Lookup(Key("Aleppo province")); len(p) != 1 || p[0].PCode != "SY02" {
		t.Errorf("Aleppo province: %v", p)
	}
}
