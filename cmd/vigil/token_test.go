package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
)

// TestAPITokensHashedAndRevocable issues a token with 'vigil user token',
// uses it on every class of endpoint, revokes it with 'vigil user revoke'
// and checks that each refuses it (401: a revoked token is never taken
// for the public). No token or session token is anywhere in the data
// directory in clear (database, WAL, blobs); their SHA-256 is.
func TestAPITokensHashedAndRevocable(t *testing.T) {
	e := newAccessEnv(t)
	ctx := context.Background()
	code, out, errOut := runCLI(t, e.data, "user", "token", "reviewer1", "--name", "revocation test")
	if code != 0 {
		t.Fatalf("user token: %s", errOut)
	}
	tok := strings.TrimSpace(out)
	m := regexp.MustCompile(`API token (\d+) for`).FindStringSubmatch(errOut)
	if tok == "" || m == nil {
		t.Fatalf("user token printed %q / %q", out, errOut)
	}
	unpub := e.incident(t, vigil.ReviewInReview)
	recs, _, _ := e.db.FindVictimRecords(ctx, vigil.VictimFilter{Limit: 4})
	docs, _, _ := e.db.FindDocuments(ctx, vigil.DocumentFilter{Limit: 1})
	type call struct{ class, method, path, body string }
	calls := func() []call {
		fresh := e.incident(t, vigil.ReviewNew)
		return []call{
			{"documents", "GET", fmt.Sprintf("/api/v1/documents/%d", docs[0].ID), ""},
			{"claims", "GET", fmt.Sprintf("/api/v1/claims/%d", unpub.ClaimIDs[0]), ""},
			{"incident read", "GET", fmt.Sprintf("/api/v1/incidents/%d", unpub.ID), ""},
			{"incident list", "GET", "/api/v1/incidents", ""},
			{"incident write", "POST", fmt.Sprintf("/api/v1/incidents/%d/review", fresh.ID), `{"state":"in_review"}`},
			{"victims read", "GET", "/api/v1/persons", ""},
			{"victims write", "POST", "/api/v1/review-pairs/decisions", fmt.Sprintf(`{"a":%d,"b":%d,"match":false}`, recs[0].ID, recs[1].ID)},
			{"export", "GET", "/api/v1/export/incidents.csv", ""},
			{"map", "GET", "/api/v1/map/incidents", ""},
			{"aggregate", "GET", "/api/v1/aggregate/incidents?by=month", ""},
			{"web page", "GET", fmt.Sprintf("/incidents/%d", unpub.ID), ""},
		}
	}
	do := func(c call) int {
		req, _ := http.NewRequest(c.method, e.ts.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+tok)
		if c.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		code, _ := send(t, req)
		return code
	}
	for _, c := range calls() {
		if got := do(c); got != 200 {
			t.Errorf("before revocation, %s (%s %s): %d, want 200", c.class, c.method, c.path, got)
		}
	}
	if code, _, errOut := runCLI(t, e.data, "user", "revoke", m[1]); code != 0 {
		t.Fatalf("user revoke: %s", errOut)
	}
	for _, c := range calls() {
		if got := do(c); got != 401 {
			t.Errorf("revoked token, %s (%s %s): %d, want 401", c.class, c.method, c.path, got)
		}
	}
	if ds, _ := e.db.PairDecisions(ctx); len(ds) != 1 {
		t.Errorf("pair decisions: %d, want the one made before revocation", len(ds))
	}

	// Nothing in clear on disk.
	var files [][]byte
	filepath.WalkDir(e.data, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := os.ReadFile(p); err == nil {
				files = append(files, b)
			}
		}
		return nil
	})
	if len(files) < 2 {
		t.Fatalf("read %d files under %s", len(files), e.data)
	}
	secrets := map[string]string{"CLI token": tok}
	for role := range e.tokens {
		secrets[role+" API token"] = e.tokens[role]
		secrets[role+" session"] = e.sessions[role]
	}
	for name, s := range secrets {
		clear, hashed := false, false
		for _, b := range files {
			clear = clear || bytes.Contains(b, []byte(s))
			hashed = hashed || bytes.Contains(b, []byte(auth.HashToken(s)))
		}
		if clear {
			t.Errorf("%s is in the data directory in clear", name)
		}
		if !hashed {
			t.Errorf("%s: its hash is not in the data directory either (is the check reading the store?)", name)
		}
	}
}
