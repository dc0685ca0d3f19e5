package gazetteer

import (
	"bytes"

	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	vigil "github.com/vigil-rec/vigil"
)

// seedFiles adds the test data files with the given extensions as seeds.
func seedFiles(f *testing.F, exts ...string) {
	names, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, n := range names {
		for _, e := range exts {
			if strings.HasSuffix(n, e) {
				b, err := os.ReadFile(n)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
			}
		}
	}
}

// checkGazImport: any input either gives places with names and sane
// coordinates, or an invalid error naming the file.
func checkGazImport(t *testing.T, file string, im *Import, err error) {
	if err != nil {
		if vigil.ErrorKind(err) != vigil.EINVALID || !strings.HasPrefix(vigil.ErrorField(err), file) {
			t.Fatalf("error without kind or file: %q %v", vigil.ErrorField(err), err)
		}
		return
	}
	if im == nil {
		t.Fatal("nil import without error")
	}
	for _, p := range im.Places {
		if p == nil {
			t.Fatal("nil place")
		}
		if p.Lat != nil && (math.IsNaN(*p.Lat) || *p.Lat < -90 || *p.Lat > 90) {
			t.Fatalf("latitude %v", *p.Lat)
		}
		if p.Lon != nil && (math.IsNaN(*p.Lon) || *p.Lon < -180 || *p.Lon > 180) {
			t.Fatalf("longitude %v", *p.Lon)
		}
	}
	// The gazetteer takes whatever an import gives.
	g := New()
	g.AddImport(im)
}

// FuzzImportOCHACSV: OCHA COD-AB attribute tables.
func FuzzImportOCHACSV(f *testing.F) {
	seedFiles(f, ".csv")
	f.Add([]byte("ADM1_PCODE,ADM1_EN,ADM1_AR,lat,lon\nXX01,<script>,'; DROP TABLE places;--,1e308,-1e308\n"))
	f.Add([]byte("\xef\xbb\xbfPCODE\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := ImportOCHACSV(bytes.NewReader(data), "admin.csv")
		checkGazImport(t, "admin.csv", im, err)
	})
}

// FuzzImportOCHAGeoJSON: OCHA COD-AB boundaries as GeoJSON.
func FuzzImportOCHAGeoJSON(f *testing.F) {
	seedFiles(f, ".geojson")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"PCODE":"XX01","NAME_EN":"A"},"geometry":{"type":"Polygon","coordinates":[[[1e400,0]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[` + strings.Repeat(`[`, 5000) + `]}`))
	f.Add([]byte(`{"type":"Feature","geometry":null,"properties":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := ImportOCHAGeoJSON(bytes.NewReader(data), "areas.geojson")
		checkGazImport(t, "areas.geojson", im, err)
	})
}

// FuzzImportGeoNames: GeoNames tab-separated dumps.
func FuzzImportGeoNames(f *testing.F) {
	seedFiles(f, ".tsv")
	f.Add([]byte("1\tA\tA\t\tNaN\tInf\tP\tPPL\tSY\t\t09\t\t\t\t\t\t\t\t\n"))
	f.Add([]byte("# comment\n\n1\tA"))
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := ImportGeoNames(bytes.NewReader(data), "places.txt")
		checkGazImport(t, "places.txt", im, err)
	})
}
