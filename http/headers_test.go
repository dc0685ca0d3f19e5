package http_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	vhttp "github.com/vigil-rec/vigil/http"
)

// TestSecurityHeaders: every response, success or error, on every route
// carries nosniff, a CSP without inline script that forbids framing, and
// X-Frame-Options.
func TestSecurityHeaders(t *testing.T) {
	s := vhttp.NewServer(nil, nil, nil, nil)
	for _, path := range []string{"/healthz", "/api/v1/documents", "/api/v1/documents/1", "/api/v1/incidents", "/api/v1/incidents/1", "/api/v1/no-such", "/nope"} {
		w := httptest.NewRecorder()
		func() {
			defer func() { recover() }() // handlers with no store may panic; headers are set first
			s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		}()
		h := w.Header()
		csp := h.Get("Content-Security-Policy")
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}
