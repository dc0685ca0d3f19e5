package extract

import (
	"context"
	"testing"
	"time"
	"unicode/utf8"

	vigil "github.com/vigil-rec/vigil"
)

// checkFigures: every figure of every claim is a sane range.
func checkFigures(t *testing.T, text string, cs []*vigil.Claim) {
	for _, c := range cs {
		for _, f := range c.Figures {
			if f.Min < 0 || (f.Max != nil && *f.Max < f.Min) {
				t.Fatalf("%q: figure %s %s %d-%v", text, f.Kind, f.Category, f.Min, f.Max)
			}
		}
	}
}

// FuzzNumbers: the number parser (digits, separators, Arabic-Indic digits,
// number words, qualifiers, ranges) on any text gives non-negative counts
// with an upper bound no lower than the lower one, and figures built from
// them are sane ranges.
func FuzzNumbers(f *testing.F) {
	for _, s := range []string{
		"At least 16 people died.", "Between 12 and 15 soldiers died.", "It killed 12-15 people.",
		"The death toll rose to 1,204.", "One hundred and twenty people were killed.", "It killed ٣ people.",
		"قتل ١٢٣ شخصا", "Dozens of people were injured.", "Up to 40 fighters were killed.",
		"999999999999999999999999 million people were killed.", "It killed 9,223,372,036,854,775,807 thousand people.",
		"20-02-2016 killed 3", "a 60-year-old man", "between 15 and 12 people died", "1.5 million killed",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || len(text) > 4096 {
			return
		}
		d := testExtractor.analyse(text, nil)
		for i := range d.toks {
			n, ok := d.parseNumber(i)
			if !ok {
				continue
			}
			if n.min < 0 || (n.max != -1 && n.max < n.min) || n.to < n.from || n.to > len(d.toks) {
				t.Fatalf("%q at token %d: %+v", text, i, n)
			}
		}
		cs, err := testExtractor.Extract(context.Background(), &vigil.Document{Text: text})
		if err != nil {
			return
		}
		checkFigures(t, text, cs)
	})
}

// FuzzRelativeDates: weekdays, "yesterday", "last night", month names and
// numeric dates resolved against any publication day give ordered
// intervals that are valid dates; a relative date never comes after the
// publication day.
func FuzzRelativeDates(f *testing.F) {
	for _, s := range []string{
		"A strike on Wednesday evening killed 3 people.", "A strike yesterday killed 3 people.",
		"A strike last night killed 3 people.", "A strike on 17 August 2016 killed 3 people.",
		"A strike on 31/02/2016 killed 3 people.", "A strike earlier this month killed 3 people.",
		"A strike on Aug. 12 killed 3 people.", "قصف يوم الأربعاء أدى إلى مقتل ٣ أشخاص",
		"On 29 February killed 2.", "On Monday and Tuesday 4 killed",
	} {
		f.Add(s, int64(17045))
	}
	f.Add("A strike on 1 January killed 2 people.", int64(0))
	f.Add("Yesterday 5 people were killed.", int64(-719162))
	f.Add("Yesterday 5 people were killed.", int64(2932896))
	f.Fuzz(func(t *testing.T, text string, days int64) {
		if !utf8.ValidString(text) || len(text) > 4096 {
			return
		}
		// Publication days from year 1 to 9999.
		if days < -719162 || days > 2932896 {
			return
		}
		pt := time.Unix(days*86400, 0).UTC()
		pub := vigil.Day(pt.Year(), pt.Month(), pt.Day())
		d := testExtractor.analyse(text, &pub)
		for _, m := range d.dates {
			if m.date.IsZero() {
				continue
			}
			if m.date.Latest.Before(m.date.Earliest) {
				t.Fatalf("%q (published %s): date %s ends before it starts", text, pub, m.date)
			}
			if m.relative && m.date.Earliest.After(pub.Latest) {
				t.Fatalf("%q (published %s): relative date %s after publication", text, pub, m.date)
			}
		}
		cs, err := testExtractor.Extract(context.Background(), &vigil.Document{Text: text, Published: &pub})
		if err != nil {
			return
		}
		for _, c := range cs {
			if v := c.Date.Value; !v.IsZero() && v.Latest.Before(v.Earliest) {
				t.Fatalf("%q: claim date %s ends before it starts", text, v)
			}
		}
		checkFigures(t, text, cs)
	})
}
