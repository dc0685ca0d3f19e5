package http

import (
	"crypto/subtle"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/review"
)

// RegisterVictimRoutes adds the victim-list, person and clerical-review
// endpoints and pages. Victim names are restricted: every route needs a
// viewer; decisions need an analyst.
//
//	GET  /api/v1/victim-lists
//	GET  /api/v1/victim-lists/{name}/records?limit=&offset=
//	GET  /api/v1/persons?list=&q=&limit=&offset=
//	GET  /api/v1/persons/{id}
//	GET  /api/v1/review-pairs?all=1&limit=&offset=
//	POST /api/v1/review-pairs/decisions   {"a","b","match","note"}
//	GET  /victims, /victims/persons/{id}, /victims/review   (web pages)
func (s *Server) RegisterVictimRoutes(svc vigil.VictimService) {
	s.victims = svc
	h := &victimHandlers{s: s, svc: s.records()}
	s.Handle("GET /api/v1/victim-lists", http.HandlerFunc(h.lists))
	s.Handle("GET /api/v1/victim-lists/{name}/records", http.HandlerFunc(h.records))
	s.Handle("GET /api/v1/persons", http.HandlerFunc(h.persons))
	s.Handle("GET /api/v1/persons/{id}", http.HandlerFunc(h.person))
	s.Handle("GET /api/v1/review-pairs", http.HandlerFunc(h.queue))
	s.Handle("POST /api/v1/review-pairs/decisions", http.HandlerFunc(h.decide))
	s.Handle("GET /victims", http.HandlerFunc(h.page))
	s.Handle("GET /victims/persons/{id}", http.HandlerFunc(h.personPage))
	s.Handle("GET /victims/review", http.HandlerFunc(h.reviewPage))
	s.Handle("POST /victims/review/decide", http.HandlerFunc(h.decideForm))
}

type victimHandlers struct {
	s   *Server
	svc *review.Records // checks the caller's role
}

func (h *victimHandlers) paging(w http.ResponseWriter, r *http.Request) (int, int, bool) {
	off, err := intParam(r, "offset", 0, 0)
	if err != nil {
		h.s.Error(w, r, err)
		return 0, 0, false
	}
	lim, err := intParam(r, "limit", vigil.DefaultPageSize, vigil.MaxPageSize)
	if err != nil {
		h.s.Error(w, r, err)
		return 0, 0, false
	}
	if lim == 0 {
		lim = vigil.DefaultPageSize
	}
	return lim, off, true
}

func (h *victimHandlers) lists(w http.ResponseWriter, r *http.Request) {
	u, ok := h.s.requireViewer(w, r)
	if !ok {
		return
	}
	ls, err := h.svc.VictimLists(r.Context(), u)
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"lists": ls})
}

func (h *victimHandlers) records(w http.ResponseWriter, r *http.Request) {
	u, ok := h.s.requireViewer(w, r)
	if !ok {
		return
	}
	lim, off, ok := h.paging(w, r)
	if !ok {
		return
	}
	name := r.PathValue("name")
	lists, err := h.svc.VictimLists(r.Context(), u)
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	known := false
	for _, l := range lists {
		known = known || l.Name == name
	}
	if !known {
		h.s.Error(w, r, vigil.FieldErrorf(vigil.ENOTFOUND, "name", "no victim list %q", clip(name)))
		return
	}
	recs, total, err := h.svc.VictimRecords(r.Context(), u, vigil.VictimFilter{Lists: []string{name}, Limit: lim, Offset: off})
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"records": recs, "total": total, "limit": lim, "offset": off})
}

func (h *victimHandlers) persons(w http.ResponseWriter, r *http.Request) {
	u, ok := h.s.requireViewer(w, r)
	if !ok {
		return
	}
	lim, off, ok := h.paging(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	ps, total, err := h.svc.Persons(r.Context(), u, vigil.PersonFilter{List: q.Get("list"), Query: q.Get("q"), Limit: lim, Offset: off})
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"persons": ps, "total": total, "limit": lim, "offset": off})
}

func (h *victimHandlers) person(w http.ResponseWriter, r *http.Request) {
	u, ok := h.s.requireViewer(w, r)
	if !ok {
		return
	}
	p, err := h.svc.Person(r.Context(), u, r.PathValue("id"))
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (h *victimHandlers) queue(w http.ResponseWriter, r *http.Request) {
	u, ok := h.s.requireViewer(w, r)
	if !ok {
		return
	}
	lim, off, ok := h.paging(w, r)
	if !ok {
		return
	}
	all := r.URL.Query().Get("all") != ""
	q, total, err := h.svc.ReviewQueue(r.Context(), u, vigil.ReviewFilter{Pending: !all, Limit: lim, Offset: off})
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"pairs": q, "total": total, "limit": lim, "offset": off})
}

// DecisionRequest is the body of POST /api/v1/review-pairs/decisions.
type DecisionRequest struct {
	A     int64  `json:"a"`
	B     int64  `json:"b"`
	Match *bool  `json:"match"`
	Note  string `json:"note"`
}

func (h *victimHandlers) decide(w http.ResponseWriter, r *http.Request) {
	u, err := h.s.user(r)
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	if err := review.CanDecide(u); err != nil { // answer before reading the body
		h.s.Error(w, r, err)
		return
	}
	var req DecisionRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		h.s.Error(w, r, vigil.FieldErrorf(vigil.EINVALID, "body", "malformed JSON: %v", err))
		return
	}
	if req.Match == nil {
		h.s.Error(w, r, vigil.FieldErrorf(vigil.EINVALID, "match", "true (same person) or false (different persons) is required"))
		return
	}
	d := &vigil.PairDecision{A: req.A, B: req.B, Match: *req.Match, Note: req.Note, Reviewer: u.Username}
	if err := h.svc.DecidePair(r.Context(), u, d); err != nil {
		h.s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

var victimPages = template.Must(template.New("victims").Parse(`
{{define "head"}}<!doctype html><html><head><meta charset="utf-8"><title>{{.}} · vigil</title>
<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:start}</style></head><body>
<nav><a href="/victims">Lists and persons</a> · <a href="/victims/review">Review queue</a></nav>{{end}}
{{define "index"}}{{template "head" "Victims"}}
<h1>Victim lists</h1><table><tr><th>List</th><th>Records</th><th>Updated</th></tr>
{{range .Lists}}<tr><td>{{.Name}}</td><td>{{.Records}}</td><td>{{.UpdatedAt.Format "2006-01-02 15:04"}}</td></tr>{{end}}</table>
<h1>Persons</h1><p>{{.Total}} persons</p><table><tr><th>Person</th><th>Name</th><th>Records</th><th>Lists</th></tr>
{{range .Persons}}<tr><td><a href="/victims/persons/{{.ID}}">{{.ID}}</a></td><td dir="auto">{{.Name}}</td><td>{{len .Records}}</td><td>{{range .Lists}}{{.}} {{end}}</td></tr>{{end}}</table></body></html>{{end}}
{{define "person"}}{{template "head" .ID}}
<h1>Person {{.ID}}</h1><table><tr><th>List</th><th>Record</th><th>Name</th><th>Sex</th><th>Age</th><th>Date</th><th>Place</th></tr>
{{range .Records}}<tr><td>{{.List}}</td><td>{{.RecordID}}</td><td dir="auto">{{.DisplayName}}</td><td>{{.Sex}}</td><td>{{if .Age}}{{.Age}}{{end}}</td><td>{{.Date}}</td><td dir="auto">{{.Place}}</td></tr>{{end}}</table></body></html>{{end}}
{{define "review"}}{{template "head" "Review queue"}}
<h1>Uncertain pairs</h1><p>{{.Total}} pairs await a decision.{{if not .CSRF}} Log in as an analyst on the web pages to decide here, or decide with <code>POST /api/v1/review-pairs/decisions</code> or <code>vigil review-pairs decide A B match|non-match</code>.{{end}}</p>
<table><tr><th>A</th><th>B</th><th>P(match)</th><th>Record A</th><th>Record B</th>{{if $.CSRF}}<th>Decision</th>{{end}}</tr>
{{range .Pairs}}<tr><td>{{.A}}</td><td>{{.B}}</td><td>{{printf "%.3f" .Probability}}</td><td dir="auto">{{.RecordA.DisplayName}} ({{.RecordA.List}})</td><td dir="auto">{{.RecordB.DisplayName}} ({{.RecordB.List}})</td>
{{if $.CSRF}}<td><form method="post" action="/victims/review/decide"><input type="hidden" name="csrf" value="{{$.CSRF}}"><input type="hidden" name="a" value="{{.A}}"><input type="hidden" name="b" value="{{.B}}"><input type="text" name="note" placeholder="note" size="12"> <button name="match" value="true">Same person</button> <button name="match" value="false">Different persons</button></form></td>{{end}}</tr>{{end}}</table></body></html>{{end}}
`))

func (h *victimHandlers) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := victimPages.ExecuteTemplate(w, name, data); err != nil {
		h.s.Log.Error("render", "template", name, "err", err)
	}
}

func (h *victimHandlers) page(w http.ResponseWriter, r *http.Request) {
	u, ok := h.s.requireViewer(w, r)
	if !ok {
		return
	}
	ls, err := h.svc.VictimLists(r.Context(), u)
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	ps, total, err := h.svc.Persons(r.Context(), u, vigil.PersonFilter{Query: r.URL.Query().Get("q"), Limit: 100, Offset: off})
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	h.render(w, r, "index", map[string]any{"Lists": ls, "Persons": ps, "Total": total})
}

func (h *victimHandlers) personPage(w http.ResponseWriter, r *http.Request) {
	u, ok := h.s.requireViewer(w, r)
	if !ok {
		return
	}
	p, err := h.svc.Person(r.Context(), u, r.PathValue("id"))
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	h.render(w, r, "person", p)
}

func (h *victimHandlers) reviewPage(w http.ResponseWriter, r *http.Request) {
	u, ok := h.s.requireViewer(w, r)
	if !ok {
		return
	}
	q, total, err := h.svc.ReviewQueue(r.Context(), u, vigil.ReviewFilter{Pending: true, Limit: 100})
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	csrf := ""
	if u, sess := h.session(r); sess != nil && u.Can(vigil.RoleAnalyst) {
		csrf = sess.CSRF
	}
	h.render(w, r, "review", map[string]any{"Pairs": q, "Total": total, "CSRF": csrf})
}

// session returns the web session behind the request's cookie, if any.
func (h *victimHandlers) session(r *http.Request) (*vigil.User, *vigil.Session) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || h.s.Auth == nil {
		return nil, nil
	}
	u, sess, err := h.s.Auth.UserForSession(r.Context(), c.Value)
	if err != nil {
		return nil, nil
	}
	return u, sess
}

// decideForm takes a decision from the review page's form: it needs a
// logged-in analyst and the session's CSRF token in the form.
func (h *victimHandlers) decideForm(w http.ResponseWriter, r *http.Request) {
	u, sess := h.session(r)
	if sess == nil {
		h.s.Error(w, r, vigil.Errorf(vigil.EUNAUTHORIZED, "log in to decide pairs"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		h.s.Error(w, r, vigil.FieldErrorf(vigil.EINVALID, "body", "malformed form"))
		return
	}
	if got := r.PostForm.Get("csrf"); got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
		h.s.Error(w, r, vigil.Errorf(vigil.EUNAUTHORIZED, "the form's CSRF token is missing or wrong: reload the page"))
		return
	}
	if err := review.CanDecide(u); err != nil {
		h.s.Error(w, r, err)
		return
	}
	a, errA := strconv.ParseInt(r.PostForm.Get("a"), 10, 64)
	b, errB := strconv.ParseInt(r.PostForm.Get("b"), 10, 64)
	match := r.PostForm.Get("match")
	if errA != nil || errB != nil || (match != "true" && match != "false") {
		h.s.Error(w, r, vigil.FieldErrorf(vigil.EINVALID, "a, b, match", "want two record ids and match true or false"))
		return
	}
	d := &vigil.PairDecision{A: a, B: b, Match: match == "true", Note: r.PostForm.Get("note"), Reviewer: u.Username}
	if err := h.svc.DecidePair(r.Context(), u, d); err != nil {
		h.s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/victims/review", http.StatusSeeOther)
}
