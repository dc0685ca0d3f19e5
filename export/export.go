// Package export writes incidents in the formats people take away (CSV,
// HXL-tagged CSV, GeoJSON, XLSX, JSON, ACLED-shaped and UCDP-GED-shaped CSV)
// and imports ACLED- and UCDP-shaped CSV as source documents.
//
// Exports stream: they page through the incident service (review.Service)
// with a fixed page size, so memory stays flat in the number of incidents,
// and the service's rules apply to every row: a nil user (the public) gets
// published incidents only, with restricted values withheld.
package export

import (
	"context"
	"io"
	"slices"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/review"
)

// PageSize is how many incidents an export reads at a time.
const PageSize = 500

// Format is one export format.
type Format struct {
	Name      string // csv, hxl, geojson, xlsx, json, acled, ucdp
	Extension string // as in incidents.EXT
	MediaType string
	write     func(ctx context.Context, w io.Writer, src *Source) error
}

// Formats lists every export format.
func Formats() []Format {
	return []Format{
		{"csv", "csv", "text/csv; charset=utf-8", writeCSV(false)},
		{"hxl", "hxl.csv", "text/csv; charset=utf-8", writeCSV(true)},
		{"geojson", "geojson", "application/geo+json", writeGeoJSON},
		{"xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", writeXLSX},
		{"json", "json", "application/json; charset=utf-8", writeJSON},
		{"acled", "acled.csv", "text/csv; charset=utf-8", writeACLED},
		{"ucdp", "ucdp.csv", "text/csv; charset=utf-8", writeUCDP},
	}
}

// Extensions lists the file extensions of the formats.
func Extensions() []string {
	var out []string
	for _, f := range Formats() {
		out = append(out, f.Extension)
	}
	return out
}

// Names lists the format names.
func Names() []string {
	var out []string
	for _, f := range Formats() {
		out = append(out, f.Name)
	}
	return out
}

// ByName returns the format with this name (or extension).
func ByName(name string) (Format, error) {
	for _, f := range Formats() {
		if f.Name == name || f.Extension == name {
			return f, nil
		}
	}
	return Format{}, vigil.FieldErrorf(vigil.EINVALID, "format", "unknown export format %q: want one of %s", name, strings.Join(Names(), ", "))
}

// ByExtension returns the format with this file extension.
func ByExtension(ext string) (Format, error) {
	for _, f := range Formats() {
		if f.Extension == ext {
			return f, nil
		}
	}
	return Format{}, vigil.Errorf(vigil.ENOTFOUND, "no export incidents.%s: want one of incidents.{%s}", ext, strings.Join(Extensions(), ","))
}

// IDLister lists the ids of the incidents that match a filter, in the
// incident service's order (newest first, then highest id). The web
// package's Index implements it from memory.
type IDLister interface {
	MatchingIDs(ctx context.Context, f vigil.IncidentFilter) ([]int64, error)
}

// Option configures an export.
type Option func(*Source)

// WithIDs makes the export look up the matching ids first (from memory)
// and then read the incidents through the service by id, a page at a time,
// instead of paging with an offset, which the store answers more slowly
// the deeper the page. The service still applies its rules to every page
// (the public gets published incidents only, redacted), so an id list that
// is a moment out of date can only leave incidents out, never let one in.
func WithIDs(l IDLister) Option { return func(s *Source) { s.lister = l } }

// Source pages through the incidents an export covers.
type Source struct {
	svc    *review.Service
	user   *vigil.User
	filter vigil.IncidentFilter
	max    int // the filter's own limit, 0 for all
	total  int
	seen   int
	off    int
	done   bool
	lister IDLister
	ids    []int64
	listed bool
}

// NewSource returns a pager over the incidents the user may see that match f.
// f.Limit, if set, caps the number of incidents; f.Offset is where to start.
func NewSource(svc *review.Service, u *vigil.User, f vigil.IncidentFilter, opts ...Option) *Source {
	s := &Source{svc: svc, user: u, filter: f, max: f.Limit, off: f.Offset}
	for _, o := range opts {
		o(s)
	}
	return s
}

// nextByID returns the next page of incidents by id.
func (s *Source) nextByID(ctx context.Context) ([]*vigil.Incident, error) {
	if !s.listed {
		f := s.filter
		if !s.user.Can(vigil.RoleViewer) {
			f.PublishedOnly = true
		}
		ids, err := s.lister.MatchingIDs(ctx, f)
		if err != nil {
			return nil, err
		}
		ids = ids[min(len(ids), s.filter.Offset):]
		if s.max > 0 && len(ids) > s.max {
			ids = ids[:s.max]
		}
		s.ids, s.total, s.listed = ids, len(ids)+s.filter.Offset, true
	}
	for len(s.ids) > 0 {
		n := min(PageSize, len(s.ids))
		chunk := s.ids[:n]
		s.ids = s.ids[n:]
		list, _, err := s.svc.List(ctx, s.user, vigil.IncidentFilter{IDs: chunk, Limit: n})
		if err != nil {
			return nil, err
		}
		if len(list) > 0 {
			return list, nil
		}
	}
	s.done = true
	return nil, nil
}

// Next returns the next page, or nil at the end.
func (s *Source) Next(ctx context.Context) ([]*vigil.Incident, error) {
	if s.done {
		return nil, nil
	}
	if s.lister != nil {
		return s.nextByID(ctx)
	}
	f := s.filter
	f.Offset, f.Limit = s.off, PageSize
	if s.max > 0 && s.max-s.seen < PageSize {
		f.Limit = s.max - s.seen
	}
	if f.Limit <= 0 {
		s.done = true
		return nil, nil
	}
	list, total, err := s.svc.List(ctx, s.user, f)
	if err != nil {
		return nil, err
	}
	s.total = total
	s.off += len(list)
	s.seen += len(list)
	if len(list) < f.Limit || s.off >= total {
		s.done = true
	}
	if len(list) == 0 {
		return nil, nil
	}
	return list, nil
}

// Total is the number of matching incidents, known after the first page.
func (s *Source) Total() int {
	if s.max > 0 && s.max < s.total-s.filter.Offset {
		return s.max
	}
	return max(0, s.total-s.filter.Offset)
}

// Each calls fn for every incident.
func (s *Source) Each(ctx context.Context, fn func(*vigil.Incident) error) error {
	for {
		page, err := s.Next(ctx)
		if err != nil || page == nil {
			return err
		}
		for _, inc := range page {
			if err := fn(inc); err != nil {
				return err
			}
		}
	}
}

// Write streams the incidents u may see that match f to w in format fm.
func Write(ctx context.Context, w io.Writer, svc *review.Service, u *vigil.User, f vigil.IncidentFilter, fm Format, opts ...Option) error {
	return fm.write(ctx, w, NewSource(svc, u, f, opts...))
}

// sourceNames lists the names of an incident's sources (for the public,
// anonymous ones are already reduced to their type by the service).
func sourceNames(inc *vigil.Incident) []string {
	var names []string
	for _, s := range inc.Sources {
		if !slices.Contains(names, s.Name) {
			names = append(names, s.Name)
		}
	}
	return names
}
