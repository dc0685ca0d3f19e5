package airwars

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	monthNames = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?`
	reDMY      = regexp.MustCompile(`\b([0-3]?\d)(?:st|nd|rd|th)?\s+` + monthNames + `[,،]?\s+((?:19|20)\d\d)\b`)
	// No word boundary before the month: Facebook's chrome runs the
	// author into the date ("Verified accountDecember 6, 2024").
	reMDY = regexp.MustCompile(monthNames + `\s+([0-3]?\d)(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b`)
	// Arabic: "23 نوفمبر 2025", "6/ تشرين الأول/ 2022", "1 من أيلول 2023",
	// "22 أكتوبر/تشرين الأول 2019", "28 يلول, 2025" (digits made ASCII first).
	reArDMY = regexp.MustCompile(`\b([0-3]?\d)\s*/?\s*(?:من\s+)?(\p{Arabic}+(?:\s+\p{Arabic}+)?)(?:\s*/\s*\p{Arabic}+(?:\s+\p{Arabic}+)?)?\s*[,،/]?\s*((?:19|20)\d\d)\b`)
	reISO   = regexp.MustCompile(`\b((?:19|20)\d\d)[-/.](0?[1-9]|1[0-2])[-/.]([0-3]?\d)\b`)
)

func monthOf(s string) (time.Month, bool) {
	s = strings.TrimSuffix(s, ".")
	for _, layout := range []string{"January", "Jan"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Month(), true
		}
	}
	if s == "Sept" {
		return time.September, true
	}
	return 0, false
}

// pageDate finds the date a captured page shows near its top (a dateline,
// "Friday, 16 June 2023", "Feb 19, 2023", "2022-02-02"): the earliest full
// date in the first 600 bytes of the title and text. Collectors record a
// page's own date when its metadata lacks one.
func pageDate(text string) string {
	if len(text) > 600 {
		text = text[:600]
	}
	best, at := "", len(text)+1
	try := func(pos int, y, m, d int) {
		if pos >= at || m < 1 || m > 12 || d < 1 || d > 31 {
			return
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			return
		}
		best, at = t.Format("2006-01-02"), pos
	}
	for _, m := range reDMY.FindAllStringSubmatchIndex(text, -1) {
		d, _ := strconv.Atoi(text[m[2]:m[3]])
		mo, ok := monthOf(text[m[4]:m[5]])
		y, _ := strconv.Atoi(text[m[6]:m[7]])
		if ok {
			try(m[0], y, int(mo), d)
		}
	}
	for _, m := range reMDY.FindAllStringSubmatchIndex(text, -1) {
		mo, ok := monthOf(text[m[2]:m[3]])
		d, _ := strconv.Atoi(text[m[4]:m[5]])
		y, _ := strconv.Atoi(text[m[6]:m[7]])
		if ok {
			try(m[0], y, int(mo), d)
		}
	}
	ascii := toASCIIDigits(text)
	for _, m := range reArDMY.FindAllStringSubmatchIndex(ascii, -1) {
		d, _ := strconv.Atoi(ascii[m[2]:m[3]])
		y, _ := strconv.Atoi(ascii[m[6]:m[7]])
		name := ascii[m[4]:m[5]]
		mo, ok := ArabicMonth(name)
		if !ok {
			first, _, _ := strings.Cut(name, " ")
			mo, ok = ArabicMonth(first)
		}
		if ok {
			try(m[0], y, int(mo), d)
		}
	}
	for _, m := range reISO.FindAllStringSubmatchIndex(text, -1) {
		y, _ := strconv.Atoi(text[m[2]:m[3]])
		mo, _ := strconv.Atoi(text[m[4]:m[5]])
		d, _ := strconv.Atoi(text[m[6]:m[7]])
		try(m[0], y, mo, d)
	}
	return best
}

// PublishedDate is the publication day (ISO 8601) the resolution
// evaluation gives a text: the record's own date, else the sources table's
// for its URL, else the URL's, else the date the page shows at its top
// (clean is the text with page chrome blanked out). Empty when none.
func PublishedDate(t Text, sourceDates map[string]string, clean string) string {
	if d, _ := publishedDate(t, sourceDates); d != "" {
		return d
	}
	return pageDate(t.PageTitle + "\n" + clean)
}
