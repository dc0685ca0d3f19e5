package extract

import (
	"context"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// Rules of the second Airwars round (docs/extraction.md), on fictional
// sentences.

func extractAR(t *testing.T, g *gazetteer.Gazetteer, doc *vigil.Document) []*vigil.Claim {
	t.Helper()
	cs, err := New(g).Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestArabicWeekdayNeedsArticle(t *testing.T) {
	pub := vigil.Day(2024, 11, 14) // a Thursday
	for text, want := range map[string]string{
		"أصيب طفلين اثنين بقصف مدفعي على سرمين":       "",           // اثنين "two"
		"أصيب طفلان بقصف مدفعي على سرمين يوم الاثنين": "2024-11-11", // Monday
		"قصف مدفعي على سرمين صباح الاثنين":            "2024-11-11",
	} {
		cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: text, Published: &pub})
		if len(cs) != 1 {
			t.Fatalf("%s: %d claims", text, len(cs))
		}
		got := ""
		if len(cs[0].Date.Spans) > 0 {
			got = cs[0].Date.Value.Earliest.Format("2006-01-02")
		}
		if got != want {
			t.Errorf("%s: date %q, want %q", text, got, want)
		}
	}
}

func TestPostTimestampIsNotTheEventDate(t *testing.T) {
	pub := vigil.Day(2024, 12, 6)
	text := "الصفحة\n\nالصفحةDecember 6, 2024 · Shared with Publicاستشهد مدني بقصف مدفعي على بلدة سرمين"
	cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: text, URL: "https://www.facebook.com/page/posts/1", Published: &pub})
	if len(cs) != 1 {
		t.Fatalf("%d claims", len(cs))
	}
	d := cs[0].Date.Value
	if d.Precision != vigil.PrecisionRange || len(cs[0].Date.Spans) != 0 || !d.Earliest.Equal(time.Date(2024, 12, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date %v %v: want the post's two days (the stamp is when it was posted, not when the strike was)", d, cs[0].Date.Spans)
	}
}

func TestArabicReportDatedByPublication(t *testing.T) {
	pub := vigil.Day(2023, 7, 9)
	cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: "استشهد مدني بقصف مدفعي على بلدة البارة جنوبي إدلب", Published: &pub})
	if len(cs) != 1 || cs[0].Date.Value.Precision != vigil.PrecisionRange || len(cs[0].Date.Spans) != 0 {
		t.Fatalf("Arabic report: %+v", cs)
	}
	if !cs[0].Date.Value.Latest.Before(time.Date(2023, 7, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date %v ends after the publication day", cs[0].Date.Value)
	}
	en := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: "A civilian was killed in shelling on Sarmin.", Published: &pub})
	if len(en) != 1 || !en[0].Date.Value.IsZero() {
		t.Errorf("an undated English article got a date: %+v", en[0].Date)
	}
}

func TestArabicCountAfterColonOrInParentheses(t *testing.T) {
	pub := vigil.Day(2026, 2, 28)
	for text, want := range map[string]int{
		`"سانا": أربعة قتلى وعدد من الجرحى جراء سقوط صاروخ على بناء`: 4,
		"قصف على الباب: (10) شهداء وحوالي 25 جريحاً":                 10,
		"قصف عفرين: 7 ضحايا مدنيين بينهم أطفال":                      7,
	} {
		cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: text, Published: &pub})
		if len(cs) != 1 {
			t.Fatalf("%s: %d claims", text, len(cs))
		}
		f, ok := cs[0].Figure(vigil.Killed, vigil.CatTotal)
		if !ok {
			f, ok = cs[0].Figure(vigil.Killed, vigil.CatCivilians)
		}
		if !ok || f.Min != want {
			t.Errorf("%s: killed %+v, want %d", text, f, want)
		}
	}
	cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: "استهدف القصف منزلاً في القرية الساعة 12:40 بعد منتصف الليل", Published: &pub})
	for _, c := range cs {
		if len(c.Figures) > 0 {
			t.Errorf("a time read as a count: %+v", c.Figures)
		}
	}
}

func TestArabicWordsThatAreNotPlaces(t *testing.T) {
	g := gazetteer.Builtin().Clone()
	lat, lon := 36.0, 37.0
	g.Add(&vigil.Place{ID: "N9999", PCode: "N9999", Name: "Al Shamali", NameAR: "الشمالي", Precision: vigil.PlaceNeighbourhood, Lat: &lat, Lon: &lon,
		Admin: []vigil.AdminUnit{{Level: 0, PCode: "SY"}, {Level: 1, PCode: "SY02"}, {Level: 4, Name: "Aleppo"}, {Level: 5, Name: "Al Shamali"}}})
	pub := vigil.Day(2023, 1, 20)
	for text, unwanted := range map[string]string{
		"قصف مدفعي على الريف الشمالي أدى لمقتل مدني":    "Al Shamali", // a point of the compass
		"أصيبت فاطمة بجروح بقصف مدفعي":                  "Atmeh",      // a name, not فـ + أطمة
		"قصف مدفعي على تل قرب القرية أدى لمقتل مدني":    "At-Tall",    // a hill, not التل
		"سقطت قذيفة على تل براك وأدت إلى إصابة امرأتين": "At-Tall",
	} {
		for _, c := range extractAR(t, g, &vigil.Document{Text: text, Published: &pub}) {
			if c.Place != nil && (c.Place.Value.Name == unwanted || unwanted == "At-Tall" && c.Place.Value.NameAR == "التل") {
				t.Errorf("%s: place %s", text, c.Place.Value.Name)
			}
		}
	}
}

func TestArabicVillageOfTheCentresGovernorate(t *testing.T) {
	pub := vigil.Day(2023, 7, 9)
	// The headline names the governorate by its city, the body the village.
	text := "قوات النظام تقصف إدلب\n\nتعرضت قرية البارة جنوبي محافظة إدلب لقصف مدفعي، وأسفر عن مقتل شخص وإصابة 3 أطفال بجروح."
	cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: text, Published: &pub})
	if len(cs) != 1 {
		t.Fatalf("%d claims, want 1: the body tells the headline's event", len(cs))
	}
	if cs[0].Place == nil || cs[0].Place.Value.Name != "Bara" {
		t.Errorf("place %+v, want Bara", cs[0].Place)
	}
	if f, ok := cs[0].Figure(vigil.Killed, vigil.CatTotal); !ok || f.Min != 1 {
		t.Errorf("killed %+v, want 1", f)
	}
	// A second count in another town of the governorate is another event.
	text = "استشهد مدنيان بقصف على مدينة إدلب. وفي سياق متصل استشهد طفل بقصف على بلدة سرمين."
	if cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: text, Published: &pub}); len(cs) != 2 {
		t.Errorf("%d claims, want 2", len(cs))
	}
}

func TestArabicCountSinceAMonthIsBackground(t *testing.T) {
	pub := vigil.Day(2019, 8, 30)
	text := "استشهد مدني بقصف مدفعي على بلدة سرمين. وقتل عشرات المدنيين في محافظة إدلب منذ حزيران الماضي."
	cs := extractAR(t, gazetteer.Builtin(), &vigil.Document{Text: text, Published: &pub})
	if len(cs) != 1 {
		t.Fatalf("%d claims", len(cs))
	}
	if f, ok := cs[0].Figure(vigil.Killed, vigil.CatCivilians); !ok || f.Min != 1 {
		t.Errorf("killed civilians %+v, want 1", f)
	}
	if len(cs[0].ContextFigures) == 0 || cs[0].ContextFigures[0].Reason != "background" {
		t.Errorf("context figures %+v: want the dozens since June as background", cs[0].ContextFigures)
	}
}
