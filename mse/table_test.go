package mse

import (
	"errors"
	"strings"
	"testing"
)

func TestReadTableShared(t *testing.T) {
	tb := loadTable(t, "kosovo_1999_4lists.csv")
	if tb.J() != 4 || tb.N() != 4400 {
		t.Fatalf("kosovo: J=%d n=%d, want 4 and 4400", tb.J(), tb.N())
	}
	if got := strings.Join(tb.Lists, ","); got != "EXH,ABA,OSCE,HRW" {
		t.Errorf("lists = %s", got)
	}
	// EXH (bit 0) and ABA (bit 1) only: the CSV row 1,1,0,0.
	if tb.Count(0b0011) == 0 {
		t.Errorf("pattern EXH+ABA missing")
	}
	co := loadTable(t, "colombia_verdata_reclutamiento_R1_hombre_1999_20lists.csv")
	if co.J() != 20 || co.N() != 982 || len(co.Patterns) != 103 {
		t.Errorf("colombia: J=%d n=%d cells=%d, want 20, 982, 103", co.J(), co.N(), len(co.Patterns))
	}
	// conting's covariate-free table with NA placeholders is not present;
	// the pooled tables read fine.
	sp := loadTable(t, "conting_spina_3lists_pooled.csv")
	if sp.N() != 621 {
		t.Errorf("spina pooled n=%d, want 621", sp.N())
	}
}

func TestReadTableErrors(t *testing.T) {
	cases := []struct {
		in         string
		line, col  int
		msgContain string
	}{
		{"A,B,C,count\n1,0,0,5\n0,2,0,3\n", 3, 2, "0 or 1"},
		{"A,B,C,count\n1,0,0,5\n0,1,0,-3\n", 3, 4, "negative"},
		{"A,B,C,count\n1,0,0,5\n0,0,0,7\n", 3, 0, "no list"},
		{"A,B,C,count\n1,0,0,5\n0,1\n", 3, 0, "fields"},
		{"A,B,C,count\n1,0,0,x\n", 2, 4, "whole number"},
		{"A,A,count\n1,0,5\n", 1, 2, "duplicate"},
		{"count\n5\n", 1, 0, "no list columns"},
	}
	for _, c := range cases {
		_, err := ReadTable(strings.NewReader(c.in), "t.csv")
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v, want ParseError", c.in, err)
			continue
		}
		if pe.Line != c.line || pe.Column != c.col || !strings.Contains(pe.Error(), c.msgContain) {
			t.Errorf("%q: got line %d col %d %q; want line %d col %d containing %q", c.in, pe.Line, pe.Column, pe.Error(), c.line, c.col, c.msgContain)
		}
	}
}

func TestReadTableIndividualRowsAndPlaceholder(t *testing.T) {
	tb, err := ReadTable(strings.NewReader("A,B,C\n1,0,0\n1,0,0\n0,1,1\n"), "rows")
	if err != nil {
		t.Fatal(err)
	}
	if tb.N() != 3 || tb.Count(0b001) != 2 || tb.Count(0b110) != 1 {
		t.Errorf("individual rows: n=%d counts %d %d", tb.N(), tb.Count(1), tb.Count(6))
	}
	tb, err = ReadTable(strings.NewReader("A,B,C,count\n0,0,0,NA\n1,1,0,4\n"), "na")
	if err != nil || tb.N() != 4 {
		t.Fatalf("NA placeholder: %v n=%v", err, tb)
	}
}

func TestDropListsAndEstimability(t *testing.T) {
	tb, err := ReadTable(strings.NewReader("A,B,C,D,count\n1,0,0,0,5\n0,1,0,0,4\n1,1,0,0,2\n0,0,1,0,3\n0,1,1,0,1\n"), "d")
	if err != nil {
		t.Fatal(err)
	}
	kept, dropped, lost := tb.DropLists(1)
	if strings.Join(dropped, ",") != "D" || kept.J() != 3 || kept.N() != 15 || lost != 0 {
		t.Fatalf("dropped %v, kept J=%d n=%d lost %d", dropped, kept.J(), kept.N(), lost)
	}
	if e := kept.CheckEstimable(); !e.Estimable {
		t.Errorf("3 lists should be estimable: %+v", e)
	}
	two, _ := ReadTable(strings.NewReader("A,B,C,count\n1,0,0,5\n0,1,0,4\n1,1,0,2\n"), "two")
	k2, _, _ := two.DropLists(1)
	e := k2.CheckEstimable()
	if e.Estimable || !e.TwoLists || !strings.Contains(e.Reason, "at least 3") {
		t.Errorf("two lists: %+v", e)
	}
	one, _ := ReadTable(strings.NewReader("A,B,C,count\n1,0,0,5\n"), "one")
	if e := one.CheckEstimable(); e.Estimable || e.TwoLists || e.Reason == "" {
		t.Errorf("one list: %+v", e)
	}
}
