// Package http serves vigil's JSON API (and, later, its web pages) over
// net/http. Errors are mapped to status codes in one place, Error.
package http

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
	"github.com/vigil-rec/vigil/review"
)

// Server is vigil's HTTP server.
type Server struct {
	Docs   vigil.DocumentService
	Claims vigil.ClaimService
	Blobs  vigil.BlobStore
	Log    *slog.Logger

	// Incidents serves the incident endpoints when set (see incidents.go).
	Incidents *review.Service
	// Auth resolves API tokens and sessions to users when set.
	Auth *auth.Authenticator
	// victims is the victim service, set by RegisterVictimRoutes.
	victims vigil.VictimService

	// Anonymous is the user a request without credentials acts as: nil is the
	// public (published incidents only, redacted). A server started on a
	// store with no users yet gives local read access instead.
	Anonymous *vigil.User

	mux    *http.ServeMux
	server *http.Server
	ln     net.Listener
}

// NewServer returns a server with its routes registered. Further routes can
// be added with Handle before Open.
func NewServer(docs vigil.DocumentService, claims vigil.ClaimService, blobs vigil.BlobStore, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{Docs: docs, Claims: claims, Blobs: blobs, Log: log, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /api/v1/documents", s.handleDocumentList)
	s.mux.HandleFunc("GET /api/v1/documents/{id}", s.handleDocumentGet)
	s.mux.HandleFunc("GET /api/v1/documents/{id}/raw", s.handleDocumentRaw)
	s.mux.HandleFunc("GET /api/v1/documents/{id}/custody", s.handleDocumentCustody)
	s.mux.HandleFunc("GET /api/v1/documents/{id}/claims", s.handleDocumentClaims)
	s.mux.HandleFunc("GET /api/v1/claims/{id}", s.handleClaimGet)
	s.registerIncidentRoutes()
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, vigil.Errorf(vigil.ENOTFOUND, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	return s
}

// Handle registers another route on the server's mux.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ServeHTTP serves a request with logging and panic recovery.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", p)
			s.Error(rw, r, errors.New("panic"))
		}
		s.Log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rw.status, "bytes", rw.n, "duration_ms", time.Since(start).Milliseconds())
	}()
	securityHeaders(rw.Header())
	s.mux.ServeHTTP(rw, r)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }
func (w *statusWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

// Open listens on addr ("127.0.0.1:8080"; port 0 picks a free one) and
// serves in the background.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.server = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
	go func() {
		if err := s.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.Log.Error("server stopped", "err", err)
		}
	}()
	return nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close shuts down gracefully, waiting for requests in flight up to the
// context's deadline.
func (s *Server) Close(ctx context.Context) error {
	if s.server == nil {
		return nil
	}
	return s.server.Shutdown(ctx)
}

// statusByKind is the one mapping of error kinds to HTTP status codes.
var statusByKind = map[string]int{
	vigil.EINVALID:      http.StatusBadRequest,
	vigil.ENOTFOUND:     http.StatusNotFound,
	vigil.ECONFLICT:     http.StatusConflict,
	vigil.EUNAUTHORIZED: http.StatusUnauthorized,
	vigil.EWITHHELD:     http.StatusForbidden,
	vigil.EINTERNAL:     http.StatusInternalServerError,
}

// StatusFor returns the HTTP status for an error kind.
func StatusFor(kind string) int {
	if c, ok := statusByKind[kind]; ok {
		return c
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error struct {
		Kind    string `json:"kind"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// Error writes err as a JSON error response. Internal errors are logged and
// their details are not sent to the client.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	kind := vigil.ErrorKind(err)
	if kind == vigil.EINTERNAL {
		s.Log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var body ErrorBody
	body.Error.Kind = kind
	body.Error.Message = vigil.ErrorMessage(err)
	body.Error.Field = vigil.ErrorField(err)
	writeJSON(w, StatusFor(kind), body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, _, err := s.Docs.FindDocuments(ctx, vigil.DocumentFilter{Limit: 1}); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": vigil.Version})
}

// intParam parses an optional non-negative integer query parameter.
func intParam(r *http.Request, name string, def, max int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, vigil.FieldErrorf(vigil.EINVALID, name, "want a non-negative integer, got %q", clip(v))
	}
	if max > 0 && n > max {
		return 0, vigil.FieldErrorf(vigil.EINVALID, name, "at most %d", max)
	}
	return n, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
