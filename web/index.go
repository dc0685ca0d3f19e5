package web

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Index is an in-memory projection of every incident's filterable and
// countable fields (no names, no text, no restricted values), which answers
// the map and the aggregate calls in milliseconds at 100,000 incidents
// instead of decoding every stored incident per request. It is built once
// from the store and kept current from the audit log: every change the
// review service or the resolver makes writes an audit entry naming the
// incident, and the index reloads just those incidents. A full rebuild runs
// when the count of incidents changes otherwise (an incident created
// without an audit entry) and at most every Refresh.
type Index struct {
	Store vigil.IncidentService
	// Refresh is how often the index looks for changes (default 2 s) and
	// Rebuild how often it rebuilds from scratch (default 10 minutes).
	Refresh, Rebuild time.Duration

	mu        sync.RWMutex
	rows      map[int64]*row
	sorted    []*row // by date desc, id desc
	audits    int    // audit entries on incidents seen
	count     int    // incidents in the store at the last build
	checked   time.Time
	built     time.Time
	building  sync.Mutex
	buildOnce bool
}

// row is one incident's projection.
type row struct {
	ID                     int64
	Title                  string
	Earliest, Latest       time.Time
	Date                   string
	EventType              vigil.EventType
	Gov, GovName           string
	PCodes                 []string
	Actors                 []string
	Facilities             []vigil.FacilityType
	Grade                  vigil.Grade
	Review                 vigil.ReviewState
	Children, Dup          bool
	Place                  string
	Lat, Lon               float64
	HasPoint               bool
	Precision              vigil.PlacePrecision
	KMin, KMax, IMin, IMax int
	KOpen, IOpen           bool // no upper bound
	HasK, HasI             bool
	Merged                 bool
}

// NewIndex returns an index over store; it builds on first use.
func NewIndex(store vigil.IncidentService) *Index {
	return &Index{Store: store, rows: map[int64]*row{}}
}

func project(inc *vigil.Incident) *row {
	r := &row{ID: inc.ID, Title: inc.Title, EventType: inc.EventType, Grade: inc.Grade, Review: inc.Review,
		Earliest: inc.Date.Earliest, Latest: inc.Date.Latest, Date: inc.Date.String(), Dup: len(inc.PossibleDuplicates) > 0, Merged: inc.MergedInto != 0}
	if p := inc.Place; p != nil {
		r.Place, r.Precision = p.Name, p.Precision
		if g := p.Governorate(); g != nil {
			r.Gov, r.GovName = g.PCode, g.Name
		}
		if p.PCode != "" {
			r.PCodes = append(r.PCodes, p.PCode)
		}
		for _, a := range p.Admin {
			if a.PCode != "" && !slices.Contains(r.PCodes, a.PCode) {
				r.PCodes = append(r.PCodes, a.PCode)
			}
		}
		if p.HasPoint() {
			r.Lat, r.Lon, r.HasPoint = *p.Lat, *p.Lon, true
		}
	}
	for _, c := range inc.Attribution.Candidates {
		if !slices.Contains(r.Actors, c.Actor) {
			r.Actors = append(r.Actors, c.Actor)
		}
	}
	for _, f := range inc.Facilities {
		r.Facilities = append(r.Facilities, f.Type)
	}
	for _, f := range inc.Figures {
		if f.Category == vigil.CatChildren && (f.Min > 0 || f.Max == nil || *f.Max > 0) {
			r.Children = true
		}
		if f.Category != vigil.CatTotal {
			continue
		}
		switch f.Kind {
		case vigil.Killed:
			r.HasK, r.KMin, r.KMax, r.KOpen = true, f.Min, f.Min, f.Max == nil
			if f.Max != nil {
				r.KMax = *f.Max
			}
		case vigil.Injured:
			r.HasI, r.IMin, r.IMax, r.IOpen = true, f.Min, f.Min, f.Max == nil
			if f.Max != nil {
				r.IMax = *f.Max
			}
		}
	}
	for _, v := range inc.Victims {
		if v.Minor {
			r.Children = true
		}
	}
	return r
}

func (x *Index) resort() {
	x.sorted = x.sorted[:0]
	for _, r := range x.rows {
		x.sorted = append(x.sorted, r)
	}
	slices.SortFunc(x.sorted, func(a, b *row) int {
		if c := b.Earliest.Compare(a.Earliest); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
}

// Build loads every incident from the store.
func (x *Index) Build(ctx context.Context) error {
	x.building.Lock()
	defer x.building.Unlock()
	audits, err := x.auditCount(ctx)
	if err != nil {
		return err
	}
	rows := map[int64]*row{}
	total := 0
	for off := 0; ; {
		page, t, err := x.Store.FindIncidents(ctx, vigil.IncidentFilter{Offset: off, Limit: vigil.MaxPageSize})
		if err != nil {
			return err
		}
		total = t
		for _, inc := range page {
			rows[inc.ID] = project(inc)
		}
		off += len(page)
		if len(page) == 0 || off >= t {
			break
		}
	}
	x.mu.Lock()
	x.rows, x.audits, x.count, x.built, x.checked, x.buildOnce = rows, audits, total, time.Now(), time.Now(), true
	x.resort()
	x.mu.Unlock()
	return nil
}

func (x *Index) auditCount(ctx context.Context) (int, error) {
	_, n, err := x.Store.AuditLog(ctx, vigil.AuditFilter{Entity: "incident", Limit: 1})
	return n, err
}

// fresh makes sure the index is built and reasonably current.
func (x *Index) fresh(ctx context.Context) error {
	x.mu.RLock()
	built, checked := x.buildOnce, x.checked
	x.mu.RUnlock()
	refresh, rebuild := cmp.Or(x.Refresh, 2*time.Second), cmp.Or(x.Rebuild, 10*time.Minute)
	if !built || time.Since(x.built) > rebuild {
		return x.Build(ctx)
	}
	if time.Since(checked) < refresh {
		return nil
	}
	rebuildNow, err := x.update(ctx)
	if err != nil || !rebuildNow {
		return err
	}
	return x.Build(ctx)
}

// update reloads the incidents named by audit entries written since the
// last look.
func (x *Index) update(ctx context.Context) (rebuild bool, err error) {
	x.building.Lock()
	defer x.building.Unlock()
	x.mu.RLock()
	seen := x.audits
	x.mu.RUnlock()
	n, err := x.auditCount(ctx)
	if err != nil {
		return false, err
	}
	_, total, err := x.Store.FindIncidents(ctx, vigil.IncidentFilter{Limit: 1})
	if err != nil {
		return false, err
	}
	var ids []int64
	for off := seen; off < n; off += vigil.MaxPageSize {
		entries, _, err := x.Store.AuditLog(ctx, vigil.AuditFilter{Entity: "incident", Offset: off, Limit: vigil.MaxPageSize})
		if err != nil {
			return false, err
		}
		for _, e := range entries {
			if !slices.Contains(ids, e.EntityID) {
				ids = append(ids, e.EntityID)
			}
		}
		if len(entries) == 0 {
			break
		}
	}
	changed := map[int64]*row{}
	for i := 0; i < len(ids); i += vigil.MaxPageSize {
		j := min(i+vigil.MaxPageSize, len(ids))
		page, _, err := x.Store.FindIncidents(ctx, vigil.IncidentFilter{IDs: ids[i:j], Limit: vigil.MaxPageSize})
		if err != nil {
			return false, err
		}
		for _, inc := range page {
			changed[inc.ID] = project(inc)
		}
	}
	x.mu.Lock()
	for _, id := range ids {
		if r, ok := changed[id]; ok {
			x.rows[id] = r
		} else {
			delete(x.rows, id)
		}
	}
	x.audits, x.checked = n, time.Now()
	if len(ids) > 0 {
		x.resort()
	}
	// Incidents created without an audit entry show as a count mismatch:
	// rebuild.
	stale := len(x.rows) != total
	x.count = total
	x.mu.Unlock()
	return stale, nil
}

// match reports whether r passes the filter (the store's semantics: see
// sqlite FindIncidents). Full-text queries are answered by the store and
// passed in as ids.
func match(r *row, f *vigil.IncidentFilter, ids map[int64]bool) bool {
	if f.PublishedOnly && r.Review != vigil.ReviewPublished {
		return false
	}
	if ids != nil && !ids[r.ID] {
		return false
	}
	if len(f.IDs) > 0 && !slices.Contains(f.IDs, r.ID) {
		return false
	}
	if f.EventType != "" && r.EventType != f.EventType {
		return false
	}
	if f.Governorate != "" && r.Gov != f.Governorate && !strings.EqualFold(r.GovName, f.Governorate) {
		return false
	}
	if f.PCode != "" && !slices.Contains(r.PCodes, f.PCode) {
		return false
	}
	if f.Perpetrator != "" && !slices.Contains(r.Actors, f.Perpetrator) {
		return false
	}
	if f.FacilityType != "" && !slices.Contains(r.Facilities, f.FacilityType) {
		return false
	}
	if f.From != nil && (r.Latest.IsZero() || r.Latest.Before(*f.From)) {
		return false
	}
	if f.To != nil && (r.Earliest.IsZero() || !r.Earliest.Before(*f.To)) {
		return false
	}
	if f.Grade != "" && r.Grade != f.Grade {
		return false
	}
	if f.Review != "" && r.Review != f.Review {
		return false
	}
	if f.HasChildren && !r.Children {
		return false
	}
	return true
}

// queryIDs asks the store which incidents match a full-text query.
func (x *Index) queryIDs(ctx context.Context, f vigil.IncidentFilter) (map[int64]bool, error) {
	if strings.TrimSpace(f.Query) == "" {
		return nil, nil
	}
	ids := map[int64]bool{}
	q := vigil.IncidentFilter{Query: f.Query, PublishedOnly: f.PublishedOnly, Limit: vigil.MaxPageSize}
	for {
		page, total, err := x.Store.FindIncidents(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, inc := range page {
			ids[inc.ID] = true
		}
		q.Offset += len(page)
		if len(page) == 0 || q.Offset >= total {
			return ids, nil
		}
	}
}

// each calls fn for every row matching f (PublishedOnly already set for
// the public), newest first, under the read lock.
func (x *Index) each(ctx context.Context, f vigil.IncidentFilter, fn func(*row) bool) error {
	if err := x.fresh(ctx); err != nil {
		return err
	}
	ids, err := x.queryIDs(ctx, f)
	if err != nil {
		return err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, r := range x.sorted {
		if match(r, &f, ids) && !fn(r) {
			return nil
		}
	}
	return nil
}

// Len returns the number of incidents indexed.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.rows)
}

// Bucket is one group of an aggregate: incidents and killed and injured
// as sums of minima and of maxima (a min-max band); Open counts incidents
// whose maximum is unbounded, whose minimum then stands in for the maximum.
type Bucket struct {
	Key        string `json:"key"`
	Label      string `json:"label,omitempty"`
	Incidents  int    `json:"incidents"`
	KilledMin  int    `json:"killed_min"`
	KilledMax  int    `json:"killed_max"`
	KilledOpen int    `json:"killed_open,omitempty"`
	InjuredMin int    `json:"injured_min"`
	InjuredMax int    `json:"injured_max"`
	InjOpen    int    `json:"injured_open,omitempty"`
}

func (b *Bucket) add(r *row) {
	b.Incidents++
	b.KilledMin += r.KMin
	b.KilledMax += r.KMax
	b.InjuredMin += r.IMin
	b.InjuredMax += r.IMax
	if r.KOpen {
		b.KilledOpen++
	}
	if r.IOpen {
		b.InjOpen++
	}
}

// Aggregate groups matching incidents by day, week, month, year,
// perpetrator, governorate, event type or grade. Time buckets are keyed by
// ISO 8601 (2016-08-17, 2016-W33, 2016-08, 2016) on each incident's
// earliest date, and every bucket between the first and last is present;
// merged incidents are left out (their claims count in the target).
func (x *Index) Aggregate(ctx context.Context, f vigil.IncidentFilter, by string) ([]Bucket, error) {
	key, timeKey := keyFunc(by)
	if key == nil {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "by", "want day, week, month, year, perpetrator, governorate, type or grade, got %q", by)
	}
	m := map[string]*Bucket{}
	err := x.each(ctx, f, func(r *row) bool {
		if r.Merged {
			return true
		}
		for _, k := range key(r) {
			b := m[k]
			if b == nil {
				b = &Bucket{Key: k}
				if by == "governorate" {
					b.Label = r.GovName
				}
				m[k] = b
			}
			b.add(r)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	out := make([]Bucket, 0, len(m))
	for _, b := range m {
		out = append(out, *b)
	}
	if timeKey {
		slices.SortFunc(out, func(a, b Bucket) int { return strings.Compare(a.Key, b.Key) })
		out = fillGaps(out, by)
	} else {
		slices.SortFunc(out, func(a, b Bucket) int {
			return cmp.Or(cmp.Compare(b.Incidents, a.Incidents), strings.Compare(a.Key, b.Key))
		})
	}
	return out, nil
}

func keyFunc(by string) (func(*row) []string, bool) {
	timeFmt := func(f func(time.Time) string) func(*row) []string {
		return func(r *row) []string {
			if r.Earliest.IsZero() {
				return nil
			}
			return []string{f(r.Earliest)}
		}
	}
	switch by {
	case "day":
		return timeFmt(func(t time.Time) string { return t.Format("2006-01-02") }), true
	case "week":
		return timeFmt(isoWeek), true
	case "month", "":
		return timeFmt(func(t time.Time) string { return t.Format("2006-01") }), true
	case "year":
		return timeFmt(func(t time.Time) string { return t.Format("2006") }), true
	case "perpetrator":
		return func(r *row) []string {
			if len(r.Actors) == 0 {
				return []string{"unidentified"}
			}
			return r.Actors
		}, false
	case "governorate":
		return func(r *row) []string {
			if r.Gov == "" {
				return []string{"unknown"}
			}
			return []string{r.Gov}
		}, false
	case "type":
		return func(r *row) []string { return []string{string(r.EventType)} }, false
	case "grade":
		return func(r *row) []string { return []string{cmp.Or(string(r.Grade), "ungraded")} }, false
	}
	return nil, false
}

func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// fillGaps inserts empty buckets so that a timeline has no missing
// periods (capped at 5000 buckets).
func fillGaps(bs []Bucket, by string) []Bucket {
	if len(bs) < 2 {
		return bs
	}
	parse := map[string]string{"day": "2006-01-02", "month": "2006-01", "": "2006-01", "year": "2006"}
	next := func(k string) (string, bool) {
		if by == "week" {
			d, err := vigil.ParseFuzzyDate(k)
			if err != nil {
				return "", false
			}
			return isoWeek(d.Earliest.AddDate(0, 0, 7)), true
		}
		t, err := time.Parse(parse[by], k)
		if err != nil {
			return "", false
		}
		switch by {
		case "day":
			t = t.AddDate(0, 0, 1)
		case "year":
			t = t.AddDate(1, 0, 0)
		default:
			t = t.AddDate(0, 1, 0)
		}
		return t.Format(parse[by]), true
	}
	out := []Bucket{bs[0]}
	for i := 1; i < len(bs); i++ {
		k := out[len(out)-1].Key
		for len(out) < 5000 {
			n, ok := next(k)
			if !ok || n >= bs[i].Key {
				break
			}
			out = append(out, Bucket{Key: n})
			k = n
		}
		out = append(out, bs[i])
	}
	return out
}

// Point is one incident on the map.
type Point struct {
	ID        int64   `json:"id"`
	Title     string  `json:"title"`
	Date      string  `json:"date"`
	Place     string  `json:"place"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Precision string  `json:"precision"`
	KilledMin int     `json:"killed_min"`
	KilledMax *int    `json:"killed_max"`
	Type      string  `json:"type"`
}

// Points returns up to limit matching incidents with coordinates, and how
// many matched in all.
func (x *Index) Points(ctx context.Context, f vigil.IncidentFilter, limit int) ([]Point, int, error) {
	var out []Point
	n := 0
	err := x.each(ctx, f, func(r *row) bool {
		if !r.HasPoint || r.Merged {
			return true
		}
		n++
		if len(out) < limit {
			p := Point{ID: r.ID, Title: r.Title, Date: r.Date, Place: r.Place, Lat: r.Lat, Lon: r.Lon, Precision: r.Precision.String(), KilledMin: r.KMin, Type: string(r.EventType)}
			if !r.KOpen && r.HasK {
				k := r.KMax
				p.KilledMax = &k
			}
			out = append(out, p)
		}
		return true
	})
	return out, n, err
}

// Duplicates returns the ids of incidents flagged as possible duplicates
// that are still open (new or in review).
func (x *Index) Duplicates(ctx context.Context, limit int) ([]int64, error) {
	var ids []int64
	err := x.each(ctx, vigil.IncidentFilter{}, func(r *row) bool {
		if r.Dup && !r.Merged && (r.Review == vigil.ReviewNew || r.Review == vigil.ReviewInReview) {
			ids = append(ids, r.ID)
		}
		return len(ids) < limit
	})
	return ids, err
}

// MatchingIDs returns the ids of the incidents matching f, newest first
// (export.IDLister).
func (x *Index) MatchingIDs(ctx context.Context, f vigil.IncidentFilter) ([]int64, error) {
	var ids []int64
	err := x.each(ctx, f, func(r *row) bool {
		ids = append(ids, r.ID)
		return true
	})
	return ids, err
}
