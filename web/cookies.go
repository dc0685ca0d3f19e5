package web

import (
	"net/http"
	"strings"
)

// overTLS reports whether the visitor reached vigil over HTTPS: directly,
// or through a reverse proxy that terminates TLS and says so with
// X-Forwarded-Proto: https. Cookies are then marked Secure. Trusting the
// header cannot weaken anything: a client that sends it over plain HTTP
// only gets cookies its browser will not send back over plain HTTP.
func overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	p, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(p), "https")
}
