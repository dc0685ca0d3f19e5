package airwars

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// arabicMonths maps Arabic month names to months: the Gregorian names
// transliterated from the Latin ones (Egypt, the Gulf, most news sites),
// the Syriac names used in Syria, Lebanon, Jordan and Iraq (كانون الثاني
// is January), and the French-derived names of the Maghreb, each with and
// without hamza. Keys are normalised by normArabic.
var arabicMonths = map[string]time.Month{}

func init() {
	for m, names := range [12][]string{
		{"يناير", "كانون الثاني", "جانفي"},
		{"فبراير", "شباط", "فيفري"},
		{"مارس", "آذار"},
		{"أبريل", "إبريل", "نيسان", "أفريل"},
		{"مايو", "أيار", "ماي"},
		{"يونيو", "يونية", "حزيران", "جوان"},
		{"يوليو", "يولية", "تموز", "جويلية"},
		{"أغسطس", "آب", "أوت"},
		{"سبتمبر", "أيلول"},
		{"أكتوبر", "تشرين الأول"},
		{"نوفمبر", "تشرين الثاني"},
		{"ديسمبر", "كانون الأول"},
	} {
		for _, n := range names {
			arabicMonths[normArabic(n)] = time.Month(m + 1)
		}
	}
}

// normArabic folds the spellings of a month name: hamza forms of alif to
// bare alif, final ta marbuta to ha, alif maqsura to ya, tatweel and
// diacritics dropped, spaces collapsed.
func normArabic(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ة':
			r = 'ه'
		case r == 'ى':
			r = 'ي'
		case r == 'ـ' || unicode.Is(unicode.Mn, r):
			continue
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// ArabicMonth returns the month an Arabic month name stands for, in any of
// the three naming systems (Gregorian transliterated, Syriac, Maghrebi) and
// common spellings, with or without a leading "في" or the definite article
// of "شهر": "نوفمبر", "تشرين الثاني", "تشرين ثاني", "اذار".
func ArabicMonth(name string) (time.Month, bool) {
	n := normArabic(name)
	if m, ok := arabicMonths[n]; ok {
		return m, true
	}
	// "تشرين ثاني" and "كانون اول" without the article.
	for _, pre := range []string{"تشرين ", "كانون "} {
		if rest, ok := strings.CutPrefix(n, normArabic(pre)+" "); ok && !strings.HasPrefix(rest, "ال") {
			if m, ok := arabicMonths[normArabic(pre)+" ال"+rest]; ok {
				return m, true
			}
		}
	}
	return 0, false
}

// EnglishMonth returns the month an English month name or its usual
// abbreviation ("Sept", "Dec.") stands for.
func EnglishMonth(name string) (time.Month, bool) {
	s := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
	if s == "sept" {
		return time.September, true
	}
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		if s == full || s == full[:3] {
			return m, true
		}
	}
	return 0, false
}

// toASCIIDigits turns Arabic-Indic and Eastern Arabic-Indic digits into
// ASCII ones.
func toASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		}
		return r
	}, s)
}

var (
	reDayMonthYear = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?[\s,،.\-/]+(\D+?)[\s,،.\-/]+(\d{4})$`)
	reMonthDayYear = regexp.MustCompile(`^(\D+?)[\s.]+(\d{1,2})(?:st|nd|rd|th)?[\s,،]+(\d{4})$`)
)

// ParseDate reads a document's stated date as a collector or a page gives
// it and returns the day as ISO 8601 (YYYY-MM-DD): an ISO date or
// timestamp ("2025-06-15T19:05:36.000Z" is read in its own zone), "23
// نوفمبر 2025", "٢٣ تشرين الثاني ٢٠٢٥", "23 November 2025" or "November 23,
// 2025". It returns false for anything else, an impossible day included; it
// never guesses.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(toASCIIDigits(s))
	if s == "" {
		return "", false
	}
	if f := strings.Fields(s); len(f) > 1 && len(f[0]) >= 10 && f[0][4] == '-' {
		s = f[0] // "2025-07-12T17:45:35+00:00 2025-07-12T18:45:35+01:00"
	}
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		if d, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return d.Format("2006-01-02"), true
		}
		return "", false
	}
	s = strings.Join(strings.Fields(s), " ")
	var day, year int
	var month time.Month
	ok := false
	if m := reDayMonthYear.FindStringSubmatch(s); m != nil {
		day, _ = strconv.Atoi(m[1])
		year, _ = strconv.Atoi(m[3])
		month, ok = monthName(m[2])
	} else if m := reMonthDayYear.FindStringSubmatch(s); m != nil {
		day, _ = strconv.Atoi(m[2])
		year, _ = strconv.Atoi(m[3])
		month, ok = monthName(m[1])
	}
	if !ok {
		return "", false
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || t.Month() != month {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func monthName(s string) (time.Month, bool) {
	s = strings.Trim(s, " ,،.-/")
	if m, ok := EnglishMonth(s); ok {
		return m, true
	}
	return ArabicMonth(strings.TrimPrefix(normArabic(s), "شهر "))
}

var (
	// /2022/01/23/, /2023/3/25/, /2022/01/23-slug
	reURLYMD = regexp.MustCompile(`/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|-|$|\.)`)
	// /20220202-slug, /2022-01-23/, slug-2022-06-02/
	reURLCompact = regexp.MustCompile(`[/_-]((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)
	// /2021/24-november-slug
	reURLDayName = regexp.MustCompile(`/((?:19|20)\d\d)/(0?[1-9]|[12]\d|3[01])-([a-z]+)(?:-|/|$)`)
	// /2022/05/slug: the month only
	reURLYM = regexp.MustCompile(`/((?:19|20)\d\d)/(0[1-9]|1[0-2])/[^/\d]`)
	// twitter.com/NAME/status/ID, x.com/NAME/status/ID
	reStatus = regexp.MustCompile(`^/[^/]+/status(?:es)?/(\d{15,20})`)
)

// twitterEpochMs is the epoch of X's (Twitter's) Snowflake status ids:
// their top bits are the milliseconds since 2010-11-04T01:42:54.657Z.
const twitterEpochMs = 1288834974657

// URLDate is the publication day a document's URL states, as ISO 8601:
// the creation time a post's id encodes on X (Twitter), or the date in a
// news site's path ("/2022/01/23/", "/20220202-", "-2022-06-02/",
// "/2021/24-november-"), or the month only ("2022-05") when the path gives
// no day. The query string is ignored (tracking parameters, redirects); a
// redirect through another site is not followed. Empty when the URL states
// none.
func URLDate(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	host = strings.TrimPrefix(host, "mobile.")
	path := u.EscapedPath()
	if host == "twitter.com" || host == "x.com" {
		if m := reStatus.FindStringSubmatch(path); m != nil {
			id, err := strconv.ParseUint(m[1], 10, 64)
			if err != nil || id < 1<<32 {
				return "" // ids before 2010 are not Snowflakes
			}
			ms := int64(id>>22) + twitterEpochMs
			return time.UnixMilli(ms).UTC().Format("2006-01-02")
		}
		return ""
	}
	day := func(y, m, d string) string {
		yy, _ := strconv.Atoi(y)
		mm, _ := strconv.Atoi(m)
		dd, _ := strconv.Atoi(d)
		t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
		if t.Day() != dd || int(t.Month()) != mm || yy < 1990 {
			return ""
		}
		return t.Format("2006-01-02")
	}
	if m := reURLYMD.FindStringSubmatch(path); m != nil {
		if d := day(m[1], m[2], m[3]); d != "" {
			return d
		}
	}
	if m := reURLCompact.FindStringSubmatch(path); m != nil {
		if d := day(m[1], m[2], m[3]); d != "" {
			return d
		}
	}
	if m := reURLDayName.FindStringSubmatch(strings.ToLower(path)); m != nil {
		if mo, ok := EnglishMonth(m[3]); ok {
			if d := day(m[1], strconv.Itoa(int(mo)), m[2]); d != "" {
				return d
			}
		}
	}
	if m := reURLYM.FindStringSubmatch(path); m != nil {
		return m[1] + "-" + m[2]
	}
	return ""
}
