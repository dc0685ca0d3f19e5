package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackupRestoreWhileWriting takes a backup while vigil serve runs and
// two writers add documents (vigil ingest) and incident corrections (the
// API) all the time; restores it into an empty directory; and checks that
// the restored store verifies and has exactly the counts and hashes of the
// manifest. A last backup after the writers stop restores to a store whose
// digest equals the live one.
func TestBackupRestoreWhileWriting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts vigil serve")
	}
	bin := buildBinary(t)
	data, files, token := hostileStore(t)
	base := startServe(t, bin, data)
	docsBefore := countDocs(t, bin, data)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var ingested, corrected atomic.Int64
	wg.Add(2)
	go func() { // documents
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			p := filepath.Join(files, fmt.Sprintf("w%04d.txt", i))
			os.WriteFile(p, []byte(fmt.Sprintf("FICTIONAL report %d: shelling hit the invented village of Backupfield-%d.", i, i)), 0o644)
			if out, err := exec.Command(bin, "--data", data, "ingest", p).CombinedOutput(); err != nil {
				t.Errorf("ingest during backup: %v %s", err, out)
				return
			}
			ingested.Add(1)
		}
	}()
	go func() { // incident corrections through the API
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			body := fmt.Sprintf(`{"title":"Fictional incident, corrected %d","reason":"backup test"}`, i)
			r, _ := http.NewRequest("PATCH", base+"/api/v1/incidents/1", strings.NewReader(body))
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Errorf("PATCH during backup: %v", err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("PATCH during backup: %d", resp.StatusCode)
				return
			}
			corrected.Add(1)
		}
	}()
	// Let the writers get going, then back up twice while they write.
	for ingested.Load() < 3 || corrected.Load() < 3 {
		if t.Failed() {
			t.FailNow()
		}
		time.Sleep(5 * time.Millisecond)
	}
	dir := t.TempDir()
	var manifests []Manifest
	for k := 0; k < 2; k++ {
		dest := filepath.Join(dir, fmt.Sprintf("backup%d", k))
		out, err := exec.Command(bin, "--data", data, "backup", "--json", dest).Output()
		if err != nil {
			t.Fatalf("backup while writing: %v %s", err, out)
		}
		var m Manifest
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatal(err)
		}
		manifests = append(manifests, m)
	}
	close(stop)
	wg.Wait()
	t.Logf("writers: %d documents ingested, %d corrections during the backups", ingested.Load(), corrected.Load())
	docsAfter := countDocs(t, bin, data)
	for k, m := range manifests {
		if m.Counts["documents"] < int64(docsBefore) || m.Counts["documents"] > int64(docsAfter) || m.Blobs != int(m.Counts["documents"]) {
			t.Fatalf("backup %d: %d documents, %d blobs (before %d, after %d)", k, m.Counts["documents"], m.Blobs, docsBefore, docsAfter)
		}
		restored := filepath.Join(dir, fmt.Sprintf("restored%d", k))
		out, err := exec.Command(bin, "--data", restored, "restore", "--json", filepath.Join(dir, fmt.Sprintf("backup%d", k))).Output()
		if err != nil {
			t.Fatalf("restore %d: %v %s", k, err, out)
		}
		var got Manifest
		json.Unmarshal(out, &got)
		if got.Digest != m.Digest || got.BlobsHash != m.BlobsHash || fmt.Sprint(got.Counts) != fmt.Sprint(m.Counts) {
			t.Fatalf("restore %d: %+v, backup %+v", k, got, m)
		}
		if out, err := exec.Command(bin, "--data", restored, "verify").CombinedOutput(); err != nil {
			t.Fatalf("verify restored %d: %v %s", k, err, out)
		}
		if d, _, _, _, _ := storeDigest(t, restored); d != m.Digest {
			t.Fatalf("restored %d digest %s, manifest %s", k, d, m.Digest)
		}
	}
	// Quiet store: the restored copy is identical to the live one.
	dest := filepath.Join(dir, "quiet")
	mustRun(t, bin, "--data", data, "backup", dest)
	restored := filepath.Join(dir, "restored-quiet")
	mustRun(t, bin, "--data", restored, "restore", dest)
	if snapshot(t, restored) != snapshot(t, data) {
		t.Fatal("restored quiet store differs from the live one (digest or blob listing)")
	}
	mustRun(t, bin, "--data", restored, "verify")
	// Refusals: a backup into a non-empty directory, a restore over a store,
	// a tampered backup.
	for _, args := range [][]string{
		{"--data", data, "backup", dest},
		{"--data", data, "restore", dest},
	} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err == nil {
			t.Fatalf("vigil %v succeeded: %s", args, out)
		}
	}
	f, _ := os.OpenFile(filepath.Join(dest, "vigil.db"), os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte("tamper"))
	f.Close()
	if out, err := exec.Command(bin, "--data", filepath.Join(dir, "r3"), "restore", dest).CombinedOutput(); err == nil || !strings.Contains(string(out), "SHA-256") {
		t.Fatalf("restore of a tampered backup: %v %s", err, out)
	}
}
