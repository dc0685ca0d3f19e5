package export

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Column is one column of the flat exports (CSV, HXL, XLSX, GeoJSON
// properties): its header, its HXL hashtag and how to get its value.
type Column struct {
	Name  string
	HXL   string
	Value func(*vigil.Incident) string
}

func fig(inc *vigil.Incident, k vigil.FigureKind, c vigil.Category) *vigil.FigureRange {
	for i := range inc.Figures {
		if inc.Figures[i].Kind == k && inc.Figures[i].Category == c {
			return &inc.Figures[i]
		}
	}
	return nil
}

func figMin(k vigil.FigureKind, c vigil.Category) func(*vigil.Incident) string {
	return func(inc *vigil.Incident) string {
		if f := fig(inc, k, c); f != nil {
			return strconv.Itoa(f.Min)
		}
		return ""
	}
}

// figMax is empty both when no figure is known and when the figure has no
// upper bound ("at least 12"); the _open column tells the two apart.
func figMax(k vigil.FigureKind, c vigil.Category) func(*vigil.Incident) string {
	return func(inc *vigil.Incident) string {
		if f := fig(inc, k, c); f != nil && f.Max != nil {
			return strconv.Itoa(*f.Max)
		}
		return ""
	}
}

func admin(inc *vigil.Incident, level int, code bool) string {
	if inc.Place == nil {
		return ""
	}
	for _, a := range inc.Place.Admin {
		if a.Level == level {
			if code {
				return a.PCode
			}
			return a.Name
		}
	}
	return ""
}

func place(inc *vigil.Incident, f func(p *vigil.Place) string) string {
	if inc.Place == nil {
		return ""
	}
	return f(inc.Place)
}

func coord(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 5, 64)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// Perpetrators renders the attribution as "actor (status); ...".
func Perpetrators(inc *vigil.Incident) string {
	var parts []string
	for _, c := range inc.Attribution.Candidates {
		parts = append(parts, c.Actor+" ("+string(c.Status)+")")
	}
	if inc.Attribution.Unidentified && len(parts) == 0 {
		parts = append(parts, "unidentified")
	}
	return strings.Join(parts, "; ")
}

func facilities(inc *vigil.Incident) string {
	var parts []string
	for _, f := range inc.Facilities {
		s := string(f.Type)
		if f.Name != "" {
			s += ": " + f.Name
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func ids(v []int64) string {
	var parts []string
	for _, id := range v {
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	return strings.Join(parts, " ")
}

// Columns are the columns of the CSV, HXL and XLSX exports, documented in
// docs/exports.md.
func Columns() []Column {
	cols := []Column{
		{"id", "#event+id", func(i *vigil.Incident) string { return strconv.FormatInt(i.ID, 10) }},
		{"title", "#event+name", func(i *vigil.Incident) string { return i.Title }},
		{"event_type", "#event+type", func(i *vigil.Incident) string { return string(i.EventType) }},
		{"acled_event_type", "#event+type+acled", func(i *vigil.Incident) string { a, _ := i.EventType.ACLED(); return a.EventType }},
		{"acled_sub_event_type", "#event+type+acled+sub", func(i *vigil.Incident) string { a, _ := i.EventType.ACLED(); return a.SubType }},
		{"date", "#date", func(i *vigil.Incident) string { return i.Date.String() }},
		{"date_start", "#date+start", func(i *vigil.Incident) string { return day(i.Date.Earliest) }},
		{"date_end", "#date+end", func(i *vigil.Incident) string { return day(i.Date.Latest) }},
		{"date_precision", "#date+precision", func(i *vigil.Incident) string {
			if i.Date.IsZero() {
				return ""
			}
			return i.Date.Precision.String()
		}},
		{"country", "#country+name", func(i *vigil.Incident) string { return admin(i, 0, false) }},
		{"adm1_name", "#adm1+name", func(i *vigil.Incident) string { return admin(i, 1, false) }},
		{"adm1_pcode", "#adm1+code", func(i *vigil.Incident) string { return admin(i, 1, true) }},
		{"adm2_name", "#adm2+name", func(i *vigil.Incident) string { return admin(i, 2, false) }},
		{"adm2_pcode", "#adm2+code", func(i *vigil.Incident) string { return admin(i, 2, true) }},
		{"place_name", "#loc+name", func(i *vigil.Incident) string { return place(i, func(p *vigil.Place) string { return p.Name }) }},
		{"place_name_ar", "#loc+name+i_ar", func(i *vigil.Incident) string { return place(i, func(p *vigil.Place) string { return p.NameAR }) }},
		{"place_pcode", "#loc+code", func(i *vigil.Incident) string { return place(i, func(p *vigil.Place) string { return p.PCode }) }},
		{"lat", "#geo+lat", func(i *vigil.Incident) string { return place(i, func(p *vigil.Place) string { return coord(p.Lat) }) }},
		{"lon", "#geo+lon", func(i *vigil.Incident) string { return place(i, func(p *vigil.Place) string { return coord(p.Lon) }) }},
		{"location_precision", "#geo+precision", func(i *vigil.Incident) string {
			return place(i, func(p *vigil.Place) string { return p.Precision.String() })
		}},
	}
	for _, k := range []vigil.FigureKind{vigil.Killed, vigil.Injured} {
		for _, c := range []vigil.Category{vigil.CatTotal, vigil.CatCivilians, vigil.CatChildren, vigil.CatWomen, vigil.CatCombatants} {
			name, tag := string(k), "#affected+"+string(k)
			if c != vigil.CatTotal {
				name += "_" + string(c)
				tag += "+" + string(c)
			}
			cols = append(cols,
				Column{name + "_min", tag + "+min", figMin(k, c)},
				Column{name + "_max", tag + "+max", figMax(k, c)})
		}
	}
	cols = append(cols,
		Column{"missing_min", "#affected+missing+min", figMin(vigil.Missing, vigil.CatTotal)},
		Column{"missing_max", "#affected+missing+max", figMax(vigil.Missing, vigil.CatTotal)},
		Column{"killed_sources_min", "#meta+source+killed+min", func(i *vigil.Incident) string {
			if f := fig(i, vigil.Killed, vigil.CatTotal); f != nil {
				return strings.Join(f.MinSources, "; ")
			}
			return ""
		}},
		Column{"killed_sources_max", "#meta+source+killed+max", func(i *vigil.Incident) string {
			if f := fig(i, vigil.Killed, vigil.CatTotal); f != nil {
				return strings.Join(f.MaxSources, "; ")
			}
			return ""
		}},
		Column{"perpetrators", "#org+perpetrator", Perpetrators},
		Column{"facilities", "#loc+facility", facilities},
		Column{"grade", "#status+grade", func(i *vigil.Incident) string { return string(i.Grade) }},
		Column{"review_state", "#status+review", func(i *vigil.Incident) string { return string(i.Review) }},
		Column{"sources", "#meta+source", func(i *vigil.Incident) string { return strings.Join(sourceNames(i), "; ") }},
		Column{"document_ids", "#meta+documents", func(i *vigil.Incident) string { return ids(i.DocumentIDs) }},
		Column{"updated_at", "#date+updated", func(i *vigil.Incident) string {
			if i.UpdatedAt.IsZero() {
				return ""
			}
			return i.UpdatedAt.UTC().Format(time.RFC3339)
		}},
	)
	return cols
}

// Row returns an incident's values in Columns order.
func Row(cols []Column, inc *vigil.Incident) []string {
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = safeCell(c.Value(inc))
	}
	return row
}

// safeCell keeps a spreadsheet from reading text as a formula (CSV
// injection): a cell that starts with = + - @ or a tab or carriage return
// gets a leading apostrophe, unless it is a number.
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}

func writeCSV(hxl bool) func(ctx context.Context, w io.Writer, src *Source) error {
	return func(ctx context.Context, w io.Writer, src *Source) error {
		cols := Columns()
		cw := csv.NewWriter(w)
		head := make([]string, len(cols))
		tags := make([]string, len(cols))
		for i, c := range cols {
			head[i], tags[i] = c.Name, c.HXL
		}
		cw.Write(head)
		if hxl {
			cw.Write(tags)
		}
		err := src.Each(ctx, func(inc *vigil.Incident) error {
			return cw.Write(Row(cols, inc))
		})
		cw.Flush()
		if err != nil {
			return err
		}
		return cw.Error()
	}
}
