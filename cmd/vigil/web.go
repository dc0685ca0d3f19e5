package main

import (
	"context"
	"os"

	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/web"
)

// The web pages and the exports are served by 'vigil serve'. Configuration:
// VIGIL_TILE_URL, an optional tile server ("https://tiles.example/{z}/{x}/{y}.png";
// without it the map draws its offline base layer only), and
// VIGIL_BOUNDARIES, an optional GeoJSON file of admin boundaries (such as
// OCHA's COD-AB) to draw instead of the outline computed from the gazetteer;
// VIGIL_PUBLIC_VIEW=off sends visitors who are not logged in to the log-in
// page instead of showing them the public view.
func init() {
	serveHooks = append(serveHooks, func(a *App, s *vhttp.Server) error {
		db, _, err := a.Store(context.Background())
		if err != nil {
			return err
		}
		h, err := web.New(s.Incidents, db, s.Auth, a.Log)
		if err != nil {
			return err
		}
		h.Anonymous = s.Anonymous
		h.TileURL = os.Getenv("VIGIL_TILE_URL")
		h.RequireLogin = os.Getenv("VIGIL_PUBLIC_VIEW") == "off"
		if path := os.Getenv("VIGIL_BOUNDARIES"); path != "" {
			if h.Boundaries, err = web.LoadBoundaries(path); err != nil {
				return err
			}
		}
		// Build the map and chart index in the background so that serving
		// starts at once; the first map or chart request waits for it.
		go func() {
			if err := h.Index.Build(context.Background()); err != nil {
				a.Log.Error("web index", "err", err)
			}
		}()
		h.Register(s)
		// The exports (http/exports.go) list matching ids from the index.
		s.RegisterExportRoutes(h.Index)
		return nil
	})
}
