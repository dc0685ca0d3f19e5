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

func TestBuiltinCoverage(t *testing.T) {
	g := Builtin()
	check := func(prec vigil.PlacePrecision, gov string, names ...string) {
		t.Helper()
		for _, n := range names {
			ok := false
			for _, p := range g.Lookup(Key(n)) {
				if p.Precision == prec && p.Governorate() != nil && p.Governorate().PCode == gov && p.NameAR != "" && p.HasPoint() {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%q: no %v in %s", n, prec, gov)
			}
		}
	}
	town, nb, gov := vigil.PlaceTown, vigil.PlaceNeighbourhood, vigil.PlaceGovernorate
	check(town, "SY03", "Douma", "Harasta", "Darayya", "Daraya", "Zamalka", "Arbin", "Kafr Batna", "Saqba", "Hamouria", "Ein Tarma", "Madaya", "Zabadani", "Moadamiya", "Yalda", "Babbila")
	check(town, "SY07", "Khan Shaykhun", "Khan Sheikhoun", "Maarat al-Numan", "Ma'arrat al-Nu'man", "Maarrat an-Nu'man", "Saraqib", "Ariha", "Jisr al-Shughur", "Jisr ash-Shughur", "Kafr Nabl", "Kafranbel", "Idlib", "Sarmada", "Atmeh")
	check(town, "SY02", "Manbij", "al-Bab", "Al Bab", "Jarablus", "Azaz", "A'zaz", "Tal Rifaat", "Tell Rifaat", "Kobani", "Ayn al-Arab", "Ain al-Arab", "Khan Tuman", "Aleppo", "Afrin", "Atarib")
	check(town, "SY04", "Palmyra", "Tadmur", "Talbiseh", "Rastan", "Ar-Rastan", "Houla", "al-Qusayr", "Homs")
	check(town, "SY09", "al-Mayadin", "Mayadin", "Abu Kamal", "Albu Kamal", "Al-Bukamal", "البوكمال", "Hajin", "Deir ez-Zor")
	check(town, "SY11", "Raqqa", "Tabqa", "Tal Abyad")
	check(nb, "SY02", "Qaterji", "Sakhour", "Shaar", "Bustan al-Qasr", "Salaheddine", "Salah al-Din", "Ansari", "Sukkari",
		"Masaken Hanano", "Tariq al-Bab", "Kallaseh", "Bab al-Nairab", "Ferdous", "Mashhad", "Hamdaniyeh", "Sheikh Maqsoud",
		"Bani Zaid", "Layramoun", "الشيخ مقصود", "بستان القصر", "صلاح الدين", "السكري")
	check(nb, "SY01", "Jobar", "Qaboun", "Barzeh", "Tadamon", "Yarmouk", "Mezzeh", "Midan", "جوبر", "القابون")
	govs := map[string][]string{
		"SY01": {"Damascus", "دمشق"},
		"SY02": {"Aleppo", "حلب", "Aleppo province", "ريف حلب"},
		"SY03": {"Rural Damascus", "Damascus countryside", "Rif Dimashq", "ريف دمشق"},
		"SY04": {"Homs", "Hims", "حمص"},
		"SY05": {"Hama", "Hamah", "حماة", "حماه"},
		"SY06": {"Latakia", "Lattakia", "اللاذقية"},
		"SY07": {"Idlib", "Idleb", "إدلب", "ادلب", "Idlib province"},
		"SY08": {"Hasakah", "Al-Hasakeh", "الحسكة"},
		"SY09": {"Deir ez-Zor", "Deir al-Zour", "Deir Ezzor", "دير الزور"},
		"SY10": {"Tartus", "Tartous", "طرطوس"},
		"SY11": {"Raqqa", "Ar-Raqqah", "الرقة"},
		"SY12": {"Daraa", "Deraa", "Dar'a", "درعا"},
		"SY13": {"As-Suwayda", "Sweida", "السويداء"},
		"SY14": {"Quneitra", "القنيطرة"},
	}
	for pc, names := range govs {
		check(gov, pc, names...)
		if p := g.ByPCode(pc); p == nil || p.Precision != gov {
			t.Errorf("ByPCode(%s) = %+v", pc, p)
		}
	}
	towns := 0
	for _, p := range g.Places() {
		if p.Precision == town {
			towns++
		}
	}
	if towns < 150 {
		t.Errorf("%d towns", towns)
	}
}
