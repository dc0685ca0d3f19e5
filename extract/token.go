package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds.
const (
	tokWord  uint8 = iota // letters (any script), possibly with digits
	tokNum                // digits, possibly with thousands separators
	tokPunct              // anything else that is not space
)

// Token flags.
const (
	flagCap     uint8 = 1 << iota // first letter upper case (Latin)
	flagAllCaps                   // every letter upper case and at least two letters
	flagJoined                    // joined to the previous token by a hyphen, no space
	flagNewline                   // a line break precedes the token
	flagArabic                    // Arabic script
	flagAbbrev                    // dotted abbreviation such as "u.s."
	flagPossess                   // followed by 's (possessive), which is not a token
)

// token is one word, number or punctuation mark of the document text, with
// byte offsets into the original text and a normalised form: lower case,
// Latin diacritics folded, Arabic letter variants unified, tatweel and
// harakat dropped, Eastern Arabic and Persian digits turned into ASCII.
type token struct {
	start, end int32  // byte offsets [start, end) into the original text
	norm       string // normalised form (a slice of the document's normalised buffer)
	num        int64  // value of a tokNum token; -1 otherwise
	kind       uint8
	flags      uint8
}

func (t *token) is(f uint8) bool { return t.flags&f != 0 }

// sentence is a range of tokens [from, to).
type sentence struct {
	from, to int
}

// tokenize splits text into tokens in one pass. All normalised forms share
// one backing string, so a document costs a fixed handful of allocations.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5+8)
	buf := make([]byte, 0, len(text)+16)
	type span struct{ a, b int32 }
	norms := make([]span, 0, cap(toks))
	i := 0
	newline := false
	blanks := 0 // spaces and tabs in a row
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n' || c == '\r':
				newline = true
				i++
				continue
			case c == ' ' || c == '\t' || c == '\f' || c == '\v':
				// Three or more in a row stand for a lost line break in
				// scraped text ("in Syria's Aleppo     AP  Saturday 9 Jul
				// 2016     Syrian ...").
				if blanks++; blanks >= 3 {
					newline = true
				}
				i++
				continue
			case c == '_' && arabicUnderscore(text, i):
				// Hashtags join words with underscores (#تل_أبيض,
				// #قوات_سوريا_الديمقراطية): between Arabic letters the
				// underscore is a space.
				i++
				continue
			}
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
			if unicode.IsSpace(r) {
				if r == '\u2028' || r == '\u2029' {
					newline = true
				}
				i += size
				continue
			}
		}
		blanks = 0
		start := i
		var t token
		t.num = -1
		nb := int32(len(buf))
		switch {
		case isDigit(r):
			// Digits with thousands separators: 300,000 or 1.200 (only when
			// followed by exactly three digits).
			var v int64
			j := i
			for j < len(text) {
				d, sz := digitAt(text, j)
				if d >= 0 {
					if v < 1e15 {
						v = v*10 + int64(d)
					}
					buf = append(buf, byte('0'+d))
					j += sz
					continue
				}
				if sepAt(text, j) && threeDigitsAt(text, j+sepLen(text, j)) {
					j += sepLen(text, j)
					continue
				}
				break
			}
			// A number glued to letters ("3rd", "10km") stays a number; the
			// letters form their own token.
			t.kind, t.num = tokNum, v
			i = j
		case isLetter(r):
			t.kind = tokWord
			upper, lower, letters := 0, 0, 0
			first := true
			arabic := false
			j := i
			for j < len(text) {
				r2, sz := rune(text[j]), 1
				if text[j] >= utf8.RuneSelf {
					r2, sz = utf8.DecodeRuneInString(text[j:])
				}
				if isLetter(r2) || isMark(r2) || r2 == '\u0640' {
					// A change of script ends the word: "السوريةDecember".
					if letters > 0 && !isMark(r2) && (isArabic(r2) != arabic) {
						break
					}
					if r2 < utf8.RuneSelf {
						if 'A' <= r2 && r2 <= 'Z' {
							upper++
							if first {
								t.flags |= flagCap
							}
						} else {
							lower++
						}
					} else if unicode.IsUpper(r2) {
						upper++
						if first {
							t.flags |= flagCap
						}
					} else if isArabic(r2) {
						arabic = true
					} else {
						lower++
					}
					letters++
					first = false
					buf = appendNorm(buf, r2)
					j += sz
					if r2 == '\u0640' && arabic {
						j = obfuscatedJoin(text, j)
					}
					continue
				}
				if d, dsz := digitAt(text, j); d >= 0 && letters > 0 && !arabic {
					// Alphanumeric names such as M10.
					buf = append(buf, byte('0'+d))
					j += dsz
					letters++
					continue
				}
				break
			}
			// Dotted abbreviations: U.S., U.N., a.m.
			if j < len(text) && text[j] == '.' && j-i <= 2 && j+2 < len(text) && isASCIILetter(text[j+1]) && (text[j+2] == '.') {
				k := j
				for k+2 < len(text) && text[k] == '.' && isASCIILetter(text[k+1]) && text[k+2] == '.' {
					buf = append(buf, '.')
					buf = append(buf, lowerASCII(text[k+1]))
					if isUpperASCII(text[k+1]) {
						upper++
					}
					k += 2
				}
				buf = append(buf, '.')
				j = k + 1
				t.flags |= flagAbbrev
			}
			if upper >= 2 && lower == 0 {
				t.flags |= flagAllCaps
			}
			if arabic {
				t.flags |= flagArabic
			}
			i = j
			// Possessive 's (and the typographic apostrophe) is dropped.
			if i+1 < len(text) && (text[i] == '\'') && (text[i+1] == 's' || text[i+1] == 'S') && (i+2 >= len(text) || !isASCIILetter(text[i+2])) {
				t.flags |= flagPossess
				t.end = int32(i)
				i += 2
			} else if i+3 < len(text) && text[i:i+3] == "\u2019" && (text[i+3] == 's' || text[i+3] == 'S') && (i+4 >= len(text) || !isASCIILetter(text[i+4])) {
				t.flags |= flagPossess
				t.end = int32(i)
				i += 4
			} else if c := text[i-1]; (c == 's' || c == 'S') && !arabic {
				// The apostrophe alone after a final s: "Damascus'
				// promises", "the rebels' positions".
				if n := apostropheLen(text, i); n > 0 && i+n+1 < len(text) && text[i+n] == ' ' && isASCIILetter(text[i+n+1]) {
					t.flags |= flagPossess
					t.end = int32(i)
					i += n
				}
			}
		default:
			t.kind = tokPunct
			i += size
			if r == '\u2019' || r == '\u2018' {
				r = '\''
			} else if r == '\u060c' || r == '\u066b' {
				r = ','
			} else if r == '\u061f' {
				r = '?'
			} else if r == '\u061b' {
				r = ';'
			} else if r == '\u2013' || r == '\u2014' {
				r = '-'
			}
			buf = utf8.AppendRune(buf, r)
		}
		t.start = int32(start)
		if t.end == 0 {
			t.end = int32(i)
			if t.kind == tokWord && t.flags&flagPossess == 0 {
				t.end = int32(i)
			}
		}
		if newline {
			t.flags |= flagNewline
			newline = false
		}
		// A word directly after "-" with no spaces joins the word before it:
		// "twenty-three", "al-Qaterji", "five-year-old", "U.S.-led".
		if t.kind != tokPunct && len(toks) >= 2 {
			h := &toks[len(toks)-1]
			p := &toks[len(toks)-2]
			if h.kind == tokPunct && h.end-h.start == 1 && text[h.start] == '-' && h.start == p.end && t.start == h.end && p.kind != tokPunct {
				t.flags |= flagJoined
				toks = toks[:len(toks)-1]
				norms = norms[:len(norms)-1]
			}
		}
		toks = append(toks, t)
		norms = append(norms, span{nb, int32(len(buf))})
	}
	all := string(buf)
	for k := range toks {
		toks[k].norm = all[norms[k].a:norms[k].b]
	}
	return toks
}

func isDigit(r rune) bool {
	return ('0' <= r && r <= '9') || ('\u0660' <= r && r <= '\u0669') || ('\u06f0' <= r && r <= '\u06f9')
}

// digitAt returns the value of the digit at text[i] (ASCII, Eastern Arabic
// or Persian) and its size, or -1.
func digitAt(text string, i int) (int, int) {
	c := text[i]
	if '0' <= c && c <= '9' {
		return int(c - '0'), 1
	}
	if c < utf8.RuneSelf {
		return -1, 1
	}
	r, sz := utf8.DecodeRuneInString(text[i:])
	switch {
	case '\u0660' <= r && r <= '\u0669':
		return int(r - '\u0660'), sz
	case '\u06f0' <= r && r <= '\u06f9':
		return int(r - '\u06f0'), sz
	}
	return -1, sz
}

func sepAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	if text[i] == ',' {
		return true
	}
	return len(text) >= i+2 && text[i:i+2] == "\u066c"
}

func sepLen(text string, i int) int {
	if text[i] == ',' {
		return 1
	}
	return 2
}

func threeDigitsAt(text string, i int) bool {
	n := 0
	for i < len(text) && n < 4 {
		d, sz := digitAt(text, i)
		if d < 0 {
			break
		}
		n++
		i += sz
	}
	return n == 3
}

// arabicUnderscore reports whether the underscore at text[i] stands between
// two Arabic letters.
func arabicUnderscore(text string, i int) bool {
	if i == 0 || i+1 >= len(text) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	after, _ := utf8.DecodeRuneInString(text[i+1:])
	return isArabic(before) && isArabic(after) && isLetter(before) && isLetter(after)
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
	}
	return unicode.IsLetter(r)
}

func isMark(r rune) bool { return r >= 0x300 && unicode.Is(unicode.Mn, r) }

func isArabic(r rune) bool { return r >= 0x0600 && r <= 0x06ff || r >= 0x0750 && r <= 0x077f }

func isASCIILetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }
func isUpperASCII(c byte) bool  { return 'A' <= c && c <= 'Z' }
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 32
	}
	return c
}

// appendNorm appends the normalised form of one rune of a word.
func appendNorm(buf []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		return append(buf, lowerASCII(byte(r)))
	}
	if isArabic(r) {
		switch {
		case r == '\u0640': // tatweel
			return buf
		case r >= '\u064b' && r <= '\u0652', r == '\u0670': // harakat, dagger alef
			return buf
		case r == '\u0623' || r == '\u0625' || r == '\u0622' || r == '\u0671':
			r = '\u0627' // alef forms -> bare alef
		case r == '\u0629':
			r = '\u0647' // taa marbuta -> haa
		case r == '\u0649':
			r = '\u064a' // alef maqsura -> yaa
		case r == '\u0624':
			r = '\u0648' // waw with hamza -> waw
		case r == '\u0626':
			r = '\u064a' // yaa with hamza -> yaa
		case r == '\u0621':
			return buf // lone hamza dropped
		case r == '\u06cc':
			r = '\u064a' // Persian yeh -> yaa
		case r == '\u06a9':
			r = '\u0643' // keheh -> kaf
		}
		return utf8.AppendRune(buf, r)
	}
	if isMark(r) {
		return buf
	}
	if f, ok := latinFold[r]; ok {
		return append(buf, f...)
	}
	return utf8.AppendRune(buf, unicode.ToLower(r))
}

// latinFold folds the accented Latin letters seen in transliterations.
var latinFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ä': "a", 'ā': "a", 'ã': "a", 'å': "a",
	'À': "a", 'Á': "a", 'Â': "a", 'Ä': "a", 'Ā': "a",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'È': "e", 'É': "e", 'Ê': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'Í': "i", 'Î': "i",
	'ò': "o", 'ó': "o", 'ô': "o", 'ö': "o", 'ō': "o", 'Ó': "o", 'Ö': "o",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'Ú': "u", 'Ü': "u",
	'ç': "c", 'Ç': "c", 'ñ': "n", 'Ñ': "n", 'ş': "s", 'Ş': "s", 'ṣ': "s", 'Ṣ': "s",
	'ḥ': "h", 'Ḥ': "h", 'ṭ': "t", 'Ṭ': "t", 'ḍ': "d", 'Ḍ': "d", 'ẓ': "z", 'Ẓ': "z",
	'ğ': "g", 'Ğ': "g", 'ı': "i", 'İ': "i", 'ʿ': "", 'ʾ': "", 'ß': "ss",
}

// abbrevs are words after which a full stop does not end a sentence.
var abbrevs = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "lt": true, "col": true, "gen": true,
	"maj": true, "capt": true, "sgt": true, "st": true, "jan": true, "feb": true, "aug": true,
	"sept": true, "sep": true, "oct": true, "nov": true, "dec": true, "no": true, "vs": true,
	"prof": true, "gov": true, "sen": true, "rep": true, "jr": true, "sr": true, "mt": true,
}

// splitSentences segments tokens into sentences at full stops, question and
// exclamation marks followed by a capital, a digit or a quote, and at line
// breaks.
func splitSentences(text string, toks []token) []sentence {
	out := make([]sentence, 0, len(toks)/20+2)
	from := 0
	for i := range toks {
		t := &toks[i]
		if i > from && t.is(flagNewline) {
			out = append(out, sentence{from, i})
			from = i
		}
		if t.kind != tokPunct {
			continue
		}
		n := t.norm
		if n != "." && n != "!" && n != "?" {
			continue
		}
		if i+1 >= len(toks) {
			continue
		}
		nx := &toks[i+1]
		if nx.is(flagNewline) {
			continue // handled by the newline rule
		}
		if n == "." && i > 0 {
			p := &toks[i-1]
			if p.end == t.start && p.kind == tokWord && (abbrevs[p.norm] || (len(p.norm) == 1 && p.is(flagCap))) {
				continue
			}
			if p.kind == tokNum && nx.kind == tokNum && nx.start == t.end {
				continue // 6.30
			}
		}
		if nx.kind == tokWord && !nx.is(flagCap) && !nx.is(flagArabic) {
			continue
		}
		out = append(out, sentence{from, i + 1})
		from = i + 1
	}
	if from < len(toks) {
		out = append(out, sentence{from, len(toks)})
	}
	return out
}

// possessiveStems are the proper nouns whose possessive is read even when
// the apostrophe was lost in transmission ("Assads forces", "Syrias
// capital", "Russias Aerospace Forces").
var possessiveStems = map[string]bool{
	"assad": true, "russia": true, "syria": true, "turkey": true, "iran": true, "israel": true,
	"moscow": true, "washington": true, "damascus": true, "ankara": true, "tehran": true,
	"america": true, "britain": true, "france": true, "hezbollah": true, "aleppo": true,
	"coalition": true, "army": true, "regime": true, "government": true,
}

// lostApostrophes reads a capitalised word that is a known proper noun plus
// "s" as that noun's possessive: its normalised form loses the "s" and it is
// flagged possessive (its span still covers the whole word).
func lostApostrophes(toks []token) {
	for i := range toks {
		t := &toks[i]
		n := len(t.norm)
		if t.kind != tokWord || n < 5 || t.norm[n-1] != 's' || !t.is(flagCap) || t.is(flagAllCaps) || t.is(flagPossess) {
			continue
		}
		if possessiveStems[t.norm[:n-1]] {
			t.norm = t.norm[:n-1]
			t.flags |= flagPossess
		}
	}
}

// obfuscatedJoin continues an Arabic word written apart to slip past a
// platform's filters ("استـ.شـ.هاد", "مقـ..ـتل", "قـ ـوات"): after a
// tatweel at j, up to three dots (or dots and spaces when another tatweel
// follows) before an Arabic letter or tatweel are skipped. It returns where
// the word goes on (j when it does not).
func obfuscatedJoin(text string, j int) int {
	k, spaces := j, false
	for k < len(text) && k-j < 3 && (text[k] == '.' || text[k] == ' ') {
		spaces = spaces || text[k] == ' '
		k++
	}
	if k == j || k >= len(text) {
		return j
	}
	r, _ := utf8.DecodeRuneInString(text[k:])
	if r == '\u0640' || !spaces && isArabic(r) && isLetter(r) {
		return k
	}
	return j
}

// apostropheLen is the length in bytes of the apostrophe at text[i] (' or
// ’), 0 when there is none.
func apostropheLen(text string, i int) int {
	switch {
	case i < len(text) && text[i] == '\'':
		return 1
	case strings.HasPrefix(text[i:], "\u2019"):
		return 3
	}
	return 0
}
