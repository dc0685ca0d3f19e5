package extract

import (
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// orgMention is a named organisation.
type orgMention struct {
	from, to int
	known    int // index into lex.orgs, -1 for a name found by its head word
	typ      vigil.SourceType
	sent     int
}

// srcMention is a source the text cites.
type srcMention struct {
	src  vigil.Source
	key  string
	sent int
}

// victimMention is a named victim.
type victimMention struct {
	v     vigil.Victim
	first string // normalised first name token
	sents []int
}

// facMention is a facility named in the text.
type facMention struct {
	f    vigil.Facility
	sent int
	key  string
}

var roleTypes = []vigil.SourceType{vigil.SourceMedical, vigil.SourceOfficial, vigil.SourceOther, vigil.SourceWitness, vigil.SourceOther}
var roleAnonNames = []string{"anonymous medical source", "anonymous official", "anonymous activist", "anonymous witness", "anonymous source"}

func orgKey(s string) string {
	s = strings.ToLower(s)
	s = strings.ReplaceAll(s, "centre", "center")
	s = strings.ReplaceAll(s, "defense", "defence")
	return s
}

// findSources collects the organisations and people the text cites.
func (d *doc) findSources() {
	for _, o := range d.orgs {
		var s vigil.Source
		if o.known >= 0 {
			ko := lex.orgs[o.known]
			s = vigil.Source{Name: ko.Name, Type: ko.Type}
		} else {
			s = vigil.Source{Name: d.spanText(o.from, o.to), Type: o.typ}
		}
		s.Sensitivity = vigil.Public
		s.Spans = []vigil.Span{d.span(o.from, o.to)}
		d.srcs = append(d.srcs, srcMention{src: s, key: orgKey(s.Name), sent: o.sent})
	}
	// People cited by role: "according to an Aleppo doctor who asked not to
	// be identified", "doctors at M10 said", "a monitor said".
	n := len(d.toks)
	for i := 0; i < n; i++ {
		e, end := d.find(i, clsRole)
		if e == nil || d.covered[i]&covOrg != 0 {
			continue
		}
		sfrom, sto := d.sentBounds(i)
		// The noun phrase: determiner and modifiers before, "at/in/from X" after.
		from := i
		for from-1 >= sfrom && from > i-3 {
			p := &d.toks[from-1]
			if p.kind != tokWord || d.has(from-1, clsReport) || d.isWord(from-1, "to", "by", "said", "told", "and", "that") {
				break
			}
			if d.isWord(from-1, "a", "an", "the") {
				from--
				break
			}
			from--
		}
		to := end
		if d.isWord(to, "at", "in", "from", "of") && to+1 < sto && (d.toks[to+1].is(flagCap) || d.isWord(to+1, "the")) {
			k := to + 1
			if d.isWord(k, "the") {
				k++
			}
			for k < sto && k < to+5 && d.toks[k].is(flagCap) {
				k++
			}
			if k > to+1 && !d.isWord(k-1, "the") {
				to = k
			}
		}
		cited := false
		if e2, s2 := d.findEnding(from, clsReport); e2 != nil && (e2.canon == "according to" || e2.val == arAccording || d.isAR(i)) {
			// Arabic puts the verb of saying first: "وأفاد مراسلنا".
			cited = true
			_ = s2
		}
		anon := false
		// "who asked not to be identified" after the noun phrase.
		for k := to; k < sto && k < to+4; k++ {
			if d.has(k, clsAnon) {
				anon = true
				break
			}
		}
		for k := from; k < i; k++ {
			if d.isWord(k, "unnamed", "anonymous") {
				anon = true
			}
		}
		if !cited {
			k := to
			for hops := 0; hops < 3 && k < sto; hops++ {
				if e3, _ := d.find(k, clsReport); e3 != nil && e3.canon != "according to" && e3.canon != "footage" && e3.canon != "photo" {
					cited = true
					break
				}
				if d.isWord(k, ",", "also", "later", "have", "has", "had") {
					k++
					continue
				}
				if _, aend := d.find(k, clsAnon); aend > k {
					k = aend
					continue
				}
				break
			}
		}
		if !cited {
			continue
		}
		s := vigil.Source{Type: roleTypes[e.val], Sensitivity: vigil.Public}
		desc := d.spanText(from, to)
		if anon {
			s.Anonymous = true
			s.Name = roleAnonNames[e.val]
			s.Description = desc
			s.Sensitivity = vigil.Restricted
		} else {
			s.Name = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(desc, "a "), "an "), "the ")
		}
		sp := []vigil.Span{d.span(from, to)}
		if anon {
			// The anonymity request is part of the evidence.
			for k := to; k < sto && k < to+4; k++ {
				if _, aend := d.find(k, clsAnon); aend > k {
					sp = append(sp, d.span(k, aend))
					break
				}
			}
		}
		s.Spans = sp
		key := orgKey(s.Name)
		if anon {
			key += "#" + desc
		}
		d.srcs = append(d.srcs, srcMention{src: s, key: key, sent: int(d.sentOf[i])})
		i = to - 1
	}
}

var notNames = map[string]bool{"he": true, "she": true, "it": true, "they": true, "this": true, "that": true,
	"there": true, "the": true, "a": true, "an": true, "his": true, "her": true, "their": true, "who": true,
	"which": true, "what": true, "one": true, "everyone": true, "nobody": true, "someone": true, "we": true,
	"i": true, "you": true, "these": true, "those": true, "many": true, "most": true, "some": true, "all": true,
	"both": true, "none": true, "each": true, "another": true, "others": true, "no": true, "nothing": true}

// findVictims finds named victims: a name that is the subject of "was
// injured/killed" or "was one of N children injured", with age and sex from
// the description around its mentions.
func (d *doc) findVictims(isPlace func(int) bool) {
	n := len(d.toks)
	for i := 0; i < n; i++ {
		t := &d.toks[i]
		if t.kind != tokWord || !t.is(flagCap) || t.is(flagAllCaps) || d.covered[i] != 0 || notNames[t.norm] {
			continue
		}
		if d.hitStart[i] != d.hitStart[i+1] || isPlace(i) {
			continue // a known word
		}
		// Extend over following unknown capitalised tokens (surname).
		j := i + 1
		for j < n && j < i+3 && d.toks[j].is(flagCap) && d.toks[j].kind == tokWord && d.hitStart[j] == d.hitStart[j+1] && !isPlace(j) && d.sentOf[j] == d.sentOf[i] {
			j++
		}
		if !d.isWord(j, "was", "were") || d.toks[j-1].is(flagPossess) {
			continue
		}
		k := j + 1
		for k < n && d.isWord(k, "also", "reportedly", "among", "the", "badly", "seriously", "critically", "lightly", "fatally") {
			k++
		}
		var status vigil.FigureKind
		child := false
		switch {
		case d.has(k, clsKill):
			status = vigil.Killed
		case d.has(k, clsInjure):
			status = vigil.Injured
		case d.isWord(k, "one") && d.isWord(k+1, "of"):
			// "was one of five children injured"
			if num, ok := d.parseNumber(k + 2); ok {
				x := num.to
				for hops := 0; hops < 3 && x < n; hops++ {
					if e, end := d.find(x, clsCategory); e != nil {
						child = categories[e.val] == vigil.CatChildren
						x = end
						break
					}
					if _, end := d.find(x, clsModifier); end > x {
						x = end
						continue
					}
					break
				}
				for x < n && d.has(x, clsAux) {
					_, x = d.find(x, clsAux)
				}
				if d.has(x, clsKill) {
					status = vigil.Killed
				} else if d.has(x, clsInjure) {
					status = vigil.Injured
				}
			}
		}
		if status == "" {
			continue
		}
		first := t.norm
		found := -1
		for vi := range d.victims {
			if d.victims[vi].first == first {
				found = vi
			}
		}
		if found < 0 {
			d.victims = append(d.victims, victimMention{first: first, v: vigil.Victim{Status: status, Sensitivity: vigil.Public}})
			found = len(d.victims) - 1
		}
		vm := &d.victims[found]
		if child {
			vm.v.AgeGroup = "child"
			vm.v.Minor = true
		}
		if status == vigil.Killed {
			vm.v.Status = vigil.Killed
		}
		i = j
	}
	if len(d.victims) == 0 {
		return
	}
	// Every mention of each name; the longest run gives the full name.
	for vi := range d.victims {
		vm := &d.victims[vi]
		bestFrom, bestTo := -1, -1
		for i := 0; i < n; i++ {
			if d.toks[i].norm != vm.first || !d.toks[i].is(flagCap) {
				continue
			}
			j := i + 1
			for j < n && j < i+3 && d.toks[j].is(flagCap) && d.toks[j].kind == tokWord && d.hitStart[j] == d.hitStart[j+1] && d.sentOf[j] == d.sentOf[i] && !d.toks[j-1].is(flagPossess) {
				j++
			}
			vm.v.Spans = append(vm.v.Spans, d.span(i, j))
			vm.sents = append(vm.sents, int(d.sentOf[i]))
			if j-i > bestTo-bestFrom {
				bestFrom, bestTo = i, j
			}
		}
		vm.v.Name = d.spanText(bestFrom, bestTo)
	}
	if len(d.victims) != 1 {
		return
	}
	// Age and sex from descriptions near the mentions ("The five-year-old",
	// "the little Syrian boy"), when the text names one victim only.
	vm := &d.victims[0]
	near := func(s int) bool {
		for _, x := range vm.sents {
			if s >= x-1 && s <= x+1 {
				return true
			}
		}
		return false
	}
	male, female := 0, 0
	for i := 0; i < n; i++ {
		s := int(d.sentOf[i])
		if !near(s) {
			continue
		}
		if vm.v.Age == nil {
			if num, ok := d.parseNumber(i); ok && !num.vague && !num.weak && num.max == num.min {
				if d.has(num.to, clsAge) {
					_, end := d.find(num.to, clsAge)
					age := num.min
					if age >= 0 && age < 120 {
						vm.v.Age = &age
						vm.v.Spans = append(vm.v.Spans, d.span(i, end))
					}
				}
			}
			if d.isWord(i, "aged") && i+1 < n && d.toks[i+1].kind == tokNum && d.toks[i+1].num < 120 {
				age := int(d.toks[i+1].num)
				vm.v.Age = &age
				vm.v.Spans = append(vm.v.Spans, d.span(i, i+2))
			}
		}
		if d.isWord(i, "boy", "son") {
			male += 2
			vm.v.AgeGroup = "child"
			vm.v.Minor = true
			vm.v.Spans = append(vm.v.Spans, d.span(i, i+1))
		} else if d.isWord(i, "girl", "daughter") {
			female += 2
			vm.v.AgeGroup = "child"
			vm.v.Minor = true
			vm.v.Spans = append(vm.v.Spans, d.span(i, i+1))
		} else if d.isWord(i, "he", "his", "him") {
			male++
		} else if d.isWord(i, "she", "her") {
			female++
		}
	}
	switch {
	case male > female:
		vm.v.Sex = vigil.SexMale
	case female > male:
		vm.v.Sex = vigil.SexFemale
	}
	if vm.v.Age != nil {
		if *vm.v.Age < 18 {
			vm.v.Minor = true
			vm.v.AgeGroup = "child"
		} else if vm.v.AgeGroup == "" {
			vm.v.AgeGroup = "adult"
		}
	}
	if vm.v.Minor {
		vm.v.Sensitivity = vigil.Restricted
	}
}

// findFacilities finds facilities and what happened to them.
func (d *doc) findFacilities(isPlace func(int) bool) {
	n := len(d.toks)
	for i := 0; i < n; i++ {
		e, end := d.find(i, clsFacility)
		if e == nil || d.covered[i]&covOrg != 0 {
			continue
		}
		f := vigil.Facility{Type: facilityTypes[e.val]}
		from := i
		// A name before the noun: "the M10 hospital", "Salem Mosque".
		if p := i - 1; p >= 0 && d.toks[p].kind == tokWord && (d.toks[p].is(flagCap) || hasDigit(d.toks[p].norm)) &&
			d.hitStart[p] == d.hitStart[p+1] && !(p == d.sents[d.sentOf[p]].from && !hasDigit(d.toks[p].norm)) {
			from = p
			f.Name = d.spanText(p, p+1)
		}
		sfrom, sto := d.sentBounds(i)
		if f.Name == "" && d.isAR(i) && f.Type != vigil.FacilityResidential {
			if to := d.arFacilityName(end, sto, isPlace); to > end {
				f.Name = d.spanText(end, to)
				end = to
			}
		}
		f.Role = "involved"
		for k := sfrom; k < sto; k++ {
			if d.isWord(k, "taken", "rushed", "transferred", "brought", "evacuated", "transported") && d.isWord(k+1, "to") && k < i {
				f.Role = "treated_casualties"
				break
			}
			if d.has(k, clsTreated) && k > i {
				f.Role = "treated_casualties"
				break
			}
			if k < i && d.isAR(k) && (d.has(k, clsTreated) || d.arIn(k, arTransfer)) {
				f.Role = "treated_casualties"
				break
			}
		}
		if f.Role == "involved" {
			for k := max(sfrom, i-6); k < i; k++ {
				if d.has(k, clsStrikeVerb) || d.has(k, clsEvent) || d.isWord(k, "at", "in", "on", "inside") && k == i-2 {
					f.Role = "hit"
					break
				}
			}
		}
		f.Spans = []vigil.Span{d.span(from, end)}
		key := string(f.Type) + "|" + strings.ToLower(f.Name)
		d.facs = append(d.facs, facMention{f: f, sent: int(d.sentOf[i]), key: key})
		i = end - 1
	}
	// Later bare mentions of a named facility ("Doctors at M10") are evidence too.
	for fi := range d.facs {
		fm := &d.facs[fi]
		if fm.f.Name == "" {
			continue
		}
		nm := strings.ToLower(fm.f.Name)
		for i := 0; i < n; i++ {
			if d.toks[i].norm == nm && !d.has(i+1, clsFacility) {
				fm.f.Spans = append(fm.f.Spans, d.span(i, i+1))
			}
		}
	}
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}
