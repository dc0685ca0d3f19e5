package export

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// ImportOptions configure an import of ACLED- or UCDP-shaped CSV.
type ImportOptions struct {
	Format string // "acled" or "ucdp"
	File   string // name used in errors and custody records
	Actor  string // who imports, for the custody log and audit
	// Incidents creates one incident per new row (a dataset row is already
	// one event). Without it only documents and claims are stored and the
	// resolver places the claims.
	Incidents bool
	Now       func() time.Time
}

// ImportResult counts what an import did.
type ImportResult struct {
	Rows      int `json:"rows"`
	Created   int `json:"created"`
	Unchanged int `json:"unchanged"`
	Incidents int `json:"incidents"`
}

// Import reads ACLED- or UCDP-shaped CSV: each row becomes a source
// document (the row as "column: value" lines, kept byte for byte with its
// SHA-256, blob and custody record), a claim whose every value points at
// the words of the row it came from, and optionally an incident. Rows
// already imported (same bytes) are left unchanged.
func Import(ctx context.Context, store vigil.Store, blobs vigil.BlobStore, r io.Reader, o ImportOptions) (ImportResult, error) {
	var res ImportResult
	if o.Format != "acled" && o.Format != "ucdp" {
		return res, vigil.FieldErrorf(vigil.EINVALID, "format", "import format %q: want acled or ucdp", o.Format)
	}
	if o.Actor == "" {
		o.Actor = "vigil import"
	}
	if o.Now == nil {
		o.Now = func() time.Time { return time.Now().UTC() }
	}
	cr := csv.NewReader(bomStrip(r))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return res, vigil.FieldErrorf(vigil.EINVALID, o.File+":1", "no header row: %v", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	need := []string{"event_date", "event_type", "sub_event_type", "location", "fatalities"}
	if o.Format == "ucdp" {
		need = []string{"date_start", "date_end", "type_of_violence", "best", "low"}
	}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return res, vigil.FieldErrorf(vigil.EINVALID, o.File+":1", "column %q missing: not %s-shaped CSV", n, strings.ToUpper(o.Format))
		}
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return res, nil
		}
		if err != nil {
			return res, vigil.FieldErrorf(vigil.EINVALID, o.File, "%v", err)
		}
		res.Rows++
		row := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(unsafeCell(rec[i]))
			}
			return ""
		}
		where := fmt.Sprintf("%s:%d", o.File, line)
		text, spans := rowText(head, rec)
		b := &rowBuilder{get: row, spans: spans, where: where}
		var cl *vigil.Claim
		var title string
		if o.Format == "acled" {
			cl, title, err = b.acled()
		} else {
			cl, title, err = b.ucdp()
		}
		if err != nil {
			return res, err
		}
		created, err := storeRow(ctx, store, blobs, o, where, text, title, cl)
		if err != nil {
			return res, err
		}
		if !created {
			res.Unchanged++
			continue
		}
		res.Created++
		if o.Incidents {
			if err := createIncident(ctx, store, o, cl, title); err != nil {
				return res, err
			}
			res.Incidents++
		}
	}
}

func bomStrip(r io.Reader) io.Reader {
	br := &bomReader{r: r}
	return br
}

type bomReader struct {
	r    io.Reader
	done bool
}

func (b *bomReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if !b.done && n > 0 {
		b.done = true
		if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
			copy(p, p[3:n])
			n -= 3
		}
	}
	return n, err
}

// unsafeCell undoes safeCell's apostrophe.
func unsafeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// rowText renders a row as "column: value" lines and returns the span of
// each non-empty value.
func rowText(head, rec []string) (string, map[string]vigil.Span) {
	var b strings.Builder
	spans := map[string]vigil.Span{}
	for i, h := range head {
		if i >= len(rec) || strings.TrimSpace(rec[i]) == "" {
			continue
		}
		v := strings.TrimSpace(unsafeCell(rec[i]))
		name := strings.ToLower(strings.TrimSpace(h))
		b.WriteString(name + ": ")
		spans[name] = vigil.Span{Start: b.Len(), End: b.Len() + len(v), Text: v}
		b.WriteString(v + "\n")
	}
	return b.String(), spans
}

type rowBuilder struct {
	get   func(string) string
	spans map[string]vigil.Span
	where string
}

func (b *rowBuilder) span(names ...string) []vigil.Span {
	var out []vigil.Span
	for _, n := range names {
		if s, ok := b.spans[n]; ok {
			out = append(out, s)
		}
	}
	return out
}

func (b *rowBuilder) int(name string) (int, bool, error) {
	v := b.get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false, vigil.FieldErrorf(vigil.EINVALID, b.where, "%s: want a non-negative whole number, got %q", name, v)
	}
	return n, true, nil
}

func (b *rowBuilder) date(name string) (time.Time, error) {
	v := b.get(name)
	if len(v) >= 10 {
		if t, err := time.Parse("2006-01-02", v[:10]); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse("2 January 2006", v); err == nil {
		return t, nil
	}
	return time.Time{}, vigil.FieldErrorf(vigil.EINVALID, b.where, "%s: want a date YYYY-MM-DD, got %q", name, v)
}

func eventTypeForACLED(sub string) vigil.EventType {
	for _, t := range vigil.EventTypes() {
		if a, ok := t.ACLED(); ok && a.SubType != "" && strings.EqualFold(a.SubType, sub) {
			return t
		}
	}
	return vigil.EventOther
}

func precisionForACLED(geo string) vigil.PlacePrecision {
	switch geo {
	case "1":
		return vigil.PlaceTown
	case "2":
		return vigil.PlaceDistrict
	}
	return vigil.PlaceGovernorate
}

func (b *rowBuilder) place(name, adm1, adm2, adm3 string, prec vigil.PlacePrecision, spanNames ...string) (*vigil.Valued[vigil.Place], error) {
	p := vigil.Place{Name: name, Precision: prec, Admin: []vigil.AdminUnit{{Level: 0, Name: "Syria", PCode: "SY"}}}
	for lvl, n := range []string{adm1, adm2, adm3} {
		if n != "" {
			p.Admin = append(p.Admin, vigil.AdminUnit{Level: lvl + 1, Name: n})
		}
	}
	if p.Name == "" && adm1 == "" {
		return nil, nil
	}
	if p.Name == "" {
		p.Name = adm1
	}
	lat, lon := b.get("latitude"), b.get("longitude")
	if lat != "" && lon != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lon, 64)
		if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
			return nil, vigil.FieldErrorf(vigil.EINVALID, b.where, "latitude/longitude: want decimal degrees, got %q %q", lat, lon)
		}
		p.Lat, p.Lon = &la, &lo
	}
	return &vigil.Valued[vigil.Place]{Value: p, Spans: b.span(spanNames...)}, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (b *rowBuilder) sources(col string) []vigil.Source {
	var out []vigil.Source
	for _, n := range splitList(b.get(col)) {
		out = append(out, vigil.Source{Name: n, Type: vigil.SourceMedia, Sensitivity: vigil.Public, Spans: b.span(col)})
	}
	return out
}

func (b *rowBuilder) acled() (*vigil.Claim, string, error) {
	d, err := b.date("event_date")
	if err != nil {
		return nil, "", err
	}
	var fd vigil.FuzzyDate
	switch b.get("time_precision") {
	case "", "1":
		fd = vigil.Day(d.Year(), d.Month(), d.Day())
	case "2":
		fd = vigil.Between(vigil.Day(d.Year(), d.Month(), d.Day()), vigil.Day(d.Year(), d.Month(), d.Day()+6))
	default:
		if d.Day() == 1 {
			fd = vigil.Month(d.Year(), d.Month())
		} else {
			fd = vigil.Between(vigil.Day(d.Year(), d.Month(), d.Day()), vigil.Day(d.Year(), d.Month(), d.Day()+30))
		}
	}
	cl := &vigil.Claim{Extractor: "vigil import acled", Date: vigil.Valued[vigil.FuzzyDate]{Value: fd, Spans: b.span("event_date")}}
	cl.EventType = vigil.Valued[vigil.EventType]{Value: eventTypeForACLED(b.get("sub_event_type")), Spans: b.span("sub_event_type")}
	if cl.Place, err = b.place(b.get("location"), b.get("admin1"), b.get("admin2"), b.get("admin3"), precisionForACLED(b.get("geo_precision")), "location", "admin1"); err != nil {
		return nil, "", err
	}
	if a := b.get("actor1"); strings.HasPrefix(a, "Unidentified") {
		cl.Attribution.Unidentified = true
		cl.Attribution.Spans = b.span("actor1")
	} else if a != "" {
		cl.Attribution.Candidates = append(cl.Attribution.Candidates, vigil.PerpetratorCandidate{Actor: actorByName(a, false), Label: a, Spans: b.span("actor1")})
		for _, o := range splitList(b.get("assoc_actor_1")) {
			cl.Attribution.Candidates = append(cl.Attribution.Candidates, vigil.PerpetratorCandidate{Actor: actorByName(o, false), Label: o, Spans: b.span("assoc_actor_1")})
		}
		cl.Attribution.DeriveStatus()
	}
	n, ok, err := b.int("fatalities")
	if err != nil {
		return nil, "", err
	}
	if ok {
		f := vigil.Exact(vigil.Killed, vigil.CatTotal, n)
		f.Spans = b.span("fatalities")
		cl.Figures = append(cl.Figures, f)
	}
	if strings.EqualFold(b.get("civilian_targeting"), "Civilian targeting") && cl.EventType.Value != vigil.EventAttackCivilians {
		// Civilians were targeted; ACLED does not say how many died.
		cl.Figures = append(cl.Figures, vigil.Figure{Kind: vigil.Killed, Category: vigil.CatCivilians, Qualifier: vigil.QualAtLeast, Spans: b.span("civilian_targeting")})
	}
	cl.Sources = b.sources("source")
	cl.Summary = b.get("notes")
	title := cl.Summary
	if title == "" {
		title = fmt.Sprintf("ACLED %s", b.get("event_id_cnty"))
	}
	return cl, title, nil
}

func (b *rowBuilder) ucdp() (*vigil.Claim, string, error) {
	s, err := b.date("date_start")
	if err != nil {
		return nil, "", err
	}
	e, err := b.date("date_end")
	if err != nil {
		return nil, "", err
	}
	if e.Before(s) {
		return nil, "", vigil.FieldErrorf(vigil.EINVALID, b.where, "date_end %s before date_start %s", b.get("date_end"), b.get("date_start"))
	}
	var fd vigil.FuzzyDate
	switch {
	case s.Equal(e):
		fd = vigil.Day(s.Year(), s.Month(), s.Day())
	case s.Day() == 1 && e.Equal(s.AddDate(0, 1, -1)):
		fd = vigil.Month(s.Year(), s.Month())
	case s.YearDay() == 1 && e.Equal(s.AddDate(1, 0, -1)):
		fd = vigil.Year(s.Year())
	default:
		fd = vigil.Between(vigil.Day(s.Year(), s.Month(), s.Day()), vigil.Day(e.Year(), e.Month(), e.Day()))
	}
	cl := &vigil.Claim{Extractor: "vigil import ucdp", Date: vigil.Valued[vigil.FuzzyDate]{Value: fd, Spans: b.span("date_start", "date_end")}}
	et := vigil.EventArmedClash
	if b.get("type_of_violence") == "3" {
		et = vigil.EventAttackCivilians
	}
	cl.EventType = vigil.Valued[vigil.EventType]{Value: et, Spans: b.span("type_of_violence")}
	prec := vigil.PlaceCountry
	switch b.get("where_prec") {
	case "1", "2":
		prec = vigil.PlaceTown
	case "3":
		prec = vigil.PlaceDistrict
	case "4", "5":
		prec = vigil.PlaceGovernorate
	}
	adm1 := strings.TrimSuffix(b.get("adm_1"), " governorate")
	adm2 := strings.TrimSuffix(b.get("adm_2"), " district")
	if cl.Place, err = b.place(b.get("where_description"), adm1, adm2, "", prec, "where_description", "adm_1"); err != nil {
		return nil, "", err
	}
	if a := b.get("side_a"); a != "" {
		cl.Attribution.Candidates = []vigil.PerpetratorCandidate{{Actor: actorByName(a, true), Label: a, Status: vigil.Alleged, Spans: b.span("side_a")}}
	}
	low, okLow, err := b.int("low")
	if err != nil {
		return nil, "", err
	}
	high, okHigh, err := b.int("high")
	if err != nil {
		return nil, "", err
	}
	if okLow {
		f := vigil.Figure{Kind: vigil.Killed, Category: vigil.CatTotal, Min: low, Qualifier: vigil.QualAtLeast, Spans: b.span("low", "high")}
		if okHigh {
			if high < low {
				return nil, "", vigil.FieldErrorf(vigil.EINVALID, b.where, "high %d below low %d", high, low)
			}
			f.Max, f.Qualifier = &high, vigil.QualExact
		}
		cl.Figures = append(cl.Figures, f)
	}
	if n, ok, err := b.int("deaths_civilians"); err != nil {
		return nil, "", err
	} else if ok {
		f := vigil.Exact(vigil.Killed, vigil.CatCivilians, n)
		f.Spans = b.span("deaths_civilians")
		cl.Figures = append(cl.Figures, f)
	}
	cl.Sources = b.sources("source_article")
	cl.Summary = b.get("source_headline")
	title := cl.Summary
	if title == "" {
		title = fmt.Sprintf("UCDP GED event %s", b.get("id"))
	}
	return cl, title, nil
}

func storeRow(ctx context.Context, store vigil.Store, blobs vigil.BlobStore, o ImportOptions, where, text, title string, cl *vigil.Claim) (bool, error) {
	sum := sha256.Sum256([]byte(text))
	sha := hex.EncodeToString(sum[:])
	if blobs != nil {
		if _, err := blobs.Put(ctx, []byte(text)); err != nil {
			return false, err
		}
	}
	publisher := "ACLED"
	if o.Format == "ucdp" {
		publisher = "UCDP GED"
	}
	doc := &vigil.Document{SHA256: sha, Size: int64(len(text)), MediaType: "text/plain; charset=utf-8", Filename: where,
		Title: title, Publisher: publisher, Language: "en", Captured: o.Now(), Kind: "dataset_row",
		Note: fmt.Sprintf("imported from %s-shaped CSV %s", strings.ToUpper(o.Format), where), Text: text}
	stored, created, err := store.CreateDocument(ctx, doc, &vigil.CustodyEvent{Action: vigil.CustodyIngested, Actor: o.Actor, At: o.Now(), SHA256: sha, Detail: "import " + where})
	if err != nil {
		return false, err
	}
	if !created {
		return false, nil
	}
	cl.DocumentID = stored.ID
	if err := store.ReplaceClaims(ctx, stored.ID, []*vigil.Claim{cl}); err != nil {
		return false, err
	}
	return true, nil
}

// createIncident makes the incident a single dataset row describes.
func createIncident(ctx context.Context, store vigil.Store, o ImportOptions, cl *vigil.Claim, title string) error {
	var names []string
	for _, s := range cl.Sources {
		names = append(names, s.Name)
	}
	inc := &vigil.Incident{Title: title, EventType: cl.EventType.Value, Date: cl.Date.Value, Attribution: cl.Attribution,
		ClaimIDs: []int64{cl.ID}, DocumentIDs: []int64{cl.DocumentID}, Sources: cl.Sources, Review: vigil.ReviewNew}
	inc.Attribution.Spans = nil
	for i := range inc.Attribution.Candidates {
		inc.Attribution.Candidates[i].Spans = nil
		inc.Attribution.Candidates[i].AllegedBy = names
	}
	for i := range inc.Sources {
		inc.Sources[i].Spans = nil
	}
	if cl.Place != nil {
		p := cl.Place.Value
		inc.Place = &p
	}
	for _, f := range cl.Figures {
		sf := vigil.SourcedFigure{Figure: f, ClaimID: cl.ID, DocumentID: cl.DocumentID, Source: strings.Join(names, "; ")}
		sf.Spans = nil
		inc.Figures = append(inc.Figures, vigil.FigureRange{Kind: f.Kind, Category: f.Category, Min: f.Min, Max: f.Max,
			MinSources: names, MaxSources: names, BySource: []vigil.SourcedFigure{sf}})
	}
	if err := store.CreateIncident(ctx, inc, &vigil.AuditEntry{Actor: o.Actor, Action: "create", Reason: "imported from " + o.File}); err != nil {
		return err
	}
	return store.PlaceClaim(ctx, &vigil.MatchDecision{ClaimID: cl.ID, IncidentID: inc.ID, Outcome: vigil.MatchNew, Score: 1, DecidedBy: o.Actor,
		Features: []vigil.MatchFeature{{Name: "import", Score: 1, Weight: 1, Detail: "one incident per dataset row"}}})
}
