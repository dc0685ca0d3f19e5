package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
	"github.com/vigil-rec/vigil/sqlite"
)

// App holds what commands share: flags, output streams and the store,
// opened on first use.
type App struct {
	DataDir  string
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
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.LogLevel)); err != nil {
		return Usagef("--log-level: %v", err)
	}
	a.Log = slog.New(slog.NewTextHandler(a.Stderr, &slog.HandlerOptions{Level: level}))
	return nil
}

// Store opens the store in the data directory.
func (a *App) Store(ctx context.Context) (vigil.Store, vigil.BlobStore, error) {
	if a.db != nil {
		return a.db, a.blobs, nil
	}
	if err := os.MkdirAll(a.DataDir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("data directory %s: %w", a.DataDir, err)
	}
	blobs, err := blob.Open(filepath.Join(a.DataDir, "blobs"))
	if err != nil {
		return nil, nil, err
	}
	db, err := sqlite.Open(ctx, filepath.Join(a.DataDir, "vigil.db"))
	if err != nil {
		return nil, nil, err
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

var _ vigil.Store = (*sqlite.DB)(nil)

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
