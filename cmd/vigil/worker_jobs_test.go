package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// jobsFixture is a PostgreSQL schema, a shared data directory and a built
// vigil for the queue tests.
type jobsFixture struct {
	t    *testing.T
	bin  string
	db   string // URL with the test's search_path
	data string
	sql  *sql.DB
}

func newJobsFixture(t *testing.T) *jobsFixture {
	t.Helper()
	f := &jobsFixture{t: t, db: pgSchemaURL(t), bin: buildBinary(t), data: filepath.Join(t.TempDir(), "shared")}
	var err error
	if f.sql, err = sql.Open("pgx", f.db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.sql.Close() })
	return f
}

func (f *jobsFixture) vigil(args ...string) string {
	f.t.Helper()
	return mustRun(f.t, f.bin, append([]string{"--db", f.db, "--data", f.data}, args...)...)
}

func (f *jobsFixture) count(q string, args ...any) int {
	f.t.Helper()
	var c int
	if err := f.sql.QueryRow(q, args...).Scan(&c); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return c
}

// worker starts `vigil worker --exit-when-idle` with a short lease.
func (f *jobsFixture) worker(id string, extra ...string) *exec.Cmd {
	f.t.Helper()
	args := append([]string{"--db", f.db, "--data", f.data, "worker", "--exit-when-idle", "--lease", "2s", "--poll", "100ms", "--id", id}, extra...)
	cmd := exec.Command(f.bin, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// writeDocs writes fictional reports from..from+n-1 (30 villages, so that
// resolution joins some claims) into a new directory.
func (f *jobsFixture) writeDocs(from, n int) string {
	f.t.Helper()
	src := f.t.TempDir()
	for i := from; i < from+n; i++ {
		body := fmt.Sprintf("FICTIONAL report %04d. On 3 March 2024 shelling hit the invented village of Testfield-%d, killing %d civilians, the Example Monitor said.\n", i, i%30, i%5+2)
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("r%04d.txt", i)), []byte(body), 0o644); err != nil {
			f.t.Fatal(err)
		}
	}
	return src
}

// ingestDocs writes n fictional reports (30 villages, so that resolution
// joins some claims) and runs ingest jobs for them through one worker.
func (f *jobsFixture) ingestDocs(from, n int, workerArgs ...string) {
	f.t.Helper()
	f.vigil("jobs", "enqueue", "ingest", f.writeDocs(from, n))
	if err := f.worker("ingester", workerArgs...).Wait(); err != nil {
		f.t.Fatalf("worker: %v", err)
	}
}

// checkResolved checks that every claim is in an incident and was placed
// by exactly one decision (no claim placed twice by concurrent jobs).
func (f *jobsFixture) checkResolved() {
	f.t.Helper()
	if c := f.count(`SELECT count(*) FROM claims WHERE incident_id IS NULL`); c != 0 {
		f.t.Errorf("%d claims unresolved", c)
	}
	if c := f.count(`SELECT count(*) FROM (SELECT claim_id FROM match_decisions GROUP BY claim_id HAVING count(*) <> 1) x`); c != 0 {
		f.t.Errorf("%d claims placed more than once", c)
	}
	if c, d := f.count(`SELECT count(*) FROM claims`), f.count(`SELECT count(*) FROM match_decisions`); c != d || c == 0 {
		f.t.Errorf("%d claims, %d match decisions", c, d)
	}
	if c := f.count(`SELECT count(*) FROM jobs WHERE state <> 'done'`); c != 0 {
		f.t.Errorf("%d jobs not done", c)
	}
}

// TestQueuedResolveLinkEstimate runs each new job kind through workers:
// ingest jobs with --then-resolve on two workers (the resolve jobs they
// queue run one at a time), explicit resolve jobs in batches, a link job and
// two estimate jobs (a capture-history table carried in the job, and the
// store's linked persons), and checks their effects and vigil verify.
func TestQueuedResolveLinkEstimate(t *testing.T) {
	f := newJobsFixture(t)
	const n = 200
	src := f.writeDocs(0, n)
	f.vigil("jobs", "enqueue", "ingest", src)
	w1, w2 := f.worker("w1", "--then-resolve"), f.worker("w2", "--then-resolve")
	for _, w := range []*exec.Cmd{w1, w2} {
		if err := w.Wait(); err != nil {
			t.Fatalf("worker: %v", err)
		}
	}
	f.checkResolved()
	auto := f.count(`SELECT count(*) FROM jobs WHERE kind = 'resolve'`)
	t.Logf("%d ingest jobs queued %d resolve jobs (deduplicated while one waits)", n, auto)
	if auto == 0 || auto >= n {
		t.Errorf("%d resolve jobs queued by %d ingest jobs", auto, n)
	}
	incidents := f.count(`SELECT count(*) FROM incidents`)
	if incidents == 0 || incidents >= f.count(`SELECT count(*) FROM claims`) {
		t.Errorf("%d incidents for %d claims: resolution joined nothing", incidents, f.count(`SELECT count(*) FROM claims`))
	}

	// More documents, ingested without --then-resolve: two resolve jobs
	// of 50 claims each, run by two workers at once, and the follow-ups
	// they queue place every new claim once.
	f.ingestDocs(n, 150)
	unresolved := f.count(`SELECT count(*) FROM claims WHERE incident_id IS NULL`)
	if unresolved <= 100 {
		t.Fatalf("%d claims to resolve; want more than two batches", unresolved)
	}
	f.vigil("jobs", "enqueue", "resolve", "--max-claims", "50")
	f.vigil("jobs", "enqueue", "resolve", "--max-claims", "50")
	w1, w2 = f.worker("r1"), f.worker("r2")
	for _, w := range []*exec.Cmd{w1, w2} {
		if err := w.Wait(); err != nil {
			t.Fatalf("worker: %v", err)
		}
	}
	f.checkResolved()
	if c := f.count(`SELECT count(*) FROM jobs WHERE kind = 'resolve' AND starts_with(key, 'next:')`); c == 0 {
		t.Errorf("no follow-up resolve job for %d claims in batches of 50", unresolved)
	}

	// Link and estimate.
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	fictionalVictimCSV(t, a, "a", 300)
	fictionalVictimCSV(t, b, "b", 150)
	f.vigil("victims", "import", a, "--list", "A")
	f.vigil("victims", "import", b, "--list", "B")
	f.vigil("jobs", "enqueue", "link", "--lists", "A,B")
	table := writeFile(t, "t.csv", estimateCSV)
	f.vigil("jobs", "enqueue", "estimate", "--table", table, "--by", "stratum", "--method", "loglinear")
	if err := f.worker("l1").Wait(); err != nil {
		t.Fatal(err)
	}
	// the store's estimate reads the persons the link job made
	f.vigil("jobs", "enqueue", "estimate", "--method", "two_list")
	if err := f.worker("e1").Wait(); err != nil {
		t.Fatal(err)
	}
	if c := f.count(`SELECT count(*) FROM link_runs`); c != 1 {
		t.Errorf("%d link runs", c)
	}
	if c := f.count(`SELECT count(*) FROM victim_records WHERE person_id IS NULL OR person_id = ''`); c != 0 {
		t.Errorf("%d victim records without a person", c)
	}
	var results []string
	rows, err := f.sql.Query(`SELECT state, result, last_error FROM jobs WHERE kind = 'estimate' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var state, result, lastErr string
		rows.Scan(&state, &result, &lastErr)
		if state != "done" {
			t.Fatalf("estimate job %s: %s", state, lastErr)
		}
		results = append(results, result)
	}
	rows.Close()
	if len(results) != 2 {
		t.Fatalf("%d estimate jobs", len(results))
	}
	for i, r := range results {
		var rep struct {
			Lists  []string `json:"lists"`
			Strata []any    `json:"strata"`
		}
		if err := json.Unmarshal([]byte(r), &rep); err != nil {
			t.Fatalf("estimate %d result is not a report: %v %.200s", i, err, r)
		}
		if i == 0 && len(rep.Strata) != 2 {
			t.Errorf("table estimate: %d strata, want 2: %.300s", len(rep.Strata), r)
		}
	}
	id := f.count(`SELECT max(id) FROM jobs WHERE kind = 'estimate'`)
	if out := f.vigil("jobs", "show", fmt.Sprint(id), "--result"); strings.TrimSpace(out) != results[1] {
		t.Errorf("jobs show --result printed %.200q", out)
	}
	f.checkResolved()
	f.vigil("verify")
}

// blockedBy waits until another backend waits for a lock that tx holds
// (asked on another connection: inside a transaction pg_stat_activity is a
// snapshot).
func (f *jobsFixture) blockedBy(tx *sql.Tx, done <-chan struct{}) {
	t := f.t
	t.Helper()
	var holder int
	if err := tx.QueryRow(`SELECT pg_backend_pid()`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	for {
		if f.count(`SELECT count(*) FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))`, holder) > 0 {
			return
		}
		select {
		case <-done:
			t.Fatal("the worker ended before it reached the locked row")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// killMidJob starts worker "victim", waits until its job's transaction is
// blocked on a row that lockSQL locks (so that it has written part of its
// work, uncommitted), SIGKILLs it, releases the row and lets worker
// "heir" take the job over and finish it.
func (f *jobsFixture) killMidJob(lockSQL string) {
	t := f.t
	t.Helper()
	tx, err := f.sql.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(lockSQL); err != nil {
		t.Fatal(err)
	}
	victim := f.worker("victim")
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = victim.Wait(); close(exited) }()
	f.blockedBy(tx, exited)
	victim.Process.Signal(syscall.SIGKILL)
	<-exited
	if waitErr == nil || !strings.Contains(waitErr.Error(), "killed") {
		t.Fatalf("worker was not killed: %v", waitErr)
	}
	tx.Rollback()
	if err := f.worker("heir").Wait(); err != nil {
		t.Fatalf("heir: %v", err)
	}
}

// TestResolveJobSurvivesSIGKILL kills a worker while its resolve job has
// created incidents and placed claims in its transaction (it is blocked on
// the last claim's row, which the test holds): nothing of that attempt is
// left, the job is taken over and finished once, every claim is placed
// once, and vigil verify passes.
func TestResolveJobSurvivesSIGKILL(t *testing.T) {
	f := newJobsFixture(t)
	f.ingestDocs(0, 150)
	f.vigil("jobs", "enqueue", "resolve")
	last := f.count(`SELECT id FROM claims ORDER BY document_id DESC, idx DESC LIMIT 1`)
	f.killMidJob(fmt.Sprintf(`SELECT 1 FROM claims WHERE id = %d FOR UPDATE`, last))
	f.checkResolved()
	var attempts int
	var lockedBy sql.NullString
	if err := f.sql.QueryRow(`SELECT attempts, locked_by FROM jobs WHERE kind = 'resolve'`).Scan(&attempts, &lockedBy); err != nil {
		t.Fatal(err)
	}
	if attempts != 2 {
		t.Errorf("resolve job ran %d times, want 2 (killed, taken over)", attempts)
	}
	// One audit entry per incident created; none left by the killed attempt.
	if c, inc := f.count(`SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'incident'`), f.count(`SELECT count(*) FROM incidents`); c != inc {
		t.Errorf("%d incident creations audited, %d incidents", c, inc)
	}
	f.vigil("verify")
}

// TestLinkJobSurvivesSIGKILL kills a worker while its link job writes its
// results (blocked on the last victim record's row): no run, person id or
// review pair of that attempt is left, and the job is taken over and
// commits one run.
func TestLinkJobSurvivesSIGKILL(t *testing.T) {
	f := newJobsFixture(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	fictionalVictimCSV(t, a, "a", 300)
	fictionalVictimCSV(t, b, "b", 200)
	f.vigil("victims", "import", a, "--list", "A")
	f.vigil("victims", "import", b, "--list", "B")
	f.vigil("jobs", "enqueue", "link")
	last := f.count(`SELECT max(id) FROM victim_records`)
	f.killMidJob(fmt.Sprintf(`SELECT 1 FROM victim_records WHERE id = %d FOR UPDATE`, last))
	if c := f.count(`SELECT count(*) FROM link_runs`); c != 1 {
		t.Errorf("%d link runs, want 1", c)
	}
	if c := f.count(`SELECT count(*) FROM victim_records WHERE person_id IS NULL OR person_id = ''`); c != 0 {
		t.Errorf("%d records without a person", c)
	}
	if c := f.count(`SELECT count(*) FROM jobs WHERE kind = 'link' AND state = 'done' AND attempts = 2`); c != 1 {
		t.Errorf("the link job was not finished by its second attempt")
	}
	f.vigil("verify")
}
