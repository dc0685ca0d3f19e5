package resolve

import (
	"context"
	"strings"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

func figRange(inc *vigil.Incident, kind vigil.FigureKind, cat vigil.Category) *vigil.FigureRange {
	for i := range inc.Figures {
		if inc.Figures[i].Kind == kind && inc.Figures[i].Category == cat {
			return &inc.Figures[i]
		}
	}
	return nil
}

func TestReconcileSupersedesSameSource(t *testing.T) {
	docs := map[int64]*vigil.Document{
		1: doc(1, "Example Monitor", day17),
		2: doc(2, "Example Wire", day17),
		3: doc(3, "@Example Monitor", day18), // the monitor's later update
	}
	atLeast := vigil.Figure{Kind: vigil.Killed, Category: vigil.CatCivilians, Min: 12, Qualifier: vigil.QualAtLeast, Spans: []vigil.Span{{Start: 10, End: 22, Text: "at least 12"}}}
	claims := []*vigil.Claim{
		newClaim(3, 3, vigil.EventAirStrike, day17, &ariha, killed(9)),
		newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(5), injured(20)),
		newClaim(2, 2, vigil.EventAirStrike, day17, &ariha, func(c *vigil.Claim) { c.Figures = append(c.Figures, atLeast) }),
	}
	inc := &vigil.Incident{}
	Reconcile(inc, claims, docs)
	fr := figRange(inc, vigil.Killed, vigil.CatCivilians)
	if fr == nil {
		t.Fatal("no killed civilians range")
	}
	// Monitor's 5 is superseded by its own later 9; the wire says at least 12.
	if fr.Min != 9 || fr.Max == nil || *fr.Max != 12 {
		t.Errorf("range %d-%v, want 9-12", fr.Min, fr.Max)
	}
	if len(fr.BySource) != 3 {
		t.Fatalf("by source %+v", fr.BySource)
	}
	var superseded, spans int
	for _, sf := range fr.BySource {
		if sf.Superseded {
			superseded++
			if sf.Min != 5 || sf.ClaimID != 1 {
				t.Errorf("superseded figure %+v, want the monitor's earlier 5", sf)
			}
		}
		spans += len(sf.Spans)
	}
	if superseded != 1 || spans != 1 {
		t.Errorf("superseded %d, spans %d", superseded, spans)
	}
	if got := strings.Join(fr.MaxSources, ","); got != "Example Wire" {
		t.Errorf("max sources %q", got)
	}
	// The injured figure was only in the superseded report for killed: it stays current.
	if inj := figRange(inc, vigil.Injured, vigil.CatTotal); inj == nil || inj.Min != 20 {
		t.Errorf("injured %+v", inj)
	}
	if len(inc.ClaimIDs) != 3 || len(inc.DocumentIDs) != 3 {
		t.Errorf("claims %v docs %v", inc.ClaimIDs, inc.DocumentIDs)
	}
	// Figures are killed first.
	if inc.Figures[0].Kind != vigil.Killed {
		t.Errorf("order %v", inc.Figures)
	}
}

func TestReconcileAttributionAndMerge(t *testing.T) {
	docs := map[int64]*vigil.Document{1: doc(1, "A", day17), 2: doc(2, "B", day17), 3: doc(3, "C", day17)}
	city := aleppoCity()
	child := vigil.Victim{Name: "Fictional Child", Status: vigil.Injured, Minor: true, Sensitivity: vigil.Restricted}
	claims := []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, day17, &city, by("russia"), func(c *vigil.Claim) {
			c.Facilities = []vigil.Facility{{Type: vigil.FacilityHealth, Name: "M10", Role: "treated_casualties"}}
			c.Victims = []vigil.Victim{child}
			c.Sources = []vigil.Source{{Name: "anonymous doctor", Type: vigil.SourceMedical, Anonymous: true, Sensitivity: vigil.Restricted}}
		}),
		newClaim(2, 2, vigil.EventAirStrike, day17, &qaterji, by("russia", "syrian_government"), func(c *vigil.Claim) {
			c.Facilities = []vigil.Facility{{Type: vigil.FacilityHealth, Name: "m10"}, {Type: vigil.FacilityHealth}}
			c.Victims = []vigil.Victim{child}
		}),
		newClaim(3, 3, vigil.EventAirStrike, vigil.Month(2016, time.August), nil, func(c *vigil.Claim) {
			c.Attribution.Candidates = []vigil.PerpetratorCandidate{{Actor: "russia", Status: vigil.Denied}}
		}),
	}
	inc := &vigil.Incident{}
	Reconcile(inc, claims, docs)
	if inc.Place == nil || inc.Place.Name != "Qaterji" {
		t.Errorf("place %+v, want the most precise", inc.Place)
	}
	if inc.Date != day17 {
		t.Errorf("date %v", inc.Date)
	}
	if len(inc.Facilities) != 1 || len(inc.Victims) != 1 {
		t.Errorf("facilities %+v victims %+v: want merged without duplicates", inc.Facilities, inc.Victims)
	}
	if inc.Sensitivity != vigil.Restricted {
		t.Errorf("sensitivity %s with a minor and an anonymous source", inc.Sensitivity)
	}
	got := map[string]vigil.PerpetratorCandidate{}
	for _, c := range inc.Attribution.Candidates {
		got[c.Actor] = c
	}
	ru, gov := got["russia"], got["syrian_government"]
	if strings.Join(ru.AllegedBy, ",") != "A,B" || strings.Join(ru.DeniedBy, ",") != "C" || ru.Status != vigil.Contested {
		t.Errorf("russia %+v", ru)
	}
	if gov.Status != vigil.Contested || strings.Join(gov.AllegedBy, ",") != "B" {
		t.Errorf("government %+v", gov)
	}
	Propose(inc, DefaultConfig().Grading)
	if inc.ProposedGrade != vigil.GradeContested || !strings.Contains(inc.ProposedRationale, "contested") {
		t.Errorf("proposal %s: %s", inc.ProposedGrade, inc.ProposedRationale)
	}
	// Review confirms one candidate: reconciliation keeps it.
	for i := range inc.Attribution.Candidates {
		if inc.Attribution.Candidates[i].Actor == "russia" {
			inc.Attribution.Candidates[i].Status = vigil.Confirmed
		}
	}
	Reconcile(inc, claims, docs)
	Propose(inc, DefaultConfig().Grading)
	if inc.ProposedGrade != vigil.GradeConfirmed {
		t.Errorf("after review confirmed russia: %s (%s)", inc.ProposedGrade, inc.ProposedRationale)
	}
}

func TestProposeGrades(t *testing.T) {
	docs := map[int64]*vigil.Document{1: doc(1, "Syrian Observatory for Human Rights", day17), 2: doc(2, "SOHR", day17), 3: doc(3, "Example Wire", day17)}
	cases := []struct {
		name   string
		claims []*vigil.Claim
		want   vigil.Grade
		word   string
	}{
		{"one source", []*vigil.Claim{newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(3), by("russia"))}, vigil.GradeWeak, "single source"},
		{"same publisher twice is one source", []*vigil.Claim{
			newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(3), by("russia")),
			newClaim(2, 2, vigil.EventAirStrike, day17, &ariha, killed(3), by("russia"))}, vigil.GradeWeak, "single source"},
		{"two independent agreeing", []*vigil.Claim{
			newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(3), by("russia")),
			newClaim(3, 3, vigil.EventAirStrike, day17, &ariha, killed(4), by("russia"))}, vigil.GradeFair, "2 independent sources"},
		{"two independent disagreeing", []*vigil.Claim{
			newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(3), by("russia")),
			newClaim(3, 3, vigil.EventAirStrike, day17, &ariha, killed(30), by("russia"))}, vigil.GradeWeak, "disagree"},
		{"two sources, two perpetrators", []*vigil.Claim{
			newClaim(1, 1, vigil.EventAirStrike, day17, &ariha, killed(3), by("russia")),
			newClaim(3, 3, vigil.EventAirStrike, day17, &ariha, killed(3), by("syrian_government"))}, vigil.GradeContested, "contested"},
	}
	for _, tc := range cases {
		inc := &vigil.Incident{}
		Reconcile(inc, tc.claims, docs)
		Propose(inc, DefaultConfig().Grading)
		if inc.ProposedGrade != tc.want || !strings.Contains(inc.ProposedRationale, tc.word) || inc.Grade != tc.want {
			t.Errorf("%s: %s (%s), want %s", tc.name, inc.ProposedGrade, inc.ProposedRationale, tc.want)
		}
	}
	// A reviewer's grade with a reason is not overwritten by the proposal.
	inc := &vigil.Incident{Grade: vigil.GradeDiscounted, GradeReason: "geolocated elsewhere"}
	Reconcile(inc, cases[0].claims, docs)
	Propose(inc, DefaultConfig().Grading)
	if inc.Grade != vigil.GradeDiscounted || inc.ProposedGrade != vigil.GradeWeak {
		t.Errorf("override lost: grade %s proposed %s", inc.Grade, inc.ProposedGrade)
	}
}

func TestRunWithStore(t *testing.T) {
	s := newFakeStore()
	city := aleppoCity()
	for i, d := range []*vigil.Document{doc(1, "A", day17), doc(2, "B", day18), doc(3, "C", day17), doc(4, "D", day17)} {
		s.docs[int64(i+1)] = d
	}
	for _, c := range []*vigil.Claim{
		newClaim(1, 1, vigil.EventAirStrike, day17, &qaterji, killed(3), by("russia")),
		newClaim(2, 2, vigil.EventAirStrike, day17, &qaterji, killed(4), by("russia")),
		newClaim(3, 3, vigil.EventAirStrike, day17, &sukkari, killed(2), by("russia")),
		newClaim(4, 4, vigil.EventAirStrike, day17, &city, by("russia")),
	} {
		s.claims[c.ID] = c
	}
	ctx := context.Background()
	cfg := DefaultConfig()
	cfg.PageSize = 2
	st, err := Run(ctx, s, s, fakeDocs{s: s}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st.Claims != 4 || st.Joined != 1 || st.New != 2 || st.PossibleDuplicates != 1 || st.IncidentsCreated != 3 {
		t.Errorf("stats %+v", st)
	}
	if len(s.decisions) != 4 {
		t.Fatalf("%d decisions recorded", len(s.decisions))
	}
	for _, a := range s.audit {
		if a.Actor != "vigil resolve" || a.EntityID == 0 || a.Reason == "" {
			t.Errorf("audit entry %+v", a)
		}
	}
	inc1 := s.incidents[1]
	if fr := figRange(inc1, vigil.Killed, vigil.CatCivilians); fr == nil || fr.Min != 3 || *fr.Max != 4 || len(inc1.ClaimIDs) != 2 {
		t.Errorf("incident 1: %+v", inc1)
	}
	vague := s.incidents[3]
	if len(vague.PossibleDuplicates) != 2 {
		t.Errorf("vague incident links %v", vague.PossibleDuplicates)
	}
	if len(s.incidents[1].PossibleDuplicates) != 1 || len(s.incidents[2].PossibleDuplicates) != 1 {
		t.Errorf("specific incidents not linked back: %v %v", s.incidents[1].PossibleDuplicates, s.incidents[2].PossibleDuplicates)
	}
	// A second run has nothing to do; a new claim joins through the loader.
	s.docs[5] = doc(5, "E", day18)
	s.claims[5] = newClaim(5, 5, vigil.EventAirStrike, day17, &sukkari, killed(2), by("russia"))
	st, err = Run(ctx, s, s, fakeDocs{s: s}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st.Claims != 1 || st.Joined != 1 || s.loads == 0 {
		t.Errorf("second run %+v, loads %d", st, s.loads)
	}
	if got := s.incidents[2].ClaimIDs; len(got) != 2 {
		t.Errorf("incident 2 claims %v", got)
	}
}

func TestIndexEviction(t *testing.T) {
	s := newFakeStore()
	// 60 incidents over 60 months; the index may hold 10.
	for i := 0; i < 60; i++ {
		d := vigil.Day(2016+i/12, time.Month(i%12+1), 10)
		inc := &vigil.Incident{Date: d, EventType: vigil.EventAirStrike, Place: &ariha}
		s.CreateIncident(context.Background(), inc, &vigil.AuditEntry{})
	}
	cfg := DefaultConfig()
	cfg.MaxIndexed = 10
	r, _ := New(cfg, func(ctx context.Context, from, to time.Time) ([]*vigil.Incident, error) {
		incs, _, err := s.FindIncidents(ctx, vigil.IncidentFilter{From: &from, To: &to})
		return incs, err
	})
	for i := 0; i < 60; i++ {
		d := vigil.Day(2016+i/12, time.Month(i%12+1), 10)
		dec, err := r.Decide(context.Background(), newClaim(int64(i), 1, vigil.EventAirStrike, d, &ariha), nil)
		if err != nil {
			t.Fatal(err)
		}
		if dec.Outcome != vigil.MatchJoined || dec.Candidates != 1 {
			t.Errorf("claim %d: %s with %d candidates", i, dec.Outcome, dec.Candidates)
		}
		if r.Len() > 10 {
			t.Fatalf("index holds %d incidents, bound 10", r.Len())
		}
	}
}
