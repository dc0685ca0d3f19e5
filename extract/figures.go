package extract

import (
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// figMention is a count of people with what happened to them.
type figMention struct {
	from, to int // number through noun phrase
	num      number
	cat      vigil.Category
	kind     vigil.FigureKind // "" until known
	kindTok  int              // token of the kind word, -1
	kindFrom int              // how the kind was found: 1 adjacent, 2 backward, 3 inherited
	other    bool             // "other children"
	hasNoun  bool
	treated  bool
	sent     int
	parent   int // "including": the figure this one is part of, -1
	listPrev int // previous member of a list ("4 children, 1 woman and 2 men"), -1
	among    bool
	group    bool   // counts people by occupation ("2 medics"): part of the dead, rarely all
	reason   string // context reason, "" for an incident figure
	dead     bool   // dropped
}

// groupNouns count people by what they do: such a count is usually a part
// of an event's dead ("2 medics among 31 dead"), and the total is stated
// beside it.
var groupNouns = map[string]bool{"medic": true, "paramedic": true, "doctor": true, "nurse": true, "aid": true,
	"rescuer": true, "volunteer": true, "journalist": true, "student": true, "patient": true, "teacher": true,
	"farmer": true, "shepherd": true, "worker": true, "activist": true, "relative": true, "passenger": true,
	"worshipper": true}

var timeNouns = map[string]bool{"year": true, "years": true, "month": true, "months": true, "day": true,
	"days": true, "hour": true, "hours": true, "minute": true, "minutes": true, "week": true, "weeks": true,
	"km": true, "kilometres": true, "kilometers": true, "miles": true, "mile": true, "metres": true, "meters": true,
	"percent": true, "per": true, "%": true, "am": true, "pm": true, "a.m.": true, "p.m.": true, "times": true,
	"th": true, "st": true, "nd": true, "rd": true}

func (d *doc) findFigures() {
	n := len(d.toks)
	for i := 0; i < n; i++ {
		if d.anyAR && d.ar[d.sentOf[i]] {
			s := d.sents[d.sentOf[i]]
			d.findFiguresAR(s)
			i = s.to - 1
			continue
		}
		if d.covered[i]&covDate != 0 {
			continue
		}
		t := &d.toks[i]
		if t.kind == tokPunct {
			continue
		}
		if t.kind == tokWord && !d.has(i, clsNumWord) && !d.has(i, clsQual) {
			continue
		}
		num, ok := d.parseNumber(i)
		if !ok {
			continue
		}
		j := num.to
		if j < n && timeNouns[d.toks[j].norm] {
			i = j - 1
			continue
		}
		// "one of five children": the partitive is not a count.
		if d.isWord(j, "of") && j+1 < n {
			if _, ok2 := d.parseNumber(j + 1); ok2 && !num.vague {
				continue
			}
		}
		if d.isWord(i-1, "aged", "age", "ages", "under") || (d.isWord(i-1, "of") && d.isWord(i-2, "age")) {
			continue
		}
		if d.has(j, clsAge) || (d.toks[min(j, n-1)].is(flagJoined) && d.isWord(j, "year")) {
			i = j
			continue // an age
		}
		// Two numbers side by side ("17:27 Nine civilians", "2017 Fifteen
		// people"): a time or a date runs into the count, which is the
		// number next to the noun. A clock time is not a count either.
		if !num.weak && j < n && d.toks[j].kind == tokNum && !d.toks[j].is(flagJoined) ||
			!num.weak && j < n && d.has(j, clsNumWord) && !d.isWord(j, "a", "an", "another") ||
			d.isPunct(i-1, ":") && i >= 2 && d.toks[i-2].kind == tokNum {
			continue
		}
		f := figMention{from: i, num: num, kindTok: -1, parent: -1, listPrev: -1, sent: int(d.sentOf[i]), to: j}
		// Noun phrase: modifiers, then a people noun.
		k := j
		for hops := 0; hops < 4 && k < n; hops++ {
			if e, end := d.find(k, clsCategory); e != nil {
				// "a rebel-held town", "regime-controlled areas": the
				// noun is part of an adjective.
				if d.toks[end-1].kind == tokWord && end < n && d.toks[end].is(flagJoined) &&
					d.isWord(end, "held", "controlled", "run", "backed", "led", "dominated", "allied", "affiliated", "linked") {
					break
				}
				f.cat = categories[e.val]
				f.hasNoun = true
				if d.toks[k].norm == "others" || d.toks[k].norm == "other" {
					f.other = true
				}
				if d.toks[k].norm == "syrians" {
					f.reason = "background"
				}
				if f.cat == vigil.CatTotal && groupNouns[strings.TrimSuffix(d.toks[end-1].norm, "s")] {
					f.group = true
				}
				// "members of the Sheitaat tribe": kin, not fighters.
				if f.cat == vigil.CatCombatants && d.isWord(k, "member", "members") && d.isWord(end, "of") {
					for q := end + 1; q < min(end+6, n); q++ {
						if d.isWord(q, "tribe", "tribes", "family", "families", "clan", "clans", "community") {
							f.cat = vigil.CatTotal
							break
						}
					}
				}
				// A compound's head is its last noun: "a girl child",
				// "child soldiers".
				if c := f.cat; c == vigil.CatChildren || c == vigil.CatWomen || c == vigil.CatMen {
					if e2, end2 := d.find(end, clsCategory); e2 != nil && !d.isWord(end, "others", "people", "persons") {
						f.cat, end = categories[e2.val], end2
					}
				}
				k = end
				break
			}
			if e, end := d.find(k, clsModifier); e != nil {
				if d.toks[k].norm == "other" {
					f.other = true
				}
				k = end
				continue
			}
			if e, end := d.find(k, clsActor); e != nil {
				k = end
				continue
			}
			if e, end := d.find(k, clsActorAdj); e != nil {
				k = end
				continue
			}
			if d.has(k, clsKill) || d.has(k, clsInjure) {
				break
			}
			// Proper names before the noun ("25 Nusra Front fighters").
			if d.toks[k].is(flagCap) && hops < 3 {
				k++
				continue
			}
			break
		}
		if f.hasNoun {
			f.to = k
		} else {
			f.cat = vigil.CatTotal
			k = j
		}
		if num.weak && (!f.hasNoun || !singularNoun(d.toks[f.to-1].norm)) {
			continue
		}
		d.kindAfter(&f, k)
		// "88 killed and injured": the dead and the wounded together, a
		// count of casualties, not of deaths.
		if f.kindTok >= 0 && f.kindFrom == 1 && d.isWord(f.kindTok+1, "and", "&", "or") &&
			(f.kind == vigil.Killed && d.has(f.kindTok+2, clsInjure) || f.kind == vigil.Injured && d.has(f.kindTok+2, clsKill)) {
			i = f.to - 1
			continue
		}
		// An active verb right before the number governs it when the kind
		// word after is bare: "a suicide bomber killed 30 people injured 90"
		// (a list whose comma was lost). Not "two children killed 5 others
		// injured", where "killed" belongs to the figure before.
		// A headline's verb with no noun after its count is the same:
		// "Terrorist attacks kill 10 injure scores".
		if b := f.from - 1; b > 0 && f.kindTok == k && d.sentOf[b] == d.sentOf[f.from] &&
			!d.isWord(b-1, "were", "was", "been", "be", "being", "are", "is") && !d.has(b-1, clsCategory) && d.toks[b-1].kind != tokNum {
			if d.isWord(b, "killed", "killing", "kills") && f.kind == vigil.Injured ||
				!f.hasNoun && d.isWord(b, "kill") && f.kind == vigil.Injured {
				f.kind, f.kindTok, f.kindFrom = vigil.Killed, b, 2
			} else if d.isWord(b, "wounding", "injuring", "wounded", "injured") && f.kind == vigil.Killed {
				f.kind, f.kindTok, f.kindFrom = vigil.Injured, b, 2
			}
		}
		if f.kind == "" {
			d.kindBefore(&f)
		}
		// "the toll rose to 32 and more than 115 wounded persons": the
		// wounded of the noun phrase are injured, whatever comes before.
		if f.hasNoun {
			for q := f.from + 1; q < f.to-1; q++ {
				if d.isWord(q, "wounded", "injured") {
					f.kind, f.kindTok, f.kindFrom = vigil.Injured, q, 1
					break
				}
			}
		}
		if !f.hasNoun && f.kindFrom == 0 {
			continue
		}
		if f.hasNoun && f.kind == "" {
			// Deaths and casualties named by the noun itself.
			if nn := d.toks[f.to-1].norm; nn == "deaths" || nn == "fatalities" || nn == "lives" || nn == "bodies" {
				f.kind, f.kindFrom = vigil.Killed, 1
			}
		}
		d.figs = append(d.figs, f)
		i = f.to - 1
	}
	d.linkFigures()
	for fi := range d.figs {
		f := &d.figs[fi]
		if f.kind == "" || (f.num.weak && f.parent < 0 && f.listPrev < 0 && !(f.kind == vigil.Killed && f.kindFrom == 1 && f.cat != vigil.CatCombatants)) {
			f.dead = true
			continue
		}
		d.figureReason(f)
	}
}

func singularNoun(s string) bool {
	switch s {
	case "child", "woman", "man", "boy", "girl", "civilian", "soldier", "fighter", "person", "baby", "infant",
		"minor", "resident", "rebel", "member", "doctor", "nurse", "medic", "journalist", "teenager", "officer",
		"commander", "pilot", "activist", "student", "volunteer", "paramedic":
		return true
	}
	return false
}

// kindAfter looks for the kind word after the noun phrase: "six people
// were killed", "22 dead", "32 wounded".
func (d *doc) kindAfter(f *figMention, k int) {
	_, sto := d.sentBounds(f.from)
	for hops := 0; hops < 4 && k < sto; hops++ {
		if e, end := d.find(k, clsKill); e != nil {
			if d.toks[k].norm != "toll" && !(d.isWord(k, "death") && d.isWord(k+1, "toll")) {
				f.kind, f.kindTok, f.kindFrom = vigil.Killed, k, 1
				return
			}
			_ = end
		}
		if e, _ := d.find(k, clsInjure); e != nil {
			f.kind, f.kindTok, f.kindFrom = vigil.Injured, k, 1
			return
		}
		if e, _ := d.find(k, clsTreated); e != nil {
			f.kind, f.kindTok, f.kindFrom = vigil.Injured, k, 1
			f.treated = true
			return
		}
		if d.isWord(k, "missing") {
			f.kind, f.kindTok, f.kindFrom = vigil.Missing, k, 1
			return
		}
		if d.isWord(k, "among") && !d.isWord(k+1, "them", "whom") {
			f.among = true
			return
		}
		if e, end := d.find(k, clsAux); e != nil {
			k = end
			continue
		}
		// An apposition that says who they were, between the count and
		// its verb: "Ten civilians some of them children killed",
		// "10 people mostly schoolchildren killed".
		if end := d.appositive(k, sto); end > k {
			k = end
			continue
		}
		break
	}
	// A predicate a little further on: "12 other children all under the
	// age of 15 were treated", "300,000 Syrians are estimated to have been
	// killed". Only a kind word right after an auxiliary counts.
	if !f.hasNoun {
		return
	}
	for x := k; x < sto && x < k+9; x++ {
		t := &d.toks[x]
		if t.kind == tokPunct || (d.has(x, clsReport) && !d.isWord(x, "estimated", "reported", "confirmed")) || d.has(x, clsKill) || d.has(x, clsInjure) {
			return
		}
		if _, end := d.find(x, clsAux); end > x && end < sto {
			switch {
			case d.has(end, clsKill):
				f.kind, f.kindTok, f.kindFrom = vigil.Killed, end, 1
			case d.has(end, clsInjure):
				f.kind, f.kindTok, f.kindFrom = vigil.Injured, end, 1
			case d.has(end, clsTreated):
				f.kind, f.kindTok, f.kindFrom, f.treated = vigil.Injured, end, 1, true
			default:
				continue
			}
			return
		}
	}
}

// tollVerbBefore returns the token of a verb that gives a toll its value
// ("rose to", "rises to", "risen to", "climbed to", "reached", "stood at",
// "at") right before the number at i (after a qualifier such as "at
// least"), or -1.
func tollVerbBefore(d *doc, i int) int {
	k := i - 1
	if e, st := d.findEnding(i, clsQual); e != nil {
		k = st - 1
	}
	if d.isWord(k, "to") && d.isWord(k-1, "rose", "rises", "risen", "rise", "climbed", "climbs", "jumped", "increased", "mounted", "soared") {
		return k - 1
	}
	if d.isWord(k, "reached", "reaches", "hit", "topped") {
		return k
	}
	if d.isWord(k, "at") && d.isWord(k-1, "stood", "stands", "toll") {
		return k - 1
	}
	return -1
}

// appositive returns the end of an apposition at token k that names who
// the counted people were, without a number ("some of them children",
// "most of them women and children", "mostly schoolchildren"), or k when
// there is none.
func (d *doc) appositive(k, sto int) int {
	x := k
	comma := d.isPunct(x, ",")
	if comma {
		x++
	}
	switch {
	case d.isWord(x, "some", "most", "many", "all", "half", "several", "both", "majority") && d.isWord(x+1, "of") && d.isWord(x+2, "them", "whom"):
		x += 3
	case d.isWord(x, "mostly", "mainly", "largely", "chiefly", "mostly"):
		x++
	case d.isWord(x, "among") && d.isWord(x+1, "them", "whom"):
		// "546 people among them many children have been injured"
		x += 2
		if d.isWord(x, "many", "several", "some", "most", "dozens", "scores") {
			x++
		}
	default:
		return k
	}
	if d.isWord(x, "were", "are") {
		x++
	}
	y, nouns := x, 0
	for y < sto && y < x+6 {
		if e, end := d.find(y, clsCategory); e != nil {
			y, nouns = end, nouns+1
			continue
		}
		if nouns > 0 && d.isWord(y, "and", "or") {
			y++
			continue
		}
		if e, end := d.find(y, clsModifier); e != nil && !d.isWord(y, "of", "the") {
			y = end
			continue
		}
		break
	}
	if nouns == 0 {
		return k
	}
	for y > x && d.isWord(y-1, "and", "or") {
		y--
	}
	if comma && d.isPunct(y, ",") {
		y++ // the apposition's closing comma
	}
	return y
}

// kindBefore looks for a kind word before the number: "killed 25",
// "killing at least 16 people", "the death toll rose to 58"; with a noun, the
// nearest kind word earlier in the same clause ("[a named boy] was injured ...
// along with four other children").
func (d *doc) kindBefore(f *figMention) {
	sfrom, _ := d.sentBounds(f.from)
	i := f.from - 1
	if d.isWord(i, "a") && d.isWord(i+1, "total") {
		i--
	}
	for _, w := range []string{"the", "of", "a total of"} {
		_ = w
	}
	// Directly before.
	for back := 0; back < 2 && i >= sfrom; back++ {
		if e, _ := d.findEnding(i+1, clsKill); e != nil && e.canon != "toll" && e.canon != "death toll" {
			f.kind, f.kindTok, f.kindFrom = vigil.Killed, i, 2
			return
		}
		if e, _ := d.findEnding(i+1, clsInjure); e != nil {
			f.kind, f.kindTok, f.kindFrom = vigil.Injured, i, 2
			return
		}
		if e, _ := d.findEnding(i+1, clsTreated); e != nil {
			f.kind, f.kindTok, f.kindFrom, f.treated = vigil.Injured, i, 2, true
			return
		}
		if !d.isWord(i, "the", "at", "of", "to") {
			break
		}
		i--
	}
	// "the death toll rose to 58", "put the toll at 58". After the verb of a
	// toll ("rose to", "has risen to at least", "reached") the word toll
	// may be further back: "the death toll in a suicide car bomb attack on
	// buses ... has risen to at least 112".
	back := 7
	if q := tollVerbBefore(d, f.from); q >= 0 {
		back = f.from - sfrom
	}
	for k := f.from - 1; k >= sfrom && k >= f.from-back; k-- {
		if d.isWord(k, "toll") && !(d.isWord(k-1, "injury")) {
			f.kind, f.kindTok, f.kindFrom = vigil.Killed, k, 2
			return
		}
		if d.toks[k].kind == tokNum {
			break
		}
	}
	if !f.hasNoun {
		return
	}
	for k := f.from - 1; k >= sfrom && k >= f.from-14; k-- {
		t := &d.toks[k]
		if t.kind == tokPunct && (t.norm == ";" || t.norm == ":" || t.norm == "(" || t.norm == ")" || t.norm == "," || t.norm == "\"") {
			return
		}
		if t.kind == tokNum || d.has(k, clsReport) {
			return
		}
		if e, _ := d.find(k, clsKill); e != nil && e.canon != "toll" && e.canon != "death toll" && t.norm != "death" && t.norm != "deaths" {
			f.kind, f.kindTok, f.kindFrom = vigil.Killed, k, 4
			return
		}
		if e, _ := d.find(k, clsInjure); e != nil {
			f.kind, f.kindTok, f.kindFrom = vigil.Injured, k, 4
			return
		}
	}
}

// linkFigures joins lists ("four other children, one woman and two young
// men") and parts ("58 people including 11 children"), and passes kinds
// along those links.
func (d *doc) linkFigures() {
	for fi := 1; fi < len(d.figs); fi++ {
		a, b := &d.figs[fi-1], &d.figs[fi]
		if a.sent != b.sent {
			continue
		}
		gap := b.from - a.to
		between := d.tokensBetween(a.to, b.from)
		// "killed 28 and wounded 30 militants": the noun after the
		// second count is the first's too.
		if !a.hasNoun && b.hasNoun && gap == 2 && d.isWord(a.to, "and") && (d.has(a.to+1, clsKill) || d.has(a.to+1, clsInjure)) {
			a.cat, a.group = b.cat, b.group
		}
		switch {
		case gap >= 0 && gap <= 3 && isListGap(between):
			b.listPrev = fi - 1
			if a.parent >= 0 {
				b.parent = a.parent
			}
		case gap >= 0 && gap <= 5 && isIncludingGap(between):
			b.parent = fi - 1
		}
	}
	for pass := 0; pass < 3; pass++ {
		for fi := range d.figs {
			f := &d.figs[fi]
			// Lists share their kind, from whichever member has one.
			if f.listPrev >= 0 {
				p := &d.figs[f.listPrev]
				if f.kind == "" && p.kind != "" {
					f.kind, f.kindFrom, f.treated = p.kind, 3, p.treated
				} else if p.kind == "" && f.kind != "" {
					p.kind, p.kindFrom, p.treated = f.kind, 3, f.treated
				}
			}
			if f.parent >= 0 {
				p := &d.figs[f.parent]
				if f.kind == "" && p.kind != "" {
					f.kind, f.kindFrom = p.kind, 3
				} else if p.kind == "" && f.kind != "" && f.kindFrom == 1 {
					p.kind, p.kindFrom = f.kind, 3
				}
			}
			// "Six civilians ... were among at least 22 people killed".
			if f.kind == "" {
				for gi := fi + 1; gi < len(d.figs); gi++ {
					g := &d.figs[gi]
					if g.sent != f.sent {
						break
					}
					if g.parent == fi || g.listPrev >= 0 && d.figs[g.listPrev].parent == fi {
						continue
					}
					if g.kind != "" && d.amongBetween(f.to, g.from) {
						f.kind, f.kindFrom = g.kind, 3
					}
					break
				}
			}
		}
	}
}

func (d *doc) tokensBetween(a, b int) string {
	if b <= a {
		return ""
	}
	var sb strings.Builder
	for k := a; k < b; k++ {
		if k > a {
			sb.WriteByte(' ')
		}
		sb.WriteString(d.toks[k].norm)
	}
	return sb.String()
}

func isListGap(s string) bool {
	switch s {
	case ",", "and", ", and", "as well as", ", as well as", "plus", "or":
		return true
	}
	return false
}

func isIncludingGap(s string) bool {
	switch s {
	case "including", ", including", "among them", ", among them", "of whom", ", of whom", "among whom", ", among whom",
		"of them", ", of them", "among them were", ", among them were", "including at least", ", including at least",
		"among the dead were", "among the victims were", "among the dead", ", among them at least", "among them at least",
		"- including", "were", "of them were", "of whom were", ", most of them", "mostly", "most of them":
		return true
	}
	return strings.HasPrefix(s, "including") || strings.HasPrefix(s, ", including")
}

func (d *doc) amongBetween(a, b int) bool {
	for k := a; k < b && k < a+6; k++ {
		if d.isWord(k, "among") {
			return true
		}
	}
	return false
}

// figureReason routes a figure to the context figures when it is a
// background statistic, a daily intake, about other incidents or a forecast.
func (d *doc) figureReason(f *figMention) {
	si := &d.sinfo[f.sent]
	switch {
	case f.treated:
		f.reason = "daily_intake"
	case si.future:
		f.reason = "forecast"
	case si.background || f.reason == "background":
		f.reason = "background"
	case f.num.min >= 5000:
		f.reason = "background"
	case si.other && (si.otherMarked || !si.backshift):
		f.reason = "other_incidents"
	case (f.kindTok > 0 && d.isWord(f.kindTok-1, "had") || f.kindTok > 1 && d.isWord(f.kindTok-2, "had")) && !d.reported(f.sent):
		f.reason = "other_incidents"
	}
}
