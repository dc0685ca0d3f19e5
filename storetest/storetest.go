// Package storetest is the storage conformance suite: one set of tests that
// every backend implementing vigil.Store must pass unchanged.
package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Opener returns a new, empty store for one test; the suite closes it.
type Opener func(t *testing.T) vigil.Store

// Run runs the whole suite against the backend opened by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s vigil.Store)
	}{
		{"CreateAndFindDocument", testCreateAndFind},
		{"SameBytesStoredOnce", testSameBytesOnce},
		{"NotFoundKinds", testNotFound},
		{"FindDocumentsFiltersAndPages", testFindDocuments},
		{"FullTextSearchEnglishAndArabic", testFullText},
		{"CustodyChain", testCustodyChain},
		{"CustodyForMissingDocument", testCustodyMissing},
		{"ReplaceClaims", testReplaceClaims},
		{"UpsertPlaces", testPlaces},
		{"Victims", TestVictims},
		{"Incidents", testIncidents},
		{"Users", testUsers},
		{"Atomic", testAtomic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// NewDocument returns a fictional document for body.
func NewDocument(body string) *vigil.Document {
	pub := vigil.Day(2020, 3, 4)
	return &vigil.Document{SHA256: hash(body), Size: int64(len(body)), MediaType: "text/plain; charset=utf-8",
		Filename: "fictional.txt", Title: "Fictional report", Publisher: "Example Wire", Language: "en",
		Published: &pub, Text: body, Captured: time.Date(2020, 3, 5, 10, 0, 0, 0, time.UTC)}
}

func ingestEvent() *vigil.CustodyEvent {
	return &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "storetest", At: time.Date(2020, 3, 5, 10, 0, 0, 0, time.UTC)}
}

func mustCreate(t *testing.T, s vigil.Store, doc *vigil.Document) *vigil.Document {
	t.Helper()
	got, created, err := s.CreateDocument(context.Background(), doc, ingestEvent())
	if err != nil {
		t.Fatalf("CreateDocument: %v", err)
	}
	if !created {
		t.Fatalf("CreateDocument: created = false for new bytes")
	}
	return got
}

func testCreateAndFind(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	doc := mustCreate(t, s, NewDocument("A fictional shelling of Exampletown on 4 March 2020."))
	if doc.ID == 0 {
		t.Fatal("ID not set")
	}
	got, err := s.FindDocumentByID(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 != doc.SHA256 || got.Text != doc.Text || got.Title != doc.Title || got.Publisher != doc.Publisher ||
		got.Language != "en" || got.MediaType != doc.MediaType || got.Size != doc.Size || got.Filename != doc.Filename {
		t.Fatalf("round trip changed the document: %+v", got)
	}
	if got.Published == nil || got.Published.String() != "2020-03-04" || got.Published.Precision != vigil.PrecisionDay {
		t.Fatalf("published = %v", got.Published)
	}
	if !got.Captured.Equal(doc.Captured) {
		t.Fatalf("captured = %v, want %v", got.Captured, doc.Captured)
	}
	bySHA, err := s.FindDocumentBySHA256(ctx, doc.SHA256)
	if err != nil || bySHA.ID != doc.ID {
		t.Fatalf("FindDocumentBySHA256 = %v, %v", bySHA, err)
	}
	log, err := s.CustodyLog(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Action != vigil.CustodyIngested || log[0].SHA256 != doc.SHA256 || log[0].Hash == "" || log[0].Actor != "storetest" {
		t.Fatalf("custody log = %+v", log)
	}
}

func testSameBytesOnce(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	first := mustCreate(t, s, NewDocument("Same bytes twice."))
	again := NewDocument("Same bytes twice.")
	again.Title = "A different title must not overwrite"
	got, created, err := s.CreateDocument(ctx, again, ingestEvent())
	if err != nil {
		t.Fatal(err)
	}
	if created || got.ID != first.ID || got.Title != first.Title {
		t.Fatalf("second create: created=%v id=%d title=%q; want the first document unchanged", created, got.ID, got.Title)
	}
	_, total, err := s.FindDocuments(ctx, vigil.DocumentFilter{})
	if err != nil || total != 1 {
		t.Fatalf("total = %d, %v; want 1", total, err)
	}
	log, _ := s.CustodyLog(ctx, first.ID)
	if len(log) != 1 {
		t.Fatalf("custody events = %d, want 1 (a duplicate changes nothing)", len(log))
	}
}

func testNotFound(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	if _, err := s.FindDocumentByID(ctx, 999); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("FindDocumentByID(999) kind = %q", vigil.ErrorKind(err))
	}
	if _, err := s.FindDocumentBySHA256(ctx, hash("nothing")); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("FindDocumentBySHA256 kind = %q", vigil.ErrorKind(err))
	}
	if _, err := s.FindClaimByID(ctx, 999); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("FindClaimByID kind = %q", vigil.ErrorKind(err))
	}
	bad := NewDocument("x")
	bad.SHA256 = "abc"
	if _, _, err := s.CreateDocument(ctx, bad, ingestEvent()); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatalf("short sha kind = %q", vigil.ErrorKind(err))
	}
}

func testFindDocuments(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	for i := 0; i < 7; i++ {
		d := NewDocument(fmt.Sprintf("Fictional report number %d.", i))
		if i%2 == 1 {
			d.Language, d.Publisher = "ar", "Example Centre"
		}
		pub := vigil.Day(2020, time.Month(i+1), 10)
		d.Published = &pub
		mustCreate(t, s, d)
	}
	page, total, err := s.FindDocuments(ctx, vigil.DocumentFilter{Limit: 3, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if total != 7 || len(page) != 3 || page[0].Text != "Fictional report number 2." {
		t.Fatalf("page = %d docs, total %d, first %q", len(page), total, page[0].Text)
	}
	ar, total, _ := s.FindDocuments(ctx, vigil.DocumentFilter{Language: "ar"})
	if total != 3 || len(ar) != 3 {
		t.Fatalf("language=ar total %d", total)
	}
	pubd, total, _ := s.FindDocuments(ctx, vigil.DocumentFilter{Publisher: "Example Centre", Limit: 1})
	if total != 3 || len(pubd) != 1 {
		t.Fatalf("publisher total %d len %d", total, len(pubd))
	}
	after := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
	before := time.Date(2020, 5, 1, 0, 0, 0, 0, time.UTC)
	_, total, _ = s.FindDocuments(ctx, vigil.DocumentFilter{After: &after, Before: &before})
	if total != 2 { // March and April
		t.Fatalf("date range total %d, want 2", total)
	}
	one := page[0]
	_, total, _ = s.FindDocuments(ctx, vigil.DocumentFilter{SHA256Prefix: one.SHA256[:10]})
	if total != 1 {
		t.Fatalf("sha prefix total %d", total)
	}
	_, total, _ = s.FindDocuments(ctx, vigil.DocumentFilter{SHA256Prefix: "%"})
	if total != 0 {
		t.Fatalf("a LIKE wildcard in the prefix matched %d documents", total)
	}
	big, _, _ := s.FindDocuments(ctx, vigil.DocumentFilter{Limit: vigil.MaxPageSize * 10})
	if len(big) != 7 {
		t.Fatalf("large limit returned %d", len(big))
	}
}

func testFullText(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	mustCreate(t, s, NewDocument("Shelling hit the fictional market of Exampleville at dawn."))
	mustCreate(t, s, NewDocument("غارة جوية على حي وهمي في مدينة مثال"))
	mustCreate(t, s, NewDocument("An unrelated note about the weather."))
	mustCreate(t, s, NewDocument("إصابة أطفال في قصف على مدرسةٍ وهمية"))
	cases := map[string]int{"shelling": 1, "Exampleville market": 1, "غارة": 1, "weather": 1, "\"unbalanced": 0, "NEAR(a b) OR *": 0, "market weather": 0,
		// Arabic whatever the hamza or alef form, taa marbuta or diacritics.
		"اطفال": 1, "أطفال": 1, "اصابة": 1, "إصابه": 1, "مدرسة": 1, "SHELLING": 1}
	for q, want := range cases {
		_, total, err := s.FindDocuments(ctx, vigil.DocumentFilter{Query: q})
		if err != nil {
			t.Fatalf("query %q: %v", q, err)
		}
		if total != want {
			t.Errorf("query %q: %d results, want %d", q, total, want)
		}
	}
}

func testCustodyChain(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	a := mustCreate(t, s, NewDocument("First fictional document."))
	b := mustCreate(t, s, NewDocument("Second fictional document."))
	ev := &vigil.CustodyEvent{DocumentID: a.ID, Action: vigil.CustodyExtracted, Actor: "storetest", SHA256: a.SHA256, Detail: "2 claims"}
	if err := s.AddCustodyEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if ev.ID == 0 || ev.PrevHash == "" || ev.Hash != ev.ComputeHash(ev.PrevHash) {
		t.Fatalf("event not chained: %+v", ev)
	}
	logB, _ := s.CustodyLog(ctx, b.ID)
	if ev.PrevHash != logB[0].Hash {
		t.Fatal("event does not link to the previous event in the whole log")
	}
	logA, _ := s.CustodyLog(ctx, a.ID)
	if len(logA) != 2 || logA[1].Action != vigil.CustodyExtracted {
		t.Fatalf("log A = %+v", logA)
	}
	problems, n, err := s.VerifyCustody(ctx)
	if err != nil || len(problems) != 0 || n != 3 {
		t.Fatalf("VerifyCustody = %v, %d, %v", problems, n, err)
	}
	if err := s.AddCustodyEvent(ctx, &vigil.CustodyEvent{DocumentID: a.ID}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatalf("event without action: kind %q", vigil.ErrorKind(err))
	}
}

func testCustodyMissing(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	err := s.AddCustodyEvent(ctx, &vigil.CustodyEvent{DocumentID: 42, Action: "x", Actor: "y"})
	if vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("kind %q", vigil.ErrorKind(err))
	}
	if _, err := s.CustodyLog(ctx, 42); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("kind %q", vigil.ErrorKind(err))
	}
}

func testReplaceClaims(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	doc := mustCreate(t, s, NewDocument("Two fictional strikes."))
	n := 3
	claims := []*vigil.Claim{
		{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike, Spans: []vigil.Span{{Start: 4, End: 13}}},
			Figures: []vigil.Figure{vigil.Exact(vigil.Killed, vigil.CatCivilians, 3)}, Extractor: "test"},
		{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventShelling}, Extractor: "test"},
	}
	if err := s.ReplaceClaims(ctx, doc.ID, claims); err != nil {
		t.Fatal(err)
	}
	if claims[0].ID == 0 || claims[1].ID == 0 || claims[1].Index != 1 {
		t.Fatalf("ids not set: %+v", claims)
	}
	got, err := s.FindClaimByID(ctx, claims[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := got.Figure(vigil.Killed, vigil.CatCivilians)
	if !ok || f.Min != n || *f.Max != n || got.EventType.Spans[0].End != 13 || got.DocumentID != doc.ID {
		t.Fatalf("round trip: %+v", got)
	}
	list, total, _ := s.FindClaims(ctx, vigil.ClaimFilter{DocumentID: doc.ID})
	if total != 2 || len(list) != 2 {
		t.Fatalf("total %d", total)
	}
	_, total, _ = s.FindClaims(ctx, vigil.ClaimFilter{EventType: vigil.EventShelling})
	if total != 1 {
		t.Fatalf("by type total %d", total)
	}
	// Re-extraction replaces, never duplicates.
	if err := s.ReplaceClaims(ctx, doc.ID, claims[:1]); err != nil {
		t.Fatal(err)
	}
	_, total, _ = s.FindClaims(ctx, vigil.ClaimFilter{DocumentID: doc.ID})
	if total != 1 {
		t.Fatalf("after replace total %d, want 1", total)
	}
	if err := s.ReplaceClaims(ctx, 9999, claims); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("claims for a missing document: kind %q", vigil.ErrorKind(err))
	}
}

func testPlaces(t *testing.T, s vigil.Store) {
	ctx := context.Background()
	lat, lon := 36.2, 37.15
	p := &vigil.Place{ID: "XX01", PCode: "XX01", Name: "Fictional Province", NameAR: "محافظة وهمية", Precision: vigil.PlaceGovernorate, Lat: &lat, Lon: &lon}
	if err := s.UpsertPlaces(ctx, []*vigil.Place{p}); err != nil {
		t.Fatal(err)
	}
	p.Variants = []string{"Fictional Prov."}
	if err := s.UpsertPlaces(ctx, []*vigil.Place{p}); err != nil {
		t.Fatal(err)
	}
	got, total, err := s.FindPlaces(ctx, vigil.PlaceFilter{PCode: "XX01"})
	if err != nil || total != 1 || len(got) != 1 {
		t.Fatalf("FindPlaces = %d, %v", total, err)
	}
	if got[0].NameAR != "محافظة وهمية" || len(got[0].Variants) != 1 || *got[0].Lat != lat || got[0].Precision != vigil.PlaceGovernorate {
		t.Fatalf("round trip: %+v", got[0])
	}
	if err := s.UpsertPlaces(ctx, []*vigil.Place{{Name: "no id"}}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatalf("place without id: kind %q", vigil.ErrorKind(err))
	}
}
