package http_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
	"github.com/vigil-rec/vigil/blob"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/sqlite"
)

// TestReviewPageDecisions: an analyst decides a pair on the review page's
// form; the form needs the session's CSRF token; a viewer cannot decide.
func TestReviewPageDecisions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	blobs, _ := blob.Open(filepath.Join(dir, "blobs"))
	recs := []*vigil.VictimRecord{{RecordID: "F-1", FullName: "Fictional Person Alpha", Status: vigil.Killed},
		{RecordID: "F-2", FullName: "Fictionel Person Alfa", Status: vigil.Killed}}
	if _, err := db.ImportVictims(ctx, "fictional-list", recs); err != nil {
		t.Fatal(err)
	}
	a, b := recs[0].ID, recs[1].ID
	if err := db.SaveLinkRun(ctx, &vigil.LinkRun{Lists: []string{"fictional-list"}}, map[int64]string{a: "P1", b: "P2"},
		[]*vigil.ReviewPair{{A: a, B: b, Probability: 0.6}}); err != nil {
		t.Fatal(err)
	}
	au := &auth.Authenticator{Users: db}
	session := func(name string, role vigil.Role) (*http.Cookie, string) {
		u := &vigil.User{Username: name, Role: role, PasswordHash: "unused"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		tok, sess, err := au.StartSession(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return &http.Cookie{Name: vhttp.SessionCookie, Value: tok}, sess.CSRF
	}
	s := vhttp.NewServer(db, db, blobs, nil)
	s.Auth = au
	s.RegisterVictimRoutes(db)
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	analyst, csrf := session("analyst1", vigil.RoleAnalyst)
	viewer, viewerCSRF := session("viewer1", vigil.RoleViewer)

	req, _ := http.NewRequest("GET", ts.URL+"/victims/review", nil)
	req.AddCookie(analyst)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if resp.StatusCode != 200 || m == nil || string(m[1]) != csrf || !strings.Contains(string(page), "Same person") {
		t.Fatalf("review page: %d, csrf in form: %v", resp.StatusCode, m != nil)
	}

	post := func(c *http.Cookie, form url.Values) int {
		req, _ := http.NewRequest("POST", ts.URL+"/victims/review/decide", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c != nil {
			req.AddCookie(c)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	form := func(token string) url.Values {
		return url.Values{"csrf": {token}, "a": {strconv.FormatInt(a, 10)}, "b": {strconv.FormatInt(b, 10)}, "match": {"true"}, "note": {"same date and place"}}
	}
	if code := post(nil, form(csrf)); code != 401 {
		t.Fatalf("no session: %d", code)
	}
	if code := post(analyst, form("")); code != 401 {
		t.Fatalf("no CSRF token: %d", code)
	}
	if code := post(analyst, form(viewerCSRF)); code != 401 {
		t.Fatalf("another session's CSRF token: %d", code)
	}
	if code := post(viewer, form(viewerCSRF)); code != 403 {
		t.Fatalf("viewer decided: %d", code)
	}
	if ds, _ := db.PairDecisions(ctx); len(ds) != 0 {
		t.Fatalf("a refused request stored a decision: %+v", ds)
	}
	if code := post(analyst, form(csrf)); code != 303 {
		t.Fatalf("analyst with token: %d", code)
	}
	ds, _ := db.PairDecisions(ctx)
	if len(ds) != 1 || !ds[0].Match || ds[0].Reviewer != "analyst1" || ds[0].Note != "same date and place" {
		t.Fatalf("decision: %+v", ds)
	}
}
