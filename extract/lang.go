package extract

import (
	"unicode"
	"unicode/utf8"
)

// Languages the extractor tells apart.
const (
	LangArabic  = "ar"
	LangEnglish = "en" // any Latin-script text
)

// Paragraph is a stretch of a text between line breaks with its language.
type Paragraph struct {
	Start, End int    // byte offsets into the text
	Lang       string // LangArabic, LangEnglish or "" (no letters)
}

// scriptCounts counts Arabic-script and Latin-script letters.
func scriptCounts(s string) (arabic, latin int) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
				latin++
			}
			i++
			continue
		}
		r, sz := utf8.DecodeRuneInString(s[i:])
		i += sz
		switch {
		case isArabic(r) && unicode.IsLetter(r):
			arabic++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	return
}

// langOf decides by script ratio: Arabic when Arabic letters are at least
// as many as Latin ones (a post in Arabic wrapped in Latin chrome, hashtags
// or a name in Latin letters is still Arabic).
func langOf(arabic, latin int) string {
	switch {
	case arabic == 0 && latin == 0:
		return ""
	case arabic >= latin:
		return LangArabic
	}
	return LangEnglish
}

// Language returns the language of a whole text by script ratio:
// LangArabic, LangEnglish, or "" for a text with no letters.
func Language(text string) string {
	return langOf(scriptCounts(text))
}

// Paragraphs splits text at line breaks and gives each non-empty paragraph
// its own language, so that a mixed text (an English report quoting an
// Arabic post) is read paragraph by paragraph.
func Paragraphs(text string) []Paragraph {
	var out []Paragraph
	start := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] != '\n' {
			continue
		}
		if l := langOf(scriptCounts(text[start:i])); l != "" {
			out = append(out, Paragraph{Start: start, End: i, Lang: l})
		}
		start = i + 1
	}
	return out
}

// markArabic sets d.ar for every sentence whose paragraph (the tokens
// between two line breaks) is mostly Arabic: Arabic words at least as many
// as Latin ones. Sentences never cross line breaks.
func (d *doc) markArabic() {
	d.ar = make([]bool, len(d.sents))
	n := len(d.toks)
	for i := 0; i < n; {
		j := i + 1
		for j < n && !d.toks[j].is(flagNewline) {
			j++
		}
		ar, la := 0, 0
		for k := i; k < j; k++ {
			t := &d.toks[k]
			if t.kind != tokWord {
				continue
			}
			if t.is(flagArabic) {
				ar++
			} else {
				la++
			}
		}
		if ar > 0 && ar >= la {
			d.anyAR = true
			for k := i; k < j; k++ {
				d.ar[d.sentOf[k]] = true
			}
		}
		i = j
	}
}

// isAR reports whether token i lies in an Arabic sentence.
func (d *doc) isAR(i int) bool {
	return i >= 0 && i < len(d.toks) && d.ar[d.sentOf[i]]
}

// Arabic letters used by the clitic rules (normalised forms).
const (
	arWaw  = "\u0648" // و
	arFa   = "\u0641" // ف
	arBa   = "\u0628" // ب
	arLam  = "\u0644" // ل
	arKaf  = "\u0643" // ك
	arAl   = "\u0627\u0644"
	arLamL = "\u0644\u0644" // لل: li- + al-
)

// arLetters counts the runes of a normalised Arabic word (2 bytes each).
func arLetters(s string) int { return utf8.RuneCountInString(s) }

// arCore strips the proclitics of a normalised Arabic word for matching:
// a conjunction (و, ف), then a preposition (ب, ل, ك; لل is li- + the
// article), then the article ال, each only when at least three letters
// remain. It is applied alike to lexicon phrases and to text, so only
// consistency matters; it returns a substring (no allocation).
func arCore(s string) string {
	if len(s) < 8 { // fewer than four letters: nothing to strip
		return arNoArticle(s)
	}
	if (s[:2] == arWaw || s[:2] == arFa) && arLetters(s[2:]) >= 3 {
		s = s[2:]
	}
	if len(s) >= 8 && s[:4] == arLamL && arLetters(s[4:]) >= 3 {
		return s[4:]
	}
	if len(s) >= 8 && (s[:2] == arBa || s[:2] == arLam || s[:2] == arKaf) && arLetters(s[2:]) >= 3 {
		s = s[2:]
	}
	return arNoArticle(s)
}

func arNoArticle(s string) string {
	if len(s) >= 10 && s[:4] == arAl {
		return s[4:]
	}
	return s
}

// matchKey is the form a token is looked up by in the lexicon: its
// normalised form, without proclitics for Arabic.
func matchKey(t *token) string {
	if t.flags&flagArabic != 0 {
		return arCore(t.norm)
	}
	return t.norm
}

// arProclitics returns how many bytes of proclitics (و/ف, then ب/ل/ك)
// the original word at text[start:] begins with, for each way of reading
// them: a place name is looked up after stripping them only when the
// remainder is a known name.
func arProclitics(text string, start, end int) ([2]int, int) {
	var out [2]int
	n := 0
	w := text[start:end]
	off := 0
	if len(w) >= 6 && (w[:2] == arWaw || w[:2] == arFa) {
		off = 2
		out[n] = off
		n++
	}
	if len(w) >= off+6 && (w[off:off+2] == arBa || w[off:off+2] == arLam || w[off:off+2] == arKaf) {
		out[n] = off + 2
		n++
	}
	return out, n
}

// arStrip1 strips one conjunction or preposition from a normalised word
// (and the article after it), for the gazetteer prefilter.
func arStrip1(s string) string {
	if len(s) >= 8 && (s[:2] == arWaw || s[:2] == arFa || s[:2] == arBa || s[:2] == arLam || s[:2] == arKaf) {
		return arNoArticle(s[2:])
	}
	return s
}
