package review_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/review"
	"github.com/vigil-rec/vigil/sqlite"
	"github.com/vigil-rec/vigil/storetest"
)

var (
	viewer    = &vigil.User{Username: "viewer1", Role: vigil.RoleViewer}
	analyst   = &vigil.User{Username: "analyst1", Role: vigil.RoleAnalyst}
	reviewer1 = &vigil.User{Username: "reviewer1", Role: vigil.RoleReviewer}
	reviewer2 = &vigil.User{Username: "reviewer2", Role: vigil.RoleReviewer}
)

// countReconciler stands in for package resolve: it sets the killed total to
// the number of claims, so tests can see that reconciliation ran.
func countReconciler(inc *vigil.Incident, claims []*vigil.Claim, docs map[int64]*vigil.Document) {
	n := len(claims)
	inc.Figures = []vigil.FigureRange{{Kind: vigil.Killed, Category: vigil.CatTotal, Min: n, Max: &n}}
	inc.Victims = nil
	for _, c := range claims {
		inc.Victims = append(inc.Victims, c.Victims...)
	}
}

func setup(t *testing.T) (*review.Service, *sqlite.DB, *vigil.Incident) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	doc, _, _ := db.CreateDocument(ctx, storetest.NewDocument("Fictional report."), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "t"})
	var claims []*vigil.Claim
	for i := 0; i < 3; i++ {
		claims = append(claims, &vigil.Claim{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike}, Extractor: "t",
			Victims: []vigil.Victim{{Name: "Fictional Child " + string(rune('A'+i)), Minor: true, Status: vigil.Injured, Sensitivity: vigil.Restricted}},
			Sources: []vigil.Source{{Name: "a doctor", Type: vigil.SourceMedical, Anonymous: true, Sensitivity: vigil.Restricted}}})
	}
	db.ReplaceClaims(ctx, doc.ID, claims)
	inc := storetest.NewIncident(17, "Aleppo")
	inc.ProposedGrade = vigil.GradeFair
	for _, c := range claims {
		inc.ClaimIDs = append(inc.ClaimIDs, c.ID)
		inc.Victims = append(inc.Victims, c.Victims...)
		inc.Sources = append(inc.Sources, c.Sources...)
	}
	db.CreateIncident(ctx, inc, &vigil.AuditEntry{Actor: "vigil resolve"})
	for _, c := range claims {
		db.PlaceClaim(ctx, &vigil.MatchDecision{ClaimID: c.ID, IncidentID: inc.ID, Outcome: vigil.MatchNew, DecidedBy: "vigil resolve"})
	}
	return &review.Service{Store: db, Reconcile: countReconciler}, db, inc
}

func TestWorkflowAndFourEyes(t *testing.T) {
	s, _, inc := setup(t)
	ctx := context.Background()
	if _, err := s.Transition(ctx, viewer, inc.ID, vigil.ReviewInReview, ""); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatalf("viewer moved an incident: %v", err)
	}
	if _, err := s.Transition(ctx, analyst, inc.ID, vigil.ReviewPublished, ""); vigil.ErrorKind(err) != vigil.ECONFLICT {
		t.Fatalf("new -> published allowed: %v", err)
	}
	if _, err := s.Transition(ctx, analyst, inc.ID, vigil.ReviewInReview, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, analyst, inc.ID, vigil.ReviewVerified, ""); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatalf("analyst verified: %v", err)
	}
	_, err := s.Transition(ctx, reviewer1, inc.ID, vigil.ReviewVerified, "")
	if vigil.ErrorKind(err) != vigil.EINVALID || vigil.ErrorField(err) != "grade" {
		t.Fatalf("verified without a grade: %v", err)
	}
	if _, err := s.Grade(ctx, analyst, inc.ID, vigil.GradeFair, ""); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatal("analyst graded")
	}
	if _, err := s.Grade(ctx, reviewer1, inc.ID, "excellent", "x"); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatal("grade off the scale accepted")
	}
	if _, err := s.Grade(ctx, reviewer1, inc.ID, vigil.GradeConfirmed, ""); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatal("override without a reason accepted")
	}
	if _, err := s.Grade(ctx, reviewer1, inc.ID, vigil.GradeFair, ""); err != nil {
		t.Fatalf("accepting the proposal needs no reason: %v", err)
	}
	if _, err := s.Transition(ctx, reviewer1, inc.ID, vigil.ReviewVerified, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, reviewer1, inc.ID, vigil.ReviewPublished, ""); vigil.ErrorKind(err) != vigil.ECONFLICT || !strings.Contains(err.Error(), "four eyes") {
		t.Fatalf("last editor published: %v", err)
	}
	got, err := s.Transition(ctx, reviewer2, inc.ID, vigil.ReviewPublished, "")
	if err != nil || got.Review != vigil.ReviewPublished {
		t.Fatalf("publish: %v", err)
	}
	if _, err := s.Transition(ctx, reviewer2, inc.ID, vigil.ReviewDiscarded, ""); vigil.ErrorKind(err) != vigil.ECONFLICT {
		t.Fatalf("published -> discarded directly: %v", err)
	}
	d, err := s.Show(ctx, reviewer2, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range d.History {
		actions[e.Action+"/"+e.Field+"/"+e.Actor] = true
	}
	for _, want := range []string{"create//vigil resolve", "review/review_state/analyst1", "grade/grade/reviewer1", "review/review_state/reviewer1", "publish/review_state/reviewer2"} {
		if !actions[want] {
			t.Errorf("history lacks %s: %v", want, actions)
		}
	}
}

func TestPublicSeesPublishedOnlyRedacted(t *testing.T) {
	s, db, inc := setup(t)
	ctx := context.Background()
	if _, err := s.Get(ctx, nil, inc.ID); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("public saw an unpublished incident: %v", err)
	}
	if list, total, _ := s.List(ctx, nil, vigil.IncidentFilter{}); total != 0 || len(list) != 0 {
		t.Fatal("public list shows unpublished incidents")
	}
	inc.Review, inc.Grade = vigil.ReviewPublished, vigil.GradeFair
	db.UpdateIncident(ctx, inc, &vigil.AuditEntry{Actor: "t"})
	d, err := s.Show(ctx, nil, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range d.Incident.Victims {
		if strings.Contains(v.Name, "Fictional Child") {
			t.Fatal("a named minor leaked in the public incident")
		}
	}
	for _, c := range d.Claims {
		for _, v := range c.Victims {
			if strings.Contains(v.Name, "Fictional Child") {
				t.Fatal("a named minor leaked in a public claim")
			}
		}
		if c.Sources[0].Name != "anonymous medical source" {
			t.Fatalf("anonymous source shown as %q", c.Sources[0].Name)
		}
	}
	if d.History != nil || d.Decisions != nil {
		t.Fatal("public sees internal history")
	}
	full, _ := s.Show(ctx, viewer, inc.ID)
	if full.Incident.Victims[0].Name != "Fictional Child A" {
		t.Fatal("a viewer should see restricted values")
	}
}

func TestMergeAndSplit(t *testing.T) {
	s, db, inc := setup(t)
	ctx := context.Background()
	other := storetest.NewIncident(17, "Aleppo")
	db.CreateIncident(ctx, other, &vigil.AuditEntry{Actor: "vigil resolve"})

	moved := inc.ClaimIDs[2:]
	if _, _, err := s.Split(ctx, viewer, inc.ID, moved, "x"); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatal("viewer split")
	}
	if _, _, err := s.Split(ctx, analyst, inc.ID, inc.ClaimIDs, "all"); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatal("split of every claim accepted")
	}
	if _, _, err := s.Split(ctx, analyst, inc.ID, moved, ""); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatal("split without reason accepted")
	}
	left, right, err := s.Split(ctx, analyst, inc.ID, moved, "two different strikes")
	if err != nil {
		t.Fatal(err)
	}
	if len(left.ClaimIDs) != 2 || len(right.ClaimIDs) != 1 || left.Figures[0].Min != 2 || right.Figures[0].Min != 1 {
		t.Fatalf("split: left %v %v right %v %v", left.ClaimIDs, left.Figures, right.ClaimIDs, right.Figures)
	}
	c, _ := db.FindClaimByID(ctx, moved[0])
	if *c.IncidentID != right.ID {
		t.Fatal("claim not moved")
	}
	merged, err := s.Merge(ctx, analyst, inc.ID, []int64{right.ID}, "same strike after all")
	if err != nil {
		t.Fatal(err)
	}
	if len(merged.ClaimIDs) != 3 || merged.Figures[0].Min != 3 {
		t.Fatalf("merge: %v %v", merged.ClaimIDs, merged.Figures)
	}
	gone, _ := db.FindIncidentByID(ctx, right.ID)
	if gone.MergedInto != inc.ID || gone.Review != vigil.ReviewDiscarded || len(gone.ClaimIDs) != 0 {
		t.Fatalf("merged-away incident: %+v", gone)
	}
	if _, err := s.Merge(ctx, analyst, inc.ID, []int64{right.ID}, "again"); vigil.ErrorKind(err) != vigil.ECONFLICT {
		t.Fatal("merged twice")
	}
	if _, err := s.Merge(ctx, analyst, inc.ID, []int64{inc.ID}, "self"); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatal("merged into itself")
	}
	md, _ := db.MatchDecisions(ctx, inc.ID)
	manual := 0
	for _, d := range md {
		if d.Outcome == vigil.MatchManual {
			manual++
		}
	}
	if manual != 1 {
		t.Fatalf("%d manual decisions, want 1 (the merged-back claim)", manual)
	}
	hist, _, _ := db.AuditLog(ctx, vigil.AuditFilter{Entity: "incident", EntityID: right.ID})
	if len(hist) < 3 {
		t.Fatalf("split-off incident's history has %d entries", len(hist))
	}
}

func TestCorrect(t *testing.T) {
	s, _, inc := setup(t)
	ctx := context.Background()
	title := "Corrected fictional title"
	et := vigil.EventShelling
	if _, err := s.Correct(ctx, analyst, inc.ID, review.Correction{Title: &title}, ""); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatal("correction without reason")
	}
	bad := vigil.EventType("teleport")
	if _, err := s.Correct(ctx, analyst, inc.ID, review.Correction{EventType: &bad}, "r"); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatal("unknown event type accepted")
	}
	got, err := s.Correct(ctx, analyst, inc.ID, review.Correction{Title: &title, EventType: &et}, "misread the report")
	if err != nil || got.Title != title || got.EventType != et || got.LastEditor != "analyst1" {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := s.Correct(ctx, nil, inc.ID, review.Correction{Title: &title}, "r"); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatal("anonymous correction")
	}
}
