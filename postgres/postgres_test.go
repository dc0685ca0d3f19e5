package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
	"github.com/vigil-rec/vigil/postgres"
	"github.com/vigil-rec/vigil/storetest"
)

// defaultURL is where scripts/postgres-test-server starts its server.
const defaultURL = "postgres://vigil@127.0.0.1:54329/vigil_test?sslmode=disable"

var (
	serverOnce sync.Once
	serverURL  string
	serverErr  error
)

// server returns the URL of the test server: VIGIL_TEST_POSTGRES, or the
// one scripts/postgres-test-server starts if it is running. The test skips
// with a message when there is none.
func server(t testing.TB) string {
	t.Helper()
	serverOnce.Do(func() {
		u := os.Getenv("VIGIL_TEST_POSTGRES")
		explicit := u != ""
		if !explicit {
			u = defaultURL
		}
		db, err := sql.Open("pgx", u)
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			err = db.PingContext(ctx)
			cancel()
			db.Close()
		}
		serverURL, serverErr = u, err
		if err != nil && !explicit {
			serverErr = fmt.Errorf("VIGIL_TEST_POSTGRES is unset and no server answers at %s (start one with ./scripts/postgres-test-server): %w", defaultURL, err)
		}
	})
	if serverErr != nil {
		if os.Getenv("VIGIL_TEST_POSTGRES") != "" {
			t.Fatalf("VIGIL_TEST_POSTGRES=%s: %v", postgres.Redact(serverURL), serverErr)
		}
		t.Skipf("skipping PostgreSQL tests: %v", serverErr)
	}
	return serverURL
}

// schemaURL creates a fresh schema for one test, dropped when the test
// ends, and returns the server URL with search_path set to it.
func schemaURL(t testing.TB) string {
	t.Helper()
	base := server(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "vigil_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), schemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	server(t)
	storetest.Run(t, func(t *testing.T) vigil.Store { return open(t) })
}

func TestMigrationsRecordedOnce(t *testing.T) {
	ctx := context.Background()
	u := schemaURL(t)
	db, err := postgres.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	names, err := db.Migrations(ctx)
	if err != nil || len(names) < 6 || names[0] != "migrations/0001_documents.sql" {
		t.Fatalf("migrations = %v, %v", names, err)
	}
	db.Close()
	// Several processes opening at once migrate once.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := postgres.Open(ctx, u)
			if err == nil {
				d.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db, err = postgres.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again, _ := db.Migrations(ctx)
	if len(again) != len(names) {
		t.Fatalf("reopen: %v", again)
	}
	if _, err := db.SQL().Exec(`INSERT INTO custody_events (document_id, action, actor, at, sha256, prev_hash, hash) VALUES (77, 'a', 'b', 'c', 'd', '', 'e')`); err == nil {
		t.Fatal("custody event for a missing document was accepted")
	}
}

func TestVerifyCustodyDetectsTampering(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"edited", `UPDATE custody_events SET actor = 'someone else' WHERE id = 2`, "custody event 2"},
		{"deleted", `DELETE FROM custody_events WHERE id = 2`, "custody event 3"},
		{"reordered", `UPDATE custody_events SET id = 100 WHERE id = 2; UPDATE custody_events SET id = 2 WHERE id = 3; UPDATE custody_events SET id = 3 WHERE id = 100`, "chain broken"},
		{"wrong document hash", `UPDATE documents SET sha256 = '` + strings.Repeat("f", 64) + `' WHERE id = 1`, "document's hash"},
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
			if p, _, _ := db.VerifyCustody(ctx); len(p) != 0 {
				t.Fatalf("clean store has problems: %v", p)
			}
			if _, err := db.SQL().Exec(tc.sql); err != nil {
				t.Fatal(err)
			}
			p, _, err := db.VerifyCustody(ctx)
			if err != nil {
				t.Fatal(err)
			}
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

// TestChainsDoNotFork appends to the custody and audit chains from several
// connection pools at once (as separate processes would) and checks that
// each chain is one unbroken line.
func TestChainsDoNotFork(t *testing.T) {
	ctx := context.Background()
	u := schemaURL(t)
	const pools, perPool = 4, 25
	dbs := make([]*postgres.DB, pools)
	for i := range dbs {
		db, err := postgres.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	first := storetest.NewDocument("the document every event is about")
	if _, _, err := dbs[0].CreateDocument(ctx, first, &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, pools*perPool*3)
	for p, db := range dbs {
		for g := 0; g < 2; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < perPool; i++ {
					body := fmt.Sprintf("document %d/%d/%d", p, g, i)
					if _, _, err := db.CreateDocument(ctx, storetest.NewDocument(body), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"}); err != nil {
						errs <- err
						return
					}
					if err := db.AddCustodyEvent(ctx, &vigil.CustodyEvent{DocumentID: first.ID, Action: vigil.CustodyVerified, Actor: "test", SHA256: first.SHA256}); err != nil {
						errs <- err
						return
					}
					if err := db.AppendAudit(ctx, &vigil.AuditEntry{Actor: "test", Action: "note", Entity: "document", EntityID: first.ID}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	problems, n, err := dbs[0].VerifyCustody(ctx)
	if err != nil || len(problems) != 0 || n != 1+pools*2*perPool*2 {
		t.Fatalf("custody: %d events, problems %v, %v", n, problems, err)
	}
	problems, n, err = dbs[0].VerifyAudit(ctx)
	if err != nil || len(problems) != 0 || n != pools*2*perPool {
		t.Fatalf("audit: %d entries, problems %v, %v", n, problems, err)
	}
}

// TestSameBytesConcurrently stores the same document from several pools at
// once: it is stored once, with one ingest event.
func TestSameBytesConcurrently(t *testing.T) {
	ctx := context.Background()
	u := schemaURL(t)
	var wg sync.WaitGroup
	created := make(chan bool, 8)
	for i := 0; i < 8; i++ {
		db, err := postgres.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, c, err := db.CreateDocument(ctx, storetest.NewDocument("the same bytes from everywhere"), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"})
			if err != nil {
				t.Error(err)
			}
			created <- c
		}()
	}
	wg.Wait()
	close(created)
	n := 0
	for c := range created {
		if c {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("created = true %d times, want once", n)
	}
}

func TestArabicNormalisation(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	defer db.Close()
	// stored with hamza, taa marbuta, alef maqsura, tatweel and harakat
	for _, body := range []string{
		"قُتِلَ أحمد في قصف على مدرسة المستشفى الـكبير",
		"A fictional report on the shelling of a market.",
	} {
		if _, _, err := db.CreateDocument(ctx, storetest.NewDocument(body), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string]int{
		"احمد":          1, // bare alef for alef with hamza
		"أحمد":          1,
		"إحمد":          1,
		"مدرسه":         1, // heh for taa marbuta
		"المستشفي":      1, // yeh for alef maqsura
		"قتل":           1, // harakat ignored
		"الكبير":        1, // tatweel ignored
		"مدرسة احمد":    1,
		"مدرسة غائب":    0,
		"markets shell": 1, // English stemming
		"the":           1, // a stop word still matches as written
		"MARKET":        1,
		"'":             0,
		"shel:*":        0, // never tsquery syntax (no prefix match)
	} {
		_, total, err := db.FindDocuments(ctx, vigil.DocumentFilter{Query: q})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if total != want {
			t.Errorf("query %q: %d results, want %d", q, total, want)
		}
	}
}

func TestBlobStore(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	defer db.Close()
	bs := db.Blobs()
	data := []byte("original bytes of a fictional report")
	sha, err := bs.Put(ctx, data)
	if err != nil || sha != blob.Sum(data) {
		t.Fatalf("Put = %s, %v", sha, err)
	}
	if again, err := bs.Put(ctx, data); err != nil || again != sha {
		t.Fatalf("second Put = %s, %v", again, err)
	}
	if n, _ := bs.Count(ctx); n != 1 {
		t.Fatalf("%d blobs after storing the same bytes twice", n)
	}
	got, err := blob.ReadAll(ctx, bs, strings.ToUpper(sha))
	if err != nil || string(got) != string(data) {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
	if ok, err := bs.Has(ctx, sha); !ok || err != nil {
		t.Fatalf("Has = %v, %v", ok, err)
	}
	if ok, _ := bs.Has(ctx, blob.Sum([]byte("other"))); ok {
		t.Fatal("Has reports a blob never stored")
	}
	if _, err := bs.Open(ctx, blob.Sum([]byte("other"))); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("Open missing: %v", err)
	}
	if _, err := bs.Open(ctx, "../etc"); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatalf("Open bad name: %v", err)
	}
	if p, err := bs.Verify(ctx); err != nil || len(p) != 0 {
		t.Fatalf("Verify clean = %v, %v", p, err)
	}
	empty, err := bs.Put(ctx, nil)
	if err != nil || empty != blob.Sum(nil) {
		t.Fatalf("empty blob: %s %v", empty, err)
	}
	if _, err := db.SQL().Exec(`UPDATE blobs SET data = 'altered'::bytea WHERE sha256 = $1`, sha); err != nil {
		t.Fatal(err)
	}
	p, err := bs.Verify(ctx)
	if err != nil || len(p) != 1 || p[0].Where != "blob "+sha || !strings.Contains(p[0].Message, "altered") {
		t.Fatalf("Verify after tampering = %v, %v", p, err)
	}
}

// TestVerifyWholeStore runs vigil.Verify over a PostgreSQL store with its
// blobs in PostgreSQL, as `vigil verify --db ... --blobs postgres` does.
func TestVerifyWholeStore(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	defer db.Close()
	bs := db.Blobs()
	for i := 0; i < 3; i++ {
		body := fmt.Sprintf("fictional report %d", i)
		sha, err := bs.Put(ctx, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		doc := storetest.NewDocument(body)
		if doc.SHA256 != sha {
			t.Fatal("hash mismatch")
		}
		if _, _, err := db.CreateDocument(ctx, doc, &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := vigil.Verify(ctx, db, bs)
	if err != nil || !rep.OK || rep.Documents != 3 || rep.Blobs != 3 || rep.CustodyEvents != 3 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
	if _, err := db.SQL().Exec(`DELETE FROM blobs WHERE sha256 = (SELECT sha256 FROM documents WHERE id = 2)`); err != nil {
		t.Fatal(err)
	}
	rep, err = vigil.Verify(ctx, db, bs)
	if err != nil || rep.OK || len(rep.Problems) != 1 || rep.Problems[0].Where != "document 2" {
		t.Fatalf("Verify after deleting a blob = %+v, %v", rep, err)
	}
}

func TestDigestUnchangedByFailedAtomic(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	defer db.Close()
	if _, _, err := db.CreateDocument(ctx, storetest.NewDocument("kept"), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	before, err := db.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	boom := vigil.Errorf(vigil.ECONFLICT, "boom")
	err = db.Atomic(ctx, func(s vigil.Store) error {
		if _, _, err := s.CreateDocument(ctx, storetest.NewDocument("dropped"), &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "test"}); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatal(err)
	}
	after, _ := db.Digest(ctx)
	if before != after {
		t.Fatal("a rolled-back transaction changed the store")
	}
}

func TestRedact(t *testing.T) {
	if got := postgres.Redact("postgres://u:secret@h:5432/db"); strings.Contains(got, "secret") {
		t.Fatal(got)
	}
	if !postgres.IsURL("postgresql://h/db") || postgres.IsURL("./vigil-data") {
		t.Fatal("IsURL")
	}
}
