package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/export"
	"github.com/vigil-rec/vigil/review"
	"github.com/vigil-rec/vigil/web"
	"github.com/vigil-rec/vigil/web/webtest"
	"github.com/xuri/excelize/v2"
)

func write(t *testing.T, svc *review.Service, u *vigil.User, f vigil.IncidentFilter, name string) []byte {
	t.Helper()
	fm, err := export.ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.Write(context.Background(), &buf, svc, u, f, fm); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return buf.Bytes()
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestFormats(t *testing.T) {
	fx := webtest.New(t)
	viewer := fx.Users["viewer"]
	rows := readCSV(t, write(t, fx.Svc, viewer, vigil.IncidentFilter{}, "csv"))
	if len(rows) != 4 {
		t.Fatalf("csv: %d rows, want header + 3", len(rows))
	}
	hxl := readCSV(t, write(t, fx.Svc, viewer, vigil.IncidentFilter{}, "hxl"))
	for _, tag := range []string{"#event+id", "#date+start", "#date+end", "#adm1+name", "#adm1+code", "#loc+name", "#geo+lat", "#geo+lon", "#affected+killed+min", "#affected+killed+max", "#affected+injured+min", "#affected+injured+max"} {
		if !slices.Contains(hxl[1], tag) {
			t.Errorf("HXL row lacks %s", tag)
		}
	}
	// The Aleppo incident: killed 3-4, injured 9-10, in SY02.
	head := rows[0]
	var aleppo []string
	for _, r := range rows[1:] {
		if r[0] == itoa(fx.Aleppo.ID) {
			aleppo = r
		}
	}
	get := func(name string) string { return aleppo[slices.Index(head, name)] }
	if get("killed_min") != "3" || get("killed_max") != "4" || get("injured_min") != "9" || get("adm1_pcode") != "SY02" || get("date") != "2016-05-19" || get("location_precision") != "neighbourhood" {
		t.Fatalf("aleppo row: %v", aleppo)
	}
	// Open-ended figures leave max empty.
	for _, r := range rows[1:] {
		if r[0] == itoa(fx.Draft.ID) && (r[slices.Index(head, "killed_min")] != "5" || r[slices.Index(head, "killed_max")] != "") {
			t.Fatalf("draft row %v", r)
		}
	}

	var gj struct {
		Type     string
		Features []struct {
			Geometry   *struct{ Coordinates []float64 }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(write(t, fx.Svc, viewer, vigil.IncidentFilter{}, "geojson"), &gj); err != nil || gj.Type != "FeatureCollection" || len(gj.Features) != 3 {
		t.Fatalf("geojson: %v %+v", err, gj)
	}
	var js struct {
		Incidents []vigil.Incident
		Total     int
	}
	if err := json.Unmarshal(write(t, fx.Svc, viewer, vigil.IncidentFilter{}, "json"), &js); err != nil || js.Total != 3 || len(js.Incidents) != 3 {
		t.Fatalf("json: %v total %d", err, js.Total)
	}
	x, err := excelize.OpenReader(bytes.NewReader(write(t, fx.Svc, viewer, vigil.IncidentFilter{}, "xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	xr, _ := x.GetRows("incidents")
	if len(xr) != 5 || xr[0][0] != "id" || xr[1][0] != "#event+id" {
		t.Fatalf("xlsx rows %d: %v", len(xr), xr[:2])
	}
	ac := readCSV(t, write(t, fx.Svc, viewer, vigil.IncidentFilter{IDs: []int64{fx.Aleppo.ID}}, "acled"))
	if len(ac) != 2 || !slices.Equal(ac[0], export.ACLEDColumns) {
		t.Fatalf("acled %v", ac)
	}
	am := map[string]string{}
	for i, c := range ac[0] {
		am[c] = ac[1][i]
	}
	if am["event_type"] != "Explosions/Remote violence" || am["sub_event_type"] != "Air/drone strike" || am["fatalities"] != "3" || am["geo_precision"] != "1" ||
		am["time_precision"] != "1" || am["actor1"] != "Military Forces of Syria (2000-2024)" || am["admin1"] != "Aleppo" || am["event_date"] != "2016-05-19" {
		t.Fatalf("acled row %v", am)
	}
	uc := readCSV(t, write(t, fx.Svc, viewer, vigil.IncidentFilter{IDs: []int64{fx.Aleppo.ID}}, "ucdp"))
	um := map[string]string{}
	for i, c := range uc[0] {
		um[c] = uc[1][i]
	}
	if um["low"] != "3" || um["high"] != "4" || um["where_prec"] != "1" || um["date_prec"] != "1" || um["side_a"] != "Government of Syria" || um["country_id"] != "652" {
		t.Fatalf("ucdp row %v", um)
	}
	// Filters apply: only the Aleppo governorate.
	if rows := readCSV(t, write(t, fx.Svc, viewer, vigil.IncidentFilter{Governorate: "SY02"}, "csv")); len(rows) != 2 {
		t.Fatalf("filtered: %d rows", len(rows))
	}
	// The public sees the published incident only.
	if rows := readCSV(t, write(t, fx.Svc, nil, vigil.IncidentFilter{}, "csv")); len(rows) != 2 {
		t.Fatalf("public: %d rows", len(rows))
	}
}

func itoa(id int64) string { b, _ := json.Marshal(id); return string(b) }

// TestCSVInjection: text cells that a spreadsheet would run as formulas are
// neutralised.
func TestCSVInjection(t *testing.T) {
	fx := webtest.New(t)
	inc := fx.Draft
	inc.Title = "=HYPERLINK(\"http://example.invalid\")"
	if err := fx.DB.UpdateIncident(context.Background(), inc, nil); err != nil {
		t.Fatal(err)
	}
	out := string(write(t, fx.Svc, fx.Users["viewer"], vigil.IncidentFilter{}, "csv"))
	if strings.Contains(out, ",=HYPERLINK") || !strings.Contains(out, "'=HYPERLINK") {
		t.Fatalf("formula not neutralised:\n%s", out)
	}
}

// stripIDs drops the columns that are the store's own (ids, timestamps)
// and sorts the rows, so two stores' exports compare as sets of records.
func stripIDs(rows [][]string, drop ...string) []string {
	var keep []int
	for i, c := range rows[0] {
		if !slices.Contains(drop, c) {
			keep = append(keep, i)
		}
	}
	var out []string
	for _, r := range rows[1:] {
		var vals []string
		for _, i := range keep {
			vals = append(vals, r[i])
		}
		out = append(out, strings.Join(vals, "|"))
	}
	slices.Sort(out)
	return out
}

// TestRoundTrip exports ACLED- and UCDP-shaped CSV, imports each into an
// empty store, exports again and finds the same records.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	fx := webtest.New(t)
	webtest.Generate(t, fx.DB, webtest.GenOptions{N: 300, Seed: 7})
	viewer := fx.Users["viewer"]
	for _, tc := range []struct {
		format string
		drop   []string
	}{
		{"acled", []string{"event_id_cnty", "timestamp"}},
		{"ucdp", []string{"id", "relid"}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			first := write(t, fx.Svc, viewer, vigil.IncidentFilter{}, tc.format)
			db, blobs := webtest.Open(t, t.TempDir())
			res, err := export.Import(ctx, db, blobs, bytes.NewReader(first), export.ImportOptions{Format: tc.format, File: "first.csv", Incidents: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != 303 || res.Created != 303 || res.Incidents != 303 {
				t.Fatalf("import: %+v", res)
			}
			// Importing again changes nothing.
			if res, err := export.Import(ctx, db, blobs, bytes.NewReader(first), export.ImportOptions{Format: tc.format, File: "first.csv", Incidents: true}); err != nil || res.Unchanged != 303 || res.Created != 0 {
				t.Fatalf("re-import: %+v %v", res, err)
			}
			second := write(t, &review.Service{Store: db}, viewer, vigil.IncidentFilter{}, tc.format)
			a, b := stripIDs(readCSV(t, first), tc.drop...), stripIDs(readCSV(t, second), tc.drop...)
			if len(a) != len(b) {
				t.Fatalf("%d records exported, %d after the round trip", len(a), len(b))
			}
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("record differs after the round trip:\n first %s\nsecond %s", a[i], b[i])
				}
			}
			// Every imported value points at the words of its row.
			doc, _ := db.FindDocumentByID(ctx, 1)
			claims, _, _ := db.FindClaims(ctx, vigil.ClaimFilter{DocumentID: doc.ID})
			for _, f := range claims[0].Figures {
				for _, s := range f.Spans {
					if doc.Text[s.Start:s.End] != s.Text {
						t.Fatalf("span %+v does not match %q", s, doc.Text[s.Start:s.End])
					}
				}
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	db, blobs := webtest.Open(t, t.TempDir())
	for _, tc := range []struct{ format, in, want string }{
		{"acled", "a,b\n1,2\n", `column "event_date" missing`},
		{"acled", "event_date,event_type,sub_event_type,location,fatalities\n2016-13-40,x,y,z,1\n", "bad.csv:2"},
		{"acled", "event_date,event_type,sub_event_type,location,fatalities\n2016-01-04,x,y,z,-3\n", "fatalities"},
		{"ucdp", "date_start,date_end,type_of_violence,best,low\n2016-01-05,2016-01-04,1,1,1\n", "before"},
		{"xml", "", "want acled or ucdp"},
	} {
		_, err := export.Import(context.Background(), db, blobs, strings.NewReader(tc.in), export.ImportOptions{Format: tc.format, File: "bad.csv"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: %v, want %q", tc.format, tc.in, err, tc.want)
		}
	}
}

// TestWithIDs: reading by ids from the web index gives the same export as
// paging with an offset, for the public and for a viewer.
func TestWithIDs(t *testing.T) {
	fx := webtest.New(t)
	webtest.Generate(t, fx.DB, webtest.GenOptions{N: 1200, Seed: 5})
	idx := web.NewIndex(fx.DB)
	fm, _ := export.ByName("csv")
	for _, u := range []*vigil.User{nil, fx.Users["viewer"]} {
		for _, f := range []vigil.IncidentFilter{{}, {Governorate: "SY02"}, {Offset: 7, Limit: 600}} {
			var a, b bytes.Buffer
			if err := export.Write(context.Background(), &a, fx.Svc, u, f, fm); err != nil {
				t.Fatal(err)
			}
			if err := export.Write(context.Background(), &b, fx.Svc, u, f, fm, export.WithIDs(idx)); err != nil {
				t.Fatal(err)
			}
			if a.String() != b.String() || a.Len() < 1000 {
				t.Fatalf("user %v filter %+v: exports differ (%d and %d bytes)", u, f, a.Len(), b.Len())
			}
		}
	}
}
