package resolve

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Loader returns the stored incidents whose dates overlap [from, to]. The
// resolver calls it to fill its index one calendar month at a time, and
// evicts months again when it holds more than Config.MaxIndexed incidents.
type Loader func(ctx context.Context, from, to time.Time) ([]*vigil.Incident, error)

// Resolver keeps an in-memory index of incidents for candidate blocking and
// decides where each new claim belongs. The index buckets incidents by UTC
// day and governorate; a claim is compared only with the incidents in the
// buckets its date window (widened by the configured slack) and governorate
// reach. A Resolver is not safe for concurrent use.
type Resolver struct {
	cfg    Config
	loader Loader

	byID     map[int64]*profile
	byDayGov map[dayGov][]int64
	byDay    map[int][]int64
	wide     map[int][]int64    // month number -> incidents whose date spans more than MaxWindowDays
	byPlace  map[string][]int64 // town or finer place key -> incidents, for claims with no date at all
	undated  map[string][]int64 // town or finer place key -> incidents with no date, for dated claims

	// With a loader: which months are loaded, when each was last used, and
	// which month loaded each incident (so evicting a month removes them).
	loaded map[int]int64
	owner  map[int64]int
	tick   int64
}

type dayGov struct {
	day int
	gov string
}

// New returns a resolver with cfg (normalized) and an empty index. loader
// may be nil: the index then holds only what Put adds and is never evicted.
func New(cfg Config, loader Loader) (*Resolver, error) {
	if err := cfg.Normalize(); err != nil {
		return nil, err
	}
	return &Resolver{
		cfg:      cfg,
		loader:   loader,
		byID:     map[int64]*profile{},
		byDayGov: map[dayGov][]int64{},
		byDay:    map[int][]int64{},
		wide:     map[int][]int64{},
		byPlace:  map[string][]int64{},
		undated:  map[string][]int64{},
		loaded:   map[int]int64{},
		owner:    map[int64]int{},
	}, nil
}

// Config returns the resolver's configuration.
func (r *Resolver) Config() Config { return r.cfg }

// Len is the number of incidents in the index.
func (r *Resolver) Len() int { return len(r.byID) }

func monthNumber(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func monthStart(m int) time.Time { return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC) }

// buckets lists the day and month buckets an incident profile lives in.
func (r *Resolver) buckets(p *profile) (days []int, months []int) {
	if p.date.IsZero() {
		return nil, nil
	}
	d0, d1 := dayNumber(p.date.Earliest), dayNumber(p.date.Latest)
	if d1-d0+1 <= r.cfg.MaxWindowDays {
		for d := d0; d <= d1; d++ {
			days = append(days, d)
		}
		return days, nil
	}
	m0, m1 := monthNumber(p.date.Earliest), monthNumber(p.date.Latest)
	for m := m0; m <= m1 && m-m0 < 36; m++ {
		months = append(months, m)
	}
	return nil, months
}

func remove(s []int64, id int64) []int64 {
	if i := slices.Index(s, id); i >= 0 {
		s[i] = s[len(s)-1]
		s = s[:len(s)-1]
	}
	return s
}

func (r *Resolver) unindex(id int64) {
	p := r.byID[id]
	if p == nil {
		return
	}
	days, months := r.buckets(p)
	gov := p.place.gov()
	for _, d := range days {
		k := dayGov{d, gov}
		if s := remove(r.byDayGov[k], id); len(s) == 0 {
			delete(r.byDayGov, k)
		} else {
			r.byDayGov[k] = s
		}
		if s := remove(r.byDay[d], id); len(s) == 0 {
			delete(r.byDay, d)
		} else {
			r.byDay[d] = s
		}
	}
	for _, m := range months {
		if s := remove(r.wide[m], id); len(s) == 0 {
			delete(r.wide, m)
		} else {
			r.wide[m] = s
		}
	}
	for _, k := range localKeys(p.place) {
		if s := remove(r.byPlace[k], id); len(s) == 0 {
			delete(r.byPlace, k)
		} else {
			r.byPlace[k] = s
		}
		if p.date.IsZero() {
			if s := remove(r.undated[k], id); len(s) == 0 {
				delete(r.undated, k)
			} else {
				r.undated[k] = s
			}
		}
	}
	delete(r.byID, id)
}

func (r *Resolver) index(p *profile) {
	r.unindex(p.id)
	r.byID[p.id] = p
	days, months := r.buckets(p)
	gov := p.place.gov()
	for _, d := range days {
		k := dayGov{d, gov}
		r.byDayGov[k] = append(r.byDayGov[k], p.id)
		r.byDay[d] = append(r.byDay[d], p.id)
	}
	for _, m := range months {
		r.wide[m] = append(r.wide[m], p.id)
	}
	for _, k := range localKeys(p.place) {
		r.byPlace[k] = append(r.byPlace[k], p.id)
		if p.date.IsZero() {
			r.undated[k] = append(r.undated[k], p.id)
		}
	}
}

// localKeys are the keys of a place's units at town level or finer.
func localKeys(k placeKey) []string {
	var out []string
	for _, c := range k.chain {
		if strings.HasPrefix(c, "4:") || strings.HasPrefix(c, "5:") || strings.HasPrefix(c, "p:") {
			out = append(out, c)
		}
	}
	return out
}

// maxUndatedCandidates caps the candidates of a claim with no date: the
// most recently indexed incidents at its place.
const maxUndatedCandidates = 64

// Put adds or replaces an incident in the index. claims and docs, when
// given, are the incident's claims and their documents: their figures,
// facilities and titles feed the text feature.
func (r *Resolver) Put(inc *vigil.Incident, claims []*vigil.Claim, docs map[int64]*vigil.Document) {
	p := incidentProfile(inc, claims, docs)
	if _, ok := r.owner[inc.ID]; !ok && !inc.Date.IsZero() {
		r.owner[inc.ID] = monthNumber(inc.Date.Earliest)
	}
	r.index(p)
}

// Remove drops an incident from the index (merged away or discarded).
func (r *Resolver) Remove(id int64) {
	r.unindex(id)
	delete(r.owner, id)
}

func incidentProfile(inc *vigil.Incident, claims []*vigil.Claim, docs map[int64]*vigil.Document) *profile {
	p := &profile{id: inc.ID, date: inc.Date, place: newPlaceKey(inc.Place), typ: inc.EventType, actors: claimActors(inc.Attribution)}
	var toks []uint64
	if len(claims) > 0 {
		for _, c := range claims {
			toks = append(toks, claimTokens(c, docs[c.DocumentID])...)
		}
	} else {
		for _, fr := range inc.Figures {
			for _, sf := range fr.BySource {
				if !sf.Superseded {
					toks = append(toks, figureTokens(sf.Figure)...)
				}
			}
		}
		for _, fa := range inc.Facilities {
			toks = append(toks, facilityTokens(fa)...)
		}
	}
	toks = sortUnique(toks)
	if len(toks) > maxTokens {
		toks = toks[:maxTokens]
	}
	p.tokens = toks
	return p
}

const maxTokens = 96

// claimProfile builds the profile of a claim. A claim without a date falls
// back to the few days before its document's publication.
func claimProfile(c *vigil.Claim, doc *vigil.Document) *profile {
	var pl *vigil.Place
	if c.Place != nil {
		pl = &c.Place.Value
	}
	p := &profile{id: c.ID, date: c.Date.Value, place: newPlaceKey(pl), typ: c.EventType.Value, actors: claimActors(c.Attribution), tokens: claimTokens(c, doc), dateSrc: "claim"}
	if p.date.IsZero() {
		p.dateSrc = ""
		if doc != nil && doc.Published != nil && !doc.Published.IsZero() {
			pub := *doc.Published
			p.date = vigil.FuzzyDate{Earliest: pub.Earliest.AddDate(0, 0, -3), Latest: pub.Latest, Precision: vigil.PrecisionRange}
			p.dateSrc = "published"
		}
	}
	return p
}

// window returns the day range a claim looks in, and whether it is narrow
// enough for day buckets.
func (r *Resolver) window(p *profile) (d0, d1 int, narrow bool) {
	d0 = dayNumber(p.date.Earliest) - r.cfg.DateSlackDays
	d1 = dayNumber(p.date.Latest) + r.cfg.DateSlackDays
	return d0, d1, d1-d0+1 <= 2*r.cfg.MaxWindowDays+2*r.cfg.DateSlackDays+31
}

// ensureLoaded loads the months a claim's window touches.
func (r *Resolver) ensureLoaded(ctx context.Context, d0, d1 int) error {
	if r.loader == nil {
		return nil
	}
	m0 := monthNumber(time.Unix(int64(d0)*86400, 0).UTC())
	m1 := monthNumber(time.Unix(int64(d1)*86400, 0).UTC())
	for m := m0; m <= m1 && m-m0 < 36; m++ {
		r.tick++
		if _, ok := r.loaded[m]; ok {
			r.loaded[m] = r.tick
			continue
		}
		from := monthStart(m)
		to := monthStart(m + 1).Add(-time.Second)
		incs, err := r.loader(ctx, from, to)
		if err != nil {
			return fmt.Errorf("load incidents %s: %w", from.Format("2006-01"), err)
		}
		r.loaded[m] = r.tick
		for _, inc := range incs {
			if _, ok := r.byID[inc.ID]; ok || inc.MergedInto != 0 || inc.Review == vigil.ReviewDiscarded {
				continue
			}
			r.owner[inc.ID] = m
			r.index(incidentProfile(inc, nil, nil))
		}
	}
	r.evict(m0, m1)
	return nil
}

// evict drops the least recently used months (never those in [keep0,
// keep1]) while the index holds more than MaxIndexed incidents.
func (r *Resolver) evict(keep0, keep1 int) {
	for len(r.byID) > r.cfg.MaxIndexed {
		oldest, at := -1, int64(math.MaxInt64)
		for m, t := range r.loaded {
			if (m < keep0 || m > keep1) && t < at {
				oldest, at = m, t
			}
		}
		if oldest < 0 {
			return
		}
		delete(r.loaded, oldest)
		for id, m := range r.owner {
			if m == oldest {
				r.unindex(id)
				delete(r.owner, id)
			}
		}
	}
}

// candidates returns the ids of the incidents in the buckets a claim's
// window reaches, each once.
func (r *Resolver) candidates(p *profile) []int64 {
	if p.date.IsZero() {
		// No date at all: only incidents at the same town or finer place.
		keys := localKeys(p.place)
		if len(keys) == 0 {
			return nil
		}
		ids := r.byPlace[keys[len(keys)-1]]
		if len(ids) > maxUndatedCandidates {
			ids = ids[len(ids)-maxUndatedCandidates:]
		}
		out := slices.Clone(ids)
		slices.Sort(out)
		return out
	}
	d0, d1, narrow := r.window(p)
	gov := p.place.gov()
	seen := map[int64]bool{}
	var out []int64
	add := func(ids []int64) {
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	// Incidents with no date at all live in no day bucket: a dated claim
	// still meets those at its own town or finer place (as an undated claim
	// meets dated ones there), so the order in which reports arrive does
	// not decide whether they are compared.
	if keys := localKeys(p.place); len(keys) > 0 {
		ids := r.undated[keys[len(keys)-1]]
		if len(ids) > maxUndatedCandidates {
			ids = ids[len(ids)-maxUndatedCandidates:]
		}
		add(ids)
		add(r.ongoingCandidates(p))
	}
	if narrow {
		for d := d0; d <= d1; d++ {
			if gov == "" {
				add(r.byDay[d])
			} else {
				add(r.byDayGov[dayGov{d, gov}])
				add(r.byDayGov[dayGov{d, ""}])
			}
		}
	}
	m0 := monthNumber(time.Unix(int64(d0)*86400, 0).UTC())
	m1 := monthNumber(time.Unix(int64(d1)*86400, 0).UTC())
	for m := m0; m <= m1 && m-m0 < 36; m++ {
		add(r.wide[m])
	}
	slices.Sort(out)
	return out
}

// Decision is the resolver's verdict on one claim: the match decision to
// record and, for a new incident, the candidates to link as possible
// duplicates.
type Decision struct {
	vigil.MatchDecision
	// Links are the candidates a new incident is linked to for review, best
	// first (empty when the claim joined or nothing came close).
	Links []int64 `json:"links,omitempty"`
	// Vague is set when the claim was kept apart because it is vaguer (or
	// more specific) than its best candidate.
	Vague string `json:"vague,omitempty"`
}

type scored struct {
	id       int64
	score    float64
	features []vigil.MatchFeature
	veto     string
	vague    string
	ongoing  bool // dates apart, possibly one ongoing event: ranked after the others
}

func (r *Resolver) score(c, inc *profile) scored {
	s := scored{id: inc.id}
	df := r.dateFeature(c.date, inc.date)
	if c.dateSrc == "published" {
		df.Detail += " (claim date taken from the publication date)"
	}
	pf, rel := r.placeFeature(c.place, inc.place)
	// Days apart at one place, the same kind of attack, no actor in
	// dispute: possibly one ongoing event (a siege, a campaign), for a
	// reviewer to decide. The date then neither counts for nor against.
	ongoing := df.Score <= -1 && r.ongoing(c, inc, rel)
	if ongoing {
		df.Score = 0
		df.Detail += fmt.Sprintf(" (within %d days at one place: possibly one ongoing event)", r.cfg.OngoingDays)
	}
	s.features = []vigil.MatchFeature{df, pf, r.typeFeature(c.typ, inc.typ), r.perpFeature(c.actors, inc.actors), r.textFeature(c.tokens, inc.tokens)}
	var sum, wsum float64
	for _, f := range s.features {
		sum += f.Score * f.Weight
		wsum += f.Weight
	}
	if wsum > 0 {
		s.score = sum / wsum
	}
	s.ongoing = ongoing
	switch {
	case ongoing:
		s.vague = "possibly one ongoing event: " + df.Detail
	case df.Score <= -1:
		s.veto = "dates conflict"
	case pf.Score <= -1:
		s.veto = "places conflict"
	case rel == relApart && c.place.precision.FinerThan(vigil.PlaceTown) && inc.place.precision.FinerThan(vigil.PlaceTown):
		s.veto = "different neighbourhoods"
	}
	// A vague report must not swallow a specific one, nor a specific report
	// disappear into a vague incident: they are linked for review instead.
	if rel == relContains && !ongoing {
		s.vague = "places at different precision: " + pf.Detail
	}
	// A report with no date at all cannot tell one strike at a place from
	// the next: it is linked for review, never joined.
	if c.date.IsZero() || inc.date.IsZero() {
		s.vague = "date unknown: " + df.Detail
	}
	cw, iw := widthDays(c.date), widthDays(inc.date)
	if !ongoing && !c.date.IsZero() && !inc.date.IsZero() && c.dateSrc == "claim" && (cw > 7) != (iw > 7) {
		s.vague = "dates at different precision: " + df.Detail
	}
	return s
}

// ongoing reports whether a claim and an incident whose dates conflict
// may still be one ongoing event: both dated, at most OngoingDays apart,
// the same place at town level or finer, event types of one family, and a
// shared perpetrator or none named on one side.
func (r *Resolver) ongoing(c, inc *profile, rel placeRelation) bool {
	if r.cfg.OngoingDays <= 0 || c.date.IsZero() || inc.date.IsZero() || rel != relSame {
		return false
	}
	if !c.place.precision.FinerThan(vigil.PlaceDistrict) {
		return false
	}
	if gapDays(c.date, inc.date) > r.cfg.OngoingDays {
		return false
	}
	if c.typ == "" || inc.typ == "" || c.typ != inc.typ && (family(c.typ) == "" || family(c.typ) != family(inc.typ)) {
		return false
	}
	if len(c.actors) > 0 && len(inc.actors) > 0 {
		for _, a := range c.actors {
			if slices.Contains(inc.actors, a) {
				return true
			}
		}
		return false
	}
	return true
}

// ongoingCandidates are the dated incidents at a claim's own town or finer
// place whose dates lie within OngoingDays of the claim's (beyond the
// blocking window), at most maxUndatedCandidates of the latest.
func (r *Resolver) ongoingCandidates(p *profile) []int64 {
	keys := localKeys(p.place)
	if r.cfg.OngoingDays <= 0 || p.date.IsZero() || len(keys) == 0 {
		return nil
	}
	var out []int64
	ids := r.byPlace[keys[len(keys)-1]]
	for k := len(ids) - 1; k >= 0 && len(out) < maxUndatedCandidates; k-- {
		q := r.byID[ids[k]]
		if q == nil || q.date.IsZero() {
			continue
		}
		if g := gapDays(p.date, q.date); g > r.cfg.DateSlackDays && g <= r.cfg.OngoingDays {
			out = append(out, ids[k])
		}
	}
	return out
}

// Decide finds where a claim belongs among the indexed incidents. doc is
// the claim's document (for the publication-date fallback); it may be nil.
// The decision's IncidentID is the joined incident, or 0 for a new one.
func (r *Resolver) Decide(ctx context.Context, c *vigil.Claim, doc *vigil.Document) (*Decision, error) {
	p := claimProfile(c, doc)
	if !p.date.IsZero() {
		d0, d1, _ := r.window(p)
		if err := r.ensureLoaded(ctx, d0, d1); err != nil {
			return nil, err
		}
	}
	ids := r.candidates(p)
	d := &Decision{MatchDecision: vigil.MatchDecision{ClaimID: c.ID, Outcome: vigil.MatchNew, Candidates: len(ids), DecidedBy: r.cfg.Actor}}
	var all []scored
	for _, id := range ids {
		inc := r.byID[id]
		if inc == nil {
			continue
		}
		all = append(all, r.score(p, inc))
	}
	slices.SortStableFunc(all, func(a, b scored) int {
		if (a.veto == "") != (b.veto == "") {
			if a.veto == "" {
				return -1
			}
			return 1
		}
		if a.ongoing != b.ongoing {
			if !a.ongoing {
				return -1
			}
			return 1
		}
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	if len(all) == 0 {
		d.Features = []vigil.MatchFeature{{Name: "candidates", Detail: noCandidates(p)}}
		return d, nil
	}
	best := all[0]
	// The best candidate may be one the claim cannot join (a vaguer or
	// more specific incident, an undated one, possibly one ongoing event):
	// a candidate further down that it can join, at or above the join
	// threshold, is then joined, and the other stays a link of it for
	// review (PossibleDuplicates of the candidate it came close to).
	if best.veto == "" && best.vague != "" {
		for _, s := range all[1:] {
			if s.veto == "" && s.vague == "" && s.score >= r.cfg.JoinThreshold {
				best = s
				break
			}
		}
	}
	d.CandidateID, d.Score, d.Features = best.id, round3(best.score), best.features
	switch {
	case best.veto != "":
		d.Features = append(d.Features, vigil.MatchFeature{Name: "decision", Detail: fmt.Sprintf("new incident: best candidate %d ruled out (%s)", best.id, best.veto)})
		return d, nil
	case best.score >= r.cfg.JoinThreshold && best.vague == "":
		d.Outcome = vigil.MatchJoined
		d.IncidentID = best.id
		d.Features = append(d.Features, vigil.MatchFeature{Name: "decision", Detail: fmt.Sprintf("joined incident %d: score %.2f at or above %.2f", best.id, best.score, r.cfg.JoinThreshold)})
		return d, nil
	}
	for _, s := range all {
		if s.veto == "" && s.score >= r.cfg.LinkThreshold && len(d.Links) < 5 {
			d.Links = append(d.Links, s.id)
		}
	}
	if len(d.Links) > 0 {
		d.Outcome = vigil.MatchPossibleDuplicate
		why := fmt.Sprintf("score %.2f below %.2f", best.score, r.cfg.JoinThreshold)
		if best.vague != "" && best.score >= r.cfg.JoinThreshold {
			why = best.vague
			d.Vague = best.vague
		}
		d.Features = append(d.Features, vigil.MatchFeature{Name: "decision", Detail: fmt.Sprintf("new incident linked to %s as possible duplicate: %s", joinIDs(d.Links), why)})
		return d, nil
	}
	d.Features = append(d.Features, vigil.MatchFeature{Name: "decision", Detail: fmt.Sprintf("new incident: best score %.2f below %.2f", best.score, r.cfg.LinkThreshold)})
	return d, nil
}

func noCandidates(p *profile) string {
	if p.date.IsZero() {
		return "no date known and no incident at the same town or finer place"
	}
	return "no incident in the date and governorate window"
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return "incident " + strings.Join(s, ", ")
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func figureTokens(f vigil.Figure) []uint64 {
	out := []uint64{hashToken(fmt.Sprintf("fig:%s:%s:%d", f.Kind, f.Category, f.Min))}
	if f.Min > 0 {
		out = append(out, hashToken(fmt.Sprintf("num:%s:%d", f.Kind, f.Min)))
	}
	return out
}

func facilityTokens(fa vigil.Facility) []uint64 {
	out := []uint64{hashToken("fac:" + string(fa.Type))}
	if fa.Name != "" {
		out = append(out, hashToken("facname:"+normName(fa.Name)))
	}
	return out
}
