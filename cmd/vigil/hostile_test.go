package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-rec/vigil/sqlite"
)

// snapshot is the digest of every table plus a listing (path, mode, size,
// SHA-256) of every file under the blob directory.
func snapshot(t *testing.T, data string) string {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(data, "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Digest(ctx)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	root := filepath.Join(data, "blobs")
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		line := fmt.Sprintf("%s %v %d", rel, info.Mode(), info.Size())
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h := sha256.Sum256(b)
			line += " " + hex.EncodeToString(h[:])
		}
		lines = append(lines, line)
		return nil
	})
	sort.Strings(lines)
	return d + "\n" + strings.Join(lines, "\n")
}

// zipBombXLSX is a workbook whose only sheet unpacks to 300 MiB of zeros.
func zipBombXLSX(t *testing.T, path string) {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	fw, _ := w.Create("[Content_Types].xml")
	fw.Write([]byte(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	fw, _ = w.Create("xl/worksheets/sheet1.xml")
	zeros := make([]byte, 1<<20)
	for i := 0; i < 300; i++ {
		fw.Write(zeros)
	}
	w.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hostileStore builds a store with documents, incidents, users, a victim
// list and a link run, and a directory of hostile files.
func hostileStore(t *testing.T) (data, files, token string) {
	t.Helper()
	data = filepath.Join(t.TempDir(), "store")
	files = t.TempDir()
	if code, _, e := runCLI(t, data, "ingest", filepath.Join("..", "..", "examples")); code != 0 {
		t.Fatalf("ingest: %s", e)
	}
	if code, _, e := runCLI(t, data, "resolve"); code != 0 {
		t.Fatalf("resolve: %s", e)
	}
	for _, u := range []struct{ name, role string }{{"ana", "analyst"}, {"rev", "reviewer"}, {"adm", "admin"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"--data", data, "user", "add", u.name, "--role", u.role}, strings.NewReader("a fictional long password\n"), &out, &errb); code != 0 {
			t.Fatalf("user add: %s", errb.String())
		}
	}
	code, out, e := runCLI(t, data, "user", "token", "ana", "--name", "test")
	if code != 0 {
		t.Fatalf("token: %s", e)
	}
	token = strings.TrimSpace(out)
	csv := filepath.Join(files, "list.csv")
	fictionalVictimCSV(t, csv, "v", 50)
	if code, _, e := runCLI(t, data, "victims", "import", csv, "--list", "Fictional"); code != 0 {
		t.Fatalf("victims import: %s", e)
	}
	if code, _, e := runCLI(t, data, "link", "--quiet"); code != 0 {
		t.Fatalf("link: %s", e)
	}
	w := func(name string, b []byte) string {
		p := filepath.Join(files, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	w("binary.txt", []byte("\x00\x01\x02\x03\xff\xfe\x00\x00ELF"))
	w("control.txt", []byte("\x1b[2J\x00\x07\x08"))
	w("latin1.txt", []byte("caf\xe9 \xe0 la cr\xe8me"))
	w("empty.txt", nil)
	w("deep.json", []byte(`{"text": `+deep+`}`))
	w("wrongtype.json", []byte(`{"text": "FICTIONAL text", "published": 20160817, "title": ["<script>alert(1)</script>"]}`))
	w("future.json", []byte(`{"text": "FICTIONAL text", "published": "2999-01-01"}`))
	w("huge-date.json", []byte(`{"text": "FICTIONAL text", "published": "99999999999-01-01"}`))
	w("bad-side.txt", []byte("FICTIONAL report of an invented strike."))
	w("bad-side.json", []byte(`{"title": "<script>alert(1)</script>", "published": "2016-13-45'; DROP TABLE documents; --"}`))
	w("big.txt", bytes.Repeat([]byte("FICTIONAL words. "), 5000))
	w("bad.csv", []byte("id,name\n\"1,unterminated <script>\n"))
	w("noname.csv", []byte("id,sex\n1,male\n"))
	w("notutf8.csv", []byte("id,name\n1,\xff\xfe\n"))
	zipBombXLSX(t, filepath.Join(files, "bomb.xlsx"))
	w("fake.xlsx", []byte("id,name\n1,not a workbook\n"))
	w("bad-gaz.csv", []byte("PCODE,NAME_EN,lat,lon\nXX01,<script>,1e999,NaN\n"))
	w("bad.geojson", []byte(`{"type":"FeatureCollection","features":`+deep+`}`))
	w("capture.csv", []byte("A,B,count\n1,0,99999999999999999999999\n"))
	w("capture-bad.csv", []byte("A,B,count\n2,0,-1\n"))
	w("acled.csv", []byte("event_id_cnty,event_date,fatalities\nX1,<script>,1e400\n"))
	return data, files, token
}

// TestHostileCLI runs every command with malformed, oversized, wrong-type
// and hostile arguments and files. Each gets a clear error (exit 1 or 2
// with a message on standard error) and the store is byte-for-byte
// unchanged. A few read-only commands accept hostile filter text as text:
// they must succeed, find nothing and change nothing.
func TestHostileCLI(t *testing.T) {
	data, files, _ := hostileStore(t)
	f := func(name string) string { return filepath.Join(files, name) }
	before := snapshot(t, data)
	script := "<script>alert(1)</script>"
	sqlm := "1'; DROP TABLE documents; --"
	huge := "99999999999999999999999999"
	ctrl := "\x1b[31m\x00\x07"
	cases := []struct {
		args  []string
		stdin string
		codes []int // accepted exit codes; default 1 or 2
	}{
		// ingest: path traversal, unreadable, binary, control characters, not UTF-8, empty, oversized, nested JSON, wrong types.
		{args: []string{"ingest", "../../../../../../etc/vigil-no-such-file"}},
		{args: []string{"ingest", f("../../../../no/such/dir/x.txt")}},
		{args: []string{"ingest", f("binary.txt")}},
		{args: []string{"ingest", f("control.txt")}},
		{args: []string{"ingest", f("latin1.txt")}},
		{args: []string{"ingest", f("empty.txt")}},
		{args: []string{"ingest", f("deep.json")}},
		{args: []string{"ingest", f("wrongtype.json")}},
		{args: []string{"ingest", f("future.json")}},
		{args: []string{"ingest", f("huge-date.json")}},
		{args: []string{"ingest", f("bad-side.txt")}},
		{args: []string{"ingest", "--max-size", "100", f("big.txt")}},
		{args: []string{"ingest", "--max-size", huge, f("big.txt")}},
		{args: []string{"ingest", "--max-size", "-1", f("big.txt")}},
		{args: []string{"ingest"}},
		// documents, claims, incidents: ids that are not ids.
		{args: []string{"documents", "show", sqlm}},
		{args: []string{"documents", "show", huge}},
		{args: []string{"documents", "show", "-1"}},
		{args: []string{"documents", "show", "../../etc/passwd"}},
		{args: []string{"documents", "list", "--limit", huge}},
		{args: []string{"documents", "list", "--limit", "-5"}},
		{args: []string{"documents", "list", "--offset", "-1"}},
		{args: []string{"claims", "show", sqlm}},
		{args: []string{"claims", "show", huge}},
		{args: []string{"incidents", "show", huge}},
		{args: []string{"incidents", "show", script}},
		{args: []string{"incidents", "list", "--from", script}},
		{args: []string{"incidents", "list", "--type", sqlm}},
		{args: []string{"incidents", "list", "--limit", huge}},
		{args: []string{"incidents", "review", "1", "verified", "--as", script}},
		{args: []string{"incidents", "review", "1", sqlm, "--as", "ana", "--reason", "x"}},
		{args: []string{"incidents", "grade", "1", script, "--as", "rev", "--reason", "x"}},
		{args: []string{"incidents", "correct", "1", "--title", script + ctrl, "--as", "nobody"}},
		{args: []string{"incidents", "correct", "1", "--event-type", script, "--as", "ana", "--reason", "x"}},
		{args: []string{"incidents", "correct", "1", "--date", "99999-99-99", "--as", "ana", "--reason", "x"}},
		{args: []string{"incidents", "merge", "1", huge, "--as", "ana", "--reason", "x"}},
		{args: []string{"incidents", "merge", "1", "1", "--as", "ana", "--reason", "x"}},
		{args: []string{"incidents", "split", "1", sqlm, "--as", "ana", "--reason", "x"}},
		{args: []string{"incidents", "publish", "1", "--as", "ana", "--reason", script}},
		// users and tokens.
		{args: []string{"user", "add", script, "--role", "admin"}, stdin: "a fictional long password\n"},
		{args: []string{"user", "add", "eve", "--role", "root"}, stdin: "a fictional long password\n"},
		{args: []string{"user", "add", "eve", "--role", "viewer"}, stdin: ""},
		{args: []string{"user", "add", "eve\x00x", "--role", "viewer"}, stdin: "a fictional long password\n"},
		{args: []string{"user", "passwd", "nobody"}, stdin: "a fictional long password\n"},
		{args: []string{"user", "token", sqlm, "--name", "x"}},
		{args: []string{"user", "revoke", huge}},
		// victim lists, linkage, review pairs.
		{args: []string{"victims", "import", f("bomb.xlsx"), "--list", "Bomb"}},
		{args: []string{"victims", "import", f("fake.xlsx"), "--list", "Fake"}},
		{args: []string{"victims", "import", f("bad.csv"), "--list", script}},
		{args: []string{"victims", "import", f("noname.csv"), "--list", "X"}},
		{args: []string{"victims", "import", f("notutf8.csv"), "--list", "X"}},
		{args: []string{"victims", "import", f("list.csv"), "--list", "X", "--map", "id=" + sqlm}},
		{args: []string{"victims", "import", f("list.csv"), "--list", " "}},
		{args: []string{"victims", "import", "../../../etc/shadow.csv", "--list", "X"}},
		{args: []string{"link", "--threshold", "2"}},
		{args: []string{"link", "--threshold", "NaN"}},
		{args: []string{"link", "--lists", script}},
		{args: []string{"persons", "show", sqlm}},
		{args: []string{"review-pairs", "decide", "1", "2", "maybe"}},
		{args: []string{"review-pairs", "decide", huge, "2", "match"}},
		{args: []string{"review-pairs", "decide", "999999", "999998", "match"}},
		// gazetteer, estimate, import.
		{args: []string{"gazetteer", "import", f("bad-gaz.csv")}},
		{args: []string{"gazetteer", "import", f("bad.geojson")}},
		{args: []string{"gazetteer", "import", "../../../../etc/passwd"}},
		{args: []string{"gazetteer", "show", sqlm}},
		{args: []string{"gazetteer", "locate", huge, "NaN"}},
		{args: []string{"estimate", f("capture.csv")}},
		{args: []string{"estimate", f("capture-bad.csv")}},
		{args: []string{"estimate", f("capture.csv"), "--method", script}},
		{args: []string{"import", f("acled.csv")}},
		{args: []string{"export", "--format", script}},
		{args: []string{"export", "--format", "csv", "--out", filepath.Join(files, "no", "such", "dir", "x.csv")}},
		{args: []string{"extract", huge}},
		{args: []string{script}},
		{args: []string{"--log-level", sqlm, "verify"}},
		// Read-only commands take hostile filter text as text.
		{args: []string{"incidents", "list", "--governorate", sqlm + script + ctrl, "--json"}, codes: []int{0}},
		{args: []string{"documents", "list", "--query", sqlm + ` "NEAR OR * ` + script, "--json"}, codes: []int{0}},
		{args: []string{"persons", "list", "--query", sqlm + "%_" + script, "--json"}, codes: []int{0}},
		{args: []string{"gazetteer", "lookup", sqlm + script}, codes: []int{0, 1}},
	}
	for _, tc := range cases {
		name := strings.Join(tc.args, " ")
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"--data", data}, tc.args...), strings.NewReader(tc.stdin), &out, &errb)
		want := tc.codes
		if want == nil {
			want = []int{1, 2}
		}
		ok := false
		for _, c := range want {
			ok = ok || c == code
		}
		if !ok {
			t.Errorf("%q: exit %d, want %v\nstdout: %.300s\nstderr: %.300s", name, code, want, out.String(), errb.String())
		}
		if code != 0 && !strings.HasPrefix(errb.String(), "vigil: ") && !strings.Contains(errb.String(), "vigil: ") {
			t.Errorf("%q: exit %d without an error message: %.300q", name, code, errb.String())
		}
		if after := snapshot(t, data); after != before {
			t.Fatalf("%q (exit %d) changed the store\nstderr: %.500s", name, code, errb.String())
		}
	}
	if code, _, e := runCLI(t, data, "verify"); code != 0 {
		t.Fatalf("verify: %s", e)
	}
}

// freeAddr returns a loopback address no one listens on.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// startServe runs vigil serve on data and returns its base URL.
func startServe(t *testing.T, bin, data string) string {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "--data", data, "--log-level", "error", "serve", "--addr", addr)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	base := "http://" + addr
	for i := 0; ; i++ {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base
			}
		}
		if i > 600 {
			t.Fatalf("vigil serve did not come up: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestHostileAPI sends malformed, oversized, wrong-type and hostile
// requests to every API endpoint of a running vigil serve, with and
// without credentials. Each gets a 4xx status with a JSON error naming
// what is wrong; no script tag comes back unescaped; the store is
// byte-for-byte unchanged.
func TestHostileAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts vigil serve")
	}
	bin := buildBinary(t)
	data, _, token := hostileStore(t)
	base := startServe(t, bin, data)
	before := snapshot(t, data)
	deep := strings.Repeat(`{"a":`, 50000) + "1" + strings.Repeat("}", 50000)
	big := `{"reason":"` + strings.Repeat("x", 2<<20) + `"}`
	script := "<script>alert(1)</script>"
	type req struct {
		method, path, body string
		auth               string // "analyst", "bad", "" (public)
	}
	var cases []req
	mut := []string{"/grade", "/review", "/publish", "/merge", "/split"}
	bodies := []string{deep, big, `{"grade":1}`, `{"state":["verified"]}`, `{"reason":"x","evil":"` + script + `"}`,
		`{"reason":"x"} {"reason":"y"}`, `{"incidents":[1e400],"reason":"x"}`, `{"claims":[99999999999999999999999],"reason":"x"}`,
		`{"grade":"` + script + `","reason":"x"}`, `{"state":"verified'; DROP TABLE incidents; --","reason":"x"}`,
		"\x00\x01\x02", `{"reason":"\u0000\ud800` + script + `"`, ``, `null x`}
	for _, a := range []string{"analyst", "bad", ""} {
		for _, m := range mut {
			for _, b := range bodies {
				cases = append(cases, req{"POST", "/api/v1/incidents/1" + m, b, a})
			}
		}
		for _, b := range append(bodies, `{"title":"t","event_type":"`+script+`","reason":"x"}`, `{"date":"99999999999-01-01","reason":"x"}`) {
			cases = append(cases, req{"PATCH", "/api/v1/incidents/1", b, a})
		}
		for _, id := range []string{"0", "-1", "99999999999999999999999", "1%27%20OR%20%271%27=%271", "..%2F..%2Fetc%2Fpasswd", "%3Cscript%3E"} {
			cases = append(cases,
				req{"GET", "/api/v1/documents/" + id, "", a}, req{"GET", "/api/v1/documents/" + id + "/raw", "", a},
				req{"GET", "/api/v1/documents/" + id + "/custody", "", a}, req{"GET", "/api/v1/documents/" + id + "/claims", "", a},
				req{"GET", "/api/v1/claims/" + id, "", a}, req{"GET", "/api/v1/incidents/" + id, "", a},
				req{"POST", "/api/v1/incidents/" + id + "/grade", `{"grade":"fair","reason":"x"}`, a},
				req{"GET", "/api/v1/persons/" + id, "", a}, req{"GET", "/api/v1/victim-lists/" + id + "/records", "", a},
				req{"GET", "/api/v1/export/" + id, "", a})
		}
		for _, q := range []string{"limit=99999999999999999999", "limit=-1", "offset=-5", "offset=1e99", "after=" + script, "before=2016-13-45"} {
			cases = append(cases, req{"GET", "/api/v1/documents?" + q, "", a})
		}
		for _, q := range []string{"limit=99999999999999999999", "from=%3Cscript%3E", "to=2016-02-30", "type=%27%20OR%201=1", "q=" + strings.Repeat("x", 2000)} {
			cases = append(cases, req{"GET", "/api/v1/incidents?" + q, "", a})
		}
		cases = append(cases,
			req{"POST", "/api/v1/estimate", deep, a}, req{"POST", "/api/v1/estimate", `{"lists":["A"],"rows":[[1e400]]}`, a},
			req{"POST", "/api/v1/estimate", "A,B,count\n1,0,99999999999999999999\n", a},
			req{"POST", "/api/v1/estimate", `{"csv":"A,B\n2,0\n","methods":["` + script + `"]}`, a},
			req{"POST", "/api/v1/review-pairs/decisions", deep, a}, req{"POST", "/api/v1/review-pairs/decisions", `{"a":1,"b":1}`, a},
			req{"POST", "/api/v1/review-pairs/decisions", `{"a":"x","b":2,"match":true}`, a},
			req{"POST", "/api/v1/review-pairs/decisions", `{"a":99999999,"b":99999998,"match":true}`, a},
			req{"GET", "/api/v1/export/..%2F..%2F..%2Fetc%2Fpasswd", "", a}, req{"GET", "/api/v1/export/incidents.exe", "", a},
			req{"DELETE", "/api/v1/incidents/1", "", a}, req{"PUT", "/api/v1/documents/1", "x", a},
			req{"GET", "/api/v1/../../../etc/passwd", "", a}, req{"GET", "/api/v1/no-such-endpoint", "", a},
		)
	}
	// Redirects are followed: the mux answers /api/v1/../x with a redirect
	// to the cleaned path, which must then be a 4xx.
	client := &http.Client{Timeout: 60 * time.Second}
	for _, c := range cases {
		r, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		switch c.auth {
		case "analyst":
			r.Header.Set("Authorization", "Bearer "+token)
		case "bad":
			r.Header.Set("Authorization", "Bearer "+script)
		}
		if strings.HasPrefix(c.body, "{") || strings.HasPrefix(c.body, "[") {
			r.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(r)
		if err != nil {
			t.Fatalf("%s %s: %v", c.method, c.path, err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		name := fmt.Sprintf("%s %.80s (%s) body %.60q", c.method, c.path, c.auth, c.body)
		if resp.StatusCode < 400 || resp.StatusCode > 499 {
			t.Errorf("%s: status %d, want 4xx: %.300s", name, resp.StatusCode, body)
			continue
		}
		if bytes.Contains(body, []byte("<script")) {
			t.Errorf("%s: script tag echoed: %.300s", name, body)
		}
		if strings.HasPrefix(resp.Request.URL.Path, "/api/") && resp.StatusCode != 405 {
			var e struct {
				Error struct{ Kind, Message string }
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Error.Kind == "" || e.Error.Message == "" {
				t.Errorf("%s: %d without a JSON error: %.300s", name, resp.StatusCode, body)
			}
		}
		if after := snapshot(t, data); after != before {
			t.Fatalf("%s (status %d) changed the store: %.300s", name, resp.StatusCode, body)
		}
	}
	t.Logf("%d hostile requests, each a 4xx, store unchanged", len(cases))
}
