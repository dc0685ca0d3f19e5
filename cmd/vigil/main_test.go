package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// runCLI runs one command line in-process against data directory dir.
func runCLI(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func fixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "one.txt"), []byte("FICTIONAL. Shelling hit the invented town of Exampleville."), 0o644)
	os.WriteFile(filepath.Join(dir, "one.json"), []byte(`{"title": "Fictional shelling", "published": "2022-02-02", "language": "en"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "two.txt"), []byte("FICTIONAL. A second invented report."), 0o644)
	return dir
}

func TestIngestListShowVerify(t *testing.T) {
	data := filepath.Join(t.TempDir(), "store")
	in := fixture(t)
	code, out, errs := runCLI(t, data, "ingest", in)
	if code != 0 || strings.Count(out, "stored as document") != 2 {
		t.Fatalf("ingest: %d %q %q", code, out, errs)
	}
	code, out, _ = runCLI(t, data, "ingest", "--json", in)
	var res struct {
		Stored, Rejected int
		Results          []struct {
			Created bool
			Message string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || res.Stored != 2 || res.Results[0].Created || !strings.Contains(res.Results[0].Message, "unchanged") {
		t.Fatalf("re-ingest: %d %s %v", code, out, err)
	}
	code, out, _ = runCLI(t, data, "documents", "list", "--json")
	var list struct {
		Documents []struct {
			ID     int64
			Title  string
			SHA256 string
		}
		Total int
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || list.Total != 2 || list.Documents[0].Title != "Fictional shelling" {
		t.Fatalf("list: %d %s %v", code, out, err)
	}
	code, out, _ = runCLI(t, data, "documents", "show", list.Documents[0].SHA256[:10], "--json")
	var doc struct {
		ID      int64
		Text    string
		Custody []struct{ Action string }
	}
	// Ingest stores the document, then extraction runs and is logged too.
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 || doc.ID != list.Documents[0].ID || len(doc.Custody) != 2 ||
		doc.Custody[0].Action != "ingested" || doc.Custody[1].Action != "extracted" {
		t.Fatalf("show: %d %s %v", code, out, err)
	}
	code, out, _ = runCLI(t, data, "documents", "show", "1", "--raw")
	if code != 0 || out != "FICTIONAL. Shelling hit the invented town of Exampleville." {
		t.Fatalf("raw: %d %q", code, out)
	}
	code, out, _ = runCLI(t, data, "verify", "--json")
	if code != 0 || !strings.Contains(out, `"ok": true`) {
		t.Fatalf("verify: %d %s", code, out)
	}
	// Alter a blob: verify names it and exits 1.
	var victim string
	filepath.Walk(filepath.Join(data, "blobs"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			victim = p
		}
		return nil
	})
	os.Chmod(victim, 0o644)
	os.WriteFile(victim, []byte("altered"), 0o644)
	code, out, _ = runCLI(t, data, "verify")
	if code != 1 || !strings.Contains(out, "altered") {
		t.Fatalf("verify after tampering: %d %s", code, out)
	}
}

func TestExitCodesAndErrors(t *testing.T) {
	data := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"ingest"}, 2, "requires at least 1 arg"},
		{[]string{"documents", "list", "--limit", "x"}, 2, "--limit"},
		{[]string{"documents", "list", "--after", "soon"}, 2, "--after: want a date"},
		{[]string{"documents", "show", "zz"}, 2, "numeric id or at least 8 hex digits"},
		{[]string{"documents", "show", "42"}, 1, "document not found"},
		{[]string{"ingest", filepath.Join(data, "missing.txt")}, 1, "missing.txt: cannot read"},
		{[]string{"--log-level", "loud", "verify"}, 2, "--log-level"},
	} {
		code, _, errs := runCLI(t, data, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}

func TestDataFromEnvironment(t *testing.T) {
	data := filepath.Join(t.TempDir(), "from-env")
	t.Setenv("VIGIL_DATA", data)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"ingest", fixture(t)}, nil, &out, &errb); code != 0 {
		t.Fatalf("%d %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(data, "vigil.db")); err != nil {
		t.Fatalf("VIGIL_DATA not used: %v", err)
	}
}

// TestServeStopsOnSIGTERM builds the binary, serves, and checks that SIGTERM
// ends it cleanly with exit 0.
func TestServeStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--data", t.TempDir(), "serve", "--addr", "127.0.0.1:0")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	addrRE := regexp.MustCompile(`addr=http://(\S+)`)
	var addr string
	for sc.Scan() {
		if m := addrRE.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		cmd.Process.Kill()
		t.Fatal("server did not report its address")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	resp.Body.Close()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("server did not stop on SIGTERM")
	}
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildBinary builds the vigil binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vigil-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "vigil")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}
