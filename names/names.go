// Package names normalises personal names in Arabic and Latin script and
// compares them, within one script and across scripts, for record linkage.
//
// The rules are documented in docs/names.md. In short:
//
//   - Normalize folds a name to a canonical form in its own script (Arabic:
//     hamza and alef forms, taa marbuta, alef maqsura, tatweel, diacritics,
//     Persian letters, digits; Latin: case, accents, apostrophes), joins
//     compounds (abd/abu/umm + the next word, the article, theophoric endings
//     such as al-din and allah) and drops kinship particles (bin, ibn, bint).
//   - Key maps one normalised name token, in either script, to a consonant
//     skeleton ("transliteration key") that Arabic spellings and their common
//     Latin transliterations share: محمد, Mohammed, Muhammad, Mohamad all
//     give "mhmd". It doubles as a phonetic key for Latin names.
//   - JaroWinkler compares rune slices without allocating.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Script of a name.
type Script uint8

const (
	ScriptNone   Script = iota // no letters
	ScriptLatin                // mostly Latin letters
	ScriptArabic               // mostly Arabic letters
	ScriptOther
)

func (s Script) String() string {
	switch s {
	case ScriptLatin:
		return "latin"
	case ScriptArabic:
		return "arabic"
	case ScriptOther:
		return "other"
	}
	return "none"
}

// DetectScript returns the script most letters of s are written in.
func DetectScript(s string) Script {
	var ar, la, other int
	for _, r := range s {
		switch {
		case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF:
			if unicode.IsLetter(r) {
				ar++
			}
		case r < 0x250 && unicode.IsLetter(r):
			la++
		case unicode.IsLetter(r):
			other++
		}
	}
	switch {
	case ar == 0 && la == 0 && other == 0:
		return ScriptNone
	case ar >= la && ar >= other:
		return ScriptArabic
	case la >= other:
		return ScriptLatin
	}
	return ScriptOther
}

// isTashkeel reports Arabic diacritics and Quranic marks.
func isTashkeel(r rune) bool {
	return (r >= 0x0610 && r <= 0x061A) || (r >= 0x064B && r <= 0x065F) || r == 0x0670 || (r >= 0x06D6 && r <= 0x06ED)
}

// foldArabicRune maps one Arabic code point to its normalised form, or -1 to
// drop it.
func foldArabicRune(r rune) rune {
	switch {
	case isTashkeel(r), r == 0x0640: // diacritics, tatweel
		return -1
	case r >= 0x0660 && r <= 0x0669: // Arabic-Indic digits
		return '0' + r - 0x0660
	case r >= 0x06F0 && r <= 0x06F9: // Extended (Persian) digits
		return '0' + r - 0x06F0
	}
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ':
		return 'ا'
	case 'ى', 'ی', 'ې', 'ۍ':
		return 'ي'
	case 'ة', 'ۀ', 'ە':
		return 'ه'
	case 'ؤ':
		return 'و'
	case 'ئ':
		return 'ي'
	case 'ء':
		return -1
	case 'ک', 'ڪ':
		return 'ك'
	case 'گ':
		return 'ك'
	case 'پ':
		return 'ب'
	case 'چ':
		return 'ج'
	case 'ژ':
		return 'ز'
	case 'ڤ', 'ڥ':
		return 'ف'
	case 'ہ', 'ھ':
		return 'ه'
	case '،', '؛', '؟', '٫', '٬', '«', '»':
		return ' '
	}
	return r
}

// Particles dropped from names: "son of", "daughter of".
var arParticles = map[string]bool{"بن": true, "ابن": true, "بنت": true}
var laParticles = map[string]bool{"bin": true, "ibn": true, "ben": true, "bint": true, "binti": true, "ould": true, "walad": true}

// Latin article forms, including sun-letter assimilations (ad-Din, ar-Rahman).
var laArticles = map[string]bool{"al": true, "el": true, "ul": true, "il": true, "ol": true,
	"ad": true, "ar": true, "as": true, "ash": true, "at": true, "az": true, "an": true, "ath": true, "adh": true, "ed": true, "er": true, "es": true, "esh": true, "et": true, "ez": true, "en": true, "ud": true, "ur": true, "us": true}

// Latin prefixes joined to the next word.
var laAbd = map[string]bool{"abd": true, "abdul": true, "abdel": true, "abdal": true, "abdol": true, "abdil": true, "abdu": true, "abde": true, "abdoul": true, "abdoul-": true}
var laAbu = map[string]bool{"abu": true, "abou": true, "abo": true, "umm": true, "um": true, "om": true, "oum": true}

// Theophoric and similar endings joined to the previous word.
var laSuffixWords = map[string]string{
	"din": "din", "deen": "din", "al-din": "din", "al-deen": "din", "eddin": "din", "eddine": "din", "uddin": "din", "uddeen": "din", "aldin": "din", "eldin": "din", "eldine": "din", "addin": "din",
	"allah": "allah", "ullah": "allah", "illah": "allah", "alla": "allah", "al-lah": "allah", "ollah": "allah", "allah-": "allah",
	"abidin": "abidin", "al-abidin": "abidin", "al-abideen": "abidin", "abideen": "abidin", "el-abidin": "abidin",
}

// NormalizeToken folds one word without joining compounds: the character
// rules of Normalize only.
func NormalizeToken(s string) string {
	toks := normalizeChars(s)
	return strings.Join(toks, " ")
}

// normalizeChars applies the per-character rules and splits into words.
func normalizeChars(s string) []string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			r = foldArabicRune(r)
			if r < 0 {
				continue
			}
			b.WriteRune(r)
			continue
		}
		switch {
		case r == '\'' || r == '`' || r == '’' || r == '‘' || r == 'ʿ' || r == 'ʾ' || r == 'ʼ' || r == '´' || r == 0x02BB:
			continue // ayn and hamza marks
		case r == '-' || r == '_' || r == '.' || r == ',' || r == '/' || r == '(' || r == ')' || unicode.IsSpace(r):
			b.WriteByte(' ')
		case r < 0x80:
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		default:
			// Latin with diacritics: decompose and keep the base letter.
			for _, d := range norm.NFKD.String(string(r)) {
				if unicode.Is(unicode.Mn, d) {
					continue
				}
				switch d {
				case 'ı':
					d = 'i'
				case 'ß':
					b.WriteString("ss")
					continue
				case 'æ':
					b.WriteString("ae")
					continue
				case 'ø':
					d = 'o'
				case 'đ':
					d = 'd'
				case 'ł':
					d = 'l'
				}
				if unicode.IsLetter(d) || unicode.IsDigit(d) {
					b.WriteRune(unicode.ToLower(d))
				} else {
					b.WriteByte(' ')
				}
			}
		}
	}
	return strings.Fields(b.String())
}

// Normalize returns the canonical form of a full name in its own script:
// words separated by single spaces, compounds joined, particles dropped.
func Normalize(s string) string { return strings.Join(Tokens(s), " ") }

// Tokens returns the normalised words of a name, in order, with compounds
// joined (عبد الله → عبدالله, Abd al-Rahman → abdal-rahman) and particles
// (bin, ibn, bint) dropped.
func Tokens(s string) []string {
	raw := normalizeChars(s)
	out := make([]string, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		t := raw[i]
		if isArabicWord(t) {
			switch {
			case arParticles[t] && len(raw) > 1:
				continue
			case (t == "عبد" || t == "ابو" || t == "ام" || t == "ال") && i+1 < len(raw):
				out = append(out, t+raw[i+1])
				i++
				continue
			case (t == "الدين" || t == "الله" || t == "العابدين") && len(out) > 0 && !strings.HasPrefix(out[len(out)-1], "عبد"):
				out[len(out)-1] += t
				continue
			}
			out = append(out, t)
			continue
		}
		switch {
		case laParticles[t] && len(raw) > 1:
			continue
		case laArticles[t] && i+1 < len(raw) && len(raw[i+1]) > 1:
			// article + word: "al hassan" → "al-hassan"
			nt := "al-" + raw[i+1]
			i++
			if suf, ok := laSuffixWords[nt]; ok && len(out) > 0 {
				out[len(out)-1] = joinSuffix(out[len(out)-1], suf)
				continue
			}
			out = append(out, nt)
			continue
		case laAbd[t] && i+1 < len(raw):
			next := raw[i+1]
			i++
			if laArticles[next] && i+1 < len(raw) {
				next = raw[i+1]
				i++
			}
			out = append(out, "abd-"+next)
			continue
		case laAbu[t] && i+1 < len(raw):
			next := raw[i+1]
			i++
			if laArticles[next] && i+1 < len(raw) {
				next = raw[i+1]
				i++
			}
			p := "abu-"
			if t[0] != 'a' {
				p = "umm-"
			}
			out = append(out, p+next)
			continue
		}
		if suf, ok := laSuffixWords[t]; ok && len(out) > 0 && !strings.HasPrefix(out[len(out)-1], "abd") {
			out[len(out)-1] = joinSuffix(out[len(out)-1], suf)
			continue
		}
		out = append(out, t)
	}
	return out
}

func joinSuffix(w, suf string) string { return w + "-" + suf }

func isArabicWord(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return r >= 0x0600 && r <= 0x06FF
}

// Parts splits a full name into given name, father's name, grandfather's
// name and family name, the order Arabic names are written in. Two words
// are given and family; three are given, father, family; four or more are
// given, father, grandfather (the third word) and family (the last word).
func Parts(s string) (given, father, grandfather, family string) {
	t := Tokens(s)
	switch len(t) {
	case 0:
	case 1:
		given = t[0]
	case 2:
		given, family = t[0], t[1]
	case 3:
		given, father, family = t[0], t[1], t[2]
	default:
		given, father, grandfather, family = t[0], t[1], t[2], t[len(t)-1]
	}
	return
}
