package extract

import (
	"sort"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// Lexicon classes. A phrase of the lexicon belongs to one class and carries
// a value whose meaning depends on the class.
const (
	clsNone         uint8 = iota
	clsEvent              // val: index into eventTypes; weight: how specific
	clsActor              // val: index into actors
	clsActorAdj           // weak actor adjective ("Syrian"): an actor only before a military noun
	clsMilitary           // military nouns that make a weak actor adjective an actor
	clsCategory           // val: vigil.Category index (people nouns after a number)
	clsKill               // killed, dead, died, death toll ...
	clsInjure             // injured, wounded ...
	clsTreated            // treated, admitted: a hospital's intake
	clsFacility           // val: index into facilityTypes
	clsOrg                // val: index into orgs
	clsRole               // doctor, official, activist ...: a person who may be a source
	clsReport             // said, reported, according to ...
	clsAnon               // who asked not to be identified, on condition of anonymity ...
	clsHedge              // val: hedge kind
	clsQual               // val: vigil.Qualifier index
	clsNumWord            // val: number
	clsMonth              // val: month 1-12
	clsWeekday            // val: time.Weekday
	clsRelDay             // val: days before publication (0 today, 1 yesterday); weight: part of day
	clsPartOfDay          // val: index into partsOfDay
	clsRelPeriod          // "earlier this month", "last week": val: period kind
	clsBackground         // markers of background statistics
	clsFuture             // markers of forecasts
	clsOther              // markers of figures about other incidents
	clsAux                // was, were, have been ...
	clsModifier           // other, young, more ...: words between a number and its noun
	clsAgent              // by, carried out by ...
	clsStrikeVerb         // verbs whose subject is the perpetrator: bombed, hit, targeted ...
	clsPlaceNoun          // neighbourhood, town, village, province ...
	clsAge                // year-old
	clsSexMale            // boy, man, he ...
	clsSexFemale          // girl, woman, she ...
	clsAgainst            // against, on (targets): the following actor is a target
	clsUnidentified       // unidentified, unknown (aircraft/gunmen)
	clsStop               // words that stop backward searches
)

// Hedges on attribution.
const (
	hedgeNone = iota
	hedgeSuspected
	hedgeClaimed
	hedgeDenied
	hedgeBlamed
)

var hedgeNames = []string{"", "suspected", "claimed responsibility", "denied", "blamed"}

var eventTypes = []vigil.EventType{vigil.EventAirStrike, vigil.EventShelling, vigil.EventChemical,
	vigil.EventIED, vigil.EventSuicideBomb, vigil.EventArmedClash, vigil.EventAttackCivilians,
	vigil.EventExecution, vigil.EventAbduction, vigil.EventLandmine, vigil.EventDetentionDeath,
	vigil.EventGrenade, vigil.EventOther}

func eventIndex(t vigil.EventType) int {
	for i, e := range eventTypes {
		if e == t {
			return i
		}
	}
	return -1
}

var categories = []vigil.Category{vigil.CatTotal, vigil.CatCivilians, vigil.CatChildren,
	vigil.CatWomen, vigil.CatMen, vigil.CatCombatants}

var qualifiers = []vigil.Qualifier{vigil.QualExact, vigil.QualAtLeast, vigil.QualMoreThan,
	vigil.QualAbout, vigil.QualUpTo}

var facilityTypes = []vigil.FacilityType{vigil.FacilityHealth, vigil.FacilityEducation,
	vigil.FacilityWorship, vigil.FacilityMarket, vigil.FacilityWater, vigil.FacilityResidential,
	vigil.FacilityOther}

var partsOfDay = []string{"", "morning", "afternoon", "evening", "night", "dawn"}

// Relative periods.
const (
	relThisMonth = iota + 1
	relLastWeek
	relLastMonth
	relThisWeek
	relThisYear
	relLastYear
)

// actor is a canonical perpetrator.
type actor struct {
	Key, Label string
}

var actors = []actor{
	{"russia", "Russian forces"},
	{"syrian_government", "Syrian government forces"},
	{"coalition", "US-led coalition"},
	{"isis", "Islamic State"},
	{"opposition", "Armed opposition groups"},
	{"nusra", "Nusra Front / Hayat Tahrir al-Sham"},
	{"sdf", "Syrian Democratic Forces / YPG"},
	{"turkey", "Turkish forces"},
	{"israel", "Israeli forces"},
	{"hezbollah", "Hezbollah"},
	{"iran", "Iranian forces"},
}

func actorIndex(key string) int {
	for i, a := range actors {
		if a.Key == key {
			return i
		}
	}
	panic("unknown actor " + key)
}

// org is a known organisation that reports on events.
type org struct {
	Name string
	Type vigil.SourceType
}

// entry is one phrase of the lexicon.
type entry struct {
	words  []string
	cls    uint8
	val    int
	weight int
	caps   bool // only matches when the first token is written in capitals (US, IS)
	canon  string
}

// lexicon finds phrases at token positions: phrases are indexed by their
// first word, longest first.
type lexicon struct {
	byFirst map[string][]*entry
	orgs    []org
}

func (l *lexicon) add(cls uint8, val, weight int, phrases ...string) {
	for _, p := range phrases {
		caps := false
		if strings.HasPrefix(p, "^") {
			caps, p = true, p[1:]
		}
		e := &entry{words: splitPhrase(p), cls: cls, val: val, weight: weight, caps: caps, canon: p}
		for k, w := range e.words {
			if len(w) > 1 && w[0] >= 0xd8 && w[0] <= 0xdb {
				e.words[k] = arCore(w) // Arabic: matched without proclitics
			}
		}
		if len(e.words) == 0 {
			continue
		}
		l.byFirst[e.words[0]] = append(l.byFirst[e.words[0]], e)
	}
}

// addN adds nouns with their regular plurals.
func (l *lexicon) addN(cls uint8, val, weight int, nouns ...string) {
	for _, n := range nouns {
		l.add(cls, val, weight, n)
		if strings.HasSuffix(n, "y") && !strings.HasSuffix(n, "ay") && !strings.HasSuffix(n, "ey") {
			l.add(cls, val, weight, n[:len(n)-1]+"ies")
		} else if strings.HasSuffix(n, "s") || strings.HasSuffix(n, "sh") || strings.HasSuffix(n, "ch") || strings.HasSuffix(n, "x") {
			l.add(cls, val, weight, n+"es")
		} else {
			l.add(cls, val, weight, n+"s")
		}
	}
}

// splitPhrase normalises a lexicon phrase into the token norms the
// tokenizer produces: hyphens and spaces separate words.
func splitPhrase(p string) []string {
	toks := tokenize(p)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, t.norm)
	}
	return out
}

// match returns the longest entry starting at token i, and the token index
// after it.
func (l *lexicon) match(toks []token, i int) (*entry, int) {
	cands := l.byFirst[matchKey(&toks[i])]
	if cands == nil {
		return nil, i
	}
	for _, e := range cands {
		if len(e.words) > len(toks)-i {
			continue
		}
		if e.caps && !toks[i].is(flagAllCaps) && !toks[i].is(flagAbbrev) {
			continue
		}
		ok := true
		for k := 1; k < len(e.words); k++ {
			if matchKey(&toks[i+k]) != e.words[k] {
				ok = false
				break
			}
		}
		if ok {
			return e, i + len(e.words)
		}
	}
	return nil, i
}

func (l *lexicon) finish() {
	for k, es := range l.byFirst {
		sort.SliceStable(es, func(a, b int) bool { return len(es[a].words) > len(es[b].words) })
		l.byFirst[k] = es
	}
}

var lex = buildEnglish()

func buildEnglish() *lexicon {
	l := &lexicon{byFirst: map[string][]*entry{}}
	ev := func(t vigil.EventType, w int, nouns []string, phrases ...string) {
		l.addN(clsEvent, eventIndex(t), w, nouns...)
		l.add(clsEvent, eventIndex(t), w, phrases...)
	}
	// Event triggers. Weight says how specific a trigger is: a generic
	// "blast" yields to "airstrike" in the same event.
	ev(vigil.EventAirStrike, 3, []string{"airstrike", "air strike", "air raid", "airraid", "warplane", "war plane",
		"fighter jet", "barrel bomb", "air attack", "aerial attack", "aerial bombardment", "air bombardment",
		"drone strike", "cluster bomb", "vacuum bomb", "sortie", "aerial bombing", "air campaign"},
		"airstrike", "air-strike", "bombed", "bombing raid", "bombing raids", "cluster munitions", "aircraft", "helicopter", "helicopters",
		"aerial", "airpower", "air power")
	ev(vigil.EventAirStrike, 2, []string{"raid", "jet", "strike", "bombing", "bombardment", "air force"}, "bombarded", "pounded", "pounding")
	ev(vigil.EventShelling, 3, []string{"shell", "artillery", "mortar", "rocket", "missile", "ground-to-ground missile",
		"surface-to-surface missile", "tank shell", "rocket launcher", "missile strike", "missile attack", "rocket attack",
		"mortar attack", "artillery fire", "mortar fire", "rocket fire", "scud", "hell cannon"},
		"shelling", "shelled", "shellings", "artillery shelling")
	ev(vigil.EventChemical, 6, []string{"chemical attack", "chemical weapon", "gas attack", "toxic gas", "poison gas",
		"nerve agent", "chemical strike", "chlorine attack", "chlorine bomb"},
		"chemical", "chlorine", "sarin", "toxic gases", "poisonous gas", "poisonous gases", "suffocation", "asphyxiation",
		"toxic", "mustard gas", "gas")
	ev(vigil.EventIED, 2, []string{"car bomb", "truck bomb", "roadside bomb", "explosive device", "bomb attack",
		"bomb blast", "booby trap", "booby-trapped car", "motorcycle bomb", "ied", "vbied", "bomb"},
		"booby-trapped", "car bombing", "car bombings", "improvised explosive device", "improvised explosive devices",
		// A bombing with no aircraft: "twin bombing", "bus bombing", "a
		// truck loaded with explosives", "rebels blew up a tunnel".
		"twin bombing", "twin bombings", "twin bombs", "twin blasts", "twin explosions", "double bombing", "bus bombing",
		"tunnel bomb", "explosives-laden", "explosive-laden", "explosives-packed", "explosive-packed", "bomb-laden",
		"laden with explosives", "loaded with explosives", "packed with explosives", "blew up")
	ev(vigil.EventIED, 1, []string{"explosion", "blast"}, "exploded", "detonated", "explosives")
	ev(vigil.EventSuicideBomb, 5, []string{"suicide bomber", "suicide attack", "suicide bombing", "suicide car bomb",
		"suicide blast", "suicide attacker", "explosive belt", "suicide vest", "suicide truck bomb"},
		"blew himself up", "blew themselves up", "suicide")
	ev(vigil.EventArmedClash, 1, []string{"clash", "battle", "firefight", "gun battle", "ambush", "offensive", "counteroffensive"},
		"fighting", "fierce fighting", "clashed", "fought", "heavy fighting")
	ev(vigil.EventAttackCivilians, 2, []string{"sniper", "gunman", "shooting"},
		"shot dead", "shot", "gunfire", "opened fire", "sniper fire", "gunshot", "gunshots", "stabbed", "massacre", "massacres", "massacred")
	ev(vigil.EventExecution, 4, []string{"execution", "beheading", "crucifixion"},
		"executed", "beheaded", "execute", "executes", "summarily executed", "crucified", "crucifies", "crucify", "beheads",
		"behead", "shot in the head")
	ev(vigil.EventAbduction, 3, []string{"abduction", "kidnapping"}, "abducted", "kidnapped", "abducts", "kidnaps")
	ev(vigil.EventLandmine, 3, []string{"landmine", "land mine", "mine blast"}, "mines")
	ev(vigil.EventDetentionDeath, 4, []string{"death in detention", "death under torture"}, "under torture", "tortured to death", "died in detention", "in custody")

	// Actors.
	act := func(key string, phrases ...string) { l.add(clsActor, actorIndex(key), 0, phrases...) }
	act("russia", "russian", "russians", "russia", "russian forces", "russian air force", "russian military",
		"russian warplanes", "russian jets", "russian aircraft", "russian troops", "moscow's",
		"russian aerospace forces", "aerospace forces", "russian air strikes", "russian airstrikes", "russian raids")
	act("syrian_government", "regime", "assad regime", "syrian regime", "syrian government", "government forces",
		"government troops", "regime forces", "regime troops", "syrian army", "syrian arab army", "pro-government forces",
		"pro-government", "pro-regime", "loyalist", "loyalists", "assad", "al-assad", "bashar al-assad", "assad's forces",
		"syrian air force", "syrian military", "government", "government's", "army", "forces loyal to", "regime's",
		"syrian troops", "syrian forces", "government warplanes", "government aircraft", "regime aircraft",
		"regime warplanes", "regime helicopters", "regime jets", "regime planes", "regime air force",
		"syrian arab air force", "syrian arab army's", "assad forces", "assad's air force", "government air strikes", "army helicopters", "national defence forces", "national defense forces", "shabiha",
		"government-controlled", "regime-controlled")
	act("coalition", "coalition", "u.s.-led coalition", "us-led coalition", "international coalition", "coalition forces",
		"u.s.", "^us", "american", "americans", "united states", "pentagon", "washington", "u.s.-led", "us-led", "western coalition",
		"anti-is coalition", "anti-isis coalition", "french", "british", "france", "britain")
	act("isis", "islamic state", "isis", "isil", "daesh", "^is", "islamic state group", "the islamic state", "is-held", "is group")
	act("opposition", "rebels", "rebel", "opposition", "free syrian army", "fsa", "jaish al-islam", "ahrar al-sham",
		"faylaq al-sham", "insurgents", "armed groups", "opposition fighters", "armed opposition", "islamist rebels",
		"opposition groups", "jaish al-fateh", "army of conquest", "rebel groups",
		"jaysh al-islam", "nour al-din al-zenki", "zenki")
	act("nusra", "nusra", "al-nusra", "nusra front", "al-nusra front", "jabhat al-nusra", "jabhat fateh al-sham",
		"fateh al-sham", "hayat tahrir al-sham", "hts", "tahrir al-sham", "al-qaeda", "al qaeda", "al-qaida", "al qaida", "qaeda")
	act("sdf", "sdf", "syrian democratic forces", "ypg", "kurdish forces", "kurdish militia", "pyd", "kurdish fighters",
		"people's protection units", "peoples protection units", "asayish", "self-administration", "kurdish-led", "kurds", "kurdish")
	act("turkey", "turkish", "turkey", "turkish army", "turkish forces", "ankara")
	act("israel", "israeli", "israel")
	act("hezbollah", "hezbollah", "hizballah", "hizbollah", "hizbullah")
	act("iran", "iranian", "iran", "revolutionary guards")
	l.add(clsActorAdj, actorIndex("syrian_government"), 0, "syrian")
	l.addN(clsMilitary, 0, 0, "warplane", "jet", "helicopter", "aircraft", "force", "troop", "soldier", "artillery", "tank", "military", "air force", "gunship")

	// People nouns after a number.
	cat := func(c vigil.Category, nouns ...string) {
		for i, x := range categories {
			if x == c {
				l.addN(clsCategory, i, 0, nouns...)
			}
		}
	}
	cat(vigil.CatTotal, "person", "individual", "victim", "casualty", "fatality", "life", "body", "resident of",
		"medic", "paramedic", "doctor", "nurse", "aid worker", "rescuer", "volunteer", "journalist", "student", "patient",
		"teacher", "farmer", "shepherd", "worker", "activist", "relative", "passenger", "worshipper")
	l.add(clsCategory, 0, 0, "syrians")
	l.add(clsCategory, 0, 0, "people", "lives", "persons", "others")
	cat(vigil.CatCivilians, "civilian", "citizen", "resident", "villager", "family member", "displaced", "refugee",
		"member of one family", "member of the same family")
	cat(vigil.CatChildren, "child", "kid", "boy", "girl", "minor", "infant", "baby", "toddler", "teenager", "schoolchild")
	l.add(clsCategory, 2, 0, "children", "schoolchildren", "babies")
	cat(vigil.CatWomen, "woman", "mother")
	l.add(clsCategory, 3, 0, "women")
	cat(vigil.CatMen, "man")
	l.add(clsCategory, 4, 0, "men")
	cat(vigil.CatCombatants, "fighter", "rebel", "soldier", "troop", "militant", "jihadist", "gunman", "militiaman",
		"serviceman", "officer", "insurgent", "combatant", "guard", "policeman", "extremist", "terrorist", "member",
		"recruit", "commander", "pilot", "personnel", "loyalist", "regime loyalist", "jihadi", "security personnel")
	l.add(clsCategory, 5, 0, "gunmen", "militiamen", "servicemen", "policemen", "military personnel")

	// Casualty words.
	l.add(clsKill, 0, 0, "killed", "kill", "kills", "killing", "dead", "died", "die", "dies", "death", "deaths",
		"lost their lives", "claimed the lives of", "slain", "perished", "massacred", "death toll", "toll", "fatalities",
		"martyred", "martyrs", "lives", "bodies", "claiming the lives of", "left dead", "lost their lives",
		"executed", "execute", "executes", "executing", "beheaded", "beheads", "behead")
	l.add(clsInjure, 0, 0, "injured", "injuring", "injure", "injures", "injuries", "wounded", "wounding", "wounds",
		"hurt", "wound", "injury", "suffered injuries", "suffered wounds", "suffered from suffocation", "affected")
	l.add(clsTreated, 0, 0, "treated", "admitted", "hospitalised", "hospitalized", "received treatment", "treated for")

	// Facilities.
	fac := func(t vigil.FacilityType, nouns ...string) {
		for i, x := range facilityTypes {
			if x == t {
				l.addN(clsFacility, i, 0, nouns...)
			}
		}
	}
	fac(vigil.FacilityHealth, "hospital", "clinic", "medical center", "medical centre", "health center", "health centre",
		"field hospital", "medical point", "medical facility", "dispensary", "infirmary")
	fac(vigil.FacilityEducation, "school", "university", "kindergarten", "college")
	fac(vigil.FacilityWorship, "mosque", "church")
	fac(vigil.FacilityMarket, "market", "marketplace", "souk", "bakery", "bread line", "bakeries")
	fac(vigil.FacilityWater, "water station", "water plant", "water pumping station", "water treatment plant", "dam")
	fac(vigil.FacilityResidential, "residential building", "residential area", "residential neighbourhood", "residential neighborhood")
	fac(vigil.FacilityOther, "refugee camp", "camp for displaced", "power station", "civil defence center", "civil defence centre", "bus station", "bus")

	// Organisations that report.
	orgs := []struct {
		name string
		typ  vigil.SourceType
		alts []string
	}{
		{"Syrian Observatory for Human Rights", vigil.SourceNGO, []string{"syrian observatory for human rights", "syrian observatory", "observatory", "sohr", "britain-based observatory", "uk-based observatory"}},
		{"Syrian Network for Human Rights", vigil.SourceNGO, []string{"syrian network for human rights", "snhr"}},
		{"Violations Documentation Center", vigil.SourceNGO, []string{"violations documentation center", "violations documentation centre", "vdc"}},
		{"Syria Civil Defence (White Helmets)", vigil.SourceNGO, []string{"white helmets", "civil defence", "civil defense", "syria civil defence", "syrian civil defence", "syria civil defense", "syrian civil defense"}},
		{"Local Coordination Committees", vigil.SourceNGO, []string{"local coordination committees", "lcc"}},
		{"Médecins Sans Frontières", vigil.SourceMedical, []string{"doctors without borders", "medecins sans frontieres", "msf"}},
		{"Syrian American Medical Society", vigil.SourceMedical, []string{"syrian american medical society", "sams"}},
		{"World Health Organization", vigil.SourceOfficial, []string{"world health organization", "who"}},
		{"United Nations", vigil.SourceOfficial, []string{"united nations", "u.n.", "^un", "unicef", "ocha"}},
		{"SANA (Syrian state news agency)", vigil.SourceMedia, []string{"sana", "state news agency", "syrian arab news agency", "state media", "state television", "state tv", "syrian state tv", "syrian state television", "state-run", "official news agency"}},
		{"Amaq News Agency", vigil.SourceMedia, []string{"amaq", "amaq news agency"}},
		{"Reuters", vigil.SourceMedia, []string{"reuters"}},
		{"Agence France-Presse", vigil.SourceMedia, []string{"afp", "agence france-presse", "agence france presse"}},
		{"Associated Press", vigil.SourceMedia, []string{"associated press", "^ap"}},
		{"Anadolu Agency", vigil.SourceMedia, []string{"anadolu", "anadolu agency"}},
		{"Amnesty International", vigil.SourceNGO, []string{"amnesty international", "amnesty"}},
		{"Human Rights Watch", vigil.SourceNGO, []string{"human rights watch", "hrw"}},
		{"Airwars", vigil.SourceNGO, []string{"airwars"}},
		{"Raqqa is Being Slaughtered Silently", vigil.SourceSocial, []string{"raqqa is being slaughtered silently", "rbss"}},
	}
	for i, o := range orgs {
		l.orgs = append(l.orgs, org{o.name, o.typ})
		l.add(clsOrg, i, 0, o.alts...)
	}
	l.addN(clsRole, int(0), 0, "doctor", "physician", "surgeon", "medic", "nurse", "paramedic")
	l.addN(clsRole, 1, 0, "official", "spokesman", "spokeswoman", "spokesperson", "governor", "minister", "ministry",
		"commander", "officer", "military source", "security source", "government source", "police")
	l.addN(clsRole, 2, 0, "activist", "monitor", "monitoring group", "rescuer", "rescue worker", "media activist", "opposition activist")
	l.addN(clsRole, 3, 0, "resident", "witness", "eyewitness", "local")
	l.addN(clsRole, 4, 0, "source")
	l.add(clsReport, 0, 0, "said", "says", "say", "reported", "reports", "according to", "told", "stated", "announced",
		"confirmed", "estimated", "documented", "claimed", "shows", "showed", "footage", "photo", "shot by", "posted",
		"cited", "citing", "quoted", "added", "accused", "blamed", "statement")
	l.add(clsAnon, 0, 0, "who asked not to be identified", "who asked not to be named", "on condition of anonymity",
		"who declined to be named", "who requested anonymity", "speaking anonymously", "who did not want to be named",
		"who spoke on condition of anonymity", "who asked to remain anonymous", "unnamed", "anonymous", "asked not to be identified")

	// Attribution hedges.
	l.add(clsHedge, hedgeSuspected, 0, "suspected", "believed", "likely", "probably", "reportedly", "allegedly",
		"thought to be", "apparently", "presumably", "alleged")
	l.add(clsHedge, hedgeClaimed, 0, "claimed responsibility", "claimed the attack", "claimed the bombing",
		"claimed credit", "took responsibility", "claimed by", "responsibility for", "claim of responsibility")
	l.add(clsHedge, hedgeDenied, 0, "denied", "denies", "deny", "denying", "rejected", "did not deny", "dismissed")
	l.add(clsHedge, hedgeBlamed, 0, "blamed", "blaming", "accused", "accusing", "blamed on", "pointed their fingers at", "held responsible")
	l.add(clsUnidentified, 0, 0, "unidentified", "unknown", "unidentified aircraft", "unidentified warplanes", "unidentified gunmen", "unknown gunmen", "unknown aircraft", "unidentified jets")

	// Qualifiers.
	q := func(qu vigil.Qualifier, phrases ...string) {
		for i, x := range qualifiers {
			if x == qu {
				l.add(clsQual, i, 0, phrases...)
			}
		}
	}
	q(vigil.QualAtLeast, "at least", "no fewer than", "not less than", "a minimum of", "no less than")
	q(vigil.QualMoreThan, "more than", "over", "upwards of", "in excess of", "above")
	q(vigil.QualAbout, "around", "about", "approximately", "roughly", "some", "nearly", "almost", "an estimated",
		"estimated", "close to", "about a", "approx", "circa")
	q(vigil.QualUpTo, "up to", "as many as", "at most", "a maximum of")

	// Number words.
	for i, w := range []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"} {
		l.add(clsNumWord, i, 0, w)
	}
	for i, w := range []string{"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"} {
		l.add(clsNumWord, (i+2)*10, 0, w)
	}
	l.add(clsNumWord, 100, 1, "hundred")
	l.add(clsNumWord, 1000, 1, "thousand")
	l.add(clsNumWord, 1000000, 1, "million")
	l.add(clsNumWord, 12, 0, "a dozen", "dozen")
	l.add(clsNumWord, 2, 0, "a couple of", "a pair of", "both")
	l.add(clsNumWord, 24, 2, "dozens", "dozens of", "several dozen")
	l.add(clsNumWord, 40, 2, "scores", "scores of")
	l.add(clsNumWord, 200, 2, "hundreds", "hundreds of", "several hundred")
	l.add(clsNumWord, 2000, 2, "thousands", "thousands of", "several thousand")
	l.add(clsNumWord, 1, 3, "a", "an", "another")

	// Dates.
	for i, m := range []string{"january", "february", "march", "april", "may", "june", "july", "august", "september",
		"october", "november", "december"} {
		l.add(clsMonth, i+1, 0, m)
		if len(m) > 3 {
			l.add(clsMonth, i+1, 1, m[:3], m[:3]+".")
		}
	}
	l.add(clsMonth, 9, 1, "sept", "sept.")
	for i, d := range []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"} {
		l.add(clsWeekday, i, 0, d)
		l.add(clsWeekday, i, 0, d[:3])
	}
	l.add(clsRelDay, 0, 0, "today", "this morning", "earlier today")
	l.add(clsRelDay, 0, 3, "this evening", "tonight")
	l.add(clsRelDay, 1, 0, "yesterday")
	l.add(clsRelDay, 1, 4, "last night", "overnight")
	l.add(clsRelDay, 1, 1, "yesterday morning")
	l.add(clsRelDay, 1, 3, "yesterday evening")
	l.add(clsRelDay, 1, 2, "yesterday afternoon")
	for i, p := range partsOfDay {
		if p != "" {
			l.add(clsPartOfDay, i, 0, p)
		}
	}
	l.add(clsPartOfDay, 4, 0, "overnight", "late night", "midnight")
	l.add(clsPartOfDay, 5, 0, "daybreak", "dawn", "first light")
	l.add(clsRelPeriod, relThisMonth, 0, "earlier this month", "this month")
	l.add(clsRelPeriod, relThisWeek, 0, "earlier this week", "this week")
	l.add(clsRelPeriod, relLastWeek, 0, "last week")
	l.add(clsRelPeriod, relLastMonth, 0, "last month")
	l.add(clsRelPeriod, relThisYear, 0, "this year", "earlier this year")
	l.add(clsRelPeriod, relLastYear, 0, "last year")

	// Markers that make a figure a context figure.
	l.add(clsBackground, 0, 0, "civil war", "since the conflict", "since the war", "since the start", "since the beginning",
		"since the uprising", "since the revolt", "in recent weeks", "in recent months", "in recent days", "for years",
		"so far this year", "in the past", "throughout the war", "during the war", "estimated to have been killed",
		"war-long", "since march 2011", "since 2011", "since it began", "since it started", "every day", "each day",
		"per day", "daily", "since the conflict began", "in the conflict", "since it declared", "since september",
		"since last", "in total since", "conflict began", "war began", "since the", "repeatedly", "itself been",
		// A toll counted from a month or an earlier event on is cumulative:
		// "since late September", "since a ceasefire collapsed".
		"since late", "since early", "since mid", "since a", "since an", "since its", "since january", "since february",
		"since march", "since april", "since may", "since june", "since july", "since august", "since october",
		"since november", "since december", "since being", "since arriving",
		// The war's origin, told in wire copy's closing lines: "It
		// morphed into a conflict after the regime unleashed a brutal
		// crackdown on dissent."
		"crackdown on", "morphed into", "pro-democracy",
		// A month's or a year's toll: "more than 3000 people including
		// nearly 1000 civilians have been killed during the past month".
		"during the past month", "during the past year", "over the past month", "over the past year",
		"during the last month", "over the last month", "in the last month", "in the last year",
		// Habits: "rebels regularly fire rockets into the capital".
		"regularly", "routinely", "frequently", "every now and then", "from time to time", "time and again")
	l.add(clsFuture, 0, 0, "tomorrow", "will", "would be", "is expected to", "are expected to", "could rise", "likely to rise",
		"expected to rise", "in the coming days", "no doubt", "may rise", "might rise", "could reach", "may reach",
		"might reach", "could climb", "may climb", "likely to climb", "expected to climb", "set to rise", "feared to rise")
	l.add(clsOther, 0, 0, "earlier this week", "last week", "last month", "the previous day", "a day earlier",
		"days earlier", "a week earlier", "another attack", "a separate attack", "separately", "in a separate", "elsewhere",
		"previous", "earlier attack", "the day before", "a day before", "last year", "earlier this year", "had been killed",
		"had killed", "had executed", "in another", "a similar attack", "in a similar", "also killed in", "meanwhile")
	l.add(clsAux, 0, 0, "was", "were", "have been", "has been", "had been", "are", "is", "been", "being", "have", "has",
		"had", "reportedly", "also", "all", "later", "were all", "apparently", "in total", "so far", "now", "mostly",
		"initially", "confirmed", "were reported", "was reported", "are reported", "reported", "were left", "left")
	l.add(clsModifier, 0, 0, "other", "more", "young", "elderly", "old", "innocent", "local", "unarmed", "of", "the",
		"of them", "of whom", "further", "additional", "people including", "syrian", "civilian", "little", "small",
		"adult", "teenage", "male", "female", "pro-government", "government", "regime", "opposition", "rebel", "kurdish",
		"wounded", "foreign", "unarmed", "army", "displaced", "jihadist", "islamist", "armed", "police", "security",
		"terror", "group", "moderate", "hardline", "radical", "extremist")
	l.add(clsAgent, 0, 0, "by", "carried out by", "conducted by", "launched by", "fired by", "dropped by", "blamed on",
		"attributed to", "belonging to", "from")
	l.add(clsStrikeVerb, 0, 0, "bombed", "hit", "hits", "targeted", "targeting", "targets", "struck", "strikes", "pounded",
		"shelled", "launched", "carried out", "fired", "dropped", "killed", "kills", "killing", "attacked", "raided",
		"bombarded", "shot", "executed", "conducted", "unleashed", "committed", "perpetrated", "execute", "executes",
		"beheaded", "massacred", "shells", "shelling", "bombing", "bombs", "set off", "detonated", "planted", "blew up",
		"ambushed", "stormed", "overran", "assaulted", "gassed", "destroyed", "destroys", "eliminated", "eliminates",
		"eliminate", "foiled", "foils", "repelled", "repels", "repulsed", "thwarted",
		// Headlines' present tense: "Assad's forces bombard Damascus suburbs".
		"bombard", "bombards", "pound", "pounds", "shell", "target", "kill", "attack", "attacks", "raid", "raids",
		"crucified", "crucifies", "crucify", "beheads", "behead",
		"launch", "launches", "fire", "fires", "drop", "drops", "storm", "storms", "ambush", "ambushes", "bombarding", "pounding")
	l.addN(clsPlaceNoun, 0, 0, "neighbourhood", "neighborhood", "district", "town", "village", "city", "province",
		"governorate", "countryside", "suburb", "area", "quarter", "region", "camp", "outskirts")
	l.add(clsAge, 0, 0, "year-old", "year old", "years old", "yr-old", "-year-old")
	l.add(clsSexMale, 0, 0, "boy", "man", "he", "his", "him", "son", "father", "brother", "husband", "young man")
	l.add(clsSexFemale, 0, 0, "girl", "woman", "she", "her", "daughter", "mother", "sister", "wife", "young woman")
	l.add(clsAgainst, 0, 0, "against", "on", "targeting", "targeted", "held", "controlled", "positions of", "-held", "-controlled", "to oust", "to drive out")
	addArabic(l)
	l.finish()
	return l
}

// numberWord returns the numeric value of a single number word token, -1
// otherwise.
func numberWord(norm string) int {
	for _, e := range lex.byFirst[norm] {
		if e.cls == clsNumWord && len(e.words) == 1 && e.weight == 0 {
			return e.val
		}
	}
	return -1
}
