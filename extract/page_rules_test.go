package extract

import (
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

// TestTagListsAreNoPlaces: a page's list of tags names its topics, not the
// places of an event; the sentence that follows the list keeps its places.
// The texts are written for the test.
func TestTagListsAreNoPlaces(t *testing.T) {
	for _, tc := range []struct {
		text      string
		places    []string // place mentions that must be found
		notPlaces []string // words that must not be place mentions
	}{
		{"Shelling hit a bakery. Tags Syria Palmyra shelling bakery The shells fell on the town of Douma on Monday.",
			[]string{"douma"}, []string{"palmyra"}},
		{"Tags Idlib Hama airstrikes Russia At least five people were killed in Saraqib.",
			[]string{"saraqib"}, []string{"idlib", "hama"}},
		{"Tags Aleppo civil defence UN Three civilians were killed in Douma.",
			[]string{"douma"}, []string{"aleppo"}},
		// "tags" in running text, and a capitalised "Tags" before a verb.
		{"Rescuers put name tags on the bodies in Idlib.", []string{"idlib"}, nil},
		{"Tags were found near Hama.", []string{"hama"}, nil},
	} {
		checkPlaceWords(t, tc.text, tc.places, tc.notPlaces)
	}
}

// TestInMay: "in May" is a month ("may" is the modal elsewhere); once a
// report has told its event, an earlier month's strike is another event,
// whose dead are not the event's.
func TestInMay(t *testing.T) {
	pub := vigil.Day(2016, 10, 2)
	doc := &vigil.Document{Published: &pub, Text: "War planes bombed a camp in Idlib province on Sunday killing five women. " +
		"In May a suspected air raid on another camp in Idlib province left dozens dead. The toll may rise."}
	cs := extractDoc(t, doc)
	if len(cs) == 0 {
		t.Fatal("no claim")
	}
	if f, ok := cs[0].Figure(vigil.Killed, vigil.CatTotal); ok && f.Min >= 24 {
		t.Errorf("the May raid's dead joined the event: %+v", cs[0].Figures)
	}
	if f, ok := cs[0].Figure(vigil.Killed, vigil.CatWomen); !ok || f.Min != 5 {
		t.Errorf("the event's own dead: %+v", cs[0].Figures)
	}
	d := testExtractor.analyse(doc.Text, &pub)
	months := 0
	for _, m := range d.dates {
		if m.date.Precision == vigil.PrecisionMonth && m.date.Earliest.Month() == 5 {
			months++
		}
	}
	if months != 1 {
		t.Errorf("%d dates in May, want 1 (In May, not the modal)", months)
	}
}

// TestHeldIsNoPeople: "a rebel-held town" counts no rebel.
func TestHeldIsNoPeople(t *testing.T) {
	fs := figsOf(t, "The strike killed at least 12 people including several children in a rebel-held town.")
	for _, f := range fs {
		if f.Category == vigil.CatCombatants {
			t.Errorf("a rebel-held town read as a fighter killed: %+v", f)
		}
	}
	if fs = figsOf(t, "The shelling killed two rebels and wounded a rebel commander."); !hasFig(fs, vigil.Killed, vigil.CatCombatants, 2) {
		t.Errorf("two rebels killed are not read: %+v", fs)
	}
}

// TestNamesThatAreNoPlaces: a surname after a given name, a foreign town
// whose final s is no lost apostrophe, and a photo caption's place and day.
// The texts are written for the test.
func TestNamesThatAreNoPlaces(t *testing.T) {
	for _, tc := range []struct {
		text      string
		places    []string
		notPlaces []string
	}{
		// A surname: "al-Raju" after a capitalised word that is no place.
		{"The tribe's head Sheikh Fadel Aakla al-Raju called for help after shelling hit Hajin.", []string{"hajin"}, []string{"raju"}},
		// ... but "al-Bab" after a place or at a sentence start stays a place.
		{"Shells hit Manbij and al-Bab on Monday.", []string{"manbij", "bab"}, nil},
		// A possessive's lost apostrophe needs something possessed.
		{"Rockets hit the border town of Kilis just across the frontier.", nil, []string{"kilis"}},
		{"Aleppos countryside was shelled.", []string{"aleppos"}, nil},
		// A place glued to a point of the compass.
		{"Air raids on positions near Kobaninorth Syria killed 35 fighters.", []string{"kobaninorth"}, nil},
		// A photo caption closed by its credit.
		{"In this photo taken on June 8 rescuers help a woman after warplanes attacked a street in Aleppo Syria (AP photo) BEIRUT Air strikes on a market in Idlib killed 21 civilians.",
			[]string{"idlib"}, []string{"aleppo"}},
		// No credit, no caption.
		{"In this photo warplanes are seen over Aleppo.", []string{"aleppo"}, nil},
	} {
		checkPlaceWords(t, tc.text, tc.places, tc.notPlaces)
	}
	// The caption's day does not date the event.
	pub := vigil.Day(2016, 6, 13)
	cs := extractDoc(t, &vigil.Document{Published: &pub, Text: "In this photo taken on June 8 rescuers help a woman after warplanes attacked a street in Aleppo Syria (AP photo) BEIRUT Air strikes on a market in Idlib killed 21 civilians on Sunday."})
	if len(cs) == 0 || cs[0].Date.Value.Earliest.Day() != 12 {
		t.Errorf("caption: claims %+v, want the event dated Sunday 12 June", cs)
	}
}

// TestModerateFighters: "moderate" stands between a count and its noun.
func TestModerateFighters(t *testing.T) {
	if fs := figsOf(t, "21 moderate opposition fighters have been killed in clashes with the group."); !hasFig(fs, vigil.Killed, vigil.CatCombatants, 21) {
		t.Errorf("21 moderate opposition fighters killed: %+v", fs)
	}
}

// TestAnsweredAttack: the attack that a strike answers is an earlier event;
// it does not give the sentence its kind.
func TestAnsweredAttack(t *testing.T) {
	pub := vigil.Day(2017, 4, 7)
	for _, text := range []string{
		"Cruise missiles struck an airbase near Homs on Friday in response to the suspected gas attack, killing six soldiers.",
		"Missiles damaged an airbase in Homs province that was used as a launchpad for a chemical attack. Six soldiers were killed.",
	} {
		cs := extractDoc(t, &vigil.Document{Published: &pub, Text: text})
		if len(cs) == 0 || cs[0].EventType.Value == vigil.EventChemical {
			t.Errorf("%q: claims %+v, want a strike that is no chemical attack", text, cs)
		}
	}
	// "medical response to chemical attacks" answers nothing.
	d := testExtractor.analyse("Doctors trained in the medical response to chemical attacks treated the injured.", nil)
	if d.sinfo[0].trigType < 0 || eventTypes[d.sinfo[0].trigType] != vigil.EventChemical {
		t.Errorf("a medical response to chemical attacks: trigger %d", d.sinfo[0].trigType)
	}
}

// TestListOfCities: "in Aleppo, Hama and Homs" is a list; a city that
// names a governorate lies in no other governorate.
func TestListOfCities(t *testing.T) {
	for _, text := range []string{
		"Rockets fell in Aleppo, Hama and Homs on Sunday.",
		"Shells hit Aleppo, Hama and Homs on Sunday.",
	} {
		found := placeWords(text)
		for _, w := range []string{"aleppo", "hama", "homs"} {
			if !found[w] {
				t.Errorf("%q: %s not read as a place (%v)", text, w, found)
			}
		}
	}
	// "X, Y" still states a container for a town.
	d := testExtractor.analyse("Shells hit Kafr Nabl, Idlib on Sunday.", nil)
	if len(d.places) == 0 || d.places[0].chosen.Governorate() == nil || !containsFold(d.places[0].chosen.Governorate().Name, "idl") {
		t.Errorf("Kafr Nabl, Idlib: %+v", d.places)
	}
}

// TestSurnameNotAfterPlaceWord: a name after a word that begins Arabic
// place names ("Jabal al-X", "Tal al-X") is a place, not a family name.
func TestSurnameNotAfterPlaceWord(t *testing.T) {
	for _, text := range []string{"Shells hit the villages of Jabal al-Bab on Monday.", "Shells hit Tal al-Bab on Monday."} {
		d := testExtractor.analyse(text, nil)
		if len(d.places) == 0 {
			t.Errorf("%q: no place", text)
		}
	}
}

// TestBlankRunIsLineBreak: three or more spaces or tabs in a row stand for
// a line break lost in scraping; two do not.
func TestBlankRunIsLineBreak(t *testing.T) {
	d := testExtractor.analyse("Rocket attacks kill 30 in Aleppo     AP  Saturday 9 Jul 2016     Fictional text follows here.", nil)
	if len(d.sents) != 3 {
		t.Errorf("%d sentences, want 3 (headline, dateline, text)", len(d.sents))
	}
	d = testExtractor.analyse("Shells hit Aleppo.  Two people were killed.", nil)
	if len(d.sents) != 2 {
		t.Errorf("%d sentences, want 2", len(d.sents))
	}
}

// TestApostropheAfterS: "Damascus' promises" is a possessive, as
// "Damascus's promise" is; the capital's promises are its government's.
func TestApostropheAfterS(t *testing.T) {
	for _, text := range []string{
		"Jets bombed the town despite Damascus' promises of a truce.",
		"Jets bombed the town despite Damascus’ promise of a truce.",
		"Jets bombed the town despite Damascus's pledge of a truce.",
	} {
		d := testExtractor.analyse(text, nil)
		if len(d.places) != 0 {
			t.Errorf("%q: Damascus read as a place", text)
		}
	}
	toks := tokenize("the rebels' positions and 'Road of death' to Aleppo")
	if !toks[1].is(flagPossess) || toks[1].norm != "rebels" {
		t.Errorf("rebels': %+v", toks[1])
	}
	for _, tk := range toks {
		if tk.norm == "death" && tk.is(flagPossess) {
			t.Error("a closing quote after a word not ending in s is a possessive")
		}
	}
	if d := testExtractor.analyse("Shells hit Damascus' old city on Monday.", nil); len(d.places) == 0 {
		t.Error("Damascus' old city is no place")
	}
}

// TestFarSentencesWeighLess: a long report's later sentences, about a
// siege elsewhere, do not outvote the lead that places the dead.
func TestFarSentencesWeighLess(t *testing.T) {
	var b strings.Builder
	b.WriteString("Air strikes killed 39 people in a market in the province of Idlib on Sunday, a fictional official said. ")
	b.WriteString("Rescuers searched the rubble of the market in Idlib. ")
	for i := 0; i < 10; i++ {
		b.WriteString("The official said the work of rescuers went on through the night. ")
	}
	for i := 0; i < 5; i++ {
		b.WriteString("The road into the besieged districts of Aleppo was closed for weeks around Aleppo. ")
	}
	pub := vigil.Day(2016, 6, 13)
	cs := extractDoc(t, &vigil.Document{Published: &pub, Text: b.String()})
	if len(cs) == 0 || cs[0].Place == nil || cs[0].Place.Value.Governorate() == nil || !containsFold(cs[0].Place.Value.Governorate().Name, "idl") {
		t.Errorf("claims %+v: want the lead's Idlib", cs)
	}
}

// TestAgentsOfStrikingVerbs: the subject of a striking verb is the agent,
// with a group's noun between ("Daesh terror elements have executed",
// "rebel militias shelled") and in a headline's present tense ("Assad's
// forces bombard the suburbs").
func TestAgentsOfStrikingVerbs(t *testing.T) {
	pub := vigil.Day(2014, 7, 26)
	for text, actor := range map[string]string{
		"Rebel militias shelled the village near Aleppo on Monday.":               "opposition",
		"Daesh terror elements have reportedly executed 20 villagers near Raqqa.": "isis",
		"Assad's forces bombard Damascus suburbs, killing 20 people.":             "syrian_government",
		"Daesh militants storm a village near Salamiyeh and kill 51 people.":      "isis",
		"ISIL crucifies nine men in a village east of Aleppo.":                    "isis",
	} {
		if cs := extractDoc(t, &vigil.Document{Published: &pub, Text: text}); !alleges(cs, actor) {
			t.Errorf("%q: no %s among the alleged perpetrators: %+v", text, actor, cs)
		}
	}
}

// TestBombingsWithoutAircraft: a twin or bus bombing, a truck loaded with
// explosives and a tunnel blown up are explosions, not air strikes; a
// habit told in passing ("rebels regularly fire rockets") does not type
// the event.
func TestBombingsWithoutAircraft(t *testing.T) {
	pub := vigil.Day(2016, 7, 27)
	for _, text := range []string{
		"A twin bombing struck a crowd in the town on Wednesday killing 44 people.",
		"A truck loaded with explosives went off at a checkpoint on Wednesday killing 12 people.",
		"Rebels blew up a tunnel under an army post on Wednesday killing 38 soldiers.",
		"A blast ripped through a bus on Wednesday killing seven people. Rebels regularly fire rockets into the city.",
	} {
		cs := extractDoc(t, &vigil.Document{Published: &pub, Text: text})
		if len(cs) == 0 || cs[0].EventType.Value != vigil.EventIED {
			t.Errorf("%q: claims %+v, want an explosion", text, cs)
		}
	}
	cs := extractDoc(t, &vigil.Document{Published: &pub, Text: "The aerial bombing of the district on Wednesday killed nine people."})
	if len(cs) == 0 || cs[0].EventType.Value != vigil.EventAirStrike {
		t.Errorf("an aerial bombing: %+v", cs)
	}
}

// TestHabitWithDeaths: a habit told with deaths is no habit.
func TestHabitWithDeaths(t *testing.T) {
	pub := vigil.Day(2016, 7, 27)
	cs := extractDoc(t, &vigil.Document{Published: &pub, Text: "Regime forces regularly shell the town, and on Monday a shell killed five people."})
	if len(cs) == 0 {
		t.Fatal("no claim")
	}
	if f, ok := cs[0].Figure(vigil.Killed, vigil.CatTotal); !ok || f.Min != 5 {
		t.Errorf("the five dead: %+v", cs[0].Figures)
	}
}

// TestEarlierEventsAndBackers: the actor of an attack the sentence dates
// itself after is not the event's; a backer "backed militarily by Russia"
// is no agent.
func TestEarlierEventsAndBackers(t *testing.T) {
	pub := vigil.Day(2017, 4, 8)
	for _, text := range []string{
		"Just days after a deadly Assad regime chemical attack a bomb killed a woman on a bus near Homs on Saturday.",
		"A bomb killed a woman on a bus near Homs on Saturday. The government has been backed militarily by Russia.",
	} {
		cs := extractDoc(t, &vigil.Document{Published: &pub, Text: text})
		if len(cs) == 0 {
			t.Fatalf("%q: no claim", text)
		}
		for _, a := range cs[0].Attribution.Candidates {
			if a.Actor == "syrian_government" || a.Actor == "russia" {
				t.Errorf("%q: %s alleged", text, a.Actor)
			}
		}
		if cs[0].EventType.Value == vigil.EventChemical {
			t.Errorf("%q: the earlier chemical attack types the event", text)
		}
	}
}

// TestWarOriginIsBackground: the wire copy's closing lines on how the war
// began name no perpetrator of the event.
func TestWarOriginIsBackground(t *testing.T) {
	pub := vigil.Day(2016, 5, 23)
	cs := extractDoc(t, &vigil.Document{Published: &pub, Text: "A suicide bomber killed four people at a checkpoint in the town on Monday. " +
		"The war began in 2011 as a pro-democracy revolt. It morphed into a conflict after the regime unleashed a brutal crackdown on dissent."})
	if len(cs) == 0 {
		t.Fatal("no claim")
	}
	for _, a := range cs[0].Attribution.Candidates {
		if a.Actor == "syrian_government" {
			t.Errorf("the regime of the war's origin is alleged: %+v", cs[0].Attribution)
		}
	}
}

// alleges reports whether any claim of cs names actor as an alleged
// perpetrator.
func alleges(cs []*vigil.Claim, actor string) bool {
	for _, c := range cs {
		for _, a := range c.Attribution.Candidates {
			if a.Actor == actor {
				return true
			}
		}
	}
	return false
}

// placeWords is the set of the words (lower case) read as place mentions in
// text.
func placeWords(text string) map[string]bool {
	d := testExtractor.analyse(text, nil)
	found := map[string]bool{}
	for _, p := range d.places {
		found[strings.ToLower(d.spanText(p.from, p.to))] = true
	}
	return found
}

// checkPlaceWords checks that each of places is read as a place mention in
// text and none of notPlaces is.
func checkPlaceWords(t *testing.T, text string, places, notPlaces []string) {
	t.Helper()
	found := placeWords(text)
	for _, w := range places {
		if !found[w] {
			t.Errorf("%q: %s is not read as a place (places %v)", text, w, found)
		}
	}
	for _, w := range notPlaces {
		if found[w] {
			t.Errorf("%q: %s is read as a place", text, w)
		}
	}
}

// hasFig reports whether fs holds a figure of kind and category whose
// lower bound is low.
func hasFig(fs []vigil.Figure, kind vigil.FigureKind, cat vigil.Category, low int) bool {
	for _, f := range fs {
		if f.Kind == kind && f.Category == cat && f.Min == low {
			return true
		}
	}
	return false
}

func TestNamed(t *testing.T) {
	for phrase, want := range map[string]struct {
		actors []string
		kind   vigil.EventType
	}{
		"Syrian regime and Russian": {[]string{"syrian_government", "russia"}, vigil.EventUnknown},
		"barrel bombs":              {nil, vigil.EventAirStrike},
		"Two car bombs":             {nil, vigil.EventIED},
		"The US-led coalition":      {[]string{"coalition"}, vigil.EventUnknown},
		"":                          {nil, vigil.EventUnknown},
	} {
		actors, kind := testExtractor.Named(phrase)
		if strings.Join(actors, ",") != strings.Join(want.actors, ",") || kind != want.kind {
			t.Errorf("Named(%q) = %v, %s; want %v, %s", phrase, actors, kind, want.actors, want.kind)
		}
	}
}
