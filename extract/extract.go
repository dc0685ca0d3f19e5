// Package extract is vigil's rule-based extraction engine: it reads a
// document's text and returns one claim per violent event it describes,
// every value tied to the byte spans of the words it came from.
//
// The engine tokenises the text once (tokens carry byte offsets into the
// original text and a normalised form), finds lexicon phrases at every
// token, and reads numbers, dates, places (through the gazetteer), actors,
// figures, facilities, victims and sources from those. Sentences are then
// grouped into events: a sentence with an event trigger whose place or date
// cannot be the current event's starts a new event (or joins an earlier one
// it fits), and every other sentence joins the current event. Figures stated
// as background, daily intakes, other incidents or forecasts become context
// figures. See docs/extraction.md.
package extract

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// Version is the rule set's version, recorded on every claim.
const Version = "0.1"

// Extractor is the rule-based English extractor. It is safe for concurrent
// use.
type Extractor struct {
	gaz      placeIndex
	prefixes map[string]bool
	key      func(string) string
	now      func() time.Time
}

var _ vigil.Extractor = (*Extractor)(nil)

// New returns an extractor that resolves places through gaz. A nil gazetteer
// resolves no places. The names of gaz are indexed when New is called: build
// a new extractor after adding places to the gazetteer.
func New(gaz *gazetteer.Gazetteer) *Extractor {
	x := &Extractor{key: gazetteer.Key, now: time.Now}
	if gaz != nil {
		x.gaz = gaz
		x.prefixes = namePrefixes(gaz, gazetteer.Key)
	}
	return x
}

// Name returns the extractor's name and version.
func (x *Extractor) Name() string { return "vigil-rules-en/" + Version }

// Extract returns one claim per event that doc's text describes.
func (x *Extractor) Extract(ctx context.Context, doc *vigil.Document) ([]*vigil.Claim, error) {
	if doc == nil {
		return nil, vigil.Errorf(vigil.EINVALID, "no document")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d := x.analyse(doc.Text, doc.Published)
	claims := d.claims()
	datePosted(doc, d.mostlyArabic(), claims)
	now := x.now().UTC()
	for i, c := range claims {
		c.DocumentID = doc.ID
		c.Index = i
		c.Extractor = x.Name()
		c.CreatedAt = now
	}
	return claims, nil
}

// analyse runs every step of the analysis on text.
func (x *Extractor) analyse(text string, published *vigil.FuzzyDate) *doc {
	d := &doc{text: text, published: published}
	d.toks = tokenize(text)
	lostApostrophes(d.toks)
	d.sents = splitSentences(text, d.toks)
	d.sentOf = make([]int32, len(d.toks))
	for si, s := range d.sents {
		for k := s.from; k < s.to; k++ {
			d.sentOf[k] = int32(si)
		}
	}
	d.covered = make([]uint8, len(d.toks))
	d.markArabic()
	d.annotate()
	d.markTags()
	d.markCaptions()
	d.findDates()
	d.findOrgs()
	d.findPlaces(x.gaz, x.key, x.prefixes)
	d.sentenceInfo()
	d.findFigures()
	d.deathPlaces()
	d.findActors()
	d.findSources()
	placeAt := make([]bool, len(d.toks))
	for _, p := range d.places {
		for k := p.from; k < p.to; k++ {
			placeAt[k] = true
		}
	}
	d.findVictims(func(i int) bool { return placeAt[i] })
	d.findVictimsAR(func(i int) bool { return placeAt[i] })
	d.findFacilities(func(i int) bool { return placeAt[i] })
	return d
}

// sentenceInfo classifies each sentence: its strongest event trigger, and
// whether it is a forecast, background or about other incidents.
func (d *doc) sentenceInfo() {
	d.sinfo = make([]sentInfo, len(d.sents))
	for si, s := range d.sents {
		in := &d.sinfo[si]
		in.trigType, in.place, in.date, in.event = -1, -1, -1, -1
		inTrig := s.from
		for k := s.from; k < s.to; k++ {
			if d.covered[k]&covOrg != 0 {
				continue
			}
			if e, end := d.find(k, clsEvent); e != nil && k >= inTrig && !d.answered(si, k) {
				in.trigs = append(in.trigs, k)
				if e.weight > in.trigWeight {
					in.trigType, in.trigWeight = e.val, e.weight
				}
				// The words of a longer trigger are not triggers of their
				// own: "twin bombing" is no aerial "bombing".
				inTrig = end
			}
			if e, _ := d.find(k, clsFuture); e != nil {
				if !in.future {
					in.tollForecast = true
				}
				in.future = true
				in.tollForecast = in.tollForecast && tollForecast(e.canon)
			}
			if e, _ := d.find(k, clsBackground); e != nil && !(strings.HasPrefix(e.canon, "since") && d.superlativeBefore(si, k)) &&
				!(habits[e.canon] && d.countsDead(si)) && !(warNames[e.canon] && d.dayDated(si)) ||
				d.cumulativeSince(k) && !d.superlativeBefore(si, k) {
				in.background = true
			}
			if e, _ := d.find(k, clsOther); e != nil {
				if strings.HasPrefix(e.canon, "had ") && d.reported(si) {
					in.backshift = true
				} else {
					in.otherMarked = true
				}
				in.other = true
			}
		}
	}
	d.markHeadline()
	listed := d.placeLists()
	for pi := range d.places {
		p := &d.places[pi]
		in := &d.sinfo[p.sent]
		// Where people came from or were heading does not place the
		// sentence's event; nor do the later places of a list of places
		// in several governorates (a round-up's "in Daraa countryside,
		// Aleppo, Damascus"): such a sentence sums several events, and
		// the first named is the one told first.
		if p.origin || listed != nil && listed[pi] {
			if !p.origin {
				in.roundup = true
			}
			continue
		}
		if in.place < 0 || p.chosen.Precision.FinerThan(d.places[in.place].chosen.Precision) {
			in.place = pi
		}
	}
	told := len(d.sinfo) // the first sentence that tells an event
	for si := range d.sinfo {
		if in := &d.sinfo[si]; in.trigType >= 0 && !in.future && !in.background && !in.other {
			told = si
			break
		}
	}
	for di := range d.dates {
		m := &d.dates[di]
		if m.dateline || m.report || m.date.IsZero() {
			continue
		}
		si := d.sentOf[m.from]
		in := &d.sinfo[si]
		if in.date < 0 {
			in.date = di
		}
		// "In January the siege saw dozens die": once the report has told
		// its event, a month or a year before the month of publication is
		// the time of other events (a report on a past event dates it
		// where it first tells it).
		if p, ok := d.pubDay(); ok && int(si) > told && !d.ar[si] && (m.date.Precision == vigil.PrecisionMonth || m.date.Precision == vigil.PrecisionYear) &&
			m.date.Latest.Before(time.Date(p.Year(), p.Month(), 1, 0, 0, 0, 0, time.UTC)) {
			in.other, in.otherMarked = true, true
		}
	}
}

// placeLists marks the place mentions that stand after the first in a list
// (joined by commas, "and" or nothing) of places in two or more
// governorates; nil when there is none.
func (d *doc) placeLists() []bool {
	var out []bool
	for a := 0; a < len(d.places); {
		b := a + 1
		for b < len(d.places) && d.places[b].sent == d.places[a].sent && d.listGap(d.places[b-1].to, d.places[b].from) {
			b++
		}
		multi := false
		for k := a + 1; k < b; k++ {
			if otherGovernorate(d.places[a].chosen, d.places[k].chosen) {
				multi = true
			}
		}
		if multi && !d.toks[d.places[a].from].is(flagArabic) {
			if out == nil {
				out = make([]bool, len(d.places))
			}
			for k := a + 1; k < b; k++ {
				out[k] = true
			}
		}
		a = b
	}
	return out
}

// listGap reports whether the tokens [a, b) join two items of a list.
func (d *doc) listGap(a, b int) bool {
	for k := a; k < b; k++ {
		if !d.isPunct(k, ",") && !d.isWord(k, "and") {
			return false
		}
	}
	return b-a <= 2
}

// cumulativeSince reports whether token k is "since" opening the point a
// cumulative toll is counted from ("since it first intervened", "since
// Russia began its campaign", "since late September"), not a day or a part
// of the day of the event ("since Sunday", "since dawn", "since early
// morning").
func (d *doc) cumulativeSince(k int) bool {
	if !d.isWord(k, "since") || d.isWord(k-1, "ever") {
		return false
	}
	j := k + 1
	if d.isWord(j, "early", "late") && (d.has(j+1, clsWeekday) || d.isWord(j+1, "morning", "evening", "afternoon", "hours")) {
		return false
	}
	return !(d.has(j, clsWeekday) || d.has(j, clsRelDay) || d.isWord(j, "dawn", "morning", "midnight", "noon", "daybreak", "sunrise", "then"))
}

// deathPlaces marks the place named right after a count of the dead ("kill
// 4 in Syria's Idlib", "killed 10 people in Douma"): it is where they died,
// and it is the sentence's place over a finer one named elsewhere in it
// ("... kill 4 in Syria's Idlib, destroy mosque in Hama").
func (d *doc) deathPlaces() {
	for pi := range d.places {
		pm := &d.places[pi]
		if pm.origin || pm.chosen.Precision == vigil.PlaceCountry {
			continue
		}
		j := pm.from - 1
		if d.isWord(j, "syria", "syrias") {
			j-- // "in Syria's Idlib"
		}
		if !d.isWord(j, "in", "near", "at", "on") {
			continue
		}
		k := j - 1
		for fi := range d.figs {
			f := &d.figs[fi]
			if f.dead || f.reason != "" || f.kind != vigil.Killed || f.sent != pm.sent {
				continue
			}
			end := f.to
			if f.kindTok >= f.to {
				end = f.kindTok + 1
			}
			if end == k+1 {
				pm.deaths = true
				in := &d.sinfo[pm.sent]
				if in.place < 0 || !d.places[in.place].deaths {
					in.place = pi
				}
			}
		}
	}
}

// superlativeBefore reports whether sentence s has a superlative or
// "first" before token k: "the first deaths since the ceasefire began",
// "the deadliest attack since 2015" compare the event with the time since,
// they do not count a toll since then.
func (d *doc) superlativeBefore(s, k int) bool {
	for j := d.sents[s].from; j < k; j++ {
		if d.isWord(j, "first", "deadliest", "worst", "bloodiest", "biggest", "largest", "heaviest", "highest", "fiercest", "most", "single") {
			return true
		}
	}
	return false
}

// reported reports whether sentence s is reported speech ("the Observatory
// said", "he told AFP", "according to"): its past perfect ("said 13 people
// had been killed") is the tense of reporting, not an earlier incident.
func (d *doc) reported(s int) bool {
	for k := d.sents[s].from; k < d.sents[s].to; k++ {
		if d.isWord(k, "said", "says", "say", "told", "reported", "reports", "added", "stated", "announced", "confirmed") ||
			d.isWord(k, "according") && d.isWord(k+1, "to") {
			return true
		}
	}
	return false
}

// markHeadline marks the first sentence as a headline when it is a line of
// its own that ends with no full stop, with more text after it: a news
// headline (or a caption) summarises the report's lead event, in few words.
func (d *doc) markHeadline() {
	if len(d.sinfo) > 0 {
		d.sinfo[0].headline = d.headlineLine()
	}
}

// headlineLine reports whether the text's first sentence is a line of its
// own, with no full stop, followed by more text: a headline.
func (d *doc) headlineLine() bool {
	if len(d.sents) < 2 {
		return false
	}
	s := d.sents[0]
	if s.to-s.from > 30 || !d.toks[s.to].is(flagNewline) {
		return false
	}
	last := &d.toks[s.to-1]
	return !(last.kind == tokPunct && (last.norm == "." || last.norm == "!" || last.norm == "?"))
}

// event is a group of sentences about one event.
type event struct {
	sents []int
	place *vigil.Place
	date  *vigil.FuzzyDate
	top   bool // date is a top date (dateMention.top)
}

func (d *doc) incidentFigures(s int) bool {
	for _, f := range d.figs {
		if f.sent == s && !f.dead && f.reason == "" {
			return true
		}
	}
	return false
}

// otherGovernorate reports whether a and b lie in two different
// governorates.
func otherGovernorate(a, b *vigil.Place) bool {
	ga, gb := governorate(a), governorate(b)
	return ga != "" && gb != "" && ga != gb
}

// killFigures reports whether sentence s states deaths of the event it
// tells (not context figures).
func (d *doc) killFigures(s int) bool {
	for _, f := range d.figs {
		if f.sent == s && !f.dead && f.reason == "" && f.kind == vigil.Killed && f.num.min > 0 {
			return true
		}
	}
	return false
}

func (ev *event) fits(d *doc, s int) bool {
	in := &d.sinfo[s]
	if in.place >= 0 && ev.place != nil && !compatible(ev.place, d.places[in.place].chosen) && !d.arInCentresGovernorate(ev, s) {
		return false
	}
	if in.date >= 0 && ev.date != nil {
		o := d.dates[in.date].date
		if ev.date.Precision <= vigil.PrecisionDay && o.Precision <= vigil.PrecisionDay && !ev.date.Overlaps(o) && !ev.beforeTop(o) {
			return false
		}
	}
	return true
}

func (ev *event) add(d *doc, s int) {
	ev.sents = append(ev.sents, s)
	in := &d.sinfo[s]
	in.event = -2 // set properly after grouping
	if in.future || in.background || in.other {
		return
	}
	if in.place >= 0 {
		p := d.places[in.place].chosen
		if ev.place == nil || (within(p, ev.place) && p.Precision.FinerThan(ev.place.Precision)) {
			ev.place = p
		}
	}
	if in.date >= 0 && (ev.date == nil || ev.top && !d.dates[in.date].top) {
		dt := d.dates[in.date].date
		ev.date, ev.top = &dt, d.dates[in.date].top
	}
}

// beforeTop reports whether day o lies up to two days before the event's
// top date (the day of publication under a headline): the report's own
// day, whose event is often of the day before.
func (ev *event) beforeTop(o vigil.FuzzyDate) bool {
	return ev.top && upToTwoDaysBefore(o, *ev.date)
}

// upToTwoDaysBefore reports whether day o falls on day top or up to two
// days before it.
func upToTwoDaysBefore(o, top vigil.FuzzyDate) bool {
	return o.Precision <= vigil.PrecisionDay && !o.Earliest.After(top.Latest) && top.Earliest.Sub(o.Earliest) <= 48*time.Hour
}

// group assigns sentences to events.
func (d *doc) group() []*event {
	var events []*event
	var pending, before []int // sentences before the first event
	cur := -1
	isEventish := func(in *sentInfo) bool {
		return in.trigType >= 0 && !in.future && !in.background && !in.other
	}
	// A headline never starts an event of its own: it summarises the lead
	// event, which the body then tells (often at a finer place).
	headAlone := len(d.sinfo) > 0 && d.sinfo[0].headline
	if headAlone {
		headAlone = false
		for si := 1; si < len(d.sinfo); si++ {
			if isEventish(&d.sinfo[si]) {
				headAlone = true
				break
			}
		}
	}
	for si := range d.sents {
		in := &d.sinfo[si]
		eventish := isEventish(in) && !(si == 0 && headAlone)
		// A sentence that counts deaths in another governorate than the
		// current event's reports an event of its own, trigger or none: a
		// round-up's "Deir Ezzor: army units killed 15 terrorists in ...".
		if !eventish && cur >= 0 && in.place >= 0 && !d.ar[si] && d.core(si) && events[cur].place != nil &&
			otherGovernorate(events[cur].place, d.places[in.place].chosen) && d.killFigures(si) {
			eventish = true
		}
		if !eventish {
			if cur < 0 {
				pending = append(pending, si)
			} else {
				events[cur].add(d, si)
			}
			continue
		}
		if cur < 0 {
			events = append(events, &event{})
			cur = 0
			for _, p := range pending {
				events[0].add(d, p)
			}
			before, pending = pending, nil
			events[0].add(d, si)
			continue
		}
		if events[cur].fits(d, si) {
			events[cur].add(d, si)
			continue
		}
		moved := false
		for ei, ev := range events {
			if ei != cur && ev.fits(d, si) && (in.place >= 0 && ev.place != nil) {
				cur = ei
				ev.add(d, si)
				moved = true
				break
			}
		}
		if moved {
			continue
		}
		if d.incidentFigures(si) {
			events = append(events, &event{})
			cur = len(events) - 1
			events[cur].add(d, si)
			continue
		}
		// A strike somewhere else, with no figures: another incident
		// mentioned in passing. It stays with the current event, as context.
		in.other = true
		events[cur].add(d, si)
	}
	if len(events) == 0 && len(pending) > 0 {
		// No trigger: still a claim when the text counts casualties, or
		// (Arabic) names its dead in a sentence that states no background
		// ("شهداء حي المزة").
		for _, s := range pending {
			if d.incidentFigures(s) || d.arDeadNamed(s) {
				ev := &event{}
				for _, p := range pending {
					ev.add(d, p)
				}
				events = append(events, ev)
				break
			}
		}
	} else if len(pending) > 0 {
		for _, p := range pending {
			events[0].add(d, p)
		}
	}
	for _, p := range before {
		if ei := d.summarised(events, before, p); ei > 0 {
			events[0].sents = slices.DeleteFunc(events[0].sents, func(s int) bool { return s == p })
			events[ei].sents = append(events[ei].sents, p)
		}
	}
	for ei, ev := range events {
		slices.Sort(ev.sents)
		for _, s := range ev.sents {
			d.sinfo[s].event = ei
		}
	}
	return events
}

// summarised returns the event that sentence p, told before the first
// event (a headline, a summary line), belongs to: the first event, except
// that a round-up's summary ("Four killed in attacks in Damascus, Aleppo,
// Homs and Hasaka") counts the dead of the section that states its count,
// when the first section states no such count.
func (d *doc) summarised(events []*event, pending []int, p int) int {
	if !d.sinfo[p].roundup || len(events) < 2 {
		return 0
	}
	counts := d.killCounts(p, nil)
	if len(counts) == 0 {
		return 0
	}
	for _, s := range events[0].sents {
		if !slices.Contains(pending, s) && len(d.killCounts(s, counts)) > 0 {
			return 0
		}
	}
	for ei := 1; ei < len(events); ei++ {
		for _, s := range events[ei].sents {
			if len(d.killCounts(s, counts)) > 0 {
				return ei
			}
		}
	}
	return 0
}

// killCounts returns the death counts sentence s states for its event,
// only those in among when among is not nil.
func (d *doc) killCounts(s int, among []int) []int {
	var out []int
	for _, f := range d.figs {
		if f.sent == s && !f.dead && f.reason == "" && f.kind == vigil.Killed && f.num.min > 0 &&
			(among == nil || slices.Contains(among, f.num.min)) {
			out = append(out, f.num.min)
		}
	}
	return out
}

func (d *doc) claims() []*vigil.Claim {
	events := d.group()
	out := make([]*vigil.Claim, 0, len(events))
	for ei, ev := range events {
		out = append(out, d.claim(ei, ev))
	}
	return out
}

func (d *doc) inEvent(s, ei int) bool { return d.sinfo[s].event == ei }

// core reports whether sentence s states the event itself (not a forecast,
// background or another incident).
func (d *doc) core(s int) bool {
	in := &d.sinfo[s]
	return !in.future && !in.background && !in.other
}

// placesEvent reports whether sentence s names the place of its event: a
// sentence that states the event, or one whose only forecast is of its
// toll ("the number of those killed in X is likely to rise"): the toll
// that may rise is the event's, and so is the place of its dead.
func (d *doc) placesEvent(s int) bool {
	in := &d.sinfo[s]
	return d.core(s) || in.future && in.tollForecast && !in.background && !in.other
}

// tollForecast reports whether a forecast marker forecasts a toll ("may
// rise", "could reach", "expected to climb"), not an event.
func tollForecast(canon string) bool {
	return strings.HasSuffix(canon, " rise") || strings.HasSuffix(canon, " reach") || strings.HasSuffix(canon, " climb")
}

func (d *doc) claim(ei int, ev *event) *vigil.Claim {
	c := &vigil.Claim{Figures: []vigil.Figure{}}
	d.claimEventType(c, ei)
	d.claimDate(c, ei)
	d.claimPlace(c, ei)
	d.claimAttribution(c, ei)
	d.claimFigures(c, ei)
	for _, fm := range d.facs {
		if !d.inEvent(fm.sent, ei) {
			continue
		}
		merged := false
		for k := range c.Facilities {
			f := &c.Facilities[k]
			if string(f.Type)+"|"+strings.ToLower(f.Name) == fm.key {
				f.Spans = append(f.Spans, fm.f.Spans...)
				if roleRank(fm.f.Role) > roleRank(f.Role) {
					f.Role = fm.f.Role
				}
				merged = true
			}
		}
		if !merged {
			f := fm.f
			f.Spans = slices.Clone(f.Spans)
			c.Facilities = append(c.Facilities, f)
		}
	}
	for _, vm := range d.victims {
		if len(vm.sents) > 0 && d.inEvent(vm.sents[0], ei) {
			v := vm.v
			v.Spans = slices.Clone(v.Spans)
			c.Victims = append(c.Victims, v)
		}
	}
	seen := map[string]int{}
	for _, sm := range d.srcs {
		if !d.inEvent(sm.sent, ei) {
			continue
		}
		if k, ok := seen[sm.key]; ok {
			c.Sources[k].Spans = append(c.Sources[k].Spans, sm.src.Spans...)
			continue
		}
		seen[sm.key] = len(c.Sources)
		s := sm.src
		s.Spans = slices.Clone(s.Spans)
		c.Sources = append(c.Sources, s)
	}
	c.Summary = summary(c)
	return c
}

func roleRank(r string) int {
	switch r {
	case "treated_casualties":
		return 3
	case "hit":
		return 2
	case "involved":
		return 1
	}
	return 0
}

func (d *doc) claimEventType(c *vigil.Claim, ei int) {
	score := make([]int, len(eventTypes))
	for si := range d.sents {
		if !d.inEvent(si, ei) || !d.core(si) {
			continue
		}
		// The headline names the event in the word its readers take
		// for it: its triggers count for more.
		f := 1
		if d.sinfo[si].headline {
			f = 2
		}
		for _, k := range d.sinfo[si].trigs {
			e, _ := d.find(k, clsEvent)
			score[e.val] += f * e.weight * e.weight
		}
	}
	best := -1
	for t, s := range score {
		if s > 0 && (best < 0 || s > score[best]) {
			best = t
		}
	}
	if best < 0 {
		c.EventType = vigil.Valued[vigil.EventType]{Value: vigil.EventUnknown}
		return
	}
	c.EventType.Value = eventTypes[best]
	for si := range d.sents {
		if !d.inEvent(si, ei) || !d.core(si) {
			continue
		}
		for _, k := range d.sinfo[si].trigs {
			if e, end := d.find(k, clsEvent); e.val == best {
				c.EventType.Spans = append(c.EventType.Spans, d.span(k, end))
			}
		}
	}
}

func (d *doc) claimDate(c *vigil.Claim, ei int) {
	var best *dateMention
	for di := range d.dates {
		m := &d.dates[di]
		s := int(d.sentOf[m.from])
		if m.dateline || m.date.IsZero() || !d.inEvent(s, ei) || !d.core(s) {
			continue
		}
		// The day of publication under the headline gives way to the
		// event's own day up to two days before it ("14 Nov 2017 Air
		// strikes ... on Monday").
		if best == nil || (best.top && !m.top && !m.report && upToTwoDaysBefore(m.date, best.date)) || (best.report && !m.report) ||
			(m.report == best.report && m.date.Precision < best.date.Precision && best.date.Precision > vigil.PrecisionDay) {
			best = m
		}
	}
	if best == nil {
		return
	}
	c.Date = vigil.Valued[vigil.FuzzyDate]{Value: best.date, Spans: []vigil.Span{d.span(best.from, best.to)}}
}

func (d *doc) claimPlace(c *vigil.Claim, ei int) {
	votes := map[string]int{}
	weight := func(pm *placeMention) int {
		w := 1
		if pm.cue {
			w += 2
		}
		if pm.deaths {
			w += 3
		}
		in := &d.sinfo[pm.sent]
		if in.trigType >= 0 || d.incidentFigures(pm.sent) {
			w += 2
		}
		return w
	}
	// The lead (the first sentence of the body) and the headline above it
	// name the event's place.
	first := -1
	for si := range d.sents {
		if d.inEvent(si, ei) && d.core(si) && !d.sinfo[si].headline {
			first = si
			break
		}
	}
	// Where people came from ("evacuees from Fuaa") counts only when the
	// event names no other place.
	origins := true
	for pi := range d.places {
		pm := &d.places[pi]
		if d.inEvent(pm.sent, ei) && d.placesEvent(pm.sent) && pm.chosen.Precision != vigil.PlaceCountry && !pm.origin {
			origins = false
			break
		}
	}
	consider := func(pm *placeMention) bool {
		return d.inEvent(pm.sent, ei) && d.placesEvent(pm.sent) && pm.chosen.Precision != vigil.PlaceCountry && (origins || !pm.origin)
	}
	any := false
	for pi := range d.places {
		pm := &d.places[pi]
		if !consider(pm) {
			continue
		}
		w := weight(pm)
		if pm.sent == first || d.sinfo[pm.sent].headline {
			w += 3
		}
		// Long reports drift to background and to other places: more than
		// ten sentences after the lead, a mention counts once, with no
		// bonus, unless it places the dead.
		if first >= 0 && pm.sent > first+farSentences && !pm.deaths {
			w = 1
		}
		votes[governorate(pm.chosen)] += w
		any = true
	}
	if !any {
		// Only the country, or places in background sentences only.
		for pi := range d.places {
			pm := &d.places[pi]
			if d.inEvent(pm.sent, ei) && pm.chosen.Precision == vigil.PlaceCountry {
				c.Place = &vigil.Valued[vigil.Place]{Value: *pm.chosen, Spans: []vigil.Span{d.span(pm.from, pm.to)}}
				return
			}
		}
		return
	}
	gov, gv := "", -1
	for pi := range d.places { // in text order, for stable ties
		pm := &d.places[pi]
		if !consider(pm) {
			continue
		}
		g := governorate(pm.chosen)
		if votes[g] > gv {
			gov, gv = g, votes[g]
		}
	}
	var chosen *placeMention
	for pi := range d.places {
		pm := &d.places[pi]
		if !consider(pm) || governorate(pm.chosen) != gov {
			continue
		}
		if chosen == nil || pm.chosen.Precision.FinerThan(chosen.chosen.Precision) ||
			(pm.chosen.Precision == chosen.chosen.Precision && (weight(pm) > weight(chosen) || d.arBeyondCentre(pm, chosen))) {
			chosen = pm
		}
	}
	p := chosen.chosen
	v := &vigil.Valued[vigil.Place]{Value: *p}
	for pi := range d.places {
		pm := &d.places[pi]
		if !d.inEvent(pm.sent, ei) {
			continue
		}
		if pm.chosen == p || (pm.sent == chosen.sent && within(p, pm.chosen) && pm.chosen.Precision != vigil.PlaceCountry) {
			v.Spans = append(v.Spans, d.span(pm.from, pm.to))
		}
	}
	c.Place = v
}

func (d *doc) claimAttribution(c *vigil.Claim, ei int) {
	idx := map[int]int{}
	for _, am := range d.actors {
		if !d.inEvent(am.sent, ei) || !d.core(am.sent) || (!am.agent && !am.denied) {
			continue
		}
		k, ok := idx[am.actor]
		if !ok {
			k = len(c.Attribution.Candidates)
			idx[am.actor] = k
			a := actors[am.actor]
			c.Attribution.Candidates = append(c.Attribution.Candidates, vigil.PerpetratorCandidate{Actor: a.Key, Label: a.Label})
		}
		pc := &c.Attribution.Candidates[k]
		pc.Spans = append(pc.Spans, d.span(am.from, am.to))
		if am.agent {
			pc.Status = ""
			if am.hedge != hedgeNone && pc.Hedge == "" {
				pc.Hedge = hedgeNames[am.hedge]
			}
			for _, sm := range d.srcs {
				if sm.sent == am.sent && !slices.Contains(pc.AllegedBy, sm.src.Name) {
					pc.AllegedBy = append(pc.AllegedBy, sm.src.Name)
				}
			}
		}
		if am.denied {
			pc.DeniedBy = appendUnique(pc.DeniedBy, actors[am.actor].Label)
			if !am.agent && len(pc.Spans) == 1 {
				pc.Status = vigil.Denied
			}
		}
	}
	// A candidate that was both alleged and denied stays alleged.
	for i := range c.Attribution.Candidates {
		pc := &c.Attribution.Candidates[i]
		if pc.Status == vigil.Denied {
			for _, am := range d.actors {
				if am.actor == actorIndex(pc.Actor) && am.agent && d.inEvent(am.sent, ei) && d.core(am.sent) {
					pc.Status = ""
				}
			}
		}
	}
	for si := range d.sents {
		if !d.inEvent(si, ei) || !d.core(si) {
			continue
		}
		s := d.sents[si]
		for k := s.from; k < s.to; k++ {
			if e, end := d.find(k, clsUnidentified); e != nil {
				if len(e.words) > 1 || d.has(end, clsMilitary) || d.has(end, clsEvent) || d.isWord(end, "gunmen", "assailants", "attackers", "planes") {
					c.Attribution.Unidentified = true
					to := end
					if len(e.words) == 1 {
						to = end + 1
					}
					c.Attribution.Spans = append(c.Attribution.Spans, d.span(k, to))
				}
			}
		}
	}
	c.Attribution.DeriveStatus()
	if c.Attribution.Candidates == nil {
		c.Attribution.Candidates = []vigil.PerpetratorCandidate{}
	}
}

func appendUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func (d *doc) figureSpan(f *figMention) vigil.Span {
	to := f.to
	if f.kindTok >= f.to && f.kindTok < f.to+10 {
		_, end := d.find(f.kindTok, clsKill)
		if end <= f.kindTok {
			_, end = d.find(f.kindTok, clsInjure)
		}
		if end <= f.kindTok {
			end = f.kindTok + 1
		}
		to = end
	}
	return d.span(f.from, to)
}

func (d *doc) claimFigures(c *vigil.Claim, ei int) {
	var figs []agg
	// The first statement of a count is the document's own (headline and
	// lead come first; later figures are often partial or other sources'),
	// except that a precise count replaces a vague one ("dozens" ... "58").
	// A headline's rounded count ("more than 50") gives way to the body's
	// count of the same people when that is at least as high ("51").
	// A count of people by occupation ("2 medics") gives way to a higher
	// count of all the dead ("at least 31 people"): it is a part of them.
	put := func(nf vigil.Figure, vague, head, group bool) {
		for k := range figs {
			g := &figs[k]
			if g.f.Kind != nf.Kind || g.f.Category != nf.Category {
				continue
			}
			switch {
			case g.vague && !vague:
				g.f, g.vague, g.head = nf, false, head
			case g.head && !head && g.f.Qualifier != vigil.QualExact && nf.Min >= g.f.Min:
				g.f, g.vague, g.head = nf, vague, false
			case g.group && !group && nf.Min > g.f.Min:
				g.f, g.vague, g.head, g.group = nf, vague, head, false
			case nf.Min == g.f.Min && maxEq(nf.Max, g.f.Max):
				g.f.Spans = append(g.f.Spans, nf.Spans...)
			}
			return
		}
		figs = append(figs, agg{f: nf, order: len(figs), vague: vague, head: head, group: group})
	}
	namedInSent := func(s int, cat vigil.Category) bool {
		for _, vm := range d.victims {
			if cat == vigil.CatChildren && !vm.v.Minor {
				continue
			}
			if slices.Contains(vm.sents, s) {
				return true
			}
		}
		return false
	}
	var lists [][]int
	for fi := range d.figs {
		f := &d.figs[fi]
		if f.dead || !d.inEvent(f.sent, ei) {
			continue
		}
		if f.reason != "" {
			c.ContextFigures = append(c.ContextFigures, d.contextFigure(f))
			continue
		}
		fig := vigil.Figure{Kind: f.kind, Category: f.cat, Min: f.num.min, Qualifier: f.num.qual,
			Spans: []vigil.Span{d.figureSpan(f)}}
		if f.num.max >= 0 {
			mx := f.num.max
			fig.Max = &mx
		}
		// "[a named boy] was injured ... along with four other children": the named
		// child is one more.
		if f.other && f.cat != vigil.CatTotal && namedInSent(f.sent, f.cat) {
			fig.Min++
			if fig.Max != nil {
				mx := *fig.Max + 1
				fig.Max = &mx
			}
		}
		put(fig, f.num.vague, d.sinfo[f.sent].headline, f.group)
		if f.listPrev >= 0 && len(lists) > 0 && slices.Contains(lists[len(lists)-1], f.listPrev) {
			lists[len(lists)-1] = append(lists[len(lists)-1], fi)
		} else {
			lists = append(lists, []int{fi})
		}
	}
	// A total stated as parts: "four other children, one woman and two young men".
	for _, l := range lists {
		if len(l) < 2 {
			continue
		}
		kind := d.figs[l[0]].kind
		cats := map[vigil.Category]bool{}
		ok := true
		for _, fi := range l {
			f := &d.figs[fi]
			if f.kind != kind || f.cat == vigil.CatTotal || f.cat == vigil.CatCivilians || cats[f.cat] || f.parent >= 0 {
				ok = false
				break
			}
			cats[f.cat] = true
		}
		if !ok {
			continue
		}
		if _, has := findFig(figs, kind, vigil.CatTotal); has {
			continue
		}
		sum := vigil.Figure{Kind: kind, Category: vigil.CatTotal, Qualifier: vigil.QualExact}
		bounded := true
		mx := 0
		for _, fi := range l {
			f := &d.figs[fi]
			g, _ := findFig(figs, kind, f.cat)
			sum.Min += g.Min
			if g.Max == nil {
				bounded = false
			} else {
				mx += *g.Max
			}
			if g.Qualifier != vigil.QualExact {
				sum.Qualifier = g.Qualifier
			}
			sum.Spans = append(sum.Spans, d.figureSpan(f))
		}
		if bounded {
			sum.Max = &mx
		}
		figs = append(figs, agg{f: sum, list: true, order: len(figs)})
	}
	// "0 killed" when the text lists the casualties and names no death.
	if _, has := findFig(figs, vigil.Injured, vigil.CatTotal); has {
		killed := false
		for _, g := range figs {
			if g.f.Kind == vigil.Killed {
				killed = true
			}
		}
		for si := range d.sents {
			if killed || !d.inEvent(si, ei) || !d.core(si) {
				continue
			}
			s := d.sents[si]
			for k := s.from; k < s.to; k++ {
				if d.has(k, clsKill) {
					killed = true
					break
				}
			}
		}
		if !killed {
			for _, g := range figs {
				if g.list && g.f.Kind == vigil.Injured {
					z := vigil.Exact(vigil.Killed, vigil.CatTotal, 0)
					z.Spans = slices.Clone(g.f.Spans)
					figs = append(figs, agg{f: z, order: len(figs)})
					break
				}
			}
		}
	}
	for _, g := range figs {
		c.Figures = append(c.Figures, g.f)
	}
	slices.SortStableFunc(c.Figures, func(a, b vigil.Figure) int {
		if a.Kind != b.Kind {
			return strings.Compare(string(b.Kind), string(a.Kind)) // killed before injured
		}
		return catOrder(a.Category) - catOrder(b.Category)
	})
}

func catOrder(c vigil.Category) int {
	for i, x := range categories {
		if x == c {
			return i
		}
	}
	return len(categories)
}

// agg is a figure being assembled for a claim.
type agg struct {
	f     vigil.Figure
	list  bool
	vague bool
	head  bool // stated in the headline
	group bool // a count of people by occupation
	order int
}

func findFig(figs []agg, kind vigil.FigureKind, cat vigil.Category) (vigil.Figure, bool) {
	for _, g := range figs {
		if g.f.Kind == kind && g.f.Category == cat {
			return g.f, true
		}
	}
	return vigil.Figure{}, false
}

func maxEq(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func (d *doc) contextFigure(f *figMention) vigil.ContextFigure {
	sp := d.figureSpan(f)
	cf := vigil.ContextFigure{Kind: f.kind, Category: f.cat, Min: f.num.min, Qualifier: f.num.qual,
		Reason: f.reason, Spans: []vigil.Span{sp}}
	if f.num.max >= 0 {
		mx := f.num.max
		cf.Max = &mx
	}
	cf.Description = strings.ReplaceAll(f.reason, "_", " ") + ": " + sp.Text
	// Scope: the places, facilities and dates the sentence names.
	var scope []string
	for _, fm := range d.facs {
		if fm.sent == f.sent && fm.f.Name != "" {
			scope = appendUnique(scope, fm.f.Name)
		}
	}
	for _, pm := range d.places {
		if pm.sent == f.sent {
			scope = appendUnique(scope, pm.chosen.Name)
		}
	}
	for _, dm := range d.dates {
		if int(d.sentOf[dm.from]) == f.sent && !dm.date.IsZero() {
			scope = appendUnique(scope, dm.date.String())
		}
	}
	if f.reason == "background" {
		s := d.sents[f.sent]
		for k := s.from; k < s.to; k++ {
			if d.isWord(k, "syria", "syrians", "country", "nationwide", "country's") {
				scope = []string{"Syria"}
				break
			}
		}
	}
	cf.Scope = strings.Join(scope, "; ")
	return cf
}

func summary(c *vigil.Claim) string {
	var sb strings.Builder
	sb.WriteString(strings.ReplaceAll(string(c.EventType.Value), "_", " "))
	if c.Place != nil {
		sb.WriteString(" in ")
		sb.WriteString(c.Place.Value.Name)
	}
	if !c.Date.Value.IsZero() {
		sb.WriteString(" on ")
		sb.WriteString(c.Date.Value.String())
	}
	k, okK := c.Figure(vigil.Killed, vigil.CatTotal)
	if !okK {
		k, okK = c.Figure(vigil.Killed, vigil.CatCivilians)
	}
	inj, okI := c.Figure(vigil.Injured, vigil.CatTotal)
	if okK || okI {
		sb.WriteString(":")
		if okK {
			fmt.Fprintf(&sb, " %s killed", k.String())
		}
		if okI {
			if okK {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, " %s injured", inj.String())
		}
	}
	return sb.String()
}

// arDeadNamed reports whether Arabic sentence s, which states no
// background, forecast or other incident, has a word of killing.
func (d *doc) arDeadNamed(s int) bool {
	if !d.core(s) {
		return false
	}
	for k := d.sents[s].from; k < d.sents[s].to; k++ {
		if d.toks[k].is(flagArabic) && d.has(k, clsKill) {
			return true
		}
	}
	return false
}

// answered reports whether the event trigger at token k of sentence s names
// the event that another answered: "cruise missiles struck the base in
// response to the suspected gas attack", "an airbase that was used as a
// launchpad for a chemical attack". The attack answered is an earlier
// event, not the kind of the sentence's own.
func (d *doc) answered(s, k int) bool {
	from := max(d.sents[s].from, k-8)
	for j := k - 1; j >= from; j-- {
		if d.isWord(j, "response", "reprisal", "revenge") && d.isWord(j-1, "in") && d.isWord(j+1, "to", "for") ||
			d.isWord(j, "retaliation", "launchpad") && d.isWord(j+1, "for") ||
			d.isWord(j, "pad") && d.isWord(j-1, "launch") && d.isWord(j+1, "for") ||
			// "just days after a deadly chemical attack": an earlier one.
			d.isWord(j, "after") && d.isWord(j-1, "days", "weeks", "months", "hours", "day", "week", "month") && d.isWord(j+1, "a", "the", "an") {
			// Only the first event word after the marker names the
			// earlier event ("days after a chemical attack a bomb killed").
			for x := j + 1; x < k; x++ {
				if d.has(x, clsEvent) {
					return false
				}
			}
			return true
		}
		if d.toks[j].kind == tokPunct && d.toks[j].norm != "-" && d.toks[j].norm != "\"" {
			return false
		}
	}
	return false
}

// farSentences is how many sentences after the lead still weigh fully in
// the vote for an event's place (docs/extraction.md: 8 lost an Arabic
// Airwars place, 12 or more gained nothing).
const farSentences = 10

// habits are the background markers of a habit ("rebels regularly fire
// rockets into the capital") or of the war's origin ("after the regime
// unleashed a brutal crackdown on dissent"): a sentence that also tells of
// deaths or injuries is not background ("regime forces regularly shell the
// town, and on Monday a shell killed five").
var habits = map[string]bool{"regularly": true, "routinely": true, "frequently": true, "every now and then": true,
	"from time to time": true, "time and again": true, "crackdown on": true, "morphed into": true, "pro-democracy": true}

// countsDead reports whether sentence s has a word of killing or injury.
func (d *doc) countsDead(s int) bool {
	for k := d.sents[s].from; k < d.sents[s].to; k++ {
		if d.has(k, clsKill) || d.has(k, clsInjure) {
			return true
		}
	}
	return false
}

// warNames name the war itself ("civilians fleeing the civil war"): they
// mark a sentence as background (a war-long toll) only when it is not dated
// to a day ("Syrian army helicopter fire killed 12 people on Wednesday in a
// camp housing civilians fleeing the civil war" tells an event).
var warNames = map[string]bool{"civil war": true, "in the conflict": true, "during the war": true, "throughout the war": true}

// dayDated reports whether sentence s names a day: a date of day precision
// that is no dateline, or a weekday or relative day ("on Wednesday",
// "yesterday") even when no publication date resolves it.
func (d *doc) dayDated(s int) bool {
	for _, m := range d.dates {
		if int(d.sentOf[m.from]) == s && !m.dateline && !m.date.IsZero() && m.date.Precision <= vigil.PrecisionDay {
			return true
		}
	}
	for k := d.sents[s].from; k < d.sents[s].to; k++ {
		if d.has(k, clsWeekday) || d.has(k, clsRelDay) {
			return true
		}
	}
	return false
}
