package extract

import (
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// Rules of the third Airwars round (docs/extraction.md), on fictional
// sentences.

func TestArabicHashtagUnderscores(t *testing.T) {
	text := "مقتل مدنيين اثنين بقصف مدفعي على سوق مدينة #تل_أبيض بريف الرقة"
	cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: text})
	if len(cs) != 1 || cs[0].Place == nil {
		t.Fatalf("claims %d, want one with a place", len(cs))
	}
	if got := cs[0].Place.Value.Name; got != "Tal Abyad" {
		t.Errorf("place %q, want Tal Abyad (the hashtag's words joined by underscores)", got)
	}
	toks := tokenize("#قوات_سوريا_الديمقراطية snake_case")
	var words []string
	underscores := 0
	for _, tk := range toks {
		if tk.kind == tokWord {
			words = append(words, tk.norm)
		} else if tk.norm == "_" {
			underscores++
		}
	}
	if len(words) != 5 || words[2] != "الديمقراطيه" || underscores != 1 {
		t.Errorf("words %q, %d underscore tokens: an underscore between Arabic letters is a space, elsewhere punctuation", words, underscores)
	}
}

func TestArabicNameEndingInCompassBeforePlace(t *testing.T) {
	for text, want := range map[string]string{
		"قصف مدفعي يقتل مدنياً في الباب شرقي حلب":    "al-Bab",     // al-Bab, east of Aleppo
		"قصف مدفعي يقتل مدنياً في حي باب شرقي بدمشق": "Bab Sharqi", // the neighbourhood itself
	} {
		cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: text})
		if len(cs) != 1 || cs[0].Place == nil {
			t.Fatalf("%s: claims %d, want one with a place", text, len(cs))
		}
		if got := cs[0].Place.Value.Name; got != want {
			t.Errorf("%s: place %q, want %q", text, got, want)
		}
	}
}

func TestArabicFeminineCompassIsNoPlace(t *testing.T) {
	g := gazetteer.Builtin().Clone()
	// An imported neighbourhood named like the adjective (OCHA has such).
	lat, lon := 35.14, 36.76
	g.Add(&vigil.Place{ID: "test:shamaliyeh", Name: "Shamaliyeh", NameAR: "الشمالية", Precision: vigil.PlaceNeighbourhood, Lat: &lat, Lon: &lon})
	cs := extractAR(t, g, &vigil.Document{Text: "ألقى الطيران المروحي براميل متفجرة على الأطراف الشمالية الشرقية لمدينة حماة ما أدى لمقتل 5 مدنيين"})
	if len(cs) != 1 || cs[0].Place == nil {
		t.Fatalf("claims %d, want one with a place", len(cs))
	}
	if got := cs[0].Place.Value.Name; got != "Hama" {
		t.Errorf("place %q, want Hama (الشمالية is 'northern')", got)
	}
}

func TestArabicDerikIsMalikiyah(t *testing.T) {
	cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: "استشهد مواطنان في استهداف مسيرة مغسلة سيارات في مدينة ديرك"})
	if len(cs) != 1 || cs[0].Place == nil || cs[0].Place.Value.Name != "Malikiyah" {
		t.Fatalf("want one claim at Malikiyah (ديرك, its Kurdish name)")
	}
}

func TestArabicImportedNeighbourhoodOfAnotherCity(t *testing.T) {
	g := gazetteer.Builtin().Clone()
	// An imported neighbourhood of Daraa city (OCHA's neighbourhood rows
	// carry their city), named like a neighbourhood of Hama the
	// gazetteer does not hold.
	lat, lon := 32.62, 36.10
	daraa := g.Lookup(gazetteer.Key("درعا"))[0]
	admin := append(append([]vigil.AdminUnit{}, daraa.Admin...), vigil.AdminUnit{Level: 5, Name: "Arbaine"})
	g.Add(&vigil.Place{ID: "test:arbaine", Name: "Arbaine", NameAR: "الأربعين", Precision: vigil.PlaceNeighbourhood, Admin: admin, Lat: &lat, Lon: &lon})
	for text, want := range map[string]string{
		"ألقى الطيران المروحي براميل متفجرة على حي الأربعين في مدينة حماة ما أدى لمقتل 5 مدنيين": "Hama",
		"ألقى الطيران المروحي براميل متفجرة على حي الأربعين في مدينة درعا ما أدى لمقتل 5 مدنيين": "Arbaine",
		"ألقى الطيران المروحي براميل متفجرة على حي الأربعين ما أدى لمقتل 5 مدنيين":               "Arbaine",
	} {
		cs := extractAR(t, g, &vigil.Document{Text: text})
		if len(cs) != 1 || cs[0].Place == nil {
			t.Fatalf("%s: claims %d, want one with a place", text, len(cs))
		}
		if got := cs[0].Place.Value.Name; got != want {
			t.Errorf("%s: place %q, want %q", text, got, want)
		}
	}
}
