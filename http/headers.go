package http

import "net/http"

// securityHeaders sets the headers every response carries. Handlers that
// serve HTML (the web pages) replace Content-Security-Policy with their
// own, which also forbids framing and inline script.
func securityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}
