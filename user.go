package vigil

import (
	"context"
	"time"
)

// Role is what a user may do. Roles are ordered: each includes the powers of
// the ones before it.
type Role string

const (
	RoleViewer   Role = "viewer"   // read everything they are allowed to see
	RoleAnalyst  Role = "analyst"  // ingest, extract, correct incidents, propose merges and splits
	RoleReviewer Role = "reviewer" // grade, verify, publish (four eyes)
	RoleAdmin    Role = "admin"    // manage users and tokens
)

var roleRank = map[Role]int{RoleViewer: 1, RoleAnalyst: 2, RoleReviewer: 3, RoleAdmin: 4}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return roleRank[r] > 0 }

// AtLeast reports whether r includes the powers of o.
func (r Role) AtLeast(o Role) bool { return roleRank[r] >= roleRank[o] && roleRank[o] > 0 }

// User is a person who uses vigil.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"` // argon2id, PHC string format
	Disabled     bool      `json:"disabled"`
	FailedLogins int       `json:"failed_logins"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
}

// Can reports whether the user holds at least role r.
func (u *User) Can(r Role) bool { return u != nil && !u.Disabled && u.Role.AtLeast(r) }

// Session is a logged-in web session; only the hash of its token is stored.
type Session struct {
	TokenHash string    `json:"-"`
	UserID    int64     `json:"user_id"`
	CSRF      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// APIToken is a bearer token for the API; only its hash is stored.
type APIToken struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	TokenHash string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// UserService stores users, sessions and API tokens.
type UserService interface {
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByName(ctx context.Context, username string) (*User, error)
	FindUsers(ctx context.Context) ([]*User, error)
	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, tokenHash string) (*Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	CreateAPIToken(ctx context.Context, t *APIToken) error
	FindAPIToken(ctx context.Context, tokenHash string) (*APIToken, error)
	FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	RevokeAPIToken(ctx context.Context, id int64) error
}
