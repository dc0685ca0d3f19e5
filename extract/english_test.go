package extract

import (
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

// TestEnglishReportPhrasing covers how English news reports state their
// figures (the FA-KES round of docs/extraction.md). The texts are written
// for the test.
func TestEnglishReportPhrasing(t *testing.T) {
	type want struct {
		kind vigil.FigureKind
		cat  vigil.Category
		min  int
	}
	for _, tc := range []struct {
		text string
		want []want // figures that must be there
		not  []want // figures that must not
	}{
		// An apposition between the count and its verb.
		{"Ten civilians some of them children killed in an airstrike on the village.", []want{{vigil.Killed, vigil.CatCivilians, 10}}, nil},
		{"Eight people, mostly women and children, were killed.", []want{{vigil.Killed, vigil.CatTotal, 8}}, nil},
		// A compound's head is its last noun; one person named as killed.
		{"A girl child was killed and two others were injured.", []want{{vigil.Killed, vigil.CatChildren, 1}, {vigil.Injured, vigil.CatTotal, 2}}, nil},
		// A toll counted since a month, an earlier event or a point in time is background.
		{"At least 350 civilians have been killed in the district since a truce collapsed.", nil, []want{{vigil.Killed, vigil.CatCivilians, 350}}},
		{"Warplanes have killed 4000 civilians since they first intervened.", nil, []want{{vigil.Killed, vigil.CatCivilians, 4000}}},
		// ... but not "the first deaths since".
		{"Two civilians were killed in the first deaths since the truce began.", []want{{vigil.Killed, vigil.CatCivilians, 2}}, nil},
		// Reported speech: the past perfect is the tense of reporting.
		{"The civil defence said on Thursday that 13 people had been killed.", []want{{vigil.Killed, vigil.CatTotal, 13}}, nil},
		// The word toll far before its verb.
		{"The death toll in the car bomb attack on the buses near the crossing has risen to at least 112.", []want{{vigil.Killed, vigil.CatTotal, 112}}, nil},
		{"The toll from the rocket attacks on the neighbourhood rose to 8 civilians in addition to 12 injured.", []want{{vigil.Killed, vigil.CatCivilians, 8}, {vigil.Injured, vigil.CatTotal, 12}}, nil},
		// A forecast of the toll.
		{"The death toll could reach dozens of civilians.", nil, []want{{vigil.Killed, vigil.CatCivilians, 24}}},
		// The noun after the second count is the first's too.
		{"The army killed 28 and wounded 30 militants.", []want{{vigil.Killed, vigil.CatCombatants, 28}, {vigil.Injured, vigil.CatCombatants, 30}}, nil},
		// Once the event is told, a month before the month of publication
		// (June 2020 here) is another time; the month itself is not.
		{"Three women were killed when shells hit a funeral on Thursday. In January the siege saw dozens die of hunger.",
			[]want{{vigil.Killed, vigil.CatWomen, 3}}, []want{{vigil.Killed, vigil.CatTotal, 24}}},
		{"Earlier in June shelling killed 12 people in the town.", []want{{vigil.Killed, vigil.CatTotal, 12}}, nil},
		// The wounded of a noun phrase are injured, whatever comes before.
		{"The death toll rose to 12 and more than 115 wounded persons were taken to hospitals.",
			[]want{{vigil.Injured, vigil.CatTotal, 115}}, []want{{vigil.Killed, vigil.CatTotal, 115}}},
		// "among them" is an apposition, not "among the dead".
		{"Twenty people were killed in the attack and a further 546 people among them many children have been injured.",
			[]want{{vigil.Injured, vigil.CatTotal, 546}}, []want{{vigil.Killed, vigil.CatTotal, 546}}},
		// "the civil war" in a sentence dated to a day tells no war-long
		// toll; undated, it does.
		{"Helicopter fire killed 12 people on Wednesday in a camp housing civilians fleeing the civil war.",
			[]want{{vigil.Killed, vigil.CatTotal, 12}}, nil},
		{"More than 300,000 people have been killed in the civil war.", nil, []want{{vigil.Killed, vigil.CatTotal, 300000}}},
		// A month's toll is background.
		{"More than 3000 people including nearly 1000 civilians have been killed during the past month.",
			nil, []want{{vigil.Killed, vigil.CatCivilians, 1000}}},
		// A headline's verbs with no noun.
		{"Rocket attacks kill 10 injure scores in the city.", []want{{vigil.Killed, vigil.CatTotal, 10}}, []want{{vigil.Injured, vigil.CatTotal, 10}}},
	} {
		fs := figsOf(t, tc.text)
		has := func(w want) bool {
			for _, f := range fs {
				if f.Kind == w.kind && f.Category == w.cat && f.Min == w.min {
					return true
				}
			}
			return false
		}
		for _, w := range tc.want {
			if !has(w) {
				t.Errorf("%q: no %s %s %d in %+v", tc.text, w.kind, w.cat, w.min, fs)
			}
		}
		for _, w := range tc.not {
			if has(w) {
				t.Errorf("%q: unexpected %s %s %d", tc.text, w.kind, w.cat, w.min)
			}
		}
	}
}

// TestEnglishPlaces covers where an English report places its event.
func TestEnglishPlaces(t *testing.T) {
	pub := vigil.Day(2020, 6, 10)
	for _, tc := range []struct {
		text, gov string
	}{
		// The place right after the count of the dead, over a finer one.
		{"Airstrikes kill 4 in Syria's Idlib, destroy mosque in Hama\n\nAt least four people were killed in airstrikes on Tuesday.", "Idleb"},
		// Where people were heading.
		{"A car bomb killed 43 evacuees near Rashidin west of Aleppo as fighters advanced towards the Islamic State group's Raqqa stronghold.", "Aleppo"},
		// A stated container: the Homs neighbourhood is not Aleppo's.
		{"Four civilians were killed when shells hit the al-Sabil neighbourhood in Homs city.", "Homs"},
		// A round-up's list of places in several governorates: the first
		// named is the first told, the later ones do not place the lead.
		{"Six civilians injured in rocket attacks in Daraa countryside, Aleppo and Hama.\nTwo civilians were injured in rocket attacks on Izraa town in the countryside of Daraa. Four civilians were injured when rocket shells fell on a neighbourhood in Aleppo city.", "Dar'a"},
		// Gazetteer: Hader is also the Quneitra village (Hadar).
		{"Two fighters were killed when a drone targeted their car at the entrance of Hader in Quneitra province.", "Quneitra"},
	} {
		doc := &vigil.Document{Text: tc.text, Published: &pub}
		cs := extractDoc(t, doc)
		if len(cs) == 0 || cs[0].Place == nil {
			t.Errorf("%q: no place", tc.text)
			continue
		}
		g := cs[0].Place.Value.Governorate()
		name := cs[0].Place.Value.Name
		if g != nil {
			name = g.Name
		}
		if !containsFold(name, tc.gov) {
			t.Errorf("%q: place %s (%s), want governorate %s", tc.text, cs[0].Place.Value.Name, name, tc.gov)
		}
	}
	// A round-up: deaths counted in another governorate are another event.
	doc := &vigil.Document{Text: "Raqqa: army units shelled positions in the countryside of Raqqa on Saturday. Deir Ezzor: army units killed 15 terrorists in the Deir Ezzor city.", Published: &pub}
	cs := extractDoc(t, doc)
	if len(cs) != 2 {
		t.Fatalf("round-up: %d claims, want 2", len(cs))
	}
	if f, ok := cs[1].Figure(vigil.Killed, vigil.CatCombatants); !ok || f.Min != 15 {
		t.Errorf("round-up: second claim figures %+v", cs[1].Figures)
	}
}

// TestCapitalAsGovernment: Damascus speaking or acting for the government
// is not a place; Damascus as the scene is.
func TestCapitalAsGovernment(t *testing.T) {
	for _, tc := range []struct {
		text  string
		place bool
	}{
		{"Damascus denied the report.", false},
		{"Damascus said the rebels fired the shells.", false},
		{"Moscow and Damascus blamed the rebels.", false},
		{"Damascus and Tehran rejected the claim.", false},
		{"Shells hit Damascus on Monday.", true},
		{"Damascus and Aleppo were hit.", true},
	} {
		d := testExtractor.analyse(tc.text, nil)
		found := false
		for _, p := range d.places {
			if strings.EqualFold(d.spanText(p.from, p.to), "damascus") {
				found = true
			}
		}
		if found != tc.place {
			t.Errorf("%q: Damascus as a place = %v, want %v", tc.text, found, tc.place)
		}
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
