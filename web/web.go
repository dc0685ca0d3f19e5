// Package web serves vigil's server-rendered pages (html/template, small
// JavaScript of its own in static/, Leaflet and Chart.js from npm through
// scripts/setup) on the HTTP server: incident list, incident, map, charts,
// review queue, document, log-in; English and Arabic.
//
// Every read and change goes through review.Service, so the pages obey the
// same rules as the API: a visitor who is not logged in is the public and
// sees published incidents only, with restricted values withheld.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
	"github.com/vigil-rec/vigil/review"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// SessionCookie is the web session cookie (the API reads the same one).
const SessionCookie = "vigil_session"

// csrfCookie carries the log-in form's CSRF token before there is a session.
const csrfCookie = "vigil_csrf"

// Handler serves the web pages.
type Handler struct {
	Incidents *review.Service
	Store     vigil.Store
	Auth      *auth.Authenticator
	// Anonymous is who a visitor without a session is (nil: the public).
	Anonymous *vigil.User
	Log       *slog.Logger
	// TileURL is an optional tile server ("https://tile.example/{z}/{x}/{y}.png");
	// without it the map draws the offline base layer only.
	TileURL string
	// Boundaries is the offline base layer (GeoJSON); see Boundaries.
	Boundaries []byte
	// Index answers the map and aggregate calls.
	Index *Index
	// RequireLogin turns the public view off: a visitor who is not logged
	// in is sent to the log-in page (the JSON calls answer 401).
	RequireLogin bool
	// LoginLimit limits log-in attempts per client address (ratelimit.go);
	// nil turns the limit off.
	LoginLimit *RateLimiter

	tmpl map[string]*template.Template
	mux  *http.ServeMux
}

// Mux is what a Handler registers its routes on (*http.Server of package
// vigil/http, or an http.ServeMux).
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// New returns a handler for svc and store.
func New(svc *review.Service, store vigil.Store, a *auth.Authenticator, log *slog.Logger) (*Handler, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{Incidents: svc, Store: store, Auth: a, Log: log, Index: NewIndex(store), LoginLimit: NewRateLimiter(LoginBurst, LoginEvery)}
	if err := h.parse(); err != nil {
		return nil, err
	}
	return h, nil
}

// Register adds the pages' routes to m.
func (h *Handler) Register(m Mux) {
	open := func(pattern string, f http.HandlerFunc) { m.Handle(pattern, h.secure(f)) }
	route := func(pattern string, f http.HandlerFunc) { m.Handle(pattern, h.secure(h.gate(f))) }
	route("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/incidents", http.StatusSeeOther) })
	route("GET /incidents", h.list)
	route("GET /incidents/{id}", h.incident)
	route("POST /incidents/{id}/{action}", h.act)
	route("GET /map", h.mapPage)
	route("GET /charts", h.charts)
	route("GET /queue", h.queue)
	route("GET /documents/{id}", h.document)
	route("GET /estimate", h.estimatePage)
	route("POST /estimate", h.estimate)
	open("GET /login", h.loginForm)
	open("POST /login", h.limitLogin(h.login))
	open("POST /logout", h.logout)
	open("GET /web/boundaries.geojson", h.boundaries)
	route("GET /api/v1/map/incidents", h.mapPoints)
	route("GET /api/v1/aggregate/incidents", h.aggregate)
	open("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	static, _ := fs.Sub(staticFS, "static")
	fsrv := http.StripPrefix("/static/", http.FileServer(http.FS(static)))
	m.Handle("GET /static/", h.secure(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	}))
}

// VendorInstalled reports whether scripts/setup copied Leaflet and Chart.js.
func VendorInstalled() bool {
	_, err1 := fs.Stat(staticFS, "static/vendor/leaflet/leaflet.js")
	_, err2 := fs.Stat(staticFS, "static/vendor/chart.umd.js")
	return err1 == nil && err2 == nil
}

func hasVendor(name string) bool {
	_, err := fs.Stat(staticFS, "static/vendor/"+name)
	return err == nil
}

// gate sends the public to the log-in page when the public view is off.
func (h *Handler) gate(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.RequireLogin {
			u, _, err := h.who(w, r)
			if err != nil || u == nil {
				if strings.HasPrefix(r.URL.Path, "/api/") {
					h.apiError(w, vigil.Errorf(vigil.EUNAUTHORIZED, "log in: this server has no public view"))
					return
				}
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
		}
		f(w, r)
	}
}

// secure sets the security headers on every page.
func (h *Handler) secure(f http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		img := "'self' data:"
		if o := tileOrigin(h.TileURL); o != "" {
			img += " " + o
		}
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src "+img+"; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		f(w, r)
	})
}

func tileOrigin(u string) string {
	p, err := url.Parse(strings.NewReplacer("{s}", "a", "{z}", "0", "{x}", "0", "{y}", "0", "{r}", "").Replace(u))
	if err != nil || p.Host == "" || (p.Scheme != "https" && p.Scheme != "http") {
		return ""
	}
	return p.Scheme + "://" + p.Host
}

// who returns the user and session of a request: a bearer token, else the
// session cookie (a stale cookie is dropped: the visitor is the public
// again), else the Anonymous user.
func (h *Handler) who(w http.ResponseWriter, r *http.Request) (*vigil.User, *vigil.Session, error) {
	if hd := r.Header.Get("Authorization"); hd != "" {
		tok, ok := strings.CutPrefix(hd, "Bearer ")
		if !ok || h.Auth == nil {
			return nil, nil, vigil.Errorf(vigil.EUNAUTHORIZED, "use 'Authorization: Bearer TOKEN'")
		}
		u, err := h.Auth.UserForToken(r.Context(), strings.TrimSpace(tok))
		return u, nil, err
	}
	if c, err := r.Cookie(SessionCookie); err == nil && h.Auth != nil {
		u, s, err := h.Auth.UserForSession(r.Context(), c.Value)
		if err == nil && time.Now().Before(s.ExpiresAt) {
			return u, s, nil
		}
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: overTLS(r), SameSite: http.SameSiteLaxMode})
		if err != nil && vigil.ErrorKind(err) == vigil.EINTERNAL {
			return nil, nil, err
		}
	}
	return h.Anonymous, nil, nil
}

// page is what every template gets.
type page struct {
	Lang, Dir, Title, Path string
	User                   *vigil.User
	CSRF                   string
	Query                  url.Values
	Error, Notice          string
	Vendor                 bool
	Data                   any
}

// T translates a message key.
func (p *page) T(key string, args ...any) string { return T(p.Lang, key, args...) }

// V translates an enumerated value.
func (p *page) V(v any) string {
	switch x := v.(type) {
	case string:
		return V(p.Lang, x)
	case interface{ String() string }:
		return V(p.Lang, x.String())
	}
	return V(p.Lang, strings.TrimSpace(strings.Trim(strconv.Quote(toString(v)), `"`)))
}

func toString(v any) string {
	switch x := v.(type) {
	case vigil.EventType:
		return string(x)
	case vigil.ReviewState:
		return string(x)
	case vigil.Grade:
		return string(x)
	case vigil.AttributionStatus:
		return string(x)
	case vigil.FigureKind:
		return string(x)
	case vigil.Category:
		return string(x)
	case vigil.FacilityType:
		return string(x)
	}
	return ""
}

// Can reports whether the visitor holds a role.
func (p *page) Can(role string) bool { return p.User.Can(vigil.Role(role)) }

// Link returns the current query with some parameters replaced
// (name, value, name, value...); an empty value removes the parameter.
func (p *page) Link(path string, kv ...any) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Del("lang")
	for i := 0; i+1 < len(kv); i += 2 {
		k, v := kv[i].(string), kv[i+1]
		s := ""
		switch x := v.(type) {
		case string:
			s = x
		case int:
			s = strconv.Itoa(x)
		}
		if s == "" {
			q.Del(k)
		} else {
			q.Set(k, s)
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// OtherLang links to the same page in the other language.
func (p *page) OtherLang() string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("lang", p.T("lang.other.code"))
	return p.Path + "?" + q.Encode()
}

func (h *Handler) newPage(w http.ResponseWriter, r *http.Request, title string) (*page, *vigil.Session, error) {
	u, s, err := h.who(w, r)
	if err != nil {
		return nil, nil, err
	}
	l := lang(w, r)
	p := &page{Lang: l, Dir: "ltr", Title: title, Path: r.URL.Path, User: u, Query: r.URL.Query(), Vendor: VendorInstalled()}
	if l == "ar" {
		p.Dir = "rtl"
	}
	if s != nil {
		p.CSRF = s.CSRF
	}
	return p, s, nil
}

var funcs = template.FuncMap{
	"fig": func(f vigil.FigureRange) string {
		return figText(f.Min, f.Max)
	},
	"sfig": func(f vigil.Figure) string { return figText(f.Min, f.Max) },
	"date": func(d vigil.FuzzyDate) string { return d.String() },
	"pdate": func(d *vigil.FuzzyDate) string {
		if d == nil {
			return ""
		}
		return d.String()
	},
	"time": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02T15:04:05Z")
	},
	"join": strings.Join,
	"coord": func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', 4, 64)
	},
	"add":   func(a, b int) int { return a + b },
	"list":  func(v ...string) []string { return v },
	"deref": func(v *int64) int64 { return *v },
	"sect2": func(p *page, rows []Bucket, head string) map[string]any {
		return map[string]any{"P": p, "Rows": rows, "Head": head}
	},
	"sect": func(p *page, rows []listRow, kind string, scale []option) map[string]any {
		return map[string]any{"P": p, "Rows": rows, "Kind": kind, "Scale": scale}
	},
	"id": func(id int64) string { return strconv.FormatInt(id, 10) },
}

func figText(min int, max *int) string {
	switch {
	case max == nil:
		return strconv.Itoa(min) + "+"
	case *max == min:
		return strconv.Itoa(min)
	}
	return strconv.Itoa(min) + "–" + strconv.Itoa(*max)
}

func (h *Handler) parse() error {
	h.tmpl = map[string]*template.Template{}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return err
	}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		short := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if short == "layout" || short == "partials" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return err
		}
		h.tmpl[short] = t
	}
	return nil
}

// render writes a page; templates render into a buffer first so that an
// error never leaves half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t := h.tmpl[name]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		h.Log.Error("template", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail renders an error page with the status for the error's kind; the
// public gets "not found" for what it may not see.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, p *page, err error) {
	kind := vigil.ErrorKind(err)
	if kind == vigil.EINTERNAL {
		h.Log.Error("internal error", "path", r.URL.Path, "err", err)
	}
	if p == nil {
		p = &page{Lang: "en", Dir: "ltr", Path: r.URL.Path, Query: url.Values{}}
	}
	p.Title = p.T("err.title")
	p.Error = vigil.ErrorMessage(err)
	if kind == vigil.ENOTFOUND {
		p.Error = p.T("err.notfound")
	}
	h.render(w, r, statusFor(kind), "error", p)
}

func statusFor(kind string) int {
	switch kind {
	case vigil.EINVALID:
		return http.StatusBadRequest
	case vigil.ENOTFOUND:
		return http.StatusNotFound
	case vigil.ECONFLICT:
		return http.StatusConflict
	case vigil.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case vigil.EWITHHELD:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// checkCSRF compares a form's token with the session's (or, for the log-in
// form, with the CSRF cookie).
func checkCSRF(r *http.Request, want string) error {
	got := r.PostFormValue("csrf")
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return vigil.Errorf(vigil.EUNAUTHORIZED, "the form has expired or did not come from this site (CSRF check failed): reload the page and try again")
	}
	return nil
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.newPage(w, r, "")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	h.showLogin(w, r, p, http.StatusOK, "")
}

func (h *Handler) showLogin(w http.ResponseWriter, r *http.Request, p *page, status int, msg string) {
	tok := randomToken()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/login", HttpOnly: true, Secure: overTLS(r), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	p.CSRF, p.Title, p.Error = tok, p.T("login.title"), msg
	p.Data = map[string]string{"Next": safeNext(r.FormValue("next"))}
	h.render(w, r, status, "login", p)
}

// safeNext keeps redirects after log-in on this site.
func safeNext(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return "/incidents"
	}
	return s
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.newPage(w, r, "")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	c, cerr := r.Cookie(csrfCookie)
	if cerr != nil {
		h.showLogin(w, r, p, http.StatusUnauthorized, T(p.Lang, "login.failed"))
		return
	}
	if err := checkCSRF(r, c.Value); err != nil {
		h.showLogin(w, r, p, http.StatusUnauthorized, vigil.ErrorMessage(err))
		return
	}
	if h.Auth == nil {
		h.showLogin(w, r, p, http.StatusUnauthorized, T(p.Lang, "login.failed"))
		return
	}
	u, err := h.Auth.Login(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"))
	if err != nil {
		if vigil.ErrorKind(err) == vigil.EINTERNAL {
			h.fail(w, r, p, err)
			return
		}
		h.Log.Info("failed log-in", "user", r.PostFormValue("username"))
		h.showLogin(w, r, p, http.StatusUnauthorized, T(p.Lang, "login.failed"))
		return
	}
	tok, s, err := h.Auth.StartSession(r.Context(), u)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/", HttpOnly: true, Secure: overTLS(r), SameSite: http.SameSiteLaxMode, Expires: s.ExpiresAt})
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: "", Path: "/login", MaxAge: -1})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	_, s, err := h.who(w, r)
	if err != nil || s == nil {
		http.Redirect(w, r, "/incidents", http.StatusSeeOther)
		return
	}
	if err := checkCSRF(r, s.CSRF); err != nil {
		h.fail(w, r, nil, err)
		return
	}
	c, _ := r.Cookie(SessionCookie)
	if err := h.Store.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil && vigil.ErrorKind(err) != vigil.ENOTFOUND {
		h.Log.Error("logout", "err", err)
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: overTLS(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/incidents", http.StatusSeeOther)
}

var errBadID = vigil.FieldErrorf(vigil.EINVALID, "id", "want a number")

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errBadID
	}
	return id, nil
}

// listAll pages through every incident matching f (for small result sets).
func (h *Handler) listAll(ctx context.Context, u *vigil.User, f vigil.IncidentFilter, max int) ([]*vigil.Incident, int, error) {
	f.Limit = min(max, vigil.MaxPageSize)
	return h.Incidents.List(ctx, u, f)
}

var _ = errors.New
