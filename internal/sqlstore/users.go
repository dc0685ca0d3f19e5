package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	vigil "github.com/vigil-rec/vigil"
)

var _ vigil.UserService = (*Store)(nil)

// CreateUser implements vigil.UserService.
func (s *Store) CreateUser(ctx context.Context, u *vigil.User) error {
	if !u.Role.Valid() {
		return vigil.FieldErrorf(vigil.EINVALID, "role", "unknown role %q (viewer, analyst, reviewer, admin)", u.Role)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.Now()
	}
	err := s.q().QueryRowContext(ctx, `INSERT INTO users (username, role, password_hash, disabled, failed_logins, locked_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Username, string(u.Role), u.PasswordHash, u.Disabled, u.FailedLogins, s.d.OptTime(u.LockedUntil), s.d.Time(u.CreatedAt)).Scan(&u.ID)
	return s.constraint(err, "username", fmt.Sprintf("user %q already exists", u.Username), "")
}

// UpdateUser implements vigil.UserService.
func (s *Store) UpdateUser(ctx context.Context, u *vigil.User) error {
	if !u.Role.Valid() {
		return vigil.FieldErrorf(vigil.EINVALID, "role", "unknown role %q", u.Role)
	}
	res, err := s.q().ExecContext(ctx, `UPDATE users SET role = ?, password_hash = ?, disabled = ?, failed_logins = ?, locked_until = ? WHERE id = ?`,
		string(u.Role), u.PasswordHash, u.Disabled, u.FailedLogins, s.d.OptTime(u.LockedUntil), u.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "user not found")
	}
	return nil
}

const userColumns = `id, username, role, password_hash, disabled, failed_logins, locked_until, created_at`

func scanUser(sc Scanner) (*vigil.User, error) {
	var u vigil.User
	var role string
	if err := sc.Scan(&u.ID, &u.Username, &role, &u.PasswordHash, &u.Disabled, &u.FailedLogins, Time(&u.LockedUntil), Time(&u.CreatedAt)); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, vigil.Errorf(vigil.ENOTFOUND, "user not found")
		}
		return nil, err
	}
	u.Role = vigil.Role(role)
	return &u, nil
}

// FindUserByID implements vigil.UserService.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*vigil.User, error) {
	return scanUser(s.q().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// FindUserByName implements vigil.UserService; names match in any case.
func (s *Store) FindUserByName(ctx context.Context, name string) (*vigil.User, error) {
	return scanUser(s.q().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+s.d.EqualFold(`username`), name))
}

// FindUsers implements vigil.UserService.
func (s *Store) FindUsers(ctx context.Context) ([]*vigil.User, error) {
	return All(ctx, s.q(), scanUser, `SELECT `+userColumns+` FROM users ORDER BY lower(username), username`)
}

// CreateSession implements vigil.UserService.
func (s *Store) CreateSession(ctx context.Context, sess *vigil.Session) error {
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = s.Now()
	}
	_, err := s.q().ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		sess.TokenHash, sess.UserID, sess.CSRF, s.d.Time(sess.CreatedAt), s.d.Time(sess.ExpiresAt))
	return s.constraint(err, "user_id", "session already exists", fmt.Sprintf("no user %d", sess.UserID))
}

// FindSession implements vigil.UserService; expired sessions are not found.
func (s *Store) FindSession(ctx context.Context, tokenHash string) (*vigil.Session, error) {
	var sess vigil.Session
	err := s.q().QueryRowContext(ctx, `SELECT token_hash, user_id, csrf, created_at, expires_at FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&sess.TokenHash, &sess.UserID, &sess.CSRF, Time(&sess.CreatedAt), Time(&sess.ExpiresAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "no such session")
	}
	if err != nil {
		return nil, err
	}
	if !s.Now().Before(sess.ExpiresAt) {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "session expired")
	}
	return &sess, nil
}

// DeleteSession implements vigil.UserService.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.q().ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// CreateAPIToken implements vigil.UserService.
func (s *Store) CreateAPIToken(ctx context.Context, t *vigil.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.Now()
	}
	err := s.q().QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		t.UserID, t.Name, t.TokenHash, s.d.Time(t.CreatedAt)).Scan(&t.ID)
	return s.constraint(err, "user_id", "API token already exists", fmt.Sprintf("no user %d", t.UserID))
}

func scanToken(sc Scanner) (*vigil.APIToken, error) {
	var t vigil.APIToken
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, Time(&t.CreatedAt), Time(&t.RevokedAt)); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "invalid API token")
		}
		return nil, err
	}
	return &t, nil
}

// FindAPIToken implements vigil.UserService; revoked tokens are not found.
func (s *Store) FindAPIToken(ctx context.Context, tokenHash string) (*vigil.APIToken, error) {
	t, err := scanToken(s.q().QueryRowContext(ctx, `SELECT id, user_id, name, token_hash, created_at, revoked_at FROM api_tokens WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return nil, err
	}
	if !t.RevokedAt.IsZero() {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "API token revoked")
	}
	return t, nil
}

// FindAPITokens implements vigil.UserService.
func (s *Store) FindAPITokens(ctx context.Context, userID int64) ([]*vigil.APIToken, error) {
	return All(ctx, s.q(), scanToken, `SELECT id, user_id, name, token_hash, created_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id`, userID)
}

// RevokeAPIToken implements vigil.UserService.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64) error {
	res, err := s.q().ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND `+s.d.NoTime(`revoked_at`), s.d.Time(s.Now()), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "API token not found or already revoked")
	}
	return nil
}
