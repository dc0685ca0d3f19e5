package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

const docColumns = `id, sha256, size, media_type, filename, title, publisher, url, language, published, captured, kind, note, text, created_at`

// CreateDocument implements vigil.DocumentService. Two processes storing
// the same bytes at once store them once: the insert does nothing on a
// conflicting SHA-256 and the document the other committed is returned
// (PostgreSQL; SQLite's writers are serialised, so the look-up before the
// insert already finds it).
func (s *Store) CreateDocument(ctx context.Context, doc *vigil.Document, ev *vigil.CustodyEvent) (*vigil.Document, bool, error) {
	if len(doc.SHA256) != 64 {
		return nil, false, vigil.FieldErrorf(vigil.EINVALID, "sha256", "want 64 hex digits, got %q", doc.SHA256)
	}
	if err := s.d.CheckText("title", doc.Title); err != nil {
		return nil, false, err
	}
	if err := s.d.CheckText("text", doc.Text); err != nil {
		return nil, false, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	if existing, err := findDocument(ctx, tx, `sha256 = ?`, doc.SHA256); err == nil {
		return existing, false, nil
	} else if vigil.ErrorKind(err) != vigil.ENOTFOUND {
		return nil, false, err
	}
	if doc.CreatedAt.IsZero() {
		doc.CreatedAt = s.Now()
	}
	if doc.Captured.IsZero() {
		doc.Captured = doc.CreatedAt
	}
	var pub, pubE, pubL any
	if doc.Published != nil && !doc.Published.IsZero() {
		b, err := json.Marshal(doc.Published)
		if err != nil {
			return nil, false, err
		}
		pub, pubE, pubL = string(b), s.d.Time(doc.Published.Earliest), s.d.Time(doc.Published.Latest)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO documents (sha256, size, media_type, filename, title, publisher, url, language, published, published_earliest, published_latest, captured, kind, note, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING RETURNING id`,
		doc.SHA256, doc.Size, doc.MediaType, doc.Filename, doc.Title, doc.Publisher, doc.URL, doc.Language,
		pub, pubE, pubL, s.d.Time(doc.Captured), doc.Kind, doc.Note, doc.Text, s.d.Time(doc.CreatedAt)).Scan(&doc.ID)
	if errors.Is(err, sql.ErrNoRows) {
		// stored meanwhile by another transaction, now committed
		existing, err := findDocument(ctx, tx, `sha256 = ?`, doc.SHA256)
		if err != nil {
			return nil, false, err
		}
		return existing, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("insert document: %w", err)
	}
	if err := s.d.IndexDocument(ctx, tx, doc.ID, doc.Title, doc.Text); err != nil {
		return nil, false, err
	}
	if ev != nil {
		ev.DocumentID = doc.ID
		if ev.SHA256 == "" {
			ev.SHA256 = doc.SHA256
		}
		if err := s.appendCustody(ctx, tx, ev); err != nil {
			return nil, false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, false, err
	}
	return doc, true, nil
}

func scanDocument(sc Scanner) (*vigil.Document, error) {
	var doc vigil.Document
	var pub sql.NullString
	if err := sc.Scan(&doc.ID, &doc.SHA256, &doc.Size, &doc.MediaType, &doc.Filename, &doc.Title, &doc.Publisher,
		&doc.URL, &doc.Language, &pub, Time(&doc.Captured), &doc.Kind, &doc.Note, &doc.Text, Time(&doc.CreatedAt)); err != nil {
		return nil, err
	}
	if pub.Valid {
		var fd vigil.FuzzyDate
		if err := json.Unmarshal([]byte(pub.String), &fd); err != nil {
			return nil, fmt.Errorf("document %d: published: %w", doc.ID, err)
		}
		doc.Published = &fd
	}
	return &doc, nil
}

func findDocument(ctx context.Context, q Querier, where string, args ...any) (*vigil.Document, error) {
	doc, err := scanDocument(q.QueryRowContext(ctx, `SELECT `+docColumns+` FROM documents WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "document not found")
	}
	return doc, err
}

// FindDocumentByID implements vigil.DocumentService.
func (s *Store) FindDocumentByID(ctx context.Context, id int64) (*vigil.Document, error) {
	return findDocument(ctx, s.q(), `id = ?`, id)
}

// FindDocumentBySHA256 implements vigil.DocumentService.
func (s *Store) FindDocumentBySHA256(ctx context.Context, sha string) (*vigil.Document, error) {
	return findDocument(ctx, s.q(), `sha256 = ?`, strings.ToLower(sha))
}

// FindDocuments implements vigil.DocumentService.
func (s *Store) FindDocuments(ctx context.Context, f vigil.DocumentFilter) ([]*vigil.Document, int, error) {
	var c Conds
	if f.Language != "" {
		c.Add(`language = ?`, f.Language)
	}
	if f.Publisher != "" {
		c.Add(`publisher = ?`, f.Publisher)
	}
	if f.MediaType != "" {
		c.Add(`media_type LIKE ? ESCAPE '\'`, LikePrefix(f.MediaType))
	}
	if f.SHA256Prefix != "" {
		c.Add(`sha256 LIKE ? ESCAPE '\'`, LikePrefix(strings.ToLower(f.SHA256Prefix)))
	}
	if f.After != nil {
		c.Add(`published_latest >= ?`, s.d.Time(*f.After))
	}
	if f.Before != nil {
		c.Add(`published_earliest < ?`, s.d.Time(*f.Before))
	}
	if cond, args, ok := s.d.TextMatch("d", f.Query); ok {
		c.Add(cond, args...)
	}
	return FindPage(ctx, s, docColumns, `documents d`, c, `id`, f.Limit, f.Offset, scanDocument)
}

// AddCustodyEvent implements vigil.DocumentService.
func (s *Store) AddCustodyEvent(ctx context.Context, ev *vigil.CustodyEvent) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findDocument(ctx, tx, `id = ?`, ev.DocumentID); err != nil {
		return err
	}
	if err := s.appendCustody(ctx, tx, ev); err != nil {
		return err
	}
	return tx.Commit()
}

// appendCustody appends ev to the custody chain.
func (s *Store) appendCustody(ctx context.Context, tx Querier, ev *vigil.CustodyEvent) error {
	if ev.Action == "" || ev.Actor == "" {
		return vigil.FieldErrorf(vigil.EINVALID, "custody", "action and actor are required")
	}
	return s.appendChain(ctx, tx, "custody", "custody_events", &ev.At, func(prev string) (string, error) {
		ev.PrevHash = prev
		ev.Hash = ev.ComputeHash(prev)
		if err := tx.QueryRowContext(ctx, `INSERT INTO custody_events (document_id, action, actor, at, sha256, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			ev.DocumentID, ev.Action, ev.Actor, TimeText(ev.At), ev.SHA256, ev.Detail, ev.PrevHash, ev.Hash).Scan(&ev.ID); err != nil {
			return "", fmt.Errorf("append custody event: %w", err)
		}
		return ev.Hash, nil
	})
}

const custodyColumns = `id, document_id, action, actor, at, sha256, detail, prev_hash, hash`

func scanCustody(rows Scanner) (*vigil.CustodyEvent, error) {
	var ev vigil.CustodyEvent
	if err := rows.Scan(&ev.ID, &ev.DocumentID, &ev.Action, &ev.Actor, Time(&ev.At), &ev.SHA256, &ev.Detail, &ev.PrevHash, &ev.Hash); err != nil {
		return nil, err
	}
	return &ev, nil
}

// CustodyLog implements vigil.DocumentService.
func (s *Store) CustodyLog(ctx context.Context, documentID int64) ([]*vigil.CustodyEvent, error) {
	if _, err := s.FindDocumentByID(ctx, documentID); err != nil {
		return nil, err
	}
	return All(ctx, s.q(), scanCustody, `SELECT `+custodyColumns+` FROM custody_events WHERE document_id = ? ORDER BY id`, documentID)
}

// VerifyCustody implements vigil.DocumentService: it walks the whole chain in
// order and reports every row whose hash, link or document hash is wrong,
// and every document without an ingest event.
func (s *Store) VerifyCustody(ctx context.Context) ([]vigil.Problem, int, error) {
	events, err := All(ctx, s.q(), scanCustody, `SELECT `+custodyColumns+` FROM custody_events ORDER BY id`)
	if err != nil {
		return nil, 0, err
	}
	docSHA := map[int64]string{}
	drows, err := s.q().QueryContext(ctx, `SELECT id, sha256 FROM documents ORDER BY id`)
	if err != nil {
		return nil, 0, err
	}
	for drows.Next() {
		var id int64
		var sha string
		if err := drows.Scan(&id, &sha); err != nil {
			drows.Close()
			return nil, 0, err
		}
		docSHA[id] = sha
	}
	drows.Close()
	if err := drows.Err(); err != nil {
		return nil, 0, err
	}
	head, err := s.chainHead(ctx, "custody")
	if err != nil {
		return nil, 0, err
	}
	return vigil.VerifyCustodyChain(events, docSHA, head), len(events), nil
}
