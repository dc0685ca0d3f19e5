package extract

import (
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// arSet returns the match keys (normalised, without proclitics) of Arabic
// words, for the Arabic rules' word tests.
func arSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		for _, t := range tokenize(w) {
			m[arCore(t.norm)] = true
		}
	}
	return m
}

func arKey(w string) string {
	toks := tokenize(w)
	if len(toks) == 0 {
		return ""
	}
	return arCore(toks[0].norm)
}

// arIn reports whether token i's match key is in set.
func (d *doc) arIn(i int, set map[string]bool) bool {
	return i >= 0 && i < len(d.toks) && d.toks[i].kind == tokWord && set[matchKey(&d.toks[i])]
}

// arDual are nouns in the dual: one word for two people.
var arDual = func() map[string]vigil.Category {
	m := map[string]vigil.Category{}
	add := func(c vigil.Category, ws ...string) {
		for _, w := range ws {
			m[arKey(w)] = c
		}
	}
	add(vigil.CatChildren, "طفلين", "طفلان", "طفلتين", "طفلتان")
	add(vigil.CatWomen, "امرأتين", "امرأتان", "سيدتين", "سيدتان")
	add(vigil.CatMen, "رجلين", "رجلان", "شابين", "شابان")
	add(vigil.CatCivilians, "مدنيان")
	add(vigil.CatTotal, "شخصين", "شخصان", "شهيدين", "شهيدان", "قتيلين", "قتيلان", "جريحين", "جريحان")
	add(vigil.CatCombatants, "عنصرين", "عنصران", "جنديين", "جنديان")
	return m
}()

// arDualKind: duals that say what happened (two dead, two wounded).
var arDualKind = map[string]vigil.FigureKind{
	arKey("شهيدين"): vigil.Killed, arKey("شهيدان"): vigil.Killed, arKey("قتيلين"): vigil.Killed, arKey("قتيلان"): vigil.Killed,
	arKey("جريحين"): vigil.Injured, arKey("جريحان"): vigil.Injured,
}

// arKindNouns are the nouns of the dead and wounded, counted as people:
// "5 شهداء", "سقوط 3 قتلى و7 جرحى".
var arKindNouns = func() map[string]vigil.FigureKind {
	m := map[string]vigil.FigureKind{}
	for _, w := range []string{"قتلى", "قتيل", "قتيلا", "شهداء", "شهيد", "شهيدا", "شهيدة", "ضحايا", "ضحية", "جثث", "جثة", "وفيات"} {
		m[arKey(w)] = vigil.Killed
	}
	for _, w := range []string{"جرحى", "جريح", "جريحا", "مصابين", "مصابون", "مصاب", "مصابة", "إصابات", "اصابات"} {
		m[arKey(w)] = vigil.Injured
	}
	return m
}()

// arSingular are singular people nouns: after a casualty word they count
// one ("استشهاد طفل", "إصابة امرأة").
var arSingular = arSet("طفل", "طفلة", "امرأة", "سيدة", "رجل", "شاب", "شابة", "مدني", "مواطن", "شخص", "عنصر", "مقاتل", "جندي",
	"فتى", "فتاة", "رضيع", "رضيعة", "مسن", "مسنة", "شهيد", "قتيل", "جريح", "مصاب", "شهيدة", "مواطنة")

// arWawRoot are casualty words whose first letter و is their own, not
// "and".
var arWawRoot = arSet("وفاة", "وفيات", "وفاته", "وفاتها")

// arOneKilled are casualty nouns with a pronoun: one person's death or
// wound ("ما أدى لمقتله"، "إصابتها").
var arOneKilled = arSet("مقتله", "مقتلها", "استشهاده", "استشهادها", "وفاته", "وفاتها", "مصرعه", "مصرعها", "إصابته", "إصابتها", "جرحه")

// arDefinite reports whether a normalised word carries the article after
// its proclitics ("الشهيد"، "بالشهيد"، "للشهيد").
func arDefinite(n string) bool {
	if len(n) >= 2 && (n[:2] == arWaw || n[:2] == arFa) {
		n = n[2:]
	}
	if len(n) >= 4 && n[:4] == arLamL {
		return true
	}
	if len(n) >= 2 && (n[:2] == arBa || n[:2] == arLam || n[:2] == arKaf) && len(n) >= 6 && n[2:6] == arAl {
		return true
	}
	return len(n) >= 4 && n[:4] == arAl
}

func arOneKilledKind(d *doc, i int) vigil.FigureKind {
	switch matchKey(&d.toks[i]) {
	case arKey("إصابته"), arKey("إصابتها"), arKey("جرحه"):
		return vigil.Injured
	}
	return vigil.Killed
}

var arTimeNouns = arSet("سنوات", "سنة", "سنوات", "أعوام", "عاما", "عام", "عاماً", "أشهر", "شهر", "شهرا", "أيام", "يوما", "يوم",
	"ساعات", "ساعة", "دقائق", "دقيقة", "كم", "كيلومتر", "كيلومترات", "متر", "مترا", "أمتار", "بالمئة", "بالمائة", "%", "مرات",
	"مرة", "غارات", "غارة", "قذائف", "قذيفة", "صواريخ", "صاروخ", "منازل", "منزل", "عائلات", "أسابيع", "أسبوع", "طائرات", "مسيرات")

var arAmong = arSet("بينهم", "منهم", "بينهن", "منهن", "بينها", "منها", "بينهما", "منهما", "ضمنهم", "بين", "أغلبهم", "معظمهم")

var arAge = arSet("عمره", "عمرها", "بعمر", "يبلغ", "تبلغ", "العمر", "عمر", "سن", "بسن", "عمرهم", "ربيعا")

var arOthers = arSet("آخرين", "آخرون", "آخر", "أخرى")

var arTeen = arSet("عشر", "عشرة")

// arNumber reads an Arabic number phrase at token i: a qualifier (أكثر من،
// نحو، حوالي، ما لا يقل عن), digits or number words (both genders, teens,
// "خمسة وعشرون", "مئة"), or a vague quantity (عشرات، مئات).
func (d *doc) arNumber(i, sto int) (number, bool) {
	n := number{from: i, qual: vigil.QualExact, max: -1}
	j := i
	if e, end := d.find(i, clsQual); e != nil && end < sto {
		n.qual = qualifiers[e.val]
		j = end
	}
	n.numFrom = j
	if j >= sto {
		return n, false
	}
	t := &d.toks[j]
	v, k := 0, j
	switch {
	case t.kind == tokNum:
		v, k = int(t.num), j+1
		if e, end := d.find(k, clsNumWord); e != nil && e.weight == 1 && end <= sto {
			v *= e.val
			k = end
		}
	default:
		e, end := d.find(j, clsNumWord)
		if e == nil {
			return n, false
		}
		v, k = e.val, end
		switch {
		case e.weight == 2:
			n.vague = true
		case e.weight == 1: // مئة، ألف alone
		default:
			if v >= 3 && v <= 9 && d.arIn(k, arTeen) {
				v += 10
				k++
			}
			if e2, end2 := d.find(k, clsNumWord); e2 != nil && e2.weight == 1 && e2.val == 100 && v < 10 {
				v *= 100
				k = end2
			}
			if k < sto && v < 10 && strings.HasPrefix(d.toks[k].norm, arWaw) {
				if e2, end2 := d.find(k, clsNumWord); e2 != nil && e2.weight == 0 && e2.val >= 20 && e2.val < 100 {
					v += e2.val
					k = end2
				}
			}
		}
	}
	// A range: 5-7 (joined) or "5 إلى 7".
	hi := -1
	if k < sto && d.toks[k].kind == tokNum && d.toks[k].is(flagJoined) && int(d.toks[k].num) > v {
		hi = int(d.toks[k].num)
		k++
	}
	n.to, n.value = k, v
	switch {
	case hi > v:
		n.min, n.max, n.value = v, hi, hi
	case n.vague:
		n.min = v
		if n.qual == vigil.QualExact {
			n.qual = vigil.QualAtLeast
		}
	default:
		switch n.qual {
		case vigil.QualAtLeast, vigil.QualMoreThan:
			n.min = v
		case vigil.QualUpTo:
			n.min, n.max = 0, v
		default:
			n.min, n.max = v, v
		}
	}
	return n, true
}

// arKindAt returns the figure kind a casualty word at token i states, or "".
func (d *doc) arKindAt(i int) vigil.FigureKind {
	if d.has(i, clsKill) {
		return vigil.Killed
	}
	if d.has(i, clsInjure) {
		return vigil.Injured
	}
	if d.has(i, clsTreated) {
		return vigil.Injured
	}
	return ""
}

// findFiguresAR reads the counts of people in the Arabic sentence s, in
// Arabic word order: a casualty noun or verb before the count ("مقتل 5
// مدنيين"، "استشهد ثلاثة أطفال"، "إصابة 10 آخرين"), a noun of the dead or
// wounded after it ("5 شهداء"، "7 جرحى"), a dual noun ("طفلين" = 2), a
// singular noun right after a casualty word ("استشهاد طفل" = 1), parts
// ("بينهم 3 أطفال") and lists joined by و.
func (d *doc) findFiguresAR(s sentence) {
	sfrom, sto := s.from, s.to
	si := int(d.sentOf[sfrom])
	first := len(d.figs)
	for i := sfrom; i < sto; i++ {
		t := &d.toks[i]
		if t.kind == tokPunct || d.covered[i]&covDate != 0 {
			continue
		}
		f := figMention{from: i, kindTok: -1, parent: -1, listPrev: -1, sent: si}
		key := matchKey(t)
		switch {
		case t.kind == tokWord && arDual[key] != "":
			f.num = number{from: i, numFrom: i, to: i + 1, min: 2, max: 2, value: 2, qual: vigil.QualExact}
			f.cat, f.hasNoun, f.to = arDual[key], true, i+1
			if k, ok := arDualKind[key]; ok {
				f.kind, f.kindTok, f.kindFrom = k, i, 1
			}
		case t.kind == tokWord && (arOneKilled[key] || arKindNouns[key] != "" && arSingular[key] && !arDefinite(t.norm) &&
			d.arKindAt(i-1) == "" && !d.has(i+1, clsNumWord) && !d.has(i+1, clsCategory)):
			// "أنباء عن شهيد": one; "أدى لمقتله": his death, one.
			f.num = number{from: i, numFrom: i, to: i + 1, min: 1, max: 1, value: 1, qual: vigil.QualExact}
			f.to, f.hasNoun, f.cat = i+1, true, vigil.CatTotal
			if k, ok := arKindNouns[key]; ok {
				f.kind, f.kindTok, f.kindFrom = k, i, 1
			} else {
				f.kind, f.kindTok, f.kindFrom = arOneKilledKind(d, i), i, 1
			}
		case t.kind == tokWord && arSingular[key] && i > sfrom && !d.has(i+1, clsNumWord) &&
			(d.arKindAt(i-1) != "" || len(d.figs) > first && d.figs[len(d.figs)-1].to == i && strings.HasPrefix(t.norm, arWaw)):
			e, end := d.find(i, clsCategory)
			f.num = number{from: i, numFrom: i, to: i + 1, min: 1, max: 1, value: 1, qual: vigil.QualExact}
			f.to, f.hasNoun = i+1, true
			if e != nil {
				f.cat, f.to = categories[e.val], end
			} else {
				f.cat = vigil.CatTotal
			}
			if k, ok := arKindNouns[key]; ok {
				f.kind, f.kindTok, f.kindFrom = k, i, 1
			}
		default:
			if t.kind == tokWord && !d.has(i, clsNumWord) && !d.has(i, clsQual) {
				continue
			}
			num, ok := d.arNumber(i, sto)
			if !ok {
				continue
			}
			f.num, f.to = num, num.to
			j := num.to
			if d.arIn(j, arTimeNouns) || d.arIn(i-1, arAge) || d.arIn(i-2, arAge) && d.toks[i-1].kind == tokPunct {
				i = j - 1
				continue
			}
			// Numbers side by side: a time or a year runs into the count.
			// A colon or slash touching the number makes it a time or a
			// date (12:40, 5/7); a count may follow a colon ("سانا":
			// أربعة قتلى).
			if j < sto && d.toks[j].kind == tokNum && !d.toks[j].is(flagJoined) || d.touchingPunct(j-1, j, ":") || d.touchingPunct(i-1, i, ":") || d.isPunct(j, "/") || d.isPunct(i-1, "/") {
				continue
			}
			// A count in parentheses: "(10) شهداء".
			if d.isPunct(i-1, "(") && d.isPunct(j, ")") {
				j++
			}
			if d.isWord(j, arKey("من")) { // "عشرات من المدنيين"
				j++
			}
			if k, ok := arKindNouns[matchKey(&d.toks[min(j, len(d.toks)-1)])]; ok && j < sto {
				f.kind, f.kindTok, f.kindFrom, f.hasNoun, f.cat, f.to = k, j, 1, true, vigil.CatTotal, j+1
				// "5 شهداء مدنيين", "3 قتلى من الأطفال"
				x := j + 1
				if d.isWord(x, arKey("من")) {
					x++
				}
				if e, end := d.find(x, clsCategory); e != nil && x < sto {
					f.cat, f.to = categories[e.val], end
				}
			} else if e, end := d.find(j, clsCategory); e != nil && j < sto {
				f.cat, f.hasNoun, f.to = categories[e.val], true, end
				if d.arIn(j, arOthers) {
					f.other = true
				}
				// A second noun refines a total: "5 أشخاص مدنيين".
				if e2, end2 := d.find(end, clsCategory); e2 != nil && end < sto && f.cat == vigil.CatTotal && categories[e2.val] != vigil.CatTotal {
					f.cat, f.to = categories[e2.val], end2
				}
				// The kind after the noun: "أطفال قتلى"، "مدنيين قتلوا"، "بجروح".
				for x := f.to; x < sto && x < f.to+3; x++ {
					if k := d.arKindAt(x); k != "" {
						// "استشهد 9 مواطنين وأصيب اثنان": a casualty verb
						// after و opens the next clause, about the next count.
						if strings.HasPrefix(d.toks[x].norm, arWaw) && !d.arIn(x, arWawRoot) {
							break
						}
						f.kind, f.kindTok, f.kindFrom = k, x, 1
						break
					}
					if d.toks[x].kind == tokNum || d.has(x, clsNumWord) {
						break
					}
				}
			} else if !(i > sfrom && d.arKindAt(i-1) != "") &&
				// "ارتفاع عدد الضحايا إلى 7"
				!(d.isWord(i-1, arKey("إلى")) && (d.arKindAt(i-2) != "" || d.arKindAt(i-3) != "")) {
				i = num.to - 1
				continue // a bare number with no casualty word before it
			} else {
				f.cat = vigil.CatTotal
			}
		}
		if f.kind == "" {
			// The casualty word before the count, in its clause.
			for k := f.from - 1; k >= sfrom && k >= f.from-8; k-- {
				tk := &d.toks[k]
				if tk.kind == tokNum || len(d.figs) > first && d.figs[len(d.figs)-1].to > k {
					break
				}
				if kd := d.arKindAt(k); kd != "" {
					// "مقتل وإصابة 10": the dead and wounded together.
					if o := d.arKindAt(k - 1); o != "" && o != kd || d.arKindAt(k+1) != "" && d.arKindAt(k+1) != kd && k+1 < f.from {
						f.kind = "mixed"
						break
					}
					f.kind, f.kindTok, f.kindFrom = kd, k, 2
					break
				}
				if tk.kind == tokPunct && (tk.norm == "." || tk.norm == ":" || tk.norm == "(") {
					break
				}
			}
		}
		if f.kind == "mixed" {
			i = f.to - 1
			continue
		}
		// Links to the figure before: parts ("بينهم") and lists ("و").
		if len(d.figs) > first {
			pi := len(d.figs) - 1
			p := &d.figs[pi]
			gap := f.from - p.to
			among := false
			for k := p.to; k < f.from; k++ {
				if d.arIn(k, arAmong) {
					among = true
				}
			}
			switch {
			case among && gap <= 4:
				f.parent = pi
			case gap >= 0 && gap <= 1 && (strings.HasPrefix(d.toks[f.from].norm, arWaw) || gap == 1 && (d.isWord(p.to, arWaw) || d.isPunct(p.to, ","))):
				f.listPrev = pi
				if p.parent >= 0 {
					f.parent = p.parent
				}
			}
		}
		if f.kind == "" && f.parent < 0 && f.listPrev < 0 && !f.hasNoun {
			i = f.to - 1
			continue
		}
		d.figs = append(d.figs, f)
		i = f.to - 1
	}
}

// arTargetBefore are words after which an actor is the one struck:
// "على مواقع قوات النظام"، "ضد"، "استهداف النظام".
var arTargetBefore = arSet("على", "ضد", "مواقع", "نقاط", "تجمعات", "مقرات", "ثكنات", "عناصر", "مقاتلي", "من", "بين", "مع", "لصالح", "سيطرة", "مناطق", "حواجز", "قيادي", "قادة", "رتل", "أرتال", "آليات", "دبابات")

// arAgentBefore: an actor after these struck ("من قبل"، "مصدره"، "شنه").
var arAgentBefore = arSet("قبل", "شنه", "شنها", "نفذه", "نفذها", "مصدره", "مصدرها", "يتبع", "تتبع", "التابع", "التابعة", "تابع", "تابعة")

// actorRoleAR decides an actor's role in an Arabic sentence. Arabic puts
// the agent after the attack ("غارة للطيران الروسي"، "قصف مدفعي لقوات
// النظام") or after a striking verb ("استهدف الطيران الروسي")، or before a
// verb ("قوات النظام تقصف"); an actor after "على"، "ضد"، "مواقع" or among
// the counted dead is a target.
func (d *doc) actorRoleAR(m *actorMention) {
	sfrom, sto := d.sentBounds(m.from)
	for _, f := range d.figs {
		if !f.dead && f.sent == m.sent && m.from >= f.from && m.from <= f.to+1 {
			m.target = true
			return
		}
	}
	// Target words just before.
	for k := m.from - 1; k >= sfrom && k >= m.from-2; k-- {
		if d.arIn(k, arAgentBefore) {
			m.agent = true
			break
		}
		if d.arIn(k, arTargetBefore) {
			m.target = true
			return
		}
		if d.toks[k].kind == tokPunct {
			break
		}
	}
	// Hedges before.
	for k := m.from - 1; k >= sfrom && k >= m.from-8; k-- {
		if e, _ := d.find(k, clsHedge); e != nil {
			switch e.val {
			case hedgeSuspected:
				m.hedge = hedgeSuspected
			case hedgeBlamed:
				m.hedge, m.agent = hedgeBlamed, true
			case hedgeDenied:
				m.denied = true
			}
			break
		}
	}
	if m.agent {
		return
	}
	// After the attack or a striking verb: "غارة جوية للطيران الروسي".
	for k := m.from - 1; k >= sfrom && k >= m.from-4; k-- {
		if d.has(k, clsEvent) || d.has(k, clsStrikeVerb) {
			m.agent = true
			return
		}
		if d.toks[k].kind == tokPunct || d.toks[k].kind == tokNum {
			break
		}
	}
	// The actor's own phrase names the attack ("الطيران الروسي").
	if m.to-m.from > 1 && d.has(m.from, clsEvent) {
		m.agent = true
		return
	}
	// Subject before a verb: "قوات النظام تقصف"، "تنظيم داعش يتبنى".
	for k := m.to; k < sto && k < m.to+3; k++ {
		if d.has(k, clsStrikeVerb) || d.has(k, clsEvent) {
			m.agent = true
			return
		}
		if e, _ := d.find(k, clsHedge); e != nil && e.val == hedgeClaimed {
			m.agent, m.hedge = true, hedgeClaimed
			return
		}
		if e, _ := d.find(k, clsHedge); e != nil && e.val == hedgeDenied {
			m.denied = true
			return
		}
	}
}

// arPlaceCue are words before a place name that say it is where something
// happened: "في"، "قرب"، "على"، "شرق" ...
var arPlaceCue = arSet("في", "قرب", "بالقرب", "على", "شرق", "غرب", "شمال", "جنوب", "شرقي", "غربي", "شمالي", "جنوبي", "أطراف", "محيط", "داخل", "استهدف", "استهدفت", "مدينة", "بلدة", "قرية", "حي", "مخيم")

// arNotPlace are ordinary words that some gazetteers also hold as the
// names of neighbourhoods: alone, they are the words.
var arNotPlace = arSet("شمالي", "جنوبي", "شرقي", "غربي", "الشمالي", "الجنوبي", "الشرقي", "الغربي", "شمال", "جنوب", "شرق", "غرب",
	"عسكري", "العسكري", "الأوسط", "الوسطى", "الجديد", "الجديدة", "القديم", "القديمة", "الكبير", "الكبيرة", "الصغير", "الصغيرة",
	"المدينة", "البلد", "السوق", "المحطة", "الجامع", "المشفى", "المستشفى", "المدرسة", "الحارة", "الكورنيش", "المطار", "الملعب")

// arDirection are the points of the compass before a place name.
var arDirection = arSet("شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "شمالية", "جنوبية", "شرقية", "غربية")

// arGovCue select the governorate of a same-named place.
var arGovCue = arSet("محافظة", "ريف")

// arTransfer are words of taking the wounded somewhere: a facility after
// them treated the casualties.
var arTransfer = arSet("نقل", "نقلت", "نقلوا", "نقلهم", "إسعاف", "إسعافهم", "أسعفوا", "أسعف", "وصل", "وصلوا", "استقبل", "استقبلت")

// arInCentresGovernorate reports whether Arabic sentence s names a town of
// the governorate whose centre city is the place of event ev, and states
// no casualty figures or the event has none yet: Arabic reports name the
// governorate by its city ("قصف على محيط إدلب" in the headline) and the
// village in the body ("على بلدة البارة جنوبي إدلب"), so the sentence
// tells the same event rather than another one.
func (d *doc) arInCentresGovernorate(ev *event, s int) bool {
	in := &d.sinfo[s]
	if !d.ar[s] || in.place < 0 || ev.place == nil || !govCentre(ev.place) {
		return false
	}
	if d.incidentFigures(s) {
		// A sentence with figures of its own joins only while the event
		// has none: the headline named the governorate, the lead counts
		// the dead in the village.
		for _, es := range ev.sents {
			if d.incidentFigures(es) {
				return false
			}
		}
	}
	g := governorate(ev.place)
	return g != "" && g == governorate(d.places[in.place].chosen)
}

// govCentre reports whether p is the town that gives its governorate its
// name (Idlib town in Idlib governorate).
func govCentre(p *vigil.Place) bool {
	if p.Precision != vigil.PlaceTown {
		return false
	}
	g := p.Governorate()
	if g == nil {
		return false
	}
	if k := gazetteer.Key(p.NameAR); k != "" && k == gazetteer.Key(g.NameAR) {
		return true
	}
	return gazetteer.Key(p.Name) == gazetteer.Key(g.Name)
}

// touchingPunct reports whether token p is the punctuation mark mark with
// no space between it and token w (on either side).
func (d *doc) touchingPunct(w, p int, mark string) bool {
	if !d.isPunct(p, mark) || w < 0 || w >= len(d.toks) {
		return false
	}
	a, b := &d.toks[w], &d.toks[p]
	return a.end == b.start || b.end == a.start
}

// arBeyondCentre reports whether Arabic mention pm names a town of the
// governorate whose centre city mention c names: the town is where the
// event was, the city's name stood for its governorate.
func (d *doc) arBeyondCentre(pm, c *placeMention) bool {
	return d.toks[pm.from].is(flagArabic) && d.toks[c.from].is(flagArabic) && pm.chosen != c.chosen &&
		govCentre(c.chosen) && !govCentre(pm.chosen) && governorate(pm.chosen) == governorate(c.chosen)
}

// arArticleMissing reports whether a one-word Arabic name read without the
// article (تل "a hill", باب "a door"), found under key, names only places
// whose Arabic names carry it (التل، الباب): the bare word is the ordinary
// word.
func arArticleMissing(word, key string, cands []*vigil.Place) bool {
	if strings.HasPrefix(strings.TrimSpace(word), "ال") {
		return false
	}
	for _, c := range cands {
		if arBareName(c.NameAR, key) {
			return false
		}
		for _, v := range c.Variants {
			if arBareName(v, key) {
				return false
			}
		}
	}
	return true
}

// arBareName reports whether n is an Arabic name without the article whose
// key is key.
func arBareName(n, key string) bool {
	n = strings.TrimSpace(n)
	return n != "" && !strings.HasPrefix(n, "ال") && isArabicName(n) && gazetteer.Key(n) == key
}

func isArabicName(s string) bool {
	for _, r := range s {
		if isArabic(r) {
			return true
		}
	}
	return false
}

// mostlyArabic reports whether the text's Arabic words are at least as many
// as its Latin ones (extract.Language, on the tokens).
func (d *doc) mostlyArabic() bool {
	if !d.anyAR {
		return false
	}
	ar, lat := 0, 0
	for k := range d.toks {
		if d.toks[k].kind != tokWord {
			continue
		}
		if d.toks[k].is(flagArabic) {
			ar++
		} else {
			lat++
		}
	}
	return ar >= lat
}
