// Package blob is a content-addressed store of original document bytes on a
// filesystem path: each blob lives at DIR/ab/cdef... named by its SHA-256,
// written to a temporary file, synced and renamed into place, so a blob is
// either wholly there or not there at all.
package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// Store is a filesystem blob store.
type Store struct {
	Dir string
}

var _ vigil.BlobStore = (*Store)(nil)

// Open returns a store rooted at dir, creating it if needed.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob store %s: %w", dir, err)
	}
	return &Store{Dir: dir}, nil
}

// Sum returns the hex SHA-256 of data.
func Sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// ValidSHA reports whether sha is a blob's name: 64 lower-case hex digits.
func ValidSHA(sha string) bool {
	if len(sha) != 64 {
		return false
	}
	for _, c := range sha {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func (s *Store) path(sha string) string {
	return filepath.Join(s.Dir, sha[:2], sha[2:])
}

// Put implements vigil.BlobStore.
func (s *Store) Put(ctx context.Context, data []byte) (string, error) {
	sha := Sum(data)
	p := s.path(sha)
	if _, err := os.Stat(p); err == nil {
		return sha, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o440); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return "", err
	}
	if d, err := os.Open(filepath.Dir(p)); err == nil {
		d.Sync()
		d.Close()
	}
	return sha, nil
}

// Open implements vigil.BlobStore.
func (s *Store) Open(ctx context.Context, sha string) (io.ReadCloser, error) {
	sha = strings.ToLower(sha)
	if !ValidSHA(sha) {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "sha256", "want 64 hex digits")
	}
	f, err := os.Open(s.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "blob %s not found", sha)
	}
	return f, err
}

// Has implements vigil.BlobStore.
func (s *Store) Has(ctx context.Context, sha string) (bool, error) {
	sha = strings.ToLower(sha)
	if !ValidSHA(sha) {
		return false, nil
	}
	_, err := os.Stat(s.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Verify implements vigil.BlobStore: it re-hashes every blob and reports
// each one whose bytes do not match its name, and any stray file.
func (s *Store) Verify(ctx context.Context) ([]vigil.Problem, error) {
	var problems []vigil.Problem
	err := filepath.WalkDir(s.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(s.Dir, p)
		if strings.HasPrefix(d.Name(), ".tmp-") {
			return nil // an interrupted write; never referenced
		}
		sha := strings.ReplaceAll(filepath.ToSlash(rel), "/", "")
		if !ValidSHA(sha) || len(filepath.Base(rel)) != 62 {
			problems = append(problems, vigil.Problem{Where: "blob file " + rel, Message: "stray file in the blob store"})
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			problems = append(problems, vigil.Problem{Where: "blob " + sha, Message: "unreadable: " + err.Error()})
			return nil
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			problems = append(problems, vigil.Problem{Where: "blob " + sha, Message: "unreadable: " + err.Error()})
			return nil
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != sha {
			problems = append(problems, vigil.Problem{Where: "blob " + sha, Message: "bytes hash to " + got + ": the blob was altered"})
		}
		return nil
	})
	return problems, err
}

// ReadAll returns a blob's bytes.
func ReadAll(ctx context.Context, s vigil.BlobStore, sha string) ([]byte, error) {
	r, err := s.Open(ctx, sha)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var buf bytes.Buffer
	_, err = io.Copy(&buf, r)
	return buf.Bytes(), err
}
