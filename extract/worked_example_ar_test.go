package extract

import (
	"context"
	"os"
	"slices"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// TestArabicWorkedExample asserts every field of the claim from a
// fictional post in the register of a local media centre
// (testdata/arabic-media-centre.txt; no real victims).
func TestArabicWorkedExample(t *testing.T) {
	text, err := os.ReadFile("testdata/arabic-media-centre.txt")
	if err != nil {
		t.Fatal(err)
	}
	pub := vigil.Day(2019, 5, 23) // a Thursday
	doc := &vigil.Document{ID: 1, Text: string(text), Published: &pub}
	if Language(doc.Text) != LangArabic {
		t.Fatalf("language %q", Language(doc.Text))
	}
	claims, err := New(gazetteer.Builtin()).Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) != 1 {
		t.Fatalf("%d claims, want 1", len(claims))
	}
	c := claims[0]
	spans := func(what string, sp []vigil.Span) []string { return spanTexts(t, doc, what, sp) }
	if c.EventType.Value != vigil.EventAirStrike || !slices.Contains(spans("event", c.EventType.Spans), "غارات جوية") {
		t.Errorf("event type %v %v", c.EventType.Value, c.EventType.Spans)
	}
	if c.Date.Value.String() != "2019-05-22" || c.Date.Value.PartOfDay != "evening" || !slices.Contains(spans("date", c.Date.Spans), "مساء الأربعاء") {
		t.Errorf("date %v %q %v", c.Date.Value, c.Date.Value.PartOfDay, c.Date.Spans)
	}
	if c.Place == nil || c.Place.Value.Name != "Maarat al-Numan" || c.Place.Value.Governorate().Name != "Idleb" ||
		!slices.Contains(spans("place", c.Place.Spans), "معرة النعمان") {
		t.Fatalf("place %+v", c.Place)
	}
	if len(c.Attribution.Candidates) != 1 || c.Attribution.Candidates[0].Actor != "russia" ||
		c.Attribution.Candidates[0].Status != vigil.Alleged || !slices.Contains(spans("actor", c.Attribution.Candidates[0].Spans), "للطيران الروسي") {
		t.Errorf("attribution %+v", c.Attribution)
	}
	type fig struct {
		kind     vigil.FigureKind
		cat      vigil.Category
		min, max int
		span     string
	}
	want := []fig{
		{vigil.Killed, vigil.CatCivilians, 3, 3, "ثلاثة مدنيين"},
		{vigil.Killed, vigil.CatChildren, 2, 2, "طفلان"},
		{vigil.Killed, vigil.CatWomen, 1, 1, "وامرأة"},
		{vigil.Injured, vigil.CatTotal, 11, 11, "11 آخرون بجروح"},
		{vigil.Injured, vigil.CatChildren, 4, 4, "أربعة أطفال"},
	}
	if len(c.Figures) != len(want) {
		t.Errorf("figures %+v", c.Figures)
	}
	for _, w := range want {
		f, ok := c.Figure(w.kind, w.cat)
		if !ok || f.Min != w.min || f.Max == nil || *f.Max != w.max || !slices.Contains(spans("figure", f.Spans), w.span) {
			t.Errorf("figure %s %s: got %+v, want %d-%d %q", w.kind, w.cat, f, w.min, w.max, w.span)
		}
	}
	if len(c.ContextFigures) != 1 || c.ContextFigures[0].Reason != "background" || c.ContextFigures[0].Min != 120 ||
		c.ContextFigures[0].Qualifier != vigil.QualMoreThan || c.ContextFigures[0].Category != vigil.CatCivilians {
		t.Errorf("context figures %+v", c.ContextFigures)
	}
	if len(c.Facilities) != 2 || c.Facilities[0].Type != vigil.FacilityMarket || c.Facilities[0].Role != "hit" ||
		c.Facilities[1].Type != vigil.FacilityHealth || c.Facilities[1].Role != "treated_casualties" {
		t.Errorf("facilities %+v", c.Facilities)
	}
	srcs := map[string]vigil.Source{}
	for _, s := range c.Sources {
		srcs[s.Name] = s
	}
	if len(c.Sources) != 4 {
		t.Errorf("sources %+v", c.Sources)
	}
	for _, n := range []string{"Syria Civil Defence (White Helmets)", "Syrian Observatory for Human Rights", "مراسلنا"} {
		if s, ok := srcs[n]; !ok || s.Anonymous {
			t.Errorf("source %q: %+v", n, s)
		}
	}
	if s := srcs["anonymous medical source"]; !s.Anonymous || s.Sensitivity != vigil.Restricted || s.Type != vigil.SourceMedical {
		t.Errorf("anonymous source %+v", s)
	}
	if len(c.Victims) != 0 {
		t.Errorf("victims %+v", c.Victims)
	}
}

// TestArabicNormalisation: hamza and alef forms, taa marbuta, alef
// maqsura, tatweel, diacritics and Eastern/Persian digits match the same
// lexicon words, and spans point into the original text.
func TestArabicNormalisation(t *testing.T) {
	text := "قُتِلَ ٣ أطفـــال و۲ نساء بقصفٍ مدفعي على بالقاطرجي، وإصابة طفلين"
	pub := vigil.Day(2016, 8, 18)
	doc := &vigil.Document{Text: text, Published: &pub}
	claims, err := New(gazetteer.Builtin()).Extract(context.Background(), doc)
	if err != nil || len(claims) != 1 {
		t.Fatalf("claims %v %v", claims, err)
	}
	c := claims[0]
	if f, ok := c.Figure(vigil.Killed, vigil.CatChildren); !ok || f.Min != 3 || f.Spans[0].Text != "٣ أطفـــال" {
		t.Errorf("children %+v", f)
	}
	if f, ok := c.Figure(vigil.Killed, vigil.CatWomen); !ok || f.Min != 2 {
		t.Errorf("women %+v", f)
	}
	if f, ok := c.Figure(vigil.Injured, vigil.CatChildren); !ok || f.Min != 2 {
		t.Errorf("injured children (dual) %+v", f)
	}
	if c.Place == nil || c.Place.Value.Name != "Qaterji" || c.Place.Spans[0].Text != "بالقاطرجي" {
		t.Errorf("place %+v", c.Place)
	}
	if c.EventType.Value != vigil.EventShelling {
		t.Errorf("event %v", c.EventType.Value)
	}
	ps := Paragraphs("Aleppo report\nقصف على حلب\n")
	if len(ps) != 2 || ps[0].Lang != LangEnglish || ps[1].Lang != LangArabic {
		t.Errorf("paragraphs %+v", ps)
	}
}
