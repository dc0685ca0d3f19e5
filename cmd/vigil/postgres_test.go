package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-rec/vigil/postgres"
)

// pgSchemaURL returns the URL of a fresh schema on the test server
// (VIGIL_TEST_POSTGRES, else the one scripts/postgres-test-server starts),
// dropped when the test ends; the test skips when there is no server.
func pgSchemaURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("VIGIL_TEST_POSTGRES")
	explicit := base != ""
	if !explicit {
		base = "postgres://vigil@127.0.0.1:54329/vigil_test?sslmode=disable"
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	err = admin.PingContext(ctx)
	cancel()
	if err != nil {
		admin.Close()
		if explicit {
			t.Fatalf("VIGIL_TEST_POSTGRES=%s: %v", postgres.Redact(base), err)
		}
		t.Skipf("skipping PostgreSQL CLI test: VIGIL_TEST_POSTGRES is unset and no server answers at %s (start one with ./scripts/postgres-test-server)", base)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "vigil_cli_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestPostgresBackend runs the same commands on PostgreSQL, with blobs in
// PostgreSQL and then on a filesystem path, as on SQLite.
func TestPostgresBackend(t *testing.T) {
	db := pgSchemaURL(t)
	data := filepath.Join(t.TempDir(), "unused")
	in := fixture(t)
	pg := []string{"--db", db, "--blobs", "postgres"}
	code, out, errs := runCLI(t, data, append(pg, "ingest", in)...)
	if code != 0 || strings.Count(out, "stored as document") != 2 {
		t.Fatalf("ingest: %d %q %q", code, out, errs)
	}
	code, out, _ = runCLI(t, data, append(pg, "ingest", in)...)
	if code != 0 || strings.Count(out, "unchanged") != 2 {
		t.Fatalf("re-ingest: %d %q", code, out)
	}
	code, out, _ = runCLI(t, data, append(pg, "documents", "list", "--query", "shelling")...)
	if code != 0 || !strings.Contains(out, "1 of 1 documents") {
		t.Fatalf("search: %d %q", code, out)
	}
	code, out, errs = runCLI(t, data, append(pg, "verify")...)
	if code != 0 || !strings.Contains(out, "0 problems") {
		t.Fatalf("verify: %d %q %q", code, out, errs)
	}
	if _, err := os.Stat(data); err == nil {
		t.Fatal("--blobs postgres wrote to the data directory")
	}
	// The blobs are not in a filesystem store: verify names every document.
	shared := t.TempDir()
	code, out, _ = runCLI(t, data, "--db", db, "--blobs", shared, "verify")
	if code != 1 || strings.Count(out, "missing from the blob store") != 2 {
		t.Fatalf("verify against an empty blob directory: %d %q", code, out)
	}
	code, _, errs = runCLI(t, data, "--db", "mysql://nowhere", "documents", "list")
	if code != 2 || !strings.Contains(errs, "--db") {
		t.Fatalf("bad --db: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, data, "--blobs", "postgres", "documents", "list")
	if code != 2 || !strings.Contains(errs, "--blobs postgres") {
		t.Fatalf("--blobs postgres without --db: %d %q", code, errs)
	}
}
