package extract

import (
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// arFacilityGeneric are words after a facility noun that describe it
// rather than name it: "مدرسة البلدة" is the town's school, "مسجد القرية"
// the village mosque; they give no name.
var arFacilityGeneric = arSet("البلدة", "المدينة", "القرية", "الحي", "المنطقة", "المخيم", "الوحيد", "الوحيدة", "الرئيسي",
	"الرئيسية", "القريب", "القريبة", "المجاور", "المجاورة", "الشعبي", "المذكور", "المذكورة", "نفسه", "نفسها", "المحلي",
	"المحلية", "الكبير", "الكبيرة", "الصغير", "الصغيرة", "القديم", "القديمة", "الجديد", "الجديدة", "المستهدف", "المستهدفة",
	"الميداني", "الميدانية", "الوطني", "الوطنية", "العام", "العامة", "الخاص", "الخاصة", "الخيري", "الخيرية", "الآلي",
	"الاحتياطي", "النزوح", "التهجير", "المهجرين", "اللاجئين", "النازحين", "العشوائية", "العشوائي", "الشرب", "السكني", "السكنية", "التجاري", "التجارية", "الشعبية", "الطبي", "الطبية", "الصحي", "الصحية", "التابع", "التابعة", "الواقع", "الواقعة", "فيها", "فيه", "الذي", "التي", "ذاته", "ذاتها")

// arFacilityName reads the name that follows an Arabic facility noun
// ending at token end: "مشفى الكندي", "مشفى M10", "مستشفى معرة النعمان
// الوطني", "جامع عمر بن الخطاب". The name is a run of at most four
// tokens: places, words with digits or Latin capitals, and words that are
// not in the lexicon and carry the article (a verb or a word with a preposition attached ends it); a generic word ("مدرسة البلدة") gives no name, and
// a descriptive adjective after a name ("الوطني") is kept with it. It
// returns the end of the name, end itself when there is none.
func (d *doc) arFacilityName(end, sto int, isPlace func(int) bool) int {
	j := end
	for j < sto && j < end+4 {
		t := &d.toks[j]
		switch {
		case isPlace(j) && (j == end && !d.placeAfterProclitic(j) || j > end && isPlace(j-1) && !d.placeStartsAt(j)):
			// A place right after the noun names it ("مشفى إدلب الجامعي");
			// a place after a name says where it is ("... بريف إدلب").
		case t.kind == tokWord && !t.is(flagArabic) && (t.is(flagCap) || hasDigit(t.norm)):
		case t.kind == tokWord && t.is(flagArabic) && strings.HasPrefix(t.norm, arAl) && d.hitStart[j] == d.hitStart[j+1] && d.covered[j] == 0 &&
			!d.arIn(j, arNotName) && !d.arIn(j, arFacilityGeneric) && !d.arIn(j, arNotFacilityName):
		default:
			goto done
		}
		j++
	}
done:
	if j == end {
		return end
	}
	// "مشفى معرة النعمان الوطني": a descriptive adjective after a name.
	if j < sto && d.arIn(j, arFacilityGeneric) && arDefinite(d.toks[j].norm) && !d.arIn(j, arNotName) {
		j++
	}
	return j
}

// arNotFacilityName: words that follow a facility noun without naming it.
var arNotFacilityName = arSet("وسط", "شرق", "غرب", "شمال", "جنوب", "شرقي", "غربي", "شمالي", "جنوبي", "بالقرب", "قرب",
	"ومحيطه", "ومحيطها", "محيط", "مما", "ما", "أدى", "ادى", "تسبب", "وأدى", "أسفر", "وأسفر", "مخلفا", "مخلفة", "بشكل",
	"بالكامل", "كليا", "جزئيا", "عن", "خارج", "الخدمة")

// placeStartsAt reports whether a place mention begins at token j.
func (d *doc) placeStartsAt(j int) bool {
	for k := range d.places {
		if d.places[k].from == j {
			return true
		}
	}
	return false
}

// placeAfterProclitic reports whether the place mention that begins at
// token j is written with a preposition attached ("بريف إدلب", "لمدينة
// حلب"): the token begins with ب, ل, و or ف and none of the place's names
// does.
func (d *doc) placeAfterProclitic(j int) bool {
	n := d.toks[j].norm
	if !d.toks[j].is(flagArabic) || len(n) < 2 || (n[:2] != arBa && n[:2] != arLam && n[:2] != arWaw && n[:2] != arFa) {
		return false
	}
	for k := range d.places {
		p := &d.places[k]
		if p.from != j {
			continue
		}
		names := []*vigil.Place{p.chosen}
		if p.chosen == nil {
			names = p.cands
		}
		for _, pl := range names {
			if pl == nil {
				continue
			}
			for _, nm := range append([]string{pl.NameAR}, pl.Variants...) {
				if toks := tokenize(nm); len(toks) > 0 && strings.HasPrefix(toks[0].norm, n[:2]) {
					return false
				}
			}
		}
		return true
	}
	return false
}
