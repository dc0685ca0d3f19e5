package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

var testExtractor = New(gazetteer.Builtin())

func fixture(t *testing.T, name, published string) *vigil.Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	doc := &vigil.Document{ID: 7, Text: string(b)}
	if published != "" {
		p, err := vigil.ParseFuzzyDate(published)
		if err != nil {
			t.Fatal(err)
		}
		doc.Published = &p
	}
	return doc
}

func extractDoc(t *testing.T, doc *vigil.Document) []*vigil.Claim {
	t.Helper()
	cs, err := testExtractor.Extract(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		checkSpans(t, doc, c)
	}
	return cs
}

// checkSpans verifies that every span of a claim quotes the text it points at.
func checkSpans(t *testing.T, doc *vigil.Document, c *vigil.Claim) {
	t.Helper()
	var all []vigil.Span
	all = append(all, c.EventType.Spans...)
	all = append(all, c.Date.Spans...)
	if c.Place != nil {
		all = append(all, c.Place.Spans...)
	}
	all = append(all, c.Attribution.Spans...)
	for _, p := range c.Attribution.Candidates {
		all = append(all, p.Spans...)
	}
	for _, f := range c.Figures {
		all = append(all, f.Spans...)
	}
	for _, f := range c.ContextFigures {
		all = append(all, f.Spans...)
	}
	for _, f := range c.Facilities {
		all = append(all, f.Spans...)
	}
	for _, v := range c.Victims {
		all = append(all, v.Spans...)
	}
	for _, s := range c.Sources {
		all = append(all, s.Spans...)
	}
	for _, s := range all {
		if s.Start < 0 || s.End > len(doc.Text) || s.Start >= s.End || doc.Text[s.Start:s.End] != s.Text {
			t.Errorf("bad span %+v", s)
		}
	}
}

func fig(t *testing.T, c *vigil.Claim, kind vigil.FigureKind, cat vigil.Category) vigil.Figure {
	t.Helper()
	f, ok := c.Figure(kind, cat)
	if !ok {
		t.Errorf("claim %d: no %s %s figure (have %+v)", c.Index, kind, cat, c.Figures)
	}
	return f
}

func TestSeveralStrikes(t *testing.T) {
	doc := fixture(t, "two-strikes.txt", "2019-05-08") // a Wednesday
	cs := extractDoc(t, doc)
	if len(cs) != 2 {
		t.Fatalf("got %d claims, want 2 (the later mention of the first strike is not a third)", len(cs))
	}
	a, b := cs[0], cs[1]
	if a.EventType.Value != vigil.EventAirStrike || b.EventType.Value != vigil.EventAirStrike {
		t.Errorf("event types %s, %s", a.EventType.Value, b.EventType.Value)
	}
	if a.Place == nil || a.Place.Value.Name != "Maarat al-Numan" || b.Place == nil || b.Place.Value.Name != "Khan Shaykhun" {
		t.Fatalf("places %+v / %+v", a.Place, b.Place)
	}
	if a.Date.Value.String() != "2019-05-07" || a.Date.Value.PartOfDay != "morning" {
		t.Errorf("date %s %s, want Tuesday morning 2019-05-07", a.Date.Value, a.Date.Value.PartOfDay)
	}
	if f := fig(t, a, vigil.Killed, vigil.CatCivilians); f.Min != 12 || f.Max != nil || f.Qualifier != vigil.QualAtLeast {
		t.Errorf("civilians killed %+v, want at least 12", f)
	}
	if f := fig(t, a, vigil.Killed, vigil.CatChildren); f.Min != 3 {
		t.Errorf("children killed %+v", f)
	}
	if f := fig(t, a, vigil.Injured, vigil.CatTotal); f.Min != 30 {
		t.Errorf("injured %+v", f)
	}
	if len(a.Facilities) != 1 || a.Facilities[0].Type != vigil.FacilityMarket || a.Facilities[0].Role != "hit" {
		t.Errorf("facilities %+v", a.Facilities)
	}
	if len(a.Sources) == 0 || a.Sources[0].Name != "Syrian Observatory for Human Rights" || a.Sources[0].Type != vigil.SourceNGO {
		t.Errorf("sources %+v", a.Sources)
	}
	if len(a.Attribution.Candidates) != 0 {
		t.Errorf("first strike names no perpetrator, got %+v", a.Attribution.Candidates)
	}
	if f := fig(t, b, vigil.Killed, vigil.CatTotal); f.Min != 7 {
		t.Errorf("second strike killed %+v", f)
	}
	if f := fig(t, b, vigil.Killed, vigil.CatWomen); f.Min != 2 {
		t.Errorf("second strike women %+v", f)
	}
	if len(b.Attribution.Candidates) != 1 || b.Attribution.Candidates[0].Actor != "syrian_government" || b.Attribution.Candidates[0].Status != vigil.Alleged {
		t.Errorf("second strike attribution %+v", b.Attribution.Candidates)
	}
	// The war-long toll is background, in no claim's figures.
	found := false
	for _, c := range cs {
		for _, f := range c.Figures {
			if f.Min == 370000 {
				t.Error("background toll counted as an incident figure")
			}
		}
		for _, cf := range c.ContextFigures {
			if cf.Min == 370000 && cf.Reason == "background" {
				found = true
			}
		}
	}
	if !found {
		t.Error("background toll not recorded as a context figure")
	}
}

func TestAttributionHedges(t *testing.T) {
	doc := fixture(t, "attribution.txt", "2018-03-05")
	cs := extractDoc(t, doc)
	if len(cs) != 2 {
		t.Fatalf("got %d claims, want 2", len(cs))
	}
	a := cs[0]
	if a.EventType.Value != vigil.EventIED {
		t.Errorf("event type %s, want remote_explosive", a.EventType.Value)
	}
	if a.Date.Value.String() != "2018-03-03" {
		t.Errorf("date %s", a.Date.Value)
	}
	var isis, sdf *vigil.PerpetratorCandidate
	for i := range a.Attribution.Candidates {
		switch a.Attribution.Candidates[i].Actor {
		case "isis":
			isis = &a.Attribution.Candidates[i]
		case "sdf":
			sdf = &a.Attribution.Candidates[i]
		}
	}
	if isis == nil || isis.Status != vigil.Alleged || isis.Hedge != "claimed responsibility" {
		t.Errorf("IS candidate %+v, want alleged, claimed responsibility", isis)
	}
	if sdf == nil || sdf.Status != vigil.Denied {
		t.Errorf("Kurdish forces candidate %+v, want denied", sdf)
	}
	if f := fig(t, a, vigil.Killed, vigil.CatTotal); f.Min != 23 {
		t.Errorf("killed %+v", f)
	}
	if f := fig(t, a, vigil.Injured, vigil.CatTotal); f.Min != 24 || f.Max != nil {
		t.Errorf("dozens injured %+v, want 24+", f)
	}
	if len(a.Sources) != 1 || !a.Sources[0].Anonymous || a.Sources[0].Type != vigil.SourceOfficial || a.Sources[0].Sensitivity != vigil.Restricted {
		t.Errorf("sources %+v, want one anonymous official", a.Sources)
	}
	if len(a.Facilities) != 1 || a.Facilities[0].Type != vigil.FacilityEducation {
		t.Errorf("facilities %+v", a.Facilities)
	}
	b := cs[1]
	if !b.Attribution.Unidentified || len(b.Attribution.Candidates) != 0 {
		t.Errorf("unidentified aircraft: %+v", b.Attribution)
	}
	if b.EventType.Value != vigil.EventAirStrike {
		t.Errorf("second event %s", b.EventType.Value)
	}
	if f := fig(t, b, vigil.Killed, vigil.CatCivilians); f.Min != 23 {
		t.Errorf("twenty-three civilians: %+v", f)
	}
	if len(b.Facilities) != 1 || b.Facilities[0].Type != vigil.FacilityMarket {
		t.Errorf("bakery: %+v", b.Facilities)
	}
}

func TestVictimsAndContext(t *testing.T) {
	doc := fixture(t, "victims.txt", "2021-01-10") // a Sunday
	cs := extractDoc(t, doc)
	if len(cs) != 1 {
		t.Fatalf("got %d claims, want 1", len(cs))
	}
	c := cs[0]
	if c.EventType.Value != vigil.EventShelling {
		t.Errorf("event type %s", c.EventType.Value)
	}
	if c.Date.Value.String() != "2021-01-08" {
		t.Errorf("date %s, want Friday 2021-01-08", c.Date.Value)
	}
	if len(c.Victims) != 1 {
		t.Fatalf("victims %d", len(c.Victims))
	}
	v := c.Victims[0]
	if v.Name != "Zorvan Testadi" || v.Age == nil || *v.Age != 12 || v.Sex != vigil.SexMale || !v.Minor ||
		v.Sensitivity != vigil.Restricted || v.Status != vigil.Killed {
		t.Errorf("victim %+v", v)
	}
	if f := fig(t, c, vigil.Killed, vigil.CatTotal); f.Min != 12 || f.Max == nil || *f.Max != 15 {
		t.Errorf("range 12 to 15: %+v", f)
	}
	if len(c.ContextFigures) != 1 || c.ContextFigures[0].Min != 40 {
		t.Errorf("context figures %+v, want the hospital's 40 a day", c.ContextFigures)
	}
	if len(c.Attribution.Candidates) != 1 || c.Attribution.Candidates[0].Actor != "syrian_government" {
		t.Errorf("attribution %+v", c.Attribution.Candidates)
	}
	if c.Place == nil || c.Place.Value.Name != "Douma" {
		t.Errorf("place %+v", c.Place)
	}
	var civdef bool
	for _, s := range c.Sources {
		if strings.Contains(s.Name, "Civil Defence") {
			civdef = true
		}
	}
	if !civdef {
		t.Errorf("sources %+v lack the Civil Defence", c.Sources)
	}
}

func figsOf(t *testing.T, text string) []vigil.Figure {
	t.Helper()
	pub := vigil.Day(2020, 6, 10)
	doc := &vigil.Document{Text: "FICTIONAL. A shell hit the town. " + text, Published: &pub}
	cs := extractDoc(t, doc)
	if len(cs) == 0 {
		t.Fatalf("%q: no claim", text)
	}
	return cs[0].Figures
}

func TestNumbers(t *testing.T) {
	p := func(n int) *int { return &n }
	for _, tc := range []struct {
		text string
		kind vigil.FigureKind
		cat  vigil.Category
		min  int
		max  *int
		qual vigil.Qualifier
	}{
		{"Five civilians were killed.", vigil.Killed, vigil.CatCivilians, 5, p(5), vigil.QualExact},
		{"It killed twenty-three people.", vigil.Killed, vigil.CatTotal, 23, p(23), vigil.QualExact},
		{"A dozen children were wounded.", vigil.Injured, vigil.CatChildren, 12, p(12), vigil.QualExact},
		{"Dozens of people were injured.", vigil.Injured, vigil.CatTotal, 24, nil, vigil.QualAtLeast},
		{"At least 16 people died.", vigil.Killed, vigil.CatTotal, 16, nil, vigil.QualAtLeast},
		{"More than 40 people were wounded.", vigil.Injured, vigil.CatTotal, 40, nil, vigil.QualMoreThan},
		{"Around 50 people were hurt.", vigil.Injured, vigil.CatTotal, 50, p(50), vigil.QualAbout},
		{"Up to 40 fighters were killed.", vigil.Killed, vigil.CatCombatants, 0, p(40), vigil.QualUpTo},
		{"Between 12 and 15 soldiers died.", vigil.Killed, vigil.CatCombatants, 12, p(15), vigil.QualExact},
		{"It killed 12-15 people.", vigil.Killed, vigil.CatTotal, 12, p(15), vigil.QualExact},
		{"The death toll rose to 1,204.", vigil.Killed, vigil.CatTotal, 1204, p(1204), vigil.QualExact},
		{"One hundred and twenty people were killed.", vigil.Killed, vigil.CatTotal, 120, p(120), vigil.QualExact},
		{"It killed ٣ people.", vigil.Killed, vigil.CatTotal, 3, p(3), vigil.QualExact},
	} {
		fs := figsOf(t, tc.text)
		found := false
		for _, f := range fs {
			if f.Kind == tc.kind && f.Category == tc.cat {
				found = true
				if f.Min != tc.min || !maxEq(f.Max, tc.max) || f.Qualifier != tc.qual {
					t.Errorf("%q: got %d-%v %s, want %d-%v %s", tc.text, f.Min, f.Max, f.Qualifier, tc.min, tc.max, tc.qual)
				}
			}
		}
		if !found {
			t.Errorf("%q: no %s %s figure in %+v", tc.text, tc.kind, tc.cat, fs)
		}
	}
	// Not counts: ages, years, distances.
	for _, text := range []string{"The 60-year-old man fled.", "It is 60 kilometres from the city.", "In 2015 the town fell."} {
		for _, f := range figsOf(t, text) {
			t.Errorf("%q: unexpected figure %+v", text, f)
		}
	}
}

func TestDates(t *testing.T) {
	pub := vigil.Day(2016, 8, 18) // Thursday
	for _, tc := range []struct {
		text, want, part string
		prec             vigil.DatePrecision
	}{
		{"A strike on Wednesday evening killed 3 people.", "2016-08-17", "evening", vigil.PrecisionDay},
		{"A strike yesterday killed 3 people.", "2016-08-17", "", vigil.PrecisionDay},
		{"A strike last night killed 3 people.", "2016-08-17", "night", vigil.PrecisionDay},
		{"A strike on 17 August 2016 killed 3 people.", "2016-08-17", "", vigil.PrecisionDay},
		{"A strike on August 9, 2016 killed 3 people.", "2016-08-09", "", vigil.PrecisionDay},
		{"A strike on 2016-08-02 killed 3 people.", "2016-08-02", "", vigil.PrecisionDay},
		{"A strike on 03/08/2016 killed 3 people.", "2016-08-03", "", vigil.PrecisionDay},
		{"A strike on Aug. 12 killed 3 people.", "2016-08-12", "", vigil.PrecisionDay},
		{"A strike earlier this month killed 3 people.", "2016-08", "", vigil.PrecisionMonth},
		{"A strike on Thursday killed 3 people.", "2016-08-18", "", vigil.PrecisionDay},
	} {
		doc := &vigil.Document{Text: tc.text, Published: &pub}
		cs := extractDoc(t, doc)
		if len(cs) != 1 {
			t.Errorf("%q: %d claims", tc.text, len(cs))
			continue
		}
		d := cs[0].Date.Value
		if d.String() != tc.want || d.PartOfDay != tc.part || d.Precision != tc.prec {
			t.Errorf("%q: date %s %q %s, want %s %q %s", tc.text, d, d.PartOfDay, d.Precision, tc.want, tc.part, tc.prec)
		}
	}
	// Without a publication date relative dates stay unknown.
	cs := extractDoc(t, &vigil.Document{Text: "A strike on Wednesday killed 3 people."})
	if len(cs) != 1 || !cs[0].Date.Value.IsZero() {
		t.Errorf("unresolvable weekday gave %+v", cs)
	}
}

func TestContestedAndSuspected(t *testing.T) {
	pub := vigil.Day(2016, 8, 18)
	cs := extractDoc(t, &vigil.Document{Published: &pub,
		Text: "FICTIONAL. The attack, believed to have been carried out by Russian jets, killed 4 people in Saraqib."})
	if len(cs) != 1 || len(cs[0].Attribution.Candidates) != 1 {
		t.Fatalf("claims %+v", cs)
	}
	pc := cs[0].Attribution.Candidates[0]
	if pc.Actor != "russia" || pc.Hedge != "suspected" || pc.Status != vigil.Alleged {
		t.Errorf("candidate %+v", pc)
	}
	cs = extractDoc(t, &vigil.Document{Published: &pub,
		Text: "FICTIONAL. Nine rebels were killed in clashes with government forces near Hama."})
	if len(cs) != 1 {
		t.Fatalf("claims %d", len(cs))
	}
	for _, pc := range cs[0].Attribution.Candidates {
		if pc.Actor == "opposition" {
			t.Errorf("the dead rebels are not the perpetrator: %+v", cs[0].Attribution.Candidates)
		}
	}
	if f := fig(t, cs[0], vigil.Killed, vigil.CatCombatants); f.Min != 9 {
		t.Errorf("combatants %+v", f)
	}
}

func TestTokenizer(t *testing.T) {
	text := "Al-Qaterji's \u0623\u0637\u0641\u0627\u0644\u064c ١٢ U.S.-led 300,000 twenty-three"
	toks := tokenize(text)
	var norms []string
	for _, tk := range toks {
		norms = append(norms, tk.norm)
		if text[tk.start:tk.end] == "" {
			t.Errorf("empty token span %+v", tk)
		}
	}
	want := []string{"al", "qaterji", "\u0627\u0637\u0641\u0627\u0644", "12", "u.s.", "led", "300000", "twenty", "three"}
	if strings.Join(norms, "|") != strings.Join(want, "|") {
		t.Errorf("norms %q, want %q", norms, want)
	}
	if toks[3].num != 12 || toks[6].num != 300000 {
		t.Errorf("numbers %d %d", toks[3].num, toks[6].num)
	}
	if text[toks[2].start:toks[2].end] != "\u0623\u0637\u0641\u0627\u0644\u064c" {
		t.Errorf("Arabic span does not point at the original text")
	}
	if !toks[1].is(flagJoined) || !toks[1].is(flagPossess) || !toks[8].is(flagJoined) {
		t.Error("flags")
	}
}

func TestEmptyAndCancelled(t *testing.T) {
	cs, err := testExtractor.Extract(context.Background(), &vigil.Document{Text: "Nothing happened here today."})
	if err != nil || len(cs) != 0 {
		t.Errorf("got %v %v", cs, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := testExtractor.Extract(ctx, &vigil.Document{Text: "x"}); err == nil {
		t.Error("cancelled context accepted")
	}
	if _, err := testExtractor.Extract(context.Background(), nil); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Errorf("nil document: %v", err)
	}
	x := New(nil)
	x.now = func() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) }
	pub := vigil.Day(2020, 1, 1)
	cs, _ = x.Extract(context.Background(), &vigil.Document{Text: "A shell killed 2 people in Douma.", Published: &pub})
	if len(cs) != 1 || cs[0].Place != nil || cs[0].Extractor != x.Name() {
		t.Errorf("no gazetteer: %+v", cs)
	}
}

func TestPostDate(t *testing.T) {
	pub := vigil.Day(2025, 11, 23)
	x := New(nil)
	text := "Shelling hit the village, killing two civilians."
	for _, tc := range []struct {
		url  string
		want bool
	}{{"https://www.facebook.com/Example/posts/1", true}, {"https://x.com/example/status/1", true}, {"https://news.example.org/a", false}} {
		cs, err := x.Extract(context.Background(), &vigil.Document{Text: text, URL: tc.url, Published: &pub})
		if err != nil || len(cs) != 1 {
			t.Fatalf("%s: %v %d claims", tc.url, err, len(cs))
		}
		d := cs[0].Date.Value
		if !tc.want {
			if !d.IsZero() {
				t.Errorf("%s: date %v from a news page that states none", tc.url, d)
			}
			continue
		}
		if d.Precision != vigil.PrecisionRange || !d.Earliest.Equal(time.Date(2025, 11, 22, 0, 0, 0, 0, time.UTC)) || d.Latest.Day() != 23 || len(cs[0].Date.Spans) != 0 {
			t.Errorf("%s: date %+v, want 22-23 November 2025 as a range with no span", tc.url, d)
		}
	}
}

func TestObfuscatedArabic(t *testing.T) {
	// Words broken up to slip past a platform's filters read as words.
	for _, tc := range []struct{ in, want string }{
		{"استـ.شـ.هاد", "استشهاد"}, {"مقـ..ـتل", "مقتل"}, {"قـ ـوات", "قوات"}, {"بـ ـقـ ـصـ ـف", "بقصف"},
	} {
		toks := tokenize(tc.in + " مدني")
		if len(toks) != 2 || toks[0].norm != normArabicForTest(tc.want) {
			t.Errorf("tokenize(%q): %d tokens, first %q", tc.in, len(toks), toks[0].norm)
		}
	}
	if toks := tokenize("قـ وات"); len(toks) != 2 {
		t.Errorf("a tatweel before a space and a letter is a word's end: %d tokens", len(toks))
	}
}

func normArabicForTest(s string) string { return tokenize(s)[0].norm }

func TestArabicFigurePhrases(t *testing.T) {
	x := New(gazetteer.Builtin())
	pub := vigil.Day(2023, 5, 1)
	for _, tc := range []struct {
		text   string
		kind   vigil.FigureKind
		cat    vigil.Category
		n      int
		injure int // injured total, -1 when not stated
	}{
		{"قصف تركي يودي بحياة 9 مدنيين من عائلة واحدة", vigil.Killed, vigil.CatCivilians, 9, -1},
		{"أنباء عن شهيد وعدة إصابات في مدينة إدلب إثر قصف من النظام", vigil.Killed, vigil.CatTotal, 1, -1},
		{"مروحيات تستهدف شخصا مجهول الهوية ما أدى لمقتله على الفور", vigil.Killed, vigil.CatTotal, 1, -1},
		{"استشهد 9 مواطنين وأصيب اثنان آخران في قصف على ريف إدلب", vigil.Killed, vigil.CatCivilians, 9, 2},
		{"مقتل ثلاثة أشخاص وجرح خمسة آخرين بقصف على إدلب", vigil.Killed, vigil.CatTotal, 3, 5},
		{"ارتفاع عدد الضحايا إلى 7 جراء القصف على مدينة إدلب", vigil.Killed, vigil.CatTotal, 7, -1},
	} {
		cs, err := x.Extract(context.Background(), &vigil.Document{Text: tc.text, Published: &pub})
		if err != nil || len(cs) != 1 {
			t.Fatalf("%s: %v, %d claims", tc.text, err, len(cs))
		}
		if f, ok := cs[0].Figure(tc.kind, tc.cat); !ok || f.Min != tc.n {
			t.Errorf("%s: %s %s = %+v, want %d", tc.text, tc.kind, tc.cat, f, tc.n)
		}
		if tc.injure >= 0 {
			if f, ok := cs[0].Figure(vigil.Injured, vigil.CatTotal); !ok || f.Min != tc.injure {
				t.Errorf("%s: injured %+v, want %d", tc.text, f, tc.injure)
			}
		}
	}
}

func TestArabicAhadIsNotSunday(t *testing.T) {
	pub := vigil.Day(2024, 11, 14)
	x := New(gazetteer.Builtin())
	for text, dated := range map[string]bool{
		"قتل أحد عناصر الشرطة بقصف على إدلب":         false,
		"قتل عنصر من الشرطة بقصف على إدلب يوم الأحد": true,
	} {
		cs, err := x.Extract(context.Background(), &vigil.Document{Text: text, Published: &pub})
		if err != nil || len(cs) != 1 {
			t.Fatalf("%s: %v %d", text, err, len(cs))
		}
		// An undated Arabic report gets its publication days, with no
		// span (datePosted); a date read from the text has one.
		if got := len(cs[0].Date.Spans) > 0; got != dated {
			t.Errorf("%s: date %v", text, cs[0].Date.Value)
		}
	}
}

func TestArabicTownSouthOfCity(t *testing.T) {
	pub := vigil.Day(2022, 11, 6)
	text := "استشهد مدني جنوبي إدلب بقصف مدفعي استهدف قرية سرمين"
	cs, err := New(gazetteer.Builtin()).Extract(context.Background(), &vigil.Document{Text: text, Published: &pub})
	if err != nil || len(cs) == 0 || cs[0].Place == nil {
		t.Fatalf("%v %v", cs, err)
	}
	if got := cs[0].Place.Value.Name; got != "Sarmin" {
		t.Errorf("place %s, want Sarmin: a city named after a point of the compass is not where the event was", got)
	}
}

func TestSurveyedPoint(t *testing.T) {
	g := gazetteer.Builtin().Clone()
	lat, lon := 36.4826, 37.1971
	g.Add(&vigil.Place{ID: "geonames:167245", Name: "Māri‘", NameAR: "مارع", Precision: vigil.PlaceTown, Lat: &lat, Lon: &lon})
	pub := vigil.Day(2020, 1, 5)
	cs, err := New(g).Extract(context.Background(), &vigil.Document{Text: "قصف مدفعي على مدينة مارع أدى لمقتل مدني", Published: &pub})
	if err != nil || len(cs) != 1 || cs[0].Place == nil {
		t.Fatalf("%v %v", cs, err)
	}
	p := cs[0].Place.Value
	if p.Name != "Mare'" || *p.Lat != lat || *p.Lon != lon {
		t.Errorf("place %s %v,%v: want the built-in town at the imported GeoNames point", p.Name, *p.Lat, *p.Lon)
	}
}

func TestArabicDeadWithoutTrigger(t *testing.T) {
	pub := vigil.Day(2024, 10, 21)
	x := New(gazetteer.Builtin())
	cs, err := x.Extract(context.Background(), &vigil.Document{Text: "شهداء حي المزة بدمشق", URL: "https://www.facebook.com/example/posts/1", Published: &pub})
	if err != nil || len(cs) != 1 || cs[0].EventType.Value != vigil.EventUnknown || cs[0].Place == nil || cs[0].Place.Value.Name != "Mezzeh" {
		t.Fatalf("claims %+v %v", cs, err)
	}
	if cs, _ := x.Extract(context.Background(), &vigil.Document{Text: "منذ بداية العام سقط شهداء في دمشق", Published: &pub}); len(cs) != 0 {
		t.Errorf("background deaths gave %d claims", len(cs))
	}
}
