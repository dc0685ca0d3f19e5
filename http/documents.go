package http

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/review"
)

// DocumentPage is the body of GET /api/v1/documents.
type DocumentPage struct {
	Documents []*vigil.Document `json:"documents"`
	Total     int               `json:"total"`
	Offset    int               `json:"offset"`
	Limit     int               `json:"limit"`
}

func (s *Server) handleDocumentList(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	var f vigil.DocumentFilter
	var err error
	if f.Offset, err = intParam(r, "offset", 0, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	if f.Limit, err = intParam(r, "limit", vigil.DefaultPageSize, vigil.MaxPageSize); err != nil {
		s.Error(w, r, err)
		return
	}
	f.Language, f.Publisher, f.MediaType = q.Get("language"), q.Get("publisher"), q.Get("media_type")
	if f.Query = q.Get("q"); len(f.Query) > 1000 {
		s.Error(w, r, vigil.FieldErrorf(vigil.EINVALID, "q", "query longer than 1000 bytes"))
		return
	}
	for name, dst := range map[string]**time.Time{"after": &f.After, "before": &f.Before} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				s.Error(w, r, vigil.FieldErrorf(vigil.EINVALID, name, "want a date YYYY-MM-DD, got %q", clip(v)))
				return
			}
			*dst = &t
		}
	}
	docs, total, err := s.records().FindDocuments(r.Context(), u, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	for _, d := range docs {
		d.Text = "" // lists carry metadata; get one document for its text
	}
	writeJSON(w, http.StatusOK, DocumentPage{Documents: docs, Total: total, Offset: f.Offset, Limit: f.Limit})
}

// records is the service for documents, claims and victims, which checks
// the caller's role (package review).
func (s *Server) records() *review.Records {
	return &review.Records{Docs: s.Docs, Claims: s.Claims, Victims: s.victims}
}

// document finds the document named by the {id} path value: a numeric id or
// a full SHA-256.
func (s *Server) document(r *http.Request, u *vigil.User) (*vigil.Document, error) {
	ref := r.PathValue("id")
	if len(ref) == 64 {
		return s.records().DocumentBySHA256(r.Context(), u, strings.ToLower(ref))
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || id <= 0 {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "id", "want a document id or a SHA-256")
	}
	return s.records().Document(r.Context(), u, id)
}

func (s *Server) handleDocumentGet(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	doc, err := s.document(r, u)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}

func (s *Server) handleDocumentCustody(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	doc, err := s.document(r, u)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	log, err := s.records().CustodyLog(r.Context(), u, doc.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"document_id": doc.ID, "custody": log})
}

// handleDocumentRaw serves the original bytes with their media type. HTML is
// served as an attachment so that a stored page never runs in vigil's origin.
func (s *Server) handleDocumentRaw(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	doc, err := s.document(r, u)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	rc, err := s.Blobs.Open(r.Context(), doc.SHA256)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", doc.MediaType)
	w.Header().Set("Content-Length", strconv.FormatInt(doc.Size, 10))
	w.Header().Set("ETag", `"`+doc.SHA256+`"`)
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if strings.HasPrefix(doc.MediaType, "text/html") {
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("document-%d.html", doc.ID)))
	}
	io.Copy(w, rc)
}

func (s *Server) handleDocumentClaims(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	doc, err := s.document(r, u)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	claims, total, err := s.records().FindClaims(r.Context(), u, vigil.ClaimFilter{DocumentID: doc.ID, Limit: vigil.MaxPageSize})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"document_id": doc.ID, "claims": claims, "total": total})
}

func (s *Server) handleClaimGet(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.Error(w, r, vigil.FieldErrorf(vigil.EINVALID, "id", "want a claim id"))
		return
	}
	c, err := s.records().Claim(r.Context(), u, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
