package gazetteer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	vigil "github.com/vigil-rec/vigil"
)

// PolygonDir is the folder, inside a vigil data directory, where imported
// boundaries are kept (vigil.PlaceService stores places, not geometry).
const PolygonDir = "gazetteer"

// Load returns the built-in gazetteer extended with every place stored in
// ps and the boundaries saved under dataDir/gazetteer (dataDir may be "").
// This is the gazetteer the CLI and the extractor use.
func Load(ctx context.Context, ps vigil.PlaceService, dataDir string) (*Gazetteer, error) {
	g := Builtin().Clone()
	if ps != nil {
		if err := g.LoadFrom(ctx, ps); err != nil {
			return nil, err
		}
	}
	if dataDir != "" {
		if err := g.LoadPolygons(filepath.Join(dataDir, PolygonDir)); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// SavePolygons writes boundaries as a GeoJSON FeatureCollection whose
// features carry the place ID as PCODE and its name, so that
// ImportOCHAGeoJSON (and LoadPolygons) read them back.
func SavePolygons(path string, im *Import) error {
	if len(im.Polygons) == 0 {
		return nil
	}
	type geom struct {
		Type        string           `json:"type"`
		Coordinates orb.MultiPolygon `json:"coordinates"`
	}
	type feature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   geom              `json:"geometry"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection"}
	names := map[string]*vigil.Place{}
	for _, p := range im.Places {
		names[p.ID] = p
	}
	ids := make([]string, 0, len(im.Polygons))
	for id := range im.Polygons {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		props := map[string]string{"PCODE": id, "NAME_EN": id}
		if p := names[id]; p != nil {
			props["NAME_EN"], props["NAME_AR"] = p.Name, p.NameAR
		}
		fc.Features = append(fc.Features, feature{Type: "Feature", Properties: props,
			Geometry: geom{Type: "MultiPolygon", Coordinates: im.Polygons[id]}})
	}
	data, err := json.Marshal(fc)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// LoadPolygons adds the boundaries of every .geojson file in dir (a missing
// dir is no error). Places are added only where their ID is not known yet:
// the stored place, with its full hierarchy, stays authoritative.
func (g *Gazetteer) LoadPolygons(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("gazetteer: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".geojson") {
			continue
		}
		im, err := ImportFile(filepath.Join(dir, e.Name()), FormatOCHAGeoJSON)
		if err != nil {
			return err
		}
		for _, p := range im.Places {
			if g.ByID(p.ID) == nil && g.ByPCode(p.PCode) == nil {
				g.Add(p)
			}
		}
		for id, mp := range im.Polygons {
			g.AddPolygon(id, mp)
		}
	}
	return nil
}
