package extract

import (
	vigil "github.com/vigil-rec/vigil"
)

// hit is one lexicon phrase found at a token.
type hit struct {
	e   *entry
	end int32
}

// doc is the analysis of one document: its tokens, sentences, lexicon hits
// and the mentions found on top of them.
type doc struct {
	text     string
	toks     []token
	sents    []sentence
	sentOf   []int32 // token -> sentence
	hits     []hit
	hitStart []int32 // hits of token i are hits[hitStart[i]:hitStart[i+1]]
	covered  []uint8 // token is inside an org or actor phrase (not a place)
	ar       []bool  // sentence is in an Arabic paragraph
	anyAR    bool

	published *vigil.FuzzyDate

	nums    []number
	places  []placeMention
	dates   []dateMention
	figs    []figMention
	actors  []actorMention
	orgs    []orgMention
	victims []victimMention
	facs    []facMention
	srcs    []srcMention
	sinfo   []sentInfo
}

const (
	covOrg   uint8 = 1
	covActor uint8 = 2
	covDate  uint8 = 4
	covMeta  uint8 = 8 // a page's list of tags: names that tell no event
)

// annotate finds every lexicon phrase at every token.
func (d *doc) annotate() {
	n := len(d.toks)
	d.hitStart = make([]int32, n+1)
	d.hits = make([]hit, 0, n/3+8)
	for i := 0; i < n; i++ {
		d.hitStart[i] = int32(len(d.hits))
		t := &d.toks[i]
		if t.kind == tokPunct {
			continue
		}
		cands := lex.byFirst[matchKey(t)]
		for _, e := range cands {
			if len(e.words) > n-i {
				continue
			}
			if e.caps && !t.is(flagAllCaps) && !t.is(flagAbbrev) {
				continue
			}
			ok := true
			for k := 1; k < len(e.words); k++ {
				if matchKey(&d.toks[i+k]) != e.words[k] || d.sentOf[i+k] != d.sentOf[i] {
					ok = false
					break
				}
			}
			if ok {
				d.hits = append(d.hits, hit{e, int32(i + len(e.words))})
			}
		}
	}
	d.hitStart[n] = int32(len(d.hits))
}

// find returns the longest phrase of class cls that starts at token i.
func (d *doc) find(i int, cls uint8) (*entry, int) {
	if i < 0 || i >= len(d.toks) {
		return nil, i
	}
	var best *entry
	end := i
	for _, h := range d.hits[d.hitStart[i]:d.hitStart[i+1]] {
		if h.e.cls == cls && int(h.end) > end {
			best, end = h.e, int(h.end)
		}
	}
	return best, end
}

// has reports whether a phrase of class cls starts at token i.
func (d *doc) has(i int, cls uint8) bool {
	e, _ := d.find(i, cls)
	return e != nil
}

// findEnding returns a phrase of class cls that ends at token end (exclusive)
// and its start, searching starts from end-1 down to end-4.
func (d *doc) findEnding(end int, cls uint8) (*entry, int) {
	for s := end - 1; s >= 0 && s >= end-4; s-- {
		for _, h := range d.hits[d.hitStart[s]:d.hitStart[s+1]] {
			if h.e.cls == cls && int(h.end) == end {
				return h.e, s
			}
		}
	}
	return nil, end
}

// span returns the Span of tokens [from, to).
func (d *doc) span(from, to int) vigil.Span {
	if to <= from {
		to = from + 1
	}
	a, b := int(d.toks[from].start), int(d.toks[to-1].end)
	return vigil.Span{Start: a, End: b, Text: d.text[a:b]}
}

func (d *doc) spanText(from, to int) string {
	if to <= from {
		return ""
	}
	return d.text[d.toks[from].start:d.toks[to-1].end]
}

// sentInfo is what one sentence says, for grouping sentences into events.
type sentInfo struct {
	trigType   int // index into eventTypes, -1 for none
	trigWeight int
	trigs      []int // token indices of triggers
	future     bool
	background bool
	other      bool
	// otherMarked: a marker of another incident other than a reported
	// past perfect; backshift: "said 13 people had been killed", whose
	// figures are the event's own.
	otherMarked, backshift bool
	headline               bool // the text's first line, a title with no full stop
	tollForecast           bool // every forecast marker forecasts a toll ("is likely to rise")
	roundup                bool // lists places in several governorates ("in Damascus, Aleppo and Homs")
	event                  int  // event the sentence belongs to
	place                  int  // most specific place mention in the sentence, -1
	date                   int  // date mention, -1
}

func (d *doc) isPunct(i int, s string) bool {
	return i >= 0 && i < len(d.toks) && d.toks[i].kind == tokPunct && d.toks[i].norm == s
}

func (d *doc) isWord(i int, ws ...string) bool {
	if i < 0 || i >= len(d.toks) {
		return false
	}
	for _, w := range ws {
		if d.toks[i].norm == w {
			return true
		}
	}
	return false
}

// sentBounds returns the token range of the sentence holding token i.
func (d *doc) sentBounds(i int) (int, int) {
	s := d.sents[d.sentOf[i]]
	return s.from, s.to
}

// inSentRange scans classes in [from, to) and returns the first token index
// where class cls starts, or -1.
func (d *doc) firstIn(from, to int, cls uint8) int {
	for i := from; i < to; i++ {
		if d.has(i, cls) {
			return i
		}
	}
	return -1
}
