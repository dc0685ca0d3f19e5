package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestGazetteerCommands(t *testing.T) {
	data := filepath.Join(t.TempDir(), "store")
	code, out, errs := runCLI(t, data, "gazetteer", "lookup", "al-Qaterji", "--json")
	if code != 0 {
		t.Fatalf("lookup: %d %s", code, errs)
	}
	var res struct {
		Key    string `json:"key"`
		Places []struct {
			ID        string `json:"id"`
			Precision string `json:"precision"`
		} `json:"places"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Key != "qaterji" || len(res.Places) != 1 || res.Places[0].Precision != "neighbourhood" {
		t.Fatalf("lookup json: %v %s", err, out)
	}
	if code, out, _ := runCLI(t, data, "gazetteer", "lookup", "Aleppo"); code != 0 || !strings.Contains(out, "SY02") || strings.Index(out, "town") > strings.Index(out, "governorate") {
		t.Errorf("lookup Aleppo: %d %s", code, out)
	}
	if code, _, errs := runCLI(t, data, "gazetteer", "lookup", "Nowhereville"); code != 1 || !strings.Contains(errs, "no place") {
		t.Errorf("lookup miss: %d %s", code, errs)
	}
	fixtures := filepath.Join("..", "..", "gazetteer", "testdata")
	code, out, errs = runCLI(t, data, "gazetteer", "import", filepath.Join(fixtures, "areas.geojson"), filepath.Join(fixtures, "admin1.csv"))
	if code != 0 || !strings.Contains(out, "3 places, 3 polygons") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCLI(t, data, "gazetteer", "locate", "10.45", "20.45"); code != 0 || !strings.Contains(out, "Little Quarry") {
		t.Errorf("locate: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, data, "gazetteer", "show", "XX01"); code != 0 || !strings.Contains(out, "North Vale") {
		t.Errorf("show: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, data, "gazetteer", "list", "--governorate", "XX01", "--json"); code != 0 || !strings.Contains(out, `"total": 3`) {
		t.Errorf("list: %d %s", code, out)
	}
	code, _, errs = runCLI(t, data, "gazetteer", "import", filepath.Join(fixtures, "bad_lat.csv"))
	if code != 1 || !strings.Contains(errs, "bad_lat.csv:4: CENTROID_LAT") {
		t.Errorf("bad import: %d %s", code, errs)
	}
	if code, _, _ := runCLI(t, data, "gazetteer", "import", "--format", "kml", "x.kml"); code != 2 {
		t.Errorf("bad format: exit %d", code)
	}
}
