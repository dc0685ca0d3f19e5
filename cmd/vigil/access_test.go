package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/review"
	"github.com/vigil-rec/vigil/storetest"
)

// roles are the callers every route is tried as: the public (no
// credentials), a bad credential (a bearer token that was never issued for
// the API, a forged session cookie for the web pages), and one user of each
// role.
var roles = []string{"public", "bad", "viewer", "analyst", "reviewer", "admin"}

// accessEnv is vigil serve wired exactly as the command wires it (every
// serve hook: web pages, exports, victims, estimate) over a store with the
// example documents, their claims and incidents, a published incident, a
// victim list and a link run.
type accessEnv struct {
	ts       *httptest.Server
	handler  http.Handler // the server, to serve it again over TLS
	data     string       // the data directory
	db       vigil.Store
	svc      *review.Service
	users    map[string]*vigil.User
	tokens   map[string]string // API tokens by role
	sessions map[string]string // session cookies by role
	csrf     map[string]string // each session's CSRF token
	seq      int
}

func newAccessEnv(t *testing.T) *accessEnv {
	t.Helper()
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "store")
	if code, _, e := runCLI(t, data, "ingest", filepath.Join("..", "..", "examples")); code != 0 {
		t.Fatalf("ingest: %s", e)
	}
	if code, _, e := runCLI(t, data, "resolve"); code != 0 {
		t.Fatalf("resolve: %s", e)
	}
	csv := filepath.Join(t.TempDir(), "list.csv")
	fictionalVictimCSV(t, csv, "v", 40)
	if code, _, e := runCLI(t, data, "victims", "import", csv, "--list", "Fictional"); code != 0 {
		t.Fatalf("victims import: %s", e)
	}
	if code, _, e := runCLI(t, data, "link", "--quiet"); code != 0 {
		t.Fatalf("link: %s", e)
	}
	a := &App{DataDir: data, Stdout: io.Discard, Stderr: io.Discard, Log: slog.New(slog.DiscardHandler)}
	t.Cleanup(a.Close)
	db, blobs, err := a.Store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e := &accessEnv{data: data, db: db, users: map[string]*vigil.User{}, tokens: map[string]string{}, sessions: map[string]string{}, csrf: map[string]string{}}
	au := &auth.Authenticator{Users: db}
	hash, err := auth.HashPassword("a fictional long password")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []vigil.Role{vigil.RoleViewer, vigil.RoleAnalyst, vigil.RoleReviewer, vigil.RoleAdmin} {
		u := &vigil.User{Username: string(r) + "1", Role: r, PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		tok, _, err := au.IssueAPIToken(ctx, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		stok, s, err := au.StartSession(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		e.users[string(r)], e.tokens[string(r)], e.sessions[string(r)], e.csrf[string(r)] = u, tok, stok, s.CSRF
	}
	// The same wiring as 'vigil serve' (serve.go and its hooks).
	s := vhttp.NewServer(db, db, blobs, a.Log)
	s.Incidents = &review.Service{Store: db, Reconcile: reconciler}
	s.Auth = au
	for _, h := range serveHooks {
		if err := h(a, s); err != nil {
			t.Fatal(err)
		}
	}
	e.svc, e.handler = s.Incidents, s
	e.ts = httptest.NewServer(s)
	t.Cleanup(e.ts.Close)
	return e
}

// incident creates a fresh fictional incident in state st with two claims
// of its own (so that it can be split), graded, last edited by "resolver".
func (e *accessEnv) incident(t *testing.T, st vigil.ReviewState) *vigil.Incident {
	t.Helper()
	ctx := context.Background()
	e.seq++
	doc, _, err := e.db.CreateDocument(ctx, storetest.NewDocument(fmt.Sprintf("FICTIONAL access-test report %d about an invented strike.", e.seq)), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	claims := []*vigil.Claim{
		{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike}, Extractor: "test"},
		{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike}, Extractor: "test"},
	}
	if err := e.db.ReplaceClaims(ctx, doc.ID, claims); err != nil {
		t.Fatal(err)
	}
	inc := storetest.NewIncident(1+e.seq%28, "Aleppo")
	inc.Title = fmt.Sprintf("Fictional access-test incident %d", e.seq)
	inc.ClaimIDs = []int64{claims[0].ID, claims[1].ID}
	inc.Review, inc.Grade, inc.LastEditor = st, vigil.GradeFair, "resolver"
	if err := e.db.CreateIncident(ctx, inc, &vigil.AuditEntry{Actor: "resolver"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range claims {
		if err := e.db.PlaceClaim(ctx, &vigil.MatchDecision{ClaimID: c.ID, IncidentID: inc.ID, Outcome: vigil.MatchNew, DecidedBy: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return inc
}

// api sends an API request as role.
func (e *accessEnv) api(t *testing.T, role, method, path, ctype, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	switch role {
	case "public":
	case "bad":
		req.Header.Set("Authorization", "Bearer vigil-token-that-was-never-issued")
	default:
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	return send(t, req)
}

// page sends a web request as role: a session cookie (a forged one for
// "bad"); form posts carry the session's CSRF token.
func (e *accessEnv) page(t *testing.T, role, method, path string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		if c := e.csrf[role]; c != "" {
			f.Set("csrf", c)
		}
		body = strings.NewReader(f.Encode())
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	switch role {
	case "public":
	case "bad":
		req.AddCookie(&http.Cookie{Name: vhttp.SessionCookie, Value: "forged-session-cookie"})
	default:
		req.AddCookie(&http.Cookie{Name: vhttp.SessionCookie, Value: e.sessions[role]})
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// want is the expected status for each of roles, in order.
type want [6]int

var (
	everyone   = want{200, 200, 200, 200, 200, 200}
	viewerUp   = want{404, 401, 200, 200, 200, 200} // restricted reads: the public gets "not found"
	publicRead = want{200, 401, 200, 200, 200, 200} // published data: bad credentials are refused, never downgraded
)

// TestAccessEveryRoleEveryRoute tries every API endpoint and every web route
// as every role and checks the status. Write routes act on a fresh incident
// per role, so each role's answer does not depend on another's.
func TestAccessEveryRoleEveryRoute(t *testing.T) {
	e := newAccessEnv(t)
	ctx := context.Background()
	pub := e.incident(t, vigil.ReviewPublished)
	unpub := e.incident(t, vigil.ReviewInReview)
	docs, _, err := e.db.FindDocuments(ctx, vigil.DocumentFilter{Limit: 1})
	if err != nil || len(docs) == 0 {
		t.Fatalf("documents: %v", err)
	}
	doc := docs[0].ID
	claim := unpub.ClaimIDs[0]
	recs, _, err := e.db.FindVictimRecords(ctx, vigil.VictimFilter{Lists: []string{"Fictional"}, Limit: 2})
	if err != nil || len(recs) < 2 {
		t.Fatalf("victim records: %v", err)
	}
	persons, _, err := e.db.FindPersons(ctx, vigil.PersonFilter{Limit: 1})
	if err != nil || len(persons) == 0 {
		t.Fatalf("persons: %v", err)
	}
	person := persons[0].ID
	id := func(i int64) string { return fmt.Sprint(i) }

	type apiCase struct {
		method, path, ctype, body string
		// fresh, when set, builds the path and body for each role on a fresh incident.
		fresh func() (path, body string)
		want  want
	}
	apis := []apiCase{
		{method: "GET", path: "/healthz", want: everyone},
		{method: "GET", path: "/api/v1/documents", want: viewerUp},
		{method: "GET", path: "/api/v1/documents/" + id(doc), want: viewerUp},
		{method: "GET", path: "/api/v1/documents/" + docs[0].SHA256, want: viewerUp},
		{method: "GET", path: "/api/v1/documents/" + id(doc) + "/raw", want: viewerUp},
		{method: "GET", path: "/api/v1/documents/" + id(doc) + "/custody", want: viewerUp},
		{method: "GET", path: "/api/v1/documents/" + id(doc) + "/claims", want: viewerUp},
		{method: "GET", path: "/api/v1/claims/" + id(claim), want: viewerUp},
		{method: "GET", path: "/api/v1/incidents", want: publicRead},
		{method: "GET", path: "/api/v1/incidents/" + id(pub.ID), want: publicRead},
		{method: "GET", path: "/api/v1/incidents/" + id(unpub.ID), want: viewerUp},
		// Writes: a role below the one needed is 401 (the review service's
		// answer), whoever may see the incident.
		{method: "PATCH", fresh: func() (string, string) {
			return "/api/v1/incidents/" + id(e.incident(t, vigil.ReviewNew).ID), `{"title":"Fictional corrected title","reason":"access test"}`
		}, want: want{401, 401, 401, 200, 200, 200}},
		{method: "POST", fresh: func() (string, string) {
			return "/api/v1/incidents/" + id(e.incident(t, vigil.ReviewNew).ID) + "/review", `{"state":"in_review"}`
		}, want: want{401, 401, 401, 200, 200, 200}},
		{method: "POST", fresh: func() (string, string) {
			return "/api/v1/incidents/" + id(e.incident(t, vigil.ReviewInReview).ID) + "/grade", `{"grade":"fair","reason":"access test"}`
		}, want: want{401, 401, 401, 401, 200, 200}},
		{method: "POST", fresh: func() (string, string) {
			return "/api/v1/incidents/" + id(e.incident(t, vigil.ReviewVerified).ID) + "/publish", `{"reason":"access test"}`
		}, want: want{401, 401, 401, 401, 200, 200}},
		{method: "POST", fresh: func() (string, string) {
			other := e.incident(t, vigil.ReviewNew)
			return "/api/v1/incidents/" + id(e.incident(t, vigil.ReviewNew).ID) + "/merge", fmt.Sprintf(`{"incidents":[%d],"reason":"access test"}`, other.ID)
		}, want: want{401, 401, 401, 200, 200, 200}},
		{method: "POST", fresh: func() (string, string) {
			inc := e.incident(t, vigil.ReviewNew)
			return "/api/v1/incidents/" + id(inc.ID) + "/split", fmt.Sprintf(`{"claims":[%d],"reason":"access test"}`, inc.ClaimIDs[1])
		}, want: want{401, 401, 401, 200, 200, 200}},
		{method: "GET", path: "/api/v1/export/incidents.csv", want: publicRead},
		{method: "GET", path: "/api/v1/export/incidents.json?type=air_strike", want: publicRead},
		{method: "GET", path: "/api/v1/map/incidents", want: publicRead},
		{method: "GET", path: "/api/v1/aggregate/incidents?by=month", want: publicRead},
		{method: "GET", path: "/api/v1/victim-lists", want: viewerUp},
		{method: "GET", path: "/api/v1/victim-lists/Fictional/records", want: viewerUp},
		{method: "GET", path: "/api/v1/persons", want: viewerUp},
		{method: "GET", path: "/api/v1/persons/" + person, want: viewerUp},
		{method: "GET", path: "/api/v1/review-pairs", want: viewerUp},
		// Deciding pairs: a viewer, who may read the records, is told the
		// role is missing (403).
		{method: "POST", path: "/api/v1/review-pairs/decisions", body: fmt.Sprintf(`{"a":%d,"b":%d,"match":false,"note":"access test"}`, recs[0].ID, recs[1].ID),
			want: want{401, 401, 403, 200, 200, 200}},
		// The estimate stores nothing and needs no log-in; credentials are
		// not read at all, so a bad token is not refused either.
		{method: "POST", path: "/api/v1/estimate", ctype: "application/json", body: `{"csv":"A,B,count\n1,0,30\n0,1,25\n1,1,10\n","methods":["two_list"]}`, want: everyone},
		{method: "GET", path: "/api/v1/no-such-endpoint", want: want{404, 404, 404, 404, 404, 404}},
	}
	for _, c := range apis {
		for i, role := range roles {
			path, body := c.path, c.body
			if c.fresh != nil {
				path, body = c.fresh()
			}
			ctype := c.ctype
			if ctype == "" && body != "" {
				ctype = "application/json"
			}
			got, b := e.api(t, role, c.method, path, ctype, body)
			if got != c.want[i] {
				t.Errorf("API %s %s as %s: %d, want %d: %.200s", c.method, path, role, got, c.want[i], b)
			}
		}
	}

	// Web routes. The forged cookie makes the visitor the public again on
	// the pages of package web; the victim pages (package http) refuse it.
	type pageCase struct {
		method, path string
		form         url.Values
		fresh        func() (string, url.Values)
		want         want
	}
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	webPublic := want{200, 200, 200, 200, 200, 200}
	webViewer := want{404, 404, 200, 200, 200, 200}
	pages := []pageCase{
		{method: "GET", path: "/", want: want{303, 303, 303, 303, 303, 303}},
		{method: "GET", path: "/incidents", want: webPublic},
		{method: "GET", path: "/incidents?lang=ar", want: webPublic},
		{method: "GET", path: "/incidents/" + id(pub.ID), want: webPublic},
		{method: "GET", path: "/incidents/" + id(unpub.ID), want: webViewer},
		{method: "GET", path: "/map", want: webPublic},
		{method: "GET", path: "/charts", want: webPublic},
		{method: "GET", path: "/queue", want: want{303, 303, 200, 200, 200, 200}},
		{method: "GET", path: "/documents/" + id(doc), want: webViewer},
		{method: "GET", path: "/login", want: webPublic},
		{method: "GET", path: "/web/boundaries.geojson", want: webPublic},
		{method: "GET", path: "/favicon.ico", want: want{301, 301, 301, 301, 301, 301}},
		{method: "GET", path: "/static/app.css", want: webPublic},
		{method: "GET", path: "/victims", want: want{404, 401, 200, 200, 200, 200}},
		{method: "GET", path: "/victims/persons/" + person, want: want{404, 401, 200, 200, 200, 200}},
		{method: "GET", path: "/victims/review", want: want{404, 401, 200, 200, 200, 200}},
		// Forms: without a session the answer is 401; a role below the
		// one needed gets the incident page again with the service's 401.
		{method: "POST", fresh: func() (string, url.Values) {
			return "/incidents/" + id(e.incident(t, vigil.ReviewNew).ID) + "/review", form("state", "in_review")
		}, want: want{401, 401, 401, 303, 303, 303}},
		{method: "POST", fresh: func() (string, url.Values) {
			return "/incidents/" + id(e.incident(t, vigil.ReviewInReview).ID) + "/grade", form("grade", "fair", "reason", "access test")
		}, want: want{401, 401, 401, 401, 303, 303}},
		{method: "POST", fresh: func() (string, url.Values) {
			return "/incidents/" + id(e.incident(t, vigil.ReviewVerified).ID) + "/publish", form("reason", "access test")
		}, want: want{401, 401, 401, 401, 303, 303}},
		{method: "POST", fresh: func() (string, url.Values) {
			other := e.incident(t, vigil.ReviewNew)
			return "/incidents/" + id(e.incident(t, vigil.ReviewNew).ID) + "/merge", form("incidents", id(other.ID), "reason", "access test")
		}, want: want{401, 401, 401, 303, 303, 303}},
		{method: "POST", fresh: func() (string, url.Values) {
			inc := e.incident(t, vigil.ReviewNew)
			return "/incidents/" + id(inc.ID) + "/split", form("claim", id(inc.ClaimIDs[1]), "reason", "access test")
		}, want: want{401, 401, 401, 303, 303, 303}},
	}
	for _, c := range pages {
		for i, role := range roles {
			path, f := c.path, c.form
			if c.fresh != nil {
				path, f = c.fresh()
			}
			got, b := e.page(t, role, c.method, path, f)
			if got != c.want[i] {
				t.Errorf("web %s %s as %s: %d, want %d: %.200s", c.method, path, role, got, c.want[i], b)
			}
		}
	}
	// A bad bearer token on a web route is refused, not downgraded.
	if got, _ := e.api(t, "bad", "GET", "/incidents", "", ""); got != 401 {
		t.Errorf("web /incidents with a bad bearer token: %d, want 401", got)
	}
}

// digits hides ids, so that two "not found" answers can be compared.
var digits = regexp.MustCompile(`[0-9]+`)

// TestHiddenLooksMissing checks that what the public may not see answers
// exactly as what does not exist: same status, same body apart from ids.
func TestHiddenLooksMissing(t *testing.T) {
	e := newAccessEnv(t)
	ctx := context.Background()
	unpub := e.incident(t, vigil.ReviewInReview)
	docs, _, _ := e.db.FindDocuments(ctx, vigil.DocumentFilter{Limit: 1})
	persons, _, _ := e.db.FindPersons(ctx, vigil.PersonFilter{Limit: 1})
	if len(docs) == 0 || len(persons) == 0 {
		t.Fatal("fixture: no document or person")
	}
	const missing = "987654"
	pairs := []struct{ what, hidden, absent string }{
		{"incident", "/api/v1/incidents/" + fmt.Sprint(unpub.ID), "/api/v1/incidents/" + missing},
		{"document", "/api/v1/documents/" + fmt.Sprint(docs[0].ID), "/api/v1/documents/" + missing},
		{"document by hash", "/api/v1/documents/" + docs[0].SHA256, "/api/v1/documents/" + strings.Repeat("ab", 32)},
		{"raw document", "/api/v1/documents/" + fmt.Sprint(docs[0].ID) + "/raw", "/api/v1/documents/" + missing + "/raw"},
		{"custody", "/api/v1/documents/" + fmt.Sprint(docs[0].ID) + "/custody", "/api/v1/documents/" + missing + "/custody"},
		{"claim", "/api/v1/claims/" + fmt.Sprint(unpub.ClaimIDs[0]), "/api/v1/claims/" + missing},
		{"victim records", "/api/v1/victim-lists/Fictional/records", "/api/v1/victim-lists/NoSuchList" + missing + "/records"},
		{"person", "/api/v1/persons/" + persons[0].ID, "/api/v1/persons/" + missing},
	}
	for _, p := range pairs {
		hs, hb := e.api(t, "public", "GET", p.hidden, "", "")
		as, ab := e.api(t, "public", "GET", p.absent, "", "")
		if hs != 404 || as != 404 {
			t.Errorf("%s: hidden %d, missing %d; want 404 for both", p.what, hs, as)
		}
		if digits.ReplaceAllString(hb, "N") != digits.ReplaceAllString(ab, "N") {
			t.Errorf("%s: hidden and missing differ:\n%s\n%s", p.what, hb, ab)
		}
		// A viewer is told the truth about the missing one only.
		if vs, _ := e.api(t, "viewer", "GET", p.hidden, "", ""); vs != 200 {
			t.Errorf("%s as a viewer: %d, want 200", p.what, vs)
		}
	}
	// Writes by the public are refused before any lookup: the same answer
	// for a hidden incident and a missing one.
	for _, w := range []struct{ method, suffix, body string }{
		{"PATCH", "", `{"title":"Fictional","reason":"t"}`},
		{"POST", "/review", `{"state":"in_review"}`},
		{"POST", "/grade", `{"grade":"fair","reason":"t"}`},
		{"POST", "/publish", `{"reason":"t"}`},
		{"POST", "/merge", `{"incidents":[1],"reason":"t"}`},
		{"POST", "/split", `{"claims":[1],"reason":"t"}`},
	} {
		hs, hb := e.api(t, "public", w.method, "/api/v1/incidents/"+fmt.Sprint(unpub.ID)+w.suffix, "application/json", w.body)
		as, ab := e.api(t, "public", w.method, "/api/v1/incidents/"+missing+w.suffix, "application/json", w.body)
		if hs != as || digits.ReplaceAllString(hb, "N") != digits.ReplaceAllString(ab, "N") {
			t.Errorf("public %s incident%s: hidden %d %s, missing %d %s", w.method, w.suffix, hs, hb, as, ab)
		}
	}
	webPairs := []struct{ what, hidden, absent string }{
		{"incident page", "/incidents/" + fmt.Sprint(unpub.ID), "/incidents/" + missing},
		{"document page", "/documents/" + fmt.Sprint(docs[0].ID), "/documents/" + missing},
		{"person page", "/victims/persons/" + persons[0].ID, "/victims/persons/" + missing},
	}
	for _, p := range webPairs {
		hs, hb := e.page(t, "public", "GET", p.hidden, nil)
		as, ab := e.page(t, "public", "GET", p.absent, nil)
		if hs != 404 || as != 404 {
			t.Errorf("%s: hidden %d, missing %d; want 404 for both", p.what, hs, as)
		}
		if digits.ReplaceAllString(hb, "N") != digits.ReplaceAllString(ab, "N") {
			t.Errorf("%s: hidden and missing pages differ", p.what)
		}
	}
}
