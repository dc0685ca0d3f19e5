package vigil_test

import (
	"encoding/json"
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

// FuzzParseFuzzyDate checks that any input either fails with an invalid
// error or parses to an ordered interval whose text form parses back to the
// same interval.
func FuzzParseFuzzyDate(f *testing.F) {
	for _, s := range []string{"2016-08-17", "2016-08", "2016", "2016-W33", "2016-08-17T19:30Z", "2016-08-10/2016-08-17", "2016-08-17 evening", "", "0000-00-00", "9999-W53", "2016-02-30", "a/b/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := vigil.ParseFuzzyDate(s)
		if err != nil {
			if vigil.ErrorKind(err) != vigil.EINVALID {
				t.Fatalf("%q: error kind %q", s, vigil.ErrorKind(err))
			}
			return
		}
		if d.IsZero() {
			return
		}
		if d.Latest.Before(d.Earliest) {
			t.Fatalf("%q: latest %v before earliest %v", s, d.Latest, d.Earliest)
		}
		back, err := vigil.ParseFuzzyDate(d.String())
		if err != nil {
			t.Fatalf("%q -> %q does not parse: %v", s, d.String(), err)
		}
		if back.String() != d.String() {
			t.Fatalf("%q -> %q -> %q", s, d.String(), back.String())
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatal(err)
		}
	})
}
