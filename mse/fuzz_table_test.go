package mse

import (
	"bytes"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

// FuzzReadTable: capture-history tables (ReadTable and ReadStratified).
// Any bytes either give a table whose patterns are distinct, increasing,
// within the lists and whose counts are positive, or an error; never a
// panic.
func FuzzReadTable(f *testing.F) {
	for _, s := range []string{
		"A,B,C\n1,0,0\n1,0,0\n0,1,1\n", "A,B,C,count\n0,0,0,NA\n1,1,0,4\n",
		"stratum,A,B,count\nx,1,0,3\ny,0,1,2\nx,1,1,1\n", "A;B\n1;1\n", "A,B,count\n1,1,99999999999999999999\n",
		"A,B,count\n1,0,-5\n", "A,B,count\n2,0,1\n", "\xef\xbb\xbfA,B\n1,0\n", "", "count\n3\n",
		strings.Repeat("L,", 70) + "count\n" + strings.Repeat("1,", 70) + "1\n",
	} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte("Region,A,B,count\nN,1,0,2\nS,0,1,3\n"), "Region")
	f.Fuzz(func(t *testing.T, data []byte, by string) {
		tb, err := ReadTable(bytes.NewReader(data), "t.csv")
		if err == nil {
			checkTable(t, tb)
		} else if k := vigil.ErrorKind(err); k != vigil.EINVALID && k != vigil.EINTERNAL {
			t.Fatalf("error kind %q: %v", k, err)
		}
		var cols []string
		if by != "" {
			cols = strings.Split(by, ",")
		}
		st, err := ReadStratified(bytes.NewReader(data), "t.csv", cols)
		if err != nil {
			return
		}
		for _, s := range st.Strata {
			checkTable(t, s.Table)
		}
		if st.Pooled != nil {
			checkTable(t, st.Pooled)
		}
	})
}

func checkTable(t *testing.T, tb *Table) {
	if tb == nil {
		t.Fatal("nil table without error")
	}
	if len(tb.Patterns) != len(tb.Counts) {
		t.Fatalf("%d patterns, %d counts", len(tb.Patterns), len(tb.Counts))
	}
	for i, p := range tb.Patterns {
		if i > 0 && p <= tb.Patterns[i-1] {
			t.Fatalf("patterns not increasing: %v", tb.Patterns)
		}
		if p == 0 || (len(tb.Lists) < 64 && p>>uint(len(tb.Lists)) != 0) {
			t.Fatalf("pattern %b with %d lists", p, len(tb.Lists))
		}
		if tb.Counts[i] <= 0 {
			t.Fatalf("count %d", tb.Counts[i])
		}
	}
}
