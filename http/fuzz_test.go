package http

import (
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

// FuzzDecode: API request bodies. Any bytes decoded into each request type
// either succeed (exactly one JSON value, no unknown fields) or give an
// invalid error naming a field; never a panic.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"grade":"fair","reason":"two sources"}`, `{"state":"in_review"}`, `{"reason":"x"}`,
		`{"incidents":[2,3],"reason":"same"}`, `{"claims":[1],"reason":"two events"}`,
		`{"title":"<script>alert(1)</script>","event_type":"air_strike","date":"2016-08-17","reason":"'; DROP TABLE incidents; --"}`,
		`{"incidents":[1e400]}`, `{"claims":[99999999999999999999999]}`, `{"reason":1}`, `{"nope":1}`,
		`{"reason":"a"} {"reason":"b"}`, `{"reason":"a"} trailing`, `[]`, `null`, ``, "\x00",
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000), `{"reason":"\u0000\u202e\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range []any{&gradeBody{}, &reviewBody{}, &reasonBody{}, &mergeBody{}, &splitBody{}, &correctBody{}, &EstimateRequest{}} {
			err := decodeBytes(data, v)
			if err == nil {
				continue
			}
			if vigil.ErrorKind(err) != vigil.EINVALID || vigil.ErrorField(err) == "" || vigil.ErrorMessage(err) == "" {
				t.Fatalf("%T: error without kind, field or message: %v", v, err)
			}
		}
	})
}
