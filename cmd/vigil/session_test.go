package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
	vhttp "github.com/vigil-rec/vigil/http"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// cookieNamed returns the Set-Cookie of a response with that name.
func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// webLogin logs in through the log-in form of the server at base and
// returns the final response of the POST. csrf controls the form's token:
// "" sends none, "form" the one in the page, anything else that value;
// withCookie sends the form's CSRF cookie back.
func webLogin(t *testing.T, client *http.Client, base, user, password, csrf string, withCookie bool) (*http.Response, *http.Cookie) {
	t.Helper()
	res, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	ck := cookieNamed(res, "vigil_csrf")
	m := csrfField.FindStringSubmatch(string(b))
	if ck == nil || m == nil {
		t.Fatalf("GET /login: no CSRF cookie or field")
	}
	f := url.Values{"username": {user}, "password": {password}}
	switch csrf {
	case "":
	case "form":
		f.Set("csrf", m[1])
	default:
		f.Set("csrf", csrf)
	}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if withCookie {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res, ck
}

func noRedirect(c *http.Client) *http.Client {
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// TestWebLoginCSRFAndCookies: the log-in form needs its CSRF token (field
// and cookie), and the session cookie is HttpOnly, SameSite=Lax, Path=/,
// Secure over TLS only.
func TestWebLoginCSRFAndCookies(t *testing.T) {
	e := newAccessEnv(t)
	c := noRedirect(&http.Client{})
	const pw = "a fictional long password"
	for _, tc := range []struct {
		name, csrf string
		cookie     bool
	}{
		{"no token", "", true},
		{"wrong token", "not-the-token", true},
		{"token without its cookie", "form", false},
	} {
		res, _ := webLogin(t, c, e.ts.URL, "viewer1", pw, tc.csrf, tc.cookie)
		if res.StatusCode != 401 || cookieNamed(res, vhttp.SessionCookie) != nil {
			t.Errorf("log-in with %s: %d, session cookie %v; want 401 and none", tc.name, res.StatusCode, cookieNamed(res, vhttp.SessionCookie))
		}
	}
	res, ck := webLogin(t, c, e.ts.URL, "viewer1", pw, "form", true)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
		t.Errorf("CSRF cookie: HttpOnly %v SameSite %v; want HttpOnly, Strict", ck.HttpOnly, ck.SameSite)
	}
	s := cookieNamed(res, vhttp.SessionCookie)
	if res.StatusCode != 303 || s == nil {
		t.Fatalf("log-in: %d, session cookie %v", res.StatusCode, s)
	}
	if !s.HttpOnly || s.SameSite != http.SameSiteLaxMode || s.Path != "/" || s.Secure {
		t.Errorf("session cookie over plain HTTP: HttpOnly %v SameSite %v Path %q Secure %v; want HttpOnly, Lax, /, not Secure", s.HttpOnly, s.SameSite, s.Path, s.Secure)
	}
	if strings.Contains(res.Header.Get("Location"), "//") {
		t.Errorf("redirect after log-in leaves the site: %s", res.Header.Get("Location"))
	}

	tls := httptest.NewTLSServer(e.handler)
	defer tls.Close()
	tc := noRedirect(tls.Client())
	res, ck = webLogin(t, tc, tls.URL, "viewer1", pw, "form", true)
	s = cookieNamed(res, vhttp.SessionCookie)
	if res.StatusCode != 303 || s == nil {
		t.Fatalf("log-in over TLS: %d", res.StatusCode)
	}
	if !s.Secure || !s.HttpOnly || s.SameSite != http.SameSiteLaxMode || !ck.Secure {
		t.Errorf("over TLS: session cookie Secure %v HttpOnly %v SameSite %v, CSRF cookie Secure %v; want Secure, HttpOnly, Lax", s.Secure, s.HttpOnly, s.SameSite, ck.Secure)
	}

	// Behind a reverse proxy that terminates TLS and says so.
	pr, _ := http.NewRequest("GET", e.ts.URL+"/login", nil)
	pr.Header.Set("X-Forwarded-Proto", "https")
	pres, err := c.Do(pr)
	if err != nil {
		t.Fatal(err)
	}
	pres.Body.Close()
	if ck := cookieNamed(pres, "vigil_csrf"); ck == nil || !ck.Secure {
		t.Errorf("behind X-Forwarded-Proto: https the CSRF cookie is not Secure: %v", ck)
	}
	if ck := cookieNamed(pres, "vigil_csrf"); ck != nil {
		res, err := c.Get(e.ts.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		ck, tok := cookieNamed(res, "vigil_csrf"), csrfField.FindStringSubmatch(string(b))[1]
		f := url.Values{"username": {"viewer1"}, "password": {pw}, "csrf": {tok}}
		pr, _ := http.NewRequest("POST", e.ts.URL+"/login", strings.NewReader(f.Encode()))
		pr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		pr.Header.Set("X-Forwarded-Proto", "https")
		pr.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		pres, err := c.Do(pr)
		if err != nil {
			t.Fatal(err)
		}
		pres.Body.Close()
		if s := cookieNamed(pres, vhttp.SessionCookie); pres.StatusCode != 303 || s == nil || !s.Secure || !s.HttpOnly {
			t.Errorf("log-in behind X-Forwarded-Proto: https: %d, session cookie %v; want Secure, HttpOnly", pres.StatusCode, s)
		}
	}

	// A failed log-in looks the same whether or not the user exists, and
	// whether or not the account is locked.
	body := func(user, pw string) (int, string) {
		res, err := c.Get(e.ts.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		ck := cookieNamed(res, "vigil_csrf")
		tok := csrfField.FindStringSubmatch(string(b))[1]
		f := url.Values{"username": {user}, "password": {pw}, "csrf": {tok}}
		req, _ := http.NewRequest("POST", e.ts.URL+"/login", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		res, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ = io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, csrfField.ReplaceAllString(string(b), "")
	}
	ks, kb := body("analyst1", "a wrong fictional password")
	us, ub := body("nosuchuser", "a wrong fictional password")
	if ks != 401 || us != 401 || kb != ub {
		t.Errorf("failed log-in: known user %d, unknown user %d; pages equal %v", ks, us, kb == ub)
	}
}

// TestWebFormsNeedCSRF sends every state-changing web form with the
// session cookie but without the session's token, and with another
// session's token: each is refused and nothing changes. With the token it
// works (TestAccessEveryRoleEveryRoute). Log-out without the token keeps the
// session; with it, the session is gone from the store.
func TestWebFormsNeedCSRF(t *testing.T) {
	e := newAccessEnv(t)
	ctx := context.Background()
	c := noRedirect(&http.Client{})
	post := func(path, cookie string, f url.Values, header map[string]string) (int, string) {
		req, _ := http.NewRequest("POST", e.ts.URL+path, strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		req.AddCookie(&http.Cookie{Name: vhttp.SessionCookie, Value: cookie})
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(b)
	}
	// state is what a refused form must leave as it was.
	state := func(id int64) string {
		inc, err := e.db.FindIncidentByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		_, n, err := e.db.AuditLog(ctx, vigil.AuditFilter{Entity: "incident", EntityID: id, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s %s %d %v %q %d", inc.Review, inc.Grade, inc.MergedInto, inc.ClaimIDs, inc.Title, n)
	}
	reviewer := e.sessions["reviewer"]
	for _, bad := range []struct{ name, token string }{{"no token", ""}, {"another session's token", e.csrf["analyst"]}} {
		forms := []struct {
			action string
			inc    *vigil.Incident
			form   func(inc *vigil.Incident) url.Values
		}{
			{"review", e.incident(t, vigil.ReviewNew), func(*vigil.Incident) url.Values { return url.Values{"state": {"in_review"}} }},
			{"grade", e.incident(t, vigil.ReviewInReview), func(*vigil.Incident) url.Values { return url.Values{"grade": {"weak"}, "reason": {"t"}} }},
			{"publish", e.incident(t, vigil.ReviewVerified), func(*vigil.Incident) url.Values { return url.Values{"reason": {"t"}} }},
			{"merge", e.incident(t, vigil.ReviewNew), func(*vigil.Incident) url.Values {
				return url.Values{"incidents": {fmt.Sprint(e.incident(t, vigil.ReviewNew).ID)}, "reason": {"t"}}
			}},
			{"split", e.incident(t, vigil.ReviewNew), func(inc *vigil.Incident) url.Values {
				return url.Values{"claim": {fmt.Sprint(inc.ClaimIDs[1])}, "reason": {"t"}}
			}},
		}
		for _, f := range forms {
			v := f.form(f.inc)
			if bad.token != "" {
				v.Set("csrf", bad.token)
			}
			before := state(f.inc.ID)
			code, b := post(fmt.Sprintf("/incidents/%d/%s", f.inc.ID, f.action), reviewer, v, nil)
			if code != 401 || !strings.Contains(b, "CSRF") {
				t.Errorf("%s form with %s: %d, want 401 naming the CSRF check", f.action, bad.name, code)
			}
			if after := state(f.inc.ID); after != before {
				t.Errorf("%s form with %s changed the incident: %s -> %s", f.action, bad.name, before, after)
			}
		}
	}

	// The JSON API takes the session cookie too (the web pages' scripts
	// read it); a write through it needs the session's X-CSRF-Token header.
	inc := e.incident(t, vigil.ReviewNew)
	before := state(inc.ID)
	req := func(hdr string) int {
		r, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/incidents/%d/review", e.ts.URL, inc.ID), strings.NewReader(`{"state":"in_review"}`))
		r.Header.Set("Content-Type", "application/json")
		r.AddCookie(&http.Cookie{Name: vhttp.SessionCookie, Value: reviewer})
		if hdr != "" {
			r.Header.Set("X-CSRF-Token", hdr)
		}
		res, err := c.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := req(""); code != 401 || state(inc.ID) != before {
		t.Errorf("API write with a session cookie and no X-CSRF-Token: %d (want 401), changed %v", code, state(inc.ID) != before)
	}
	if code := req(e.csrf["analyst"]); code != 401 || state(inc.ID) != before {
		t.Errorf("API write with another session's X-CSRF-Token: %d (want 401)", code)
	}
	if code := req(e.csrf["reviewer"]); code != 200 {
		t.Errorf("API write with the session's X-CSRF-Token: %d, want 200", code)
	}
	recs, _, _ := e.db.FindVictimRecords(ctx, vigil.VictimFilter{Limit: 2})
	dr, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/review-pairs/decisions", strings.NewReader(fmt.Sprintf(`{"a":%d,"b":%d,"match":true}`, recs[0].ID, recs[1].ID)))
	dr.AddCookie(&http.Cookie{Name: vhttp.SessionCookie, Value: reviewer})
	if res, err := c.Do(dr); err != nil || res.StatusCode != 401 {
		t.Errorf("pair decision with a session cookie and no X-CSRF-Token: %v %v, want 401", res.StatusCode, err)
	}
	if ds, _ := e.db.PairDecisions(ctx); len(ds) != 0 {
		t.Errorf("a refused pair decision was stored: %v", ds)
	}

	// Log-out.
	sess := e.sessions["analyst"]
	if code, _ := post("/logout", sess, url.Values{}, nil); code != 401 {
		t.Errorf("log-out without the token: %d, want 401", code)
	}
	if _, err := e.db.FindSession(ctx, auth.HashToken(sess)); err != nil {
		t.Errorf("a refused log-out ended the session: %v", err)
	}
	code, _ := post("/logout", sess, url.Values{"csrf": {e.csrf["analyst"]}}, nil)
	if code != 303 {
		t.Errorf("log-out: %d, want 303", code)
	}
	if _, err := e.db.FindSession(ctx, auth.HashToken(sess)); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Errorf("after log-out the session is still in the store: %v", err)
	}
	// The old cookie is worth nothing now: the pages treat its bearer as
	// the public, the API refuses it.
	if code, _ := e.page(t, "analyst", "GET", "/queue", nil); code != 303 {
		t.Errorf("/queue with the logged-out cookie: %d, want 303 to the log-in page", code)
	}
	if code, _ := e.page(t, "analyst", "GET", "/documents/1", nil); code != 404 {
		t.Errorf("/documents/1 with the logged-out cookie: %d, want 404", code)
	}
	r, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/documents", nil)
	r.AddCookie(&http.Cookie{Name: vhttp.SessionCookie, Value: sess})
	if res, err := c.Do(r); err != nil || res.StatusCode != 401 {
		t.Errorf("API with the logged-out cookie: %v, want 401", res.StatusCode)
	}
}

// TestWebLoginRateLimit: past a burst of web.LoginBurst attempts, one
// address gets 429 with Retry-After, even with the right password, and no
// session; another address still logs in.
func TestWebLoginRateLimit(t *testing.T) {
	e := newAccessEnv(t)
	attempt := func(addr, user, pw string) *http.Response {
		r := httptest.NewRequest("GET", "/login", nil)
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, r)
		m := csrfField.FindStringSubmatch(w.Body.String())
		ck := cookieNamed(w.Result(), "vigil_csrf")
		if m == nil || ck == nil {
			t.Fatalf("GET /login: %d, no CSRF token", w.Code)
		}
		f := url.Values{"username": {user}, "password": {pw}, "csrf": {m[1]}}
		r = httptest.NewRequest("POST", "/login", strings.NewReader(f.Encode()))
		r.RemoteAddr = addr
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		w = httptest.NewRecorder()
		e.handler.ServeHTTP(w, r)
		return w.Result()
	}
	const pw = "a fictional long password"
	for i := 0; i < 10; i++ { // web.LoginBurst; unknown users, so that no account locks
		if res := attempt("192.0.2.10:4000", fmt.Sprintf("nobody%d", i), "a wrong fictional password"); res.StatusCode != 401 {
			t.Fatalf("attempt %d: %d, want 401", i+1, res.StatusCode)
		}
	}
	res := attempt("192.0.2.10:4001", "viewer1", pw)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || cookieNamed(res, vhttp.SessionCookie) != nil {
		t.Errorf("attempt past the burst: %d, Retry-After %q, session %v; want 429, a delay, no session", res.StatusCode, res.Header.Get("Retry-After"), cookieNamed(res, vhttp.SessionCookie))
	}
	if res := attempt("198.51.100.20:4000", "viewer1", pw); res.StatusCode != 303 || cookieNamed(res, vhttp.SessionCookie) == nil {
		t.Errorf("another address: %d, want 303 with a session", res.StatusCode)
	}
	// The refused attempt did not count against the account.
	if res := attempt("198.51.100.20:4000", "viewer1", pw); res.StatusCode != 303 {
		t.Errorf("second log-in from the other address: %d", res.StatusCode)
	}
}
