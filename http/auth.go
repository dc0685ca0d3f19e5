package http

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/review"
)

// SessionCookie is the name of the web session cookie.
const SessionCookie = "vigil_session"

// CSRFHeader carries the session's CSRF token on API requests that change
// something and are authenticated by the session cookie.
const CSRFHeader = "X-CSRF-Token"

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

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
		u, sess, err := s.Auth.UserForSession(r.Context(), c.Value)
		if err != nil {
			return nil, err
		}
		// A browser sends the cookie with any request to this site, a
		// forged cross-site one included: a request that may change
		// something must also carry the session's CSRF token.
		if !safeMethod(r.Method) {
			got := r.Header.Get(CSRFHeader)
			if got == "" || sess.CSRF == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
				return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "a %s with a session cookie needs the session's %s header (or use an API token)", r.Method, CSRFHeader)
			}
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
	if err := review.CanRead(u); err != nil { // the service checks again
		s.Error(w, r, err)
		return nil, false
	}
	return u, true
}
