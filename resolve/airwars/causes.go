package airwars

import (
	"math"
	"strconv"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Causes of a gold pair (two texts Airwars cites for one incident), the
// first that holds in this order, comparing the two texts through the pair
// of their claims that agree most (place first, then date).
const (
	CauseNoClaim      = "no_claim"               // a text gave no claim
	CauseNoDate       = "no_date"                // a text has no date in its claims and no publication date
	CauseOtherGov     = "other_governorate"      // places in different governorates
	CauseOtherTown    = "other_town"             // different places of one governorate, 5 km or more apart
	CauseNearby       = "other_place_within_5km" // different places less than 5 km apart
	CauseNoPlace      = "no_place"               // a claim with no place
	CauseDatesApart   = "dates_apart"            // dates more than a day apart
	CauseContains     = "place_contains"         // one place contains the other (different precision)
	CauseWideDate     = "date_wider_than_week"   // dates overlap, one wider than a week
	CauseSamePlaceDay = "same_place_and_date"    // same place, dates overlap or a day apart
)

// PairCause counts the gold pairs of one cause and how many of them vigil
// put together.
type PairCause struct {
	GoldPairs int `json:"gold_pairs"`
	Together  int `json:"together"`
}

// claimView is what the cause analysis reads of a claim: its date (else
// the three days before its document's publication, as the resolver falls
// back), whether it has a date of its own, and its place.
type claimView struct {
	date  vigil.FuzzyDate
	place *vigil.Place
}

func viewClaims(claims []*vigil.Claim, published *vigil.FuzzyDate) []claimView {
	out := make([]claimView, 0, len(claims))
	for _, c := range claims {
		v := claimView{date: c.Date.Value}
		if v.date.IsZero() && published != nil && !published.IsZero() {
			v.date = vigil.FuzzyDate{Earliest: published.Earliest.AddDate(0, 0, -3), Latest: published.Latest, Precision: vigil.PrecisionRange}
		}
		if c.Place != nil {
			p := c.Place.Value
			v.place = &p
		}
		out = append(out, v)
	}
	return out
}

// placeChain is a place's admin chain by level and name, the place itself
// last.
func placeChain(p *vigil.Place) []string {
	var out []string
	for _, a := range p.Admin {
		if a.Level > 0 {
			out = append(out, strconv.Itoa(a.Level)+":"+a.Name)
		}
	}
	if len(p.Admin) == 0 || p.Admin[len(p.Admin)-1].Name != p.Name {
		out = append(out, "p:"+p.Name)
	}
	return out
}

func govName(p *vigil.Place) string {
	if g := p.Governorate(); g != nil {
		return g.Name
	}
	return ""
}

func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dl, dn := (lat2-lat1)*rad, (lon2-lon1)*rad
	s := math.Sin(dl/2)*math.Sin(dl/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dn/2)*math.Sin(dn/2)
	return 2 * r * math.Asin(math.Sqrt(s))
}

// placeCause relates two places by their admin chains (by name; an
// approximation of the resolver's comparison, which also matches p-codes
// and Arabic names), and their distance.
func placeCause(a, b *vigil.Place) string {
	if a == nil || b == nil {
		return CauseNoPlace
	}
	ca, cb := placeChain(a), placeChain(b)
	k := 0
	for k < len(ca) && k < len(cb) && ca[k] == cb[k] {
		k++
	}
	switch {
	case k == len(ca) && k == len(cb):
		return CauseSamePlaceDay
	case k == len(ca) || k == len(cb):
		return CauseContains
	}
	if govName(a) != govName(b) {
		return CauseOtherGov
	}
	if a.HasPoint() && b.HasPoint() && haversineKm(*a.Lat, *a.Lon, *b.Lat, *b.Lon) < 5 {
		return CauseNearby
	}
	return CauseOtherTown
}

// dateRelation relates two dates: "" when they overlap within a week or
// miss by at most a day, else CauseNoDate, CauseWideDate or
// CauseDatesApart; and a rank (lower agrees more).
func dateRelation(a, b vigil.FuzzyDate) (string, int) {
	if a.IsZero() || b.IsZero() {
		return CauseNoDate, 5
	}
	if a.Overlaps(b) {
		if max(a.Latest.Sub(a.Earliest), b.Latest.Sub(b.Earliest)) > 7*24*time.Hour {
			return CauseWideDate, 3
		}
		return "", 0
	}
	gap := a.Earliest.Sub(b.Latest)
	if b.Earliest.After(a.Latest) {
		gap = b.Earliest.Sub(a.Latest)
	}
	switch days := math.Ceil(gap.Hours() / 24); {
	case days <= 1:
		return "", 2
	case days <= 7:
		return CauseDatesApart, 4
	}
	return CauseDatesApart, 6
}

// placeRank orders place relations, the closest first.
var placeRank = map[string]int{CauseSamePlaceDay: 0, CauseContains: 1, CauseNearby: 2, CauseNoPlace: 3, CauseOtherTown: 4, CauseOtherGov: 5}

// pairCause is the cause of one gold pair. Of the pairs of their claims it
// takes the one that agrees most (place first, then date), and names the
// first cause that holds in the order of the constants.
func pairCause(a, b []claimView) string {
	if len(a) == 0 || len(b) == 0 {
		return CauseNoClaim
	}
	bestRank, pl, dt := -1, "", ""
	for _, x := range a {
		for _, y := range b {
			p := placeCause(x.place, y.place)
			d, dr := dateRelation(x.date, y.date)
			if r := placeRank[p]*10 + dr; bestRank < 0 || r < bestRank {
				bestRank, pl, dt = r, p, d
			}
		}
	}
	switch {
	case dt == CauseNoDate:
		return CauseNoDate
	case pl == CauseOtherGov, pl == CauseOtherTown, pl == CauseNearby, pl == CauseNoPlace:
		return pl
	case dt == CauseDatesApart:
		return dt
	case pl == CauseContains:
		return pl
	case dt == CauseWideDate:
		return dt
	}
	return CauseSamePlaceDay
}

// countPairCauses counts the gold pairs of items by cause; views holds
// each item's claims (by Item.Index).
func countPairCauses(items []Item, views map[int][]claimView) map[string]*PairCause {
	out := map[string]*PairCause{}
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			if intersect(items[i].Codes, items[j].Codes) == 0 {
				continue
			}
			c := pairCause(views[items[i].Index], views[items[j].Index])
			pc := out[c]
			if pc == nil {
				pc = &PairCause{}
				out[c] = pc
			}
			pc.GoldPairs++
			if together(items[i], items[j], false) {
				pc.Together++
			}
		}
	}
	return out
}
