package http_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/ingest"
	"github.com/vigil-rec/vigil/sqlite"
)

func newServer(t *testing.T) (*httptest.Server, []*vigil.Document) {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, _ := blob.Open(filepath.Join(dir, "blobs"))
	in := &ingest.Ingester{Docs: db, Blobs: blobs, Actor: "test"}
	var docs []*vigil.Document
	for i, body := range []string{
		"FICTIONAL. Shelling hit Exampleville market.",
		"FICTIONAL. An air strike hit a clinic in Samplefield.",
		"<html><body><article><p>FICTIONAL. A long enough paragraph about a strike on an invented bakery in Testburg, reported by the Example Wire, with several sentences so that the readability library accepts it as the article.</p></article></body></html>",
	} {
		name := []string{"a.txt", "b.txt", "c.html"}[i]
		r := in.Bytes(ctx, name, []byte(body), &ingest.Metadata{Language: []string{"en", "ar", "en"}[i], Publisher: "Example Wire"})
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		docs = append(docs, r.Document)
	}
	s := vhttp.NewServer(db, db, blobs, nil)
	s.Anonymous = &vigil.User{Username: "local", Role: vigil.RoleViewer}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, docs
}

func get(t *testing.T, url string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("%s: decode: %v", url, err)
		}
	}
	return resp
}

func TestHealth(t *testing.T) {
	ts, _ := newServer(t)
	var body map[string]string
	resp := get(t, ts.URL+"/healthz", &body)
	if resp.StatusCode != 200 || body["status"] != "ok" {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatal("missing nosniff")
	}
}

func TestDocumentList(t *testing.T) {
	ts, docs := newServer(t)
	var page vhttp.DocumentPage
	resp := get(t, ts.URL+"/api/v1/documents?limit=2", &page)
	if resp.StatusCode != 200 || page.Total != 3 || len(page.Documents) != 2 || page.Documents[0].ID != docs[0].ID || page.Documents[0].Text != "" {
		t.Fatalf("%d %+v", resp.StatusCode, page)
	}
	get(t, ts.URL+"/api/v1/documents?limit=2&offset=2", &page)
	if len(page.Documents) != 1 || page.Documents[0].ID != docs[2].ID {
		t.Fatalf("second page %+v", page)
	}
	get(t, ts.URL+"/api/v1/documents?language=ar", &page)
	if page.Total != 1 || page.Documents[0].ID != docs[1].ID {
		t.Fatalf("language filter %+v", page)
	}
	get(t, ts.URL+"/api/v1/documents?q=bakery", &page)
	if page.Total != 1 || page.Documents[0].ID != docs[2].ID {
		t.Fatalf("search %+v", page)
	}
	get(t, ts.URL+"/api/v1/documents?media_type=text/html", &page)
	if page.Total != 1 {
		t.Fatalf("media type filter %+v", page)
	}
}

func TestDocumentGetRawCustody(t *testing.T) {
	ts, docs := newServer(t)
	var d vigil.Document
	resp := get(t, ts.URL+"/api/v1/documents/1", &d)
	if resp.StatusCode != 200 || d.SHA256 != docs[0].SHA256 || d.Text == "" {
		t.Fatalf("%d %+v", resp.StatusCode, d)
	}
	get(t, ts.URL+"/api/v1/documents/"+docs[1].SHA256, &d)
	if d.ID != docs[1].ID {
		t.Fatal("get by sha")
	}
	resp, _ = http.Get(ts.URL + "/api/v1/documents/3/raw")
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/html" || !strings.HasPrefix(string(raw), "<html>") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("raw: %s %q", resp.Header, raw)
	}
	resp, _ = http.Get(ts.URL + "/api/v1/documents/1/raw")
	raw, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || string(raw) != "FICTIONAL. Shelling hit Exampleville market." {
		t.Fatalf("raw text: %s %q", resp.Header.Get("Content-Type"), raw)
	}
	var c struct {
		Custody []vigil.CustodyEvent `json:"custody"`
	}
	get(t, ts.URL+"/api/v1/documents/2/custody", &c)
	if len(c.Custody) != 1 || c.Custody[0].Action != vigil.CustodyIngested {
		t.Fatalf("custody %+v", c)
	}
}

func TestErrorsMappedToStatus(t *testing.T) {
	ts, _ := newServer(t)
	for _, tc := range []struct {
		path   string
		status int
		kind   string
		field  string
	}{
		{"/api/v1/documents/999", 404, vigil.ENOTFOUND, ""},
		{"/api/v1/documents/abc", 400, vigil.EINVALID, "id"},
		{"/api/v1/documents/-1", 400, vigil.EINVALID, "id"},
		{"/api/v1/documents?limit=-5", 400, vigil.EINVALID, "limit"},
		{"/api/v1/documents?limit=100000", 400, vigil.EINVALID, "limit"},
		{"/api/v1/documents?offset=x", 400, vigil.EINVALID, "offset"},
		{"/api/v1/documents?after=yesterday", 400, vigil.EINVALID, "after"},
		{"/api/v1/nothing", 404, vigil.ENOTFOUND, ""},
	} {
		var body vhttp.ErrorBody
		resp := get(t, ts.URL+tc.path, &body)
		if resp.StatusCode != tc.status || body.Error.Kind != tc.kind || body.Error.Field != tc.field || body.Error.Message == "" {
			t.Errorf("%s: %d %+v", tc.path, resp.StatusCode, body)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: content type %s", tc.path, resp.Header.Get("Content-Type"))
		}
	}
	for kind, status := range map[string]int{vigil.EINVALID: 400, vigil.ENOTFOUND: 404, vigil.ECONFLICT: 409, vigil.EUNAUTHORIZED: 401, vigil.EWITHHELD: 403, vigil.EINTERNAL: 500, "other": 500} {
		if got := vhttp.StatusFor(kind); got != status {
			t.Errorf("StatusFor(%s) = %d, want %d", kind, got, status)
		}
	}
}

func TestGracefulClose(t *testing.T) {
	dir := t.TempDir()
	db, _ := sqlite.Open(context.Background(), filepath.Join(dir, "v.db"))
	defer db.Close()
	blobs, _ := blob.Open(filepath.Join(dir, "blobs"))
	s := vhttp.NewServer(db, db, blobs, nil)
	if err := s.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + s.Addr() + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	resp.Body.Close()
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + s.Addr() + "/healthz"); err == nil {
		t.Fatal("server still answers after Close")
	}
}
