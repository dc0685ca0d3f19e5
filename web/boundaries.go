package web

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

type govInfo struct{ PCode, Name, NameAR string }

// governorates lists the level-1 units of the built-in gazetteer.
var governorates = func() []govInfo {
	var out []govInfo
	for _, p := range gazetteer.Builtin().Places() {
		if p.Precision == vigil.PlaceGovernorate && p.PCode != "" {
			out = append(out, govInfo{p.PCode, p.Name, p.NameAR})
		}
	}
	slices.SortFunc(out, func(a, b govInfo) int {
		if a.PCode < b.PCode {
			return -1
		}
		return 1
	})
	return out
}()

var (
	boundariesOnce sync.Once
	boundariesJSON []byte
)

// DefaultBoundaries returns the offline base layer: the country and each
// governorate drawn as the (slightly widened) convex hull of the built-in
// gazetteer's places in it. It is approximate by construction and marked
// so ("approximate": true); import real boundaries with LoadBoundaries.
// Nothing third-party is shipped: the shapes are computed at run time.
func DefaultBoundaries() []byte {
	boundariesOnce.Do(func() {
		pts := map[string][]orb.Point{}
		var all []orb.Point
		names := map[string]*vigil.Place{}
		for _, p := range gazetteer.Builtin().Places() {
			if !p.HasPoint() {
				continue
			}
			pt := orb.Point{*p.Lon, *p.Lat}
			all = append(all, pt)
			if g := p.Governorate(); g != nil && g.PCode != "" {
				pts[g.PCode] = append(pts[g.PCode], pt)
			}
			if p.Precision == vigil.PlaceGovernorate {
				names[p.PCode] = p
			}
		}
		var feats []any
		if len(all) > 0 {
			feats = append(feats, feature(hull(all, 0.35), map[string]any{"level": 0, "name": "Syria", "name_ar": "سوريا", "pcode": "SY", "approximate": true}))
		}
		codes := make([]string, 0, len(pts))
		for c := range pts {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		for _, c := range codes {
			props := map[string]any{"level": 1, "pcode": c, "approximate": true}
			if p := names[c]; p != nil {
				props["name"], props["name_ar"] = p.Name, p.NameAR
			}
			feats = append(feats, feature(hull(pts[c], 0.08), props))
		}
		boundariesJSON, _ = json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	})
	return boundariesJSON
}

func feature(p orb.Polygon, props map[string]any) map[string]any {
	rings := make([][][2]float64, len(p))
	for i, r := range p {
		for _, pt := range r {
			rings[i] = append(rings[i], [2]float64{pt[0], pt[1]})
		}
	}
	return map[string]any{"type": "Feature", "properties": props, "geometry": map[string]any{"type": "Polygon", "coordinates": rings}}
}

// LoadBoundaries reads a GeoJSON FeatureCollection of boundaries (for
// example OCHA's COD-AB admin 0 and 1 layers), simplifies every polygon
// (Douglas-Peucker, tolerance 0.005 degrees, about 500 m) and returns it
// for Handler.Boundaries. Other geometry types are dropped.
func LoadBoundaries(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties map[string]any `json:"properties"`
			Geometry   struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil || fc.Type != "FeatureCollection" {
		return nil, vigil.FieldErrorf(vigil.EINVALID, path, "not a GeoJSON FeatureCollection: %v", err)
	}
	s := simplify.DouglasPeucker(0.005)
	var feats []any
	for _, f := range fc.Features {
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if json.Unmarshal(f.Geometry.Coordinates, &p) == nil {
				polys = append(polys, p)
			}
		case "MultiPolygon":
			json.Unmarshal(f.Geometry.Coordinates, &polys)
		}
		var out [][][][2]float64
		for _, p := range polys {
			var op orb.Polygon
			for _, r := range p {
				var ring orb.Ring
				for _, pt := range r {
					ring = append(ring, orb.Point{pt[0], pt[1]})
				}
				op = append(op, ring)
			}
			op = s.Polygon(op)
			var rings [][][2]float64
			for _, r := range op {
				if len(r) < 4 {
					continue
				}
				var ring [][2]float64
				for _, pt := range r {
					ring = append(ring, [2]float64{round5(pt[0]), round5(pt[1])})
				}
				rings = append(rings, ring)
			}
			if len(rings) > 0 {
				out = append(out, rings)
			}
		}
		if len(out) > 0 {
			feats = append(feats, map[string]any{"type": "Feature", "properties": f.Properties, "geometry": map[string]any{"type": "MultiPolygon", "coordinates": out}})
		}
	}
	res, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return res, nil
}

// hull returns the convex hull of points widened by pad degrees (a small
// diamond around a single point).
func hull(points []orb.Point, pad float64) orb.Polygon {
	ps := slices.Clone(points)
	slices.SortFunc(ps, func(a, b orb.Point) int {
		if a[0] != b[0] {
			return cmpF(a[0], b[0])
		}
		return cmpF(a[1], b[1])
	})
	ps = slices.Compact(ps)
	cross := func(o, a, b orb.Point) float64 { return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0]) }
	var h []orb.Point
	if len(ps) >= 3 {
		for _, p := range ps {
			for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, p)
		}
		lower := len(h) + 1
		for i := len(ps) - 2; i >= 0; i-- {
			p := ps[i]
			for len(h) >= lower && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, p)
		}
		h = h[:len(h)-1]
	}
	if len(h) < 3 {
		// Too few points for an area: a diamond around their centre.
		var cx, cy float64
		for _, p := range ps {
			cx, cy = cx+p[0], cy+p[1]
		}
		cx, cy = cx/float64(len(ps)), cy/float64(len(ps))
		r := pad*2 + 0.1
		h = []orb.Point{{cx, cy - r}, {cx + r, cy}, {cx, cy + r}, {cx - r, cy}}
	} else {
		var cx, cy float64
		for _, p := range h {
			cx, cy = cx+p[0], cy+p[1]
		}
		cx, cy = cx/float64(len(h)), cy/float64(len(h))
		for i, p := range h {
			dx, dy := p[0]-cx, p[1]-cy
			d := math.Hypot(dx, dy)
			if d > 0 {
				h[i] = orb.Point{round5(p[0] + dx/d*pad), round5(p[1] + dy/d*pad)}
			}
		}
	}
	ring := orb.Ring(append(h, h[0]))
	return orb.Polygon{ring}
}

func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
