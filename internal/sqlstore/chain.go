package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// appendChain appends one entry to the hash chain kept in table, whose
// recorded head is name (custody, audit). The entry's time, at, is set to
// now when zero, and to UTC. It takes the dialect's chain lock, held until
// the transaction ends, so the head it reads is the head it extends; insert
// gets the last entry's hash, stores the entry chained to it and returns
// the entry's hash; then the recorded head advances.
func (s *Store) appendChain(ctx context.Context, tx Querier, name, table string, at *time.Time, insert func(prev string) (hash string, err error)) error {
	if at.IsZero() {
		*at = s.Now()
	}
	*at = at.UTC()
	if err := s.d.LockChains(ctx, tx); err != nil {
		return err
	}
	var prev string
	if err := tx.QueryRowContext(ctx, `SELECT hash FROM `+table+` ORDER BY id DESC LIMIT 1`).Scan(&prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	hash, err := insert(prev)
	if err != nil {
		return err
	}
	return advanceHead(ctx, tx, name, table, prev, hash)
}

// advanceHead records a chain's new end after an append. A head not yet
// recorded (a store copied row by row) is set from a count of the chain.
func advanceHead(ctx context.Context, tx Querier, name, table, prev, hash string) error {
	_, err := tx.ExecContext(ctx, `UPDATE chain_heads SET entries = CASE WHEN hash = '' AND ? <> '' THEN (SELECT count(*) FROM `+table+`) ELSE entries + 1 END, hash = ? WHERE name = ?`, prev, hash, name)
	return err
}

// chainHead reads a chain's recorded end.
func (s *Store) chainHead(ctx context.Context, name string) (vigil.ChainHead, error) {
	var h vigil.ChainHead
	err := s.q().QueryRowContext(ctx, `SELECT hash, entries FROM chain_heads WHERE name = ?`, name).Scan(&h.Hash, &h.Entries)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	return h, err
}
