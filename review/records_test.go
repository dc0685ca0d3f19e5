package review_test

import (
	"context"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/review"
)

// TestRecordsAuthorization: every read of restricted records answers the
// public "not found" (as for a missing record) and serves viewers; deciding a
// pair needs an analyst.
func TestRecordsAuthorization(t *testing.T) {
	_, db, inc := setup(t)
	ctx := context.Background()
	recs := []*vigil.VictimRecord{{RecordID: "R-1", FullName: "Fictional Alpha", Status: vigil.Killed}, {RecordID: "R-2", FullName: "Fictional Alfa", Status: vigil.Killed}}
	if _, err := db.ImportVictims(ctx, "fictional", recs); err != nil {
		t.Fatal(err)
	}
	s := &review.Records{Docs: db, Claims: db, Victims: db}
	claimID := inc.ClaimIDs[0]
	reads := map[string]func(u *vigil.User) error{
		"FindDocuments": func(u *vigil.User) error { _, _, err := s.FindDocuments(ctx, u, vigil.DocumentFilter{}); return err },
		"Document":      func(u *vigil.User) error { _, err := s.Document(ctx, u, 1); return err },
		"CustodyLog":    func(u *vigil.User) error { _, err := s.CustodyLog(ctx, u, 1); return err },
		"FindClaims":    func(u *vigil.User) error { _, _, err := s.FindClaims(ctx, u, vigil.ClaimFilter{}); return err },
		"Claim":         func(u *vigil.User) error { _, err := s.Claim(ctx, u, claimID); return err },
		"VictimLists":   func(u *vigil.User) error { _, err := s.VictimLists(ctx, u); return err },
		"VictimRecords": func(u *vigil.User) error { _, _, err := s.VictimRecords(ctx, u, vigil.VictimFilter{}); return err },
		"Persons":       func(u *vigil.User) error { _, _, err := s.Persons(ctx, u, vigil.PersonFilter{}); return err },
		"ReviewQueue":   func(u *vigil.User) error { _, _, err := s.ReviewQueue(ctx, u, vigil.ReviewFilter{}); return err },
	}
	for name, read := range reads {
		if err := read(nil); vigil.ErrorKind(err) != vigil.ENOTFOUND {
			t.Errorf("%s as the public: %v, want not found", name, err)
		}
		if err := read(viewer); err != nil {
			t.Errorf("%s as a viewer: %v", name, err)
		}
	}
	if _, err := s.Document(ctx, nil, 1); err.Error() != "not found" {
		t.Errorf("the public's answer for an existing document differs from a missing one: %q", err)
	}
	d := func() *vigil.PairDecision { return &vigil.PairDecision{A: recs[0].ID, B: recs[1].ID, Match: true} }
	if err := s.DecidePair(ctx, nil, d()); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Errorf("public decided: %v", err)
	}
	if err := s.DecidePair(ctx, viewer, d()); vigil.ErrorKind(err) != vigil.EWITHHELD {
		t.Errorf("viewer decided: %v", err)
	}
	dd := d()
	if err := s.DecidePair(ctx, analyst, dd); err != nil || dd.Reviewer != analyst.Username {
		t.Fatalf("analyst: %v, reviewer %q", err, dd.Reviewer)
	}
	if ds, _ := db.PairDecisions(ctx); len(ds) != 1 {
		t.Fatalf("%d decisions stored, want 1", len(ds))
	}
}
