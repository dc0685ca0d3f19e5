package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/mse"
)

// estimateCSRFCookie carries the estimate form's CSRF token for a visitor
// without a session (the public, when the server has a public view).
const estimateCSRFCookie = "vigil_csrf_estimate"

// estimateSlots bounds the estimates the pages run at once (each runs its
// LCMCR chains in parallel); a request waits for a slot.
var estimateSlots = make(chan struct{}, 2)

// estimateForm is what the form shows (and shows again after an error).
type estimateForm struct {
	Methods     []string
	Chosen      map[string]bool
	Strata      []string // PersonStrata, for the store form
	ChosenBy    map[string]bool
	By          string // stratum columns of a table, comma-separated
	CSV         string
	Seed        string
	Store       bool // the visitor may estimate over the store's linked persons
	MaxBody     int
	Result      *estimateView
	SourceStore bool
}

// estimateView is the result page's data, formatted for the template.
type estimateView struct {
	Source   string
	Lists    []string
	Warnings []string
	Panels   []estimatePanel
	Sum      []estimateSum
	Plot     template.HTML
}

type estimatePanel struct {
	Title, Key  string
	ID          string // the section's id: "pooled" or "stratum-N"
	Documented  string
	ListSizes   []string
	Estimable   bool
	Reason      string
	Warnings    []string
	Rows        []estimateRow
	Errors      []string
	Comparison  []estimateCmp
	AnyInterval bool
}

type estimateRow struct {
	Method, MethodName, Model string
	Total, Undocumented       string
	Lower, Upper, Kind, Level string
	HasInterval               bool
	Warnings                  []string
}

type estimateCmp struct{ Method, Model, Total, Interval, Assumptions string }

type estimateSum struct{ Method, Documented, Total, Undocumented string }

func (h *Handler) estimateBase(w http.ResponseWriter, r *http.Request) (*page, *vigil.Session, *estimateForm, error) {
	p, s, err := h.newPage(w, r, "")
	if err != nil {
		return nil, nil, nil, err
	}
	p.Title = p.T("est.title")
	if s == nil {
		// No session: a double-submit cookie, as for the log-in form.
		tok := randomToken()
		if c, err := r.Cookie(estimateCSRFCookie); err == nil && len(c.Value) >= 32 {
			tok = c.Value
		}
		http.SetCookie(w, &http.Cookie{Name: estimateCSRFCookie, Value: tok, Path: "/estimate", HttpOnly: true, Secure: overTLS(r), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
		p.CSRF = tok
	}
	f := &estimateForm{Methods: mse.AllMethods, Chosen: map[string]bool{}, Strata: mse.PersonStrata, ChosenBy: map[string]bool{},
		Seed: "1", Store: p.Can("viewer") && h.Store != nil, MaxBody: vhttp.EstimateMaxBody}
	p.Data = f
	return p, s, f, nil
}

// estimatePage shows the form: a capture-history CSV (file or pasted) or,
// for viewers, the store's linked persons, with the methods to run.
func (h *Handler) estimatePage(w http.ResponseWriter, r *http.Request) {
	p, _, _, err := h.estimateBase(w, r)
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	h.render(w, r, http.StatusOK, "estimate", p)
}

// estimate runs the estimate and shows it. Nothing is stored. The limits
// are the API's (body size, LCMCR sweeps, time).
func (h *Handler) estimate(w http.ResponseWriter, r *http.Request) {
	p, s, f, err := h.estimateBase(w, r)
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	bad := func(status int, msg string) {
		p.Error = msg
		h.render(w, r, status, "estimate", p)
	}
	r.Body = http.MaxBytesReader(w, r.Body, vhttp.EstimateMaxBody+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			bad(http.StatusRequestEntityTooLarge, p.T("est.toolarge", vhttp.EstimateMaxBody>>20))
			return
		}
		bad(http.StatusBadRequest, err.Error())
		return
	}
	want := ""
	if s != nil {
		want = s.CSRF
	} else if c, err := r.Cookie(estimateCSRFCookie); err == nil {
		want = c.Value
	}
	if err := checkCSRF(r, want); err != nil {
		bad(http.StatusForbidden, vigil.ErrorMessage(err))
		return
	}
	for _, m := range r.PostForm["method"] {
		if !contains(mse.AllMethods, m) {
			bad(http.StatusBadRequest, p.T("est.badmethod", m))
			return
		}
		f.Chosen[m] = true
	}
	var methods []string
	for _, m := range mse.AllMethods {
		if f.Chosen[m] {
			methods = append(methods, m)
		}
	}
	lo := mse.LCMCROptions{Seed: 1}
	f.Seed = strings.TrimSpace(r.PostFormValue("seed"))
	if f.Seed != "" {
		n, err := strconv.ParseUint(f.Seed, 10, 64)
		if err != nil {
			bad(http.StatusBadRequest, p.T("est.badseed", f.Seed))
			return
		}
		lo.Seed = n
	}
	var st *mse.Stratified
	if r.PostFormValue("source") == "store" {
		f.SourceStore = true
		if !f.Store {
			bad(http.StatusUnauthorized, p.T("est.storelogin"))
			return
		}
		by := r.PostForm["stratum"]
		for _, b := range by {
			f.ChosenBy[b] = true
		}
		persons, _, err := h.Store.FindPersons(r.Context(), vigil.PersonFilter{Limit: -1})
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		if len(persons) == 0 {
			bad(http.StatusBadRequest, p.T("est.nopersons"))
			return
		}
		g := gazetteer.Builtin().Clone()
		if err := g.LoadFrom(r.Context(), h.Store); err != nil {
			h.fail(w, r, p, err)
			return
		}
		if st, err = mse.PersonHistoriesWith(persons, by, mse.PersonOptions{Governorate: g.GovernorateOf}); err != nil {
			bad(http.StatusBadRequest, err.Error())
			return
		}
	} else {
		f.CSV = r.PostFormValue("csv")
		f.By = r.PostFormValue("by")
		var by []string
		for _, b := range strings.Split(f.By, ",") {
			if b = strings.TrimSpace(b); b != "" {
				by = append(by, b)
			}
		}
		name, text := p.T("est.pasted"), f.CSV
		if file, hdr, err := r.FormFile("file"); err == nil {
			b, err := io.ReadAll(file)
			file.Close()
			if err != nil {
				bad(http.StatusBadRequest, err.Error())
				return
			}
			if len(bytes.TrimSpace(b)) > 0 {
				name, text = hdr.Filename, string(b)
			}
		}
		if strings.TrimSpace(text) == "" {
			bad(http.StatusBadRequest, p.T("est.empty"))
			return
		}
		if st, err = mse.ReadStratified(strings.NewReader(text), name, by); err != nil {
			bad(http.StatusBadRequest, p.T("est.badtable", err.Error()))
			return
		}
	}
	if err := vhttp.CheckEstimateLimits(st, lo); err != nil {
		bad(http.StatusBadRequest, vigil.ErrorMessage(err))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), vhttp.EstimateTimeout)
	defer cancel()
	select {
	case estimateSlots <- struct{}{}:
		defer func() { <-estimateSlots }()
	case <-ctx.Done():
		bad(http.StatusServiceUnavailable, p.T("est.busy"))
		return
	}
	rep, err := mse.EstimateStrata(ctx, st, mse.Options{Methods: methods, LCMCR: lo})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			bad(http.StatusBadRequest, p.T("est.timeout", vhttp.EstimateTimeout.String()))
			return
		}
		bad(http.StatusBadRequest, err.Error())
		return
	}
	v, err := viewEstimate(p, rep)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	f.Result = v
	h.render(w, r, http.StatusOK, "estimate", p)
}

func viewEstimate(p *page, rep *mse.StratifiedReport) (*estimateView, error) {
	v := &estimateView{Source: rep.Source, Lists: rep.Lists, Warnings: rep.Warnings}
	if rep.Pooled != nil {
		v.Panels = append(v.Panels, viewPanel(p, rep.Pooled, p.T("est.pooled")))
		v.Panels[0].ID = "pooled"
	}
	for i := range rep.Strata {
		title := p.T("est.all")
		if rep.Strata[i].Key != "" {
			title = p.T("est.stratum", rep.Strata[i].Key)
		}
		pn := viewPanel(p, &rep.Strata[i], title)
		pn.ID = "stratum-" + strconv.Itoa(i+1)
		v.Panels = append(v.Panels, pn)
	}
	for _, s := range rep.SumOfStrata {
		v.Sum = append(v.Sum, estimateSum{Method: s.Method, Documented: mse.FormatCount(float64(s.Documented)), Total: mse.FormatCount(s.Total), Undocumented: mse.FormatCount(s.Total - float64(s.Documented))})
	}
	var b bytes.Buffer
	if err := mse.WriteSVG(&b, rep); err != nil {
		return nil, err
	}
	// The SVG is vigil's own drawing with every text escaped (mse.WriteSVG)
	// and no script, so it is safe inline under the page's CSP.
	v.Plot = template.HTML(b.String())
	return v, nil
}

func viewPanel(p *page, s *mse.StratumReport, title string) estimatePanel {
	pn := estimatePanel{Title: title, Key: s.Key, Documented: mse.FormatCount(float64(s.Documented)), Estimable: s.Estimability.Estimable, Reason: s.Estimability.Reason, Warnings: s.Warnings}
	for i, l := range s.Lists {
		if i < len(s.ListSizes) {
			pn.ListSizes = append(pn.ListSizes, l+" "+mse.FormatCount(float64(s.ListSizes[i])))
		}
	}
	for _, r := range s.Results {
		row := estimateRow{Method: r.Method, MethodName: r.MethodName, Model: r.Model, Total: mse.FormatCount(r.Total), Undocumented: mse.FormatCount(r.Undocumented), Warnings: r.Warnings}
		if iv := r.Interval; iv != nil && !math.IsNaN(iv.Lower) && !math.IsNaN(iv.Upper) {
			row.HasInterval = true
			row.Lower, row.Upper, row.Kind = mse.FormatCount(iv.Lower), mse.FormatCount(iv.Upper), strings.ReplaceAll(iv.Kind, "_", " ")
			row.Level = strconv.FormatFloat(100*iv.Level, 'g', 3, 64) + "%"
		}
		pn.Rows = append(pn.Rows, row)
	}
	for m, e := range s.Errors {
		pn.Errors = append(pn.Errors, p.T("est.failed", m, e))
	}
	for _, c := range s.Comparison {
		iv := ""
		if c.Interval != nil && !math.IsNaN(c.Interval.Lower) && !math.IsNaN(c.Interval.Upper) {
			iv = mse.FormatCount(c.Interval.Lower) + " – " + mse.FormatCount(c.Interval.Upper)
		}
		pn.Comparison = append(pn.Comparison, estimateCmp{Method: c.Method, Model: c.Model, Total: mse.FormatCount(c.Total), Interval: iv, Assumptions: c.Assumptions})
	}
	return pn
}
