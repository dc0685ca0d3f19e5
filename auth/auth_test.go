package auth_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
	"github.com/vigil-rec/vigil/sqlite"
)

func TestHashPassword(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("%q %v", h, err)
	}
	if !auth.CheckPassword(h, "correct horse battery") || auth.CheckPassword(h, "correct horse batterY") {
		t.Fatal("check wrong")
	}
	h2, _ := auth.HashPassword("correct horse battery")
	if h2 == h {
		t.Fatal("no salt")
	}
	if _, err := auth.HashPassword("short"); vigil.ErrorKind(err) != vigil.EINVALID {
		t.Fatal("short password accepted")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA", "$bcrypt$x$y$z$w"} {
		if auth.CheckPassword(bad, "anything at all") {
			t.Fatalf("malformed hash %q accepted", bad)
		}
	}
}

func TestLoginLockoutSessionsTokens(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC() // the store checks session expiry against the real clock
	a := &auth.Authenticator{Users: db, Now: func() time.Time { return now }}
	h, _ := auth.HashPassword("fictional-password-1")
	u := &vigil.User{Username: "analyst1", Role: vigil.RoleAnalyst, PasswordHash: h}
	db.CreateUser(ctx, u)

	if got, err := a.Login(ctx, "analyst1", "fictional-password-1"); err != nil || got.ID != u.ID {
		t.Fatalf("login: %v", err)
	}
	_, errNoUser := a.Login(ctx, "nobody", "x")
	_, errBadPw := a.Login(ctx, "analyst1", "wrong")
	if vigil.ErrorKind(errNoUser) != vigil.EUNAUTHORIZED || errNoUser.Error() != errBadPw.Error() {
		t.Fatalf("failed logins must look alike: %v / %v", errNoUser, errBadPw)
	}
	for i := 0; i < auth.MaxFailedLogins-1; i++ {
		a.Login(ctx, "analyst1", "wrong")
	}
	if _, err := a.Login(ctx, "analyst1", "fictional-password-1"); err == nil {
		t.Fatal("account not locked after repeated failures")
	}
	now = now.Add(auth.LockoutDuration + time.Second)
	if _, err := a.Login(ctx, "analyst1", "fictional-password-1"); err != nil {
		t.Fatalf("lock did not expire: %v", err)
	}

	token, sess, err := a.StartSession(ctx, u)
	if err != nil || sess.TokenHash == token || sess.TokenHash != auth.HashToken(token) {
		t.Fatalf("session stores the token, not its hash: %v", err)
	}
	if got, _, err := a.UserForSession(ctx, token); err != nil || got.ID != u.ID {
		t.Fatalf("UserForSession %v", err)
	}
	api, tok, err := a.IssueAPIToken(ctx, u, "script")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := a.UserForToken(ctx, api); err != nil || got.ID != u.ID {
		t.Fatalf("UserForToken %v", err)
	}
	db.RevokeAPIToken(ctx, tok.ID)
	if _, err := a.UserForToken(ctx, api); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatal("revoked token accepted")
	}
	u.Disabled = true
	db.UpdateUser(ctx, u)
	if _, _, err := a.UserForSession(ctx, token); vigil.ErrorKind(err) != vigil.EUNAUTHORIZED {
		t.Fatal("disabled user's session accepted")
	}
}
