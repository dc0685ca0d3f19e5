package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/internal/sqlstore"
)

// The documents and the custody chain are package sqlstore's; what is
// below is still used by this package's incidents and claims.

const docColumns = `id, sha256, size, media_type, filename, title, publisher, url, language, published, captured, kind, note, text, created_at`

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
