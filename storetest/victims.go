package storetest

import (
	"context"
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

// TestVictims is the conformance test of vigil.VictimService: idempotent
// import keyed by list and record id, lists, records, link runs, persons,
// the review queue and decisions. Every backend must implement the service.
// The names are fictional.
func TestVictims(t *testing.T, s vigil.Store) {
	vs, ok := s.(vigil.VictimService)
	if !ok {
		t.Fatalf("%T does not implement vigil.VictimService", s)
	}
	ctx := context.Background()
	age := func(n int) *int { return &n }
	listA := []*vigil.VictimRecord{
		{RecordID: "A-1", Line: 2, FullName: "سامر خليل النجار", Sex: vigil.SexMale, Age: age(34), Date: "2020-03-04", Status: vigil.Killed},
		{RecordID: "A-2", Line: 3, FullName: "Lina Haddad Exampleton", Sex: vigil.SexFemale, Age: age(8), Minor: true, Status: vigil.Killed},
	}
	res, err := vs.ImportVictims(ctx, "fictional-ngo", listA)
	if err != nil {
		t.Fatalf("ImportVictims: %v", err)
	}
	if res.Inserted != 2 || res.Updated != 0 || res.List == nil || res.List.Records != 2 || res.List.Name != "fictional-ngo" {
		t.Fatalf("first import: %+v list %+v", res, res.List)
	}
	if listA[0].ID == 0 || listA[1].ID == 0 {
		t.Fatal("IDs not set")
	}
	// re-import: same rows unchanged, an edited row updated, a new row inserted
	again := []*vigil.VictimRecord{
		{RecordID: "A-1", Line: 2, FullName: "سامر خليل النجار", Sex: vigil.SexMale, Age: age(34), Date: "2020-03-04", Status: vigil.Killed},
		{RecordID: "A-2", Line: 3, FullName: "Lina Haddad Exampleton", Sex: vigil.SexFemale, Age: age(9), Minor: true, Status: vigil.Killed},
		{RecordID: "A-3", Line: 4, FullName: "Karim Example", Status: vigil.Injured},
	}
	res, err = vs.ImportVictims(ctx, "fictional-ngo", again)
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 1 || res.Updated != 1 || res.Unchanged != 1 || res.List.Records != 3 {
		t.Fatalf("re-import: %+v", res)
	}
	if again[0].ID != listA[0].ID || again[1].ID != listA[1].ID {
		t.Error("re-import changed record ids")
	}
	// invalid input leaves the store unchanged
	if _, err := vs.ImportVictims(ctx, "fictional-ngo", []*vigil.VictimRecord{{RecordID: "A-9"}, {RecordID: ""}}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Errorf("missing record id: err = %v, want invalid", err)
	}
	if _, err := vs.ImportVictims(ctx, "fictional-ngo", []*vigil.VictimRecord{{RecordID: "A-8"}, {RecordID: "A-8"}}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Errorf("duplicate record id: err = %v, want invalid", err)
	}
	if _, err := vs.ImportVictims(ctx, " ", nil); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Errorf("empty list name: err = %v, want invalid", err)
	}
	recs, total, err := vs.FindVictimRecords(ctx, vigil.VictimFilter{Lists: []string{"fictional-ngo"}})
	if err != nil || total != 3 || len(recs) != 3 {
		t.Fatalf("FindVictimRecords = %d records, total %d, %v", len(recs), total, err)
	}
	if recs[1].Age == nil || *recs[1].Age != 9 || recs[1].List != "fictional-ngo" || recs[1].Line != 3 {
		t.Errorf("updated record = %+v", recs[1])
	}
	listB := []*vigil.VictimRecord{{RecordID: "b7", FullName: "Samer Khalil al-Najjar", Age: age(35), Status: vigil.Killed}}
	if _, err := vs.ImportVictims(ctx, "fictional-hospital", listB); err != nil {
		t.Fatal(err)
	}
	lists, err := vs.FindVictimLists(ctx)
	if err != nil || len(lists) != 2 || lists[0].Name != "fictional-hospital" || lists[1].Records != 3 {
		t.Fatalf("FindVictimLists = %+v, %v", lists, err)
	}
	if _, err := vs.FindVictimRecordByID(ctx, 999999); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Errorf("missing record: %v", err)
	}

	// a link run: A-1 and b7 are one person
	persons := map[int64]string{listA[0].ID: "P1", listB[0].ID: "P1", listA[1].ID: "P2", again[2].ID: "P3"}
	queue := []*vigil.ReviewPair{{A: again[2].ID, B: listA[1].ID, Weight: 0.5, Probability: 0.55, Explanation: []byte(`{"fields":[]}`)}}
	run := &vigil.LinkRun{Lists: []string{"fictional-hospital", "fictional-ngo"}, Records: 4, Persons: 3, Threshold: 0.9}
	if err := vs.SaveLinkRun(ctx, run, persons, queue); err != nil {
		t.Fatalf("SaveLinkRun: %v", err)
	}
	if run.ID == 0 {
		t.Error("run id not set")
	}
	latest, err := vs.LatestLinkRun(ctx)
	if err != nil || latest.ID != run.ID || latest.Persons != 3 {
		t.Errorf("LatestLinkRun = %+v, %v", latest, err)
	}
	p, err := vs.FindPersonByID(ctx, "P1")
	if err != nil || len(p.Records) != 2 || len(p.Lists) != 2 {
		t.Fatalf("FindPersonByID = %+v, %v", p, err)
	}
	if _, err := vs.FindPersonByID(ctx, "P404"); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Errorf("missing person: %v", err)
	}
	ps, total, err := vs.FindPersons(ctx, vigil.PersonFilter{List: "fictional-hospital"})
	if err != nil || total != 1 || len(ps) != 1 || ps[0].ID != "P1" {
		t.Errorf("FindPersons by list = %+v, %d, %v", ps, total, err)
	}
	ps, total, err = vs.FindPersons(ctx, vigil.PersonFilter{Limit: 2})
	if err != nil || total != 3 || len(ps) != 2 || ps[0].ID != "P1" || ps[1].ID != "P2" {
		t.Errorf("FindPersons page = %d persons, total %d, %v", len(ps), total, err)
	}

	// review queue and decisions
	q, total, err := vs.ReviewQueue(ctx, vigil.ReviewFilter{Pending: true})
	if err != nil || total != 1 || len(q) != 1 || q[0].RecordA == nil || q[0].RecordB == nil || q[0].A > q[0].B {
		t.Fatalf("ReviewQueue = %+v, %d, %v", q, total, err)
	}
	if err := vs.DecidePair(ctx, &vigil.PairDecision{A: q[0].B, B: q[0].A, Match: false, Reviewer: "clerk"}); err != nil {
		t.Fatalf("DecidePair: %v", err)
	}
	if err := vs.DecidePair(ctx, &vigil.PairDecision{A: q[0].A, B: q[0].A, Reviewer: "clerk"}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Errorf("self pair: %v", err)
	}
	if err := vs.DecidePair(ctx, &vigil.PairDecision{A: q[0].A, B: q[0].B}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Errorf("no reviewer: %v", err)
	}
	if err := vs.DecidePair(ctx, &vigil.PairDecision{A: q[0].A, B: 999999, Reviewer: "clerk"}); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Errorf("missing record: %v", err)
	}
	q, total, err = vs.ReviewQueue(ctx, vigil.ReviewFilter{Pending: true})
	if err != nil || total != 0 || len(q) != 0 {
		t.Errorf("pending after decision = %d, %v", total, err)
	}
	q, _, _ = vs.ReviewQueue(ctx, vigil.ReviewFilter{})
	if len(q) != 1 || q[0].Decision == nil || q[0].Decision.Match || q[0].Decision.Reviewer != "clerk" {
		t.Errorf("decided pair = %+v", q)
	}
	// a changed decision replaces the old one
	if err := vs.DecidePair(ctx, &vigil.PairDecision{A: q[0].A, B: q[0].B, Match: true, Reviewer: "senior"}); err != nil {
		t.Fatal(err)
	}
	ds, err := vs.PairDecisions(ctx)
	if err != nil || len(ds) != 1 || !ds[0].Match || ds[0].Reviewer != "senior" {
		t.Errorf("PairDecisions = %+v, %v", ds, err)
	}
	// a later run replaces the queue; decisions stay
	if err := vs.SaveLinkRun(ctx, &vigil.LinkRun{}, map[int64]string{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := vs.ReviewQueue(ctx, vigil.ReviewFilter{}); total != 0 {
		t.Errorf("queue after new run = %d", total)
	}
	if ds, _ := vs.PairDecisions(ctx); len(ds) != 1 {
		t.Errorf("decisions after new run = %d", len(ds))
	}
	if err := vs.SaveLinkRun(ctx, &vigil.LinkRun{}, map[int64]string{999999: "P9"}, nil); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Errorf("person for missing record: %v", err)
	}
}
