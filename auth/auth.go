// Package auth hashes passwords with argon2id, issues session and API tokens
// (stored only as SHA-256 hashes), and logs users in with lockout after
// repeated failures.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (OWASP's recommended minimum: m=19 MiB, t=2, p=1).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLength {
		return "", vigil.FieldErrorf(vigil.EINVALID, "password", "must be at least %d characters", MinPasswordLength)
	}
	if len(password) > 1024 {
		return "", vigil.FieldErrorf(vigil.EINVALID, "password", "longer than 1024 bytes")
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC-format hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 16 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewToken returns a random token to give to the client and the hash to store.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the stored form of a token.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Lockout policy.
const (
	MaxFailedLogins = 5
	LockoutDuration = 15 * time.Minute
	SessionLifetime = 12 * time.Hour
)

// Authenticator logs users in and resolves sessions and API tokens.
type Authenticator struct {
	Users vigil.UserService
	Now   func() time.Time
}

func (a *Authenticator) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now().UTC()
}

// errLogin is the one answer to every failed login, so that it does not
// tell whether the user exists.
var errLogin = vigil.Errorf(vigil.EUNAUTHORIZED, "wrong username or password, or the account is locked")

// Login checks a password, counting failures and locking the account for
// LockoutDuration after MaxFailedLogins in a row.
func (a *Authenticator) Login(ctx context.Context, username, password string) (*vigil.User, error) {
	u, err := a.Users.FindUserByName(ctx, username)
	if err != nil {
		if vigil.ErrorKind(err) == vigil.ENOTFOUND {
			CheckPassword(dummyHash, password) // same work as a real check
			return nil, errLogin
		}
		return nil, err
	}
	now := a.now()
	if u.Disabled || now.Before(u.LockedUntil) {
		CheckPassword(dummyHash, password) // as slow as a real check: the answer's timing does not tell a locked account
		return nil, errLogin
	}
	if !CheckPassword(u.PasswordHash, password) {
		u.FailedLogins++
		if u.FailedLogins >= MaxFailedLogins {
			u.LockedUntil = now.Add(LockoutDuration)
			u.FailedLogins = 0
		}
		if err := a.Users.UpdateUser(ctx, u); err != nil {
			return nil, err
		}
		return nil, errLogin
	}
	if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
		u.FailedLogins, u.LockedUntil = 0, time.Time{}
		if err := a.Users.UpdateUser(ctx, u); err != nil {
			return nil, err
		}
	}
	return u, nil
}

var dummyHash, _ = HashPassword("not-a-real-password-0000")

// StartSession creates a session for u and returns its token.
func (a *Authenticator) StartSession(ctx context.Context, u *vigil.User) (token string, s *vigil.Session, err error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", nil, err
	}
	csrf, _, err := NewToken()
	if err != nil {
		return "", nil, err
	}
	now := a.now()
	s = &vigil.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	return token, s, a.Users.CreateSession(ctx, s)
}

// UserForSession returns the user behind a session token.
func (a *Authenticator) UserForSession(ctx context.Context, token string) (*vigil.User, *vigil.Session, error) {
	s, err := a.Users.FindSession(ctx, HashToken(token))
	if err != nil {
		return nil, nil, err
	}
	u, err := a.active(ctx, s.UserID)
	return u, s, err
}

// UserForToken returns the user behind an API token.
func (a *Authenticator) UserForToken(ctx context.Context, token string) (*vigil.User, error) {
	t, err := a.Users.FindAPIToken(ctx, HashToken(token))
	if err != nil {
		return nil, err
	}
	return a.active(ctx, t.UserID)
}

func (a *Authenticator) active(ctx context.Context, id int64) (*vigil.User, error) {
	u, err := a.Users.FindUserByID(ctx, id)
	if err != nil {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "unknown user")
	}
	if u.Disabled {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "account disabled")
	}
	return u, nil
}

// IssueAPIToken creates a named API token for u and returns the token, shown once.
func (a *Authenticator) IssueAPIToken(ctx context.Context, u *vigil.User, name string) (string, *vigil.APIToken, error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", nil, err
	}
	t := &vigil.APIToken{UserID: u.ID, Name: name, TokenHash: hash, CreatedAt: a.now()}
	return token, t, a.Users.CreateAPIToken(ctx, t)
}
