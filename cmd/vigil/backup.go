package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
	"github.com/vigil-rec/vigil/sqlite"
)

func init() {
	register(newBackupCmd)
	register(newRestoreCmd)
}

// Manifest describes a backup: what it holds and the hashes that prove it.
type Manifest struct {
	Format    int              `json:"format"`
	CreatedAt time.Time        `json:"created_at"`
	Source    string           `json:"source"`
	Digest    string           `json:"digest"`    // sqlite.Digest of the database copy
	DBSHA256  string           `json:"db_sha256"` // of the vigil.db file
	Counts    map[string]int64 `json:"counts"`    // rows per table
	Blobs     int              `json:"blobs"`
	BlobsHash string           `json:"blobs_sha256"` // SHA-256 of the sorted blob hashes, one a line
}

const manifestName = "manifest.json"

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// emptyDir reports whether dir does not exist or is empty.
func emptyDir(dir string) (bool, error) {
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return len(ents) == 0, nil
}

// describe opens the database at path read-only in effect and returns
// its manifest (without the blob fields).
func describe(ctx context.Context, path string) (*Manifest, []string, error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	m := &Manifest{Format: 1}
	if m.Digest, err = db.Digest(ctx); err != nil {
		return nil, nil, err
	}
	if m.Counts, err = db.TableCounts(ctx); err != nil {
		return nil, nil, err
	}
	hashes, err := db.BlobHashes(ctx)
	if err != nil {
		return nil, nil, err
	}
	m.Blobs = len(hashes)
	h := sha256.Sum256([]byte(strings.Join(hashes, "\n")))
	m.BlobsHash = hex.EncodeToString(h[:])
	return m, hashes, nil
}

// copyBlobs copies (and re-hashes) every blob named in hashes from src to
// the blob store at dst.
func copyBlobs(ctx context.Context, src vigil.BlobStore, dstDir string, hashes []string) error {
	dst, err := blob.Open(dstDir)
	if err != nil {
		return err
	}
	for _, sha := range hashes {
		b, err := blob.ReadAll(ctx, src, sha)
		if err != nil {
			return fmt.Errorf("blob %s: %w", sha, err)
		}
		got, err := dst.Put(ctx, b)
		if err != nil {
			return err
		}
		if got != sha {
			return fmt.Errorf("blob %s: bytes hash to %s", sha, got)
		}
	}
	return nil
}

func newBackupCmd(a *App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "backup DEST",
		Short: "Write a consistent snapshot of the store (database, blobs, manifest with counts and hashes) to the new directory DEST; safe while vigil serve runs",
		Args:  cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			dest := args[0]
			if ok, err := emptyDir(dest); err != nil {
				return err
			} else if !ok {
				return Usagef("%s: the backup directory must be new or empty", dest)
			}
			store, blobs, err := a.Store(ctx)
			if err != nil {
				return err
			}
			db, ok := store.(*sqlite.DB)
			if !ok {
				return fmt.Errorf("backup needs the SQLite store")
			}
			// Build in a temporary sibling and rename, so that DEST is
			// either a whole backup or absent.
			if err := os.MkdirAll(filepath.Dir(filepath.Clean(dest)), 0o750); err != nil {
				return err
			}
			tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dest)), ".vigil-backup-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			dbPath := filepath.Join(tmp, "vigil.db")
			if err := db.SnapshotTo(ctx, dbPath); err != nil {
				return err
			}
			m, hashes, err := describe(ctx, dbPath)
			if err != nil {
				return err
			}
			// The snapshot names the blobs it needs; blobs are written
			// before their rows commit and never change, so they are all
			// in the live store.
			if err := copyBlobs(ctx, blobs, filepath.Join(tmp, "blobs"), hashes); err != nil {
				return err
			}
			m.CreatedAt = time.Now().UTC()
			m.Source, _ = filepath.Abs(a.DataDir)
			if m.DBSHA256, err = fileSHA256(dbPath); err != nil {
				return err
			}
			b, _ := json.MarshalIndent(m, "", "  ")
			if err := os.WriteFile(filepath.Join(tmp, manifestName), append(b, '\n'), 0o640); err != nil {
				return err
			}
			os.Remove(dest) // an empty directory
			if err := os.Rename(tmp, dest); err != nil {
				return err
			}
			if asJSON {
				return a.JSON(m)
			}
			a.Printf("backup %s: %d documents, %d blobs, %d incidents, %d victim records; digest %s\n", dest,
				m.Counts["documents"], m.Blobs, m.Counts["incidents"], m.Counts["victim_records"], m.Digest)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the manifest as JSON")
	return cmd
}

func newRestoreCmd(a *App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "restore SRC",
		Short: "Restore a backup made by vigil backup into the data directory, which must be new or empty; checks every count and hash",
		Args:  cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			src := args[0]
			data := a.DataDir
			if ok, err := emptyDir(data); err != nil {
				return err
			} else if !ok {
				return Usagef("%s: restore needs a new or empty data directory", data)
			}
			raw, err := os.ReadFile(filepath.Join(src, manifestName))
			if err != nil {
				return fmt.Errorf("%s: not a vigil backup: %w", src, err)
			}
			var want Manifest
			if err := json.Unmarshal(raw, &want); err != nil || want.Format != 1 {
				return vigil.FieldErrorf(vigil.EINVALID, filepath.Join(src, manifestName), "not a vigil backup manifest")
			}
			if got, err := fileSHA256(filepath.Join(src, "vigil.db")); err != nil {
				return err
			} else if got != want.DBSHA256 {
				return vigil.FieldErrorf(vigil.EINVALID, filepath.Join(src, "vigil.db"), "SHA-256 %s, the manifest says %s", got, want.DBSHA256)
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Clean(data)), 0o750); err != nil {
				return err
			}
			tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(data)), ".vigil-restore-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			if err := copyFile(filepath.Join(src, "vigil.db"), filepath.Join(tmp, "vigil.db")); err != nil {
				return err
			}
			got, hashes, err := describe(ctx, filepath.Join(tmp, "vigil.db"))
			if err != nil {
				return err
			}
			if got.Digest != want.Digest || got.BlobsHash != want.BlobsHash || got.Blobs != want.Blobs {
				return fmt.Errorf("%s: the database does not match its manifest", src)
			}
			srcBlobs, err := blob.Open(filepath.Join(src, "blobs"))
			if err != nil {
				return err
			}
			if err := copyBlobs(ctx, srcBlobs, filepath.Join(tmp, "blobs"), hashes); err != nil {
				return err
			}
			os.Remove(data)
			if err := os.Rename(tmp, data); err != nil {
				return err
			}
			rep, err := vigilVerify(ctx, data)
			if err != nil {
				return err
			}
			if asJSON {
				return a.JSON(got)
			}
			a.Printf("restored %s into %s: %d documents, %d blobs, %d incidents, %d victim records; digest %s; %s\n", src, data,
				got.Counts["documents"], got.Blobs, got.Counts["incidents"], got.Counts["victim_records"], got.Digest, rep)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the restored store's manifest as JSON")
	return cmd
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// vigilVerify runs the store checks of vigil verify on a data directory.
func vigilVerify(ctx context.Context, data string) (string, error) {
	blobs, err := blob.Open(filepath.Join(data, "blobs"))
	if err != nil {
		return "", err
	}
	db, err := sqlite.Open(ctx, filepath.Join(data, "vigil.db"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	rep, err := vigil.Verify(ctx, db, blobs)
	if err != nil {
		return "", err
	}
	if len(rep.Problems) > 0 {
		return "", fmt.Errorf("the restored store does not verify: %d problems, first: %v", len(rep.Problems), rep.Problems[0])
	}
	return "verified", nil
}
