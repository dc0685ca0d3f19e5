package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	vigil "github.com/vigil-rec/vigil"
)

// The documents and the custody chain are package sqlstore's; what is
// below is still used by this package's incidents and claims.

const docColumns = `id, sha256, size, media_type, filename, title, publisher, url, language, published, captured, kind, note, text, created_at`

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
