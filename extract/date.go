package extract

import (
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// dateMention is a date expression resolved to a FuzzyDate.
type dateMention struct {
	from, to int
	date     vigil.FuzzyDate
	dateline bool // the publication line at the top ("Posted on April 4 2017")
	top      bool // first in the line under the headline: often the day of publication
	relative bool // resolved against the publication date
	report   bool // when a source spoke ("a monitor said on Friday"), not when the event happened
}

// pubDay returns the publication day, or false.
func (d *doc) pubDay() (time.Time, bool) {
	if d.published == nil || d.published.IsZero() {
		return time.Time{}, false
	}
	t := d.published.Earliest.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
}

func (d *doc) findDates() {
	pub, hasPub := d.pubDay()
	head := d.headlineLine()
	n := len(d.toks)
	for i := 0; i < n; i++ {
		t := &d.toks[i]
		if t.kind == tokPunct {
			continue
		}
		var m dateMention
		ok := false
		switch {
		case t.kind == tokNum:
			m, ok = d.numericDate(i, pub, hasPub)
		case d.has(i, clsMonth):
			m, ok = d.monthDate(i, -1, pub, hasPub)
		case d.has(i, clsWeekday):
			m, ok = d.weekdayDate(i, pub, hasPub)
		case d.has(i, clsRelDay):
			e, end := d.find(i, clsRelDay)
			if !hasPub || d.bareYawm(end-1) {
				break
			}
			day := pub.AddDate(0, 0, -e.val)
			fd := dayOf(day)
			if e.weight > 0 {
				fd = fd.WithPartOfDay(partsOfDay[e.weight])
			}
			m, ok = dateMention{from: i, to: end, date: fd, relative: true}, true
		case d.has(i, clsRelPeriod):
			e, end := d.find(i, clsRelPeriod)
			if !hasPub {
				break
			}
			var fd vigil.FuzzyDate
			switch e.val {
			case relThisMonth:
				fd = vigil.Month(pub.Year(), pub.Month())
			case relLastMonth:
				p := pub.AddDate(0, -1, 0)
				fd = vigil.Month(p.Year(), p.Month())
			case relThisWeek:
				y, w := pub.ISOWeek()
				fd = vigil.ISOWeek(y, w)
			case relLastWeek:
				y, w := pub.AddDate(0, 0, -7).ISOWeek()
				fd = vigil.ISOWeek(y, w)
			case relThisYear:
				fd = vigil.Year(pub.Year())
			case relLastYear:
				fd = vigil.Year(pub.Year() - 1)
			}
			m, ok = dateMention{from: i, to: end, date: fd, relative: true}, true
		}
		if !ok {
			continue
		}
		// A dateline: a date in the first tokens of the text, or after
		// "posted on", "published", "updated".
		if (m.from <= 1 && d.sentOf[m.from] == 0) || d.isWord(m.from-1, "published", "posted", "updated", "publication") ||
			d.isWord(m.from-2, "posted", "published", "updated", "publication") {
			m.dateline = true
		}
		// A date that opens the line under the headline ("Air strikes
		// kill dozens\n14 Nov 2017 Air strikes that ...") is often the day
		// of publication, and the event a day or two earlier.
		if head && d.sentOf[m.from] == 1 && m.from <= d.sents[1].from+1 {
			m.top = true
		}
		// A post's time stamp: "December 6, 2024 · Shared with Public"
		// (Facebook), "1:00 AM · Nov 30, 2024" (X).
		if d.isPunct(m.to, "·") || d.isPunct(m.from-1, "·") {
			m.dateline = true
		}
		// A report date: "said on Friday", "reported Saturday", "told
		// Reuters on Sunday". It dates the statement, not the event.
		if p := m.from - 1; d.isWord(p, "on") {
			m.report = d.isReportVerb(p - 1)
		} else {
			m.report = d.isReportVerb(p)
		}
		for k := m.from; k < m.to; k++ {
			d.covered[k] |= covDate
		}
		if d.covered[m.from]&covMeta != 0 {
			// A photo caption's day is when the photo was taken.
			i = m.to - 1
			continue
		}
		d.dates = append(d.dates, m)
		i = m.to - 1
	}
}

func dayOf(t time.Time) vigil.FuzzyDate { return vigil.Day(t.Year(), t.Month(), t.Day()) }

// weekdayDate resolves "Wednesday", "on Wednesday evening", "Wed 19 Apr 2017".
func (d *doc) weekdayDate(i int, pub time.Time, hasPub bool) (dateMention, bool) {
	e, end := d.find(i, clsWeekday)
	t := &d.toks[i]
	if len(t.norm) <= 4 && !t.is(flagCap) && !t.is(flagArabic) {
		return dateMention{}, false // "sun", "sat", "wed" in lower case are words
	}
	// An Arabic weekday takes the article: without it "أحد" is "one"
	// (أحد عناصر)، "اثنين" "two" (طفلين اثنين)، "جمعة" a name. Sunday is
	// "الأحد" or "يوم أحد".
	if t.is(flagArabic) && !arDefinite(t.norm) && !d.isWord(i-1, arKey("يوم")) {
		return dateMention{}, false
	}
	// "Wed 19 Apr 2017", "Wednesday, August 17": the explicit date wins.
	j := end
	if d.isPunct(j, ",") {
		j++
	}
	if j < len(d.toks) && d.toks[j].kind == tokNum {
		if m, ok := d.numericDate(j, pub, hasPub); ok {
			m.from = i
			return m, true
		}
	}
	if j < len(d.toks) && d.has(j, clsMonth) {
		if m, ok := d.monthDate(j, -1, pub, hasPub); ok {
			m.from = i
			return m, true
		}
	}
	if len(t.norm) <= 4 {
		return dateMention{}, false // an abbreviated weekday alone is not a date
	}
	m := dateMention{from: i, to: end, relative: true}
	if !hasPub {
		return m, true // stated, but unresolvable: zero date
	}
	back := (int(pub.Weekday()) - e.val + 7) % 7
	fd := dayOf(pub.AddDate(0, 0, -back))
	// Part of day after ("Wednesday evening", "Wednesday night") or before
	// ("on the evening of Wednesday", "late Wednesday").
	if e2, end2 := d.find(end, clsPartOfDay); e2 != nil {
		fd = fd.WithPartOfDay(partsOfDay[e2.val])
		m.to = end2
	} else if d.isWord(end, "early", "late") {
		if e2, end2 := d.find(end+1, clsPartOfDay); e2 != nil {
			fd = fd.WithPartOfDay(partsOfDay[e2.val])
			m.to = end2
		}
	} else if i >= 2 && d.isWord(i-1, "of") {
		if e2, _ := d.find(i-2, clsPartOfDay); e2 != nil {
			fd = fd.WithPartOfDay(partsOfDay[e2.val])
			m.from = i - 2
		}
	}
	// Arabic puts the part of the day first: "مساء الأربعاء"، "فجر يوم الخميس".
	if t.is(flagArabic) {
		p := i - 1
		if d.arIn(p, arYawm) {
			p--
		}
		if e2, _ := d.find(p, clsPartOfDay); e2 != nil && p >= 0 && d.sentOf[p] == d.sentOf[i] {
			fd = fd.WithPartOfDay(partsOfDay[e2.val])
			m.from = p
		}
	}
	m.date = fd
	return m, true
}

var arYawm = arSet("يوم")

// bareYawm reports whether token i is the Arabic "يوم" (a day) without the
// article: "اليوم" is today, "يوم الأربعاء" is not.
func (d *doc) bareYawm(i int) bool {
	t := &d.toks[i]
	if !t.is(flagArabic) || !arYawm[matchKey(t)] {
		return false
	}
	return !strings.HasSuffix(t.norm, arAl+arKey("يوم")) && !strings.HasSuffix(t.norm, arLam+arKey("يوم"))
}

// monthDate resolves "August 17, 2016", "Aug. 17", "August 2016", and with
// day >= 0 "17 August 2016" (the day token precedes the month at i).
func (d *doc) monthDate(i, day int, pub time.Time, hasPub bool) (dateMention, bool) {
	e, end := d.find(i, clsMonth)
	if e == nil {
		return dateMention{}, false
	}
	t := &d.toks[i]
	if !t.is(flagCap) && !t.is(flagArabic) {
		return dateMention{}, false
	}
	from := i
	if day >= 0 {
		from = i - 1
	}
	j := end
	year := -1
	if day < 0 && j < len(d.toks) && d.toks[j].kind == tokNum && d.toks[j].num >= 1 && d.toks[j].num <= 31 {
		day = int(d.toks[j].num)
		j++
		if d.isWord(j, "th", "st", "nd", "rd") {
			j++
		}
	}
	k := j
	if d.isPunct(k, ",") {
		k++
	}
	if k < len(d.toks) && d.toks[k].kind == tokNum && d.toks[k].num >= 1900 && d.toks[k].num <= 2100 {
		year = int(d.toks[k].num)
		j = k + 1
	}
	if day < 0 && year < 0 {
		// A bare month name ("in March"): month precision when a year is
		// known from the publication date, after "in", "since", "early", "late"
		// or "mid" ("may" is the modal elsewhere).
		if e.weight > 0 || !hasPub || !d.isWord(i-1, "in", "since", "early", "late", "mid") {
			return dateMention{}, false
		}
		y := pub.Year()
		if time.Month(e.val) > pub.Month() {
			y--
		}
		return dateMention{from: from, to: j, date: vigil.Month(y, time.Month(e.val)), relative: true}, true
	}
	if e.weight > 0 && day < 0 && year < 0 {
		return dateMention{}, false
	}
	rel := false
	if year < 0 {
		if !hasPub {
			return dateMention{}, false
		}
		// A report describes the past: a month and day later than the
		// publication day belong to the year before.
		year = pub.Year()
		if time.Date(year, time.Month(e.val), max(day, 1), 0, 0, 0, 0, time.UTC).After(pub) {
			year--
		}
		rel = true
	}
	if day < 0 {
		return dateMention{from: from, to: j, date: vigil.Month(year, time.Month(e.val)), relative: rel}, true
	}
	if day > daysIn(year, time.Month(e.val)) {
		return dateMention{}, false
	}
	return dateMention{from: from, to: j, date: vigil.Day(year, time.Month(e.val), day), relative: rel}, true
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// numericDate reads "17 August 2016", "2016-08-17" and "17/08/2016".
func (d *doc) numericDate(i int, pub time.Time, hasPub bool) (dateMention, bool) {
	t := &d.toks[i]
	v := int(t.num)
	// 17 August [2016]
	if v >= 1 && v <= 31 && i+1 < len(d.toks) && d.has(i+1, clsMonth) {
		return d.monthDate(i+1, v, pub, hasPub)
	}
	// 2016-08-17
	if v >= 1900 && v <= 2100 && i+2 < len(d.toks) && d.toks[i+1].kind == tokNum && d.toks[i+1].is(flagJoined) &&
		d.toks[i+2].kind == tokNum && d.toks[i+2].is(flagJoined) {
		m, dd := int(d.toks[i+1].num), int(d.toks[i+2].num)
		if m >= 1 && m <= 12 && dd >= 1 && dd <= daysIn(v, time.Month(m)) {
			return dateMention{from: i, to: i + 3, date: vigil.Day(v, time.Month(m), dd)}, true
		}
	}
	// 17-08-2016 and 2016/08/17 (Arabic posts write both).
	if v >= 1 && v <= 31 && i+2 < len(d.toks) && d.toks[i+1].kind == tokNum && d.toks[i+1].is(flagJoined) &&
		d.toks[i+2].kind == tokNum && d.toks[i+2].is(flagJoined) {
		m, y := int(d.toks[i+1].num), int(d.toks[i+2].num)
		if y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && v <= daysIn(y, time.Month(m)) {
			return dateMention{from: i, to: i + 3, date: vigil.Day(y, time.Month(m), v)}, true
		}
	}
	if v >= 1900 && v <= 2100 && i+4 < len(d.toks) && d.isPunct(i+1, "/") && d.toks[i+2].kind == tokNum && d.isPunct(i+3, "/") && d.toks[i+4].kind == tokNum {
		m, dd := int(d.toks[i+2].num), int(d.toks[i+4].num)
		if m >= 1 && m <= 12 && dd >= 1 && dd <= daysIn(v, time.Month(m)) {
			return dateMention{from: i, to: i + 5, date: vigil.Day(v, time.Month(m), dd)}, true
		}
	}
	// 17/08/2016 (day first, as Syrian and most non-US sources write; month
	// first when the first number cannot be a month... or the second cannot).
	if i+4 < len(d.toks) && d.isPunct(i+1, "/") && d.toks[i+2].kind == tokNum && d.isPunct(i+3, "/") && d.toks[i+4].kind == tokNum {
		a, b, y := v, int(d.toks[i+2].num), int(d.toks[i+4].num)
		if y < 100 {
			y += 2000
		}
		dd, mm := a, b
		if b > 12 && a <= 12 {
			dd, mm = b, a
		}
		if y >= 1900 && y <= 2100 && mm >= 1 && mm <= 12 && dd >= 1 && dd <= daysIn(y, time.Month(mm)) {
			return dateMention{from: i, to: i + 5, date: vigil.Day(y, time.Month(mm), dd)}, true
		}
	}
	return dateMention{}, false
}

// isReportVerb reports whether token i is a verb of saying.
func (d *doc) isReportVerb(i int) bool {
	return d.isWord(i, "said", "says", "reported", "announced", "added", "stated", "confirmed", "tweeted", "told")
}
