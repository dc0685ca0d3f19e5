package ingest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
	"github.com/vigil-rec/vigil/ingest"
	"github.com/vigil-rec/vigil/sqlite"
)

type env struct {
	db    *sqlite.DB
	blobs *blob.Store
	in    *ingest.Ingester
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := blob.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	return &env{db, blobs, &ingest.Ingester{Docs: db, Blobs: blobs, Actor: "test", Now: func() time.Time { return now }}}
}

// snapshot is a digest of the database and the list of blob files.
func (e *env) snapshot(t *testing.T) string {
	t.Helper()
	d, err := e.db.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.Walk(e.blobs.Dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return d + "\n" + strings.Join(files, "\n")
}

func TestIngestTextWithSidecar(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.in.File(ctx, "testdata/fictional-strike.txt")
	if r.Err != nil || !r.Created {
		t.Fatalf("ingest: %+v", r)
	}
	d := r.Document
	raw, _ := os.ReadFile("testdata/fictional-strike.txt")
	if d.SHA256 != blob.Sum(raw) || d.Size != int64(len(raw)) || d.Text != string(raw) || d.MediaType != "text/plain; charset=utf-8" {
		t.Fatalf("document: %+v", d)
	}
	if d.Title != "Shelling hits Exampleville market (fictional)" || d.Publisher != "Example Wire" || d.Language != "en" ||
		d.URL != "https://example.org/fictional/exampleville-market" || d.Published.String() != "2021-05-05" {
		t.Fatalf("metadata not applied: %+v", d)
	}
	stored, err := blob.ReadAll(ctx, e.blobs, d.SHA256)
	if err != nil || !bytes.Equal(stored, raw) {
		t.Fatalf("blob differs from the original bytes: %v", err)
	}
	log, _ := e.db.CustodyLog(ctx, d.ID)
	if len(log) != 1 || log[0].Action != vigil.CustodyIngested || log[0].Actor != "test" || log[0].SHA256 != d.SHA256 {
		t.Fatalf("custody: %+v", log)
	}
	// The same bytes again change nothing and say so.
	before := e.snapshot(t)
	again := e.in.File(ctx, "testdata/fictional-strike.txt")
	if again.Err != nil || again.Created || again.Document.ID != d.ID || !strings.Contains(again.Message, "unchanged") {
		t.Fatalf("second ingest: %+v", again)
	}
	if e.snapshot(t) != before {
		t.Fatal("re-ingesting the same bytes changed the store")
	}
}

func TestIngestHTMLUsesReadability(t *testing.T) {
	e := newEnv(t)
	r := e.in.File(context.Background(), "testdata/fictional-page.html")
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	d := r.Document
	if d.MediaType != "text/html" || d.Title != "Air strike on fictional clinic" {
		t.Fatalf("%q %q", d.MediaType, d.Title)
	}
	if !strings.Contains(d.Text, "invented village of Samplefield") || strings.Contains(d.Text, "alert(") || strings.Contains(d.Text, "About us") || strings.Contains(d.Text, "<p>") {
		t.Fatalf("text is not the article: %q", d.Text)
	}
}

func TestIngestJSONDocumentAndDirectory(t *testing.T) {
	e := newEnv(t)
	results := e.in.Paths(context.Background(), []string{"testdata"})
	if len(results) != 3 {
		for _, r := range results {
			t.Log(r.Path, r.Message, r.Error)
		}
		t.Fatalf("%d results, want 3 (the sidecar is metadata, not a document)", len(results))
	}
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Path, r.Err)
		}
		if filepath.Base(r.Path) == "fictional-doc.json" {
			d := r.Document
			if d.MediaType != "application/json" || d.Language != "ar" || !strings.HasPrefix(d.Text, "مثال وهمي") || d.Kind != "social media post" {
				t.Fatalf("json document: %+v", d)
			}
		}
	}
}

func TestIngestEncodings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// UTF-16 little-endian with a byte-order mark.
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "Fictional UTF-16 report." {
		utf16 = append(utf16, byte(r), 0)
	}
	r := e.in.Bytes(ctx, "utf16.txt", utf16, nil)
	if r.Err != nil || r.Document.Text != "Fictional UTF-16 report." {
		t.Fatalf("utf-16: %+v", r)
	}
	// Arabic HTML declared as windows-1256: "قصف" is DE D5 DD in that code page.
	page := []byte("<html><head><meta charset=\"windows-1256\"><title>t</title></head><body><article><p>")
	for i := 0; i < 12; i++ {
		page = append(page, []byte("\xde\xd5\xdd \xe6\xe5\xe3\xed \xda\xe1\xec \xc8\xe1\xcf\xc9 \xe6\xe5\xe3\xed\xc9. ")...)
	}
	page = append(page, []byte("</p></article></body></html>")...)
	r = e.in.Bytes(ctx, "arabic.html", page, nil)
	if r.Err != nil || !strings.Contains(r.Document.Text, "قصف") {
		t.Fatalf("windows-1256: %v %q", r.Err, r.Document.Text)
	}
}

func TestBadInputLeavesStoreUnchanged(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	junk := make([]byte, 4096)
	rand.Read(junk)
	junk[10] = 0
	huge := filepath.Join(dir, "huge.txt")
	f, _ := os.Create(huge)
	f.Truncate(100 << 20) // a 100 MB file (sparse)
	f.Close()
	os.Symlink(filepath.Join(dir, "gone.txt"), filepath.Join(dir, "dangling.txt"))
	write("malformed.txt", []byte("A fictional report with broken metadata."))
	write("malformed.json", []byte("{\n  \"title\": \"x\",\n  \"published\": 2021-01-01\n}"))
	write("wrongtype.txt", []byte("A fictional report with a wrongly typed field."))
	write("wrongtype.json", []byte("{\"title\": \"x\", \"published\": 20210101}"))
	write("future.txt", []byte("A fictional report from the future."))
	write("future.json", []byte(`{"published": "2031-01-01"}`))
	write("unknownfield.txt", []byte("A fictional report with a typo in its metadata."))
	write("unknownfield.json", []byte(`{"publised": "2020-01-01"}`))
	write("badlang.txt", []byte("A fictional report with a bad language tag."))
	write("badlang.json", []byte(`{"language": "<script>"}`))

	cases := []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "nope.txt"), "nope.txt: cannot read"},
		{"dangling link (unreadable)", filepath.Join(dir, "dangling.txt"), "dangling.txt: cannot read"},
		{"directory as file", dir, ""},
		{"invalid UTF-8", write("latin1.txt", []byte("Caf\xe9 cr\xe8me: a fictional report.")), "latin1.txt:1:4: not valid UTF-8"},
		{"undeclared non-UTF-8 HTML", write("unknown.html", []byte("<html><body><p>Caf\xe9 fictional</p></body></html>")), "unknown.html:1:19: not valid UTF-8"},
		{"empty", write("empty.txt", nil), "empty.txt: document is empty"},
		{"whitespace only", write("blank.txt", []byte("  \n\t \n")), "blank.txt: document is empty"},
		{"100 MB", huge, "huge.txt: file is 104857600 bytes, over the"},
		{"binary junk", write("junk.txt", junk), "junk.txt"},
		{"control characters", write("ctrl.txt", bytes.Repeat([]byte("a\x01\x02\x03"), 100)), "binary content"},
		{"malformed JSON metadata", filepath.Join(dir, "malformed.txt"), "malformed.json:3:20: malformed JSON"},
		{"wrong type in metadata", filepath.Join(dir, "wrongtype.txt"), `field "published"`},
		{"future published date", filepath.Join(dir, "future.txt"), "future.json: published: date 2031-01-01 is in the future"},
		{"unknown metadata field", filepath.Join(dir, "unknownfield.txt"), `unknown metadata field "publised"`},
		{"bad language", filepath.Join(dir, "badlang.txt"), "badlang.json: language"},
		{"JSON document without text", write("notext.json", []byte(`{"title": "only metadata"}`)), `notext.json: text: a JSON document needs`},
		{"malformed JSON document", write("broken.json", []byte(`{"text": "x"`)), "broken.json: malformed JSON"},
	}
	e := newEnv(t)
	ctx := context.Background()
	// Something is already stored; it must survive every bad input untouched.
	if r := e.in.File(ctx, "testdata/fictional-strike.txt"); r.Err != nil {
		t.Fatal(r.Err)
	}
	before := e.snapshot(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.in.File(ctx, tc.path)
			if r.Err == nil {
				t.Fatalf("accepted: %+v", r)
			}
			if vigil.ErrorKind(r.Err) != vigil.EINVALID {
				t.Errorf("kind %q, want invalid: %v", vigil.ErrorKind(r.Err), r.Err)
			}
			if !strings.Contains(r.Error, tc.want) {
				t.Errorf("error %q does not contain %q", r.Error, tc.want)
			}
			if after := e.snapshot(t); after != before {
				t.Fatal("the store changed")
			}
		})
	}
	if rep, err := vigil.Verify(ctx, e.db, e.blobs); err != nil || !rep.OK || rep.Documents != 1 {
		t.Fatalf("verify after bad input: %+v %v", rep, err)
	}
}

func TestAfterCreateHook(t *testing.T) {
	e := newEnv(t)
	var seen []int64
	e.in.AfterCreate = func(ctx context.Context, d *vigil.Document) error { seen = append(seen, d.ID); return nil }
	e.in.File(context.Background(), "testdata/fictional-strike.txt")
	e.in.File(context.Background(), "testdata/fictional-strike.txt")
	if len(seen) != 1 {
		t.Fatalf("hook ran %d times, want once (only for new documents)", len(seen))
	}
}
