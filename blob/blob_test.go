package blob_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
)

func TestPutOpenVerify(t *testing.T) {
	ctx := context.Background()
	s, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("fictional original bytes")
	sha, err := s.Put(ctx, data)
	if err != nil || sha != blob.Sum(data) {
		t.Fatalf("Put = %s, %v", sha, err)
	}
	if again, _ := s.Put(ctx, data); again != sha {
		t.Fatal("same bytes, other address")
	}
	got, err := blob.ReadAll(ctx, s, sha)
	if err != nil || string(got) != string(data) {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
	if ok, _ := s.Has(ctx, sha); !ok {
		t.Fatal("Has = false")
	}
	if _, err := s.Open(ctx, blob.Sum([]byte("other"))); vigil.ErrorKind(err) != vigil.ENOTFOUND {
		t.Fatalf("missing blob kind %q", vigil.ErrorKind(err))
	}
	if _, err := s.Open(ctx, "../../etc/passwd"); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatalf("path traversal kind %q", vigil.ErrorKind(err))
	}
	if p, err := s.Verify(ctx); err != nil || len(p) != 0 {
		t.Fatalf("clean Verify = %v, %v", p, err)
	}
	// Alter the stored bytes: Verify names the blob.
	path := filepath.Join(s.Dir, sha[:2], sha[2:])
	os.Chmod(path, 0o644)
	if err := os.WriteFile(path, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(s.Dir, "stray"), []byte("x"), 0o644)
	p, err := s.Verify(ctx)
	if err != nil || len(p) != 2 {
		t.Fatalf("Verify = %v, %v; want the altered blob and the stray file", p, err)
	}
	joined := p[0].Where + p[0].Message + p[1].Where + p[1].Message
	if !strings.Contains(joined, "blob "+sha) || !strings.Contains(joined, "altered") || !strings.Contains(joined, "stray") {
		t.Fatalf("problems = %v", p)
	}
}
