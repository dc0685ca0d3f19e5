package extract

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// sharedDir returns the shared material beside the repository:
// $VIGIL_SHARED, or ../shared from the repository root (../../shared from
// this package's directory).
func sharedDir() string {
	if s := os.Getenv("VIGIL_SHARED"); s != "" {
		return s
	}
	return filepath.Join("..", "..", "shared")
}

// loadSample builds the document of a sample from its .txt and .json sidecar.
func loadSample(t *testing.T, name string) *vigil.Document {
	t.Helper()
	base := filepath.Join(sharedDir(), "samples", name)
	text, err := os.ReadFile(base + ".txt")
	if err != nil {
		t.Skipf("worked example not available (%v): set VIGIL_SHARED to the shared directory", err)
	}
	meta, err := os.ReadFile(base + ".json")
	if err != nil {
		t.Skipf("worked example metadata not available: %v", err)
	}
	var side struct {
		Title, Publisher, Language, Published, Kind, Note string
	}
	if err := json.Unmarshal(meta, &side); err != nil {
		t.Fatalf("sidecar: %v", err)
	}
	pub, err := vigil.ParseFuzzyDate(side.Published)
	if err != nil {
		t.Fatalf("sidecar published: %v", err)
	}
	return &vigil.Document{ID: 1, Text: string(text), Title: side.Title, Publisher: side.Publisher,
		Language: side.Language, Published: &pub, Kind: side.Kind}
}

// spanTexts checks that every span points at its quoted text and returns
// the quoted texts.
func spanTexts(t *testing.T, doc *vigil.Document, what string, spans []vigil.Span) []string {
	t.Helper()
	if len(spans) == 0 {
		t.Errorf("%s: no spans", what)
	}
	var out []string
	for _, s := range spans {
		if s.Start < 0 || s.End > len(doc.Text) || s.Start >= s.End {
			t.Errorf("%s: span [%d,%d) out of range", what, s.Start, s.End)
			continue
		}
		if doc.Text[s.Start:s.End] != s.Text {
			t.Errorf("%s: span [%d,%d) quotes %q but the text there is %q", what, s.Start, s.End, s.Text, doc.Text[s.Start:s.End])
		}
		out = append(out, s.Text)
	}
	return out
}

// wantSpan checks that one of spans quotes text containing want.
func wantSpan(t *testing.T, doc *vigil.Document, what string, spans []vigil.Span, want ...string) {
	t.Helper()
	texts := spanTexts(t, doc, what, spans)
	for _, w := range want {
		found := false
		for _, s := range texts {
			if strings.Contains(s, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no span quotes %q (spans: %q)", what, w, texts)
		}
	}
}

// TestWorkedExample asserts every row of
// shared/samples/aleppo-qaterji-2016-08-17.expected.md. The named child's
// name is never printed: assertions about it compare against the text.
func TestWorkedExample(t *testing.T) {
	doc := loadSample(t, "aleppo-qaterji-2016-08-17")
	if doc.Published.String() != "2016-08-18" {
		t.Fatalf("published = %s, want 2016-08-18 from the sidecar", doc.Published)
	}
	claims, err := New(gazetteer.Builtin()).Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	// One incident.
	if len(claims) != 1 {
		t.Fatalf("got %d claims, want exactly one incident", len(claims))
	}
	c := claims[0]
	if c.DocumentID != 1 || c.Extractor == "" {
		t.Errorf("claim document %d extractor %q", c.DocumentID, c.Extractor)
	}

	// Event type: air strike (explosions / remote violence).
	if c.EventType.Value != vigil.EventAirStrike {
		t.Errorf("event type = %s, want air_strike", c.EventType.Value)
	}
	if a, _ := c.EventType.Value.ACLED(); a.EventType != "Explosions/Remote violence" {
		t.Errorf("ACLED type = %q", a.EventType)
	}
	wantSpan(t, doc, "event type", c.EventType.Spans, "airstrike")

	// Date: 2016-08-17, evening, day precision ("Wednesday evening").
	d := c.Date.Value
	if d.String() != "2016-08-17" || d.Precision != vigil.PrecisionDay || d.PartOfDay != "evening" {
		t.Errorf("date = %s precision %s part %q, want 2016-08-17 evening at day precision", d, d.Precision, d.PartOfDay)
	}
	wantSpan(t, doc, "date", c.Date.Spans, "Wednesday evening")

	// Place: the Qaterji neighbourhood of Aleppo city, Aleppo governorate, Syria.
	if c.Place == nil {
		t.Fatal("no place")
	}
	p := c.Place.Value
	if p.Name != "Qaterji" || p.Precision != vigil.PlaceNeighbourhood {
		t.Errorf("place = %s (%s), want Qaterji at neighbourhood precision", p.Name, p.Precision)
	}
	if g := p.Governorate(); g == nil || g.Name != "Aleppo" {
		t.Errorf("governorate = %+v, want Aleppo", g)
	}
	hasCity, hasCountry := false, false
	for _, u := range p.Admin {
		if u.Name == "Aleppo" && u.Level >= 3 {
			hasCity = true
		}
		if u.Level == 0 && u.Name == "Syria" {
			hasCountry = true
		}
	}
	if !hasCity || !hasCountry {
		t.Errorf("hierarchy %+v lacks Aleppo city or Syria", p.Admin)
	}
	if !p.HasPoint() {
		t.Error("place has no coordinates")
	}
	wantSpan(t, doc, "place", c.Place.Spans, "Qaterji", "Aleppo")

	// Perpetrator: contested between Russian forces and Syrian government forces.
	cands := c.Attribution.Candidates
	if len(cands) != 2 {
		t.Fatalf("perpetrator candidates = %+v, want two", cands)
	}
	got := map[string]vigil.PerpetratorCandidate{}
	for _, pc := range cands {
		got[pc.Actor] = pc
		if pc.Status != vigil.Contested {
			t.Errorf("%s status = %s, want contested", pc.Actor, pc.Status)
		}
	}
	wantSpan(t, doc, "perpetrator russia", got["russia"].Spans, "Russian")
	wantSpan(t, doc, "perpetrator syrian_government", got["syrian_government"].Spans, "Assad regime")
	if c.Attribution.Unidentified {
		t.Error("attribution marked unidentified")
	}

	// Killed: 0 (the article lists the casualties and names no death).
	k, ok := c.Figure(vigil.Killed, vigil.CatTotal)
	if !ok || k.Min != 0 || k.Max == nil || *k.Max != 0 {
		t.Errorf("killed = %+v (found %v), want exactly 0", k, ok)
	} else {
		spanTexts(t, doc, "killed 0", k.Spans)
	}
	// Injured: 8 in total: 5 children, 1 woman, 2 men.
	for _, w := range []struct {
		cat   vigil.Category
		n     int
		spans []string
	}{
		{vigil.CatTotal, 8, []string{"four other children", "one woman", "two young men"}},
		{vigil.CatChildren, 5, []string{"five children injured", "four other children"}},
		{vigil.CatWomen, 1, []string{"one woman"}},
		{vigil.CatMen, 2, []string{"two young men"}},
	} {
		f, ok := c.Figure(vigil.Injured, w.cat)
		if !ok || f.Min != w.n || f.Max == nil || *f.Max != w.n || f.Qualifier != vigil.QualExact {
			t.Errorf("injured %s = %+v (found %v), want exactly %d", w.cat, f, ok, w.n)
			continue
		}
		wantSpan(t, doc, "injured "+string(w.cat), f.Spans, w.spans...)
	}
	for _, f := range c.Figures {
		if f.Kind == vigil.Killed && f.Min != 0 {
			t.Errorf("unexpected killed figure %s %s", f.Category, f.String())
		}
		if err := f.Validate(); err != nil {
			t.Error(err)
		}
	}
	if len(c.Figures) != 5 {
		t.Errorf("got %d figures, want 5 (killed total; injured total, children, women, men)", len(c.Figures))
	}

	// Named victim: a boy of five, injured, a minor, restricted.
	if len(c.Victims) != 1 {
		t.Fatalf("got %d named victims, want 1", len(c.Victims))
	}
	v := c.Victims[0]
	first, _, _ := strings.Cut(v.Name, " ")
	if v.Name == "" || !strings.Contains(doc.Text, v.Name) || !strings.Contains(doc.Text, first+" was injured") {
		t.Error("victim name is not the injured child named in the text")
	}
	if v.Age == nil || *v.Age != 5 || v.Sex != vigil.SexMale || !v.Minor || v.Status != vigil.Injured ||
		v.Sensitivity != vigil.Restricted || v.AgeGroup != "child" {
		t.Errorf("victim: age %v sex %q minor %v status %s sensitivity %s group %q; want 5, male, minor, injured, restricted, child",
			v.Age, v.Sex, v.Minor, v.Status, v.Sensitivity, v.AgeGroup)
	}
	vt := spanTexts(t, doc, "victim", v.Spans)
	sawName, sawAge := false, false
	for _, s := range vt {
		if s == v.Name {
			sawName = true
		}
		if s == "five-year-old" {
			sawAge = true
		}
	}
	if !sawName || !sawAge {
		t.Error("victim spans do not cover the name and the age")
	}

	// Facility: M10 hospital, a health facility that treated the casualties.
	if len(c.Facilities) != 1 {
		t.Fatalf("facilities = %+v, want M10 only", c.Facilities)
	}
	fac := c.Facilities[0]
	if fac.Name != "M10" || fac.Type != vigil.FacilityHealth || fac.Role != "treated_casualties" {
		t.Errorf("facility = %s %s %s, want M10 health treated_casualties", fac.Name, fac.Type, fac.Role)
	}
	wantSpan(t, doc, "facility", fac.Spans, "M10 hospital")

	// Sources: Aleppo Media Center, an anonymous doctor, doctors at M10.
	if len(c.Sources) != 3 {
		names := []string{}
		for _, s := range c.Sources {
			names = append(names, s.Name)
		}
		t.Fatalf("sources = %q, want three", names)
	}
	var media, anon, m10 *vigil.Source
	for i := range c.Sources {
		s := &c.Sources[i]
		switch {
		case s.Anonymous:
			anon = s
		case strings.Contains(s.Name, "Media Cent"):
			media = s
		case strings.Contains(s.Name, "M10"):
			m10 = s
		}
	}
	if media == nil || media.Type != vigil.SourceMedia || media.Anonymous {
		t.Errorf("Aleppo Media Center source = %+v", media)
	} else {
		wantSpan(t, doc, "media source", media.Spans, "Aleppo Media Centre", "Aleppo Media Center")
	}
	if anon == nil || anon.Type != vigil.SourceMedical || anon.Sensitivity != vigil.Restricted || !strings.Contains(anon.Name, "anonymous") {
		t.Errorf("anonymous doctor source = %+v", anon)
	} else {
		wantSpan(t, doc, "anonymous source", anon.Spans, "doctor", "asked not to be identified")
	}
	if m10 == nil || m10.Type != vigil.SourceMedical || m10.Anonymous {
		t.Errorf("doctors at M10 source = %+v", m10)
	} else {
		wantSpan(t, doc, "M10 source", m10.Spans, "Doctors at M10")
	}

	// Context figures only: ~12 children at M10 (daily intake) and the
	// 300,000 national estimate (background).
	if len(c.ContextFigures) != 2 {
		t.Fatalf("context figures = %+v, want two", c.ContextFigures)
	}
	var intake, national *vigil.ContextFigure
	for i := range c.ContextFigures {
		cf := &c.ContextFigures[i]
		switch cf.Reason {
		case "daily_intake":
			intake = cf
		case "background":
			national = cf
		}
	}
	if intake == nil || intake.Min != 12 || intake.Qualifier != vigil.QualAbout || intake.Category != vigil.CatChildren || intake.Kind != vigil.Injured {
		t.Errorf("daily intake = %+v, want about 12 children injured", intake)
	} else {
		wantSpan(t, doc, "daily intake", intake.Spans, "around 12 other children")
	}
	if national == nil || national.Min != 300000 || national.Max != nil || national.Kind != vigil.Killed ||
		(national.Qualifier != vigil.QualMoreThan && national.Qualifier != vigil.QualAtLeast) || !strings.Contains(national.Scope, "Syria") {
		t.Errorf("national estimate = %+v, want more than 300,000 killed, Syria", national)
	} else {
		wantSpan(t, doc, "national estimate", national.Spans, "More than 300,000 Syrians")
	}
	// Neither context figure leaks into the incident's figures.
	for _, f := range c.Figures {
		if f.Min == 12 || f.Min == 300000 || f.Min == 15 {
			t.Errorf("context figure counted as incident figure: %s %s %s", f.Kind, f.Category, f.String())
		}
	}
	// The summary names no victim.
	if strings.Contains(c.Summary, first) {
		t.Error("summary contains the victim's name")
	}
}
