package vigil_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

func TestFuzzyDateRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		in        string
		precision vigil.DatePrecision
		earliest  string
		latest    string
	}{
		{"2016-08-17", vigil.PrecisionDay, "2016-08-17T00:00:00Z", "2016-08-17T23:59:59Z"},
		{"2016-08", vigil.PrecisionMonth, "2016-08-01T00:00:00Z", "2016-08-31T23:59:59Z"},
		{"2016", vigil.PrecisionYear, "2016-01-01T00:00:00Z", "2016-12-31T23:59:59Z"},
		{"2016-W33", vigil.PrecisionWeek, "2016-08-15T00:00:00Z", "2016-08-21T23:59:59Z"},
		{"2016-08-17T19:30Z", vigil.PrecisionTime, "2016-08-17T19:30:00Z", "2016-08-17T19:30:59Z"},
		{"2016-08-10/2016-08-17", vigil.PrecisionRange, "2016-08-10T00:00:00Z", "2016-08-17T23:59:59Z"},
	} {
		d, err := vigil.ParseFuzzyDate(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if d.Precision != tc.precision || d.Earliest.Format(time.RFC3339) != tc.earliest || d.Latest.Format(time.RFC3339) != tc.latest {
			t.Errorf("%s: got %v %s..%s", tc.in, d.Precision, d.Earliest.Format(time.RFC3339), d.Latest.Format(time.RFC3339))
		}
		if d.String() != tc.in {
			t.Errorf("%s: String() = %q", tc.in, d.String())
		}
		b, _ := json.Marshal(d)
		var back vigil.FuzzyDate
		if err := json.Unmarshal(b, &back); err != nil || back.String() != tc.in || !back.Earliest.Equal(d.Earliest) {
			t.Errorf("%s: JSON round trip %s -> %v (%v)", tc.in, b, back, err)
		}
	}
}

func TestFuzzyDatePartOfDay(t *testing.T) {
	d, err := vigil.ParseFuzzyDate("2016-08-17 evening")
	if err != nil {
		t.Fatal(err)
	}
	if d.Precision != vigil.PrecisionDay || d.PartOfDay != "evening" || d.Earliest.Hour() != 17 || d.String() != "2016-08-17" {
		t.Fatalf("got %+v", d)
	}
	if !d.Overlaps(vigil.Day(2016, 8, 17)) || d.Overlaps(vigil.Day(2016, 8, 16)) {
		t.Fatal("overlap wrong")
	}
}

func TestFuzzyDateErrors(t *testing.T) {
	for _, in := range []string{"17/08/2016", "2016-13-01", "2016-W60", "2016-08-20/2016-08-01", "2016-08-17 teatime", "yesterday"} {
		if _, err := vigil.ParseFuzzyDate(in); vigil.ErrorKind(err) != vigil.EINVALID {
			t.Errorf("%q: err %v, want invalid", in, err)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", vigil.FieldErrorf(vigil.ENOTFOUND, "id", "document %d not found", 4))
	if vigil.ErrorKind(err) != vigil.ENOTFOUND || vigil.ErrorField(err) != "id" || vigil.ErrorMessage(err) != "id: document 4 not found" {
		t.Fatalf("kind %q field %q message %q", vigil.ErrorKind(err), vigil.ErrorField(err), vigil.ErrorMessage(err))
	}
	plain := errors.New("disk on fire at /secret/path")
	if vigil.ErrorKind(plain) != vigil.EINTERNAL || vigil.ErrorMessage(plain) != "internal error" {
		t.Fatal("internal errors must not leak their text")
	}
	if vigil.ErrorKind(nil) != "" {
		t.Fatal("nil error has a kind")
	}
}

func TestAttributionStatus(t *testing.T) {
	a := vigil.Attribution{Candidates: []vigil.PerpetratorCandidate{{Actor: "russia"}, {Actor: "syrian_government"}}}
	a.DeriveStatus()
	for _, c := range a.Candidates {
		if c.Status != vigil.Contested {
			t.Fatalf("%s: %s, want contested", c.Actor, c.Status)
		}
	}
	one := vigil.Attribution{Candidates: []vigil.PerpetratorCandidate{{Actor: "russia"}, {Actor: "x", Status: vigil.Denied}}}
	one.DeriveStatus()
	if one.Candidates[0].Status != vigil.Alleged || one.Candidates[1].Status != vigil.Denied {
		t.Fatalf("got %+v", one.Candidates)
	}
}

func TestFigure(t *testing.T) {
	f := vigil.Exact(vigil.Injured, vigil.CatChildren, 5)
	if f.String() != "5" || f.Validate() != nil {
		t.Fatal(f)
	}
	f.Max = nil
	if f.String() != "5+" {
		t.Fatal(f.String())
	}
	m := 3
	f.Max = &m
	if vigil.ErrorKind(f.Validate()) != vigil.EINVALID {
		t.Fatal("max below min accepted")
	}
}

func TestPrecisionLadder(t *testing.T) {
	if !vigil.PlaceNeighbourhood.FinerThan(vigil.PlaceTown) || vigil.PlaceCountry.FinerThan(vigil.PlaceGovernorate) || vigil.PlaceUnknown.FinerThan(vigil.PlaceCountry) {
		t.Fatal("ladder order wrong")
	}
	for _, et := range vigil.EventTypes() {
		if _, ok := et.ACLED(); !ok {
			t.Fatalf("%s has no ACLED mapping", et)
		}
	}
}

func TestCustodyChainVerification(t *testing.T) {
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []*vigil.CustodyEvent
	prev := ""
	for i := 1; i <= 3; i++ {
		ev := &vigil.CustodyEvent{ID: int64(i), DocumentID: 1, Action: vigil.CustodyIngested, Actor: "t", At: at, SHA256: "aa"}
		ev.PrevHash, ev.Hash = prev, ev.ComputeHash(prev)
		prev = ev.Hash
		evs = append(evs, ev)
	}
	docs := map[int64]string{1: "aa", 2: "bb"}
	p := vigil.VerifyCustodyChain(evs, docs, vigil.ChainHead{})
	if len(p) != 1 || p[0].Where != "document 2" {
		t.Fatalf("want only 'document 2 has no ingest event', got %v", p)
	}
	head := vigil.ChainHead{Hash: evs[2].Hash, Entries: 3}
	if p := vigil.VerifyCustodyChain(evs, map[int64]string{1: "aa"}, head); len(p) != 0 {
		t.Fatalf("matching head: %v", p)
	}
	if p := vigil.VerifyCustodyChain(evs[:2], map[int64]string{1: "aa"}, head); len(p) != 1 || p[0].Where != "custody log head" {
		t.Fatalf("newest entry removed, want a head problem: %v", p)
	}
	evs[1].Detail = "edited"
	p = vigil.VerifyCustodyChain(evs, map[int64]string{1: "aa"}, vigil.ChainHead{})
	if len(p) != 1 || p[0].Where != "custody event 2 (document 1, ingested)" {
		t.Fatalf("edit not found: %v", p)
	}
}
