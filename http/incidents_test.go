package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
	"github.com/vigil-rec/vigil/blob"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/review"
	"github.com/vigil-rec/vigil/sqlite"
	"github.com/vigil-rec/vigil/storetest"
)

type apiEnv struct {
	ts     *httptest.Server
	tokens map[string]string // username -> API token
	inc    *vigil.Incident
	pub    *vigil.Incident
}

func newAPI(t *testing.T) *apiEnv {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, _ := blob.Open(filepath.Join(dir, "blobs"))
	a := &auth.Authenticator{Users: db}
	env := &apiEnv{tokens: map[string]string{}}
	for name, role := range map[string]vigil.Role{"viewer1": vigil.RoleViewer, "analyst1": vigil.RoleAnalyst, "reviewer1": vigil.RoleReviewer, "reviewer2": vigil.RoleReviewer, "admin1": vigil.RoleAdmin} {
		u := &vigil.User{Username: name, Role: role, PasswordHash: "unused"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		tok, _, err := a.IssueAPIToken(ctx, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		env.tokens[name] = tok
	}
	doc, _, _ := db.CreateDocument(ctx, storetest.NewDocument("Fictional report about a strike."), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "t"})
	claims := []*vigil.Claim{{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike}, Extractor: "t",
		Victims: []vigil.Victim{{Name: "Fictional Minor Name", Minor: true, Status: vigil.Injured, Sensitivity: vigil.Restricted}}}}
	db.ReplaceClaims(ctx, doc.ID, claims)
	env.inc = storetest.NewIncident(17, "Aleppo")
	env.inc.ClaimIDs = []int64{claims[0].ID}
	env.inc.ProposedGrade = vigil.GradeFair
	env.inc.Victims = claims[0].Victims
	db.CreateIncident(ctx, env.inc, &vigil.AuditEntry{Actor: "vigil resolve"})
	db.PlaceClaim(ctx, &vigil.MatchDecision{ClaimID: claims[0].ID, IncidentID: env.inc.ID, Outcome: vigil.MatchNew, DecidedBy: "t"})
	env.pub = storetest.NewIncident(18, "Idlib")
	env.pub.Review, env.pub.Grade = vigil.ReviewPublished, vigil.GradeWeak
	env.pub.Victims = claims[0].Victims
	db.CreateIncident(ctx, env.pub, &vigil.AuditEntry{Actor: "t"})

	s := vhttp.NewServer(db, db, blobs, nil)
	s.Incidents = &review.Service{Store: db}
	s.Auth = a
	env.ts = httptest.NewServer(s)
	t.Cleanup(env.ts.Close)
	return env
}

func (e *apiEnv) do(t *testing.T, user, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if user == "bad-token" {
		req.Header.Set("Authorization", "Bearer not-a-token")
	} else if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestPublicAndRoles(t *testing.T) {
	e := newAPI(t)
	id := func(inc *vigil.Incident) string { return strings.TrimSpace(string(must(json.Marshal(inc.ID)))) }
	// The public: published only, redacted; everything else is "not found".
	code, body := e.do(t, "", "GET", "/api/v1/incidents", "")
	if code != 200 || body["total"].(float64) != 1 {
		t.Fatalf("public list: %d %v", code, body)
	}
	if code, _ := e.do(t, "", "GET", "/api/v1/incidents/"+id(e.inc), ""); code != 404 {
		t.Fatalf("public saw an unpublished incident: %d", code)
	}
	code, body = e.do(t, "", "GET", "/api/v1/incidents/"+id(e.pub), "")
	raw, _ := json.Marshal(body)
	if code != 200 || bytes.Contains(raw, []byte("Fictional Minor Name")) {
		t.Fatalf("public incident: %d, leaks the minor's name: %v", code, bytes.Contains(raw, []byte("Fictional Minor Name")))
	}
	for _, p := range []string{"/api/v1/documents", "/api/v1/documents/1", "/api/v1/documents/1/raw", "/api/v1/claims/1"} {
		if code, _ := e.do(t, "", "GET", p, ""); code != 404 {
			t.Errorf("public %s: %d, want 404", p, code)
		}
	}
	if code, body := e.do(t, "bad-token", "GET", "/api/v1/incidents", ""); code != 401 || body["error"].(map[string]any)["kind"] != "unauthorized" {
		t.Fatalf("bad token: %d %v", code, body)
	}
	// A viewer reads everything, restricted values included, but changes nothing.
	code, body = e.do(t, "viewer1", "GET", "/api/v1/incidents/"+id(e.inc), "")
	raw, _ = json.Marshal(body)
	if code != 200 || !bytes.Contains(raw, []byte("Fictional Minor Name")) {
		t.Fatalf("viewer get: %d", code)
	}
	if code, _ := e.do(t, "viewer1", "GET", "/api/v1/documents/1", ""); code != 200 {
		t.Fatalf("viewer document: %d", code)
	}

	path := "/api/v1/incidents/" + id(e.inc)
	steps := []struct {
		user, method, path, body string
		code                     int
	}{
		{"", "POST", path + "/review", `{"state":"in_review"}`, 401},
		{"viewer1", "POST", path + "/review", `{"state":"in_review"}`, 401},
		{"analyst1", "POST", path + "/review", `{"state":"in_review"}`, 200},
		{"analyst1", "POST", path + "/grade", `{"grade":"fair"}`, 401},
		{"reviewer1", "POST", path + "/grade", `{"grade":"confirmed"}`, 400},
		{"reviewer1", "POST", path + "/grade", `{"grade":5}`, 400},
		{"reviewer1", "POST", path + "/grade", `{"grade":"fair","colour":"red"}`, 400},
		{"reviewer1", "POST", path + "/grade", `{"grade":"fair"}`, 200},
		{"analyst1", "POST", path + "/review", `{"state":"verified"}`, 401},
		{"reviewer1", "POST", path + "/review", `{"state":"verified"}`, 200},
		{"reviewer1", "POST", path + "/publish", `{}`, 409},
		{"reviewer2", "POST", path + "/publish", `{}`, 200},
		{"analyst1", "PATCH", path, `{"title":"x","reason":"r"}`, 409},
		{"viewer1", "POST", path + "/merge", `{"incidents":[2],"reason":"r"}`, 401},
		{"admin1", "GET", "/api/v1/incidents/999", ``, 404},
	}
	for i, st := range steps {
		code, body := e.do(t, st.user, st.method, st.path, st.body)
		if code != st.code {
			t.Fatalf("step %d %s %s %s as %q: %d %v, want %d", i, st.method, st.path, st.body, st.user, code, body, st.code)
		}
	}
	code, body = e.do(t, "", "GET", "/api/v1/incidents", "")
	if body["total"].(float64) != 2 {
		t.Fatalf("after publishing the public sees %v incidents", body["total"])
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
