package extract

import (
	vigil "github.com/vigil-rec/vigil"
)

// arTitle describes a definite noun that introduces a named person in an
// Arabic report: "الطفل <name>", "الشهيدة <name>", "الشاب <name>".
type arTitle struct {
	sex    vigil.Sex
	minor  bool
	killed bool // the title itself says the person was killed (الشهيد)
	adult  bool // the title says the person is an adult (الشاب، المسن)
}

var arTitles = func() map[string]arTitle {
	m := map[string]arTitle{}
	add := func(t arTitle, ws ...string) {
		for _, w := range ws {
			m[arKey(w)] = t
		}
	}
	add(arTitle{sex: vigil.SexMale, minor: true}, "الطفل", "الفتى", "الرضيع", "الصبي")
	add(arTitle{sex: vigil.SexFemale, minor: true}, "الطفلة", "الفتاة", "الرضيعة", "الصبية")
	add(arTitle{sex: vigil.SexMale, adult: true}, "الشاب", "الرجل", "المسن", "العجوز")
	add(arTitle{sex: vigil.SexFemale, adult: true}, "الشابة", "السيدة", "المسنة")
	add(arTitle{sex: vigil.SexMale}, "المواطن", "المدني", "الحاج")
	add(arTitle{sex: vigil.SexFemale}, "المواطنة", "المدنية", "الحاجة")
	add(arTitle{sex: vigil.SexMale, killed: true}, "الشهيد")
	add(arTitle{sex: vigil.SexFemale, killed: true}, "الشهيدة")
	return m
}()

// arNotName are words that end a name run after a title: prepositions,
// conjunctions, relatives, pronouns and the words of how and where a
// person was hurt.
var arNotName = arSet("في", "من", "على", "إلى", "الى", "عن", "مع", "جراء", "إثر", "اثر", "بعد", "قبل", "خلال", "أثناء",
	"عند", "عندما", "حين", "حيث", "قرب", "بالقرب", "وسط", "داخل", "منذ", "الذي", "التي", "الذين", "اللذين", "وهو", "وهي",
	"هو", "هي", "متأثرا", "متأثراً", "متأثرة", "برصاص", "بقصف", "بغارة", "بقذيفة", "بجروح", "بانفجار", "نتيجة", "بسبب",
	"ابن", "ابنة", "نجل", "زوجة", "زوج", "شقيق", "شقيقة", "والد", "والدة", "أبناء", "ووالده", "ووالدته", "وأخوه",
	"البالغ", "البالغة", "ذو", "ذات", "عمره", "عمرها", "بعمر", "العمر", "وذلك", "ايضا", "أيضا", "اليوم", "أمس", "مساء",
	"صباح", "فجر", "ليلة", "يوم", "كان", "كانت", "قد", "لم", "لا", "ما", "أن", "إن", "انه", "أنه", "أنها", "كل", "بين",
	"الصغير", "الصغيرة", "الرضيع", "الرضيعة", "الجريح", "الجريحة", "المصاب", "المصابة", "المدني", "المدنية", "النازح",
	"النازحة", "الثاني", "الأول", "الأخير", "آخر", "أخرى", "وآخر", "وأخرى", "آخرين",
	// Prayers and adverbs that follow "الشهيد" in posts ("الشهيد بإذن الله").
	"بإذن", "بإذنه", "عظم", "رحمه", "رحمها", "تقبله", "تقبلها", "بشكل", "رفض")

// arAgeUnits are the nouns of an age: "(5 أعوام)", "12 عاماً", "ثلاث سنوات", "سبعة أشهر".
var arAgeYears = arSet("عام", "عاما", "أعوام", "سنة", "سنوات", "سنين", "ربيعا")
var arAgeMonths = arSet("شهر", "شهرا", "أشهر", "شهور")

// findVictimsAR finds named victims in Arabic sentences: a name after a
// definite title noun ("استشهد الطفل <first> <father> <family> (7
// أعوام)"), in a sentence that says the person was killed or injured (or a
// title that says it: الشهيد). Sex and minority come from the title, age
// from "(N أعوام)", "البالغ من العمر N عاماً" or a number of years or months
// after the name. Names are kept as written; a minor is restricted.
func (d *doc) findVictimsAR(isPlace func(int) bool) {
	n := len(d.toks)
	for i := 0; i < n; i++ {
		t := &d.toks[i]
		if t.kind != tokWord || !t.is(flagArabic) || !d.isAR(i) || d.covered[i]&covOrg != 0 || !arDefinite(t.norm) {
			continue
		}
		title, ok := arTitles[matchKey(t)]
		if !ok {
			continue
		}
		if i > 0 && (d.arIn(i-1, arNamedFor) || d.has(i-1, clsFacility) || d.covered[i-1]&covOrg != 0) {
			continue // "مدرسة الشهيد ...", "لواء الشهيد ...": named after someone
		}
		sfrom, sto := d.sentBounds(i)
		// The name: one to four Arabic words that are not known words,
		// places or function words; the first without the article
		// ("محمد"), later ones may carry it ("العلي", "عبد الرحمن").
		j := i + 1
		for j < sto && j < i+5 && d.nameWordAR(j, isPlace) && !(j == i+1 && arDefinite(d.toks[j].norm)) {
			j++
		}
		if j == i+1 {
			continue
		}
		// A one-word name needs something after it that closes a name: the
		// end of the sentence, punctuation, an age, a kinship word or a
		// preposition; else it may be a common noun.
		if j == i+2 && j < sto && d.toks[j].kind == tokWord && !d.arIn(j, arNotName) {
			continue
		}
		status := d.arVictimStatus(i, sfrom, sto, title)
		if status == "" {
			continue
		}
		v := vigil.Victim{Status: status, Sex: title.sex, Sensitivity: vigil.Public, Name: d.spanText(i+1, j)}
		v.Spans = []vigil.Span{d.span(i, j)}
		if title.minor {
			v.Minor, v.AgeGroup = true, "child"
		} else if title.adult {
			v.AgeGroup = "adult"
		}
		if age, from, to, ok := d.arAgeAfter(j, sto); ok {
			v.Age = &age
			v.Spans = append(v.Spans, d.span(from, to))
			if age < 18 {
				v.Minor, v.AgeGroup = true, "child"
			} else if v.AgeGroup == "" || v.Minor {
				v.Minor, v.AgeGroup = false, "adult"
			}
		}
		if v.Minor {
			v.Sensitivity = vigil.Restricted
		}
		first := d.toks[i+1].norm
		found := -1
		for vi := range d.victims {
			if d.victims[vi].first == first && d.victims[vi].v.Name == v.Name {
				found = vi
			}
		}
		if found >= 0 {
			vm := &d.victims[found]
			vm.v.Spans = append(vm.v.Spans, v.Spans...)
			vm.sents = append(vm.sents, int(d.sentOf[i]))
			if status == vigil.Killed {
				vm.v.Status = vigil.Killed
			}
			if vm.v.Age == nil && v.Age != nil {
				vm.v.Age, vm.v.Minor, vm.v.AgeGroup, vm.v.Sensitivity = v.Age, v.Minor, v.AgeGroup, v.Sensitivity
			}
		} else {
			d.victims = append(d.victims, victimMention{v: v, first: first, sents: []int{int(d.sentOf[i])}})
		}
		i = j - 1
	}
}

// nameWordAR reports whether token j can be part of a person's name.
func (d *doc) nameWordAR(j int, isPlace func(int) bool) bool {
	t := &d.toks[j]
	if t.kind != tokWord || !t.is(flagArabic) || isPlace(j) || d.covered[j] != 0 {
		return false
	}
	if d.hitStart[j] != d.hitStart[j+1] || d.arIn(j, arNotName) {
		return false
	}
	// A word with و in front is the next item of a list, not a name part
	// ("الطفل <name> ووالده"): the tokenizer keeps proclitics, so a name
	// word beginning with و is read as a new item unless it is the first.
	return true
}

// arVictimStatus: killed or injured, from the title or the nearest casualty
// word of the sentence, preferring one before the title ("استشهد الطفل
// ..."), then one after it ("... الطفل <name> الذي أصيب").
func (d *doc) arVictimStatus(i, sfrom, sto int, title arTitle) vigil.FigureKind {
	if title.killed {
		return vigil.Killed
	}
	for k := i - 1; k >= sfrom && k >= i-8; k-- {
		if d.has(k, clsKill) {
			return vigil.Killed
		}
		if d.has(k, clsInjure) {
			return vigil.Injured
		}
	}
	for k := i + 1; k < sto && k < i+14; k++ {
		if d.has(k, clsKill) {
			return vigil.Killed
		}
		if d.has(k, clsInjure) {
			return vigil.Injured
		}
	}
	return ""
}

// arAgeAfter reads an age just after a name: "(5 أعوام)", "، 12 عاماً",
// "البالغ من العمر 12 عاماً", "ذو السبع سنوات" is not read (a number
// word with the article).
func (d *doc) arAgeAfter(j, sto int) (age, from, to int, ok bool) {
	k := j
	for k < sto && k < j+5 && (d.toks[k].kind == tokPunct && (d.isPunct(k, "(") || d.isPunct(k, "،") || d.isPunct(k, ",") || d.isPunct(k, "-")) ||
		d.arIn(k, arAgeLead)) {
		k++
	}
	if k >= sto || k > j+5 {
		return 0, 0, 0, false
	}
	num, nok := d.arNumber(k, sto)
	if !nok || num.vague || num.qual != vigil.QualExact || num.max != num.min {
		return 0, 0, 0, false
	}
	u := num.to
	if u >= sto {
		return 0, 0, 0, false
	}
	switch {
	case d.arIn(u, arAgeYears):
		if num.min < 0 || num.min >= 120 {
			return 0, 0, 0, false
		}
		return num.min, k, u + 1, true
	case d.arIn(u, arAgeMonths):
		if num.min < 0 || num.min >= 24 {
			return 0, 0, 0, false
		}
		return 0, k, u + 1, true
	}
	return 0, 0, 0, false
}

var arAgeLead = arSet("البالغ", "البالغة", "من", "العمر", "عمره", "عمرها", "بعمر", "ذو", "ذات")

// arNamedFor are nouns after which "الشهيد <name>" names a unit, a school
// or a street after a dead person, not a victim of the event.
var arNamedFor = arSet("لواء", "كتيبة", "كتائب", "تجمع", "فرقة", "سرايا", "سرية", "جبهة", "فوج", "مدرسة", "مشفى", "مستشفى",
	"حي", "شارع", "دوار", "ساحة", "جامع", "مسجد", "مخيم", "مركز", "روضة", "حديقة", "جسر", "معهد", "ثانوية", "قاعة", "مؤسسة")
