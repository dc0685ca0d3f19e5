package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWorkersSurviveSIGKILL is the loopback test of the job queue: three
// `vigil worker` processes share 20,000 ingest jobs (each stores a document
// and its claims); one is killed with SIGKILL half way. The other two take
// over its jobs when their leases expire, and every document is stored and
// extracted exactly once, and `vigil verify` passes.
func TestWorkersSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("loopback worker test skipped with -short")
	}
	db := pgSchemaURL(t)
	const n = 20000
	bin := buildBinary(t)
	src := t.TempDir()
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("FICTIONAL report %05d. Shelling hit the invented village of Testfield-%d on a Monday, killing %d civilians, the Example Monitor said.\n", i, i, i%9+1)
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("r%05d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(t.TempDir(), "shared") // the blob directory every worker shares
	base := []string{"--db", db, "--data", data}
	if out, err := exec.Command(bin, append(base, "jobs", "enqueue", "ingest", src)...).CombinedOutput(); err != nil || !strings.Contains(string(out), fmt.Sprintf("%d jobs queued", n)) {
		t.Fatalf("enqueue: %v %s", err, out)
	}
	sqldb, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	count := func(q string) int {
		var c int
		if err := sqldb.QueryRow(q).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	var workers []*exec.Cmd
	for i := 0; i < 3; i++ {
		cmd := exec.Command(bin, append(base, "worker", "--exit-when-idle", "--lease", "2s", "--poll", "100ms", "--id", fmt.Sprintf("w%d", i))...)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		workers = append(workers, cmd)
	}
	// Kill worker 0 half way (a safeguard limits the wait, not the speed).
	for deadline := time.Now().Add(8 * time.Minute); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		if count(`SELECT count(*) FROM jobs WHERE state = 'done'`) >= n/2 {
			break
		}
	}
	inFlight := count(`SELECT count(*) FROM jobs WHERE state = 'running' AND locked_by = 'w0'`)
	workers[0].Process.Signal(syscall.SIGKILL)
	err = workers[0].Wait()
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("worker 0 was not killed: %v", err)
	}
	done := count(`SELECT count(*) FROM jobs WHERE state = 'done'`)
	t.Logf("worker 0 killed with %d of %d jobs done and %d in its hands", done, n, inFlight)
	if done >= n {
		t.Fatal("the kill came too late to test anything")
	}
	waitErr := make(chan error, 2)
	for _, w := range workers[1:] {
		go func() { waitErr <- w.Wait() }()
	}
	for range workers[1:] {
		select {
		case err := <-waitErr:
			if err != nil {
				t.Fatalf("worker: %v", err)
			}
		case <-time.After(10 * time.Minute):
			t.Fatal("workers did not finish")
		}
	}
	if c := count(`SELECT count(*) FROM jobs WHERE state = 'done'`); c != n {
		t.Fatalf("%d jobs done, want %d; failed: %d", c, n, count(`SELECT count(*) FROM jobs WHERE state <> 'done'`))
	}
	if c := count(`SELECT count(*) FROM documents`); c != n {
		t.Fatalf("%d documents, want %d", c, n)
	}
	for _, action := range []string{"ingested", "extracted"} {
		if c := count(`SELECT count(*) FROM custody_events WHERE action = '` + action + `'`); c != n {
			t.Errorf("%d %s events, want %d (one per document)", c, action, n)
		}
		if c := count(`SELECT count(*) FROM (SELECT document_id FROM custody_events WHERE action = '` + action + `' GROUP BY document_id HAVING count(*) <> 1) x`); c != 0 {
			t.Errorf("%d documents %s more than once", c, action)
		}
	}
	if c := count(`SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.document_id = d.id)`); c != 0 {
		t.Errorf("%d documents without claims", c)
	}
	retried := count(`SELECT count(*) FROM jobs WHERE attempts > 1`)
	t.Logf("%d jobs ran more than once (taken over from the killed worker); their work committed once", retried)
	if inFlight > 0 && retried == 0 {
		t.Error("the killed worker's job was never taken over")
	}
	code, out, errs := runCLI(t, data, "--db", db, "verify")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("checked %d documents, %d blobs, %d custody events", n, n, 2*n)) {
		t.Fatalf("verify: %d %q %q", code, out, errs)
	}
}
