package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
	"github.com/vigil-rec/vigil/postgres"
	"github.com/vigil-rec/vigil/sqlite"
)

// App holds what commands share: flags, output streams and the store,
// opened on first use.
type App struct {
	DataDir  string
	DB       string // --db: "" or "sqlite" (DATA/vigil.db), or a postgres:// URL
	Blobs    string // --blobs: "" or "fs" (DATA/blobs), a directory, or "postgres"
	LogLevel string
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	Log      *slog.Logger

	db    vigil.Store
	blobs vigil.BlobStore
	x     vigil.Extractor // built on first use (extract.go)
}

func (a *App) setup() error {
	if a.DataDir == "" {
		a.DataDir = os.Getenv("VIGIL_DATA")
	}
	if a.DataDir == "" {
		a.DataDir = "vigil-data"
	}
	if a.DB == "" {
		a.DB = os.Getenv("VIGIL_DB")
	}
	if a.Blobs == "" {
		a.Blobs = os.Getenv("VIGIL_BLOBS")
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.LogLevel)); err != nil {
		return Usagef("--log-level: %v", err)
	}
	a.Log = slog.New(slog.NewTextHandler(a.Stderr, &slog.HandlerOptions{Level: level}))
	return nil
}

// storeFlags adds the flags that choose the backend.
func (a *App) storeFlags(fs *pflag.FlagSet) {
	fs.StringVar(&a.DB, "db", "", "database: sqlite (DATA/vigil.db, the default) or postgres://USER@HOST:PORT/DB (env VIGIL_DB)")
	fs.StringVar(&a.Blobs, "blobs", "", "blob store: fs (DATA/blobs, the default), a directory shared by every process, or postgres (in the --db database) (env VIGIL_BLOBS)")
}

// usesPostgres reports whether the database is PostgreSQL.
func (a *App) usesPostgres() bool { return postgres.IsURL(a.DB) }

// Store opens the store: SQLite in the data directory unless --db names a
// PostgreSQL database; blobs in DATA/blobs unless --blobs says otherwise.
func (a *App) Store(ctx context.Context) (vigil.Store, vigil.BlobStore, error) {
	if a.db != nil {
		return a.db, a.blobs, nil
	}
	var db vigil.Store
	var pg *postgres.DB
	switch {
	case a.DB == "" || a.DB == "sqlite":
		if err := os.MkdirAll(a.DataDir, 0o750); err != nil {
			return nil, nil, fmt.Errorf("data directory %s: %w", a.DataDir, err)
		}
		sq, err := sqlite.Open(ctx, filepath.Join(a.DataDir, "vigil.db"))
		if err != nil {
			return nil, nil, err
		}
		db = sq
	case postgres.IsURL(a.DB):
		var err error
		if pg, err = postgres.Open(ctx, a.DB); err != nil {
			return nil, nil, err
		}
		db = pg
	default:
		return nil, nil, Usagef("--db: want sqlite or a postgres:// URL, got %q", a.DB)
	}
	var blobs vigil.BlobStore
	switch a.Blobs {
	case "postgres":
		if pg == nil {
			db.Close()
			return nil, nil, Usagef("--blobs postgres needs --db postgres://...")
		}
		blobs = pg.Blobs()
	case "", "fs":
		bs, err := blob.Open(filepath.Join(a.DataDir, "blobs"))
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		blobs = bs
	default:
		bs, err := blob.Open(a.Blobs)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		blobs = bs
	}
	a.db, a.blobs = db, blobs
	return db, blobs, nil
}

// Close closes the store if it was opened.
func (a *App) Close() {
	if a.db != nil {
		a.db.Close()
		a.db = nil
	}
}

// JSON prints v as indented JSON.
func (a *App) JSON(v any) error {
	enc := json.NewEncoder(a.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Printf prints to standard output.
func (a *App) Printf(format string, args ...any) { fmt.Fprintf(a.Stdout, format, args...) }

var (
	_ vigil.Store = (*sqlite.DB)(nil)
	_ vigil.Store = (*postgres.DB)(nil)
)

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
