package main

import (
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

// TestIngestSurvivesSIGKILL kills a bulk ingest of 10,000 documents half
// way with SIGKILL, then checks that the store verifies, that nothing
// half-written is visible, and that running the same command again finishes
// the job with exactly 10,000 documents and no duplicates.
func TestIngestSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("bulk crash test skipped with -short")
	}
	const n = 10000
	bin := buildBinary(t)
	src := t.TempDir()
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("FICTIONAL report %05d. Shelling hit the invented village of Testfield-%d on a Monday, the Example Monitor said.\n", i, i)
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("r%05d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(t.TempDir(), "store")
	cmd := exec.Command(bin, "--data", data, "ingest", src)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a good part of the work is committed.
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		if c := countDocs(t, bin, data); c > n/10 {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	killed := err != nil && strings.Contains(err.Error(), "killed")
	before := countDocs(t, bin, data)
	t.Logf("killed=%v with %d of %d documents committed", killed, before, n)
	if killed && before >= n {
		t.Fatalf("the kill came too late to test anything (%d documents)", before)
	}
	if out, err := exec.Command(bin, "--data", data, "verify").CombinedOutput(); err != nil {
		t.Fatalf("verify after SIGKILL: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "--data", data, "ingest", "--json", src).Output(); err != nil {
		t.Fatalf("re-run: %v\n%.2000s", err, out)
	} else {
		var res struct{ Stored, Rejected int }
		json.Unmarshal(out, &res)
		if res.Stored != n || res.Rejected != 0 {
			t.Fatalf("re-run stored %d, rejected %d", res.Stored, res.Rejected)
		}
	}
	if got := countDocs(t, bin, data); got != n {
		t.Fatalf("%d documents after the re-run, want exactly %d", got, n)
	}
	out, err := exec.Command(bin, "--data", data, "verify", "--json").Output()
	if err != nil {
		t.Fatalf("final verify: %v\n%s", err, out)
	}
	var rep struct {
		Documents     int `json:"documents"`
		Blobs         int `json:"blobs_checked"`
		CustodyEvents int `json:"custody_events"`
	}
	json.Unmarshal(out, &rep)
	if rep.Documents != n || rep.Blobs != n || rep.CustodyEvents < n {
		t.Fatalf("final verify: %+v", rep)
	}
}

func countDocs(t *testing.T, bin, data string) int {
	out, err := exec.Command(bin, "--data", data, "documents", "list", "--json", "--limit", "1").Output()
	if err != nil {
		return 0 // the store may not exist yet
	}
	var l struct{ Total int }
	json.Unmarshal(out, &l)
	return l.Total
}
