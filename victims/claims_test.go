package victims

import (
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

func TestFromClaims(t *testing.T) {
	age := 9
	day := vigil.FuzzyDate{Earliest: time.Date(2016, 8, 17, 0, 0, 0, 0, time.UTC), Latest: time.Date(2016, 8, 17, 23, 59, 0, 0, time.UTC), Precision: vigil.PrecisionDay}
	// fictional names
	claims := []*vigil.Claim{
		{ID: 2, DocumentID: 7, Date: vigil.Valued[vigil.FuzzyDate]{Value: day}, Victims: []vigil.Victim{{Name: "Lina Example", Age: &age, Status: vigil.Killed}}},
		{ID: 1, DocumentID: 7, Place: &vigil.Valued[vigil.Place]{Value: vigil.Place{Name: "Exampletown"}}, Victims: []vigil.Victim{{Name: "سامر مثال", Status: vigil.Injured}, {Status: vigil.Killed}}},
		{ID: 3, DocumentID: 7, Victims: []vigil.Victim{{Name: "Lina  Example", Status: vigil.Killed}}},
	}
	recs := FromClaims(claims)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2 (unnamed dropped, repeat merged): %+v", len(recs), recs)
	}
	if recs[0].RecordID != "7-1" || recs[0].FullName != "سامر مثال" || recs[0].Place != "Exampletown" || recs[0].Status != vigil.Injured {
		t.Errorf("first record %+v", recs[0])
	}
	r := recs[1]
	if r.RecordID != "7-2" || r.Date != "2016-08-17" || !r.Minor || r.Sensitivity != vigil.Restricted || r.DocumentID != 7 || r.List != DocumentsList {
		t.Errorf("second record %+v", r)
	}
}

// TestPerpetratorOfRecords: a list's perpetrator column (English or Arabic
// header) and a claim's attribution give the record's perpetrator.
func TestPerpetratorOfRecords(t *testing.T) {
	tb, err := ReadCSV("f.csv", []byte("id,name,الجهة المسؤولة\n1,Sami Example,قوات النظام\n2,Rana Example,\n"))
	if err != nil {
		t.Fatal(err)
	}
	recs, rej, err := tb.Records(Mapping{}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(rej) != 0 || len(recs) != 2 {
		t.Fatalf("records %+v, rejected %+v, err %v", recs, rej, err)
	}
	if recs[0].Perpetrator != "قوات النظام" || recs[1].Perpetrator != "" {
		t.Errorf("perpetrators %q, %q", recs[0].Perpetrator, recs[1].Perpetrator)
	}
	one := vigil.Attribution{Candidates: []vigil.PerpetratorCandidate{{Actor: "russia", Status: vigil.Alleged}, {Actor: "coalition", Status: vigil.Denied}}}
	two := vigil.Attribution{Candidates: []vigil.PerpetratorCandidate{{Actor: "russia", Status: vigil.Contested}, {Actor: "syrian_government", Status: vigil.Contested}}}
	for _, tc := range []struct {
		a    vigil.Attribution
		want string
	}{{one, "russia"}, {two, "contested"}, {vigil.Attribution{}, ""}} {
		claims := []*vigil.Claim{{ID: 1, DocumentID: 3, Attribution: tc.a, Victims: []vigil.Victim{{Name: "Rami Example", Status: vigil.Killed}}}}
		if got := FromClaims(claims); len(got) != 1 || got[0].Perpetrator != tc.want {
			t.Errorf("attribution %+v: records %+v, want perpetrator %q", tc.a, got, tc.want)
		}
	}
}
