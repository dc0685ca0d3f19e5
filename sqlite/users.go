package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

var _ vigil.UserService = (*DB)(nil)

func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmtTime(t)
}

// CreateUser implements vigil.UserService.
func (d *DB) CreateUser(ctx context.Context, u *vigil.User) error {
	if !u.Role.Valid() {
		return vigil.FieldErrorf(vigil.EINVALID, "role", "unknown role %q (viewer, analyst, reviewer, admin)", u.Role)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = d.Now()
	}
	res, err := d.q().ExecContext(ctx, `INSERT INTO users (username, role, password_hash, disabled, failed_logins, locked_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.Username, string(u.Role), u.PasswordHash, u.Disabled, u.FailedLogins, optTime(u.LockedUntil), fmtTime(u.CreatedAt))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return vigil.FieldErrorf(vigil.ECONFLICT, "username", "user %q already exists", u.Username)
		}
		return err
	}
	u.ID, err = res.LastInsertId()
	return err
}

// UpdateUser implements vigil.UserService.
func (d *DB) UpdateUser(ctx context.Context, u *vigil.User) error {
	if !u.Role.Valid() {
		return vigil.FieldErrorf(vigil.EINVALID, "role", "unknown role %q", u.Role)
	}
	res, err := d.q().ExecContext(ctx, `UPDATE users SET role = ?, password_hash = ?, disabled = ?, failed_logins = ?, locked_until = ? WHERE id = ?`,
		string(u.Role), u.PasswordHash, u.Disabled, u.FailedLogins, optTime(u.LockedUntil), u.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "user not found")
	}
	return nil
}

const userColumns = `id, username, role, password_hash, disabled, failed_logins, locked_until, created_at`

func scanUser(s scanner) (*vigil.User, error) {
	var u vigil.User
	var role, locked, created string
	if err := s.Scan(&u.ID, &u.Username, &role, &u.PasswordHash, &u.Disabled, &u.FailedLogins, &locked, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, vigil.Errorf(vigil.ENOTFOUND, "user not found")
		}
		return nil, err
	}
	u.Role = vigil.Role(role)
	if locked != "" {
		u.LockedUntil = parseTime(locked)
	}
	u.CreatedAt = parseTime(created)
	return &u, nil
}

// FindUserByID implements vigil.UserService.
func (d *DB) FindUserByID(ctx context.Context, id int64) (*vigil.User, error) {
	return scanUser(d.q().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// FindUserByName implements vigil.UserService.
func (d *DB) FindUserByName(ctx context.Context, name string) (*vigil.User, error) {
	return scanUser(d.q().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`, name))
}

// FindUsers implements vigil.UserService.
func (d *DB) FindUsers(ctx context.Context) ([]*vigil.User, error) {
	rows, err := d.q().QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vigil.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSession implements vigil.UserService.
func (d *DB) CreateSession(ctx context.Context, s *vigil.Session) error {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = d.Now()
	}
	_, err := d.q().ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		s.TokenHash, s.UserID, s.CSRF, fmtTime(s.CreatedAt), fmtTime(s.ExpiresAt))
	return err
}

// FindSession implements vigil.UserService; expired sessions are not found.
func (d *DB) FindSession(ctx context.Context, tokenHash string) (*vigil.Session, error) {
	var s vigil.Session
	var created, expires string
	err := d.q().QueryRowContext(ctx, `SELECT token_hash, user_id, csrf, created_at, expires_at FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&s.TokenHash, &s.UserID, &s.CSRF, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "no such session")
	}
	if err != nil {
		return nil, err
	}
	s.CreatedAt, s.ExpiresAt = parseTime(created), parseTime(expires)
	if !d.Now().Before(s.ExpiresAt) {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "session expired")
	}
	return &s, nil
}

// DeleteSession implements vigil.UserService.
func (d *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := d.q().ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// CreateAPIToken implements vigil.UserService.
func (d *DB) CreateAPIToken(ctx context.Context, t *vigil.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = d.Now()
	}
	res, err := d.q().ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`, t.UserID, t.Name, t.TokenHash, fmtTime(t.CreatedAt))
	if err != nil {
		return err
	}
	t.ID, err = res.LastInsertId()
	return err
}

func scanToken(s scanner) (*vigil.APIToken, error) {
	var t vigil.APIToken
	var created, revoked string
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &created, &revoked); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "invalid API token")
		}
		return nil, err
	}
	t.CreatedAt = parseTime(created)
	if revoked != "" {
		t.RevokedAt = parseTime(revoked)
	}
	return &t, nil
}

// FindAPIToken implements vigil.UserService; revoked tokens are not found.
func (d *DB) FindAPIToken(ctx context.Context, tokenHash string) (*vigil.APIToken, error) {
	t, err := scanToken(d.q().QueryRowContext(ctx, `SELECT id, user_id, name, token_hash, created_at, revoked_at FROM api_tokens WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return nil, err
	}
	if !t.RevokedAt.IsZero() {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "API token revoked")
	}
	return t, nil
}

// FindAPITokens implements vigil.UserService.
func (d *DB) FindAPITokens(ctx context.Context, userID int64) ([]*vigil.APIToken, error) {
	rows, err := d.q().QueryContext(ctx, `SELECT id, user_id, name, token_hash, created_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vigil.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken implements vigil.UserService.
func (d *DB) RevokeAPIToken(ctx context.Context, id int64) error {
	res, err := d.q().ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''`, fmtTime(d.Now()), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "API token not found or already revoked")
	}
	return nil
}
