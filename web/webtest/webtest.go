// Package webtest builds fictional stores for the web and export tests and
// benchmarks: a small fixture with users, documents, claims with spans and
// restricted values, and a seeded generator of many incidents.
package webtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
	"github.com/vigil-rec/vigil/blob"
	"github.com/vigil-rec/vigil/review"
	"github.com/vigil-rec/vigil/sqlite"
)

// Restricted values that must never reach the public. All are fictional.
const (
	MinorName      = "Fictional Minor Layla Exampleson"
	AnonSourceName = "Fictional Informant Omar Placeholder"
	ReviewerReason = "reviewer-only note: the second witness XQZ-7731 is unreliable"
	VictimDetail   = "restricted detail: home address 12 Example Lane"
)

// Password is every fixture user's password.
const Password = "correct horse battery"

// Fixture is a fictional store for tests.
type Fixture struct {
	Dir   string
	DB    *sqlite.DB
	Blobs *blob.Store
	Svc   *review.Service
	Auth  *auth.Authenticator
	Users map[string]*vigil.User // viewer, analyst, reviewer, reviewer2, admin

	// Aleppo is the published example incident (a hospital strike in
	// Aleppo); Draft an unpublished one; Dup a possible duplicate of Draft.
	Aleppo, Draft, Dup *vigil.Incident
	Doc, Doc2          *vigil.Document
	Claims             []*vigil.Claim
}

// AleppoText is the fixture's source document (fictional).
const AleppoText = "A barrel bomb dropped by a helicopter damaged a clinic in the Sakhour neighbourhood of Aleppo on 19 May 2016, " +
	"the Example Health Directorate said. Three patients were killed and nine people were injured. " +
	"Among the injured was " + MinorName + ", aged 9. " +
	"A local resident, " + AnonSourceName + ", who asked not to be named publicly, said the helicopter came from the south. " +
	"Syrian government forces were blamed by the directorate."

// ArabicText is a second, Arabic source document (fictional).
const ArabicText = "قصفت طائرة مروحية عيادة في حي الصاخور في حلب يوم 19 أيار 2016، ما أدى إلى مقتل أربعة مرضى وإصابة عشرة أشخاص."

func span(text, sub string) vigil.Span {
	i := strings.Index(text, sub)
	if i < 0 {
		panic("webtest: " + sub + " not in text")
	}
	return vigil.Span{Start: i, End: i + len(sub), Text: sub}
}

func sha(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }

// Open opens an empty store in dir.
func Open(tb testing.TB, dir string) (*sqlite.DB, *blob.Store) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "vigil.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	blobs, err := blob.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		tb.Fatal(err)
	}
	return db, blobs
}

// AddDocument stores a fictional document with its blob.
func AddDocument(tb testing.TB, db vigil.Store, blobs vigil.BlobStore, title, publisher, lang, text string, published vigil.FuzzyDate) *vigil.Document {
	tb.Helper()
	ctx := context.Background()
	if _, err := blobs.Put(ctx, []byte(text)); err != nil {
		tb.Fatal(err)
	}
	d := &vigil.Document{SHA256: sha(text), Size: int64(len(text)), MediaType: "text/plain; charset=utf-8", Filename: "fictional.txt",
		Title: title, Publisher: publisher, Language: lang, Published: &published, Text: text,
		Captured: time.Date(2016, 5, 21, 8, 0, 0, 0, time.UTC), Kind: "news article"}
	stored, _, err := db.CreateDocument(ctx, d, &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "fixture", SHA256: d.SHA256})
	if err != nil {
		tb.Fatal(err)
	}
	return stored
}

func ptr[T any](v T) *T { return &v }

// AleppoPlace is the Sakhour neighbourhood of Aleppo.
func AleppoPlace() *vigil.Place {
	return &vigil.Place{ID: "sakhour", Name: "Sakhour", NameAR: "الصاخور", Precision: vigil.PlaceNeighbourhood, Lat: ptr(36.2140), Lon: ptr(37.1830),
		Admin: []vigil.AdminUnit{{Level: 0, Name: "Syria", NameAR: "سوريا", PCode: "SY"}, {Level: 1, Name: "Aleppo", NameAR: "حلب", PCode: "SY02"},
			{Level: 2, Name: "Jebel Saman", NameAR: "جبل سمعان", PCode: "SY0200"}, {Level: 4, Name: "Aleppo", NameAR: "حلب"}}}
}

// New builds the fixture in a temporary directory.
func New(tb testing.TB) *Fixture {
	tb.Helper()
	ctx := context.Background()
	f := &Fixture{Dir: tb.TempDir(), Users: map[string]*vigil.User{}}
	f.DB, f.Blobs = Open(tb, f.Dir)
	f.Svc = &review.Service{Store: f.DB}
	f.Auth = &auth.Authenticator{Users: f.DB}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		tb.Fatal(err)
	}
	for name, role := range map[string]vigil.Role{"viewer": vigil.RoleViewer, "analyst": vigil.RoleAnalyst, "reviewer": vigil.RoleReviewer, "reviewer2": vigil.RoleReviewer, "admin": vigil.RoleAdmin} {
		u := &vigil.User{Username: name, Role: role, PasswordHash: hash}
		if err := f.DB.CreateUser(ctx, u); err != nil {
			tb.Fatal(err)
		}
		f.Users[name] = u
	}
	t := AleppoText
	f.Doc = AddDocument(tb, f.DB, f.Blobs, "Clinic in Aleppo's Sakhour district damaged (fictional example)", "Example Daily", "en", t, vigil.Day(2016, 5, 20))
	f.Doc2 = AddDocument(tb, f.DB, f.Blobs, "قصف عيادة في حلب (مثال خيالي)", "Example Arabic Monitor", "ar", ArabicText, vigil.Day(2016, 5, 19))
	three, nine, four, ten := 3, 9, 4, 10
	c1 := &vigil.Claim{Index: 0, Extractor: "fixture",
		EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike, Spans: []vigil.Span{span(t, "barrel bomb dropped by a helicopter")}},
		Date:      vigil.Valued[vigil.FuzzyDate]{Value: vigil.Day(2016, 5, 19), Spans: []vigil.Span{span(t, "19 May 2016")}},
		Place:     &vigil.Valued[vigil.Place]{Value: *AleppoPlace(), Spans: []vigil.Span{span(t, "Sakhour neighbourhood of Aleppo")}},
		Attribution: vigil.Attribution{Candidates: []vigil.PerpetratorCandidate{{Actor: "syrian_government", Label: "Syrian government forces", Status: vigil.Alleged,
			AllegedBy: []string{"Example Daily"}, Spans: []vigil.Span{span(t, "Syrian government forces")}}}},
		Figures: []vigil.Figure{
			{Kind: vigil.Killed, Category: vigil.CatTotal, Min: 3, Max: &three, Qualifier: vigil.QualExact, Spans: []vigil.Span{span(t, "Three patients were killed")}},
			{Kind: vigil.Injured, Category: vigil.CatTotal, Min: 9, Max: &nine, Qualifier: vigil.QualExact, Spans: []vigil.Span{span(t, "nine people were injured")}},
		},
		Facilities: []vigil.Facility{{Type: vigil.FacilityHealth, Name: "clinic", Role: "hit", Spans: []vigil.Span{span(t, "a clinic")}}},
		Victims: []vigil.Victim{{Name: MinorName, Age: ptr(9), AgeGroup: "child", Status: vigil.Injured, Minor: true, Sensitivity: vigil.Restricted,
			Detail: VictimDetail, Spans: []vigil.Span{span(t, MinorName+", aged 9")}}},
		Sources: []vigil.Source{
			{Name: "Example Health Directorate", Type: vigil.SourceMedical, Sensitivity: vigil.Public, Spans: []vigil.Span{span(t, "Example Health Directorate")}},
			{Name: AnonSourceName, Type: vigil.SourceWitness, Anonymous: true, Sensitivity: vigil.Restricted, Description: "local resident", Spans: []vigil.Span{span(t, AnonSourceName)}},
		},
	}
	if err := f.DB.ReplaceClaims(ctx, f.Doc.ID, []*vigil.Claim{c1}); err != nil {
		tb.Fatal(err)
	}
	a := ArabicText
	c2 := &vigil.Claim{Index: 0, Extractor: "fixture",
		EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike, Spans: []vigil.Span{span(a, "طائرة مروحية")}},
		Date:      vigil.Valued[vigil.FuzzyDate]{Value: vigil.Day(2016, 5, 19), Spans: []vigil.Span{span(a, "19 أيار 2016")}},
		Place:     &vigil.Valued[vigil.Place]{Value: *AleppoPlace(), Spans: []vigil.Span{span(a, "حي الصاخور في حلب")}},
		Figures: []vigil.Figure{
			{Kind: vigil.Killed, Category: vigil.CatTotal, Min: 4, Max: &four, Qualifier: vigil.QualExact, Spans: []vigil.Span{span(a, "مقتل أربعة مرضى")}},
			{Kind: vigil.Injured, Category: vigil.CatTotal, Min: 10, Max: &ten, Qualifier: vigil.QualExact, Spans: []vigil.Span{span(a, "إصابة عشرة أشخاص")}},
		},
	}
	if err := f.DB.ReplaceClaims(ctx, f.Doc2.ID, []*vigil.Claim{c2}); err != nil {
		tb.Fatal(err)
	}
	f.Claims = []*vigil.Claim{c1, c2}

	inc := &vigil.Incident{Title: "Barrel bomb damages clinic in Sakhour, Aleppo (fictional)", EventType: vigil.EventAirStrike,
		Date: vigil.Day(2016, 5, 19), Place: AleppoPlace(),
		Figures: []vigil.FigureRange{
			{Kind: vigil.Killed, Category: vigil.CatTotal, Min: 3, Max: &four, MinSources: []string{"Example Daily"}, MaxSources: []string{"Example Arabic Monitor"},
				BySource: []vigil.SourcedFigure{{Figure: c1.Figures[0], ClaimID: c1.ID, DocumentID: f.Doc.ID, Source: "Example Daily"}, {Figure: c2.Figures[0], ClaimID: c2.ID, DocumentID: f.Doc2.ID, Source: "Example Arabic Monitor"}}},
			{Kind: vigil.Injured, Category: vigil.CatTotal, Min: 9, Max: &ten, MinSources: []string{"Example Daily"}, MaxSources: []string{"Example Arabic Monitor"},
				BySource: []vigil.SourcedFigure{{Figure: c1.Figures[1], ClaimID: c1.ID, DocumentID: f.Doc.ID, Source: "Example Daily"}, {Figure: c2.Figures[1], ClaimID: c2.ID, DocumentID: f.Doc2.ID, Source: "Example Arabic Monitor"}}},
			{Kind: vigil.Injured, Category: vigil.CatChildren, Min: 1, Max: ptr(1), MinSources: []string{"Example Daily"}, MaxSources: []string{"Example Daily"}},
		},
		Attribution:   vigil.Attribution{Candidates: []vigil.PerpetratorCandidate{{Actor: "syrian_government", Label: "Syrian government forces", Status: vigil.Alleged, AllegedBy: []string{"Example Daily"}}}},
		Facilities:    []vigil.Facility{{Type: vigil.FacilityHealth, Name: "clinic", Role: "hit"}},
		ProposedGrade: vigil.GradeFair, ProposedRationale: "two independent sources agree on the event; figures differ by one",
		ClaimIDs: []int64{c1.ID, c2.ID}, DocumentIDs: []int64{f.Doc.ID, f.Doc2.ID},
		Sources: append([]vigil.Source{{Name: "Example Daily", Type: vigil.SourceMedia, Sensitivity: vigil.Public}, {Name: "Example Arabic Monitor", Type: vigil.SourceNGO, Sensitivity: vigil.Public}}, c1.Sources...),
		Victims: c1.Victims,
	}
	for i := range inc.Sources {
		inc.Sources[i].Spans = nil
	}
	if err := f.DB.CreateIncident(ctx, inc, &vigil.AuditEntry{Actor: "vigil resolve"}); err != nil {
		tb.Fatal(err)
	}
	for _, c := range f.Claims {
		if err := f.DB.PlaceClaim(ctx, &vigil.MatchDecision{ClaimID: c.ID, IncidentID: inc.ID, Outcome: vigil.MatchJoined, Score: 0.9, DecidedBy: "vigil resolve"}); err != nil {
			tb.Fatal(err)
		}
	}
	// Through the workflow: a reviewer grades with a private reason, another publishes.
	must := func(_ *vigil.Incident, err error) {
		if err != nil {
			tb.Helper()
			tb.Fatal(err)
		}
	}
	must(f.Svc.Transition(ctx, f.Users["analyst"], inc.ID, vigil.ReviewInReview, ""))
	must(f.Svc.Grade(ctx, f.Users["reviewer"], inc.ID, vigil.GradeConfirmed, ReviewerReason))
	must(f.Svc.Transition(ctx, f.Users["reviewer"], inc.ID, vigil.ReviewVerified, ReviewerReason))
	must(f.Svc.Transition(ctx, f.Users["reviewer2"], inc.ID, vigil.ReviewPublished, "published after review"))
	if f.Aleppo, err = f.DB.FindIncidentByID(ctx, inc.ID); err != nil {
		tb.Fatal(err)
	}

	draft := &vigil.Incident{Title: "Shelling of a market in Douma (fictional, unpublished)", EventType: vigil.EventShelling, Date: vigil.Day(2016, 6, 2),
		Place: &vigil.Place{Name: "Douma", NameAR: "دوما", Precision: vigil.PlaceTown, Lat: ptr(33.5711), Lon: ptr(36.4020),
			Admin: []vigil.AdminUnit{{Level: 0, Name: "Syria", PCode: "SY"}, {Level: 1, Name: "Rural Damascus", NameAR: "ريف دمشق", PCode: "SY03"}}},
		Figures:     []vigil.FigureRange{{Kind: vigil.Killed, Category: vigil.CatTotal, Min: 5, Max: nil, MinSources: []string{"Example Wire"}}},
		Attribution: vigil.Attribution{Unidentified: true}, Facilities: []vigil.Facility{{Type: vigil.FacilityMarket}},
		Victims: []vigil.Victim{{Name: MinorName, Minor: true, Status: vigil.Killed, Sensitivity: vigil.Restricted}},
	}
	if err := f.DB.CreateIncident(ctx, draft, &vigil.AuditEntry{Actor: "vigil resolve"}); err != nil {
		tb.Fatal(err)
	}
	dup := &vigil.Incident{Title: "Market shelled in Douma (fictional, possible duplicate)", EventType: vigil.EventShelling, Date: vigil.Day(2016, 6, 2),
		Place: draft.Place, Figures: []vigil.FigureRange{{Kind: vigil.Killed, Category: vigil.CatTotal, Min: 6, Max: ptr(7)}}, PossibleDuplicates: []int64{draft.ID}}
	if err := f.DB.CreateIncident(ctx, dup, &vigil.AuditEntry{Actor: "vigil resolve"}); err != nil {
		tb.Fatal(err)
	}
	f.Draft, f.Dup = draft, dup
	return f
}
