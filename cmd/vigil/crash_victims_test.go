package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/sqlite"
)

// fictionalVictimCSV writes a generated list of n invented people. Every
// name is made up from invented parts; the list prefix keeps record ids
// apart, and records i of two lists with the same prefix-free index describe
// the same invented person so that linkage has work to do.
func fictionalVictimCSV(t *testing.T, path, prefix string, n int) {
	t.Helper()
	given := []string{"Adamo", "Basilo", "Camilo", "Davito", "Elino", "Farino", "Gavino", "Hadito", "Idrino", "Jamilo", "Karino", "Latino", "Munito", "Nabilo", "Omaro", "Qasimo", "Ramito", "Samito", "Tarino", "Walito"}
	family := []string{"Testani", "Exampli", "Fictari", "Mockadi", "Samplen", "Dummar", "Inventi", "Placeholdi", "Proxani", "Fabrici"}
	var b bytes.Buffer
	b.WriteString("id,name,sex,age,date,place\n")
	for i := 0; i < n; i++ {
		g, f := given[(i*7)%len(given)], family[(i/len(given))%len(family)]
		father := given[(i*3+1)%len(given)]
		fmt.Fprintf(&b, "%s%06d,%s %s %s%d,male,%d,2016-08-%02d,Testfield-%d\n", prefix, i, g, father, f, i%977, 18+i%60, 1+i%28, i%300)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// storeDigest opens the store's database in-process and returns its digest
// (every table) and the number of rows of the victim tables.
func storeDigest(t *testing.T, data string) (digest string, records, persons, runs, pairs int) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(data, "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if digest, err = db.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	recs, _, err := db.FindVictimRecords(ctx, vigilVictimFilterAll)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	ps := map[string]bool{}
	for _, r := range recs {
		key := r.List + "\x00" + r.RecordID
		if seen[key] {
			t.Fatalf("duplicate record %s/%s", r.List, r.RecordID)
		}
		seen[key] = true
		if r.PersonID != "" {
			ps[r.PersonID] = true
		}
	}
	_, pairs, err = db.ReviewQueue(ctx, vigilReviewAll)
	if err != nil {
		t.Fatal(err)
	}
	if run, err := db.LatestLinkRun(ctx); err == nil && run != nil {
		runs = int(run.ID)
	}
	return digest, len(recs), len(ps), runs, pairs
}

// waitFor polls cond until it holds or the command exits; it reports
// whether cond held while the command was still running.
func waitFor(done <-chan struct{}, cond func() bool) bool {
	for {
		select {
		case <-done:
			return false
		default:
		}
		if cond() {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func mustRun(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("vigil %s: %v\n%.3000s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestVictimImportSurvivesSIGKILL kills a 100,000-row victim-list import
// while its transaction is writing (the write-ahead log is growing), then
// checks that the store is exactly as before (digest of every table), that
// the list imported earlier is intact, that vigil verify passes, and that
// importing the same file again gives every row exactly once.
func TestVictimImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("bulk crash test skipped with -short")
	}
	const n = 100000
	bin := buildBinary(t)
	dir := t.TempDir()
	small, big := filepath.Join(dir, "small.csv"), filepath.Join(dir, "big.csv")
	fictionalVictimCSV(t, small, "s", 500)
	fictionalVictimCSV(t, big, "b", n)
	data := filepath.Join(dir, "store")
	mustRun(t, bin, "--data", data, "victims", "import", small, "--list", "Small")
	before, recs, _, _, _ := storeDigest(t, data)
	if recs != 500 {
		t.Fatalf("%d records after the first import", recs)
	}
	wal := filepath.Join(data, "vigil.db-wal")
	cmd := exec.Command(bin, "--data", data, "victims", "import", big, "--list", "Big")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	// Kill once the import's transaction has spilled pages to the log.
	writing := waitFor(done, func() bool {
		st, err := os.Stat(wal)
		return err == nil && st.Size() > 1<<20
	})
	cmd.Process.Kill()
	<-done
	if !writing {
		t.Fatalf("the import finished before it could be killed (%v)", waitErr)
	}
	after, recs, _, _, _ := storeDigest(t, data)
	t.Logf("killed mid-import (%v); %d records visible", waitErr, recs)
	if after != before {
		t.Fatalf("the killed import left a trace: digest %s, was %s (%d records)", after, before, recs)
	}
	mustRun(t, bin, "--data", data, "verify")
	out := mustRun(t, bin, "--data", data, "victims", "import", big, "--list", "Big", "--json")
	var res struct{ Inserted, Updated, Unchanged int }
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Inserted != n || res.Updated != 0 || res.Unchanged != 0 {
		t.Fatalf("re-run: %v %s", err, out)
	}
	out = mustRun(t, bin, "--data", data, "victims", "import", big, "--list", "Big", "--json")
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Inserted != 0 || res.Unchanged != n {
		t.Fatalf("second re-run: %v %s", err, out)
	}
	if _, recs, _, _, _ = storeDigest(t, data); recs != n+500 {
		t.Fatalf("%d records in the end, want %d", recs, n+500)
	}
	mustRun(t, bin, "--data", data, "verify")
}

// TestLinkSurvivesSIGKILL kills vigil link twice: once while it scores
// candidate pairs and once while it writes its results. After each kill the
// store is exactly as before (no run, no person ids, no review queue half
// written), vigil verify passes, and re-running finishes with the same
// counts as an uninterrupted run on a copy of the same store.
func TestLinkSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("bulk crash test skipped with -short")
	}
	const n = 5000
	bin := buildBinary(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	fictionalVictimCSV(t, a, "a", n)
	fictionalVictimCSV(t, b, "b", n)
	data, ref := filepath.Join(dir, "store"), filepath.Join(dir, "ref")
	for _, d := range []string{data, ref} {
		mustRun(t, bin, "--data", d, "victims", "import", a, "--list", "A")
		mustRun(t, bin, "--data", d, "victims", "import", b, "--list", "B")
	}
	mustRun(t, bin, "--data", ref, "link", "--quiet")
	_, refRecs, refPersons, refRuns, refPairs := storeDigest(t, ref)
	if refRecs != 2*n || refPersons == 0 || refPersons == refRecs || refRuns != 1 {
		t.Fatalf("reference run: %d records, %d persons, %d runs", refRecs, refPersons, refRuns)
	}
	before, _, _, _, _ := storeDigest(t, data)

	// kill runs vigil link until cond holds, kills it and returns whether
	// the run had committed (allowed only when mayCommit).
	kill := func(name string, mayCommit bool, cond func(stderr *syncBuffer) bool) bool {
		cmd := exec.Command(bin, "--data", data, "link")
		var errb syncBuffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		var waitErr error
		go func() { waitErr = cmd.Wait(); close(done) }()
		hit := waitFor(done, func() bool { return cond(&errb) })
		cmd.Process.Kill()
		<-done
		if !hit {
			t.Fatalf("%s: link finished before the kill (%v)", name, waitErr)
		}
		after, recs, persons, runs, pairs := storeDigest(t, data)
		t.Logf("%s: killed (%v): %d records, %d persons, %d runs, %d pairs", name, waitErr, recs, persons, runs, pairs)
		committed := false
		switch {
		case after == before && persons == 0 && runs == 0 && pairs == 0:
		case mayCommit && runs == 1 && recs == refRecs && persons == refPersons && pairs == refPairs:
			// The kill came after the commit: the whole run is there.
			committed = true
		default:
			t.Fatalf("%s: the killed run left a trace", name)
		}
		mustRun(t, bin, "--data", data, "verify")
		return committed
	}
	kill("scoring", false, func(e *syncBuffer) bool { return strings.Contains(e.String(), "predict") })
	wal := filepath.Join(data, "vigil.db-wal")
	committed := kill("saving", true, func(e *syncBuffer) bool {
		st, err := os.Stat(wal)
		return err == nil && st.Size() > 0 && strings.Contains(e.String(), "predict")
	})

	wantRuns := 1
	if committed {
		wantRuns = 2
	}
	mustRun(t, bin, "--data", data, "link", "--quiet")
	_, recs, persons, runs, pairs := storeDigest(t, data)
	if recs != refRecs || persons != refPersons || runs != wantRuns || pairs != refPairs {
		t.Fatalf("after re-run: %d records, %d persons, %d runs, %d pairs; uninterrupted: %d, %d, %d, %d",
			recs, persons, runs, pairs, refRecs, refPersons, refRuns, refPairs)
	}
	mustRun(t, bin, "--data", data, "verify")
	// Linking again changes no person id and adds one run.
	mustRun(t, bin, "--data", data, "link", "--quiet")
	if _, recs2, persons2, runs2, _ := storeDigest(t, data); recs2 != recs || persons2 != persons || runs2 != wantRuns+1 {
		t.Fatalf("second run: %d records, %d persons, %d runs", recs2, persons2, runs2)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var (
	vigilVictimFilterAll = vigil.VictimFilter{}
	vigilReviewAll       = vigil.ReviewFilter{Limit: 1}
)
