package vigil

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
)

// Document is one collected item, kept byte for byte. Its identity is the
// SHA-256 of its bytes; the same bytes are stored once.
type Document struct {
	ID        int64      `json:"id"`
	SHA256    string     `json:"sha256"`
	Size      int64      `json:"size"`
	MediaType string     `json:"media_type"` // of the original bytes, e.g. "text/html; charset=utf-8"
	Filename  string     `json:"filename,omitempty"`
	Title     string     `json:"title,omitempty"`
	Publisher string     `json:"publisher,omitempty"`
	URL       string     `json:"url,omitempty"`
	Language  string     `json:"language,omitempty"` // BCP 47, e.g. "en", "ar"
	Published *FuzzyDate `json:"published,omitempty"`
	Captured  time.Time  `json:"captured"` // when the bytes were collected
	Kind      string     `json:"kind,omitempty"`
	Note      string     `json:"note,omitempty"`
	// Text is the extracted plain text that claims' spans point into.
	Text      string    `json:"text,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Custody actions.
const (
	CustodyIngested  = "ingested"
	CustodySeenAgain = "seen_again"
	CustodyExtracted = "extracted"
	CustodyVerified  = "verified"
)

// CustodyEvent is one entry in a document's custody log: what was done, when,
// by whom or which process, and the hash of the bytes at the time. Entries are
// hash-chained across the whole log (PrevHash, Hash) so edits, reordering and
// deletion are detectable.
type CustodyEvent struct {
	ID         int64     `json:"id"`
	DocumentID int64     `json:"document_id"`
	Action     string    `json:"action"`
	Actor      string    `json:"actor"`
	At         time.Time `json:"at"`
	SHA256     string    `json:"sha256"`
	Detail     string    `json:"detail,omitempty"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// DocumentFilter selects documents. Zero values mean "any".
type DocumentFilter struct {
	Language     string
	Publisher    string
	MediaType    string
	Query        string // full-text search over title and text
	SHA256Prefix string // lower-case hex prefix of the SHA-256
	After        *time.Time
	Before       *time.Time // on published date
	Offset       int
	Limit        int // 0 means the default page size
}

// DefaultPageSize is the page size used when a filter gives none.
const DefaultPageSize = 50

// MaxPageSize caps any page.
const MaxPageSize = 1000

// DocumentService stores documents and their custody logs.
type DocumentService interface {
	// CreateDocument stores doc and its first custody event in one
	// transaction. When a document with the same SHA-256 exists it changes
	// nothing, returns the stored document and created=false.
	CreateDocument(ctx context.Context, doc *Document, ev *CustodyEvent) (stored *Document, created bool, err error)
	FindDocumentByID(ctx context.Context, id int64) (*Document, error)
	FindDocumentBySHA256(ctx context.Context, sha string) (*Document, error)
	// FindDocuments returns one page of documents and the total matching.
	FindDocuments(ctx context.Context, f DocumentFilter) ([]*Document, int, error)
	// AddCustodyEvent appends to the custody log, filling ID, PrevHash and Hash.
	AddCustodyEvent(ctx context.Context, ev *CustodyEvent) error
	// CustodyLog returns a document's custody events in order.
	CustodyLog(ctx context.Context, documentID int64) ([]*CustodyEvent, error)
	// VerifyCustody checks the whole custody chain and returns every problem found and the number of events checked.
	VerifyCustody(ctx context.Context) (problems []Problem, events int, err error)
}

// BlobStore keeps original bytes addressed by their SHA-256.
type BlobStore interface {
	// Put stores data and returns its hex SHA-256. Storing the same bytes
	// again is a no-op.
	Put(ctx context.Context, data []byte) (string, error)
	Open(ctx context.Context, sha string) (io.ReadCloser, error)
	Has(ctx context.Context, sha string) (bool, error)
	// Verify re-hashes every blob and returns every mismatch.
	Verify(ctx context.Context) ([]Problem, error)
}

// Problem is one integrity problem found by a verification.
type Problem struct {
	Where   string `json:"where"` // "blob <sha>", "custody event 12", "document 4"
	Message string `json:"message"`
}

// ComputeHash returns the chained hash of the event given the previous
// event's hash. Every backend uses this one definition.
func (ev *CustodyEvent) ComputeHash(prev string) string {
	return chainHash(prev, fmt.Sprintf("%d|%q|%q|%s|%q|%q", ev.DocumentID, ev.Action, ev.Actor,
		ev.At.UTC().Format(time.RFC3339Nano), ev.SHA256, ev.Detail))
}

func chainHash(prev, payload string) string {
	h := sha256.New()
	io.WriteString(h, prev)
	io.WriteString(h, "\n")
	io.WriteString(h, payload)
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyCustodyChain checks a whole custody log in order against the
// documents' hashes (id to SHA-256) and returns every problem: a row whose
// content does not match its hash (edited), a row whose link does not match
// the previous row (reordered or a row deleted before it), a hash that names
// other bytes than its document, and a document with no ingest event.
func VerifyCustodyChain(events []*CustodyEvent, docSHA map[int64]string, head ChainHead) []Problem {
	var problems []Problem
	prev := ""
	ingested := map[int64]bool{}
	for _, ev := range events {
		where := fmt.Sprintf("custody event %d (document %d, %s)", ev.ID, ev.DocumentID, ev.Action)
		if ev.PrevHash != prev {
			problems = append(problems, Problem{Where: where, Message: "chain broken: previous-hash link does not match the row before it (a row was deleted, inserted or reordered)"})
		}
		if ev.ComputeHash(ev.PrevHash) != ev.Hash {
			problems = append(problems, Problem{Where: where, Message: "row content does not match its hash (the row was edited)"})
		}
		if sha, ok := docSHA[ev.DocumentID]; !ok {
			problems = append(problems, Problem{Where: where, Message: "refers to a document that does not exist"})
		} else if ev.SHA256 != sha {
			problems = append(problems, Problem{Where: where, Message: fmt.Sprintf("records hash %s but the document's hash is %s", ev.SHA256, sha)})
		}
		if ev.Action == CustodyIngested {
			ingested[ev.DocumentID] = true
		}
		prev = ev.Hash
	}
	ids := make([]int64, 0, len(docSHA))
	for id := range docSHA {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if !ingested[id] {
			problems = append(problems, Problem{Where: fmt.Sprintf("document %d", id), Message: "has no ingest event in the custody log"})
		}
	}
	last := ""
	if len(events) > 0 {
		last = events[len(events)-1].Hash
	}
	return append(problems, verifyHead("custody log", head, len(events), last)...)
}

// jsonLine renders values as one unambiguous line for hashing.
func jsonLine(vals ...any) string {
	b, _ := json.Marshal(vals)
	return string(b)
}

// ChainHead is what a store records, with every append, about the end of a
// hash chain (custody or audit): the last entry's hash and how many entries
// were written. It lets verification notice entries removed from the end,
// which leave a shorter chain that is valid link by link. A head with no
// hash and no entries (a store copied row by row) is not yet recorded; the
// next append records it.
type ChainHead struct {
	Hash    string `json:"hash"`
	Entries int64  `json:"entries"`
}

// verifyHead compares a chain's recorded head with the chain as read: n
// entries, the last with hash last.
func verifyHead(name string, head ChainHead, n int, last string) []Problem {
	if head.Hash == "" && head.Entries == 0 {
		return nil
	}
	if head.Entries != int64(n) || head.Hash != last {
		return []Problem{{Where: name + " head", Message: fmt.Sprintf(
			"%d entries were written, the last with hash %s, but the log holds %d ending in %q: entries were removed from (or added to) its end",
			head.Entries, head.Hash, n, last)}}
	}
	return nil
}
