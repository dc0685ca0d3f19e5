package extract

import (
	"math"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// placeIndex is what the extractor needs of a gazetteer.
type placeIndex interface {
	Lookup(key string) []*vigil.Place
	MaxWords() int
}

// placeMention is a run of tokens that names places in the gazetteer.
type placeMention struct {
	from, to int
	cands    []*vigil.Place
	chosen   *vigil.Place
	cue      bool // after "in", "near", "of", ... or before "neighbourhood", "town", ...
	govWord  bool // "province", "governorate", "countryside" next to it
	deaths   bool // right after a count of the dead: "kill 4 in Idlib"
	origin   bool // "from X", "evacuees from the towns of X": where people came from, not where the event was
	sent     int
}

// orgHeads end capitalised names of reporting bodies ("Aleppo Media Center").
var orgHeads = map[string]vigil.SourceType{
	"media center": vigil.SourceMedia, "media centre": vigil.SourceMedia, "media office": vigil.SourceMedia,
	"news agency": vigil.SourceMedia, "news network": vigil.SourceMedia, "media network": vigil.SourceMedia,
	"observatory": vigil.SourceNGO, "network": vigil.SourceNGO, "council": vigil.SourceOfficial,
	"local council": vigil.SourceOfficial, "city council": vigil.SourceOfficial, "health directorate": vigil.SourceMedical,
	"directorate": vigil.SourceOfficial, "coordination committee": vigil.SourceNGO, "coordination committees": vigil.SourceNGO,
	"civil defence": vigil.SourceNGO, "civil defense": vigil.SourceNGO, "documentation center": vigil.SourceNGO,
	"documentation centre": vigil.SourceNGO, "media union": vigil.SourceMedia, "media centre's": vigil.SourceMedia,
	"hospital": vigil.SourceMedical, "governor": vigil.SourceOfficial, "health ministry": vigil.SourceOfficial,
	"ministry": vigil.SourceOfficial,
}

var headLast = func() map[string]bool {
	m := map[string]bool{}
	for h := range orgHeads {
		w := h
		if i := strings.LastIndexByte(h, ' '); i >= 0 {
			w = h[i+1:]
		}
		m[w] = true
	}
	return m
}()

// findOrgs marks known organisations and capitalised names of reporting
// bodies, so that "Aleppo Media Center" is not read as the place Aleppo.
func (d *doc) findOrgs() {
	n := len(d.toks)
	for i := 0; i < n; i++ {
		if e, end := d.find(i, clsOrg); e != nil {
			// "who" is an org only in capitals (WHO).
			if e.canon == "who" && !d.toks[i].is(flagAllCaps) {
				continue
			}
			if e.canon == "observatory" && !d.toks[i].is(flagCap) {
				continue
			}
			d.orgs = append(d.orgs, orgMention{from: i, to: end, known: e.val, sent: int(d.sentOf[i])})
			for k := i; k < end; k++ {
				d.covered[k] |= covOrg
			}
			i = end - 1
			continue
		}
		t := &d.toks[i]
		if !t.is(flagCap) || t.kind != tokWord {
			continue
		}
		// A run of capitalised words ending with an organisation head.
		k := i
		for k < n && k < i+7 && (d.toks[k].is(flagCap) || (k > i && d.isWord(k, "al", "el", "of", "for"))) && d.toks[k].kind == tokWord {
			k++
			if k-i >= 2 {
				if !headLast[d.toks[k-1].norm] {
					continue
				}
				for hl := 1; hl <= 2 && hl < k-i; hl++ {
					if typ, ok := orgHeads[d.tokensBetween(k-hl, k)]; ok && d.toks[k-hl].is(flagCap) {
						if typ == vigil.SourceMedical && d.tokensBetween(k-hl, k) == "hospital" {
							continue // "Latamneh Hospital" is a facility, not a reporting body
						}
						if d.tokensBetween(k-hl, k) == "governor" {
							continue
						}
						// Extend over a second head word ("Media Center").
						m := orgMention{from: i, to: k, known: -1, typ: typ, sent: int(d.sentOf[i])}
						if k < n {
							if typ2, ok := orgHeads[d.tokensBetween(k-hl, k+1)]; ok {
								m.to, m.typ = k+1, typ2
							}
						}
						d.orgs = append(d.orgs, m)
						for x := m.from; x < m.to; x++ {
							d.covered[x] |= covOrg
						}
						i = m.to - 1
						goto next
					}
				}
			}
		}
	next:
	}
	// Actor phrases are not places either ("Free Syrian Army", "Jaish al-Islam").
	for i := 0; i < n; i++ {
		if e, end := d.find(i, clsActor); e != nil && end-i > 1 {
			for k := i; k < end; k++ {
				d.covered[k] |= covActor
			}
		}
	}
}

// findPlaces looks up runs of capitalised (or Arabic) tokens in the
// gazetteer, longest first.
func (d *doc) findPlaces(g placeIndex, key func(string) string, prefixes map[string]bool) {
	if g == nil {
		return
	}
	maxW := g.MaxWords()
	if maxW < 1 {
		maxW = 1
	}
	if maxW > 6 {
		maxW = 6
	}
	n := len(d.toks)
	titleCase := d.titleCaseSentences()
	for i := 0; i < n; i++ {
		t := &d.toks[i]
		if t.kind != tokWord || d.covered[i] != 0 {
			continue
		}
		// "the Syrian capital", "Syria's capital": Damascus.
		if t.norm == "capital" && (d.isWord(i-1, "syrian") || (d.isWord(i-1, "syria") && d.toks[i-1].is(flagPossess))) &&
			!d.isWord(i-2, "facto", "self-declared", "self-styled", "de") && !d.isWord(i-3, "facto", "self-declared", "self-styled") {
			if cands := g.Lookup(key("Damascus")); len(cands) > 0 {
				d.places = append(d.places, placeMention{from: i - 1, to: i + 1, cands: cands, sent: int(d.sentOf[i]), cue: true})
			}
			continue
		}
		if !t.is(flagCap) && !t.is(flagArabic) {
			continue
		}
		arabic := t.is(flagArabic)
		if prefixes != nil {
			first := t.norm
			if (first == "al" || first == "el") && i+1 < n {
				first = d.toks[i+1].norm
			}
			if arabic {
				// The article and attached prepositions: "القاطرجي",
				// "بالقاطرجي", "وحلب".
				if !prefixes[firstWordMark+prefix4(arNoArticle(first))] && !prefixes[firstWordMark+prefix4(arCore(first))] && !prefixes[firstWordMark+prefix4(arStrip1(first))] {
					continue
				}
			} else if !prefixes[prefix3(first)] {
				continue
			}
		}
		if d.has(i, clsMonth) || d.has(i, clsWeekday) {
			continue
		}
		// An ordinary Arabic word that is also the name of a
		// neighbourhood (جنوبي "southern", عسكري "military", قصف) is the
		// word, not the place, unless a place noun or the article's
		// governorate cue stands before it (حي العسكري).
		arWord := arabic && (d.arIn(i, arNotPlace) || d.has(i, clsEvent) || d.has(i, clsKill) || d.has(i, clsInjure) || d.has(i, clsCategory)) &&
			!d.has(i-1, clsPlaceNoun) ||
			// A point of the compass (الشمالي in "الريف الشمالي") is never
			// a place alone, though OCHA names neighbourhoods so.
			arabic && d.arIn(i, arDirection)
		found := false
		for w := min(maxW, n-i); w >= 1; w-- {
			last := &d.toks[i+w-1]
			if last.kind != tokWord || d.sentOf[i+w-1] != d.sentOf[i] {
				continue
			}
			ok := true
			for k := i + 1; k < i+w; k++ {
				if d.covered[k] != 0 || d.toks[k].kind != tokWord {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			if w == 1 && arWord {
				continue
			}
			// A name that ends in a point of the compass before another
			// place is a shorter name and a direction: "الباب شرقي حلب" is
			// al-Bab east of Aleppo, not Damascus's Bab Sharqi.
			if w > 1 && arabic && d.arIn(i+w-1, arDirection) && i+w < n && d.sentOf[i+w] == d.sentOf[i] &&
				d.toks[i+w].is(flagArabic) && len(g.Lookup(key(d.spanText(i+w, i+w+1)))) > 0 {
				continue
			}
			if w > 1 && prefixes != nil && last.is(flagArabic) && !prefixes[lastWordMark+prefix4(arNoArticle(last.norm))] {
				continue
			}
			s := d.text[t.start:last.end]
			looked, lookedKey := s, key(s)
			cands := g.Lookup(lookedKey)
			stripped := false
			if len(cands) == 0 && arabic {
				// Attached prepositions and conjunctions (بـ لـ وـ فـ كـ) are
				// stripped only when the remainder is a known name.
				offs, no := arProclitics(d.text, int(t.start), int(t.end))
				for _, off := range offs[:no] {
					// فـ and كـ are not stripped: فاطمة is a name, not
					// "so Atmeh".
					if pre := d.text[int(t.start) : int(t.start)+off]; strings.Contains(pre, arFa) || strings.Contains(pre, arKaf) {
						continue
					}
					k := key(d.text[int(t.start)+off : last.end])
					if cands = g.Lookup(k); len(cands) > 0 {
						stripped, looked, lookedKey = true, d.text[int(t.start)+off:last.end], k
						break
					}
				}
			}
			if len(cands) > 0 && w == 1 && arabic && arArticleMissing(looked, lookedKey, cands) {
				continue
			}
			if len(cands) == 0 && w == 1 && len(s) > 4 && s[len(s)-1] == 's' && t.is(flagCap) && !t.is(flagAllCaps) && d.possessed(i+1) {
				// "Aleppos" (a possessive whose apostrophe was lost).
				cands = g.Lookup(key(s[:len(s)-1]))
			}
			if len(cands) == 0 && w == 1 && t.is(flagCap) && !t.is(flagAllCaps) {
				// A place glued to a point of the compass when a space
				// was lost: "near Kobaninorth Syria".
				for _, dir := range [...]string{"north", "south", "east", "west"} {
					if len(s) >= len(dir)+4 && strings.HasSuffix(s, dir) {
						cands = g.Lookup(key(s[:len(s)-len(dir)]))
						break
					}
				}
			}
			if len(cands) == 0 {
				continue
			}
			if w == 1 && (t.norm == "syrian" || t.norm == "syrians") {
				continue
			}
			// A one-word place followed by an unknown capitalised word is
			// more likely a person's name ("Rami Abdel Rahman").
			if w == 1 && i+1 < n && d.sentOf[i+1] == d.sentOf[i] && d.toks[i+1].is(flagCap) && d.toks[i+1].kind == tokWord &&
				!d.toks[i+1].is(flagAllCaps) && d.hitStart[i+1] == d.hitStart[i+2] && len(g.Lookup(key(d.spanText(i+1, i+2)))) == 0 &&
				// In a headline written in title case every word is
				// capitalised: "Terrorists Shell Syrias Aleppo Al-Baath".
				!titleCase[d.sentOf[i]] {
				continue
			}
			// A surname after a given name: "Sheikh Rafaa Aakla al-Raju" (the
			// word before "al-" is capitalised, and no place and no known word).
			if w == 1 && !titleCase[d.sentOf[i]] && d.surname(g, key, i) {
				continue
			}
			// Inside a longer name of a building: "al-Khulafaa al-Rashideen
			// Mosque" is a mosque, not the town of Rashidin.
			if i+w < n && d.toks[i+w].is(flagCap) && d.isWord(i+w, "mosque", "church", "school", "university", "stadium", "street", "square", "hospital") &&
				d.capitalisedNameBefore(i) {
				i += w - 1
				found = true
				break
			}
			// The capital for its government: "pro-Damascus media",
			// "Damascus's ally Russia", "Damascus-backed forces".
			if w == 1 && t.norm == "damascus" && (d.isWord(i-1, "pro") || d.isWord(i+1, "ally", "allies", "backed", "government", "regime", "authorities", "loyalists") ||
				// "Damascus denied", "Damascus and Moscow": the government speaking or acting.
				d.isWord(i+1, "said", "says", "denied", "denies", "accused", "accuses", "blamed", "blames", "claims", "claimed", "insists", "insisted", "rejected", "rejects") ||
				d.isWord(i+1, "and") && d.isWord(i+2, "moscow", "tehran") || d.isWord(i-1, "and") && d.isWord(i-2, "moscow", "tehran") ||
				(t.is(flagPossess) && d.isWord(i+1, "ally", "allies", "forces", "troops", "army", "government", "regime", "military",
					"promise", "promises", "pledge", "pledges", "offer", "decision", "announcement", "position", "policy", "approval",
					"consent", "request", "refusal", "response", "demand", "demands", "envoy", "delegation", "negotiators", "backers"))) {
				i += w - 1
				found = true
				break
			}
			m := placeMention{from: i, to: i + w, cands: cands, sent: int(d.sentOf[i])}
			if d.isWord(i-1, "from", "leaving", "fleeing", "fled", "left") ||
				(d.isWord(i-1, "of") && d.isWord(i-2, "residents", "natives", "evacuees", "villagers", "inhabitants", "people")) || (d.isWord(i-1, "of") && d.has(i-2, clsPlaceNoun) && d.isWord(i-3, "the") && d.isWord(i-4, "from")) ||
				(d.isWord(i-1, "of") && d.has(i-2, clsPlaceNoun) && d.isWord(i-3, "northern", "southern", "eastern", "western", "two", "besieged") && d.isWord(i-5, "from")) ||
				d.fromPlaceNoun(i) {
				m.origin = true
			}
			// Where people were heading ("travelling towards the rebel
			// bastion of Azaz") is not where the event was either.
			for k := i - 1; k >= 0 && k >= i-5; k-- {
				if d.isWord(k, "towards", "toward") || d.isWord(k, "for") && d.isWord(k-1, "bound") {
					m.origin = true
					break
				}
				// A group's name may stand in the phrase: "towards the
				// Daesh terror group's Raqqa stronghold".
				if d.toks[k].kind == tokPunct || d.toks[k].is(flagCap) && k < i-1 && !d.has(k, clsActor) {
					break
				}
			}
			// "from X in Y province": Y places X, and is no more the event's.
			if pm := len(d.places) - 1; pm >= 0 && d.places[pm].origin && d.places[pm].to == i-1 && d.isWord(i-1, "in") {
				m.origin = true
			}
			if p := i - 1; p >= 0 && d.isWord(p, "in", "near", "of", "at", "on", "outside", "around", "into", "targeted", "hit", "struck", "the", "eastern", "western", "northern", "southern", "rural", "besieged", "east", "west", "north", "south", "central", "held", "controlled") {
				m.cue = true
			}
			if d.has(i+w, clsPlaceNoun) && !arabic {
				m.cue = true
			}
			if arabic && (stripped || d.has(i-1, clsPlaceNoun) || d.arIn(i-1, arPlaceCue)) {
				m.cue = true
			}
			// "قرية كفرلاتا جنوبي إدلب": the town south of which the
			// event was is not where it was.
			if arabic && d.arIn(i-1, arDirection) {
				m.cue = false
			}
			if arabic && d.arIn(i-1, arGovCue) {
				m.govWord = true
			}
			if d.isWord(i+w, "province", "governorate", "countryside") || d.isWord(i-1, "rural") || (d.isWord(i-2, "province", "governorate", "countryside") && d.isWord(i-1, "of")) {
				m.govWord = true
			}
			d.places = append(d.places, m)
			i += w - 1
			found = true
			break
		}
		_ = found
	}
	// Disambiguate each mention: prefer the governorate entry when the text
	// says "province"; among same-named places prefer one whose ancestors are
	// mentioned elsewhere in the text.
	var surveyed map[*vigil.Place]*vigil.Place
	for mi := range d.places {
		m := &d.places[mi]
		best, bestScore := m.cands[0], -1
		for ci, c := range m.cands {
			score := 0
			if m.govWord && (c.Precision == vigil.PlaceGovernorate || c.Precision == vigil.PlaceDistrict) {
				score += 10
			}
			for oj := range d.places {
				if oj == mi {
					continue
				}
				for _, oc := range d.places[oj].cands {
					if oc != c && within(c, oc) {
						score += 2
						break
					}
				}
			}
			if ci == 0 {
				score++ // the gazetteer's own order: most specific, built-in first
			}
			if score > bestScore {
				best, bestScore = c, score
			}
		}
		m.chosen = best
		// vigil's built-in points are approximate (some towns by 10 km);
		// an imported GeoNames point for the same town, near it, is
		// surveyed: the built-in place keeps its hierarchy and takes that
		// point.
		if strings.HasPrefix(best.ID, "sy:") && best.Precision == vigil.PlaceTown && best.HasPoint() {
			for _, c := range m.cands {
				if strings.HasPrefix(c.ID, "geonames:") && c.Precision == vigil.PlaceTown && c.HasPoint() &&
					kmApart(*c.Lat, *c.Lon, *best.Lat, *best.Lon) <= 15 {
					// One copy per town, so that its mentions stay one place.
					p, ok := surveyed[best]
					if !ok {
						cp := *best
						cp.Lat, cp.Lon = c.Lat, c.Lon
						p = &cp
						if surveyed == nil {
							surveyed = map[*vigil.Place]*vigil.Place{}
						}
						surveyed[best] = p
					}
					m.chosen = p
					break
				}
			}
		}
	}
	// "the al-Zahraa neighbourhood in Homs city": a place whose container
	// the text states lies in that container. A same-named place elsewhere
	// gives way to one there; when the gazetteer knows none there, the
	// mention is not taken (the container, named beside it, places the
	// event).
	var dropIn []bool
	for mi := range d.places {
		m := &d.places[mi]
		if d.toks[m.from].is(flagArabic) || mi+1 >= len(d.places) {
			continue
		}
		o := &d.places[mi+1]
		// A governorate is no other governorate's part: "Idlib province,
		// Aleppo and Hama" is a list.
		if o.sent != m.sent || o.from-m.to > 6 || !d.containerGap(m.to, o.from) || o.chosen.Precision == vigil.PlaceCountry ||
			!otherGovernorate(m.chosen, o.chosen) || m.chosen.Precision == vigil.PlaceGovernorate || namesGovernorate(m) {
			continue
		}
		found := false
		for _, c := range m.cands {
			if within(c, o.chosen) {
				m.chosen, found = c, true
				break
			}
		}
		if !found {
			if dropIn == nil {
				dropIn = make([]bool, len(d.places))
			}
			dropIn[mi] = true
		}
	}
	if dropIn != nil {
		kept := d.places[:0]
		for mi := range d.places {
			if !dropIn[mi] {
				kept = append(kept, d.places[mi])
			}
		}
		d.places = kept
	}
	// An Arabic name that is only a city's neighbourhood (المحافظة،
	// الفرات، الثورة: OCHA's neighbourhoods are often ordinary words) is
	// that neighbourhood only when a place noun stands before it (حي
	// الثورة) or the text names its city; otherwise a same-named town is
	// taken, or no place. vigil's own gazetteer (ids "sy:...") lists only
	// neighbourhoods known by distinctive names (القاطرجي): they stand
	// alone.
	drop := make([]bool, len(d.places))
	for mi := range d.places {
		m := &d.places[mi]
		if m.chosen.Precision != vigil.PlaceNeighbourhood || !d.toks[m.from].is(flagArabic) || strings.HasPrefix(m.chosen.ID, "sy:") {
			continue
		}
		city, otherTown := false, false
		for oj := range d.places {
			oc := d.places[oj].chosen
			if oj == mi || oc.Precision == vigil.PlaceNeighbourhood || oc.Precision == vigil.PlaceCountry {
				continue
			}
			if within(m.chosen, oc) {
				city = true
				break
			}
			if oc.Precision == vigil.PlaceTown {
				otherTown = true
			}
		}
		if city {
			continue
		}
		if d.has(m.from-1, clsPlaceNoun) {
			// After a place noun (حي الأربعين) it is a neighbourhood; but
			// when the text names another city and not this one's, it is
			// a neighbourhood of that city the gazetteer does not know
			// (حي الأربعين ... لمدينة حماة is not Daraa's): a same-named
			// one in a city the text names, else no place (the city,
			// named beside it, places the event).
			if !otherTown {
				continue
			}
			drop[mi] = true
			for _, c := range m.cands {
				for oj := range d.places {
					if oc := d.places[oj].chosen; oj != mi && oc.Precision == vigil.PlaceTown && within(c, oc) {
						m.chosen, drop[mi] = c, false
						break
					}
				}
				if !drop[mi] {
					break
				}
			}
			continue
		}
		drop[mi] = true
		for _, c := range m.cands {
			if c.Precision != vigil.PlaceNeighbourhood {
				m.chosen, drop[mi] = c, false
				break
			}
		}
	}
	kept := d.places[:0]
	for mi := range d.places {
		if !drop[mi] {
			kept = append(kept, d.places[mi])
		}
	}
	d.places = kept
}

// containerGap reports whether the tokens [a, b) between two place names
// say that the second contains the first: "X neighbourhood in Y", "X in the
// city of Y", "X of Y", "X, Y".
func (d *doc) containerGap(a, b int) bool {
	in := false
	for k := a; k < b; k++ {
		switch {
		case d.isWord(k, "in", "of") || d.isPunct(k, ","):
			in = true
		case d.has(k, clsPlaceNoun) || d.isWord(k, "the", "city", "northern", "southern", "eastern", "western", "central"):
		default:
			return false
		}
	}
	return in
}

// within reports whether place a lies inside place b (or is b).
func within(a, b *vigil.Place) bool {
	if a == nil || b == nil {
		return false
	}
	if a == b || (a.PCode != "" && a.PCode == b.PCode) {
		return true
	}
	if b.Precision == vigil.PlaceCountry {
		return true
	}
	for _, u := range a.Admin {
		if b.PCode != "" && u.PCode == b.PCode {
			return true
		}
		if b.PCode == "" && u.Name != "" && u.Name == b.Name && u.Level == adminLevel(b.Precision) {
			return true
		}
	}
	return false
}

func adminLevel(p vigil.PlacePrecision) int {
	switch p {
	case vigil.PlaceCountry:
		return 0
	case vigil.PlaceGovernorate:
		return 1
	case vigil.PlaceDistrict:
		return 2
	}
	return 4
}

// governorate returns the p-code (or name) of the place's governorate.
func governorate(p *vigil.Place) string {
	if p == nil {
		return ""
	}
	if p.Precision == vigil.PlaceGovernorate {
		if p.PCode != "" {
			return p.PCode
		}
		return p.Name
	}
	if g := p.Governorate(); g != nil {
		if g.PCode != "" {
			return g.PCode
		}
		return g.Name
	}
	return ""
}

// compatible reports whether two places can be where one event happened.
func compatible(a, b *vigil.Place) bool {
	if a == nil || b == nil {
		return true
	}
	if within(a, b) || within(b, a) {
		return true
	}
	ga, gb := governorate(a), governorate(b)
	if ga != "" && gb != "" && ga != gb {
		return false
	}
	fine := func(p *vigil.Place) bool { return p.Precision.FinerThan(vigil.PlaceDistrict) }
	// Two different towns (or finer) are different places.
	if fine(a) && fine(b) {
		return false
	}
	return true
}

// prefix3 is the first three bytes of a word: the gazetteer's names are
// indexed by it so that most capitalised words need no key lookup.
func prefix3(w string) string {
	if len(w) > 3 {
		return w[:3]
	}
	return w
}

// namePrefixes returns prefix3 of the first word of the key of every name
// in the gazetteer.
func namePrefixes(g interface{ Places() []*vigil.Place }, key func(string) string) map[string]bool {
	m := map[string]bool{}
	for _, p := range g.Places() {
		names := append([]string{p.Name, p.NameAR}, p.Variants...)
		for _, nm := range names {
			k := key(nm)
			if k == "" {
				continue
			}
			w, _, _ := strings.Cut(k, " ")
			m[prefix3(w)] = true
			m[firstWordMark+prefix4(arNoArticle(w))] = true
			if i := strings.LastIndexByte(k, ' '); i > 0 {
				m[lastWordMark+prefix4(arNoArticle(k[i+1:]))] = true
			}
		}
	}
	return m
}

// lastWordMark marks the entries of the name-prefix set that hold the
// start (two Arabic letters) of the last word of a name of several words:
// an Arabic run of words is looked up only when its last word can end a
// name (most Arabic words pass the first-word filter, and each lookup
// builds a key).
const lastWordMark = "\x00"

// firstWordMark marks the start (two Arabic letters) of a name's first
// word: Arabic words are filtered on two letters, not on prefix3's three
// bytes (one and a half letters).
const firstWordMark = "\x01"

func prefix4(w string) string {
	if len(w) > 4 {
		return w[:4]
	}
	return w
}

// capitalisedNameBefore reports whether the token before i (skipping an
// article "al-") is a capitalised word of the same sentence that is not
// its first word.
func (d *doc) capitalisedNameBefore(i int) bool {
	k := i - 1
	if d.isWord(k, "al", "el") {
		k--
	}
	if k < 0 || d.sentOf[k] != d.sentOf[i] || d.sents[d.sentOf[k]].from == k {
		return false
	}
	return d.toks[k].kind == tokWord && d.toks[k].is(flagCap)
}

// kmApart is the great-circle distance between two points.
func kmApart(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := (lat2-lat1)*math.Pi/180, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// titleCaseSentences marks the sentences of four or more Latin words in
// which every word of four letters or more is capitalised: headlines in
// title case.
func (d *doc) titleCaseSentences() []bool {
	out := make([]bool, len(d.sents))
	for si, s := range d.sents {
		long, caps := 0, 0
		for k := s.from; k < s.to; k++ {
			t := &d.toks[k]
			if t.kind != tokWord || t.is(flagArabic) || t.end-t.start < 4 {
				continue
			}
			long++
			if t.is(flagCap) {
				caps++
			}
		}
		out[si] = long >= 4 && caps == long
	}
	return out
}

// fromPlaceNoun reports whether the place at token i ends "from the
// <words> town of": "residents from the regime-besieged town of X", "from
// the rebel-held village of X" (up to three words, no punctuation or
// capitalised word, between "the" and the place noun).
func (d *doc) fromPlaceNoun(i int) bool {
	if !d.isWord(i-1, "of") || !d.has(i-2, clsPlaceNoun) {
		return false
	}
	for j := i - 3; j >= 0 && j >= i-6; j-- {
		if d.isWord(j, "the") {
			return d.isWord(j-1, "from")
		}
		if d.toks[j].kind != tokWord || d.toks[j].is(flagCap) {
			return false
		}
	}
	return false
}

// possessed reports whether token j can be what a possessive before it
// owns ("Aleppos countryside", "Syrias Idlib"): a word that is no number,
// function word or adverb. "the border town of Kilis just across the
// frontier" and "hit Kilis one police officer killed" name no possessive.
func (d *doc) possessed(j int) bool {
	if j >= len(d.toks) || d.toks[j].kind != tokWord || d.sentOf[j] != d.sentOf[j-1] {
		return false
	}
	return !tagStops[d.toks[j].norm] && !d.has(j, clsNumWord) && !d.isWord(j, "just", "only", "also", "itself", "where", "while", "but", "or", "on", "near")
}

// surname reports whether the one-word name at token i ("al-Raju", or
// "Raju" after "al-") follows a capitalised word inside a sentence that is
// no place and no word of the lexicon: a person's family name.
func (d *doc) surname(g placeIndex, key func(string) string, i int) bool {
	a := i // the article
	if !d.isWord(a, "al", "el") {
		if !d.toks[i].is(flagJoined) || !d.isWord(i-1, "al", "el") {
			return false
		}
		a = i - 1
	}
	b := a - 1
	if b < 0 || d.toks[a].is(flagJoined) || d.sentOf[b] != d.sentOf[i] || int32(b) == int32(d.sents[d.sentOf[b]].from) {
		return false
	}
	t := &d.toks[b]
	return t.kind == tokWord && t.is(flagCap) && !t.is(flagAllCaps) && !t.is(flagArabic) && d.hitStart[b] == d.hitStart[b+1] &&
		d.covered[b] == 0 && !placeGenerics[t.norm] && len(g.Lookup(key(d.spanText(b, b+1)))) == 0
}

// placeGenerics begin Arabic place names ("Jabal al-Zawiya", "Tal
// al-Karamah", "Kafr al-Hamra"): a name after them is part of a place the
// gazetteer may not know, not a family name.
var placeGenerics = map[string]bool{
	"jabal": true, "jebel": true, "jabel": true, "tal": true, "tell": true, "tel": true, "tall": true, "ras": true,
	"ain": true, "ayn": true, "deir": true, "dayr": true, "kafr": true, "kfar": true, "khan": true, "bab": true,
	"jisr": true, "wadi": true, "sahl": true, "maarat": true, "maaret": true, "bir": true, "qasr": true,
	"beit": true, "bayt": true, "hayy": true, "hay": true, "souq": true, "suq": true, "arab": true,
	"marj": true, "qalaat": true, "qalat": true, "mazraat": true, "mukhayyam": true, "harat": true,
}

// namesGovernorate reports whether a place mention's name is also a
// governorate's ("Aleppo", "Hama"): such a city lies in no other
// governorate, so "in Aleppo, Hama and Homs" is a list.
func namesGovernorate(m *placeMention) bool {
	for _, c := range m.cands {
		if c.Precision == vigil.PlaceGovernorate {
			return true
		}
	}
	return false
}
