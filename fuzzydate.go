package vigil

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// DatePrecision is how precisely a date is known, from finest to coarsest.
type DatePrecision int

const (
	PrecisionUnknownDate DatePrecision = iota
	PrecisionTime                      // a time of day is known
	PrecisionDay
	PrecisionWeek
	PrecisionMonth
	PrecisionYear
	PrecisionRange // an arbitrary interval between Earliest and Latest
)

var datePrecisionNames = map[DatePrecision]string{
	PrecisionUnknownDate: "unknown",
	PrecisionTime:        "time",
	PrecisionDay:         "day",
	PrecisionWeek:        "week",
	PrecisionMonth:       "month",
	PrecisionYear:        "year",
	PrecisionRange:       "range",
}

func (p DatePrecision) String() string {
	if s, ok := datePrecisionNames[p]; ok {
		return s
	}
	return fmt.Sprintf("DatePrecision(%d)", int(p))
}

// ParseDatePrecision parses a precision name such as "day".
func ParseDatePrecision(s string) (DatePrecision, error) {
	for p, n := range datePrecisionNames {
		if n == s {
			return p, nil
		}
	}
	return 0, Errorf(EINVALID, "unknown date precision %q", s)
}

func (p DatePrecision) MarshalText() ([]byte, error) { return []byte(p.String()), nil }
func (p *DatePrecision) UnmarshalText(b []byte) error {
	v, err := ParseDatePrecision(string(b))
	*p = v
	return err
}

// FuzzyDate is a date known only to lie between Earliest and Latest
// (inclusive), with the precision at which it was stated. PartOfDay keeps a
// stated part of the day ("morning", "evening", "night") when the precision is
// a day; Earliest and Latest then bracket that part.
type FuzzyDate struct {
	Earliest  time.Time     `json:"earliest"`
	Latest    time.Time     `json:"latest"`
	Precision DatePrecision `json:"precision"`
	PartOfDay string        `json:"part_of_day,omitempty"`
}

// IsZero reports whether no date is known.
func (d FuzzyDate) IsZero() bool { return d.Earliest.IsZero() && d.Latest.IsZero() }

// Day returns a FuzzyDate for one whole calendar day in UTC.
func Day(y int, m time.Month, day int) FuzzyDate {
	start := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return FuzzyDate{Earliest: start, Latest: start.Add(24*time.Hour - time.Second), Precision: PrecisionDay}
}

// Month returns a FuzzyDate for one calendar month.
func Month(y int, m time.Month) FuzzyDate {
	start := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return FuzzyDate{Earliest: start, Latest: start.AddDate(0, 1, 0).Add(-time.Second), Precision: PrecisionMonth}
}

// Year returns a FuzzyDate for one calendar year.
func Year(y int) FuzzyDate {
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return FuzzyDate{Earliest: start, Latest: start.AddDate(1, 0, 0).Add(-time.Second), Precision: PrecisionYear}
}

// ISOWeek returns a FuzzyDate for an ISO 8601 week (Monday to Sunday).
func ISOWeek(y, w int) FuzzyDate {
	// 4 January is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	wd := int(jan4.Weekday())
	if wd == 0 {
		wd = 7
	}
	start := jan4.AddDate(0, 0, 1-wd+(w-1)*7)
	return FuzzyDate{Earliest: start, Latest: start.AddDate(0, 0, 7).Add(-time.Second), Precision: PrecisionWeek}
}

// Instant returns a FuzzyDate for a moment known to the minute.
func Instant(t time.Time) FuzzyDate {
	t = t.UTC().Truncate(time.Minute)
	return FuzzyDate{Earliest: t, Latest: t.Add(time.Minute - time.Second), Precision: PrecisionTime}
}

// Between returns a FuzzyDate for an interval of days.
func Between(a, b FuzzyDate) FuzzyDate {
	return FuzzyDate{Earliest: a.Earliest, Latest: b.Latest, Precision: PrecisionRange}
}

// WithPartOfDay narrows a day to a part of it: morning 05-12, afternoon 12-17,
// evening 17-21 (to midnight: reports say "evening" loosely), night 21-05 of
// the next day, dawn 04-07.
func (d FuzzyDate) WithPartOfDay(part string) FuzzyDate {
	if d.Precision != PrecisionDay {
		return d
	}
	day := d.Earliest
	h := func(x int) time.Time { return day.Add(time.Duration(x) * time.Hour) }
	switch part {
	case "morning":
		d.Earliest, d.Latest = h(5), h(12).Add(-time.Second)
	case "afternoon":
		d.Earliest, d.Latest = h(12), h(17).Add(-time.Second)
	case "evening":
		d.Earliest, d.Latest = h(17), h(24).Add(-time.Second)
	case "night":
		d.Earliest, d.Latest = h(21), h(29).Add(-time.Second)
	case "dawn":
		d.Earliest, d.Latest = h(4), h(7).Add(-time.Second)
	default:
		return d
	}
	d.PartOfDay = part
	return d
}

// Overlaps reports whether two fuzzy dates can refer to the same moment.
func (d FuzzyDate) Overlaps(o FuzzyDate) bool {
	if d.IsZero() || o.IsZero() {
		return true
	}
	return !d.Latest.Before(o.Earliest) && !o.Latest.Before(d.Earliest)
}

// String returns the ISO 8601 / EDTF text form: "2016-08-17",
// "2016-08-17T19:30Z", "2016-W33", "2016-08", "2016", or an interval
// "2016-08-10/2016-08-17". An unknown date is "".
func (d FuzzyDate) String() string {
	if d.IsZero() {
		return ""
	}
	switch d.Precision {
	case PrecisionTime:
		return d.Earliest.UTC().Format("2006-01-02T15:04Z")
	case PrecisionDay:
		return d.Earliest.Format("2006-01-02")
	case PrecisionWeek:
		y, w := d.Earliest.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case PrecisionMonth:
		return d.Earliest.Format("2006-01")
	case PrecisionYear:
		return d.Earliest.Format("2006")
	default:
		return d.Earliest.Format("2006-01-02") + "/" + d.Latest.Format("2006-01-02")
	}
}

// ParseFuzzyDate parses the text forms String produces, plus RFC 3339
// timestamps. A day may carry a part of day after a space: "2016-08-17 evening".
// Dates must lie within the years 1 to 9999.
func ParseFuzzyDate(s string) (FuzzyDate, error) {
	d, err := parseFuzzyDate(s)
	if err != nil || d.IsZero() {
		return d, err
	}
	if d.Earliest.Year() < 1 || d.Latest.Year() > 9999 {
		return FuzzyDate{}, Errorf(EINVALID, "date %q is outside the years 1 to 9999", strings.TrimSpace(s))
	}
	return d, nil
}

func parseFuzzyDate(s string) (FuzzyDate, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return FuzzyDate{}, nil
	}
	if a, b, ok := strings.Cut(s, "/"); ok {
		da, err := ParseFuzzyDate(a)
		if err != nil {
			return FuzzyDate{}, err
		}
		db, err := ParseFuzzyDate(b)
		if err != nil {
			return FuzzyDate{}, err
		}
		if db.Latest.Before(da.Earliest) {
			return FuzzyDate{}, Errorf(EINVALID, "date interval %q ends before it starts", s)
		}
		return Between(da, db), nil
	}
	if day, part, ok := strings.Cut(s, " "); ok {
		d, err := ParseFuzzyDate(day)
		if err != nil || d.Precision != PrecisionDay {
			return FuzzyDate{}, Errorf(EINVALID, "invalid date %q", s)
		}
		r := d.WithPartOfDay(part)
		if r.PartOfDay == "" {
			return FuzzyDate{}, Errorf(EINVALID, "invalid part of day %q in date %q", part, s)
		}
		return r, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return Instant(t), nil
	}
	if t, err := time.Parse("2006-01-02T15:04Z07:00", s); err == nil {
		return Instant(t), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return Day(t.Year(), t.Month(), t.Day()), nil
	}
	var y, w int
	if n, err := fmt.Sscanf(s, "%4d-W%2d", &y, &w); err == nil && n == 2 && len(s) == 8 {
		d := ISOWeek(y, w)
		if gy, gw := d.Earliest.ISOWeek(); w < 1 || gy != y || gw != w {
			return FuzzyDate{}, Errorf(EINVALID, "invalid ISO week in %q: %d has no week %d", s, y, w)
		}
		return d, nil
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		return Month(t.Year(), t.Month()), nil
	}
	if t, err := time.Parse("2006", s); err == nil {
		return Year(t.Year()), nil
	}
	return FuzzyDate{}, Errorf(EINVALID, "invalid date %q: want ISO 8601 such as 2016-08-17, 2016-08, 2016, 2016-W33 or an interval a/b", s)
}

// MarshalJSON writes the structured form plus the EDTF text.
func (d FuzzyDate) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	type plain FuzzyDate
	return json.Marshal(struct {
		plain
		EDTF string `json:"edtf"`
	}{plain(d), d.String()})
}

// UnmarshalJSON accepts either the structured form or an EDTF string.
func (d *FuzzyDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = FuzzyDate{}
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := ParseFuzzyDate(s)
		*d = v
		return err
	}
	type plain FuzzyDate
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = FuzzyDate(p)
	return nil
}
