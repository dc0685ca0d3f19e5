package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrateToPostgresAndBack copies an embedded store into PostgreSQL,
// resumes an interrupted copy, copies it back into a new embedded store,
// and checks that both copies verify and list the same data.
func TestMigrateToPostgresAndBack(t *testing.T) {
	db := pgSchemaURL(t)
	src := filepath.Join(t.TempDir(), "src")
	in := fixture(t)
	if code, out, errs := runCLI(t, src, "ingest", in); code != 0 {
		t.Fatalf("ingest: %d %q %q", code, out, errs)
	}
	if code, out, errs := runCLI(t, src, "resolve"); code != 0 {
		t.Fatalf("resolve: %d %q %q", code, out, errs)
	}
	code, out, errs := runCLI(t, src, "migrate", "--to", db)
	if code != 0 || !strings.Contains(out, "verified") || !strings.Contains(out, "2 documents") {
		t.Fatalf("migrate: %d %q %q", code, out, errs)
	}
	// An interrupted copy: the last rows of some tables are missing.
	sqldb, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	if _, err := sqldb.Exec(`DELETE FROM audit_log WHERE id > 1; DELETE FROM incident_keys`); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, src, "migrate", "--to", db)
	if code != 0 || !strings.Contains(out, "verified") || !strings.Contains(out, "0 blobs written") {
		t.Fatalf("resumed migrate: %d %q %q", code, out, errs)
	}
	pg := []string{"--db", db, "--blobs", "postgres"}
	code, out, errs = runCLI(t, src, append(pg, "verify")...)
	if code != 0 {
		t.Fatalf("verify the PostgreSQL copy: %d %q %q", code, out, errs)
	}
	_, want, _ := runCLI(t, src, "incidents", "list")
	_, got, _ := runCLI(t, src, append(pg, "incidents", "list")...)
	if got != want || !strings.Contains(got, "Exampleville") && !strings.Contains(got, "shelling") {
		t.Fatalf("incidents differ:\n%s\nwant\n%s", got, want)
	}
	// and back
	back := filepath.Join(t.TempDir(), "back")
	code, out, errs = runCLI(t, src, append(pg, "migrate", "--to", back)...)
	if code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("migrate back: %d %q %q", code, out, errs)
	}
	if code, out, _ := runCLI(t, back, "verify"); code != 0 {
		t.Fatalf("verify the copy back: %q", out)
	}
	if _, out, _ := runCLI(t, back, "documents", "list", "--query", "shelling"); !strings.Contains(out, "1 of 1 documents") {
		t.Fatalf("search in the copy back: %q", out)
	}
	// A different store cannot be poured into the same target.
	other := filepath.Join(t.TempDir(), "other")
	runCLI(t, other, "ingest", fixture(t)+"/two.txt")
	if code, _, errs := runCLI(t, other, "migrate", "--to", db); code != 1 || !strings.Contains(errs, "not a copy") {
		t.Fatalf("migrating another store into the copy: %d %q", code, errs)
	}
}
