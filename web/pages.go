package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/export"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/review"
)

// FilterFromQuery reads the shared incident filters (the API's set: from,
// to, type, governorate, pcode, perpetrator, grade, state, facility,
// children, q, limit, offset).
func FilterFromQuery(q url.Values) (vigil.IncidentFilter, error) {
	var f vigil.IncidentFilter
	num := func(name string, def, max int) (int, error) {
		v := q.Get(name)
		if v == "" {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || (max > 0 && n > max) {
			return 0, vigil.FieldErrorf(vigil.EINVALID, name, "want a whole number from 0 to %d, got %q", max, clip(v))
		}
		return n, nil
	}
	var err error
	if f.Offset, err = num("offset", 0, 1<<30); err != nil {
		return f, err
	}
	if f.Limit, err = num("limit", vigil.DefaultPageSize, vigil.MaxPageSize); err != nil {
		return f, err
	}
	return f, vhttp.IncidentFilterFields(q, &f)
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// option is one choice of a filter's select box.
type option struct{ Value, Label string }

// filterForm is what the shared filter form shows.
type filterForm struct {
	Types, Governorates, Perpetrators, Grades, States, Facilities []option
	Exports                                                       []option
}

func (h *Handler) filterForm(p *page) filterForm {
	var ff filterForm
	for _, t := range vigil.EventTypes() {
		ff.Types = append(ff.Types, option{string(t), p.V(string(t))})
	}
	for _, g := range governorates {
		label := g.Name
		if p.Lang == "ar" {
			label = g.NameAR
		}
		ff.Governorates = append(ff.Governorates, option{g.PCode, label})
	}
	for _, a := range export.Actors {
		ff.Perpetrators = append(ff.Perpetrators, option{a.Key, actorLabel(a.Key)})
	}
	for _, g := range review.DefaultScale {
		ff.Grades = append(ff.Grades, option{string(g), p.V(string(g))})
	}
	for _, s := range review.States {
		ff.States = append(ff.States, option{string(s), p.V(string(s))})
	}
	for _, f := range []vigil.FacilityType{vigil.FacilityHealth, vigil.FacilityEducation, vigil.FacilityWorship, vigil.FacilityMarket, vigil.FacilityWater, vigil.FacilityResidential, vigil.FacilityOther} {
		ff.Facilities = append(ff.Facilities, option{string(f), p.V(string(f))})
	}
	q := p.Link("", "offset", "", "limit", "", "done", "", "interval", "")
	for _, f := range export.Formats() {
		link := "/api/v1/export/incidents." + f.Extension + q
		ff.Exports = append(ff.Exports, option{link, strings.ToUpper(f.Name)})
	}
	return ff
}

var actorLabels = map[string]string{
	"syrian_government": "Syrian government forces", "russia": "Russian forces", "coalition": "US-led coalition", "isis": "Islamic State",
	"opposition": "Armed opposition groups", "nusra": "Nusra Front / HTS", "sdf": "SDF / YPG", "turkey": "Turkish forces",
	"israel": "Israeli forces", "hezbollah": "Hezbollah", "iran": "Iranian forces", "unidentified": "unidentified",
}

func actorLabel(key string) string {
	if l, ok := actorLabels[key]; ok {
		return l
	}
	return key
}

type listRow struct {
	Inc                                 *vigil.Incident
	Place, Killed, Injured, Perpetrator string
}

func figureCell(inc *vigil.Incident, k vigil.FigureKind) string {
	for _, f := range inc.Figures {
		if f.Kind == k && f.Category == vigil.CatTotal {
			return figText(f.Min, f.Max)
		}
	}
	for _, f := range inc.Figures {
		if f.Kind == k {
			return figText(f.Min, f.Max) + " (" + string(f.Category) + ")"
		}
	}
	return ""
}

func placeName(p *vigil.Place, lang string) string {
	if p == nil {
		return ""
	}
	name := p.Name
	if lang == "ar" && p.NameAR != "" {
		name = p.NameAR
	}
	if g := p.Governorate(); g != nil && g.Name != p.Name {
		gn := g.Name
		if lang == "ar" && g.NameAR != "" {
			gn = g.NameAR
		}
		name += ", " + gn
	}
	return name
}

type listData struct {
	Form             filterForm
	Rows             []listRow
	Total, From, To  int
	Prev, Next       string
	HasPrev, HasNext bool
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.newPage(w, r, "")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	p.Title = p.T("list.title")
	f, err := FilterFromQuery(r.URL.Query())
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	list, total, err := h.listPage(r.Context(), p.User, f)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	d := listData{Form: h.filterForm(p), Total: total, From: f.Offset + 1, To: f.Offset + len(list)}
	for _, inc := range list {
		var perps []string
		for _, c := range inc.Attribution.Candidates {
			perps = append(perps, actorLabel(c.Actor)+" ("+p.V(string(c.Status))+")")
		}
		d.Rows = append(d.Rows, listRow{Inc: inc, Place: placeName(inc.Place, p.Lang), Killed: figureCell(inc, vigil.Killed), Injured: figureCell(inc, vigil.Injured), Perpetrator: strings.Join(perps, "; ")})
	}
	if f.Offset > 0 {
		d.HasPrev, d.Prev = true, p.Link("/incidents", "offset", max(0, f.Offset-f.Limit))
	}
	if f.Offset+len(list) < total {
		d.HasNext, d.Next = true, p.Link("/incidents", "offset", f.Offset+f.Limit)
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "list", p)
}

// listPage returns one page of the list: the matching ids come from the
// index (so a deep page costs no more than the first), the incidents
// themselves through the service, which applies its rules to each (an id
// list a moment out of date can only leave an incident out, never show one
// the visitor may not see).
func (h *Handler) listPage(ctx context.Context, u *vigil.User, f vigil.IncidentFilter) ([]*vigil.Incident, int, error) {
	if h.Index == nil {
		return h.Incidents.List(ctx, u, f)
	}
	g := f
	if !u.Can(vigil.RoleViewer) {
		g.PublishedOnly = true
	}
	ids, err := h.Index.MatchingIDs(ctx, g)
	if err != nil {
		return nil, 0, err
	}
	lo := min(f.Offset, len(ids))
	hi := min(lo+f.Limit, len(ids))
	if lo == hi {
		return nil, len(ids), nil
	}
	list, _, err := h.Incidents.List(ctx, u, vigil.IncidentFilter{IDs: ids[lo:hi], Limit: hi - lo})
	return list, len(ids), err
}

type docView struct {
	Doc  *vigil.Document
	HTML any
	Dir  string
}

type incidentData struct {
	D          *review.Detail
	Inc        *vigil.Incident
	Place      string
	Docs       []docView
	DocTitles  map[int64]string
	Scale      []option
	States     []option
	HasPoint   bool
	Perps      []perpView
	Public     bool
	MergedInto int64
}

type perpView struct {
	Label, Status, AllegedBy, DeniedBy, Hedge string
}

func (h *Handler) incident(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.newPage(w, r, "")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	h.showIncident(w, r, p, http.StatusOK)
}

func (h *Handler) showIncident(w http.ResponseWriter, r *http.Request, p *page, status int) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	ctx := r.Context()
	d, err := h.Incidents.Show(ctx, p.User, id)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	inc := d.Incident
	public := !p.User.Can(vigil.RoleViewer)
	p.Title = inc.Title
	data := incidentData{D: d, Inc: inc, Place: placeName(inc.Place, p.Lang), HasPoint: inc.Place.HasPoint(), Public: public, DocTitles: map[int64]string{}}
	for _, c := range inc.Attribution.Candidates {
		data.Perps = append(data.Perps, perpView{Label: actorLabel(c.Actor), Status: p.V(string(c.Status)), AllegedBy: strings.Join(c.AllegedBy, "; "), DeniedBy: strings.Join(c.DeniedBy, "; "), Hedge: c.Hedge})
	}
	// The document texts with the supporting spans highlighted. For the
	// public the restricted values' spans (taken from the unredacted claims,
	// which are never shown) are masked wherever their words appear.
	var masks map[int64][]vigil.Span
	if public {
		masks = map[int64][]vigil.Span{}
		raw, _, err := h.Store.FindClaims(ctx, vigil.ClaimFilter{IncidentID: id, Limit: vigil.MaxPageSize})
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		for _, c := range raw {
			masks[c.DocumentID] = append(masks[c.DocumentID], vigil.RestrictedSpans(c)...)
			for _, v := range c.Victims {
				if (v.Minor || v.Sensitivity == vigil.Restricted) && v.Name != "" {
					masks[c.DocumentID] = append(masks[c.DocumentID], vigil.Span{Text: v.Name, Start: -1})
				}
			}
			for _, s := range c.Sources {
				if (s.Anonymous || s.Sensitivity == vigil.Restricted) && s.Name != "" {
					masks[c.DocumentID] = append(masks[c.DocumentID], vigil.Span{Text: s.Name, Start: -1})
				}
			}
		}
	}
	byDoc := map[int64][]mark{}
	var docIDs []int64
	for _, c := range d.Claims {
		if !slices.Contains(docIDs, c.DocumentID) {
			docIDs = append(docIDs, c.DocumentID)
		}
		byDoc[c.DocumentID] = append(byDoc[c.DocumentID], claimMarks(c)...)
	}
	for _, did := range docIDs {
		doc, err := h.Store.FindDocumentByID(ctx, did)
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		var mk []vigil.Span
		if public {
			mk = maskAll(doc.Text, masks[did])
		}
		dir := "ltr"
		if doc.Language == "ar" {
			dir = "rtl"
		}
		data.DocTitles[did] = doc.Title
		text := doc.Text
		if public {
			// Only what the page shows: no note, file name or custody details.
			doc = &vigil.Document{ID: doc.ID, Title: doc.Title, Publisher: doc.Publisher, Published: doc.Published, Language: doc.Language}
		}
		data.Docs = append(data.Docs, docView{Doc: doc, HTML: Highlight(text, byDoc[did], mk, p.T("withheld")), Dir: dir})
	}
	for _, g := range h.Incidents.Scale {
		data.Scale = append(data.Scale, option{string(g), p.V(string(g))})
	}
	if len(data.Scale) == 0 {
		for _, g := range review.DefaultScale {
			data.Scale = append(data.Scale, option{string(g), p.V(string(g))})
		}
	}
	for _, s := range review.States {
		data.States = append(data.States, option{string(s), p.V(string(s))})
	}
	p.Data = data
	h.render(w, r, status, "incident", p)
}

// maskAll turns restricted spans and names into byte ranges of text.
func maskAll(text string, masks []vigil.Span) []vigil.Span {
	var spans []vigil.Span
	for _, m := range masks {
		if m.Start < 0 {
			// A name: every occurrence.
			if len(m.Text) >= 3 {
				for off := 0; ; {
					i := strings.Index(text[off:], m.Text)
					if i < 0 {
						break
					}
					spans = append(spans, vigil.Span{Start: off + i, End: off + i + len(m.Text)})
					off += i + len(m.Text)
				}
			}
			continue
		}
		spans = append(spans, m)
	}
	return maskRanges(text, spans)
}

// act handles the review forms: grade, review (state), publish, merge, split.
func (h *Handler) act(w http.ResponseWriter, r *http.Request) {
	p, s, err := h.newPage(w, r, "")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if s == nil {
		h.fail(w, r, p, vigil.Errorf(vigil.EUNAUTHORIZED, "log in to review incidents"))
		return
	}
	if err := checkCSRF(r, s.CSRF); err != nil {
		h.fail(w, r, p, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	ctx, u, reason := r.Context(), p.User, strings.TrimSpace(r.PostFormValue("reason"))
	switch r.PathValue("action") {
	case "grade":
		_, err = h.Incidents.Grade(ctx, u, id, vigil.Grade(r.PostFormValue("grade")), reason)
	case "review":
		_, err = h.Incidents.Transition(ctx, u, id, vigil.ReviewState(r.PostFormValue("state")), reason)
	case "publish":
		_, err = h.Incidents.Transition(ctx, u, id, vigil.ReviewPublished, reason)
	case "merge":
		var others []int64
		others, err = parseIDs(r.PostFormValue("incidents"), "incidents")
		if err == nil {
			_, err = h.Incidents.Merge(ctx, u, id, others, reason)
		}
	case "split":
		var claims []int64
		claims, err = parseIDs(strings.Join(r.PostForm["claim"], " "), "claim")
		if err == nil {
			var nu *vigil.Incident
			_, nu, err = h.Incidents.Split(ctx, u, id, claims, reason)
			if err == nil {
				http.Redirect(w, r, "/incidents/"+strconv.FormatInt(nu.ID, 10)+"?done=split", http.StatusSeeOther)
				return
			}
		}
	default:
		err = vigil.Errorf(vigil.ENOTFOUND, "no such action")
	}
	if err != nil {
		if k := vigil.ErrorKind(err); k == vigil.EINTERNAL || k == vigil.ENOTFOUND {
			h.fail(w, r, p, err)
			return
		}
		p.Error = vigil.ErrorMessage(err)
		h.showIncident(w, r, p, statusFor(vigil.ErrorKind(err)))
		return
	}
	back := "/incidents/" + strconv.FormatInt(id, 10) + "?done=" + url.QueryEscape(r.PathValue("action"))
	if next := r.PostFormValue("next"); strings.HasPrefix(next, "/queue") {
		back = next
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func parseIDs(s, field string) ([]int64, error) {
	var ids []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' }) {
		id, err := strconv.ParseInt(strings.TrimPrefix(f, "#"), 10, 64)
		if err != nil || id <= 0 {
			return nil, vigil.FieldErrorf(vigil.EINVALID, field, "want numbers separated by spaces, got %q", clip(f))
		}
		ids = append(ids, id)
	}
	return ids, nil
}

type queueData struct {
	New, InReview, Dups []listRow
	Scale               []option
}

func (h *Handler) queue(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.newPage(w, r, "")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	p.Title = p.T("queue.title")
	if !p.User.Can(vigil.RoleViewer) {
		if p.User == nil {
			http.Redirect(w, r, "/login?next=/queue", http.StatusSeeOther)
			return
		}
		h.fail(w, r, p, vigil.Errorf(vigil.ENOTFOUND, "not found"))
		return
	}
	ctx := r.Context()
	rows := func(list []*vigil.Incident) []listRow {
		var out []listRow
		for _, inc := range list {
			out = append(out, listRow{Inc: inc, Place: placeName(inc.Place, p.Lang), Killed: figureCell(inc, vigil.Killed), Injured: figureCell(inc, vigil.Injured)})
		}
		return out
	}
	var d queueData
	for _, st := range []vigil.ReviewState{vigil.ReviewNew, vigil.ReviewInReview} {
		list, _, err := h.Incidents.List(ctx, p.User, vigil.IncidentFilter{Review: st, Limit: 100})
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		if st == vigil.ReviewNew {
			d.New = rows(list)
		} else {
			d.InReview = rows(list)
		}
	}
	ids, err := h.Index.Duplicates(ctx, 100)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	if len(ids) > 0 {
		list, _, err := h.Incidents.List(ctx, p.User, vigil.IncidentFilter{IDs: ids, Limit: 100})
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		d.Dups = rows(list)
	}
	for _, g := range review.DefaultScale {
		d.Scale = append(d.Scale, option{string(g), p.V(string(g))})
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "queue", p)
}

type documentData struct {
	Doc     *vigil.Document
	Custody []*vigil.CustodyEvent
	Claims  []*vigil.Claim
	HTML    any
	Dir     string
}

// document shows a document to viewers; the public gets "not found", as in
// the API.
func (h *Handler) document(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.newPage(w, r, "")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	if err := review.CanRead(p.User); err != nil { // the service checks again
		h.fail(w, r, p, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	ctx := r.Context()
	records := &review.Records{Docs: h.Store, Claims: h.Store, Victims: h.Store}
	doc, err := records.Document(ctx, p.User, id)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	custody, err := records.CustodyLog(ctx, p.User, id)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	claims, _, err := records.FindClaims(ctx, p.User, vigil.ClaimFilter{DocumentID: id, Limit: vigil.MaxPageSize})
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	var marks []mark
	for _, c := range claims {
		marks = append(marks, claimMarks(c)...)
	}
	dir := "ltr"
	if doc.Language == "ar" {
		dir = "rtl"
	}
	p.Title = doc.Title
	if p.Title == "" {
		p.Title = p.T("doc.title") + " " + strconv.FormatInt(doc.ID, 10)
	}
	p.Data = documentData{Doc: doc, Custody: custody, Claims: claims, HTML: Highlight(doc.Text, marks, nil, p.T("withheld")), Dir: dir}
	h.render(w, r, http.StatusOK, "document", p)
}

func (h *Handler) mapPage(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.newPage(w, r, "")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	p.Title = p.T("map.title")
	if _, err := FilterFromQuery(r.URL.Query()); err != nil {
		h.fail(w, r, p, err)
		return
	}
	q := p.Link("", "offset", "", "limit", "")
	p.Data = map[string]any{"Form": h.filterForm(p), "Points": "/api/v1/map/incidents" + q, "Tiles": h.TileURL,
		"Leaflet": hasVendor("leaflet/leaflet.js"), "Cluster": hasVendor("markercluster/leaflet.markercluster.js")}
	h.render(w, r, http.StatusOK, "map", p)
}

type chartsData struct {
	Form                         filterForm
	Interval                     string
	Timeline, ByPerp, ByGov      []Bucket
	TimelineURL, PerpURL, GovURL string
	Chart                        bool
}

func (h *Handler) charts(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.newPage(w, r, "")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	p.Title = p.T("charts.title")
	f, err := FilterFromQuery(r.URL.Query())
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	if !p.User.Can(vigil.RoleViewer) {
		f.PublishedOnly = true
	}
	interval := r.URL.Query().Get("interval")
	if interval != "day" && interval != "week" {
		interval = "month"
	}
	d := chartsData{Form: h.filterForm(p), Interval: interval, Chart: hasVendor("chart.umd.js")}
	ctx := r.Context()
	if d.Timeline, err = h.Index.Aggregate(ctx, f, interval); err == nil {
		if d.ByPerp, err = h.Index.Aggregate(ctx, f, "perpetrator"); err == nil {
			d.ByGov, err = h.Index.Aggregate(ctx, f, "governorate")
		}
	}
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	for i := range d.ByPerp {
		d.ByPerp[i].Label = actorLabel(d.ByPerp[i].Key)
	}
	for i := range d.ByGov {
		for _, g := range governorates {
			if g.PCode == d.ByGov[i].Key {
				d.ByGov[i].Label = g.Name
				if p.Lang == "ar" {
					d.ByGov[i].Label = g.NameAR
				}
			}
		}
	}
	q := p.Link("", "offset", "", "limit", "", "interval", "")
	sep := "?"
	if q != "" {
		sep = "&"
	}
	d.TimelineURL = "/api/v1/aggregate/incidents" + q + sep + "by=" + interval
	d.PerpURL = "/api/v1/aggregate/incidents" + q + sep + "by=perpetrator"
	d.GovURL = "/api/v1/aggregate/incidents" + q + sep + "by=governorate"
	p.Data = d
	h.render(w, r, http.StatusOK, "charts", p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (h *Handler) apiError(w http.ResponseWriter, err error) {
	kind := vigil.ErrorKind(err)
	if kind == vigil.EINTERNAL {
		h.Log.Error("internal error", "err", err)
	}
	var body struct {
		Error struct {
			Kind    string `json:"kind"`
			Message string `json:"message"`
			Field   string `json:"field,omitempty"`
		} `json:"error"`
	}
	body.Error.Kind, body.Error.Message, body.Error.Field = kind, vigil.ErrorMessage(err), vigil.ErrorField(err)
	writeJSON(w, statusFor(kind), body)
}

// apiFilter reads the filters for a JSON call and restricts the public to
// published incidents, as review.Service.List does.
func (h *Handler) apiFilter(w http.ResponseWriter, r *http.Request) (vigil.IncidentFilter, bool) {
	u, _, err := h.who(w, r)
	if err != nil {
		h.apiError(w, err)
		return vigil.IncidentFilter{}, false
	}
	f, err := FilterFromQuery(r.URL.Query())
	if err != nil {
		h.apiError(w, err)
		return f, false
	}
	if !u.Can(vigil.RoleViewer) {
		f.PublishedOnly = true
	}
	return f, true
}

// MaxPoints caps the incidents one map call returns.
const MaxPoints = 50000

// mapPoints answers GET /api/v1/map/incidents: matching incidents with
// coordinates as GeoJSON points (title, date, place, precision, killed).
func (h *Handler) mapPoints(w http.ResponseWriter, r *http.Request) {
	f, ok := h.apiFilter(w, r)
	if !ok {
		return
	}
	pts, n, err := h.Index.Points(r.Context(), f, MaxPoints)
	if err != nil {
		h.apiError(w, err)
		return
	}
	type feature struct {
		Type       string         `json:"type"`
		ID         int64          `json:"id"`
		Geometry   map[string]any `json:"geometry"`
		Properties Point          `json:"properties"`
	}
	feats := make([]feature, len(pts))
	for i, pt := range pts {
		feats[i] = feature{Type: "Feature", ID: pt.ID, Geometry: map[string]any{"type": "Point", "coordinates": []float64{pt.Lon, pt.Lat}}, Properties: pt}
	}
	writeJSON(w, http.StatusOK, map[string]any{"type": "FeatureCollection", "features": feats, "total": n, "truncated": n > len(pts)})
}

// aggregate answers GET /api/v1/aggregate/incidents?by=day|week|month|year|
// perpetrator|governorate|type|grade plus the shared filters.
func (h *Handler) aggregate(w http.ResponseWriter, r *http.Request) {
	f, ok := h.apiFilter(w, r)
	if !ok {
		return
	}
	by := r.URL.Query().Get("by")
	bs, err := h.Index.Aggregate(r.Context(), f, by)
	if err != nil {
		h.apiError(w, err)
		return
	}
	if by == "perpetrator" {
		for i := range bs {
			bs[i].Label = actorLabel(bs[i].Key)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"by": by, "buckets": bs})
}

func (h *Handler) boundaries(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	b := h.Boundaries
	if b == nil {
		b = DefaultBoundaries()
	}
	w.Write(b)
}
