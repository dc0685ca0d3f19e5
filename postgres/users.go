package postgres

import (
	"context"
	"database/sql"
	"errors"

	vigil "github.com/vigil-rec/vigil"
)

var _ vigil.UserService = (*DB)(nil)

// CreateUser implements vigil.UserService.
func (d *DB) CreateUser(ctx context.Context, u *vigil.User) error {
	if !u.Role.Valid() {
		return vigil.FieldErrorf(vigil.EINVALID, "role", "unknown role %q (viewer, analyst, reviewer, admin)", u.Role)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = d.Now()
	}
	err := d.q().QueryRowContext(ctx, `INSERT INTO users (username, role, password_hash, disabled, failed_logins, locked_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Username, string(u.Role), u.PasswordHash, u.Disabled, u.FailedLogins, nullTime(u.LockedUntil), u.CreatedAt.UTC()).Scan(&u.ID)
	if isUnique(err) {
		return vigil.FieldErrorf(vigil.ECONFLICT, "username", "user %q already exists", u.Username)
	}
	return err
}

// UpdateUser implements vigil.UserService.
func (d *DB) UpdateUser(ctx context.Context, u *vigil.User) error {
	if !u.Role.Valid() {
		return vigil.FieldErrorf(vigil.EINVALID, "role", "unknown role %q", u.Role)
	}
	res, err := d.q().ExecContext(ctx, `UPDATE users SET role = ?, password_hash = ?, disabled = ?, failed_logins = ?, locked_until = ? WHERE id = ?`,
		string(u.Role), u.PasswordHash, u.Disabled, u.FailedLogins, nullTime(u.LockedUntil), u.ID)
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
	var role string
	var locked sql.NullTime
	if err := s.Scan(&u.ID, &u.Username, &role, &u.PasswordHash, &u.Disabled, &u.FailedLogins, &locked, &u.CreatedAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, vigil.Errorf(vigil.ENOTFOUND, "user not found")
		}
		return nil, err
	}
	u.Role = vigil.Role(role)
	u.LockedUntil = fromNull(locked)
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// FindUserByID implements vigil.UserService.
func (d *DB) FindUserByID(ctx context.Context, id int64) (*vigil.User, error) {
	return scanUser(d.q().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// FindUserByName implements vigil.UserService; names match in any case.
func (d *DB) FindUserByName(ctx context.Context, name string) (*vigil.User, error) {
	return scanUser(d.q().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE lower(username) = lower(?)`, name))
}

// FindUsers implements vigil.UserService.
func (d *DB) FindUsers(ctx context.Context) ([]*vigil.User, error) {
	rows, err := d.q().QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY lower(username), username`)
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
		s.TokenHash, s.UserID, s.CSRF, s.CreatedAt.UTC(), s.ExpiresAt.UTC())
	return err
}

// FindSession implements vigil.UserService; expired sessions are not found.
func (d *DB) FindSession(ctx context.Context, tokenHash string) (*vigil.Session, error) {
	var s vigil.Session
	err := d.q().QueryRowContext(ctx, `SELECT token_hash, user_id, csrf, created_at, expires_at FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&s.TokenHash, &s.UserID, &s.CSRF, &s.CreatedAt, &s.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "no such session")
	}
	if err != nil {
		return nil, err
	}
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
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
	return d.q().QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		t.UserID, t.Name, t.TokenHash, t.CreatedAt.UTC()).Scan(&t.ID)
}

func scanToken(s scanner) (*vigil.APIToken, error) {
	var t vigil.APIToken
	var revoked sql.NullTime
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &t.CreatedAt, &revoked); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "invalid API token")
		}
		return nil, err
	}
	t.CreatedAt = t.CreatedAt.UTC()
	t.RevokedAt = fromNull(revoked)
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
	res, err := d.q().ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, d.Now(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "API token not found or already revoked")
	}
	return nil
}
