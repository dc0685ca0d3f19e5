package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/postgres"
	"github.com/vigil-rec/vigil/storetest"
)

func TestEnqueueIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	defer db.Close()
	var jobs []postgres.NewJob
	for i := 0; i < 1200; i++ {
		jobs = append(jobs, postgres.NewJob{Kind: "test", Key: fmt.Sprint(i), Payload: `{"n":1}`})
	}
	if n, err := db.Enqueue(ctx, jobs); err != nil || n != 1200 {
		t.Fatalf("Enqueue = %d, %v", n, err)
	}
	if n, err := db.Enqueue(ctx, jobs); err != nil || n != 0 {
		t.Fatalf("second Enqueue = %d, %v; want 0", n, err)
	}
	if _, err := db.Enqueue(ctx, []postgres.NewJob{{Kind: "test"}}); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatalf("job without key: %v", err)
	}
}

// TestWorkersProcessEachJobOnce runs several workers, on separate pools as
// separate processes would, over jobs that each store one document, and
// checks that every job's work was committed exactly once, with retries for
// failing attempts and a permanent failure for invalid input.
func TestWorkersProcessEachJobOnce(t *testing.T) {
	ctx := context.Background()
	u := schemaURL(t)
	db, err := postgres.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 300
	var jobs []postgres.NewJob
	for i := 0; i < n; i++ {
		jobs = append(jobs, postgres.NewJob{Kind: "store", Key: fmt.Sprint(i), Payload: fmt.Sprintf(`"fictional report %d"`, i)})
	}
	jobs = append(jobs, postgres.NewJob{Kind: "store", Key: "bad", Payload: `"invalid"`})
	if _, err := db.Enqueue(ctx, jobs); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	failedOnce := map[string]bool{}
	handler := func(ctx context.Context, st vigil.Store, j *postgres.Job) (string, error) {
		if j.Key == "bad" {
			return "", vigil.Errorf(vigil.EINVALID, "invalid input")
		}
		mu.Lock()
		first := j.Key == "7" && !failedOnce[j.Key]
		failedOnce[j.Key] = true
		mu.Unlock()
		doc := storetest.NewDocument(j.Payload)
		if _, _, err := st.CreateDocument(ctx, doc, &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: "worker"}); err != nil {
			return "", err
		}
		if first {
			return "", errors.New("a transient failure after writing: rolled back")
		}
		return fmt.Sprint(doc.ID), nil
	}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wdb, err := postgres.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer wdb.Close()
		w := &postgres.Worker{DB: wdb, ID: fmt.Sprintf("w%d", i), Handlers: map[string]postgres.Handler{"store": handler},
			Concurrency: 2, Lease: 5 * time.Second, Poll: 50 * time.Millisecond, ExitIdle: true}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Run(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	// the retried job waits for its backoff; make it due now
	go func() {
		for i := 0; i < 200; i++ {
			time.Sleep(50 * time.Millisecond)
			db.SQL().Exec(`UPDATE jobs SET run_at = now() WHERE state = 'pending' AND attempts > 0`)
		}
	}()
	wg.Wait()
	c, err := db.JobCounts(ctx, "")
	if err != nil || c[postgres.JobDone] != n || c[postgres.JobFailed] != 1 {
		t.Fatalf("counts %v, %v", c, err)
	}
	_, total, _ := db.FindDocuments(ctx, vigil.DocumentFilter{})
	if total != n {
		t.Fatalf("%d documents, want %d", total, n)
	}
	var dup int
	db.SQL().QueryRow(`SELECT count(*) FROM (SELECT document_id FROM custody_events GROUP BY document_id HAVING count(*) > 1) x`).Scan(&dup)
	if dup != 0 {
		t.Fatalf("%d documents ingested more than once", dup)
	}
	var attempts int
	db.SQL().QueryRow(`SELECT attempts FROM jobs WHERE key = '7'`).Scan(&attempts)
	if attempts != 2 {
		t.Fatalf("the failing job took %d attempts, want 2", attempts)
	}
	if p, _, _ := db.VerifyCustody(ctx); len(p) != 0 {
		t.Fatal(p)
	}
}

// TestExpiredLeaseIsTakenOver: a worker that stops renewing its lease (it
// died) loses the job to another, and can no longer complete it.
func TestExpiredLeaseIsTakenOver(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	defer db.Close()
	db.Enqueue(ctx, []postgres.NewJob{{Kind: "k", Key: "1"}})
	a, err := db.Claim(ctx, "dead", nil, 1, 100*time.Millisecond)
	if err != nil || len(a) != 1 {
		t.Fatalf("claim: %v %v", a, err)
	}
	if b, _ := db.Claim(ctx, "other", nil, 1, time.Minute); len(b) != 0 {
		t.Fatal("a leased job was claimed twice")
	}
	time.Sleep(150 * time.Millisecond)
	b, err := db.Claim(ctx, "other", nil, 1, time.Minute)
	if err != nil || len(b) != 1 || b[0].Attempts != 2 {
		t.Fatalf("takeover: %v %v", b, err)
	}
	if err := db.Complete(ctx, "dead", a[0], ""); !errors.Is(err, postgres.ErrLeaseLost) {
		t.Fatalf("the dead worker completed a job it lost: %v", err)
	}
	if err := db.Extend(ctx, "dead", a[0], time.Minute); !errors.Is(err, postgres.ErrLeaseLost) {
		t.Fatalf("the dead worker renewed a job it lost: %v", err)
	}
	if err := db.Complete(ctx, "other", b[0], "ok"); err != nil {
		t.Fatal(err)
	}
	if d := postgres.Backoff(1); d < 2*time.Second || d > 3*time.Second {
		t.Fatalf("Backoff(1) = %v", d)
	}
	if d := postgres.Backoff(30); d > 13*time.Minute {
		t.Fatalf("Backoff(30) = %v", d)
	}
}

// TestEnqueueFollowUp: a follow-up is not queued while one is pending; a
// pending one found is held until the transaction commits, so no worker
// claims it before the work that asked for it is visible; one held by
// another transaction is skipped and a second follow-up is queued.
func TestEnqueueFollowUp(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	defer db.Close()
	if _, err := db.EnqueueFollowUp(ctx, "resolve", "auto:", "1", "{}"); err == nil {
		t.Fatal("EnqueueFollowUp outside a transaction succeeded")
	}
	if err := db.LockJobKind(ctx, "resolve"); err == nil {
		t.Fatal("LockJobKind outside a transaction succeeded")
	}
	follow := func(st vigil.Store, key string) bool {
		added, err := st.(*postgres.DB).EnqueueFollowUp(ctx, "resolve", "auto:", key, "{}")
		if err != nil {
			t.Fatal(err)
		}
		return added
	}
	if err := db.Atomic(ctx, func(st vigil.Store) error {
		if !follow(st, "1") {
			t.Error("first follow-up not added")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Hold the pending follow-up in an open transaction, as an extract job
	// does until it commits.
	held := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- db.Atomic(ctx, func(st vigil.Store) error {
			if follow(st, "2") {
				t.Error("a second follow-up was added while one is pending")
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	if jobs, err := db.Claim(ctx, "w", []string{"resolve"}, 5, time.Minute); err != nil || len(jobs) != 0 {
		t.Fatalf("claimed %d follow-ups held by an open transaction (%v)", len(jobs), err)
	}
	if err := db.Atomic(ctx, func(st vigil.Store) error {
		if !follow(st, "3") {
			t.Error("no follow-up added while the pending one is held elsewhere")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	jobs, err := db.Claim(ctx, "w", []string{"resolve"}, 5, time.Minute)
	if err != nil || len(jobs) != 2 || jobs[0].Key != "auto:1" || jobs[1].Key != "auto:3" {
		t.Fatalf("after commit claimed %v (%v), want auto:1 and auto:3", jobs, err)
	}
}
