package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	vhttp "github.com/vigil-rec/vigil/http"
)

var servingAddr = regexp.MustCompile(`msg="vigil serving" addr=(http://\S+)`)

// startServeDB starts `vigil serve` on a free port and returns its base URL.
func startServeDB(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append(args, "serve", "--addr", "127.0.0.1:0")...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := servingAddr.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stderr)
			return m[1]
		}
	}
	t.Fatalf("vigil serve ended before it served: %v", sc.Err())
	return ""
}

// TestTwoServersShareSessions starts two `vigil serve` processes on one
// PostgreSQL database (as behind a proxy): a log-in through the web form of
// one is a session on the other, a write through one is seen through the
// other, and a log-out on one ends the session on both.
func TestTwoServersShareSessions(t *testing.T) {
	f := newJobsFixture(t)
	f.vigil("ingest", filepath.Join("..", "..", "examples"))
	f.vigil("resolve")
	cmd := exec.Command(f.bin, "--db", f.db, "--data", f.data, "user", "add", "rev1", "--role", "reviewer")
	cmd.Stdin = strings.NewReader("a fictional long password\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	base := []string{"--db", f.db, "--data", f.data}
	a, b := startServeDB(t, f.bin, base...), startServeDB(t, f.bin, base...)
	if a == b {
		t.Fatal("both servers on one address")
	}
	c := noRedirect(&http.Client{})
	res, _ := webLogin(t, c, a, "rev1", "a fictional long password", "form", true)
	session := cookieNamed(res, vhttp.SessionCookie)
	if res.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("log-in on server A: %d, session cookie %v", res.StatusCode, session)
	}
	do := func(method, url, body, csrf string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.AddCookie(&http.Cookie{Name: session.Name, Value: session.Value})
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(out)
	}
	// Server B knows the session that A started: its pages carry the
	// session's CSRF token.
	code, page := do("GET", b+"/incidents", "", "")
	m := csrfField.FindStringSubmatch(page)
	if code != 200 || m == nil || !strings.Contains(page, "rev1") {
		t.Fatalf("server B with A's session cookie: %d, CSRF token found %v", code, m != nil)
	}
	id := f.count(`SELECT min(id) FROM incidents`)
	state := func(server string) string {
		code, body := do("GET", fmt.Sprintf("%s/api/v1/incidents/%d", server, id), "", "")
		var d struct {
			Incident struct {
				Review string `json:"review_state"`
			} `json:"incident"`
		}
		if err := json.Unmarshal([]byte(body), &d); code != 200 || err != nil {
			t.Fatalf("GET incident %d on %s: %d %v", id, server, code, err)
		}
		return d.Incident.Review
	}
	if sa, sb := state(a), state(b); sa != "new" || sb != "new" {
		t.Fatalf("incident %d: %q on A, %q on B, want new", id, sa, sb)
	}
	// A write through B with the token B's page gave; seen through A.
	if code, body := do("POST", fmt.Sprintf("%s/api/v1/incidents/%d/review", b, id), `{"state":"in_review"}`, m[1]); code != 200 {
		t.Fatalf("review through B: %d %s", code, body)
	}
	if s := state(a); s != "in_review" {
		t.Errorf("after a write through B, A reads %q", s)
	}
	// Log-out through A ends the session on B too.
	form := strings.NewReader("csrf=" + m[1])
	req, _ := http.NewRequest("POST", a+"/logout", form)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: session.Name, Value: session.Value})
	if res, err := c.Do(req); err != nil || res.StatusCode >= 400 {
		t.Fatalf("log-out on A: %v %v", err, res.StatusCode)
	}
	if _, page := do("GET", b+"/incidents", "", ""); strings.Contains(page, "rev1") || csrfField.MatchString(page) {
		t.Error("B still knows the session after log-out on A")
	}
	if code, _ := do("POST", fmt.Sprintf("%s/api/v1/incidents/%d/review", b, id), `{"state":"new"}`, m[1]); code == 200 {
		t.Error("B accepted a write with the ended session")
	}
}
