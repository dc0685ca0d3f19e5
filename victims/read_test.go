package victims

import (
	"testing"
	"time"
)

func TestRecordsRejectsWithLines(t *testing.T) {
	csv := "id;name;age;date;sex\n1;سامر النجار;34;2020-03-04;ذكر\n\n2;;5;;\n3;Lina Haddad;x;;f\n4;Karim Example;40;2031-01-01;m\n1;Dup Example;3;;m\n5;Omar Example;٤٠;04/03/2020;m\n"
	tb, err := ReadCSV("f.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	recs, rej, err := tb.Records(Mapping{}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1].Date != "2020-03-04" || *recs[1].Age != 40 {
		t.Fatalf("records = %+v", recs)
	}
	want := map[int]string{4: "full_name", 5: "age", 6: "date", 7: "record_id"}
	if len(rej) != len(want) {
		t.Fatalf("rejected = %+v", rej)
	}
	for _, r := range rej {
		if want[r.Line] != r.Field {
			t.Errorf("rejected line %d field %s, want %q", r.Line, r.Field, want[r.Line])
		}
	}
	if _, err := ParseMapping("a=nofield"); err == nil {
		t.Error("unknown target accepted")
	}
	if _, _, err := tb.Records(Mapping{"missing": "full_name"}, time.Now()); err == nil {
		t.Error("mapping of a missing column accepted")
	}
}
