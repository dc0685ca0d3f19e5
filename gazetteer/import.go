package gazetteer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	vigil "github.com/vigil-rec/vigil"
)

// Import formats accepted by ImportFile.
const (
	FormatOCHACSV     = "ocha-csv"
	FormatOCHAGeoJSON = "ocha-geojson"
	FormatGeoNames    = "geonames"
	// FormatSyrianArchive is Syrian Archive's table of located places
	// (pk,name_en,name_ar,region_pk,region_name_en,latitude,longitude).
	FormatSyrianArchive = "syrianarchive"
)

// Formats lists the import formats.
func Formats() []string {
	return []string{FormatOCHACSV, FormatOCHAGeoJSON, FormatGeoNames, FormatSyrianArchive}
}

// Import is what one file contributed: its places and, for GeoJSON, the
// boundary of each place by place ID.
type Import struct {
	File     string
	Format   string
	Places   []*vigil.Place
	Polygons map[string]orb.MultiPolygon
	Skipped  int // rows not imported (GeoNames features that are not places)
}

// AddImport adds the places and polygons of im to g.
func (g *Gazetteer) AddImport(im *Import) {
	g.Add(im.Places...)
	for id, mp := range im.Polygons {
		g.AddPolygon(id, mp)
	}
}

// DetectFormat guesses a file's format from its name: .geojson and .json are
// OCHA GeoJSON, .tsv and .txt GeoNames dumps, .csv OCHA CSV, unless its
// header is Syrian Archive's (name_en, name_ar, region_name_en, latitude,
// longitude).
func DetectFormat(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".geojson", ".json":
		return FormatOCHAGeoJSON, nil
	case ".tsv", ".txt":
		return FormatGeoNames, nil
	case ".csv":
		if f, err := os.Open(path); err == nil {
			defer f.Close()
			if h, err := csv.NewReader(bomReader(f)).Read(); err == nil && syrianArchiveHeader(h) {
				return FormatSyrianArchive, nil
			}
		}
		return FormatOCHACSV, nil
	}
	return "", vigil.FieldErrorf(vigil.EINVALID, path, "cannot tell the format from the file name; give --format (%s)", strings.Join(Formats(), ", "))
}

// ImportFile reads one file in the given format ("" to detect it from the
// name).
func ImportFile(path, format string) (*Import, error) {
	if format == "" {
		var err error
		if format, err = DetectFormat(path); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, vigil.FieldErrorf(vigil.EINVALID, path, "cannot open: %v", err)
	}
	defer f.Close()
	switch format {
	case FormatOCHACSV:
		return ImportOCHACSV(f, path)
	case FormatOCHAGeoJSON:
		return ImportOCHAGeoJSON(f, path)
	case FormatGeoNames:
		return ImportGeoNames(f, path)
	case FormatSyrianArchive:
		return ImportSyrianArchive(f, path)
	}
	return nil, vigil.Errorf(vigil.EINVALID, "unknown format %q (want %s)", format, strings.Join(Formats(), ", "))
}

// lineErr returns an EINVALID error naming file, line and field.
func lineErr(file string, line int, field, format string, args ...any) error {
	where := fmt.Sprintf("%s:%d", file, line)
	if field != "" {
		where += ": " + field
	}
	return vigil.FieldErrorf(vigil.EINVALID, where, format, args...)
}

// ---- OCHA COD-AB ----

// ImportOCHACSV reads an OCHA COD-AB attribute table as CSV, one
// administrative unit a row. Two layouts are understood (see
// docs/gazetteer.md): the HDX layout where a row's own unit is in
// ADMn_PCODE/ADMn_EN/ADMn_AR for the highest n present, and the older
// shapefile layout with PCODE/NAME_EN/NAME_AR for the row's own unit and
// ADMn_* columns for its parents. Coordinates come from LATITUDE/LONGITUDE,
// centroid_lat/centroid_lon, center_lat/center_lon or lat/lon.
func ImportOCHACSV(r io.Reader, file string) (*Import, error) {
	cr := csv.NewReader(bomReader(r))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, lineErr(file, 1, "", "empty file")
		}
		return nil, csvErr(file, err)
	}
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = strings.ToUpper(strings.TrimSpace(h))
	}
	lay, err := ochaLayout(cols)
	if err != nil {
		return nil, lineErr(file, 1, "header", "%v", err)
	}
	im := &Import{File: file, Format: FormatOCHACSV}
	row := make(map[string]string, len(cols))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(file, err)
		}
		line, _ := cr.FieldPos(0)
		clear(row)
		for i, v := range rec {
			row[cols[i]] = strings.TrimSpace(v)
		}
		p, err := ochaPlace(row, lay, func(field, format string, args ...any) error {
			return lineErr(file, line, field, format, args...)
		})
		if err != nil {
			return nil, err
		}
		im.Places = append(im.Places, p)
	}
	if len(im.Places) == 0 {
		return nil, lineErr(file, 2, "", "no rows")
	}
	return im, nil
}

func csvErr(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return lineErr(file, pe.Line, fmt.Sprintf("column %d", pe.Column), "%v", pe.Err)
	}
	return vigil.FieldErrorf(vigil.EINVALID, file, "%v", err)
}

func bomReader(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	return br
}

// layout says which columns hold a row's own unit.
type layout struct {
	level                int    // the row's own admin level
	pcode, en, ar        string // own columns
	extraEN, extraAR     []string
	parents              int // parent levels 0..parents-1 come from ADMk_* columns
	latCol, lonCol       string
	altLatCol, altLonCol string
}

func ochaLayout(cols []string) (layout, error) {
	has := map[string]bool{}
	for _, c := range cols {
		has[c] = true
	}
	maxAdm := -1
	for k := 0; k <= 6; k++ {
		if has[fmt.Sprintf("ADM%d_PCODE", k)] {
			maxAdm = k
		}
	}
	var l layout
	switch {
	case has["PCODE"]:
		l.level = maxAdm + 1
		l.pcode, l.en, l.ar = "PCODE", "NAME_EN", "NAME_AR"
		l.extraEN = []string{"NAM_EN_REF", "NAME_EN_REF", "NAME_ALT"}
		l.extraAR = []string{"NAM_AR_REF", "NAME_AR_REF"}
		l.parents = maxAdm + 1
		if !has["NAME_EN"] && !has["NAME_AR"] {
			return l, fmt.Errorf("a PCODE column needs NAME_EN or NAME_AR")
		}
	case maxAdm >= 0:
		l.level = maxAdm
		p := fmt.Sprintf("ADM%d", maxAdm)
		l.pcode, l.en, l.ar = p+"_PCODE", p+"_EN", p+"_AR"
		l.extraEN = []string{p + "_REF", p + "ALT1_EN", p + "ALT2_EN", p + "_ALT1EN", p + "_ALT2EN"}
		l.extraAR = []string{p + "ALT1_AR", p + "ALT2_AR", p + "_ALT1AR", p + "_ALT2AR"}
		l.parents = maxAdm
		if !has[l.en] && !has[l.ar] {
			return l, fmt.Errorf("no %s or %s column", l.en, l.ar)
		}
	default:
		return l, fmt.Errorf("no PCODE or ADMn_PCODE column: not an OCHA COD-AB table")
	}
	for _, c := range [][2]string{{"LATITUDE", "LONGITUDE"}, {"CENTROID_LAT", "CENTROID_LON"}, {"CENTER_LAT", "CENTER_LON"}, {"LAT", "LON"}, {"Y", "X"}} {
		if has[c[0]] && has[c[1]] {
			if l.latCol == "" {
				l.latCol, l.lonCol = c[0], c[1]
			} else if l.altLatCol == "" {
				l.altLatCol, l.altLonCol = c[0], c[1]
			}
		}
	}
	return l, nil
}

func precisionForLevel(level int) vigil.PlacePrecision {
	switch {
	case level <= 0:
		return vigil.PlaceCountry
	case level == 1:
		return vigil.PlaceGovernorate
	case level <= 3:
		return vigil.PlaceDistrict
	case level == 4:
		return vigil.PlaceTown
	}
	return vigil.PlaceNeighbourhood
}

// ochaPlace builds a place from one row of attributes keyed by upper-case
// column name.
func ochaPlace(row map[string]string, l layout, errf func(field, format string, args ...any) error) (*vigil.Place, error) {
	p := &vigil.Place{PCode: row[l.pcode], Name: row[l.en], NameAR: row[l.ar], Precision: precisionForLevel(l.level)}
	if p.PCode == "" {
		return nil, errf(l.pcode, "empty p-code")
	}
	if p.Name == "" && p.NameAR == "" {
		return nil, errf(l.en, "no English or Arabic name for %s", p.PCode)
	}
	if p.Name == "" {
		p.Name = p.NameAR
	}
	if isArabicText(p.Name) && !isArabicText(p.NameAR) {
		p.Name, p.NameAR = p.NameAR, p.Name
		if p.Name == "" {
			p.Name = p.NameAR
		}
	}
	have := map[string]bool{Key(p.Name): true, Key(p.NameAR): true}
	for _, c := range append(append([]string{}, l.extraEN...), l.extraAR...) {
		if v := row[c]; v != "" && !have[Key(v)] {
			have[Key(v)] = true
			p.Variants = append(p.Variants, v)
		}
	}
	p.ID = p.PCode
	for k := 0; k < l.parents; k++ {
		pre := fmt.Sprintf("ADM%d", k)
		u := vigil.AdminUnit{Level: k, PCode: row[pre+"_PCODE"], Name: row[pre+"_EN"], NameAR: row[pre+"_AR"]}
		if isArabicText(u.Name) && !isArabicText(u.NameAR) {
			u.Name, u.NameAR = u.NameAR, u.Name // some tables swap them
		}
		if u.PCode == "" && u.Name == "" && u.NameAR == "" {
			continue
		}
		if k == 0 && u.Name == "" && u.PCode == "SY" {
			u.Name, u.NameAR = "Syria", "سوريا"
		}
		p.Admin = append(p.Admin, u)
	}
	p.Admin = append(p.Admin, vigil.AdminUnit{Level: l.level, PCode: p.PCode, Name: p.Name, NameAR: p.NameAR})
	for _, c := range [][2]string{{l.latCol, l.lonCol}, {l.altLatCol, l.altLonCol}} {
		if c[0] == "" || row[c[0]] == "" || row[c[1]] == "" {
			continue
		}
		lat, err := parseCoord(row[c[0]], 90)
		if err != nil {
			return nil, errf(c[0], "%v", err)
		}
		lon, err := parseCoord(row[c[1]], 180)
		if err != nil {
			return nil, errf(c[1], "%v", err)
		}
		p.Lat, p.Lon = &lat, &lon
		break
	}
	return p, nil
}

func parseCoord(s string, limit float64) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	if math.IsNaN(v) || v < -limit || v > limit {
		return 0, fmt.Errorf("out of range: %q", s)
	}
	return v, nil
}

// ImportOCHAGeoJSON reads an OCHA COD-AB boundary layer as a GeoJSON
// FeatureCollection of Polygon or MultiPolygon features whose properties
// are the attribute columns (as in ImportOCHACSV). Each place gets its
// boundary in Polygons (for Locate) and, when the properties carry no
// coordinates, the boundary's centroid as its point. Errors name the line
// where the faulty feature starts.
func ImportOCHAGeoJSON(r io.Reader, file string) (*Import, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, vigil.FieldErrorf(vigil.EINVALID, file, "read: %v", err)
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	im := &Import{File: file, Format: FormatOCHAGeoJSON, Polygons: map[string]orb.MultiPolygon{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	jsonErr := func(off int64, field string, err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		return lineErr(file, lineAt(data, off), field, "%v", err)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		if err == nil {
			err = fmt.Errorf("want a JSON object (a FeatureCollection)")
		}
		return nil, jsonErr(dec.InputOffset(), "", err)
	}
	sawFeatures := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonErr(dec.InputOffset(), "", err)
		}
		key, _ := tok.(string)
		if key != "features" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, jsonErr(dec.InputOffset(), key, err)
			}
			if key == "type" && string(bytes.TrimSpace(skip)) != `"FeatureCollection"` {
				return nil, lineErr(file, lineAt(data, dec.InputOffset()), "type", "want FeatureCollection, got %s", skip)
			}
			continue
		}
		sawFeatures = true
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			if err == nil {
				err = fmt.Errorf("features is not an array")
			}
			return nil, jsonErr(dec.InputOffset(), "features", err)
		}
		for n := 0; dec.More(); n++ {
			start := dec.InputOffset()
			var f geoFeature
			if err := dec.Decode(&f); err != nil {
				return nil, jsonErr(start, fmt.Sprintf("features[%d]", n), err)
			}
			line := lineAt(data, skipSpace(data, start))
			errf := func(field, format string, args ...any) error {
				return lineErr(file, line, fmt.Sprintf("features[%d].%s", n, field), format, args...)
			}
			p, mp, err := geoPlace(&f, errf)
			if err != nil {
				return nil, err
			}
			im.Places = append(im.Places, p)
			if len(mp) > 0 {
				im.Polygons[p.ID] = mp
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, jsonErr(dec.InputOffset(), "features", err)
		}
	}
	if !sawFeatures {
		return nil, lineErr(file, 1, "features", "no features array: not a GeoJSON FeatureCollection")
	}
	if len(im.Places) == 0 {
		return nil, lineErr(file, 1, "features", "no features")
	}
	return im, nil
}

type geoFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

func geoPlace(f *geoFeature, errf func(field, format string, args ...any) error) (*vigil.Place, orb.MultiPolygon, error) {
	if f.Type != "Feature" {
		return nil, nil, errf("type", "want Feature, got %q", f.Type)
	}
	row := make(map[string]string, len(f.Properties))
	cols := make([]string, 0, len(f.Properties))
	for k, v := range f.Properties {
		K := strings.ToUpper(k)
		cols = append(cols, K)
		switch v := v.(type) {
		case string:
			row[K] = strings.TrimSpace(v)
		case float64:
			row[K] = strconv.FormatFloat(v, 'f', -1, 64)
		case nil:
		default:
			row[K] = fmt.Sprint(v)
		}
	}
	lay, err := ochaLayout(cols)
	if err != nil {
		return nil, nil, errf("properties", "%v", err)
	}
	p, err := ochaPlace(row, lay, func(field, format string, args ...any) error {
		return errf("properties."+field, format, args...)
	})
	if err != nil {
		return nil, nil, err
	}
	var mp orb.MultiPolygon
	if f.Geometry != nil {
		switch f.Geometry.Type {
		case "Polygon":
			var c [][][]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &c); err != nil {
				return nil, nil, errf("geometry.coordinates", "bad Polygon: %v", err)
			}
			poly, err := toPolygon(c)
			if err != nil {
				return nil, nil, errf("geometry.coordinates", "%v", err)
			}
			mp = orb.MultiPolygon{poly}
		case "MultiPolygon":
			var c [][][][]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &c); err != nil {
				return nil, nil, errf("geometry.coordinates", "bad MultiPolygon: %v", err)
			}
			for _, pc := range c {
				poly, err := toPolygon(pc)
				if err != nil {
					return nil, nil, errf("geometry.coordinates", "%v", err)
				}
				mp = append(mp, poly)
			}
		case "Point":
			var c []float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &c); err != nil || len(c) < 2 {
				return nil, nil, errf("geometry.coordinates", "bad Point")
			}
			if !p.HasPoint() {
				lat, lon := c[1], c[0]
				p.Lat, p.Lon = &lat, &lon
			}
		default:
			return nil, nil, errf("geometry.type", "unsupported geometry %q (want Polygon, MultiPolygon or Point)", f.Geometry.Type)
		}
	}
	if len(mp) > 0 && !p.HasPoint() {
		c, _ := planar.CentroidArea(mp)
		lat, lon := c[1], c[0]
		p.Lat, p.Lon = &lat, &lon
	}
	return p, mp, nil
}

func toPolygon(c [][][]float64) (orb.Polygon, error) {
	if len(c) == 0 {
		return nil, fmt.Errorf("polygon without rings")
	}
	poly := make(orb.Polygon, 0, len(c))
	for _, rc := range c {
		if len(rc) < 4 {
			return nil, fmt.Errorf("ring with %d points (need at least 4)", len(rc))
		}
		ring := make(orb.Ring, len(rc))
		for i, pt := range rc {
			if len(pt) < 2 || pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
				return nil, fmt.Errorf("bad position %v", pt)
			}
			ring[i] = orb.Point{pt[0], pt[1]}
		}
		poly = append(poly, ring)
	}
	return poly, nil
}

func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
			continue
		}
		break
	}
	return off
}

// lineAt returns the 1-based line of byte offset off.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// ---- GeoNames ----

// geonamesAdmin1 maps GeoNames' admin1 codes for Syria (FIPS 10-4 based) to
// OCHA governorate p-codes.
var geonamesAdmin1 = map[string]string{
	"01": "SY08", // Al-Hasakah
	"02": "SY06", // Latakia
	"03": "SY14", // Quneitra
	"04": "SY11", // Raqqa
	"05": "SY13", // As-Suwayda
	"06": "SY12", // Daraa
	"07": "SY09", // Deir ez-Zor
	"08": "SY03", // Rif Dimashq
	"09": "SY02", // Aleppo
	"10": "SY05", // Hama
	"11": "SY04", // Homs
	"12": "SY07", // Idlib
	"13": "SY01", // Damascus
	"14": "SY10", // Tartus
}

// GeoNamesGovernorate returns the OCHA governorate p-code of a GeoNames
// admin1 code for Syria, or "".
func GeoNamesGovernorate(admin1 string) string { return geonamesAdmin1[admin1] }

var geonamesCols = []string{"geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
	"feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code", "admin3_code",
	"admin4_code", "population", "elevation", "dem", "timezone", "modification_date"}

// ImportGeoNames reads a GeoNames dump (allCountries/SY.txt/cities500
// layout: 19 tab-separated columns, with or without a header row). Populated
// places (feature class P) become towns, PPLX sections of a town become
// neighbourhoods, ADM1/ADM2/ADM3 areas (class A) become governorates and
// districts; other features are skipped and counted. Alternate names in
// Latin or Arabic script become variants.
func ImportGeoNames(r io.Reader, file string) (*Import, error) {
	im := &Import{File: file, Format: FormatGeoNames}
	sc := bufio.NewScanner(bomReader(r))
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if line == 1 && f[0] == "geonameid" {
			continue
		}
		if len(f) != len(geonamesCols) {
			return nil, lineErr(file, line, "", "want %d tab-separated columns, got %d", len(geonamesCols), len(f))
		}
		errf := func(col int, format string, args ...any) error {
			return lineErr(file, line, geonamesCols[col], format, args...)
		}
		id := f[0]
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return nil, errf(0, "not a number: %q", id)
		}
		if f[1] == "" {
			return nil, errf(1, "empty name")
		}
		lat, err := parseCoord(f[4], 90)
		if err != nil {
			return nil, errf(4, "%v", err)
		}
		lon, err := parseCoord(f[5], 180)
		if err != nil {
			return nil, errf(5, "%v", err)
		}
		class, code := f[6], f[7]
		var prec vigil.PlacePrecision
		level := 4
		switch {
		case class == "P" && code == "PPLX":
			prec, level = vigil.PlaceNeighbourhood, 5
		case class == "P":
			prec = vigil.PlaceTown
		case class == "A" && code == "ADM1":
			prec, level = vigil.PlaceGovernorate, 1
		case class == "A" && (code == "ADM2" || code == "ADM3"):
			prec, level = vigil.PlaceDistrict, 2
			if code == "ADM3" {
				level = 3
			}
		case class == "A" && code == "PCLI":
			prec, level = vigil.PlaceCountry, 0
		default:
			im.Skipped++
			continue
		}
		p := &vigil.Place{ID: "geonames:" + id, Name: f[1], Precision: prec, Lat: &lat, Lon: &lon}
		have := map[string]bool{Key(p.Name): true}
		add := func(v string) {
			v = strings.TrimSpace(v)
			if v == "" || !plausibleName(v) {
				return
			}
			if isArabicText(v) && p.NameAR == "" {
				p.NameAR = v
				have[Key(v)] = true
				return
			}
			if k := Key(v); !have[k] {
				have[k] = true
				p.Variants = append(p.Variants, v)
			}
		}
		add(f[2])
		for _, v := range strings.Split(f[3], ",") {
			add(v)
		}
		cc := f[8]
		if level > 0 {
			u := vigil.AdminUnit{Level: 0, PCode: cc, Name: cc}
			if cc == "SY" {
				u.Name, u.NameAR = "Syria", "سوريا"
			}
			p.Admin = append(p.Admin, u)
		}
		if gov := geonamesAdmin1[f[10]]; cc == "SY" && gov != "" && level > 1 {
			p.Admin = append(p.Admin, vigil.AdminUnit{Level: 1, PCode: gov})
		}
		self := vigil.AdminUnit{Level: level, Name: p.Name, NameAR: p.NameAR}
		if level == 1 && cc == "SY" {
			self.PCode = geonamesAdmin1[f[10]]
			p.PCode = self.PCode
		}
		if level == 0 {
			self.PCode = cc
		}
		p.Admin = append(p.Admin, self)
		im.Places = append(im.Places, p)
	}
	if err := sc.Err(); err != nil {
		return nil, vigil.FieldErrorf(vigil.EINVALID, file, "read: %v", err)
	}
	if len(im.Places) == 0 {
		return nil, lineErr(file, 1, "", "no places (is this a GeoNames dump?)")
	}
	return im, nil
}

// plausibleName keeps alternate names in Latin or Arabic script that look
// like names: GeoNames also lists other scripts, airport codes, links and
// machine transliterations of the Arabic name in lower case ("alkramt").
func plausibleName(s string) bool {
	if strings.HasPrefix(s, "http") {
		return false
	}
	upper, lower := false, false
	for _, r := range s {
		switch {
		case isArabicLetter(r):
			return true
		case r < 0x250, r >= 0x1E00 && r <= 0x1EFF, r >= 0x2B0 && r <= 0x2FF, r >= 0x2000 && r <= 0x206F:
			if unicode.IsUpper(r) {
				upper = true
			} else if unicode.IsLower(r) {
				lower = true
			}
		default:
			return false // another script
		}
	}
	return upper && (lower || len(s) > 4)
}

// ---- Syrian Archive ----

// syrianArchiveHeader reports whether a CSV header is that of Syrian
// Archive's located places.
func syrianArchiveHeader(h []string) bool {
	has := map[string]bool{}
	for _, c := range h {
		has[strings.ToLower(strings.TrimSpace(c))] = true
	}
	return has["name_en"] && has["name_ar"] && has["region_name_en"] && has["latitude"] && has["longitude"]
}

// syrianArchiveRegions maps the file's region names to OCHA governorate
// p-codes. DAMASCUS holds both Damascus and Rural Damascus: no governorate.
var syrianArchiveRegions = map[string]string{
	"ALEPPO": "SY02", "IDLIB": "SY07", "HAMA": "SY05", "HOMS": "SY04", "LATTAKIA": "SY06", "LATAKIA": "SY06",
	"DEIR EZZOR": "SY09", "HASAKAH": "SY08", "DARAA": "SY12", "SUWAYDA": "SY13", "TARTOUS": "SY10",
	"QUINETRA": "SY14", "QUNEITRA": "SY14", "RAQQA": "SY11",
}

// ImportSyrianArchive reads Syrian Archive's table of located places
// (header pk, name_en, name_ar, region_pk, region_name_en, latitude,
// longitude; the export of its database's location model). Every row
// becomes a town (its point is the village or town; a sub-district or
// district row, "Sarmin nahiyah", "Harem mantiqah", is its centre town,
// and loses that word), with the id "syrianarchive:PK" and the region as
// its governorate. The region is a label, sometimes wrong (rows under
// QUINETRA lie in Raqqa): a caller that holds OCHA's admin-3 boundaries
// should place the rows with LocateAdmin.
func ImportSyrianArchive(r io.Reader, file string) (*Import, error) {
	cr := csv.NewReader(bomReader(r))
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, lineErr(file, 1, "", "empty file")
		}
		return nil, csvErr(file, err)
	}
	if !syrianArchiveHeader(header) {
		return nil, lineErr(file, 1, "header", "want name_en, name_ar, region_name_en, latitude, longitude: not a Syrian Archive table")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	im := &Import{File: file, Format: FormatSyrianArchive}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(file, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimFunc(rec[i], func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
			}
			return ""
		}
		en, ar := get("name_en"), get("name_ar")
		for _, suf := range []string{" nahiyah", " mantiqah"} {
			en = strings.TrimSuffix(en, suf)
		}
		if en == "" && ar == "" {
			return nil, lineErr(file, line, "name_en", "no English or Arabic name")
		}
		if en == "" {
			en = ar
		}
		lat, err := parseCoord(get("latitude"), 90)
		if err != nil {
			return nil, lineErr(file, line, "latitude", "%v", err)
		}
		lon, err := parseCoord(get("longitude"), 180)
		if err != nil {
			return nil, lineErr(file, line, "longitude", "%v", err)
		}
		id := get("pk")
		if id == "" {
			id = strconv.Itoa(line)
		}
		p := &vigil.Place{ID: "syrianarchive:" + id, Name: en, NameAR: ar, Precision: vigil.PlaceTown, Lat: &lat, Lon: &lon}
		p.Admin = append(p.Admin, vigil.AdminUnit{Level: 0, PCode: "SY", Name: "Syria", NameAR: "سوريا"})
		if gov := syrianArchiveRegions[strings.ToUpper(get("region_name_en"))]; gov != "" {
			p.Admin = append(p.Admin, vigil.AdminUnit{Level: 1, PCode: gov})
		}
		p.Admin = append(p.Admin, vigil.AdminUnit{Level: 4, Name: p.Name, NameAR: p.NameAR})
		im.Places = append(im.Places, p)
	}
	if len(im.Places) == 0 {
		return nil, lineErr(file, 2, "", "no rows")
	}
	return im, nil
}

// LocateAdmin gives each place with a point the hierarchy of the smallest
// of g's polygons that holds it (an OCHA admin-3 area gives country,
// governorate, district and sub-district), keeping the place's own last
// unit, when that polygon's place is coarser than the place. It returns
// how many places it placed. Places are modified: call it on an import's
// places before adding them.
func (g *Gazetteer) LocateAdmin(places []*vigil.Place) int {
	n := 0
	for _, p := range places {
		if !p.HasPoint() || len(p.Admin) == 0 {
			continue
		}
		a := g.Locate(*p.Lat, *p.Lon)
		if a == nil || !p.Precision.FinerThan(a.Precision) || len(a.Admin) == 0 {
			continue
		}
		self := p.Admin[len(p.Admin)-1]
		p.Admin = append(append([]vigil.AdminUnit(nil), a.Admin...), self)
		n++
	}
	return n
}
