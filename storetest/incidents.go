package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// claimsFor stores a document with n claims and returns them.
func claimsFor(t *testing.T, s vigil.Store, body string, n int) []*vigil.Claim {
	t.Helper()
	doc := mustCreate(t, s, NewDocument(body))
	var cs []*vigil.Claim
	for i := 0; i < n; i++ {
		cs = append(cs, &vigil.Claim{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike}, Extractor: "test",
			Figures: []vigil.Figure{vigil.Exact(vigil.Killed, vigil.CatTotal, 2+i)}})
	}
	if err := s.ReplaceClaims(context.Background(), doc.ID, cs); err != nil {
		t.Fatal(err)
	}
	return cs
}

// NewIncident returns a fictional incident.
func NewIncident(day int, gov string) *vigil.Incident {
	lat, lon := 36.2, 37.1
	four := 4
	return &vigil.Incident{
		Title:     "Fictional strike",
		EventType: vigil.EventAirStrike,
		Date:      vigil.Day(2016, 8, day),
		Place: &vigil.Place{Name: "Exampletown", PCode: "XX0101", Precision: vigil.PlaceTown, Lat: &lat, Lon: &lon,
			Admin: []vigil.AdminUnit{{Level: 0, Name: "Syria", PCode: "SY"}, {Level: 1, Name: gov, PCode: "SY" + gov[:2]}}},
		Figures: []vigil.FigureRange{{Kind: vigil.Killed, Category: vigil.CatTotal, Min: 2, Max: &four},
			{Kind: vigil.Injured, Category: vigil.CatChildren, Min: 1, Max: &four}},
		Attribution: vigil.Attribution{Candidates: []vigil.PerpetratorCandidate{{Actor: "russia", Status: vigil.Alleged}}},
		Facilities:  []vigil.Facility{{Type: vigil.FacilityHealth, Name: "Fictional clinic"}},
	}
}

func testIncidents(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	cs := claimsFor(t, s, "Fictional incident report.", 2)
	inc := NewIncident(17, "Aleppo")
	if err := s.CreateIncident(ctx, inc, &vigil.AuditEntry{Actor: "tester", Reason: "first"}); err != nil {
		t.Fatal(err)
	}
	if inc.ID == 0 || inc.Review != vigil.ReviewNew || inc.CreatedAt.IsZero() {
		t.Fatalf("created: %+v", inc)
	}
	other := NewIncident(3, "Idlib")
	other.Attribution.Candidates = nil
	other.Facilities = nil
	other.Figures = nil
	other.EventType = vigil.EventShelling
	if err := s.CreateIncident(ctx, other, &vigil.AuditEntry{Actor: "tester"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if err := s.PlaceClaim(ctx, &vigil.MatchDecision{ClaimID: c.ID, IncidentID: inc.ID, Outcome: vigil.MatchNew, Score: 0.9, DecidedBy: "tester",
			Features: []vigil.MatchFeature{{Name: "date", Score: 1, Weight: 0.3, Detail: "same day"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if un, _ := s.UnresolvedClaims(ctx, 10); len(un) != 0 {
		t.Fatalf("%d unresolved after placing all", len(un))
	}
	placed, _ := s.FindClaimByID(ctx, cs[0].ID)
	if placed.IncidentID == nil || *placed.IncidentID != inc.ID {
		t.Fatal("claim not linked to incident")
	}
	md, err := s.MatchDecisions(ctx, inc.ID)
	if err != nil || len(md) != 2 || md[0].Features[0].Detail != "same day" {
		t.Fatalf("decisions %+v %v", md, err)
	}
	inc.ClaimIDs = []int64{cs[0].ID, cs[1].ID}
	inc.Grade = vigil.GradeFair
	if err := s.UpdateIncident(ctx, inc, &vigil.AuditEntry{Actor: "reviewer1", Action: "grade", Reason: "two sources"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindIncidentByID(ctx, inc.ID)
	if err != nil || got.Grade != vigil.GradeFair || len(got.ClaimIDs) != 2 || got.LastEditor != "reviewer1" || got.Date.String() != "2016-08-17" || *got.Figures[0].Max != 4 {
		t.Fatalf("round trip %+v %v", got, err)
	}
	log, total, err := s.AuditLog(ctx, vigil.AuditFilter{Entity: "incident", EntityID: inc.ID})
	if err != nil || total != 3 {
		t.Fatalf("audit: %d entries, %v; want create + grade + claim_ids", total, err)
	}
	var gradeEntry *vigil.AuditEntry
	for _, e := range log {
		if e.Field == "grade" {
			gradeEntry = e
		}
	}
	if gradeEntry == nil || gradeEntry.Old != `""` || gradeEntry.New != `"fair"` || gradeEntry.Actor != "reviewer1" || gradeEntry.Reason != "two sources" {
		t.Fatalf("grade audit entry %+v", gradeEntry)
	}
	if p, n, err := s.VerifyAudit(ctx); err != nil || len(p) != 0 || n < 4 {
		t.Fatalf("VerifyAudit %v %d %v", p, n, err)
	}

	from := time.Date(2016, 8, 10, 0, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		f    vigil.IncidentFilter
		want int
	}{
		"all":         {vigil.IncidentFilter{}, 2},
		"type":        {vigil.IncidentFilter{EventType: vigil.EventShelling}, 1},
		"gov name":    {vigil.IncidentFilter{Governorate: "aleppo"}, 1},
		"gov pcode":   {vigil.IncidentFilter{Governorate: "SYId"}, 1},
		"pcode":       {vigil.IncidentFilter{PCode: "XX0101"}, 2},
		"from":        {vigil.IncidentFilter{From: &from}, 1},
		"perpetrator": {vigil.IncidentFilter{Perpetrator: "russia"}, 1},
		"grade":       {vigil.IncidentFilter{Grade: vigil.GradeFair}, 1},
		"review":      {vigil.IncidentFilter{Review: vigil.ReviewNew}, 2},
		"published":   {vigil.IncidentFilter{PublishedOnly: true}, 0},
		"children":    {vigil.IncidentFilter{HasChildren: true}, 1},
		"facility":    {vigil.IncidentFilter{FacilityType: vigil.FacilityHealth}, 1},
		"text":        {vigil.IncidentFilter{Query: "fictional incident"}, 1},
		"ids":         {vigil.IncidentFilter{IDs: []int64{other.ID}}, 1},
	} {
		list, total, err := s.FindIncidents(ctx, tc.f)
		if err != nil || total != tc.want || len(list) != tc.want {
			t.Errorf("%s: %d (%d listed), %v; want %d", name, total, len(list), err, tc.want)
		}
	}
	if _, err := s.FindIncidentByID(ctx, 999); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("missing incident kind %q", vigil.ErrorKind(err))
	}
	if err := s.UpdateIncident(ctx, &vigil.Incident{ID: 999}, nil); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("update missing kind %q", vigil.ErrorKind(err))
	}
	if err := s.PlaceClaim(ctx, &vigil.MatchDecision{ClaimID: 999, IncidentID: inc.ID}); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("place missing claim kind %q", vigil.ErrorKind(err))
	}
}

func testUsers(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	u := &vigil.User{Username: "fictional-reviewer", Role: vigil.RoleReviewer, PasswordHash: "$argon2id$x"}
	if err := s.CreateUser(ctx, u); err != nil || u.ID == 0 {
		t.Fatalf("CreateUser %v", err)
	}
	if err := s.CreateUser(ctx, &vigil.User{Username: "Fictional-Reviewer", Role: vigil.RoleViewer}); vigil.ErrorKind(err) != vigil.ECONFLICT {
		t.Fatalf("duplicate username (any case) kind %q", vigil.ErrorKind(err))
	}
	if err := s.CreateUser(ctx, &vigil.User{Username: "x", Role: "emperor"}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatalf("bad role kind %q", vigil.ErrorKind(err))
	}
	u.FailedLogins, u.LockedUntil = 2, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindUserByName(ctx, "FICTIONAL-reviewer")
	if err != nil || got.ID != u.ID || got.FailedLogins != 2 || !got.LockedUntil.Equal(u.LockedUntil) || got.PasswordHash != u.PasswordHash {
		t.Fatalf("FindUserByName %+v %v", got, err)
	}
	if all, _ := s.FindUsers(ctx); len(all) != 1 {
		t.Fatalf("FindUsers %d", len(all))
	}
	if _, err := s.FindUserByID(ctx, 999); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatal("missing user")
	}
	sess := &vigil.Session{TokenHash: strings.Repeat("a", 64), UserID: u.ID, CSRF: "c", ExpiresAt: time.Now().Add(time.Hour)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindSession(ctx, sess.TokenHash); err != nil || got.UserID != u.ID || got.CSRF != "c" {
		t.Fatalf("FindSession %+v %v", got, err)
	}
	expired := &vigil.Session{TokenHash: strings.Repeat("b", 64), UserID: u.ID, ExpiresAt: time.Now().Add(-time.Minute)}
	s.CreateSession(ctx, expired)
	if _, err := s.FindSession(ctx, expired.TokenHash); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatalf("expired session kind %q", vigil.ErrorKind(err))
	}
	s.DeleteSession(ctx, sess.TokenHash)
	if _, err := s.FindSession(ctx, sess.TokenHash); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatal("deleted session still found")
	}
	// Constraint violations are classified: a session or token of a user
	// that does not exist is invalid, a token stored twice a conflict.
	if err := s.CreateSession(ctx, &vigil.Session{TokenHash: strings.Repeat("d", 64), UserID: 999, ExpiresAt: time.Now().Add(time.Hour)}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatalf("session of a missing user: kind %q (%v)", vigil.ErrorKind(err), err)
	}
	if err := s.CreateAPIToken(ctx, &vigil.APIToken{UserID: 999, Name: "x", TokenHash: strings.Repeat("e", 64)}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatalf("token of a missing user: kind %q (%v)", vigil.ErrorKind(err), err)
	}
	tok := &vigil.APIToken{UserID: u.ID, Name: "script", TokenHash: strings.Repeat("c", 64)}
	if err := s.CreateAPIToken(ctx, tok); err != nil || tok.ID == 0 {
		t.Fatal(err)
	}
	if err := s.CreateAPIToken(ctx, &vigil.APIToken{UserID: u.ID, Name: "again", TokenHash: tok.TokenHash}); vigil.ErrorKind(err) != vigil.ECONFLICT {
		t.Fatalf("token stored twice: kind %q (%v)", vigil.ErrorKind(err), err)
	}
	if got, err := s.FindAPIToken(ctx, tok.TokenHash); err != nil || got.UserID != u.ID {
		t.Fatalf("FindAPIToken %v", err)
	}
	if err := s.RevokeAPIToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindAPIToken(ctx, tok.TokenHash); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatal("revoked token still works")
	}
	if list, _ := s.FindAPITokens(ctx, u.ID); len(list) != 1 || list[0].RevokedAt.IsZero() {
		t.Fatalf("FindAPITokens %+v", list)
	}
}

func testAtomic(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	boom := vigil.Errorf(vigil.ECONFLICT, "boom")
	err := s.Atomic(ctx, func(tx vigil.Store) error {
		if _, _, err := tx.CreateDocument(ctx, NewDocument("rolled back"), ingestEvent()); err != nil {
			return err
		}
		if err := tx.CreateIncident(ctx, NewIncident(1, "Hama"), &vigil.AuditEntry{Actor: "t"}); err != nil {
			return err
		}
		// Reads inside see the transaction's own writes.
		if _, total, _ := tx.FindDocuments(ctx, vigil.DocumentFilter{}); total != 1 {
			t.Errorf("inside: %d documents, want 1", total)
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Atomic returned %v, want fn's error", err)
	}
	if _, total, _ := s.FindDocuments(ctx, vigil.DocumentFilter{}); total != 0 {
		t.Fatalf("rolled-back document visible: %d", total)
	}
	if _, total, _ := s.FindIncidents(ctx, vigil.IncidentFilter{}); total != 0 {
		t.Fatalf("rolled-back incident visible: %d", total)
	}
	if _, n, _ := s.VerifyAudit(ctx); n != 0 {
		t.Fatalf("rolled-back audit entries visible: %d", n)
	}
	err = s.Atomic(ctx, func(tx vigil.Store) error {
		_, _, err := tx.CreateDocument(ctx, NewDocument("committed"), ingestEvent())
		if err != nil {
			return err
		}
		return tx.CreateIncident(ctx, NewIncident(2, "Hama"), &vigil.AuditEntry{Actor: "t"})
	})
	if err != nil {
		t.Fatal(err)
	}
	_, docs, _ := s.FindDocuments(ctx, vigil.DocumentFilter{})
	_, incs, _ := s.FindIncidents(ctx, vigil.IncidentFilter{})
	if docs != 1 || incs != 1 {
		t.Fatalf("committed: %d documents, %d incidents", docs, incs)
	}
}
