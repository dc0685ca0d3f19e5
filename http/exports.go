package http

import (
	"fmt"
	"net/http"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/export"
)

// User returns the user a request acts as (bearer token, session cookie, or
// the server's Anonymous user; nil is the public), for routes added with
// Handle (the web pages).
func (s *Server) User(r *http.Request) (*vigil.User, error) { return s.user(r) }

// RegisterExportRoutes adds GET /api/v1/export/incidents.{csv,hxl.csv,
// geojson,xlsx,json,acled.csv,ucdp.csv}, taking the shared incident
// filters. Exports stream a page at a time through the incident service, so
// the public gets published incidents only with restricted values withheld.
//
// ids, when not nil, lists the matching incidents' ids from memory (the web
// package's Index), so that deep pages cost no more than the first.
func (s *Server) RegisterExportRoutes(ids export.IDLister) {
	s.mux.HandleFunc("GET /api/v1/export/{file}", func(w http.ResponseWriter, r *http.Request) { s.handleExport(w, r, ids) })
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request, ids export.IDLister) {
	svc, u, ok := s.incidentService(w, r)
	if !ok {
		return
	}
	name := r.PathValue("file")
	rest, ok := strings.CutPrefix(name, "incidents.")
	if !ok {
		s.Error(w, r, vigil.Errorf(vigil.ENOTFOUND, "no such export %q: want incidents.{%s}", clip(name), strings.Join(export.Extensions(), ",")))
		return
	}
	f, err := export.ByExtension(rest)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	filter, err := IncidentFilterFromQuery(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	// An export covers every match: the limit and offset of the shared
	// filter only apply when given.
	q := r.URL.Query()
	if q.Get("limit") == "" {
		filter.Limit = 0
	}
	w.Header().Set("Content-Type", f.MediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "vigil-incidents."+f.Extension))
	w.Header().Set("Cache-Control", "no-store")
	var opts []export.Option
	if ids != nil {
		opts = append(opts, export.WithIDs(ids))
	}
	if err := export.Write(r.Context(), w, svc, u, filter, f, opts...); err != nil {
		// Headers are gone once streaming started; log and cut the body short.
		s.Log.Error("export failed", "format", f.Name, "err", err)
	}
}
