package airwars

import (
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

func TestPairCause(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	gov := vigil.AdminUnit{Level: 1, Name: "North"}
	town := func(name string, lat, lon float64) *vigil.Place {
		return &vigil.Place{Name: name, Precision: vigil.PlaceTown, Lat: f(lat), Lon: f(lon), Admin: []vigil.AdminUnit{gov, {Level: 4, Name: name}}}
	}
	nbhd := &vigil.Place{Name: "East", Precision: vigil.PlaceNeighbourhood, Lat: f(36.01), Lon: f(37.01),
		Admin: []vigil.AdminUnit{gov, {Level: 4, Name: "Alpha"}, {Level: 5, Name: "East"}}}
	other := &vigil.Place{Name: "Far", Precision: vigil.PlaceTown, Admin: []vigil.AdminUnit{{Level: 1, Name: "South"}, {Level: 4, Name: "Far"}}}
	alpha, beta, gamma := town("Alpha", 36, 37), town("Beta", 36.02, 37.02), town("Gamma", 36.5, 37.5)
	d17, d18, d25 := vigil.Day(2020, 3, 17), vigil.Day(2020, 3, 18), vigil.Day(2020, 3, 25)
	pub := vigil.Day(2020, 3, 18)
	v := func(d vigil.FuzzyDate, p *vigil.Place) []claimView { return []claimView{{date: d, place: p}} }
	for _, c := range []struct {
		a, b []claimView
		want string
	}{
		{nil, v(d17, alpha), CauseNoClaim},
		{v(vigil.FuzzyDate{}, alpha), v(d17, alpha), CauseNoDate},
		{viewClaims([]*vigil.Claim{{Place: &vigil.Valued[vigil.Place]{Value: *alpha}}}, &pub), v(d17, alpha), CauseSamePlaceDay},
		{v(d17, other), v(d17, alpha), CauseOtherGov},
		{v(d17, gamma), v(d17, alpha), CauseOtherTown},
		{v(d17, beta), v(d17, alpha), CauseNearby},
		{v(d17, nil), v(d17, alpha), CauseNoPlace},
		{v(d25, alpha), v(d17, alpha), CauseDatesApart},
		{v(d17, nbhd), v(d18, alpha), CauseContains},
		{v(vigil.Month(2020, 3), alpha), v(d17, alpha), CauseWideDate},
		{v(d18, alpha), v(d17, alpha), CauseSamePlaceDay},
		// The claims that agree most decide: a second claim at the same
		// town and day.
		{append(v(d17, other), v(d17, alpha)...), v(d17, alpha), CauseSamePlaceDay},
	} {
		if got := pairCause(c.a, c.b); got != c.want {
			t.Errorf("pairCause(%+v, %+v) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}
