package sqlite

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

// CreateDocument implements vigil.DocumentService.
func (d *DB) CreateDocument(ctx context.Context, doc *vigil.Document, ev *vigil.CustodyEvent) (*vigil.Document, bool, error) {
	if len(doc.SHA256) != 64 {
		return nil, false, vigil.FieldErrorf(vigil.EINVALID, "sha256", "want 64 hex digits, got %q", doc.SHA256)
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
		pub, pubE, pubL = string(b), fmtTime(doc.Published.Earliest), fmtTime(doc.Published.Latest)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO documents (sha256, size, media_type, filename, title, publisher, url, language, published, published_earliest, published_latest, captured, kind, note, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		doc.SHA256, doc.Size, doc.MediaType, doc.Filename, doc.Title, doc.Publisher, doc.URL, doc.Language,
		pub, pubE, pubL, fmtTime(doc.Captured), doc.Kind, doc.Note, doc.Text, fmtTime(doc.CreatedAt))
	if err != nil {
		return nil, false, fmt.Errorf("insert document: %w", err)
	}
	if doc.ID, err = res.LastInsertId(); err != nil {
		return nil, false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)`, doc.ID, searchText(doc.Title), searchText(doc.Text)); err != nil {
		return nil, false, fmt.Errorf("index document: %w", err)
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

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, q string) (*sql.Stmt, error)
}

type scanner interface{ Scan(dest ...any) error }

func scanDocument(s scanner) (*vigil.Document, error) {
	var doc vigil.Document
	var pub sql.NullString
	var captured, created string
	if err := s.Scan(&doc.ID, &doc.SHA256, &doc.Size, &doc.MediaType, &doc.Filename, &doc.Title, &doc.Publisher,
		&doc.URL, &doc.Language, &pub, &captured, &doc.Kind, &doc.Note, &doc.Text, &created); err != nil {
		return nil, err
	}
	if pub.Valid {
		var fd vigil.FuzzyDate
		if err := json.Unmarshal([]byte(pub.String), &fd); err != nil {
			return nil, fmt.Errorf("document %d: published: %w", doc.ID, err)
		}
		doc.Published = &fd
	}
	doc.Captured, doc.CreatedAt = parseTime(captured), parseTime(created)
	return &doc, nil
}

func findDocument(ctx context.Context, q querier, where string, args ...any) (*vigil.Document, error) {
	doc, err := scanDocument(q.QueryRowContext(ctx, `SELECT `+docColumns+` FROM documents WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "document not found")
	}
	return doc, err
}

// FindDocumentByID implements vigil.DocumentService.
func (d *DB) FindDocumentByID(ctx context.Context, id int64) (*vigil.Document, error) {
	return findDocument(ctx, d.SQL(), `id = ?`, id)
}

// FindDocumentBySHA256 implements vigil.DocumentService.
func (d *DB) FindDocumentBySHA256(ctx context.Context, sha string) (*vigil.Document, error) {
	return findDocument(ctx, d.SQL(), `sha256 = ?`, strings.ToLower(sha))
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
		c.add(`published_latest >= ?`, fmtTime(*f.After))
	}
	if f.Before != nil {
		c.add(`published_earliest < ?`, fmtTime(*f.Before))
	}
	if q := ftsQuery(f.Query); q != "" {
		c.add(`id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)`, q)
	}
	return findPage(ctx, d, docColumns, `documents`, c, `id`, f.Limit, f.Offset, scanDocument)
}

func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
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

func (d *DB) appendCustody(ctx context.Context, tx querier, ev *vigil.CustodyEvent) error {
	if ev.Action == "" || ev.Actor == "" {
		return vigil.FieldErrorf(vigil.EINVALID, "custody", "action and actor are required")
	}
	if ev.At.IsZero() {
		ev.At = d.Now()
	}
	ev.At = ev.At.UTC()
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT hash FROM custody_events ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	ev.PrevHash = prev
	ev.Hash = ev.ComputeHash(prev)
	res, err := tx.ExecContext(ctx, `INSERT INTO custody_events (document_id, action, actor, at, sha256, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.DocumentID, ev.Action, ev.Actor, fmtTime(ev.At), ev.SHA256, ev.Detail, ev.PrevHash, ev.Hash)
	if err != nil {
		return fmt.Errorf("append custody event: %w", err)
	}
	if ev.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return advanceHead(ctx, tx, "custody", "custody_events", ev.PrevHash, ev.Hash)
}

const custodyColumns = `id, document_id, action, actor, at, sha256, detail, prev_hash, hash`

func scanCustody(rows *sql.Rows) (*vigil.CustodyEvent, error) {
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
	head, err := d.chainHead(ctx, "custody")
	if err != nil {
		return nil, 0, err
	}
	return vigil.VerifyCustodyChain(events, docSHA, head), len(events), nil
}

// advanceHead records a chain's new end after an append. A head not yet
// recorded (a store copied row by row) is set from a count of the chain.
func advanceHead(ctx context.Context, tx querier, name, table, prev, hash string) error {
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
