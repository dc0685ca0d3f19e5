package extract

// tagStops end a page's list of tags: the function words and verbs that
// open the sentence after it ("Tags Syria Aleppo airstrikes At least 12
// civilians were killed ...").
var tagStops = map[string]bool{
	"the": true, "a": true, "an": true, "at": true, "in": true, "on": true, "of": true, "to": true,
	"by": true, "for": true, "with": true, "from": true, "has": true, "have": true, "had": true,
	"was": true, "were": true, "is": true, "are": true, "been": true, "said": true, "and": true,
	"who": true, "which": true, "that": true, "as": true, "when": true, "after": true, "this": true,
	"more": true, "almost": true, "nearly": true, "some": true, "dozens": true, "hundreds": true,
	"scores": true, "several": true, "suspected": true, "intense": true, "heavy": true,
}

// markTags covers a page's list of tags ("Tags Syria Idlib gas attack
// chlorine Observatory Assad", left in the text by news sites such as
// The New Arab and Sputnik): its names are the page's topics, not the
// places of an event nor the names of people. (Its event words and actors
// still count: the list often runs into the lead, whose words they may
// be.) The list runs from a capitalised "Tags" to the first punctuation,
// number, function word or verb of the next sentence, at most 30 words.
func (d *doc) markTags() {
	n := len(d.toks)
	for i := 0; i < n; i++ {
		t := &d.toks[i]
		if t.kind != tokWord || d.text[t.start:t.end] != "Tags" || i+1 >= n || d.toks[i+1].kind != tokWord || tagStops[d.toks[i+1].norm] {
			continue
		}
		end := i + 1
		for end < n && end < i+31 {
			u := &d.toks[end]
			if u.kind == tokNum || u.kind == tokPunct && u.norm != "-" && u.norm != "(" && u.norm != ")" ||
				u.kind == tokWord && (tagStops[u.norm] || d.has(end, clsNumWord) || d.has(end, clsKill) || d.has(end, clsStrikeVerb) || d.has(end, clsAux)) {
				break
			}
			end++
		}
		for k := i; k < end; k++ {
			d.covered[k] |= covMeta
		}
		i = end - 1
	}
}

// captionOpeners open a photo caption left in the text of a page.
var captionOpeners = [][]string{
	{"in", "this", "photo"}, {"in", "this", "image"}, {"in", "this", "picture"}, {"in", "this", "file", "photo"},
	{"in", "this", "handout", "photo"}, {"this", "photo"}, {"this", "image"}, {"this", "picture"},
}

// photoCredits close a caption: "(AP photo)", "(AFP Photo/...)", "(Reuters)".
var photoCredits = map[string]bool{"ap": true, "afp": true, "reuters": true, "photo": true, "anadolu": true, "getty": true, "epa": true, "sana": true}

// markCaptions covers a photo caption that opens with "In this photo",
// "This image" ... and ends with its credit in parentheses ("(AP photo)"),
// at most 120 tokens on: where and when the photo was taken ("In this photo
// taken on June 8 ... after warplanes attacked a street in Aleppo (AP
// photo) BEIRUT Air strikes on a market in Idlib killed ...") are not the
// event's place and day. A caption with no credit is left as it is.
func (d *doc) markCaptions() {
	n := len(d.toks)
	for i := 0; i < n; i++ {
		if d.toks[i].kind != tokWord || !d.toks[i].is(flagCap) {
			continue
		}
		opened := false
		for _, o := range captionOpeners {
			ok := i+len(o) <= n
			for k := 0; ok && k < len(o); k++ {
				ok = d.isWord(i+k, o[k])
			}
			if ok {
				opened = true
				break
			}
		}
		if !opened {
			continue
		}
		end := -1
		for k := i + 2; k < n && k < i+120 && end < 0; k++ {
			if !d.isPunct(k, "(") {
				continue
			}
			for q := k + 1; q < n && q < k+8; q++ {
				if d.isPunct(q, ")") {
					if q > k+1 && photoCredits[d.toks[k+1].norm] {
						end = q + 1
					}
					break
				}
			}
		}
		if end < 0 {
			continue
		}
		for k := i; k < end; k++ {
			d.covered[k] |= covMeta
		}
		i = end - 1
	}
}
