package ingest_test

import (
	"testing"
	"time"
	"unicode/utf8"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/ingest"
)

// FuzzParseMetadata: any bytes either give metadata or an invalid error
// naming the file; never a panic.
func FuzzParseMetadata(f *testing.F) {
	f.Add([]byte(`{"title": "t", "published": "2020-01-01", "language": "en"}`))
	f.Add([]byte(`{"text": "x", "extra": {"a": [1, 2]}}`))
	f.Add([]byte("{\n \"published\": 2021-01-01\n}"))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`))
	f.Add([]byte{0xff, 0xfe, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ingest.ParseMetadata("meta.json", data)
		if err != nil {
			if vigil.ErrorKind(err) != vigil.EINVALID || vigil.ErrorField(err) == "" {
				t.Fatalf("error without kind or file: %v", err)
			}
			return
		}
		if m == nil {
			t.Fatal("nil metadata without error")
		}
	})
}

// FuzzPrepare: text and HTML intake. Any bytes are either refused with an
// invalid error or become a document with valid UTF-8 text that is not empty
// and has the right hash and size.
func FuzzPrepare(f *testing.F) {
	f.Add("a.txt", []byte("FICTIONAL. Shelling hit Exampleville."))
	f.Add("a.html", []byte("<html><body><article><p>FICTIONAL text long enough to be an article about an invented strike on a bakery.</p></article></body></html>"))
	f.Add("a.html", []byte("<meta charset=windows-1256><p>\xde\xd5\xdd</p>"))
	f.Add("a.json", []byte(`{"text": "x", "published": "2020-01-01"}`))
	f.Add("a.txt", []byte{0xff, 0xfe, 'h', 0, 'i', 0})
	f.Add("a.txt", []byte("\x00\x01\x02"))
	in := &ingest.Ingester{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }, MaxSize: 1 << 20}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := in.Prepare(name, data, nil)
		if err != nil {
			if vigil.ErrorKind(err) != vigil.EINVALID {
				t.Fatalf("error kind %q: %v", vigil.ErrorKind(err), err)
			}
			return
		}
		if !utf8.ValidString(doc.Text) || doc.Size != int64(len(data)) || len(doc.SHA256) != 64 {
			t.Fatalf("bad document: valid=%v size=%d sha=%q", utf8.ValidString(doc.Text), doc.Size, doc.SHA256)
		}
	})
}
