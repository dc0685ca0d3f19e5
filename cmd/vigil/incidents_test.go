package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
	"github.com/vigil-rec/vigil/sqlite"
	"github.com/vigil-rec/vigil/storetest"
)

func runIn(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsersAndIncidentWorkflow(t *testing.T) {
	dir := t.TempDir()
	for _, u := range [][2]string{{"ana", "analyst"}, {"rev1", "reviewer"}, {"rev2", "reviewer"}} {
		if code, _, errs := runIn(t, dir, "fictional-password\n", "user", "add", u[0], "--role", u[1]); code != 0 {
			t.Fatalf("user add %s: %s", u[0], errs)
		}
	}
	if code, _, errs := runIn(t, dir, "short\n", "user", "add", "x", "--role", "viewer"); code != 1 || !strings.Contains(errs, "password: must be at least") {
		t.Fatalf("short password: %d %s", code, errs)
	}
	if code, _, errs := runIn(t, dir, "fictional-password\n", "user", "add", "y", "--role", "king"); code != 2 || !strings.Contains(errs, "--role") {
		t.Fatalf("bad role: %d %s", code, errs)
	}
	code, out, _ := runIn(t, dir, "", "user", "list", "--json")
	if code != 0 || strings.Count(out, `"username"`) != 3 || strings.Contains(out, "argon2") {
		t.Fatalf("user list: %s", out)
	}

	// Put an incident in the store directly (resolution is another package's job).
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	blobs, _ := blob.Open(filepath.Join(dir, "blobs"))
	blobs.Put(ctx, []byte("Fictional."))
	doc, _, _ := db.CreateDocument(ctx, storetest.NewDocument("Fictional."), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "t"})
	cl := []*vigil.Claim{{EventType: vigil.Valued[vigil.EventType]{Value: vigil.EventAirStrike}, Extractor: "t"}}
	db.ReplaceClaims(ctx, doc.ID, cl)
	inc := storetest.NewIncident(17, "Aleppo")
	inc.ClaimIDs, inc.ProposedGrade = []int64{cl[0].ID}, vigil.GradeFair
	db.CreateIncident(ctx, inc, &vigil.AuditEntry{Actor: "t"})
	db.Close()

	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"incidents", "list"}, 0, "1 of 1 incidents"},
		{[]string{"incidents", "review", "1", "in_review"}, 2, "--as USERNAME"},
		{[]string{"incidents", "review", "1", "in_review", "--as", "nobody"}, 1, `no user "nobody"`},
		{[]string{"incidents", "review", "1", "in_review", "--as", "ana"}, 0, "incident 1: in_review"},
		{[]string{"incidents", "grade", "1", "confirmed", "--as", "rev1"}, 1, "needs a reason"},
		{[]string{"incidents", "grade", "1", "confirmed", "--as", "rev1", "--reason", "video evidence"}, 0, `grade "confirmed"`},
		{[]string{"incidents", "review", "1", "verified", "--as", "rev1"}, 0, "verified"},
		{[]string{"incidents", "publish", "1", "--as", "rev1"}, 1, "four eyes"},
		{[]string{"incidents", "publish", "1", "--as", "rev2"}, 0, "published"},
		{[]string{"incidents", "list", "--state", "published", "--json"}, 0, `"review_state": "published"`},
		{[]string{"incidents", "show", "1"}, 0, "publish"},
	}
	for _, st := range steps {
		code, out, errs := runIn(t, dir, "", st.args...)
		if code != st.code || !strings.Contains(out+errs, st.want) {
			t.Fatalf("%v: exit %d\n%s%s\nwant exit %d and %q", st.args, code, out, errs, st.code, st.want)
		}
	}
	code, out, _ = runIn(t, dir, "", "incidents", "show", "1", "--json")
	var d struct {
		History []vigil.AuditEntry `json:"history"`
	}
	json.Unmarshal([]byte(out), &d)
	if code != 0 || len(d.History) < 5 {
		t.Fatalf("history has %d entries", len(d.History))
	}
	if code, out, _ := runIn(t, dir, "", "verify"); code != 0 || !strings.Contains(out, "0 problems") {
		t.Fatalf("verify: %s", out)
	}
}
