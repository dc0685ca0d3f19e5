package web_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-rec/vigil/export"
	"github.com/vigil-rec/vigil/web/webtest"
)

// restricted are the fixture's values the public must never see.
var restricted = []string{webtest.MinorName, "Layla Exampleson", webtest.AnonSourceName, "Omar Placeholder", webtest.ReviewerReason, "XQZ-7731", webtest.VictimDetail, "12 Example Lane"}

// unzipAll returns the decompressed contents of a zip (an XLSX), or the
// bytes themselves when they are not a zip.
func unzipAll(t *testing.T, b []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return b
	}
	var out bytes.Buffer
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&out, rc)
		rc.Close()
	}
	return out.Bytes()
}

// TestPublicNeverSeesRestrictedValues walks every public route (every page
// in both languages, every incident and document id, the JSON API, the
// map, aggregate and boundary calls, every export with and without
// filters) as the public and looks for each restricted value in the raw
// and in the decoded output.
func TestPublicNeverSeesRestrictedValues(t *testing.T) {
	e := newEnv(t)
	pub := e.client(t)
	ids := []string{id(e.fx.Aleppo.ID), id(e.fx.Draft.ID), id(e.fx.Dup.ID), "999"}
	routes := []string{"/", "/incidents", "/incidents?q=clinic", "/incidents?children=1", "/incidents?state=new", "/map", "/charts", "/charts?interval=day",
		"/queue", "/login", "/web/boundaries.geojson", "/static/app.css", "/static/map.js", "/static/charts.js",
		"/api/v1/incidents", "/api/v1/incidents?state=new", "/api/v1/documents", "/api/v1/documents?q=Layla",
		"/api/v1/map/incidents", "/api/v1/map/incidents?state=new", "/healthz"}
	for _, by := range []string{"day", "week", "month", "year", "perpetrator", "governorate", "type", "grade"} {
		routes = append(routes, "/api/v1/aggregate/incidents?by="+by, "/api/v1/aggregate/incidents?state=new&by="+by)
	}
	for _, i := range ids {
		routes = append(routes, "/incidents/"+i, "/api/v1/incidents/"+i, "/documents/"+i, "/api/v1/documents/"+i,
			"/api/v1/documents/"+i+"/raw", "/api/v1/documents/"+i+"/custody", "/api/v1/documents/"+i+"/claims", "/api/v1/claims/"+i)
	}
	for _, f := range export.Formats() {
		for _, q := range []string{"", "?state=new", "?q=Layla", "?children=1", "?governorate=SY02"} {
			routes = append(routes, "/api/v1/export/incidents."+f.Extension+q)
		}
	}
	checked := 0
	for _, lang := range []string{"en", "ar"} {
		for _, r := range routes {
			sep := "?"
			if strings.Contains(r, "?") {
				sep = "&"
			}
			code, body, _ := pub.get(r + sep + "lang=" + lang)
			if code >= 500 {
				t.Errorf("%s: %d", r, code)
			}
			raw := []byte(body)
			all := [][]byte{raw, unzipAll(t, raw), []byte(htmlUnescape(body))}
			if u, err := url.QueryUnescape(body); err == nil {
				all = append(all, []byte(u))
			}
			for _, b := range all {
				for _, bad := range restricted {
					if bytes.Contains(b, []byte(bad)) {
						t.Errorf("public %s (%s) shows %q", r, lang, bad)
					}
				}
			}
			checked++
		}
	}
	// The fixture does hold the values (so the walk above can find them):
	// a viewer's export has them.
	v := e.client(t)
	v.login("viewer")
	_, body, _ := v.get("/api/v1/export/incidents.json")
	if !strings.Contains(body, webtest.MinorName) || !strings.Contains(body, webtest.AnonSourceName) {
		t.Fatal("the fixture's restricted values are not in the viewer's export: the public test proves nothing")
	}
	t.Logf("%d public responses checked", checked)
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#39;", "'", "&#34;", `"`, "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
}
