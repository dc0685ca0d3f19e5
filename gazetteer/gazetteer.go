// Package gazetteer resolves place names in Syria to vigil.Place values with
// their administrative hierarchy, p-codes, coordinates and precision.
//
// A Gazetteer indexes every name of a place (English name, Arabic name and
// variants) under Key(name). Lookup is an exact match on a key and returns
// every place with that name, most specific first (see Lookup). The built-in
// gazetteer (Builtin) covers Syria's governorates, districts, main towns and
// the neighbourhoods of Aleppo and Damascus; OCHA COD-AB and GeoNames files
// can be imported on top of it (ImportOCHACSV, ImportOCHAGeoJSON,
// ImportGeoNames), stored through a vigil.PlaceService and loaded back with
// LoadFrom. Imported polygons let Locate find the smallest unit containing a
// point.
//
// Places handed out by a Gazetteer are shared: callers must not modify them
// (copy with Clone first).
package gazetteer

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	vigil "github.com/vigil-rec/vigil"
)

// Source ranks, used to order places of equal precision in Lookup: the
// hand-written built-in entries come first, then OCHA, then GeoNames, then
// anything else.
const (
	rankBuiltin = iota
	rankOCHA
	rankGeoNames
	rankOther
)

// Gazetteer is an index of places by name key, p-code, id and polygon. It is
// safe for concurrent use: any number of readers, and writers (Add) that
// exclude readers while they run.
type Gazetteer struct {
	mu       sync.RWMutex
	frozen   bool
	byKey    map[string][]*vigil.Place
	byID     map[string]*vigil.Place
	byPCode  map[string]*vigil.Place
	order    []string // ids in insertion order
	meta     map[*vigil.Place]meta
	polys    []poly // sorted by area, smallest first
	maxWords int
}

type meta struct {
	rank int // source rank
	seq  int // insertion sequence, for a stable order
}

type poly struct {
	id    string
	bound orb.Bound
	geom  orb.MultiPolygon
	area  float64
}

// New returns an empty gazetteer.
func New() *Gazetteer {
	return &Gazetteer{
		byKey:   make(map[string][]*vigil.Place),
		byID:    make(map[string]*vigil.Place),
		byPCode: make(map[string]*vigil.Place),
		meta:    make(map[*vigil.Place]meta),
	}
}

// Clone returns an independent copy of g that can be extended with Add
// (places themselves are shared, as they are never modified).
func (g *Gazetteer) Clone() *Gazetteer {
	g.mu.RLock()
	defer g.mu.RUnlock()
	c := &Gazetteer{
		byKey:    make(map[string][]*vigil.Place, len(g.byKey)),
		byID:     make(map[string]*vigil.Place, len(g.byID)),
		byPCode:  make(map[string]*vigil.Place, len(g.byPCode)),
		order:    append([]string(nil), g.order...),
		meta:     make(map[*vigil.Place]meta, len(g.meta)),
		polys:    append([]poly(nil), g.polys...),
		maxWords: g.maxWords,
	}
	for k, v := range g.byKey {
		c.byKey[k] = append([]*vigil.Place(nil), v...)
	}
	for k, v := range g.byID {
		c.byID[k] = v
	}
	for k, v := range g.byPCode {
		c.byPCode[k] = v
	}
	for k, v := range g.meta {
		c.meta[k] = v
	}
	return c
}

// Add indexes places under Key of their Name, NameAR and Variants, and by ID
// and p-code. A place without an ID gets its p-code, or else an id made of
// its names, as ID. A place whose ID is already present is merged into the
// existing one: names not yet known become variants, missing fields are
// filled, and the longer admin hierarchy wins. Admin units that carry a
// p-code but no name are named from the gazetteer. Add panics on the shared
// built-in gazetteer: extend Builtin().Clone() instead.
func (g *Gazetteer) Add(places ...*vigil.Place) {
	g.add(rankFor, places...)
}

func rankFor(p *vigil.Place) int {
	switch {
	case strings.HasPrefix(p.ID, "geonames:"):
		return rankGeoNames
	case p.ID != "" && p.ID == p.PCode:
		return rankOCHA
	}
	return rankOther
}

func (g *Gazetteer) add(rank func(*vigil.Place) int, places ...*vigil.Place) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.frozen {
		panic("gazetteer: Add on the shared built-in gazetteer; use Builtin().Clone()")
	}
	for _, p := range places {
		if p == nil {
			continue
		}
		g.addLocked(p, rank(p))
	}
}

func (g *Gazetteer) addLocked(p *vigil.Place, rank int) {
	p = g.completed(p)
	if old, ok := g.byID[p.ID]; ok {
		m := g.meta[old]
		if rank < m.rank {
			m.rank = rank
		}
		merged := mergePlaces(old, p)
		g.removeLocked(old)
		g.meta[merged] = m
		g.indexLocked(merged)
		return
	}
	if twin := g.findTwin(p, rank); twin != nil {
		g.mergeLocked(twin, p)
		return
	}
	g.meta[p] = meta{rank: rank, seq: len(g.order)}
	g.order = append(g.order, p.ID)
	g.indexLocked(p)
}

// Enrich merges each place into the place of a more authoritative source
// that it describes again (the twins of Add: same precision and admin
// level, a name in common, the same governorate, points close by) and
// leaves out the others. It returns how many it merged. A list of uneven
// quality (Syrian Archive's located places, whose names include ordinary
// words) thereby corrects the points, names and hierarchy of the places
// already known without adding names of its own.
func (g *Gazetteer) Enrich(places ...*vigil.Place) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.frozen {
		panic("gazetteer: Enrich on the shared built-in gazetteer; use Builtin().Clone()")
	}
	n := 0
	for _, p := range places {
		if p == nil {
			continue
		}
		p = g.completed(p)
		twin := g.findTwin(p, rankFor(p))
		if twin == nil {
			continue
		}
		g.mergeLocked(twin, p)
		n++
	}
	return n
}

// findTwin returns the place from a more authoritative source (built-in
// before OCHA before GeoNames) that p describes again: same precision and
// admin level, a name in common, no conflicting p-code, the same
// governorate, and (when both have points) close enough. Imports thereby
// enrich the built-in entries (p-codes, variants) instead of duplicating
// them.
func (g *Gazetteer) findTwin(p *vigil.Place, rank int) *vigil.Place {
	var best *vigil.Place
	for _, n := range names(p) {
		for _, c := range g.byKey[Key(n)] {
			if c == best || g.meta[c].rank >= rank || c.Precision != p.Precision || lastLevel(c) != lastLevel(p) {
				continue
			}
			if c.PCode != "" && p.PCode != "" && c.PCode != p.PCode {
				continue
			}
			gc, gp := c.Governorate(), p.Governorate()
			if gc != nil && gp != nil && gc.PCode != "" && gp.PCode != "" && gc.PCode != gp.PCode {
				continue
			}
			if c.HasPoint() && p.HasPoint() {
				if distanceKm(*c.Lat, *c.Lon, *p.Lat, *p.Lon) > twinDistanceKm(p.Precision) {
					continue
				}
			} else if gc == nil || gp == nil {
				continue
			}
			if best == nil || g.less(c, best) {
				best = c
			}
		}
	}
	return best
}

func lastLevel(p *vigil.Place) int {
	if len(p.Admin) == 0 {
		return -1
	}
	return p.Admin[len(p.Admin)-1].Level
}

func twinDistanceKm(prec vigil.PlacePrecision) float64 {
	switch prec {
	case vigil.PlaceNeighbourhood:
		return 3
	case vigil.PlaceTown:
		return 8
	case vigil.PlaceDistrict:
		return 40
	}
	return 200
}

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

func (g *Gazetteer) needsAdminNames(p *vigil.Place) bool {
	for _, a := range p.Admin {
		if a.Name == "" && a.PCode != "" {
			if _, ok := g.byPCode[a.PCode]; ok {
				return true
			}
		}
	}
	return false
}

func (g *Gazetteer) nameAdmin(p *vigil.Place) {
	for i := range p.Admin {
		a := &p.Admin[i]
		if a.PCode == "" || (a.Name != "" && a.NameAR != "") {
			continue
		}
		if q, ok := g.byPCode[a.PCode]; ok {
			if a.Name == "" {
				a.Name = q.Name
			}
			if a.NameAR == "" {
				a.NameAR = q.NameAR
			}
		}
	}
}

func (g *Gazetteer) indexLocked(p *vigil.Place) {
	g.byID[p.ID] = p
	if p.PCode != "" {
		if q, ok := g.byPCode[p.PCode]; !ok || g.less(p, q) {
			g.byPCode[p.PCode] = p
		}
	}
	seen := make(map[string]bool, 2+len(p.Variants))
	for _, n := range names(p) {
		if w := countWords(n); w > g.maxWords {
			g.maxWords = w
		}
		k := Key(n)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		list := append(g.byKey[k], p)
		sort.SliceStable(list, func(i, j int) bool { return g.less(list[i], list[j]) })
		g.byKey[k] = list
	}
}

func (g *Gazetteer) removeLocked(p *vigil.Place) {
	delete(g.byID, p.ID)
	if g.byPCode[p.PCode] == p {
		delete(g.byPCode, p.PCode)
	}
	for _, n := range names(p) {
		k := Key(n)
		list := g.byKey[k]
		for i, q := range list {
			if q == p {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(g.byKey, k)
		} else {
			g.byKey[k] = list
		}
	}
	delete(g.meta, p)
}

// less orders places for Lookup: finer precision first, then built-in before
// OCHA before GeoNames before others, then insertion order.
func (g *Gazetteer) less(a, b *vigil.Place) bool {
	if a.Precision != b.Precision {
		return a.Precision.FinerThan(b.Precision)
	}
	ma, mb := g.meta[a], g.meta[b]
	if ma.rank != mb.rank {
		return ma.rank < mb.rank
	}
	return ma.seq < mb.seq
}

// Lookup returns the places whose name, Arabic name or a variant has exactly
// this key (pass Key(text)), most specific first: neighbourhood before town
// before district before governorate before country; among equals, built-in
// entries before OCHA, GeoNames and other imports, then in the order added.
//
// A name can denote several places. "Aleppo" gives the city (town) first,
// then the governorate; "Idlib", "Hama", "Homs", "Raqqa", ... likewise. A
// caller picks the first place unless the text says otherwise: words such as
// "province", "governorate", "countryside" or "rural" next to the name select
// the governorate (or district) entry, and a place already established in
// the same text (the governorate of a nearby mention) breaks ties between
// same-named towns. The slice is shared: do not modify it.
func (g *Gazetteer) Lookup(key string) []*vigil.Place {
	g.mu.RLock()
	l := g.byKey[key]
	g.mu.RUnlock()
	return l
}

// MaxWords returns the largest number of words in any indexed name (words
// split at spaces and hyphens, articles included), so that callers know how
// many consecutive tokens to try.
func (g *Gazetteer) MaxWords() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.maxWords
}

// ByPCode returns the place with this p-code (the built-in entry when an
// imported one shares it), or nil.
func (g *Gazetteer) ByPCode(pcode string) *vigil.Place {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.byPCode[pcode]
}

// ByID returns the place with this id, or nil.
func (g *Gazetteer) ByID(id string) *vigil.Place {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.byID[id]
}

// Places returns every place in the order first added.
func (g *Gazetteer) Places() []*vigil.Place {
	g.mu.RLock()
	defer g.mu.RUnlock()
	out := make([]*vigil.Place, 0, len(g.order))
	for _, id := range g.order {
		if p, ok := g.byID[id]; ok {
			out = append(out, p)
		}
	}
	return out
}

// Len returns the number of places.
func (g *Gazetteer) Len() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return len(g.byID)
}

// AddPolygon records the boundary of the place with this id (normally a
// p-code) for Locate. The place itself is added separately.
func (g *Gazetteer) AddPolygon(id string, mp orb.MultiPolygon) {
	if len(mp) == 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.frozen {
		panic("gazetteer: AddPolygon on the shared built-in gazetteer; use Builtin().Clone()")
	}
	for i := range g.polys {
		if g.polys[i].id == id {
			g.polys = append(g.polys[:i], g.polys[i+1:]...)
			break
		}
	}
	p := poly{id: id, bound: mp.Bound(), geom: mp, area: planar.Area(mp)}
	i := sort.Search(len(g.polys), func(i int) bool { return g.polys[i].area > p.area })
	g.polys = append(g.polys, poly{})
	copy(g.polys[i+1:], g.polys[i:])
	g.polys[i] = p
}

// Polygons returns the number of polygons recorded for Locate.
func (g *Gazetteer) Polygons() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return len(g.polys)
}

// Locate returns the place of the smallest imported polygon containing the
// point (so a point in an Aleppo neighbourhood gets the neighbourhood, not
// the governorate), or nil if no polygon contains it.
func (g *Gazetteer) Locate(lat, lon float64) *vigil.Place {
	pt := orb.Point{lon, lat}
	g.mu.RLock()
	defer g.mu.RUnlock()
	for i := range g.polys {
		p := &g.polys[i]
		if !p.bound.Contains(pt) || !planar.MultiPolygonContains(p.geom, pt) {
			continue
		}
		if pl, ok := g.byID[p.id]; ok {
			return pl
		}
		if pl, ok := g.byPCode[p.id]; ok {
			return pl
		}
	}
	return nil
}

// LoadFrom adds every place stored in ps (as written by Save) to g, paging
// through with the largest page size.
func (g *Gazetteer) LoadFrom(ctx context.Context, ps vigil.PlaceService) error {
	if g.isFrozen() {
		return vigil.Errorf(vigil.EINVALID, "gazetteer: cannot load into the shared built-in gazetteer; use Builtin().Clone()")
	}
	for off := 0; ; {
		page, total, err := ps.FindPlaces(ctx, vigil.PlaceFilter{Offset: off, Limit: vigil.MaxPageSize})
		if err != nil {
			return fmt.Errorf("gazetteer: load places: %w", err)
		}
		g.Add(page...)
		off += len(page)
		if len(page) == 0 || off >= total {
			return nil
		}
	}
}

// Save stores places through ps in batches of vigil.MaxPageSize.
func Save(ctx context.Context, ps vigil.PlaceService, places []*vigil.Place) error {
	for i := 0; i < len(places); i += vigil.MaxPageSize {
		j := min(i+vigil.MaxPageSize, len(places))
		batch := make([]*vigil.Place, 0, j-i)
		for _, p := range places[i:j] {
			if p.ID == "" {
				c := clonePlace(p)
				c.ID = defaultID(c)
				p = c
			}
			batch = append(batch, p)
		}
		if err := ps.UpsertPlaces(ctx, batch); err != nil {
			return fmt.Errorf("gazetteer: save places: %w", err)
		}
	}
	return nil
}

func (g *Gazetteer) isFrozen() bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.frozen
}

// names returns every name of p, English first.
func names(p *vigil.Place) []string {
	out := make([]string, 0, 2+len(p.Variants))
	if p.Name != "" {
		out = append(out, p.Name)
	}
	if p.NameAR != "" {
		out = append(out, p.NameAR)
	}
	return append(out, p.Variants...)
}

func countWords(s string) int {
	return len(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '-' || r == '\t' || r == '\u2013' || r == '/' || r == ','
	}))
}

func defaultID(p *vigil.Place) string {
	if p.PCode != "" {
		return p.PCode
	}
	parts := make([]string, 0, len(p.Admin)+1)
	for _, a := range p.Admin {
		if a.Level == 0 {
			continue
		}
		parts = append(parts, slug(a.Name))
	}
	if len(parts) == 0 || parts[len(parts)-1] != slug(p.Name) {
		parts = append(parts, slug(p.Name))
	}
	return "x:" + strings.Join(parts, "/")
}

// slug turns a name into an id component: its key with spaces as hyphens.
func slug(s string) string {
	return strings.ReplaceAll(Key(s), " ", "-")
}

func clonePlace(p *vigil.Place) *vigil.Place {
	c := *p
	c.Variants = append([]string(nil), p.Variants...)
	c.Admin = append([]vigil.AdminUnit(nil), p.Admin...)
	if p.Lat != nil {
		v := *p.Lat
		c.Lat = &v
	}
	if p.Lon != nil {
		v := *p.Lon
		c.Lon = &v
	}
	return &c
}

// Clone returns a deep copy of a place, for callers that need to modify one
// handed out by a Gazetteer.
func Clone(p *vigil.Place) *vigil.Place {
	if p == nil {
		return nil
	}
	return clonePlace(p)
}

// mergePlaces returns a new place combining old (kept as primary) and p.
func mergePlaces(old, p *vigil.Place) *vigil.Place {
	m := clonePlace(old)
	have := map[string]bool{}
	for _, n := range names(m) {
		have[Key(n)] = true
	}
	addName := func(n string) {
		if k := Key(n); n != "" && !have[k] {
			have[k] = true
			m.Variants = append(m.Variants, n)
		}
	}
	if m.Name == "" {
		m.Name = p.Name
		have[Key(p.Name)] = true
	}
	if m.NameAR == "" && p.NameAR != "" {
		m.NameAR = p.NameAR
		have[Key(p.NameAR)] = true
	}
	for _, n := range names(p) {
		addName(n)
	}
	if m.PCode == "" {
		m.PCode = p.PCode
	}
	// Imported points (OCHA centroids, GeoNames) are more precise than the
	// built-in approximations: the newer point wins.
	if p.HasPoint() {
		lat, lon := *p.Lat, *p.Lon
		m.Lat, m.Lon = &lat, &lon
	}
	if len(p.Admin) > len(m.Admin) {
		m.Admin = append([]vigil.AdminUnit(nil), p.Admin...)
	} else {
		for i := range m.Admin {
			for _, u := range p.Admin {
				if u.Level != m.Admin[i].Level {
					continue
				}
				if m.Admin[i].PCode == "" {
					m.Admin[i].PCode = u.PCode
				}
				if m.Admin[i].NameAR == "" {
					m.Admin[i].NameAR = u.NameAR
				}
			}
		}
	}
	if n := len(m.Admin); n > 0 && m.Admin[n-1].PCode == "" && lastLevel(p) == m.Admin[n-1].Level {
		m.Admin[n-1].PCode = m.PCode
	}
	if m.Precision == vigil.PlaceUnknown {
		m.Precision = p.Precision
	}
	return m
}

// completed returns p with its admin names and id filled in (a copy when
// anything was missing; p itself is never changed).
func (g *Gazetteer) completed(p *vigil.Place) *vigil.Place {
	if p.ID != "" && !g.needsAdminNames(p) {
		return p
	}
	c := clonePlace(p)
	g.nameAdmin(c)
	if c.ID == "" {
		c.ID = defaultID(c)
	}
	return c
}

// mergeLocked replaces twin by its merge with p, keeping twin's rank and
// position.
func (g *Gazetteer) mergeLocked(twin, p *vigil.Place) {
	m := g.meta[twin]
	merged := mergePlaces(twin, p)
	g.removeLocked(twin)
	g.meta[merged] = m
	g.indexLocked(merged)
}

// GovernorateOf names the governorate (level-1 unit, English name) of a
// place written as text ("Douma", "Sakhour, Aleppo", "دوما، ريف دمشق"):
// the comma-separated parts are looked up from the first (the most
// specific) on, and the first that the gazetteer knows gives its
// governorate. It returns "" when no part is known.
func (g *Gazetteer) GovernorateOf(place string) string {
	for _, part := range strings.FieldsFunc(place, func(r rune) bool { return r == ',' || r == '،' }) {
		for _, p := range g.Lookup(Key(strings.TrimSpace(part))) {
			if gov := p.Governorate(); gov != nil && gov.Name != "" {
				return gov.Name
			}
		}
	}
	return ""
}
