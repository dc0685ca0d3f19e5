package resolve

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// profile is the compact summary of a claim or an incident that matching
// needs. The index keeps profiles, not whole incidents, so memory per
// incident is small and bounded.
type profile struct {
	id      int64
	date    vigil.FuzzyDate
	place   placeKey
	typ     vigil.EventType
	actors  []string // sorted actor keys
	tokens  []uint64 // sorted hashed tokens (figures, facilities, keywords)
	dateSrc string   // "claim", "published" or "" when the date is a fallback
}

// placeKey is a place reduced to its administrative chain of keys (level 1
// first, the place itself last), its precision and point.
type placeKey struct {
	chain     []string
	names     []string // display names along the chain
	units     []unit   // the chain's units with their level and names, for comparison
	precision vigil.PlacePrecision
	lat, lon  float64
	point     bool
}

// unit is one unit of a place's chain as placeFeature compares it: its
// admin level (the place itself: the level of its precision), its p-code,
// and its English and Arabic names as gazetteer keys.
type unit struct {
	level         int
	pcode         string
	latin, arabic string
	id            string // as in chain
}

// sameUnit reports whether two units of one level are the same. Two
// p-codes decide; otherwise (a gazetteer that gives a town no p-code, an
// import that does) the same English or Arabic name does: the built-in
// "Hasakah" and OCHA's "Al-Hasakeh" (C4360) are both الحسكة.
func sameUnit(a, b unit) bool {
	if a.id == b.id {
		return true
	}
	if a.pcode != "" && b.pcode != "" {
		return a.pcode == b.pcode
	}
	return a.latin != "" && a.latin == b.latin || a.arabic != "" && a.arabic == b.arabic
}

// precisionLevel is the admin level of a place's own unit, by precision.
func precisionLevel(p vigil.PlacePrecision) int {
	switch p {
	case vigil.PlaceGovernorate:
		return 1
	case vigil.PlaceDistrict:
		return 2
	case vigil.PlaceTown:
		return 4
	case vigil.PlaceNeighbourhood:
		return 5
	case vigil.PlaceStreet, vigil.PlaceExact:
		return 6
	}
	return 0
}

func (k placeKey) known() bool { return len(k.chain) > 0 }

func (k placeKey) gov() string {
	if len(k.chain) == 0 {
		return ""
	}
	if strings.HasPrefix(k.chain[0], "1:") {
		return k.chain[0]
	}
	return ""
}

func (k placeKey) name() string {
	if len(k.names) == 0 {
		return "?"
	}
	return k.names[len(k.names)-1]
}

func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func newPlaceKey(p *vigil.Place) placeKey {
	var k placeKey
	if p == nil {
		return k
	}
	k.precision = p.Precision
	if p.HasPoint() {
		k.lat, k.lon, k.point = *p.Lat, *p.Lon, true
	}
	last := 0
	for _, a := range p.Admin {
		if a.Level == 0 {
			continue
		}
		id := a.PCode
		if id == "" {
			id = normName(a.Name)
		}
		k.chain = append(k.chain, strconv.Itoa(a.Level)+":"+id)
		k.names = append(k.names, a.Name)
		k.units = append(k.units, unit{level: a.Level, pcode: a.PCode, latin: gazetteer.Key(a.Name), arabic: gazetteer.Key(a.NameAR), id: k.chain[len(k.chain)-1]})
		last = max(last, a.Level)
	}
	own := p.PCode
	if own == "" {
		own = p.ID
	}
	if own == "" {
		own = normName(p.Name)
	}
	if len(p.Admin) == 0 || (p.Admin[len(p.Admin)-1].Name != p.Name && p.Admin[len(p.Admin)-1].PCode != own) {
		if p.Precision == vigil.PlaceCountry && len(k.chain) == 0 {
			return placeKey{precision: p.Precision, lat: k.lat, lon: k.lon, point: k.point, chain: nil}
		}
		if own != "" {
			k.chain = append(k.chain, "p:"+own)
			k.names = append(k.names, p.Name)
			lv := precisionLevel(p.Precision)
			if lv <= last {
				lv = last + 1
			}
			k.units = append(k.units, unit{level: lv, pcode: p.PCode, latin: gazetteer.Key(p.Name), arabic: gazetteer.Key(p.NameAR), id: "p:" + own})
		}
	}
	return k
}

// relate compares two place chains level by level, over the levels both
// give (one gazetteer may give a sub-district where another gives none):
// the number of units they share from the top, whether a shared level
// differs, and whether one's deepest unit is a unit of the other's chain
// at the same level (then a contains or is b).
func relate(a, b placeKey) (shared int, differ bool, lastShared string) {
	i, j := 0, 0
	for i < len(a.units) && j < len(b.units) {
		ua, ub := a.units[i], b.units[j]
		switch {
		case ua.level < ub.level:
			i++
		case ua.level > ub.level:
			j++
		default:
			if !sameUnit(ua, ub) {
				return shared, true, lastShared
			}
			shared++
			lastShared = a.names[i]
			i++
			j++
		}
	}
	return shared, false, lastShared
}

// feature names.
const (
	fDate        = "date"
	fPlace       = "place"
	fEventType   = "event_type"
	fPerpetrator = "perpetrator"
	fText        = "text"
)

// dayNumber is the number of days since the Unix epoch of t's UTC day.
func dayNumber(t time.Time) int { return int(t.Unix() / 86400) }

func widthDays(d vigil.FuzzyDate) float64 {
	w := d.Latest.Sub(d.Earliest).Hours() / 24
	if w < 1 {
		w = 1
	}
	return math.Round(w)
}

// dateFeature compares two fuzzy dates, aware of their precision: two
// dates known to the day that overlap agree fully; a day within a week or a
// month is compatible but not specific (the score falls with the width of
// the vaguer date); dates that miss by up to the slack are near; further
// apart they conflict.
func (r *Resolver) dateFeature(a, b vigil.FuzzyDate) vigil.MatchFeature {
	f := vigil.MatchFeature{Name: fDate, Weight: r.cfg.Weights.Date}
	if a.IsZero() || b.IsZero() {
		f.Detail = "date unknown on one side"
		return f
	}
	if a.Overlaps(b) {
		w := math.Max(widthDays(a), widthDays(b))
		f.Score = math.Sqrt(1 / w)
		switch {
		case w <= 1 && a.PartOfDay != "" && b.PartOfDay != "" && a.PartOfDay != b.PartOfDay:
			f.Score = 0.7
			f.Detail = fmt.Sprintf("same day %s, parts of day %s and %s overlap", a.String(), a.PartOfDay, b.PartOfDay)
		case w <= 1:
			f.Detail = fmt.Sprintf("same day %s", a.Earliest.Format("2006-01-02"))
		default:
			f.Detail = fmt.Sprintf("%s and %s overlap; the vaguer spans %.0f days", a.String(), b.String(), w)
		}
		return f
	}
	gap := a.Earliest.Sub(b.Latest)
	if b.Earliest.After(a.Latest) {
		gap = b.Earliest.Sub(a.Latest)
	}
	days := math.Ceil(gap.Hours() / 24)
	if days <= float64(r.cfg.DateSlackDays) {
		f.Score = 0.6
		f.Detail = fmt.Sprintf("%s and %s are %.0f day apart (within the slack of %d)", a.String(), b.String(), days, r.cfg.DateSlackDays)
		return f
	}
	f.Score = -1
	f.Detail = fmt.Sprintf("%s and %s are %.0f days apart", a.String(), b.String(), days)
	return f
}

// gapDays is how many whole days lie between two dates that do not
// overlap (0 when they overlap).
func gapDays(a, b vigil.FuzzyDate) int {
	if a.Overlaps(b) {
		return 0
	}
	gap := a.Earliest.Sub(b.Latest)
	if b.Earliest.After(a.Latest) {
		gap = b.Earliest.Sub(a.Latest)
	}
	return int(math.Ceil(gap.Hours() / 24))
}

// haversine distance in km.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const R = 6371.0
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	s := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * R * math.Asin(math.Sqrt(s))
}

// sameScore is how much two places that are the same unit agree, by the
// unit's precision: the same neighbourhood is strong evidence, the same
// governorate weak.
func sameScore(p vigil.PlacePrecision) float64 {
	switch p {
	case vigil.PlaceExact, vigil.PlaceStreet, vigil.PlaceNeighbourhood:
		return 1
	case vigil.PlaceTown, vigil.PlaceUnknown:
		return 0.85
	case vigil.PlaceDistrict:
		return 0.5
	case vigil.PlaceGovernorate:
		return 0.3
	default:
		return 0.1
	}
}

// placeRelation says how two places relate.
type placeRelation int

const (
	relUnknown placeRelation = iota
	relSame
	relContains // the vaguer place contains the other
	relNear
	relApart
)

// placeFeature compares two places through their admin hierarchy and, when
// both have points, their distance. Places in different neighbourhoods of
// one town conflict; a town against one of its neighbourhoods is compatible
// but vague.
func (r *Resolver) placeFeature(a, b placeKey) (vigil.MatchFeature, placeRelation) {
	f := vigil.MatchFeature{Name: fPlace, Weight: r.cfg.Weights.Place}
	if !a.known() || !b.known() {
		f.Detail = "place unknown on one side"
		return f, relUnknown
	}
	dist := -1.0
	if a.point && b.point {
		dist = distanceKm(a.lat, a.lon, b.lat, b.lon)
	}
	k, differ, common := relate(a, b)
	if !differ && k > 0 {
		la, lb := a.units[len(a.units)-1].level, b.units[len(b.units)-1].level
		if la == lb {
			// The deepest units were compared and agree.
			prec := a.precision
			if a.precision.FinerThan(b.precision) {
				prec = b.precision
			}
			f.Score = sameScore(prec)
			f.Detail = fmt.Sprintf("same place %s (%s)", a.name(), prec)
			return f, relSame
		}
		vague, fine := a, b
		if lb < la {
			vague, fine = b, a
		}
		f.Score = 0.6 * sameScore(vague.precision)
		f.Detail = fmt.Sprintf("%s (%s) contains %s (%s)", vague.name(), vague.precision, fine.name(), fine.precision)
		return f, relContains
	}
	// The places diverge below a common ancestor (k units shared).
	if k == 0 {
		common = "nothing"
	}
	switch {
	case dist >= 0 && dist <= r.cfg.NearKm:
		f.Score = 0.3
		f.Detail = fmt.Sprintf("%s and %s differ but are %.1f km apart", a.name(), b.name(), dist)
		return f, relNear
	case k == 0:
		f.Score = -1
	case dist >= 0 && dist < r.cfg.FarKm:
		// Different towns or neighbourhoods close to each other: a conflict,
		// softened by proximity.
		f.Score = -0.6
	default:
		f.Score = -1
	}
	if dist >= 0 {
		f.Detail = fmt.Sprintf("%s and %s differ (sharing %s), %.1f km apart", a.name(), b.name(), common, dist)
	} else {
		f.Detail = fmt.Sprintf("%s and %s differ (sharing %s)", a.name(), b.name(), common)
	}
	return f, relApart
}

// family groups event types that reports often confuse: an air strike and
// shelling are both remote explosions to a witness on the ground.
func family(t vigil.EventType) string {
	switch t {
	case vigil.EventAirStrike, vigil.EventShelling, vigil.EventChemical:
		return "remote"
	case vigil.EventIED, vigil.EventLandmine, vigil.EventSuicideBomb, vigil.EventGrenade:
		return "explosive"
	case vigil.EventArmedClash:
		return "battle"
	case vigil.EventAttackCivilians, vigil.EventExecution, vigil.EventDetentionDeath, vigil.EventAbduction, vigil.EventSexualViolence:
		return "civilians"
	}
	return ""
}

func (r *Resolver) typeFeature(a, b vigil.EventType) vigil.MatchFeature {
	f := vigil.MatchFeature{Name: fEventType, Weight: r.cfg.Weights.EventType}
	unknown := func(t vigil.EventType) bool { return t == "" || t == vigil.EventUnknown || t == vigil.EventOther }
	switch {
	case unknown(a) || unknown(b):
		f.Detail = "event type unknown on one side"
	case a == b:
		f.Score = 1
		f.Detail = "both " + string(a)
	case family(a) != "" && family(a) == family(b):
		f.Score = 0.5
		f.Detail = fmt.Sprintf("%s and %s are both %s attacks", a, b, family(a))
	case family(a) == "remote" && family(b) == "explosive" || family(a) == "explosive" && family(b) == "remote":
		f.Score = 0.2
		f.Detail = fmt.Sprintf("%s and %s are both explosions", a, b)
	default:
		f.Score = -0.5
		f.Detail = fmt.Sprintf("%s against %s", a, b)
	}
	return f
}

// perpFeature compares alleged perpetrators. Sources often disagree on who
// struck, so disjoint candidates count against a match only mildly.
func (r *Resolver) perpFeature(a, b []string) vigil.MatchFeature {
	f := vigil.MatchFeature{Name: fPerpetrator, Weight: r.cfg.Weights.Perpetrator}
	if len(a) == 0 || len(b) == 0 {
		f.Detail = "no perpetrator named on one side"
		return f
	}
	var common []string
	for _, x := range a {
		if slices.Contains(b, x) {
			common = append(common, x)
		}
	}
	if len(common) > 0 {
		f.Score = 1
		f.Detail = "both allege " + strings.Join(common, ", ")
		return f
	}
	f.Score = -0.4
	f.Detail = fmt.Sprintf("%s against %s", strings.Join(a, ", "), strings.Join(b, ", "))
	return f
}

// textFeature is the overlap coefficient of the token sets (figures,
// facilities, salient words): how much of the smaller set the larger one
// shares.
func (r *Resolver) textFeature(a, b []uint64) vigil.MatchFeature {
	f := vigil.MatchFeature{Name: fText, Weight: r.cfg.Weights.Text}
	small := min(len(a), len(b))
	if small < 2 {
		f.Detail = "too little text to compare"
		return f
	}
	i, j, n := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	f.Score = float64(n) / float64(small)
	f.Detail = fmt.Sprintf("%d of %d figures, facilities and keywords shared", n, small)
	return f
}

var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`about above after again against also among another because been before being below between both
		could during each from further have having here into more most other over same should some such than that their them then
		there these they this those through under until very were what when where which while with would your said says according
		reported report reports today yesterday people including least killed injured wounded dead death deaths civilians civilian
		syria syrian strike strikes attack attacks news agency observatory network human rights twitter facebook post posts
		shared public video watch live breaking update urgent monday tuesday wednesday thursday friday saturday sunday`) {
		stopwords[w] = true
	}
}

func hashToken(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// claimTokens are the hashed tokens of a claim that text similarity compares:
// each figure (kind, category, value), each facility (type and name), and
// the salient words of its document's title (the claim's generated summary
// repeats type, place and date, which other features already weigh).
func claimTokens(c *vigil.Claim, doc *vigil.Document) []uint64 {
	var out []uint64
	for _, f := range c.Figures {
		out = append(out, figureTokens(f)...)
	}
	for _, fa := range c.Facilities {
		out = append(out, facilityTokens(fa)...)
	}
	if doc != nil {
		out = append(out, wordTokens(doc.Title)...)
	}
	return sortUnique(out)
}

func wordTokens(s string) []uint64 {
	var out []uint64
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 4 && !stopwords[w] {
			out = append(out, hashToken("w:"+w))
		}
	}
	return out
}

func sortUnique(x []uint64) []uint64 {
	slices.Sort(x)
	return slices.Compact(x)
}

func claimActors(a vigil.Attribution) []string {
	var out []string
	for _, c := range a.Candidates {
		if c.Status == vigil.Denied || c.Actor == "" {
			continue
		}
		out = append(out, c.Actor)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
