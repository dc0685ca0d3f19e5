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
// places, actors or kinds of an event. The list runs from a capitalised
// "Tags" to the first punctuation, number, function word or verb of the
// next sentence, at most 30 words.
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
