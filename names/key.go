package names

import (
	"strings"
	"unicode/utf8"
)

// Key returns the transliteration key of one normalised name token (a word
// of Tokens), in Arabic or Latin script: a consonant skeleton over a small
// alphabet both scripts map onto.
//
//	a        a word-initial vowel, alef, hamza or ayn
//	b t j h x d z r s c f k l m n g w y
//	         x is kh (خ), c is sh (ش), g is gh (غ), j is j/g (ج), k is k/q (ك ق)
//
// Vowels, medial alef, waw, ya, ayn and hamza are dropped, a final h (ه ة ح)
// is dropped, letters that Latin spellings do not tell apart share one
// symbol (ت ط ث → t, س ص → s, د ض → d, ز ذ ظ → z, ح ه → h, ك ق → k) and
// doubled symbols collapse. Compounds are keyed part by part: abd + the
// next word without its article, abu + word, word + al-din / allah.
func Key(token string) string {
	if token == "" {
		return ""
	}
	var b []byte
	b = appendKey(b, token)
	return string(collapse(b))
}

// KeyOf returns the keys of every token of a full name, joined by spaces.
func KeyOf(name string) string {
	toks := Tokens(name)
	keys := make([]string, 0, len(toks))
	for _, t := range toks {
		if k := Key(t); k != "" {
			keys = append(keys, k)
		}
	}
	return strings.Join(keys, " ")
}

// Phonetic returns a phonetic key for a name in Latin or Arabic script: the
// keys of its tokens joined without spaces.
func Phonetic(name string) string { return strings.ReplaceAll(KeyOf(name), " ", "") }

func collapse(b []byte) []byte {
	if len(b) < 2 {
		return b
	}
	o := 1
	for i := 1; i < len(b); i++ {
		if b[i] != b[o-1] {
			b[o] = b[i]
			o++
		}
	}
	return b[:o]
}

func appendKey(b []byte, t string) []byte {
	if isArabicWord(t) {
		return appendArabicKey(b, t)
	}
	return appendLatinKey(b, t)
}

// ---- Arabic ----

func appendArabicKey(b []byte, t string) []byte {
	n := utf8.RuneCountInString(t)
	switch {
	case strings.HasPrefix(t, "عبد") && n > 3:
		b = append(b, "abd"...)
		return appendArabicWord(b, stripArabicArticle(t[len("عبد"):], 1), true)
	case strings.HasPrefix(t, "ابو") && n > 4:
		b = append(b, "ab"...)
		return appendArabicWord(b, stripArabicArticle(t[len("ابو"):], 2), true)
	case strings.HasSuffix(t, "الدين") && n > 6:
		b = appendArabicWord(b, t[:len(t)-len("الدين")], true)
		return append(b, "dn"...)
	case strings.HasSuffix(t, "العابدين") && n > 9:
		b = appendArabicWord(b, t[:len(t)-len("العابدين")], true)
		return append(b, "abdn"...)
	case strings.HasSuffix(t, "الله") && n > 5:
		b = appendArabicWord(b, t[:len(t)-len("الله")], true)
		return append(b, 'l')
	}
	return appendArabicWord(b, stripArabicArticle(t, 3), true)
}

// stripArabicArticle removes a leading ال when at least min letters remain.
func stripArabicArticle(t string, min int) string {
	if strings.HasPrefix(t, "ال") && utf8.RuneCountInString(t)-2 >= min {
		return t[len("ال"):]
	}
	return t
}

var arabicKeyLetter = map[rune]byte{
	'ب': 'b', 'ت': 't', 'ث': 't', 'ط': 't', 'ج': 'j', 'ح': 'h', 'ه': 'h', 'خ': 'x',
	'د': 'd', 'ض': 'd', 'ذ': 'z', 'ز': 'z', 'ظ': 'z', 'ر': 'r', 'س': 's', 'ص': 's',
	'ش': 'c', 'ف': 'f', 'ق': 'k', 'ك': 'k', 'ل': 'l', 'م': 'm', 'ن': 'n', 'غ': 'g',
}

func appendArabicWord(b []byte, w string, initial bool) []byte {
	start := len(b)
	first := initial
	var last rune
	for _, r := range w {
		last = r
		if first {
			first = false
			switch r {
			case 'ا', 'ع', 'ء':
				b = append(b, 'a')
				continue
			case 'و':
				b = append(b, 'w')
				continue
			case 'ي':
				b = append(b, 'y')
				continue
			}
		}
		if c, ok := arabicKeyLetter[r]; ok {
			b = append(b, c)
		}
	}
	if len(b) > start+1 && (last == 'ه' || last == 'ح') && b[len(b)-1] == 'h' {
		b = b[:len(b)-1]
	}
	return b
}

// ---- Latin ----

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

var latinSuffixes = []struct{ s, key string }{
	{"eddine", "dn"}, {"eddin", "dn"}, {"uddin", "dn"}, {"aldin", "dn"}, {"eldin", "dn"}, {"addin", "dn"}, {"uddeen", "dn"}, {"aldeen", "dn"}, {"eldine", "dn"},
	{"allah", "l"}, {"ullah", "l"}, {"ollah", "l"}, {"illah", "l"},
}

func appendLatinKey(b []byte, t string) []byte {
	// hyphenated forms written by Tokens
	if i := strings.IndexByte(t, '-'); i >= 0 {
		head, rest := t[:i], t[i+1:]
		switch head {
		case "abd":
			b = append(b, "abd"...)
			return appendLatinKey(b, stripLatinArticle(rest))
		case "abu":
			b = append(b, "ab"...)
			return appendLatinKey(b, stripLatinArticle(rest))
		case "umm":
			b = append(b, "am"...)
			return appendLatinKey(b, stripLatinArticle(rest))
		case "al":
			return appendLatinKey(b, rest)
		}
		b = appendLatinKey(b, head)
		switch {
		case rest == "din":
			return append(b, "dn"...)
		case rest == "allah":
			return append(b, 'l')
		case rest == "abidin":
			return append(b, "abdn"...)
		}
		return appendLatinKey(b, rest)
	}
	switch {
	case strings.HasPrefix(t, "abd") && len(t) > 3:
		rest := t[3:]
		for len(rest) > 0 && isVowel(rest[0]) {
			rest = rest[1:]
		}
		if len(rest) > 1 && rest[0] == 'l' {
			rest = rest[1:]
		}
		b = append(b, "abd"...)
		if rest == "" {
			return b
		}
		return appendLatinWord(b, rest, true)
	case (strings.HasPrefix(t, "abou") && len(t) > 6) || (strings.HasPrefix(t, "abu") && len(t) > 5):
		rest := strings.TrimPrefix(strings.TrimPrefix(t, "abou"), "abu")
		b = append(b, "ab"...)
		return appendLatinWord(b, stripLatinArticle(rest), true)
	}
	for _, s := range latinSuffixes {
		if strings.HasSuffix(t, s.s) && len(t) >= len(s.s)+3 {
			b = appendLatinWord(b, t[:len(t)-len(s.s)], true)
			return append(b, s.key...)
		}
	}
	return appendLatinWord(b, t, true)
}

// stripLatinArticle removes a leading al/el written together with a word of
// at least three more letters.
func stripLatinArticle(t string) string {
	for _, p := range []string{"al", "el"} {
		if strings.HasPrefix(t, p) && len(t)-len(p) >= 3 {
			return t[len(p):]
		}
	}
	return t
}

// appendLatinWord appends the skeleton of a Latin word (a-z, digits ignored).
func appendLatinWord(b []byte, w string, initial bool) []byte {
	start := len(b)
	n := len(w)
	first := initial
	lastH := false
	for i := 0; i < n; i++ {
		c := w[i]
		if c < 'a' || c > 'z' {
			continue
		}
		var next byte
		if i+1 < n {
			next = w[i+1]
		}
		var out byte
		lastH = false
		switch c {
		case 'k':
			if next == 'h' {
				out = 'x'
				i++
			} else {
				out = 'k'
			}
		case 'g':
			if next == 'h' {
				out = 'g'
				i++
			} else {
				out = 'j'
			}
		case 's':
			if next == 'h' {
				out = 'c'
				i++
			} else {
				out = 's'
			}
		case 'c':
			switch next {
			case 'h':
				out = 'c'
				i++
			case 'k':
				out = 'k'
				i++
			case 'e', 'i', 'y':
				out = 's'
			default:
				out = 'k'
			}
		case 't':
			if next == 'h' {
				i++
			}
			out = 't'
		case 'd':
			switch next {
			case 'h':
				out = 'z'
				i++
			case 'j':
				out = 'j'
				i++
			default:
				out = 'd'
			}
		case 'p':
			if next == 'h' {
				out = 'f'
				i++
			} else {
				out = 'b'
			}
		case 'q':
			out = 'k'
		case 'v':
			out = 'f'
		case 'x':
			b = append(b, 'k', 's')
			first = false
			continue
		case 'h':
			out = 'h'
			lastH = true
		case 'a', 'e', 'i', 'o', 'u':
			if first {
				out = 'a'
			}
		case 'y', 'w':
			if first {
				out = c
			}
		default:
			out = c
		}
		first = false
		if out != 0 {
			b = append(b, out)
		}
	}
	if lastH && len(b) > start+1 && b[len(b)-1] == 'h' {
		b = b[:len(b)-1]
	}
	return b
}
