package http

import (
	"context"
	"net/http"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// SessionCookie is the name of the web session cookie.
const SessionCookie = "vigil_session"

type userKey struct{}

// user returns the user a request acts as: from a bearer API token, else
// from a session cookie, else the server's Anonymous user (nil: the public).
// Bad credentials are an error, never a silent downgrade.
func (s *Server) user(r *http.Request) (*vigil.User, error) {
	if u, ok := r.Context().Value(userKey{}).(*vigil.User); ok {
		return u, nil
	}
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || s.Auth == nil {
			return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "use 'Authorization: Bearer TOKEN'")
		}
		return s.Auth.UserForToken(r.Context(), strings.TrimSpace(tok))
	}
	if c, err := r.Cookie(SessionCookie); err == nil && s.Auth != nil {
		u, _, err := s.Auth.UserForSession(r.Context(), c.Value)
		if err != nil {
			return nil, err
		}
		return u, nil
	}
	return s.Anonymous, nil
}

// withUser stores the resolved user in the request context.
func withUser(r *http.Request, u *vigil.User) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), userKey{}, u))
}

// requireViewer answers requests for restricted data (documents, claims):
// the public gets "not found", so that the existence of a record does not leak.
func (s *Server) requireViewer(w http.ResponseWriter, r *http.Request) (*vigil.User, bool) {
	u, err := s.user(r)
	if err != nil {
		s.Error(w, r, err)
		return nil, false
	}
	if !u.Can(vigil.RoleViewer) {
		s.Error(w, r, vigil.Errorf(vigil.ENOTFOUND, "not found"))
		return nil, false
	}
	return u, true
}
