package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/internal/sqlstore"
)

const docColumns = `id, sha256, size, media_type, filename, title, publisher, url, language, published, captured, kind, note, text, created_at`

// CreateDocument implements vigil.DocumentService. Two processes storing
// the same bytes at once store them once: the insert does nothing on a
// conflicting SHA-256 and the document the other committed is returned.
func (d *DB) CreateDocument(ctx context.Context, doc *vigil.Document, ev *vigil.CustodyEvent) (*vigil.Document, bool, error) {
	if len(doc.SHA256) != 64 {
		return nil, false, vigil.FieldErrorf(vigil.EINVALID, "sha256", "want 64 hex digits, got %q", doc.SHA256)
	}
	if strings.IndexByte(doc.Text, 0) >= 0 || strings.IndexByte(doc.Title, 0) >= 0 {
		return nil, false, vigil.FieldErrorf(vigil.EINVALID, "text", "text contains a NUL character")
	}
	tx, err := d.begin(ctx)
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
		doc.CreatedAt = d.Now()
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
		pub, pubE, pubL = string(b), doc.Published.Earliest.UTC(), doc.Published.Latest.UTC()
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO documents (sha256, size, media_type, filename, title, publisher, url, language, published, published_earliest, published_latest, captured, kind, note, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING RETURNING id`,
		doc.SHA256, doc.Size, doc.MediaType, doc.Filename, doc.Title, doc.Publisher, doc.URL, doc.Language,
		pub, pubE, pubL, doc.Captured.UTC(), doc.Kind, doc.Note, doc.Text, doc.CreatedAt.UTC()).Scan(&doc.ID)
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
	if ev != nil {
		ev.DocumentID = doc.ID
		if ev.SHA256 == "" {
			ev.SHA256 = doc.SHA256
		}
		if err := d.appendCustody(ctx, tx, ev); err != nil {
			return nil, false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, false, err
	}
	return doc, true, nil
}

func scanDocument(s scanner) (*vigil.Document, error) {
	var doc vigil.Document
	var pub sql.NullString
	if err := s.Scan(&doc.ID, &doc.SHA256, &doc.Size, &doc.MediaType, &doc.Filename, &doc.Title, &doc.Publisher,
		&doc.URL, &doc.Language, &pub, &doc.Captured, &doc.Kind, &doc.Note, &doc.Text, &doc.CreatedAt); err != nil {
		return nil, err
	}
	if pub.Valid {
		var fd vigil.FuzzyDate
		if err := json.Unmarshal([]byte(pub.String), &fd); err != nil {
			return nil, fmt.Errorf("document %d: published: %w", doc.ID, err)
		}
		doc.Published = &fd
	}
	doc.Captured, doc.CreatedAt = doc.Captured.UTC(), doc.CreatedAt.UTC()
	return &doc, nil
}

func findDocument(ctx context.Context, q sqlstore.Querier, where string, args ...any) (*vigil.Document, error) {
	doc, err := scanDocument(q.QueryRowContext(ctx, `SELECT `+docColumns+` FROM documents WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "document not found")
	}
	return doc, err
}

// FindDocumentByID implements vigil.DocumentService.
func (d *DB) FindDocumentByID(ctx context.Context, id int64) (*vigil.Document, error) {
	return findDocument(ctx, d.q(), `id = ?`, id)
}

// FindDocumentBySHA256 implements vigil.DocumentService.
func (d *DB) FindDocumentBySHA256(ctx context.Context, sha string) (*vigil.Document, error) {
	return findDocument(ctx, d.q(), `sha256 = ?`, strings.ToLower(sha))
}

// FindDocuments implements vigil.DocumentService.
func (d *DB) FindDocuments(ctx context.Context, f vigil.DocumentFilter) ([]*vigil.Document, int, error) {
	var c conds
	if f.Language != "" {
		c.add(`language = ?`, f.Language)
	}
	if f.Publisher != "" {
		c.add(`publisher = ?`, f.Publisher)
	}
	if f.MediaType != "" {
		c.add(`media_type LIKE ? ESCAPE '\'`, likePrefix(f.MediaType))
	}
	if f.SHA256Prefix != "" {
		c.add(`sha256 LIKE ? ESCAPE '\'`, likePrefix(strings.ToLower(f.SHA256Prefix)))
	}
	if f.After != nil {
		c.add(`published_latest >= ?`, f.After.UTC())
	}
	if f.Before != nil {
		c.add(`published_earliest < ?`, f.Before.UTC())
	}
	if cond, args, ok := textQuery("d", f.Query); ok {
		c.add(cond, args...)
	}
	return findPage(ctx, d, docColumns, `documents d`, c, `id`, f.Limit, f.Offset, scanDocument)
}

// AddCustodyEvent implements vigil.DocumentService.
func (d *DB) AddCustodyEvent(ctx context.Context, ev *vigil.CustodyEvent) error {
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findDocument(ctx, tx, `id = ?`, ev.DocumentID); err != nil {
		return err
	}
	if err := d.appendCustody(ctx, tx, ev); err != nil {
		return err
	}
	return tx.Commit()
}

// appendCustody appends ev to the custody chain. It holds the chain lock
// until the transaction ends, so the head it reads is the head it extends.
func (d *DB) appendCustody(ctx context.Context, tx sqlstore.Querier, ev *vigil.CustodyEvent) error {
	if ev.Action == "" || ev.Actor == "" {
		return vigil.FieldErrorf(vigil.EINVALID, "custody", "action and actor are required")
	}
	if ev.At.IsZero() {
		ev.At = d.Now()
	}
	ev.At = ev.At.UTC()
	if err := lockChains(ctx, tx); err != nil {
		return err
	}
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT hash FROM custody_events ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	ev.PrevHash = prev
	ev.Hash = ev.ComputeHash(prev)
	err = tx.QueryRowContext(ctx, `INSERT INTO custody_events (document_id, action, actor, at, sha256, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		ev.DocumentID, ev.Action, ev.Actor, fmtTime(ev.At), ev.SHA256, ev.Detail, ev.PrevHash, ev.Hash).Scan(&ev.ID)
	if err != nil {
		return fmt.Errorf("append custody event: %w", err)
	}
	return advanceHead(ctx, tx, "custody", "custody_events", ev.PrevHash, ev.Hash)
}

const custodyColumns = `id, document_id, action, actor, at, sha256, detail, prev_hash, hash`

func scanCustody(rows scanner) (*vigil.CustodyEvent, error) {
	var ev vigil.CustodyEvent
	var at string
	if err := rows.Scan(&ev.ID, &ev.DocumentID, &ev.Action, &ev.Actor, &at, &ev.SHA256, &ev.Detail, &ev.PrevHash, &ev.Hash); err != nil {
		return nil, err
	}
	ev.At = parseTime(at)
	return &ev, nil
}

// CustodyLog implements vigil.DocumentService.
func (d *DB) CustodyLog(ctx context.Context, documentID int64) ([]*vigil.CustodyEvent, error) {
	if _, err := d.FindDocumentByID(ctx, documentID); err != nil {
		return nil, err
	}
	rows, err := d.q().QueryContext(ctx, `SELECT `+custodyColumns+` FROM custody_events WHERE document_id = ? ORDER BY id`, documentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vigil.CustodyEvent{}
	for rows.Next() {
		ev, err := scanCustody(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// VerifyCustody implements vigil.DocumentService: it walks the whole chain in
// order and reports every row whose hash, link or document hash is wrong,
// and every document without an ingest event.
func (d *DB) VerifyCustody(ctx context.Context) ([]vigil.Problem, int, error) {
	rows, err := d.q().QueryContext(ctx, `SELECT `+custodyColumns+` FROM custody_events ORDER BY id`)
	if err != nil {
		return nil, 0, err
	}
	var events []*vigil.CustodyEvent
	for rows.Next() {
		ev, err := scanCustody(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		events = append(events, ev)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	docSHA := map[int64]string{}
	drows, err := d.q().QueryContext(ctx, `SELECT id, sha256 FROM documents ORDER BY id`)
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
	head, err := d.chainHead(ctx, "custody")
	if err != nil {
		return nil, 0, err
	}
	return vigil.VerifyCustodyChain(events, docSHA, head), len(events), nil
}

// advanceHead records a chain's new end after an append. A head not yet
// recorded (a store copied row by row) is set from a count of the chain.
func advanceHead(ctx context.Context, tx sqlstore.Querier, name, table, prev, hash string) error {
	_, err := tx.ExecContext(ctx, `UPDATE chain_heads SET entries = CASE WHEN hash = '' AND ? <> '' THEN (SELECT count(*) FROM `+table+`) ELSE entries + 1 END, hash = ? WHERE name = ?`, prev, hash, name)
	return err
}

// chainHead reads a chain's recorded end.
func (d *DB) chainHead(ctx context.Context, name string) (vigil.ChainHead, error) {
	var h vigil.ChainHead
	err := d.q().QueryRowContext(ctx, `SELECT hash, entries FROM chain_heads WHERE name = ?`, name).Scan(&h.Hash, &h.Entries)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	return h, err
}
