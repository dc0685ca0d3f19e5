package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/sqlite"
	"github.com/vigil-rec/vigil/storetest"
)

func open(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) vigil.Store { return open(t) })
}

func TestPragmasAndMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigil.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	var fk int
	db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	db.SQL().QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	if mode != "wal" || fk != 1 {
		t.Fatalf("journal_mode=%q foreign_keys=%d; want wal and 1", mode, fk)
	}
	names, err := db.Migrations(ctx)
	if err != nil || len(names) < 2 || names[0] != "migrations/0001_documents.sql" {
		t.Fatalf("migrations = %v, %v", names, err)
	}
	db.Close()
	// Reopening applies nothing twice.
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := db.Migrations(ctx)
	if len(again) != len(names) {
		t.Fatalf("reopen: %v", again)
	}
	// Foreign keys are enforced.
	if _, err := db.SQL().Exec(`INSERT INTO custody_events (document_id, action, actor, at, sha256, prev_hash, hash) VALUES (77, 'a', 'b', 'c', 'd', '', 'e')`); err == nil {
		t.Fatal("custody event for a missing document was accepted")
	}
	db.Close()
}

func TestVerifyCustodyDetectsTampering(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"edited", `UPDATE custody_events SET actor = 'someone else' WHERE id = 2`, "custody event 2"},
		{"deleted", `DELETE FROM custody_events WHERE id = 2`, "custody event 3"},
		{"newest deleted", `DELETE FROM custody_events WHERE id = 3`, "custody log head"},
		{"audit entry deleted from the end", `DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)`, "audit log head"},
		{"reordered", `UPDATE custody_events SET id = 100 WHERE id = 2; UPDATE custody_events SET id = 2 WHERE id = 3; UPDATE custody_events SET id = 3 WHERE id = 100`, "chain broken"},
		{"wrong document hash", `UPDATE documents SET sha256 = '` + string(make64('f')) + `' WHERE id = 1`, "document's hash"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t)
			defer db.Close()
			for i := 0; i < 3; i++ {
				d := storetest.NewDocument("tamper test " + string(rune('a'+i)))
				if _, _, err := db.CreateDocument(ctx, d, &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"}); err != nil {
					t.Fatal(err)
				}
			}
			for i := 0; i < 2; i++ {
				if err := db.AppendAudit(ctx, &vigil.AuditEntry{Actor: "test", Action: "note", Entity: "incident", EntityID: int64(i + 1)}); err != nil {
					t.Fatal(err)
				}
			}
			verify := func() []vigil.Problem {
				p, _, err := db.VerifyCustody(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pa, _, err := db.VerifyAudit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return append(p, pa...)
			}
			if p := verify(); len(p) != 0 {
				t.Fatalf("clean store has problems: %v", p)
			}
			if _, err := db.SQL().Exec(tc.sql); err != nil {
				t.Fatal(err)
			}
			p := verify()
			found := false
			for _, pr := range p {
				if strings.Contains(pr.Where+" "+pr.Message, tc.want) {
					found = true
				}
			}
			if !found {
				t.Fatalf("problems %v do not mention %q", p, tc.want)
			}
		})
	}
}

func make64(c byte) []byte {
	b := make([]byte, 64)
	for i := range b {
		b[i] = c
	}
	return b
}

// TestChainHeadRecordedAfterRowCopy: a store whose chains were copied row by
// row (vigil migrate) has no head yet; it verifies, and the next append
// records the head from a count, so a later deletion at the end is caught.
func TestChainHeadRecordedAfterRowCopy(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	defer db.Close()
	for i := 0; i < 3; i++ {
		if _, _, err := db.CreateDocument(ctx, storetest.NewDocument("copy test "+string(rune('a'+i))), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SQL().Exec(`UPDATE chain_heads SET hash = '', entries = 0`); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := db.VerifyCustody(ctx); len(p) != 0 {
		t.Fatalf("copied store: %v", p)
	}
	if err := db.AddCustodyEvent(ctx, &vigil.CustodyEvent{DocumentID: 1, Action: "note", Actor: "test", SHA256: storetest.NewDocument("copy test a").SHA256}); err != nil {
		t.Fatal(err)
	}
	if p, n, _ := db.VerifyCustody(ctx); len(p) != 0 || n != 4 {
		t.Fatalf("after an append: %d events, %v", n, p)
	}
	db.SQL().Exec(`DELETE FROM custody_events WHERE id = 4`)
	if p, _, _ := db.VerifyCustody(ctx); len(p) != 1 || p[0].Where != "custody log head" {
		t.Fatalf("deletion at the end not caught: %v", p)
	}
}

// TestReindexOnOpen: a store whose full-text index disagrees with its
// documents (an older index form, or rows copied in by vigil migrate) is
// reindexed when it opens.
func TestReindexOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigil.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateDocument(ctx, storetest.NewDocument("قصف على سوقٍ وهمي في مدينة مثال"), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	db.SQL().Exec(`DELETE FROM documents_fts`)
	if _, n, _ := db.FindDocuments(ctx, vigil.DocumentFilter{Query: "سوق"}); n != 0 {
		t.Fatalf("emptied index still finds %d", n)
	}
	db.Close()
	if db, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, n, _ := db.FindDocuments(ctx, vigil.DocumentFilter{Query: "سوق"}); n != 1 {
		t.Fatalf("after reopening: %d found, want 1", n)
	}
}
