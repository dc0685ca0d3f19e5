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
