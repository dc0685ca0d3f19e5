package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Actor is how a vigil actor key is named in ACLED and UCDP GED, with
// ACLED's interaction code (1 state forces, 2 rebel groups, 3 political
// militias, 4 identity militias, 7 civilians, 8 external/other forces).
type Actor struct {
	Key   string
	ACLED string
	Inter int
	UCDP  string
}

// Actors maps vigil's actor keys (package extract's lexicon) to the names
// ACLED and UCDP GED use for them.
var Actors = []Actor{
	{"syrian_government", "Military Forces of Syria (2000-2024)", 1, "Government of Syria"},
	{"russia", "Military Forces of Russia (2000-)", 8, "Government of Russia (Soviet Union)"},
	{"coalition", "Operation Inherent Resolve", 8, "Government of United States of America"},
	{"isis", "Islamic State (Syria)", 2, "IS"},
	{"opposition", "Opposition Rebels (Syria)", 2, "Syrian insurgents"},
	{"nusra", "Hayat Tahrir al Sham", 2, "HTS"},
	{"sdf", "QSD: Syrian Democratic Forces", 2, "SDF"},
	{"turkey", "Military Forces of Turkey (2016-)", 8, "Government of Turkey"},
	{"israel", "Military Forces of Israel (2022-)", 8, "Government of Israel"},
	{"hezbollah", "Hezbollah", 3, "Hezbollah"},
	{"iran", "Military Forces of Iran (1989-)", 8, "Government of Iran"},
}

func actorByKey(key string) Actor {
	for _, a := range Actors {
		if a.Key == key {
			return a
		}
	}
	return Actor{Key: key, ACLED: key, UCDP: key}
}

func actorByName(name string, ucdp bool) string {
	for _, a := range Actors {
		if (!ucdp && strings.EqualFold(a.ACLED, name)) || (ucdp && strings.EqualFold(a.UCDP, name)) {
			return a.Key
		}
	}
	return name
}

func firstActor(inc *vigil.Incident) (vigil.PerpetratorCandidate, bool) {
	for _, c := range inc.Attribution.Candidates {
		if c.Status != vigil.Denied {
			return c, true
		}
	}
	return vigil.PerpetratorCandidate{}, false
}

func civilianTargeting(inc *vigil.Incident) bool {
	if inc.EventType == vigil.EventAttackCivilians || inc.EventType == vigil.EventExecution {
		return true
	}
	// A civilian figure with a count, or an unknown count ("civilians
	// were among the dead"), marks civilians as targets; "0" does not.
	for _, c := range []vigil.Category{vigil.CatCivilians, vigil.CatChildren, vigil.CatWomen} {
		if f := fig(inc, vigil.Killed, c); f != nil && (f.Min > 0 || f.Max == nil) {
			return true
		}
	}
	return false
}

// ACLED's time_precision: 1 the day is known, 2 the week, 3 the month or less precise.
func acledTimePrecision(d vigil.FuzzyDate) int {
	switch d.Precision {
	case vigil.PrecisionTime, vigil.PrecisionDay:
		return 1
	case vigil.PrecisionWeek:
		return 2
	case vigil.PrecisionRange:
		if d.Latest.Sub(d.Earliest) <= 7*24*time.Hour {
			return 2
		}
	}
	return 3
}

// ACLED's geo_precision: 1 the town (or finer), 2 a part of a region near
// the town (district), 3 a larger region (governorate, country).
func acledGeoPrecision(p *vigil.Place) int {
	if p == nil {
		return 3
	}
	switch p.Precision {
	case vigil.PlaceExact, vigil.PlaceStreet, vigil.PlaceNeighbourhood, vigil.PlaceTown:
		return 1
	case vigil.PlaceDistrict:
		return 2
	}
	return 3
}

// ACLEDColumns is the column order of ACLED's data export.
var ACLEDColumns = []string{"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
	"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
	"iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
	"source", "source_scale", "notes", "fatalities", "tags", "timestamp"}

func itoaOr(n int, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.Itoa(n)
}

func acledRow(inc *vigil.Incident) []string {
	at, _ := inc.EventType.ACLED()
	m := map[string]string{
		"event_id_cnty": fmt.Sprintf("SYRV%d", inc.ID),
		"disorder_type": "Political violence",
		"event_type":    at.EventType, "sub_event_type": at.SubType,
		"iso": "760", "region": "Middle East", "country": "Syria",
		"geo_precision": strconv.Itoa(acledGeoPrecision(inc.Place)),
		"source":        strings.Join(sourceNames(inc), "; "),
		"source_scale":  "Other",
		"tags":          "",
	}
	if !inc.Date.IsZero() {
		m["event_date"] = day(inc.Date.Earliest)
		m["year"] = strconv.Itoa(inc.Date.Earliest.Year())
		m["time_precision"] = strconv.Itoa(acledTimePrecision(inc.Date))
	}
	inter1 := 0
	if c, ok := firstActor(inc); ok {
		a := actorByKey(c.Actor)
		m["actor1"], inter1 = a.ACLED, a.Inter
		var assoc []string
		for _, o := range inc.Attribution.Candidates[1:] {
			if o.Status != vigil.Denied && o.Actor != c.Actor {
				assoc = append(assoc, actorByKey(o.Actor).ACLED)
			}
		}
		m["assoc_actor_1"] = strings.Join(assoc, "; ")
	} else if inc.Attribution.Unidentified {
		m["actor1"] = "Unidentified Armed Group (Syria)"
		inter1 = 3
	}
	m["inter1"] = itoaOr(inter1, inter1 > 0)
	inter2 := 0
	if civilianTargeting(inc) {
		m["civilian_targeting"] = "Civilian targeting"
		m["actor2"], inter2 = "Civilians (Syria)", 7
	}
	m["inter2"] = itoaOr(inter2, inter2 > 0)
	if inter1 > 0 && inter2 > 0 {
		m["interaction"] = strconv.Itoa(min(inter1, inter2)*10 + max(inter1, inter2))
	} else if inter1 > 0 {
		m["interaction"] = strconv.Itoa(inter1 * 10)
	}
	m["admin1"], m["admin2"], m["admin3"] = admin(inc, 1, false), admin(inc, 2, false), admin(inc, 3, false)
	if inc.Place != nil {
		m["location"] = inc.Place.Name
		m["latitude"], m["longitude"] = coord(inc.Place.Lat), coord(inc.Place.Lon)
	}
	// ACLED records the most conservative figure.
	if f := fig(inc, vigil.Killed, vigil.CatTotal); f != nil {
		m["fatalities"] = strconv.Itoa(f.Min)
	} else {
		m["fatalities"] = "0"
	}
	m["notes"] = inc.Title
	if m["notes"] == "" {
		m["notes"] = acledNotes(inc)
	}
	if !inc.UpdatedAt.IsZero() {
		m["timestamp"] = strconv.FormatInt(inc.UpdatedAt.Unix(), 10)
	}
	row := make([]string, len(ACLEDColumns))
	for i, c := range ACLEDColumns {
		row[i] = safeCell(m[c])
	}
	return row
}

func rangeText(f *vigil.FigureRange) string {
	switch {
	case f.Max == nil:
		return fmt.Sprintf("at least %d", f.Min)
	case *f.Max == f.Min:
		return strconv.Itoa(f.Min)
	}
	return fmt.Sprintf("%d-%d", f.Min, *f.Max)
}

func acledNotes(inc *vigil.Incident) string {
	var b strings.Builder
	if !inc.Date.IsZero() {
		b.WriteString("On " + inc.Date.String() + ", ")
	}
	b.WriteString(inc.Title)
	if inc.Place != nil && inc.Place.Name != "" {
		b.WriteString(" in " + inc.Place.Name)
	}
	b.WriteString(".")
	for _, k := range []vigil.FigureKind{vigil.Killed, vigil.Injured} {
		if f := fig(inc, k, vigil.CatTotal); f != nil {
			b.WriteString(" " + rangeText(f) + " " + string(k) + ".")
		}
	}
	if inc.Grade != "" {
		b.WriteString(" vigil grade: " + string(inc.Grade) + ".")
	}
	return b.String()
}

func writeACLED(ctx context.Context, w io.Writer, src *Source) error {
	cw := csv.NewWriter(w)
	cw.Write(ACLEDColumns)
	err := src.Each(ctx, func(inc *vigil.Incident) error { return cw.Write(acledRow(inc)) })
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// UCDPColumns is the column order of UCDP GED's CSV.
var UCDPColumns = []string{"id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
	"conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id",
	"side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
	"source_date", "source_headline", "source_original", "where_prec", "where_coordinates", "where_description",
	"adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
	"event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
	"deaths_unknown", "best", "high", "low", "gwnoa", "gwnob"}

// UCDP's where_prec: 1 exact location, 2 within 25 km of a known point, 3
// second-order administrative division, 4 first-order division, 6 the country.
func ucdpWherePrec(p *vigil.Place) int {
	if p == nil {
		return 6
	}
	switch p.Precision {
	case vigil.PlaceExact, vigil.PlaceStreet, vigil.PlaceNeighbourhood, vigil.PlaceTown:
		return 1
	case vigil.PlaceDistrict:
		return 3
	case vigil.PlaceGovernorate:
		return 4
	}
	return 6
}

// UCDP's date_prec: 1 the day, 2 within 2-6 days, 3 the week, 4 within
// 8-30 days (the month), 5 more than a month.
func ucdpDatePrec(d vigil.FuzzyDate) int {
	switch d.Precision {
	case vigil.PrecisionTime, vigil.PrecisionDay:
		return 1
	case vigil.PrecisionWeek:
		return 3
	case vigil.PrecisionMonth:
		return 4
	case vigil.PrecisionYear:
		return 5
	}
	days := d.Latest.Sub(d.Earliest).Hours() / 24
	switch {
	case days <= 1:
		return 1
	case days <= 6:
		return 2
	case days <= 7:
		return 3
	case days <= 31:
		return 4
	}
	return 5
}

func ucdpRow(inc *vigil.Incident) []string {
	m := map[string]string{
		"id": strconv.FormatInt(inc.ID, 10), "relid": fmt.Sprintf("SYR-vigil-%d", inc.ID),
		"code_status": "Clear", "country": "Syria", "country_id": "652", "region": "Middle East",
		"where_prec": strconv.Itoa(ucdpWherePrec(inc.Place)), "event_clarity": "1",
		"number_of_sources": strconv.Itoa(len(sourceNames(inc))),
		"source_article":    strings.Join(sourceNames(inc), "; "),
		"source_headline":   inc.Title,
	}
	if !inc.Date.IsZero() {
		m["year"] = strconv.Itoa(inc.Date.Earliest.Year())
		m["date_start"], m["date_end"] = day(inc.Date.Earliest), day(inc.Date.Latest)
		m["date_prec"] = strconv.Itoa(ucdpDatePrec(inc.Date))
	}
	if inc.Date.IsZero() || ucdpDatePrec(inc.Date) > 1 || ucdpWherePrec(inc.Place) > 2 {
		m["event_clarity"] = "2" // low clarity: the date or the place is imprecise
	}
	civ := civilianTargeting(inc)
	m["type_of_violence"] = "1"
	if civ {
		m["type_of_violence"] = "3"
	}
	if c, ok := firstActor(inc); ok {
		m["side_a"] = actorByKey(c.Actor).UCDP
		if actorByKey(c.Actor).Inter == 2 && !civ {
			m["type_of_violence"] = "2"
		}
	}
	if civ {
		m["side_b"] = "Civilians"
	}
	if m["side_a"] != "" && m["side_b"] != "" {
		m["dyad_name"] = m["side_a"] + " - " + m["side_b"]
	}
	if inc.Place != nil {
		p := inc.Place
		m["where_coordinates"] = p.Name
		if g := p.Governorate(); g != nil {
			m["where_coordinates"] += " (" + g.Name + ")"
		}
		m["where_description"] = p.Name
		if g := admin(inc, 1, false); g != "" {
			m["adm_1"] = g + " governorate"
		}
		if d := admin(inc, 2, false); d != "" {
			m["adm_2"] = d + " district"
		}
		m["latitude"], m["longitude"] = coord(p.Lat), coord(p.Lon)
		if p.HasPoint() {
			m["geom_wkt"] = fmt.Sprintf("POINT (%s %s)", coord(p.Lon), coord(p.Lat))
		}
	}
	if f := fig(inc, vigil.Killed, vigil.CatTotal); f != nil {
		m["low"], m["best"] = strconv.Itoa(f.Min), strconv.Itoa(f.Min)
		if f.Max != nil {
			m["high"] = strconv.Itoa(*f.Max)
		}
	} else {
		m["low"], m["best"], m["high"] = "0", "0", "0"
	}
	if f := fig(inc, vigil.Killed, vigil.CatCivilians); f != nil {
		m["deaths_civilians"] = strconv.Itoa(f.Min)
	}
	row := make([]string, len(UCDPColumns))
	for i, c := range UCDPColumns {
		row[i] = safeCell(m[c])
	}
	return row
}

func writeUCDP(ctx context.Context, w io.Writer, src *Source) error {
	cw := csv.NewWriter(w)
	cw.Write(UCDPColumns)
	err := src.Each(ctx, func(inc *vigil.Incident) error { return cw.Write(ucdpRow(inc)) })
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}
