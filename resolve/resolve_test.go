package resolve

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Fixtures: places with their hierarchy (governorate, district, town,
// neighbourhood), and claims from fictional reports.

func fp(x float64) *float64 { return &x }

var (
	govAleppo = vigil.AdminUnit{Level: 1, PCode: "SY02", Name: "Aleppo"}
	disAleppo = vigil.AdminUnit{Level: 2, PCode: "SY0200", Name: "Jebel Saman"}
	govIdlib  = vigil.AdminUnit{Level: 1, PCode: "SY07", Name: "Idlib"}
	disIdlib  = vigil.AdminUnit{Level: 2, PCode: "SY0700", Name: "Idlib"}
)

func place(name string, prec vigil.PlacePrecision, lat, lon float64, admin ...vigil.AdminUnit) vigil.Place {
	return vigil.Place{Name: name, Admin: admin, Lat: fp(lat), Lon: fp(lon), Precision: prec}
}

func aleppoGov() vigil.Place {
	return place("Aleppo", vigil.PlaceGovernorate, 36.2, 37.15, govAleppo)
}

func aleppoCity() vigil.Place {
	return place("Aleppo", vigil.PlaceTown, 36.2, 37.15, govAleppo, disAleppo, vigil.AdminUnit{Level: 4, Name: "Aleppo"})
}

func aleppoNbhd(name string, lat, lon float64) vigil.Place {
	return place(name, vigil.PlaceNeighbourhood, lat, lon, govAleppo, disAleppo, vigil.AdminUnit{Level: 4, Name: "Aleppo"}, vigil.AdminUnit{Level: 5, Name: name})
}

func idlibTown(name string, lat, lon float64) vigil.Place {
	return place(name, vigil.PlaceTown, lat, lon, govIdlib, disIdlib, vigil.AdminUnit{Level: 4, Name: name})
}

var (
	qaterji  = aleppoNbhd("Qaterji", 36.215, 37.18)
	sukkari  = aleppoNbhd("Sukkari", 36.17, 37.15)
	ariha    = idlibTown("Ariha", 35.81, 36.61)
	sarmin   = idlibTown("Sarmin", 35.90, 36.72)
	day17    = vigil.Day(2016, 8, 17)
	day18    = vigil.Day(2016, 8, 18)
	august16 = vigil.Month(2016, time.August)
)

type claimOpt func(*vigil.Claim)

func killed(n int) claimOpt {
	return func(c *vigil.Claim) { c.Figures = append(c.Figures, vigil.Exact(vigil.Killed, vigil.CatCivilians, n)) }
}

func injured(n int) claimOpt {
	return func(c *vigil.Claim) { c.Figures = append(c.Figures, vigil.Exact(vigil.Injured, vigil.CatTotal, n)) }
}

func by(actors ...string) claimOpt {
	return func(c *vigil.Claim) {
		for _, a := range actors {
			c.Attribution.Candidates = append(c.Attribution.Candidates, vigil.PerpetratorCandidate{Actor: a, Status: vigil.Alleged})
		}
	}
}

func summary_(s string) claimOpt { return func(c *vigil.Claim) { c.Summary = s } }

func newClaim(id, doc int64, typ vigil.EventType, d vigil.FuzzyDate, p *vigil.Place, opts ...claimOpt) *vigil.Claim {
	c := &vigil.Claim{ID: id, DocumentID: doc, EventType: vigil.Valued[vigil.EventType]{Value: typ}, Date: vigil.Valued[vigil.FuzzyDate]{Value: d}}
	if p != nil {
		c.Place = &vigil.Valued[vigil.Place]{Value: *p}
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

func doc(id int64, publisher string, published vigil.FuzzyDate) *vigil.Document {
	return &vigil.Document{ID: id, Publisher: publisher, Published: &published}
}

// resolveAll runs claims through a resolver the way Run does, in memory.
func resolveAll(t *testing.T, claims []*vigil.Claim, docs map[int64]*vigil.Document) (map[int64]*vigil.Incident, []*Decision) {
	t.Helper()
	r, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	incs := map[int64]*vigil.Incident{}
	members := map[int64][]*vigil.Claim{}
	var decs []*Decision
	next := int64(100)
	for _, c := range claims {
		d, err := r.Decide(context.Background(), c, docs[c.DocumentID])
		if err != nil {
			t.Fatal(err)
		}
		decs = append(decs, d)
		id := d.IncidentID
		if d.Outcome != vigil.MatchJoined {
			next++
			id = next
			incs[id] = &vigil.Incident{ID: id, PossibleDuplicates: d.Links}
		}
		members[id] = append(members[id], c)
		Reconcile(incs[id], members[id], docs)
		Propose(incs[id], r.cfg.Grading)
		r.Put(incs[id], members[id], docs)
	}
	return incs, decs
}

func TestJoinSameStrikeFromSeveralSources(t *testing.T) {
	docs := map[int64]*vigil.Document{1: doc(1, "Example Media Centre", day17), 2: doc(2, "Example Monitor", day18), 3: doc(3, "Example Wire", day18)}
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, day17, &qaterji, injured(8), by("russia", "syrian_government"), summary_("air strike hit residential building Qaterji")),
		newClaim(2, 2, vigil.EventAirStrike, day17.WithPartOfDay("evening"), &qaterji, injured(7), by("russia"), summary_("evening raid on Qaterji residential building")),
		newClaim(3, 3, vigil.EventShelling, day17, &qaterji, injured(8), summary_("bombardment residential building")),
	}
	incs, decs := resolveAll(t, claims, docs)
	if len(incs) != 1 {
		for _, d := range decs {
			t.Logf("%+v", d)
		}
		t.Fatalf("got %d incidents, want 1", len(incs))
	}
	for _, d := range decs[1:] {
		if d.Outcome != vigil.MatchJoined || d.Score < 0.55 {
			t.Errorf("claim %d: outcome %s score %.2f", d.ClaimID, d.Outcome, d.Score)
		}
		names := map[string]bool{}
		for _, f := range d.Features {
			names[f.Name] = true
			if f.Detail == "" {
				t.Errorf("feature %s has no explanation", f.Name)
			}
		}
		for _, n := range []string{"date", "place", "event_type", "perpetrator", "text", "decision"} {
			if !names[n] {
				t.Errorf("decision lacks feature %s: %+v", n, d.Features)
			}
		}
	}
	for _, inc := range incs {
		if inc.EventType != vigil.EventAirStrike {
			t.Errorf("event type %s", inc.EventType)
		}
		if inc.Date.PartOfDay != "evening" {
			t.Errorf("date %v: want the most precise (evening)", inc.Date)
		}
		var fr *vigil.FigureRange
		for i := range inc.Figures {
			if inc.Figures[i].Kind == vigil.Injured {
				fr = &inc.Figures[i]
			}
		}
		if fr == nil || fr.Min != 7 || *fr.Max != 8 || len(fr.BySource) != 3 {
			t.Fatalf("injured range %+v, want 7-8 from 3 sources (never a sum)", fr)
		}
		if strings.Join(fr.MinSources, ",") != "Example Monitor" {
			t.Errorf("min sources %v", fr.MinSources)
		}
	}
}

func TestNeighbourhoodsStayApart(t *testing.T) {
	docs := map[int64]*vigil.Document{1: doc(1, "A", day17), 2: doc(2, "B", day17)}
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, day17, &qaterji, killed(3), by("russia")),
		newClaim(2, 2, vigil.EventAirStrike, day17, &sukkari, killed(3), by("russia")),
	}
	incs, decs := resolveAll(t, claims, docs)
	if len(incs) != 2 {
		t.Fatalf("got %d incidents, want 2 (different neighbourhoods)", len(incs))
	}
	if decs[1].Outcome != vigil.MatchNew || decs[1].Candidates != 1 {
		t.Errorf("second claim: %+v", decs[1].MatchDecision)
	}
}

func TestVagueReportLinkedNotSwallowing(t *testing.T) {
	docs := map[int64]*vigil.Document{1: doc(1, "A", day17), 2: doc(2, "B", day17), 3: doc(3, "C", day17), 4: doc(4, "D", day17)}
	city, gov := aleppoCity(), aleppoGov()
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, day17, &qaterji, killed(3), by("russia")),
		newClaim(2, 2, vigil.EventAirStrike, day17, &sukkari, killed(5), by("russia")),
		newClaim(3, 3, vigil.EventAirStrike, day17, &city, by("russia"), summary_("strikes on Aleppo today")),
		newClaim(4, 4, vigil.EventAirStrike, day17, &gov, by("russia")),
	}
	incs, decs := resolveAll(t, claims, docs)
	if len(incs) != 4 {
		t.Fatalf("got %d incidents, want 4", len(incs))
	}
	for _, d := range decs[2:] {
		if d.Outcome != vigil.MatchPossibleDuplicate || len(d.Links) < 2 {
			t.Errorf("vague claim %d: %s links %v, want a possible duplicate of both specific strikes", d.ClaimID, d.Outcome, d.Links)
		}
	}
	// A specific report arriving after a vague one does not join it either.
	claims2 := []*vigil.Claim{
		newClaim(3, 3, vigil.EventAirStrike, day17, &city, by("russia")),
		newClaim(1, 1, vigil.EventAirStrike, day17, &qaterji, killed(3), by("russia")),
	}
	_, decs = resolveAll(t, claims2, docs)
	if decs[1].Outcome != vigil.MatchPossibleDuplicate {
		t.Errorf("specific after vague: %s", decs[1].Outcome)
	}
	// A month-precision report does not swallow a dated one.
	claims3 := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, day17, &qaterji, killed(3), by("russia")),
		newClaim(2, 2, vigil.EventAirStrike, august16, &qaterji, killed(3), by("russia")),
	}
	_, decs = resolveAll(t, claims3, docs)
	if decs[1].Outcome != vigil.MatchPossibleDuplicate {
		t.Errorf("month against day: %s %+v", decs[1].Outcome, decs[1].Features)
	}
}

func TestDifferentDaysAndPlacesApart(t *testing.T) {
	docs := map[int64]*vigil.Document{1: doc(1, "A", day17), 2: doc(2, "B", day17), 3: doc(3, "C", day17)}
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(2)),
		newClaim(2, 2, vigil.EventAirStrike, vigil.Day(2016, 8, 25), &ariha, killed(2)),
		newClaim(3, 3, vigil.EventAirStrike, day17, &qaterji, killed(2)),
	}
	incs, decs := resolveAll(t, claims, docs)
	if len(incs) != 3 {
		t.Fatalf("got %d incidents, want 3", len(incs))
	}
	// Blocking: a week later and another governorate are not even candidates.
	for _, d := range decs {
		if d.Candidates != 0 {
			t.Errorf("claim %d compared with %d candidates, want 0", d.ClaimID, d.Candidates)
		}
	}
	// Nearby towns in one governorate on one day are compared but kept apart.
	claims = append(claims, newClaim(4, 1, vigil.EventAirStrike, day17, &sarmin, killed(2)))
	incs, decs = resolveAll(t, claims, docs)
	if len(incs) != 4 || decs[3].Candidates != 1 || decs[3].Outcome == vigil.MatchJoined {
		t.Errorf("Sarmin: %d incidents, %+v", len(incs), decs[3].MatchDecision)
	}
}

func TestPublicationDateFallback(t *testing.T) {
	docs := map[int64]*vigil.Document{1: doc(1, "A", day17), 2: doc(2, "B", day18)}
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(4), by("russia"), summary_("market struck Ariha")),
		newClaim(2, 2, vigil.EventAirStrike, vigil.FuzzyDate{}, &ariha, killed(4), by("russia"), summary_("market struck Ariha")),
	}
	_, decs := resolveAll(t, claims, docs)
	if decs[1].Candidates != 1 {
		t.Fatalf("undated claim found %d candidates", decs[1].Candidates)
	}
	if !strings.Contains(decs[1].Features[0].Detail, "publication date") {
		t.Errorf("date feature does not say the date is the publication's: %q", decs[1].Features[0].Detail)
	}
}

func TestConfig(t *testing.T) {
	c, err := ParseConfig("resolve.json", []byte(`{"join_threshold": 0.7, "weights": {"date": 1, "place": 1}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.JoinThreshold != 0.7 || c.LinkThreshold != 0.25 || c.Weights.Place != 1 || c.Weights.Text != 0 || c.Actor != "vigil resolve" {
		t.Errorf("config %+v", c)
	}
	if _, err := ParseConfig("resolve.json", []byte(`{"join_treshold": 0.7}`)); err == nil || !strings.Contains(err.Error(), "resolve.json") || !strings.Contains(err.Error(), "join_treshold") {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := ParseConfig("r.json", []byte(`{"join_threshold": 0.3, "link_threshold": 0.5}`)); err == nil {
		t.Error("link above join accepted")
	}
	if _, err := ParseConfig("r.json", []byte(`{"grading": {"scale": ["good", "bad"]}}`)); err == nil {
		t.Error("scale without the proposal's grades accepted")
	}
	// Thresholds change decisions.
	r, _ := New(Config{JoinThreshold: 0.99, LinkThreshold: 0.98}, nil)
	a := newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(2))
	inc := &vigil.Incident{ID: 7}
	Reconcile(inc, []*vigil.Claim{a}, nil)
	r.Put(inc, []*vigil.Claim{a}, nil)
	d, _ := r.Decide(context.Background(), newClaim(2, 2, vigil.EventAirStrike, day17, &ariha, killed(2)), nil)
	if d.Outcome != vigil.MatchNew {
		t.Errorf("with a 0.99 threshold: %s (score %.2f)", d.Outcome, d.Score)
	}
}

func TestSourceKey(t *testing.T) {
	same := [][2]string{
		{"Syrian Observatory for Human Rights", "SOHR"},
		{"'@SOHR", "Syrian Observatory of Human Rights"},
		{"SANA", "SANA news"},
		{"North Press Agency", "NPA"},
	}
	for _, p := range same {
		if SourceKey(p[0]) != SourceKey(p[1]) {
			t.Errorf("%q and %q: %q != %q", p[0], p[1], SourceKey(p[0]), SourceKey(p[1]))
		}
	}
	if SourceKey("Times of Israel") == SourceKey("Al Arabiya") {
		t.Error("distinct publishers share a key")
	}
}

// Reports with no date at all (none stated, no publication date) meet the
// incidents at their town whichever arrives first, and are linked to them
// for review, never joined: a town sees many strikes.
func TestUndatedReportsLinkedNotJoined(t *testing.T) {
	undated := vigil.FuzzyDate{}
	docs := map[int64]*vigil.Document{1: {ID: 1, Publisher: "A"}, 2: {ID: 2, Publisher: "B"}, 3: doc(3, "C", day17), 4: {ID: 4, Publisher: "D"}}
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, undated, &ariha, killed(4), by("russia"), summary_("market struck Ariha")),
		newClaim(2, 2, vigil.EventAirStrike, undated, &ariha, killed(4), by("russia"), summary_("market struck Ariha")),
		newClaim(3, 3, vigil.EventAirStrike, day17, &ariha, killed(4), by("russia"), summary_("market struck Ariha")),
		newClaim(4, 4, vigil.EventAirStrike, undated, &sarmin, killed(4), by("russia")),
	}
	incs, decs := resolveAll(t, claims, docs)
	if len(incs) != 4 {
		t.Fatalf("got %d incidents, want 4", len(incs))
	}
	for _, d := range decs[1:3] {
		if d.Outcome != vigil.MatchPossibleDuplicate || len(d.Links) == 0 || !strings.Contains(d.Vague, "date unknown") {
			t.Errorf("claim %d: %s links %v (%q), want linked as a possible duplicate", d.ClaimID, d.Outcome, d.Links, d.Vague)
		}
	}
	// The dated report found the undated incidents at its town.
	if decs[2].Candidates != 2 {
		t.Errorf("dated claim compared with %d candidates, want the 2 undated ones at Ariha", decs[2].Candidates)
	}
	if decs[3].Candidates != 0 {
		t.Errorf("undated claim at Sarmin compared with %d candidates, want 0", decs[3].Candidates)
	}
}

// A candidate the claim may not join (here an undated incident at its
// town) does not stop it joining the next best one it may join: the dated
// report of the same day and town.
func TestJoinBehindVagueCandidate(t *testing.T) {
	docs := map[int64]*vigil.Document{1: {ID: 1, Publisher: "A"}, 2: doc(2, "B", day17), 3: doc(3, "C", day17)}
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, vigil.FuzzyDate{}, &ariha, killed(4), by("russia")),
		newClaim(2, 2, vigil.EventShelling, day17, &ariha),
		newClaim(3, 3, vigil.EventAirStrike, day17, &ariha, killed(4), by("russia")),
	}
	incs, decs := resolveAll(t, claims, docs)
	if len(incs) != 2 {
		t.Fatalf("got %d incidents, want 2", len(incs))
	}
	if d := decs[1]; d.Outcome != vigil.MatchPossibleDuplicate || !slicesContains(d.Links, 101) {
		t.Errorf("dated report against the undated incident: %s links %v, want linked", d.Outcome, d.Links)
	}
	d := decs[2]
	if d.Outcome != vigil.MatchJoined || d.IncidentID != 102 {
		t.Fatalf("third report: %s incident %d (best %d, score %.3f), want joined to 102", d.Outcome, d.IncidentID, d.CandidateID, d.Score)
	}
	if d.Score < DefaultConfig().JoinThreshold || !strings.Contains(d.Features[len(d.Features)-1].Detail, "joined incident 102") {
		t.Errorf("decision %+v", d.MatchDecision)
	}
}

// Reports of one town and kind of attack a few days apart may be one
// ongoing event (a siege): linked for review, never joined. Another
// perpetrator, another kind of attack or more than OngoingDays apart stay
// unlinked.
func TestOngoingEventLinked(t *testing.T) {
	docs := map[int64]*vigil.Document{1: doc(1, "A", day17), 2: doc(2, "B", vigil.Day(2016, 8, 20)), 3: doc(3, "C", vigil.Day(2016, 8, 20)),
		4: doc(4, "D", vigil.Day(2016, 8, 20)), 5: doc(5, "E", vigil.Day(2016, 8, 30))}
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(4), by("russia")),
		newClaim(2, 2, vigil.EventShelling, vigil.Day(2016, 8, 20), &ariha, killed(2), by("russia")),
		newClaim(3, 3, vigil.EventAirStrike, vigil.Day(2016, 8, 22), &ariha, killed(2), by("coalition")),
		newClaim(4, 4, vigil.EventIED, vigil.Day(2016, 8, 24), &ariha, killed(2)),
		newClaim(5, 5, vigil.EventAirStrike, vigil.Day(2016, 8, 30), &ariha, killed(2), by("russia")),
	}
	incs, decs := resolveAll(t, claims, docs)
	if len(incs) != 5 {
		t.Fatalf("got %d incidents, want 5", len(incs))
	}
	if d := decs[1]; d.Outcome != vigil.MatchPossibleDuplicate || !slicesContains(d.Links, 101) || !strings.Contains(d.Features[0].Detail, "ongoing") {
		t.Errorf("three days later, same town and family: %s links %v (%q), want linked to the first", d.Outcome, d.Links, d.Features[0].Detail)
	}
	for _, d := range decs[2:] {
		if slicesContains(d.Links, 101) {
			t.Errorf("claim %d linked to the first strike: %+v", d.ClaimID, d.MatchDecision)
		}
	}
}

func slicesContains(s []int64, x int64) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// Places from two gazetteers: a town with no p-code and no sub-district
// (built in) against a neighbourhood whose chain gives the sub-district
// and the town's p-code (imported). The town is the same unit by its
// Arabic name, so the town contains the neighbourhood; another town of the
// same district stays apart.
func TestPlaceChainsFromTwoGazetteers(t *testing.T) {
	r, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	gov := vigil.AdminUnit{Level: 1, PCode: "SY90", Name: "North", NameAR: "الشمال"}
	dis := vigil.AdminUnit{Level: 2, PCode: "SY9000", Name: "North", NameAR: "الشمال"}
	town := vigil.Place{Name: "Tell Nasr", NameAR: "تل نصر", Precision: vigil.PlaceTown, Lat: fp(36.50), Lon: fp(40.70),
		Admin: []vigil.AdminUnit{gov, dis, {Level: 4, Name: "Tell Nasr", NameAR: "تل نصر"}}}
	nbhd := vigil.Place{Name: "Ghazal", NameAR: "الغزال", PCode: "N9001", Precision: vigil.PlaceNeighbourhood, Lat: fp(36.52), Lon: fp(40.73),
		Admin: []vigil.AdminUnit{gov, {Level: 2, PCode: "SY9000", Name: "North"}, {Level: 3, PCode: "SY900000", Name: "North centre"},
			{Level: 4, PCode: "C9001", Name: "Tal Nasr", NameAR: "تل نصر"}, {Level: 5, PCode: "N9001", Name: "Ghazal", NameAR: "الغزال"}}}
	other := vigil.Place{Name: "Tell Hamra", NameAR: "تل حمرا", Precision: vigil.PlaceTown, Lat: fp(36.54), Lon: fp(40.76),
		Admin: []vigil.AdminUnit{gov, dis, {Level: 4, Name: "Tell Hamra", NameAR: "تل حمرا"}}}
	f, rel := r.placeFeature(newPlaceKey(&town), newPlaceKey(&nbhd))
	if rel != relContains || f.Score <= 0 {
		t.Errorf("town against its neighbourhood from another gazetteer: %v %+v, want contains", rel, f)
	}
	f, rel = r.placeFeature(newPlaceKey(&nbhd), newPlaceKey(&nbhd))
	if rel != relSame || f.Score != 1 {
		t.Errorf("same neighbourhood: %v %+v", rel, f)
	}
	f, rel = r.placeFeature(newPlaceKey(&other), newPlaceKey(&nbhd))
	if rel != relApart || f.Score >= 0 {
		t.Errorf("another town against the neighbourhood: %v %+v, want apart", rel, f)
	}
}

// Dates by precision: the same day agrees fully; a social-media post's
// two-day range (its publication day or the day before, extract/social.go)
// overlapping a day agrees less (sqrt 1/2); a day off within the slack is
// near, below any overlap of two days; further apart conflicts.
func TestDateFeaturePrecision(t *testing.T) {
	r, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	post := vigil.FuzzyDate{Earliest: day17.Earliest, Latest: day18.Latest, Precision: vigil.PrecisionRange}
	for _, c := range []struct {
		a, b vigil.FuzzyDate
		want float64
	}{
		{day17, day17, 1},
		{post, day18, math.Sqrt(0.5)},
		{post, post, math.Sqrt(0.5)},
		{day17, day18, 0.6},
		{day17, vigil.Day(2016, 8, 20), -1},
	} {
		if got := r.dateFeature(c.a, c.b).Score; math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s against %s: %.3f, want %.3f", c.a, c.b, got, c.want)
		}
	}
	// Two posts of one day at one town, same kind of attack and actor,
	// with no stated date: joined, the date feature explaining the range.
	docs := map[int64]*vigil.Document{1: doc(1, "A", day18), 2: doc(2, "B", day18)}
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, post, &ariha, killed(3), by("russia")),
		newClaim(2, 2, vigil.EventAirStrike, post, &ariha, killed(3), by("russia")),
	}
	_, decs := resolveAll(t, claims, docs)
	if d := decs[1]; d.Outcome != vigil.MatchJoined || !strings.Contains(d.Features[0].Detail, "the vaguer spans 2 days") {
		t.Errorf("second post: %s %+v", d.Outcome, d.Features)
	}
}
