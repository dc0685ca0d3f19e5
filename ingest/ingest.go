// Package ingest turns files into stored documents: it reads plain text, HTML
// (main article text through a readability library) and JSON documents with
// their metadata, validates them, keeps the original bytes in the blob store
// and records the document with its first custody event. Every check runs
// before anything is written, so bad input never changes the store.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	vigil "github.com/vigil-rec/vigil"
	"golang.org/x/net/html/charset"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/transform"
)

// DefaultMaxSize is the largest file ingested unless configured otherwise.
const DefaultMaxSize = 32 << 20

// Ingester stores documents.
type Ingester struct {
	Docs    vigil.DocumentService
	Blobs   vigil.BlobStore
	Actor   string // who or which process ingests, recorded in the custody log
	MaxSize int64
	Now     func() time.Time
	Log     *slog.Logger
	// AfterCreate, if set, runs after a new document is stored (extraction).
	// Its error is reported but does not undo the ingest.
	AfterCreate func(ctx context.Context, doc *vigil.Document) error
}

// Result is the outcome for one input file.
type Result struct {
	Path     string          `json:"path"`
	Document *vigil.Document `json:"document,omitempty"`
	Created  bool            `json:"created"`
	Message  string          `json:"message"`
	Err      error           `json:"-"`
	Error    string          `json:"error,omitempty"`
}

// Metadata is what a sidecar NAME.json, or a JSON document, says about a
// document. A JSON document also carries its text (or HTML) itself.
type Metadata struct {
	Title     string          `json:"title"`
	Publisher string          `json:"publisher"`
	Published string          `json:"published"`
	Captured  string          `json:"captured"`
	Language  string          `json:"language"`
	URL       string          `json:"url"`
	Kind      string          `json:"kind"`
	Note      string          `json:"note"`
	Text      *string         `json:"text,omitempty"`
	HTML      *string         `json:"html,omitempty"`
	Extra     json.RawMessage `json:"extra,omitempty"`

	file string // where the metadata came from, for error messages
}

func (in *Ingester) now() time.Time {
	if in.Now != nil {
		return in.Now().UTC()
	}
	return time.Now().UTC()
}

func (in *Ingester) maxSize() int64 {
	if in.MaxSize > 0 {
		return in.MaxSize
	}
	return DefaultMaxSize
}

// Paths ingests files and directories (recursively, in name order). A file
// NAME.json beside NAME.txt or NAME.html is that file's metadata, not a
// document. It returns one result per document file; a failed file does not
// stop the others.
func (in *Ingester) Paths(ctx context.Context, paths []string) []Result {
	var results []Result
	for _, p := range paths {
		files, err := in.expand(p)
		if err != nil {
			results = append(results, failed(p, err))
			continue
		}
		for _, f := range files {
			if ctx.Err() != nil {
				results = append(results, failed(f, ctx.Err()))
				return results
			}
			results = append(results, in.File(ctx, f))
		}
	}
	return results
}

func failed(path string, err error) Result {
	return Result{Path: path, Err: err, Error: vigil.ErrorMessage(err), Message: "rejected"}
}

var docExts = map[string]bool{".txt": true, ".text": true, ".html": true, ".htm": true, ".json": true}

func (in *Ingester) expand(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, pathError(p, err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
		if err != nil {
			return pathError(f, err)
		}
		if d.IsDir() {
			if f != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || !docExts[strings.ToLower(filepath.Ext(f))] || isSidecar(f) {
			return nil
		}
		files = append(files, f)
		return nil
	})
	sort.Strings(files)
	return files, err
}

// isSidecar reports whether f is NAME.json beside a NAME.txt or NAME.html.
func isSidecar(f string) bool {
	if strings.ToLower(filepath.Ext(f)) != ".json" {
		return false
	}
	base := strings.TrimSuffix(f, filepath.Ext(f))
	for ext := range docExts {
		if ext == ".json" {
			continue
		}
		if _, err := os.Stat(base + ext); err == nil {
			return true
		}
	}
	return false
}

func pathError(p string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return vigil.FieldErrorf(vigil.EINVALID, p, "cannot read: %v", err)
}

// File ingests one file.
func (in *Ingester) File(ctx context.Context, path string) Result {
	st, err := os.Stat(path)
	if err != nil {
		return failed(path, pathError(path, err))
	}
	if st.IsDir() {
		return failed(path, vigil.FieldErrorf(vigil.EINVALID, path, "is a directory"))
	}
	if st.Size() > in.maxSize() {
		return failed(path, vigil.FieldErrorf(vigil.EINVALID, path, "file is %d bytes, over the %d-byte limit", st.Size(), in.maxSize()))
	}
	f, err := os.Open(path)
	if err != nil {
		return failed(path, pathError(path, err))
	}
	data, err := io.ReadAll(io.LimitReader(f, in.maxSize()+1))
	f.Close()
	if err != nil {
		return failed(path, pathError(path, err))
	}
	if int64(len(data)) > in.maxSize() {
		return failed(path, vigil.FieldErrorf(vigil.EINVALID, path, "file is over the %d-byte limit", in.maxSize()))
	}
	var meta *Metadata
	sidecar := strings.TrimSuffix(path, filepath.Ext(path)) + ".json"
	if strings.ToLower(filepath.Ext(path)) != ".json" {
		if _, err := os.Stat(sidecar); err == nil {
			b, err := os.ReadFile(sidecar)
			if err != nil {
				return failed(path, pathError(sidecar, err))
			}
			if meta, err = ParseMetadata(sidecar, b); err != nil {
				return failed(path, err)
			}
		}
	}
	r := in.Bytes(ctx, filepath.Base(path), data, meta)
	r.Path = path
	return r
}

// Bytes ingests one document given its name (for the media type and
// messages), its bytes and optional metadata.
func (in *Ingester) Bytes(ctx context.Context, name string, data []byte, meta *Metadata) Result {
	doc, err := in.Prepare(name, data, meta)
	if err != nil {
		return failed(name, err)
	}
	return in.Store(ctx, doc, data)
}

// Prepare validates data and builds the document without storing anything.
func (in *Ingester) Prepare(name string, data []byte, meta *Metadata) (*vigil.Document, error) {
	if int64(len(data)) > in.maxSize() {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "document is %d bytes, over the %d-byte limit", len(data), in.maxSize())
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "document is empty")
	}
	doc := &vigil.Document{SHA256: sha(data), Size: int64(len(data)), Filename: name}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case ext == ".json":
		m, err := ParseMetadata(name, data)
		if err != nil {
			return nil, err
		}
		if m.Text == nil && m.HTML == nil {
			return nil, vigil.FieldErrorf(vigil.EINVALID, name+": text", "a JSON document needs a \"text\" or \"html\" field (metadata for NAME.txt belongs in a sidecar NAME.json beside it)")
		}
		doc.MediaType = "application/json"
		if m.Text != nil {
			doc.Text = *m.Text
		} else {
			t, title, err := htmlText(name, []byte(*m.HTML))
			if err != nil {
				return nil, err
			}
			doc.Text = t
			if m.Title == "" {
				m.Title = title
			}
		}
		meta = m
	case ext == ".html" || ext == ".htm" || looksHTML(data):
		text, err := decodeHTML(name, data)
		if err != nil {
			return nil, err
		}
		t, title, err := htmlText(name, text)
		if err != nil {
			return nil, err
		}
		doc.MediaType, doc.Text, doc.Title = "text/html", t, title
	default:
		text, err := decodeText(name, data)
		if err != nil {
			return nil, err
		}
		doc.MediaType, doc.Text = "text/plain; charset=utf-8", string(text)
	}
	if err := checkText(name, doc.Text); err != nil {
		return nil, err
	}
	if meta != nil {
		if err := in.applyMetadata(doc, name, meta); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// Store keeps the original bytes and records the document. The same bytes
// ingested again change nothing.
func (in *Ingester) Store(ctx context.Context, doc *vigil.Document, data []byte) Result {
	if existing, err := in.Docs.FindDocumentBySHA256(ctx, doc.SHA256); err == nil {
		return Result{Path: doc.Filename, Document: existing, Message: fmt.Sprintf("unchanged: already stored as document %d", existing.ID)}
	} else if vigil.ErrorKind(err) != vigil.ENOTFOUND {
		return failed(doc.Filename, err)
	}
	if _, err := in.Blobs.Put(ctx, data); err != nil {
		return failed(doc.Filename, fmt.Errorf("store bytes: %w", err))
	}
	now := in.now()
	if doc.Captured.IsZero() {
		doc.Captured = now
	}
	doc.CreatedAt = now
	actor := in.Actor
	if actor == "" {
		actor = "vigil ingest"
	}
	ev := &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: actor, At: now, SHA256: doc.SHA256,
		Detail: fmt.Sprintf("file %q, %d bytes, %s", doc.Filename, doc.Size, doc.MediaType)}
	stored, created, err := in.Docs.CreateDocument(ctx, doc, ev)
	if err != nil {
		return failed(doc.Filename, err)
	}
	if !created {
		return Result{Path: doc.Filename, Document: stored, Message: fmt.Sprintf("unchanged: already stored as document %d", stored.ID)}
	}
	if in.Log != nil {
		in.Log.Debug("document ingested", "id", stored.ID, "sha256", stored.SHA256, "file", doc.Filename, "bytes", stored.Size)
	}
	r := Result{Path: doc.Filename, Document: stored, Created: true, Message: fmt.Sprintf("stored as document %d", stored.ID)}
	if in.AfterCreate != nil {
		if err := in.AfterCreate(ctx, stored); err != nil {
			r.Message += "; after-ingest step failed: " + vigil.ErrorMessage(err)
			r.Error = vigil.ErrorMessage(err)
		}
	}
	return r
}

// ParseMetadata decodes JSON metadata strictly, naming the file, line and
// column of a syntax error and the field of a type error or unknown field.
func ParseMetadata(name string, data []byte) (*Metadata, error) {
	if !utf8.Valid(data) {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "metadata is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Metadata
	if err := dec.Decode(&m); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := lineCol(data, max(se.Offset-1, 0)) // the offending byte
			return nil, vigil.FieldErrorf(vigil.EINVALID, fmt.Sprintf("%s:%d:%d", name, line, col), "malformed JSON: %v", se)
		case errors.As(err, &te):
			line, col := lineCol(data, te.Offset)
			return nil, vigil.FieldErrorf(vigil.EINVALID, fmt.Sprintf("%s:%d:%d: field %q", name, line, col, te.Field), "want a %s, got a JSON %s", te.Type, te.Value)
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return nil, vigil.FieldErrorf(vigil.EINVALID, name, "malformed JSON: unexpected end of input")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return nil, vigil.FieldErrorf(vigil.EINVALID, name, "unknown metadata field %s (known: title, publisher, published, captured, language, url, kind, note, text, html, extra)", strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return nil, vigil.FieldErrorf(vigil.EINVALID, name, "malformed JSON: %v", err)
		}
	}
	if dec.More() {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "malformed JSON: data after the top-level object")
	}
	m.file = name
	return &m, nil
}

func lineCol(data []byte, offset int64) (int, int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

func (in *Ingester) applyMetadata(doc *vigil.Document, name string, m *Metadata) error {
	if m.file != "" {
		name = m.file
	}
	if m.Title != "" {
		doc.Title = strings.TrimSpace(m.Title)
	}
	doc.Publisher = strings.TrimSpace(m.Publisher)
	doc.Kind, doc.Note = m.Kind, m.Note
	if m.Language != "" {
		if !validLang(m.Language) {
			return vigil.FieldErrorf(vigil.EINVALID, name+": language", "want a language tag such as \"en\" or \"ar\", got %q", m.Language)
		}
		doc.Language = strings.ToLower(m.Language)
	}
	if m.URL != "" {
		u, err := url.Parse(m.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return vigil.FieldErrorf(vigil.EINVALID, name+": url", "want an http or https URL, got %q", m.URL)
		}
		doc.URL = m.URL
	}
	now := in.now()
	if m.Published != "" {
		d, err := vigil.ParseFuzzyDate(m.Published)
		if err != nil {
			return vigil.FieldErrorf(vigil.EINVALID, name+": published", "%s", vigil.ErrorMessage(err))
		}
		// A day ahead is allowed for time zones; more is an error.
		if d.Earliest.After(now.Add(24 * time.Hour)) {
			return vigil.FieldErrorf(vigil.EINVALID, name+": published", "date %s is in the future", m.Published)
		}
		doc.Published = &d
	}
	if m.Captured != "" {
		d, err := vigil.ParseFuzzyDate(m.Captured)
		if err != nil {
			return vigil.FieldErrorf(vigil.EINVALID, name+": captured", "%s", vigil.ErrorMessage(err))
		}
		if d.Earliest.After(now.Add(24 * time.Hour)) {
			return vigil.FieldErrorf(vigil.EINVALID, name+": captured", "date %s is in the future", m.Captured)
		}
		doc.Captured = d.Earliest
	}
	return nil
}

func validLang(s string) bool {
	if len(s) < 2 || len(s) > 35 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func sha(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func looksHTML(data []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 512)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// decodeText returns data as UTF-8: UTF-8 (with or without BOM) as is,
// UTF-16 and UTF-32 with a BOM converted; anything else is refused, naming
// the first bad byte.
func decodeText(name string, data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return transformAll(name, data, utf32.UTF32(utf32.BigEndian, utf32.UseBOM).NewDecoder())
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return transformAll(name, data, xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder())
	}
	if !utf8.Valid(data) {
		return nil, badUTF8(name, data)
	}
	return data, nil
}

func transformAll(name string, data []byte, t transform.Transformer) ([]byte, error) {
	out, _, err := transform.Bytes(t, data)
	if err != nil || !utf8.Valid(out) {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "cannot decode the text (byte-order mark says UTF-16/32)")
	}
	return out, nil
}

func badUTF8(name string, data []byte) error {
	off := 0
	for off < len(data) {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	line, col := lineCol(data, int64(off))
	return vigil.FieldErrorf(vigil.EINVALID, fmt.Sprintf("%s:%d:%d", name, line, col), "not valid UTF-8 (byte offset %d) and no encoding declared: convert the file to UTF-8", off)
}

// decodeHTML converts HTML to UTF-8 using its BOM or declared charset
// (windows-1256 and ISO-8859-6 are common for Arabic pages). Undeclared
// non-UTF-8 HTML is refused rather than guessed.
func decodeHTML(name string, data []byte) ([]byte, error) {
	if utf8.Valid(data) {
		return bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}), nil
	}
	label := declaredCharset(data)
	enc, encName := charset.Lookup(label)
	if enc == nil || encName == "utf-8" {
		return nil, badUTF8(name, data)
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), data)
	if err != nil {
		return nil, vigil.FieldErrorf(vigil.EINVALID, name, "cannot decode HTML declared as %s: %v", encName, err)
	}
	return out, nil
}

// declaredCharset returns the charset an HTML page declares in its first
// kilobytes (<meta charset=...> or http-equiv content), or "".
func declaredCharset(data []byte) string {
	head := bytes.ToLower(data[:min(len(data), 4096)])
	i := bytes.Index(head, []byte("charset="))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(head[i+len("charset="):], "\"' ")
	end := bytes.IndexFunc(rest, func(r rune) bool {
		return !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	if end < 0 {
		end = len(rest)
	}
	return string(rest[:end])
}

// htmlText extracts the main article text and title.
func htmlText(name string, data []byte) (string, string, error) {
	art, err := readability.FromReader(bytes.NewReader(data), nil)
	if err != nil || art.Node == nil {
		return "", "", vigil.FieldErrorf(vigil.EINVALID, name, "no readable article text in the HTML")
	}
	var buf bytes.Buffer
	if err := art.RenderText(&buf); err != nil {
		return "", "", vigil.FieldErrorf(vigil.EINVALID, name, "cannot render HTML text: %v", err)
	}
	return strings.TrimSpace(buf.String()), strings.TrimSpace(art.Title()), nil
}

// checkText refuses empty text and binary junk: NUL bytes, or more than one
// in twenty characters being control characters other than whitespace.
func checkText(name string, text string) error {
	if strings.TrimSpace(text) == "" {
		return vigil.FieldErrorf(vigil.EINVALID, name, "document has no text")
	}
	if i := strings.IndexByte(text, 0); i >= 0 {
		line, col := lineCol([]byte(text), int64(i))
		return vigil.FieldErrorf(vigil.EINVALID, fmt.Sprintf("%s:%d:%d", name, line, col), "binary content (NUL byte): not a text document")
	}
	ctrl, total := 0, 0
	for _, r := range text {
		total++
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			ctrl++
		}
	}
	if ctrl*20 > total {
		return vigil.FieldErrorf(vigil.EINVALID, name, "binary content (%d control characters in %d): not a text document", ctrl, total)
	}
	return nil
}
