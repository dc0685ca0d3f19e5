package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Key normalises a place name (or a run of words from a text) for lookup.
// The same function is applied to gazetteer names and to candidate text, so
// only consistency matters; the rules (documented in docs/gazetteer.md) are:
//
//   - Latin letters are lower-cased and their diacritics folded (ā→a, ḩ→h,
//     é→e, ş→s, ß→ss, ...);
//   - apostrophes and transliteration marks for ʿayn and hamza (' ’ ‘ ` ʿ ʾ)
//     are removed without a space: "Dar'a" → "dara", "Ma'arrat" → "maarrat"
//     (an English possessive "'s" goes with its apostrophe: "Aleppo's" →
//     "aleppo");
//   - hyphens and other punctuation become spaces, whitespace is collapsed
//     and trimmed;
//   - a leading article is dropped when a word follows it: "al", "el", and
//     the sun-letter forms "ar-", "as-", "ash-", "at-", "ath-", "ad-",
//     "adh-", "az-", "an-" when hyphenated and followed by a word that starts
//     with the assimilated letter ("Ar-Raqqah" → "raqqah", but "as Sukkari"
//     is kept, "as" being an English word);
//   - an article inside the name is kept but written "al": "Jisr ash-Shughur"
//     → "jisr al shughur", "Deir el-Zor" → "deir al zor";
//   - Arabic: hamza and alef forms (أ إ آ ٱ) → ا, ؤ → و, ئ → ي, lone hamza
//     removed, ة → ه, ى → ي, Persian ی ک → ي ك, tatweel and diacritics
//     (harakat, shadda, sukun, superscript alef) removed, Arabic punctuation
//     to spaces, Eastern Arabic and Persian digits to ASCII digits, and the
//     article ال dropped from the first word when at least two letters remain.
//     Attached prepositions (بـ لـ وـ فـ) are not removed: trying the
//     remainder of a word is the matcher's job.
//
// Key allocates only when the result differs from name.
func Key(name string) string {
	if k, ok := fastKey(name); ok {
		return k
	}
	return slowKey(name)
}

// fastKey handles the common case of lower-case ASCII words separated by
// single spaces that start with no article: the name is its own key.
func fastKey(s string) (string, bool) {
	if s == "" {
		return s, true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return "", false
	}
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return "", false
			}
			prevSpace = true
		default:
			return "", false
		}
	}
	// Any article-like word forces the slow path.
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], ' ')
		w := s[i:]
		if j >= 0 {
			w = s[i : i+j]
		}
		if w == "al" || w == "el" {
			return "", false
		}
		if j < 0 {
			break
		}
		i += j + 1
	}
	return s, true
}

// word flags recorded while splitting.
type kword struct {
	text   string
	hyphen bool // the word was followed by a hyphen (or was attached by one)
}

func slowKey(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	words := make([]kword, 0, 8)
	start := 0
	flush := func(hyphen bool) {
		if b.Len() > start {
			words = append(words, kword{text: b.String()[start:], hyphen: hyphen})
			start = b.Len()
		}
	}
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		i += size
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case c >= 'A' && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				b.WriteByte(c)
			case c == '\'' || c == '`':
				// ʿayn/hamza mark: removed; an English possessive "'s"
				// goes too ("Aleppo's" → "aleppo").
				i = skipPossessive(name, i, b.Len()-start)
			case c == '-':
				flush(true)
			default:
				flush(false)
			}
		case isArabicLetter(r):
			switch m := arabicMap(r); m {
			case 0:
			case ' ':
				flush(false)
			default:
				b.WriteRune(m)
			}
		default:
			if f, ok := latinFold[r]; ok {
				b.WriteString(f)
				continue
			}
			switch {
			case isMark(r):
				// apostrophe-like or combining mark: removed.
				if r == '\u2019' {
					i = skipPossessive(name, i, b.Len()-start)
				}
			case r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' || r == '\u2014':
				flush(true)
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				if d, ok := digitValue(r); ok {
					b.WriteByte(byte('0' + d))
				} else {
					b.WriteRune(unicode.ToLower(r))
				}
			default:
				flush(false)
			}
		}
	}
	flush(false)
	if len(words) == 0 {
		return ""
	}
	// Articles.
	out := words[:0]
	for i, w := range words {
		if i+1 < len(words) {
			next := words[i+1].text
			if isArticle(w, next) {
				if i == 0 || len(out) == 0 {
					continue // leading article dropped
				}
				w = kword{text: "al"}
			}
		}
		out = append(out, w)
	}
	if len(out) > 0 {
		out[0].text = dropArabicArticle(out[0].text)
	}
	n := 0
	for _, w := range out {
		n += len(w.text) + 1
	}
	if len(out) == 1 {
		return out[0].text
	}
	var r strings.Builder
	r.Grow(n)
	for i, w := range out {
		if i > 0 {
			r.WriteByte(' ')
		}
		r.WriteString(w.text)
	}
	return r.String()
}

// skipPossessive returns the index after a possessive "s" that follows an
// apostrophe at i (the apostrophe already consumed), when the word so far
// has at least three letters and the s ends the word; otherwise i.
func skipPossessive(name string, i, wordLen int) int {
	if wordLen < 3 || i >= len(name) || (name[i] != 's' && name[i] != 'S') {
		return i
	}
	if i+1 < len(name) {
		r, _ := utf8.DecodeRuneInString(name[i+1:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return i
		}
	}
	return i + 1
}

// isArticle reports whether w is a Latin transcription of the Arabic article
// before next.
func isArticle(w kword, next string) bool {
	switch w.text {
	case "al", "el":
		return true
	case "ar", "as", "ash", "at", "ath", "ad", "adh", "az", "an", "ed", "es", "er", "ez", "esh", "et", "en":
		if !w.hyphen {
			return false
		}
		c := w.text[1:]
		return strings.HasPrefix(next, c)
	}
	return false
}

func dropArabicArticle(w string) string {
	const al = "ال"
	if strings.HasPrefix(w, al) && utf8.RuneCountInString(w) >= 4 {
		return w[len(al):]
	}
	return w
}

func isArabicLetter(r rune) bool {
	return (r >= 0x0600 && r <= 0x06FF) || (r >= 0x0750 && r <= 0x077F) || (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF)
}

// arabicMap normalises one Arabic-block rune: 0 means "drop", ' ' means
// "word break".
func arabicMap(r rune) rune {
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ':
		return 'ا'
	case 'ؤ':
		return 'و'
	case 'ئ', 'ى', 'ی', 'ې':
		return 'ي'
	case 'ء':
		return 0
	case 'ة', 'ۀ', 'ە':
		return 'ه'
	case 'ک':
		return 'ك'
	case 'ـ': // tatweel
		return 0
	case '،', '؛', '؟', '٪', '٫', '٬', '۔':
		return ' '
	}
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06ED, r >= 0x0610 && r <= 0x061A:
		return 0
	case r >= 0x0660 && r <= 0x0669:
		return '0' + (r - 0x0660)
	case r >= 0x06F0 && r <= 0x06F9:
		return '0' + (r - 0x06F0)
	case r >= 0xFB50:
		// Presentation forms: rare in real text; keep as is.
		return r
	}
	return r
}

func digitValue(r rune) (int, bool) {
	if unicode.IsDigit(r) {
		switch {
		case r >= 0x0660 && r <= 0x0669:
			return int(r - 0x0660), true
		case r >= 0x06F0 && r <= 0x06F9:
			return int(r - 0x06F0), true
		case r >= 0xFF10 && r <= 0xFF19:
			return int(r - 0xFF10), true
		}
	}
	return 0, false
}

// isMark reports runes removed without a space: apostrophe-like letters and
// quotation marks used for ʿayn and hamza, and combining marks.
func isMark(r rune) bool {
	switch r {
	case '\u2018', '\u2019', '\u201B', '\u02BB', '\u02BC', '\u02BD', '\u02BE', '\u02BF', '\u00B4', '\u02B9', '\u02C8', '\u2032', '\u00B7':
		return true
	}
	return unicode.Is(unicode.Mn, r)
}

// latinFold folds Latin letters with diacritics (as used in transliterations
// of Arabic and in GeoNames/OCHA names) to plain lower-case ASCII.
var latinFold = buildLatinFold()

func buildLatinFold() map[rune]string {
	groups := map[string]string{
		"a":  "ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎǺǻȀȁȂȃȦȧẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặḀḁ",
		"ae": "ÆæǼǽ",
		"b":  "ḂḃḄḅḆḇ",
		"c":  "ÇçĆćĈĉĊċČčḈḉ",
		"d":  "ĎďĐđḊḋḌḍḎḏḐḑḒḓÐð",
		"e":  "ÈÉÊËèéêëĒēĔĕĖėĘęĚěȄȅȆȇȨȩẸẹẺẻẼẽẾếỀềỂểỄễỆệḔḕḖḗḘḙḚḛḜḝ",
		"f":  "Ḟḟ",
		"g":  "ĜĝĞğĠġĢģǦǧǴǵḠḡ",
		"h":  "ĤĥĦħḢḣḤḥḦḧḨḩḪḫẖȞȟ",
		"i":  "ÌÍÎÏìíîïĨĩĪīĬĭĮįİıǏǐȈȉȊȋỈỉỊịḬḭḮḯ",
		"ij": "Ĳĳ",
		"j":  "Ĵĵǰ",
		"k":  "ĶķǨǩḰḱḲḳḴḵ",
		"l":  "ĹĺĻļĽľĿŀŁłḶḷḸḹḺḻḼḽ",
		"m":  "ḾḿṀṁṂṃ",
		"n":  "ÑñŃńŅņŇňǸǹṄṅṆṇṈṉṊṋ",
		"o":  "ÒÓÔÕÖØòóôõöøŌōŎŏŐőǑǒǪǫȌȍȎȏȮȯỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợƠơṌṍṎṏṐṑṒṓ",
		"oe": "Œœ",
		"p":  "ṔṕṖṗ",
		"r":  "ŔŕŖŗŘřȐȑȒȓṘṙṚṛṜṝṞṟ",
		"s":  "ŚśŜŝŞşŠšȘșṠṡṢṣṤṥṦṧṨṩ",
		"ss": "ß",
		"t":  "ŢţŤťŦŧȚțṪṫṬṭṮṯṰṱẗ",
		"th": "Þþ",
		"u":  "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųǓǔǕǖǗǘǙǚǛǜȔȕȖȗỤụỦủỨứỪừỬửỮữỰựƯưṲṳṴṵṶṷṸṹṺṻ",
		"v":  "ṼṽṾṿ",
		"w":  "ŴŵẀẁẂẃẄẅẆẇẈẉẘ",
		"x":  "ẊẋẌẍ",
		"y":  "ÝýÿŶŷŸȲȳẎẏỲỳỴỵỶỷỸỹẙ",
		"z":  "ŹźŻżŽžẐẑẒẓẔẕ",
	}
	m := make(map[rune]string, 512)
	for to, from := range groups {
		for _, r := range from {
			m[r] = to
		}
	}
	return m
}
