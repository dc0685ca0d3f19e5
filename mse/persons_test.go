package mse

import (
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

func TestPersonHistories(t *testing.T) {
	age := func(n int) *int { return &n }
	rec := func(list, date, place string, sex vigil.Sex, a *int) *vigil.VictimRecord {
		return &vigil.VictimRecord{List: list, Date: date, Place: place, Sex: sex, Age: a}
	}
	persons := []*vigil.Person{
		{Records: []*vigil.VictimRecord{rec("B", "2016-08-01", "Sakhour, Aleppo", vigil.SexUnknown, nil), rec("A", "", "", "male", age(12))}},
		{Records: []*vigil.VictimRecord{rec("C", "2017", "Douma, Rif Dimashq", "female", age(70))}},
		{Records: []*vigil.VictimRecord{rec("A", "2016", "Aleppo", "male", age(30)), rec("C", "", "", "", nil)}},
	}
	st, err := PersonHistories(persons, []string{"period", "age"})
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Pooled.N(); got != 3 || len(st.Lists) != 3 || st.Lists[0] != "A" {
		t.Fatalf("pooled: N %d, lists %v", got, st.Lists)
	}
	keys := map[string]int{}
	for _, s := range st.Strata {
		keys[s.Key] = s.Table.N()
	}
	want := map[string]int{"period=2016, age=child": 1, "period=2016, age=adult": 1, "period=2017, age=older": 1}
	for k, n := range want {
		if keys[k] != n {
			t.Errorf("stratum %q: %d people, want %d (strata %v)", k, keys[k], n, keys)
		}
	}
	if PersonStratum(persons[0], "governorate") != "Aleppo" || PersonStratum(persons[0], "sex") != "male" || PersonStratum(persons[1], "governorate") != "Rif Dimashq" {
		t.Error("stratum values")
	}
	if _, err := PersonHistories(persons, []string{"colour"}); err == nil {
		t.Error("unknown stratum accepted")
	}
	if _, err := PersonHistories(nil, nil); err != ErrNoPersons {
		t.Errorf("no persons: %v", err)
	}
}

// TestPersonHistoriesByPerpetrator: the perpetrator stratum is the first
// perpetrator among a person's records, case and spaces folded, "unknown"
// when none records one.
func TestPersonHistoriesByPerpetrator(t *testing.T) {
	rec := func(list, perp string) *vigil.VictimRecord { return &vigil.VictimRecord{List: list, Perpetrator: perp} }
	persons := []*vigil.Person{
		{Records: []*vigil.VictimRecord{rec("A", ""), rec("B", "Syrian  Government")}},
		{Records: []*vigil.VictimRecord{rec("B", "syrian government")}},
		{Records: []*vigil.VictimRecord{rec("A", "ISIS"), rec("C", "russia")}},
		{Records: []*vigil.VictimRecord{rec("C", "")}},
	}
	st, err := PersonHistories(persons, []string{"perpetrator"})
	if err != nil {
		t.Fatal(err)
	}
	assertStrata(t, st, map[string]int{"perpetrator=syrian government": 2, "perpetrator=isis": 1, "perpetrator=unknown": 1})
}

// assertStrata checks that st has exactly these strata with these numbers
// of people.
func assertStrata(t *testing.T, st *Stratified, want map[string]int) {
	t.Helper()
	keys := map[string]int{}
	for _, s := range st.Strata {
		keys[s.Key] = s.Table.N()
	}
	if len(keys) != len(want) {
		t.Errorf("strata %v, want %v", keys, want)
	}
	for k, n := range want {
		if keys[k] != n {
			t.Errorf("stratum %q: %d people, want %d (strata %v)", k, keys[k], n, keys)
		}
	}
}

// TestPersonHistoriesGovernorateResolver: with a resolver, the governorate
// stratum comes from it; a place it does not know falls back to the last
// comma-separated part.
func TestPersonHistoriesGovernorateResolver(t *testing.T) {
	rec := func(list, place string) *vigil.VictimRecord { return &vigil.VictimRecord{List: list, Place: place} }
	persons := []*vigil.Person{
		{Records: []*vigil.VictimRecord{rec("A", "Exampleville"), rec("B", "")}},
		{Records: []*vigil.VictimRecord{rec("B", "Nowhere, Northshire")}},
		{Records: []*vigil.VictimRecord{rec("C", "")}},
	}
	resolve := func(place string) string {
		if place == "Exampleville" {
			return "Southshire"
		}
		return ""
	}
	st, err := PersonHistoriesWith(persons, []string{"governorate"}, PersonOptions{Governorate: resolve})
	if err != nil {
		t.Fatal(err)
	}
	assertStrata(t, st, map[string]int{"governorate=Southshire": 1, "governorate=Northshire": 1, "governorate=unknown": 1})
}
