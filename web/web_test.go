package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/web"
	"github.com/vigil-rec/vigil/web/webtest"
)

type env struct {
	fx *webtest.Fixture
	h  *web.Handler
	ts *httptest.Server
}

func newEnv(t testing.TB) *env {
	t.Helper()
	fx := webtest.New(t)
	s := vhttp.NewServer(fx.DB, fx.DB, fx.Blobs, nil)
	s.Incidents = fx.Svc
	s.Auth = fx.Auth
	h, err := web.New(fx.Svc, fx.DB, fx.Auth, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.Register(s)
	s.RegisterExportRoutes(h.Index)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &env{fx: fx, h: h, ts: ts}
}

type client struct {
	t    testing.TB
	base string
	c    *http.Client
	csrf string
}

func (e *env) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: e.ts.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) get(path string) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (c *client) post(path string, form url.Values) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.c.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(body string) string {
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// login logs in through the form and returns the session's CSRF token.
func (c *client) login(user string) {
	c.t.Helper()
	_, body, _ := c.get("/login")
	code, _, hd := c.post("/login", url.Values{"csrf": {csrfOf(body)}, "username": {user}, "password": {webtest.Password}, "next": {"/incidents"}})
	if code != http.StatusSeeOther || hd.Get("Location") != "/incidents" {
		c.t.Fatalf("login %s: %d %v", user, code, hd)
	}
	cookie := ""
	for _, sc := range hd.Values("Set-Cookie") {
		if strings.HasPrefix(sc, web.SessionCookie+"=") {
			cookie = sc
		}
	}
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") || !strings.Contains(cookie, "Path=/") {
		c.t.Fatalf("session cookie %q: want HttpOnly, SameSite=Lax", cookie)
	}
	_, body, _ = c.get("/incidents")
	c.csrf = csrfOf(body)
	if c.csrf == "" {
		c.t.Fatal("no CSRF token on the page after log-in")
	}
}

func id(v int64) string { return strconv.FormatInt(v, 10) }

func TestPagesEnglishArabicPublicAndLoggedIn(t *testing.T) {
	e := newEnv(t)
	pub := e.client(t)
	rev := e.client(t)
	rev.login("reviewer")
	a := id(e.fx.Aleppo.ID)
	pages := []struct {
		path          string
		public, staff int
		want          string
	}{
		{"/incidents", 200, 200, "Barrel bomb damages clinic"},
		{"/incidents?governorate=SY02&type=air_strike&from=2016-01-01&to=2017-01-01&children=1&grade=confirmed&perpetrator=syrian_government&facility=health&pcode=SY02&q=clinic", 200, 200, "Barrel bomb damages clinic"},
		{"/incidents/" + a, 200, 200, "Three patients were killed"},
		{"/incidents/" + id(e.fx.Draft.ID), 404, 200, "Douma"},
		{"/map", 200, 200, `id="map"`},
		{"/charts", 200, 200, `id="chart-timeline"`},
		{"/charts?interval=week", 200, 200, `id="chart-timeline"`},
		{"/queue", 303, 200, "queue-new"},
		{"/documents/" + id(e.fx.Doc.ID), 404, 200, e.fx.Doc.SHA256},
		{"/login", 200, 200, "login-form"},
	}
	for _, lang := range []string{"en", "ar"} {
		for _, pg := range pages {
			for _, who := range []struct {
				name string
				c    *client
				want int
			}{{"public", pub, pg.public}, {"reviewer", rev, pg.staff}} {
				sep := "?"
				if strings.Contains(pg.path, "?") {
					sep = "&"
				}
				code, body, hd := who.c.get(pg.path + sep + "lang=" + lang)
				if code != who.want {
					t.Errorf("%s %s as %s: %d, want %d", lang, pg.path, who.name, code, who.want)
					continue
				}
				if code != 200 {
					continue
				}
				if !strings.Contains(body, pg.want) {
					t.Errorf("%s %s as %s: lacks %q", lang, pg.path, who.name, pg.want)
				}
				if csp := hd.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
					t.Errorf("%s: CSP %q", pg.path, csp)
				}
				if hd.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("%s: no nosniff", pg.path)
				}
				if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, " onclick=") {
					t.Errorf("%s: inline script or style", pg.path)
				}
				if lang == "ar" && !strings.Contains(body, `<html lang="ar" dir="rtl">`) {
					t.Errorf("%s in Arabic: not dir=rtl", pg.path)
				}
				if lang == "en" && !strings.Contains(body, `<html lang="en" dir="ltr">`) {
					t.Errorf("%s in English: not dir=ltr", pg.path)
				}
			}
		}
	}
	// The language sticks in a cookie.
	_, body, _ := pub.get("/incidents")
	if !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, "الحوادث") {
		t.Error("language cookie not honoured")
	}
}

func TestIncidentPage(t *testing.T) {
	e := newEnv(t)
	rev := e.client(t)
	rev.login("reviewer")
	a := "/incidents/" + id(e.fx.Aleppo.ID) + "?lang=en"
	_, body, _ := rev.get(a)
	for _, want := range []string{
		`<mark class="span span-figure"`, "Three patients were killed</mark>", // highlighted spans
		`<td class="num range" dir="ltr">3–4</td>`, "Example Daily", "Example Arabic Monitor", // range and the sources behind each bound
		"Syrian government forces", "alleged", // attribution
		"confirmed", webtest.ReviewerReason, "two independent sources agree", // grade, reviewer's reason, proposed rationale
		`data-precision="neighbourhood"`, "neighbourhood", // place and precision
		"id=\"history\"", "reviewer2", // review history
		webtest.MinorName, webtest.AnonSourceName, // a viewer sees restricted values
		`dir="rtl" lang="ar"`, "مقتل أربعة مرضى</mark>", // the Arabic document, right to left, highlighted
		`id="form-grade"`, `id="form-split"`, `id="form-merge"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("incident page lacks %q", want)
		}
	}
	pub := e.client(t)
	_, body, _ = pub.get(a)
	if !strings.Contains(body, `<span class="withheld">[withheld]</span>`) || !strings.Contains(body, "Three patients were killed</mark>") {
		t.Error("public incident page: no masked span or no highlight")
	}
	for _, bad := range []string{webtest.MinorName, webtest.AnonSourceName, webtest.ReviewerReason, webtest.VictimDetail, "form-grade", `id="history"`} {
		if strings.Contains(body, bad) {
			t.Errorf("public incident page shows %q", bad)
		}
	}
}

func TestLoginLogoutAndCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	// A log-in without the form's token is refused.
	code, _, _ := c.post("/login", url.Values{"username": {"reviewer"}, "password": {webtest.Password}})
	if code != http.StatusUnauthorized {
		t.Fatalf("login without CSRF: %d", code)
	}
	_, body, _ := c.get("/login")
	code, body, _ = c.post("/login", url.Values{"csrf": {csrfOf(body)}, "username": {"reviewer"}, "password": {"wrong password!"}})
	if code != http.StatusUnauthorized || !strings.Contains(body, "Wrong user name or password") {
		t.Fatalf("wrong password: %d", code)
	}
	// An open redirect is refused.
	_, body, _ = c.get("/login")
	_, _, hd := c.post("/login", url.Values{"csrf": {csrfOf(body)}, "username": {"reviewer"}, "password": {webtest.Password}, "next": {"//evil.example/"}})
	if hd.Get("Location") != "/incidents" {
		t.Fatalf("redirect after log-in to %q", hd.Get("Location"))
	}
	_, body, _ = c.get("/incidents")
	c.csrf = csrfOf(body)
	draft := "/incidents/" + id(e.fx.Draft.ID)
	// A change without the session's token is refused, and changes nothing.
	if code, _, _ := c.post(draft+"/review", url.Values{"state": {"in_review"}}); code != http.StatusUnauthorized {
		t.Fatalf("POST without CSRF: %d", code)
	}
	if code, _, _ := c.post(draft+"/review", url.Values{"state": {"in_review"}, "csrf": {"forged"}}); code != http.StatusUnauthorized {
		t.Fatalf("POST with a forged CSRF token: %d", code)
	}
	if inc, _ := e.fx.DB.FindIncidentByID(t.Context(), e.fx.Draft.ID); inc.Review != vigil.ReviewNew {
		t.Fatal("a refused form changed the incident")
	}
	// With the token: into review, graded with a reason, verified.
	for _, st := range []struct {
		action string
		form   url.Values
		code   int
	}{
		{"review", url.Values{"state": {"in_review"}}, 303},
		{"grade", url.Values{"grade": {"weak"}}, 400}, // overriding the proposal needs a reason
		{"grade", url.Values{"grade": {"weak"}, "reason": {"one source only"}}, 303},
		{"review", url.Values{"state": {"verified"}}, 400}, // no sources yet
		{"publish", url.Values{}, 409},                     // not verified
		{"merge", url.Values{"incidents": {id(e.fx.Dup.ID)}, "reason": {"same market, same day"}}, 303},
	} {
		st.form.Set("csrf", c.csrf)
		code, body, _ := c.post(draft+"/"+st.action, st.form)
		if code != st.code {
			t.Fatalf("%s %v: %d, want %d\n%s", st.action, st.form, code, st.code, body)
		}
	}
	inc, _ := e.fx.DB.FindIncidentByID(t.Context(), e.fx.Draft.ID)
	if inc.Grade != vigil.GradeWeak || inc.Review != vigil.ReviewInReview {
		t.Fatalf("after the forms: grade %s state %s", inc.Grade, inc.Review)
	}
	if dup, _ := e.fx.DB.FindIncidentByID(t.Context(), e.fx.Dup.ID); dup.MergedInto != e.fx.Draft.ID {
		t.Fatal("merge form did not merge")
	}
	// Split: the Aleppo incident's Arabic claim into a new incident.
	a := "/incidents/" + id(e.fx.Aleppo.ID)
	c.post(a+"/review", url.Values{"csrf": {c.csrf}, "state": {"in_review"}})
	code, _, hd = c.post(a+"/split", url.Values{"csrf": {c.csrf}, "claim": {id(e.fx.Claims[1].ID)}, "reason": {"the Arabic report is another strike"}})
	if code != 303 || !strings.Contains(hd.Get("Location"), "done=split") {
		t.Fatalf("split: %d %s", code, hd.Get("Location"))
	}
	// Log out: the session is gone.
	if code, _, _ := c.post("/logout", url.Values{"csrf": {c.csrf}}); code != 303 {
		t.Fatalf("logout: %d", code)
	}
	if code, _, _ := c.get("/queue"); code != http.StatusSeeOther {
		t.Fatalf("queue after logout: %d", code)
	}
}

func TestListFiltersAndPagination(t *testing.T) {
	e := newEnv(t)
	webtest.Generate(t, e.fx.DB, webtest.GenOptions{N: 120, Seed: 3})
	c := e.client(t)
	c.login("viewer")
	_, body, _ := c.get("/incidents?governorate=SY02&lang=en")
	if !strings.Contains(body, "Barrel bomb damages clinic") || strings.Contains(body, "Douma (fictional") {
		t.Error("governorate filter")
	}
	_, body, _ = c.get("/incidents?q=clinic&lang=en")
	if !strings.Contains(body, "Barrel bomb damages clinic") || !strings.Contains(body, "1 incidents") {
		t.Error("full-text filter (English)")
	}
	_, body, _ = c.get("/incidents?q=" + url.QueryEscape("الصاخور") + "&lang=en")
	if !strings.Contains(body, "Barrel bomb damages clinic") {
		t.Error("full-text filter (Arabic)")
	}
	_, body, _ = c.get("/incidents?limit=50&lang=en")
	if !strings.Contains(body, `id="next-page"`) || !strings.Contains(body, "1–50 of 123") {
		t.Error("pagination")
	}
	_, body, _ = c.get("/incidents?limit=50&offset=100&lang=en")
	if strings.Contains(body, `id="next-page"`) || !strings.Contains(body, "101–123 of 123") {
		t.Error("last page")
	}
	if code, _, _ := c.get("/incidents?from=yesterday"); code != 400 {
		t.Errorf("bad date: %d", code)
	}
}

func TestAggregateAndMapAPI(t *testing.T) {
	e := newEnv(t)
	pub := e.client(t)
	var agg struct {
		Buckets []web.Bucket
	}
	code, body, _ := pub.get("/api/v1/aggregate/incidents?by=month")
	if code != 200 || json.Unmarshal([]byte(body), &agg) != nil || len(agg.Buckets) != 1 {
		t.Fatalf("public aggregate: %d %s", code, body)
	}
	if b := agg.Buckets[0]; b.Key != "2016-05" || b.Incidents != 1 || b.KilledMin != 3 || b.KilledMax != 4 || b.InjuredMin != 9 || b.InjuredMax != 10 {
		t.Fatalf("bucket %+v", b)
	}
	v := e.client(t)
	v.login("viewer")
	_, body, _ = v.get("/api/v1/aggregate/incidents?by=month")
	json.Unmarshal([]byte(body), &agg)
	// May and June 2016 (the draft is open-ended: 5+, its duplicate 6-7).
	if len(agg.Buckets) != 2 || agg.Buckets[1].Key != "2016-06" || agg.Buckets[1].KilledMin != 11 || agg.Buckets[1].KilledMax != 12 || agg.Buckets[1].KilledOpen != 1 {
		t.Fatalf("viewer buckets %+v", agg.Buckets)
	}
	for _, by := range []string{"day", "week", "year", "perpetrator", "governorate", "type", "grade"} {
		if code, _, _ := v.get("/api/v1/aggregate/incidents?by=" + by); code != 200 {
			t.Errorf("by=%s: %d", by, code)
		}
	}
	if code, _, _ := v.get("/api/v1/aggregate/incidents?by=colour"); code != 400 {
		t.Errorf("by=colour: %d", code)
	}
	var pts struct {
		Features []struct{ Properties web.Point }
		Total    int
	}
	_, body, _ = pub.get("/api/v1/map/incidents")
	if json.Unmarshal([]byte(body), &pts) != nil || pts.Total != 1 || pts.Features[0].Properties.Precision != "neighbourhood" {
		t.Fatalf("public map points: %s", body)
	}
	_, body, _ = pub.get("/web/boundaries.geojson")
	var fc struct {
		Type     string
		Features []struct{ Properties map[string]any }
	}
	if json.Unmarshal([]byte(body), &fc) != nil || fc.Type != "FeatureCollection" || len(fc.Features) < 14 {
		t.Fatalf("boundaries: %d features", len(fc.Features))
	}
	// The index follows changes made through the service.
	e.h.Index.Refresh = 1
	if _, err := e.fx.Svc.Transition(t.Context(), e.fx.Users["reviewer"], e.fx.Draft.ID, vigil.ReviewDiscarded, "not an incident"); err != nil {
		t.Fatal(err)
	}
	_, body, _ = v.get("/api/v1/aggregate/incidents?by=grade&state=discarded")
	if !strings.Contains(body, `"incidents":1`) {
		t.Fatalf("index did not follow the change: %s", body)
	}
}

func TestStaticAndSecurity(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	for _, p := range []string{"/static/app.css", "/static/map.js", "/static/charts.js"} {
		if code, _, hd := c.get(p); code != 200 || hd.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d", p, code)
		}
	}
	if code, _, hd := c.get("/"); code != 303 || hd.Get("Location") != "/incidents" {
		t.Errorf("/: %d", code)
	}
	// A stale session cookie makes the visitor the public, not an error.
	u, _ := url.Parse(e.ts.URL)
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: "stale"}})
	if code, body, _ := c.get("/incidents"); code != 200 || !strings.Contains(body, "login-link") {
		t.Errorf("stale cookie: %d", code)
	}
}

func TestPublicViewOff(t *testing.T) {
	e := newEnv(t)
	e.h.RequireLogin = true
	c := e.client(t)
	if code, _, hd := c.get("/incidents?governorate=SY02"); code != 303 || !strings.HasPrefix(hd.Get("Location"), "/login?next=") {
		t.Fatalf("public view off: %d %s", code, hd.Get("Location"))
	}
	if code, _, _ := c.get("/api/v1/aggregate/incidents?by=month"); code != 401 {
		t.Fatalf("aggregate with the public view off: %d", code)
	}
	if code, _, _ := c.get("/login"); code != 200 {
		t.Fatalf("login page: %d", code)
	}
	c.login("viewer")
	if code, _, _ := c.get("/incidents"); code != 200 {
		t.Fatalf("logged in: %d", code)
	}
}
