package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
	"github.com/vigil-rec/vigil/postgres"
	"github.com/vigil-rec/vigil/sqlite"
)

func init() { register(newMigrateCmd) }

// Column kinds that differ between the two schemas.
const (
	colPlain     = iota
	colTime      // NOT NULL time: SQLite RFC 3339 text, PostgreSQL timestamptz
	colTimeNull  // nullable time: NULL on both sides
	colTimeEmpty // optional time: '' in SQLite, NULL in PostgreSQL
	colBool      // 0/1 in SQLite, boolean in PostgreSQL
)

type column struct {
	name string
	kind int
}

type table struct {
	name string
	key  string // integer key to copy in order and resume from; "" copies the whole table each run
	cols []column
}

func cols(spec string) []column {
	var out []column
	for _, f := range strings.Fields(spec) {
		c := column{name: f}
		switch {
		case strings.HasSuffix(f, ":T"):
			c.kind = colTime
		case strings.HasSuffix(f, ":N"):
			c.kind = colTimeNull
		case strings.HasSuffix(f, ":E"):
			c.kind = colTimeEmpty
		case strings.HasSuffix(f, ":B"):
			c.kind = colBool
		}
		if i := strings.IndexByte(f, ':'); i >= 0 {
			c.name = f[:i]
		}
		out = append(out, c)
	}
	return out
}

// migrateTables are the store's tables in an order that satisfies every
// foreign key (incidents.merged_into is set in a second pass). The hashed
// custody and audit times are text on both sides and copied verbatim.
var migrateTables = []table{
	{"documents", "id", cols("id sha256 size media_type filename title publisher url language published published_earliest:N published_latest:N captured:T kind note text created_at:T")},
	{"custody_events", "id", cols("id document_id action actor at sha256 detail prev_hash hash")},
	{"places", "", cols("id pcode body")},
	{"incidents", "id", cols("id body event_type date_earliest:N date_latest:N governorate governorate_name grade review has_children:B killed_max created_at:T updated_at:T")},
	{"claims", "id", cols("id document_id idx event_type incident_id body created_at:T")},
	{"incident_keys", "", cols("incident_id kind value")},
	{"match_decisions", "id", cols("id claim_id incident_id body decided_at:T")},
	{"audit_log", "id", cols("id at actor action entity entity_id field old new reason prev_hash hash")},
	{"victim_lists", "id", cols("id name description created_at:T updated_at:T")},
	{"victim_records", "id", cols("id list_id record_id line body person_id updated_at:T")},
	{"link_runs", "id", cols("id started_at:T finished_at:T body")},
	{"review_pairs", "", cols("a b run_id weight probability explanation")},
	{"pair_decisions", "", cols("a b match:B reviewer note decided_at:T")},
	{"users", "id", cols("id username role password_hash disabled:B failed_logins locked_until:E created_at:T")},
	{"sessions", "", cols("token_hash user_id csrf created_at:T expires_at:T")},
	{"api_tokens", "id", cols("id user_id name token_hash created_at:T revoked_at:E")},
}

// endpoint is one side of a migration.
type endpoint struct {
	store vigil.Store
	blobs vigil.BlobStore
	db    *sql.DB
	pg    bool
}

func openEndpoint(ctx context.Context, where, blobSpec string) (*endpoint, error) {
	if postgres.IsURL(where) {
		db, err := postgres.Open(ctx, where)
		if err != nil {
			return nil, err
		}
		e := &endpoint{store: db, db: db.SQL(), pg: true}
		switch blobSpec {
		case "", "postgres":
			e.blobs = db.Blobs()
		default:
			bs, err := blob.Open(blobSpec)
			if err != nil {
				db.Close()
				return nil, err
			}
			e.blobs = bs
		}
		return e, nil
	}
	if err := os.MkdirAll(where, 0o750); err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, filepath.Join(where, "vigil.db"))
	if err != nil {
		return nil, err
	}
	if blobSpec == "" || blobSpec == "fs" {
		blobSpec = filepath.Join(where, "blobs")
	}
	if blobSpec == "postgres" {
		db.Close()
		return nil, Usagef("--to-blobs postgres needs a postgres:// target")
	}
	bs, err := blob.Open(blobSpec)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &endpoint{store: db, blobs: bs, db: db.SQL()}, nil
}

// convert turns a value read from one side into what the other side's
// column takes.
func convert(v any, c column, toPG bool) (any, error) {
	switch c.kind {
	case colBool:
		if toPG {
			switch x := v.(type) {
			case int64:
				return x != 0, nil
			case bool:
				return x, nil
			}
			return nil, fmt.Errorf("column %s: boolean %T", c.name, v)
		}
		if b, ok := v.(bool); ok {
			if b {
				return int64(1), nil
			}
			return int64(0), nil
		}
		return v, nil
	case colTime, colTimeNull, colTimeEmpty:
		if toPG {
			s, ok := v.(string)
			if v == nil || ok && s == "" {
				return nil, nil
			}
			if !ok {
				return v, nil
			}
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", c.name, err)
			}
			return t, nil
		}
		t, ok := v.(time.Time)
		if !ok {
			if v == nil && c.kind == colTimeEmpty {
				return "", nil
			}
			return v, nil
		}
		return t.UTC().Format(time.RFC3339Nano), nil
	}
	if b, ok := v.([]byte); ok { // text read as bytes
		return string(b), nil
	}
	return v, nil
}

func placeholders(pg bool, row, ncols int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < ncols; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		if pg {
			fmt.Fprintf(&b, "$%d", row*ncols+i+1)
		} else {
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}

// copyTable copies the rows of t that the target lacks, in batches, each
// committed on its own: an interrupted copy resumes after the last batch.
func copyTable(ctx context.Context, src, dst *endpoint, t table, progress func(string, ...any)) (int, error) {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	var from int64
	if t.key != "" {
		if err := dst.db.QueryRowContext(ctx, `SELECT coalesce(max(`+t.key+`), 0) FROM `+t.name).Scan(&from); err != nil {
			return 0, err
		}
	}
	const batch = 500
	copied := 0
	for {
		q := `SELECT ` + strings.Join(names, ", ") + ` FROM ` + t.name
		var args []any
		if t.key != "" {
			if src.pg {
				q += ` WHERE ` + t.key + ` > $1 ORDER BY ` + t.key + ` LIMIT $2`
			} else {
				q += ` WHERE ` + t.key + ` > ? ORDER BY ` + t.key + ` LIMIT ?`
			}
			args = []any{from, batch}
		}
		rows, err := src.db.QueryContext(ctx, q, args...)
		if err != nil {
			return copied, fmt.Errorf("%s: %w", t.name, err)
		}
		var vals [][]any
		for rows.Next() {
			row := make([]any, len(names))
			ptrs := make([]any, len(names))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return copied, err
			}
			for i, c := range t.cols {
				if row[i], err = convert(row[i], c, dst.pg); err != nil {
					rows.Close()
					return copied, fmt.Errorf("%s: %w", t.name, err)
				}
			}
			vals = append(vals, row)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return copied, err
		}
		if len(vals) == 0 {
			break
		}
		tx, err := dst.db.BeginTx(ctx, nil)
		if err != nil {
			return copied, err
		}
		for start := 0; start < len(vals); start += batch {
			end := min(start+batch, len(vals))
			var b strings.Builder
			b.WriteString(`INSERT INTO ` + t.name + ` (` + strings.Join(names, ", ") + `) VALUES `)
			var args []any
			for i, row := range vals[start:end] {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(placeholders(dst.pg, i, len(names)))
				args = append(args, row...)
			}
			b.WriteString(` ON CONFLICT DO NOTHING`)
			if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
				tx.Rollback()
				return copied, fmt.Errorf("%s: %w", t.name, err)
			}
		}
		if t.name == "documents" && !dst.pg {
			for _, row := range vals {
				if _, err := tx.ExecContext(ctx, `INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)`, row[0], row[5], row[15]); err != nil {
					tx.Rollback()
					return copied, fmt.Errorf("documents_fts: %w", err)
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return copied, err
		}
		copied += len(vals)
		if t.key == "" {
			break
		}
		switch id := vals[len(vals)-1][0].(type) {
		case int64:
			from = id
		default:
			return copied, fmt.Errorf("%s: key of type %T", t.name, id)
		}
		progress("copied", "table", t.name, "rows", copied, "through", from)
	}
	return copied, nil
}

func countRows(ctx context.Context, db *sql.DB, t string) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n)
	return n, err
}

// chainDigest hashes the ordered (id, hash) pairs of a chain table, or the
// ordered SHA-256s of the documents.
func chainDigest(ctx context.Context, db *sql.DB, q string) (string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%d %s\n", id, s)
	}
	return hex.EncodeToString(h.Sum(nil)), rows.Err()
}

func newMigrateCmd(a *App) *cobra.Command {
	var to, toBlobs string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "migrate --to postgres://...|DIR",
		Short: "Copy this store (database and blobs) into PostgreSQL or an embedded SQLite directory, verified",
		Long: `Copies every table row for row (ids and hash chains unchanged) and every
document's bytes from the store selected by --db/--data/--blobs into the
target: a postgres:// URL, or a directory for an embedded SQLite store (the
way back). Rows go in batches, each committed on its own, so an interrupted
copy is resumed by running the same command again. At the end the row counts
of every table, the custody and audit chains (each entry's hash, in order)
and the documents' SHA-256s must be equal on both sides, the target's chains
must verify and every document's bytes must be in the target's blob store
with the right hash; otherwise it exits 1. Blobs go to --to-blobs: for a
PostgreSQL target "postgres" (the default) or a directory; for a directory
target DIR/blobs (the default) or another directory.`,
		Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if to == "" {
				return Usagef("migrate: give --to postgres://... or a directory")
			}
			srcStore, srcBlobs, err := a.Store(ctx)
			if err != nil {
				return err
			}
			src := &endpoint{store: srcStore, blobs: srcBlobs}
			switch s := srcStore.(type) {
			case *postgres.DB:
				src.db, src.pg = s.SQL(), true
			case *sqlite.DB:
				src.db = s.SQL()
			default:
				return fmt.Errorf("migrate: unsupported store %T", srcStore)
			}
			dst, err := openEndpoint(ctx, to, toBlobs)
			if err != nil {
				return err
			}
			defer dst.store.Close()
			if src.pg == dst.pg {
				return Usagef("migrate copies between SQLite and PostgreSQL; source and target are both %s", map[bool]string{true: "PostgreSQL", false: "SQLite"}[src.pg])
			}
			progress := func(msg string, args ...any) { a.Log.Debug(msg, args...) }
			// A target that already holds a chain must hold a prefix of ours.
			for _, chain := range []string{"custody_events", "audit_log"} {
				var id int64
				var h string
				err := dst.db.QueryRowContext(ctx, `SELECT id, hash FROM `+chain+` ORDER BY id DESC LIMIT 1`).Scan(&id, &h)
				if err == sql.ErrNoRows {
					continue
				} else if err != nil {
					return err
				}
				var sh string
				q := `SELECT hash FROM ` + chain + ` WHERE id = ?`
				if src.pg {
					q = `SELECT hash FROM ` + chain + ` WHERE id = $1`
				}
				if err := src.db.QueryRowContext(ctx, q, id).Scan(&sh); err != nil || sh != h {
					return fmt.Errorf("migrate: the target's %s does not continue this store's (entry %d differs): not a copy of this store", chain, id)
				}
			}
			report := map[string]any{}
			for _, t := range migrateTables {
				n, err := copyTable(ctx, src, dst, t, progress)
				if err != nil {
					return fmt.Errorf("migrate: %w (run the same command again to resume)", err)
				}
				report[t.name] = n
			}
			// incidents.merged_into, now that every incident exists
			rows, err := src.db.QueryContext(ctx, `SELECT id, merged_into FROM incidents WHERE merged_into IS NOT NULL`)
			if err != nil {
				return err
			}
			var merges [][2]int64
			for rows.Next() {
				var m [2]int64
				if err := rows.Scan(&m[0], &m[1]); err != nil {
					rows.Close()
					return err
				}
				merges = append(merges, m)
			}
			rows.Close()
			for _, m := range merges {
				q := `UPDATE incidents SET merged_into = ? WHERE id = ?`
				if dst.pg {
					q = `UPDATE incidents SET merged_into = $1 WHERE id = $2`
				}
				if _, err := dst.db.ExecContext(ctx, q, m[1], m[0]); err != nil {
					return err
				}
			}
			if dst.pg {
				for _, t := range migrateTables {
					if t.key == "id" {
						if _, err := dst.db.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t.name+`', 'id'), greatest((SELECT max(id) FROM `+t.name+`), 1))`); err != nil {
							return err
						}
					}
				}
			}
			// Blobs: every document's bytes, checked against their name.
			blobsCopied := 0
			for offset := 0; ; {
				page, total, err := src.store.FindDocuments(ctx, vigil.DocumentFilter{Offset: offset, Limit: vigil.MaxPageSize})
				if err != nil {
					return err
				}
				for _, d := range page {
					if ok, err := dst.blobs.Has(ctx, d.SHA256); err != nil {
						return err
					} else if ok {
						continue
					}
					data, err := blob.ReadAll(ctx, src.blobs, d.SHA256)
					if err != nil {
						return fmt.Errorf("migrate: document %d: %w", d.ID, err)
					}
					if blob.Sum(data) != d.SHA256 {
						return fmt.Errorf("migrate: document %d: the source's bytes do not hash to %s", d.ID, d.SHA256)
					}
					if _, err := dst.blobs.Put(ctx, data); err != nil {
						return err
					}
					blobsCopied++
				}
				offset += len(page)
				if len(page) == 0 || offset >= total {
					break
				}
			}
			report["blobs"] = blobsCopied
			// Verification.
			var problems []string
			for _, t := range migrateTables {
				ns, err := countRows(ctx, src.db, t.name)
				if err != nil {
					return err
				}
				nd, err := countRows(ctx, dst.db, t.name)
				if err != nil {
					return err
				}
				if ns != nd {
					problems = append(problems, fmt.Sprintf("%s: %d rows here, %d in the target", t.name, ns, nd))
				}
			}
			for _, q := range []string{`SELECT id, hash FROM custody_events ORDER BY id`, `SELECT id, hash FROM audit_log ORDER BY id`, `SELECT id, sha256 FROM documents ORDER BY id`} {
				hs, err := chainDigest(ctx, src.db, q)
				if err != nil {
					return err
				}
				hd, err := chainDigest(ctx, dst.db, q)
				if err != nil {
					return err
				}
				if hs != hd {
					problems = append(problems, "differs in the target: "+q)
				}
			}
			rep, err := vigil.Verify(ctx, dst.store, dst.blobs)
			if err != nil {
				return err
			}
			for _, p := range rep.Problems {
				problems = append(problems, "target: "+p.Where+": "+p.Message)
			}
			if asJSON {
				if err := a.JSON(map[string]any{"copied": report, "verified": rep, "problems": problems, "ok": len(problems) == 0}); err != nil {
					return err
				}
			} else {
				a.Printf("copied into %s: %d documents, %d custody events, %d audit entries, %d blobs written\n",
					postgres.Redact(to), rep.Documents, rep.CustodyEvents, rep.AuditEntries, blobsCopied)
				for _, p := range problems {
					a.Printf("%s\n", p)
				}
			}
			if len(problems) > 0 {
				return fmt.Errorf("migrate: %d problems", len(problems))
			}
			if !asJSON {
				a.Printf("verified: every table's row count, the custody and audit chains, the documents' hashes and every blob match\n")
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&to, "to", "", "target: postgres://... or a directory (embedded SQLite)")
	cmd.Flags().StringVar(&toBlobs, "to-blobs", "", "target blob store: postgres or a directory (default: postgres for a PostgreSQL target, DIR/blobs for a directory)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}
