package extract

import (
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

// The tests below cover the fold-1 location rules: a toll forecast places
// its event, a date under the headline is the day of publication,
// title-case headlines, round-up summary counts and origins "from the
// <words> town of X". Every text is fictional, written for the test; the
// places are real ones of the built-in gazetteer.

// ruleClaims extracts the claims of an English text published on Tuesday
// 14 November 2017.
func ruleClaims(t *testing.T, text string) []*vigil.Claim {
	t.Helper()
	pub := vigil.Day(2017, 11, 14)
	return extractDoc(t, &vigil.Document{Text: text, Language: "en", Published: &pub})
}

// placeOf returns the name of a claim's place and of its governorate, ""
// when it has none.
func placeOf(c *vigil.Claim) (name, gov string) {
	if c.Place == nil {
		return "", ""
	}
	if g := c.Place.Value.Governorate(); g != nil {
		gov = g.Name
	}
	return c.Place.Value.Name, gov
}

// wantPlace checks a claim's place and governorate.
func wantPlace(t *testing.T, what string, c *vigil.Claim, name, gov string) {
	t.Helper()
	n, g := placeOf(c)
	if n != name || g != gov {
		t.Errorf("%s: place %q (%q), want %q (%q)", what, n, g, name, gov)
	}
}

// wantDay checks that a claim is dated one day.
func wantDay(t *testing.T, what string, c *vigil.Claim, want vigil.FuzzyDate) {
	t.Helper()
	d := c.Date.Value
	if d.Precision != vigil.PrecisionDay || !d.Earliest.Equal(want.Earliest) {
		t.Errorf("%s: date %s (%s), want %s", what, d.Earliest.Format("2006-01-02"), d.Precision, want.Earliest.Format("2006-01-02"))
	}
}

// wantKilled checks that a claim counts n dead of category cat.
func wantKilled(t *testing.T, what string, c *vigil.Claim, cat vigil.Category, n int) {
	t.Helper()
	if f, ok := c.Figure(vigil.Killed, cat); !ok || f.Min != n {
		t.Errorf("%s: killed %s %+v (%v), want %d", what, cat, f, ok, n)
	}
}

// TestTollForecastPlacesEvent: a sentence whose only forecast is of the
// toll ("the number of those killed in X is likely to rise") names the
// place of the event's dead; a sentence forecasting an event does not.
func TestTollForecastPlacesEvent(t *testing.T) {
	cs := ruleClaims(t, "Three civilians were killed in an air strike on Monday. "+
		"The number of those killed in Qaryatayn is likely to rise, a fictional medic said.")
	if len(cs) != 1 {
		t.Fatalf("toll forecast: %d claims, want 1", len(cs))
	}
	wantPlace(t, "toll forecast", cs[0], "Qaryatayn", "Homs")
	wantKilled(t, "toll forecast", cs[0], vigil.CatCivilians, 3)

	// A forecast of an event ("will attack X") is not where the told
	// event happened.
	cs = ruleClaims(t, "Three civilians were killed in an air strike on Monday. "+
		"Militants will attack Qaryatayn, a fictional medic said.")
	if len(cs) != 1 {
		t.Fatalf("event forecast: %d claims, want 1", len(cs))
	}
	if n, _ := placeOf(cs[0]); n != "" {
		t.Errorf("event forecast: placed at %q, want no place", n)
	}

	// Nor a sentence that forecasts both the toll and an event: every
	// forecast marker must forecast the toll.
	cs = ruleClaims(t, "Three civilians were killed in an air strike on Monday. "+
		"Militants will attack Qaryatayn and the toll is likely to rise, a fictional medic said.")
	if len(cs) != 1 {
		t.Fatalf("mixed forecast: %d claims, want 1", len(cs))
	}
	if n, _ := placeOf(cs[0]); n != "" {
		t.Errorf("mixed forecast: placed at %q, want no place", n)
	}
}

// TestTopDateIsPublicationDay: a date that opens the line under a
// headline is the day of publication; a day up to two days before it
// ("on Monday" under a Tuesday) does not split the event, and becomes the
// day the event's later sentences are grouped by and the claim's date.
func TestTopDateIsPublicationDay(t *testing.T) {
	const head = "Air strikes kill civilians in rebel-held town\n" +
		"14 Nov 2017 Air strikes hit the town of Saqba in Eastern Ghouta, a fictional monitor said. "

	cs := ruleClaims(t, head+"The strikes on Monday killed seven civilians and wounded ten.")
	if len(cs) != 1 {
		t.Fatalf("Monday under a Tuesday: %d claims, want 1", len(cs))
	}
	wantPlace(t, "Monday under a Tuesday", cs[0], "Saqba", "Rural Damascus")
	wantKilled(t, "Monday under a Tuesday", cs[0], vigil.CatCivilians, 7)
	wantDay(t, "Monday under a Tuesday", cs[0], vigil.Day(2017, 11, 13))

	// The Monday takes over the event's date: a later toll on the
	// Tuesday itself is another event.
	cs = ruleClaims(t, head+"The strikes on Monday killed seven civilians and wounded ten. "+
		"On Tuesday, shelling on Saqba killed two fighters.")
	if len(cs) != 2 {
		t.Fatalf("Monday, then Tuesday: %d claims, want 2", len(cs))
	}
	wantKilled(t, "Monday, then Tuesday: first", cs[0], vigil.CatCivilians, 7)
	wantKilled(t, "Monday, then Tuesday: second", cs[1], vigil.CatCombatants, 2)
	wantDay(t, "Monday, then Tuesday: second", cs[1], vigil.Day(2017, 11, 14))

	// Five days before the top date is another event.
	cs = ruleClaims(t, head+"The strikes on Thursday killed seven civilians and wounded ten.")
	if len(cs) != 2 {
		t.Fatalf("Thursday under a Tuesday: %d claims, want 2", len(cs))
	}
	if _, ok := cs[0].Figure(vigil.Killed, vigil.CatCivilians); ok {
		t.Errorf("Thursday under a Tuesday: the first claim has the Thursday's dead: %+v", cs[0].Figures)
	}
	wantKilled(t, "Thursday under a Tuesday", cs[1], vigil.CatCivilians, 7)
	wantDay(t, "Thursday under a Tuesday", cs[1], vigil.Day(2017, 11, 9))

	// With no headline above it the date is no top date: a Monday there
	// is another day.
	cs = ruleClaims(t, "Air strikes kill civilians in rebel-held town. "+
		"14 Nov 2017 Air strikes hit the town of Saqba in Eastern Ghouta, a fictional monitor said. "+
		"The strikes on Monday killed seven civilians and wounded ten.")
	if len(cs) != 2 {
		t.Fatalf("no headline: %d claims, want 2", len(cs))
	}
}

// TestTitleCaseHeadlinePlace: in a headline in title case a one-word place
// followed by an unknown capitalised word is still a place; elsewhere
// such a pair is a person's name.
func TestTitleCaseHeadlinePlace(t *testing.T) {
	const body = "\nThree civilians were killed when mortar shells hit a market on Sunday, a police source said."

	cs := ruleClaims(t, "Terrorists Shell Residential Neighbourhoods In Syrias Jableh Downtown"+body)
	if len(cs) != 1 {
		t.Fatalf("title case: %d claims, want 1", len(cs))
	}
	wantPlace(t, "title case", cs[0], "Jableh", "Lattakia")

	// The same headline in sentence case: "Jableh Downtown" reads as a
	// name.
	cs = ruleClaims(t, "Terrorists shell residential neighbourhoods in Jableh Downtown"+body)
	if len(cs) != 1 {
		t.Fatalf("sentence case: %d claims, want 1", len(cs))
	}
	if n, _ := placeOf(cs[0]); n != "" {
		t.Errorf("sentence case: placed at %q, want no place", n)
	}

	// A person whose first name is a town's (Salma, Latakia).
	cs = ruleClaims(t, "Three civilians were killed when mortar shells hit a market on Sunday, Salma Hamdan, a fictional teacher, said.")
	if len(cs) != 1 {
		t.Fatalf("person: %d claims, want 1", len(cs))
	}
	if n, _ := placeOf(cs[0]); n != "" {
		t.Errorf("person: placed at %q, want no place", n)
	}
}

// TestRoundupSummaryCount: a round-up's summary line, before the first
// event and listing places in several governorates, counts the dead of
// the section that states its count when the first section states none.
func TestRoundupSummaryCount(t *testing.T) {
	const summary = "Four civilians killed in terrorist attacks in Daraa countryside, Aleppo and Homs\n"
	const aleppo, homs = "Aleppo: mortar shells hit the Hamdaniyeh neighbourhood, killing two civilians. ",
		"Homs: a car bomb exploded in the Karm al-Zeitoun neighbourhood, killing four civilians."

	cs := ruleClaims(t, summary+"Daraa: rocket shells hit the town of Izraa on Saturday, injuring three civilians. "+aleppo+homs)
	if len(cs) != 3 {
		t.Fatalf("round-up: %d claims, want 3", len(cs))
	}
	wantPlace(t, "round-up: Daraa", cs[0], "Izra", "Dar'a")
	if f, ok := cs[0].Figure(vigil.Killed, vigil.CatCivilians); ok {
		t.Errorf("round-up: the Daraa section has the summary's dead: %+v", f)
	}
	wantPlace(t, "round-up: Aleppo", cs[1], "Hamdaniyeh", "Aleppo")
	wantKilled(t, "round-up: Aleppo", cs[1], vigil.CatCivilians, 2)
	wantPlace(t, "round-up: Homs", cs[2], "Karm al-Zeitoun", "Homs")
	wantKilled(t, "round-up: Homs", cs[2], vigil.CatCivilians, 4)
	// The summary line is the Homs section's: its spans are there.
	found := false
	for _, f := range cs[2].Figures {
		for _, s := range f.Spans {
			if s.Start < len(summary) {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("round-up: the Homs claim quotes nothing of the summary line: %+v", cs[2].Figures)
	}

	// When the first section states the count, the summary stays with it.
	cs = ruleClaims(t, summary+"Daraa: rocket shells hit the town of Izraa on Saturday, killing four civilians. "+aleppo+homs)
	if len(cs) != 3 {
		t.Fatalf("count in the first section: %d claims, want 3", len(cs))
	}
	wantPlace(t, "count in the first section", cs[0], "Izra", "Dar'a")
	wantKilled(t, "count in the first section", cs[0], vigil.CatCivilians, 4)
	for _, f := range cs[2].Figures {
		for _, s := range f.Spans {
			if s.Start < len(summary) {
				t.Errorf("count in the first section: the Homs claim quotes the summary line: %+v", s)
			}
		}
	}

	// A summary that lists no places in several governorates is the lead
	// event's, as any headline is.
	cs = ruleClaims(t, "Four civilians killed in terrorist attacks\n"+
		"Daraa: rocket shells hit the town of Izraa on Saturday, injuring three civilians. "+aleppo+homs)
	if len(cs) != 3 {
		t.Fatalf("no list: %d claims, want 3", len(cs))
	}
	wantPlace(t, "no list", cs[0], "Izra", "Dar'a")
	wantKilled(t, "no list", cs[0], vigil.CatCivilians, 4)
}

// TestFromTheWordsTownOfIsOrigin: "residents from the regime-besieged town
// of Madaya" names where the victims came from, not where the event was.
func TestFromTheWordsTownOfIsOrigin(t *testing.T) {
	cs := ruleClaims(t, "A car bomb killed 20 residents from the regime-besieged town of Madaya on Saturday, a fictional monitor said. "+
		"The bomb exploded near their buses at Rashidin while they waited to leave. "+
		"Most of the evacuees from Madaya were women.")
	if len(cs) != 1 {
		t.Fatalf("%d claims, want 1", len(cs))
	}
	wantPlace(t, "origin", cs[0], "Rashidin", "Aleppo")
	wantKilled(t, "origin", cs[0], vigil.CatCivilians, 20)
	wantDay(t, "origin", cs[0], vigil.Day(2017, 11, 11))

	// Where the words between "the" and the place noun stand after
	// another word than "from", the town is no origin.
	for _, tc := range []struct {
		text   string
		origin bool
	}{
		{"Residents from the regime-besieged town of Madaya were killed.", true},
		{"Residents from the besieged rebel-held town of Madaya were killed.", true},
		{"Residents in the regime-besieged town of Madaya were killed.", false},
		{"Shells hit the regime-besieged town of Madaya.", false},
	} {
		d := testExtractor.analyse(tc.text, nil)
		found := false
		for _, p := range d.places {
			if d.spanText(p.from, p.to) == "Madaya" {
				found = true
				if p.origin != tc.origin {
					t.Errorf("%q: Madaya an origin = %v, want %v", tc.text, p.origin, tc.origin)
				}
			}
		}
		if !found {
			t.Errorf("%q: Madaya is no place", tc.text)
		}
	}
}

// TestTopDateKeptOverOtherDays: only a day up to two days before the top
// date takes its place; a page's later item, dated otherwise, does not.
func TestTopDateKeptOverOtherDays(t *testing.T) {
	cs := ruleClaims(t, "Air strikes kill civilians in rebel-held town\n"+
		"14 Nov 2017 Air strikes hit the town of Saqba in Eastern Ghouta killing seven civilians, a fictional monitor said.\n"+
		"Pensions paid in Aleppo\n2 Dec 2019\nThe children's ward of a hospital reopened.")
	if len(cs) == 0 {
		t.Fatal("no claim")
	}
	wantDay(t, "a later item's date", cs[0], vigil.Day(2017, 11, 14))
}
