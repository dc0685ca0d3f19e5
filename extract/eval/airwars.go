package eval

import (
	"context"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
	"github.com/vigil-rec/vigil/resolve/airwars"
)

// AirwarsIncident is what the extraction evaluation reads of one Airwars
// incident.
type AirwarsIncident struct {
	Code                   string
	From, To               time.Time // incident date (and end date)
	Lat, Lon               float64
	HasPoint               bool
	Location               string // location_ar, else location_en
	LocationEN             string
	KilledMin, KilledMax   int
	HasKilled              bool
	InjuredMin, InjuredMax int
	HasInjured             bool
}

// Share is how often a check held over the texts it was made on.
type Share struct {
	Share    float64 `json:"share"`
	Correct  int     `json:"correct"`
	Compared int     `json:"compared"`
}

func (s *Share) add(ok bool) {
	s.Compared++
	if ok {
		s.Correct++
	}
	s.Share = round3(float64(s.Correct) / float64(s.Compared))
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// LangScores are the figures for the texts of one language.
type LangScores struct {
	Texts         int   `json:"texts"`
	NoClaim       int   `json:"texts_without_claims"`
	Date          Share `json:"date_within_1_day"`
	Place         Share `json:"place_within_5km"`
	PlaceUnscored int   `json:"place_unscored"`
	// DateUnplaced counts the date misses whose claim has no date and
	// whose text has no publication date (record, sources table, URL or
	// page): the text states no date vigil can place in a year.
	DateUnplaced   int   `json:"date_missed_without_published"`
	Killed         Share `json:"killed_in_range"`
	Injured        Share `json:"injured_in_range"`
	KilledStated   Share `json:"killed_in_range_when_stated"`
	InjuredStated  Share `json:"injured_in_range_when_stated"`
	secondsElapsed float64
}

// AirwarsReport is the result of `vigil eval extract --airwars`.
type AirwarsReport struct {
	Texts       int `json:"texts"`
	OneIncident int `json:"texts_with_one_incident"`
	Rejected    struct {
		Boilerplate int `json:"boilerplate"`
		Duplicate   int `json:"duplicate"`
	} `json:"rejected"`
	Languages map[string]*LangScores `json:"languages"`
	// Folds: the same figures per validation fold (FNV-1a of source_id
	// modulo 3), for rules tuned on one fold and checked on the others.
	Folds []map[string]*LangScores `json:"folds"`
}

// AirwarsFold is a text's validation fold.
func AirwarsFold(sourceID string) int {
	h := fnv.New32a()
	h.Write([]byte(sourceID))
	return int(h.Sum32() % 3)
}

// LoadAirwarsIncidents reads the incidents CSV of an Airwars directory.
func LoadAirwarsIncidents(dir string) (map[string]*AirwarsIncident, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*incidents*.csv"))
	if err != nil || len(m) == 0 {
		return nil, vigil.FieldErrorf(vigil.EINVALID, dir, "no incidents CSV")
	}
	f, err := os.Open(m[0])
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m[0], err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	out := map[string]*AirwarsIncident{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m[0], err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		in := &AirwarsIncident{Code: get("code"), LocationEN: get("location_en")}
		in.Location = get("location_ar")
		if in.From, err = time.Parse("2006-01-02", get("incident_date")); err != nil {
			continue
		}
		in.To = in.From
		if t, err := time.Parse("2006-01-02", get("incident_date_end")); err == nil && t.After(in.From) {
			in.To = t
		}
		la, e1 := strconv.ParseFloat(get("latitude"), 64)
		lo, e2 := strconv.ParseFloat(get("longitude"), 64)
		if e1 == nil && e2 == nil {
			in.Lat, in.Lon, in.HasPoint = la, lo, true
		}
		rng := func(a, b string) (int, int, bool) {
			lo, e1 := strconv.Atoi(get(a))
			hi, e2 := strconv.Atoi(get(b))
			switch {
			case e1 == nil && e2 == nil:
				return lo, hi, true
			case e1 == nil:
				return lo, lo, true
			}
			return 0, 0, false
		}
		in.KilledMin, in.KilledMax, in.HasKilled = rng("civilians_killed_min", "civilians_killed_max")
		in.InjuredMin, in.InjuredMax, in.HasInjured = rng("civilians_injured_min", "civilians_injured_max")
		out[in.Code] = in
	}
	return out, nil
}

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := (lat2-lat1)*math.Pi/180, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// admin3 returns the p-code (or name) of the level-3 unit a place lies in.
func admin3(p *vigil.Place) string {
	for _, u := range p.Admin {
		if u.Level == 3 {
			if u.PCode != "" {
				return u.PCode
			}
			return u.Name
		}
	}
	return ""
}

// placeAdmin3 is the admin-3 area (sub-district p-code) a place lies in:
// the polygon of OCHA's admin-3 layer that holds its point (gaz.Locate),
// else its own admin-3 unit. A place coarser than an admin-3 area (a
// district, a governorate) lies in none: its centroid would pick one at
// random.
func placeAdmin3(gaz *gazetteer.Gazetteer, p *vigil.Place) string {
	if p == nil || !isAdmin3(p) && !p.Precision.FinerThan(vigil.PlaceDistrict) {
		return ""
	}
	if p.HasPoint() {
		if a := gaz.Locate(*p.Lat, *p.Lon); a != nil && isAdmin3(a) {
			return a.PCode
		}
	}
	if isAdmin3(p) {
		return p.PCode
	}
	return admin3(p)
}

// isAdmin3 reports whether p is itself an OCHA admin-3 unit (a p-code of
// the form SY + 6 digits).
func isAdmin3(p *vigil.Place) bool {
	return len(p.PCode) == 8 && strings.HasPrefix(p.PCode, "SY")
}

// placeWords are the words that name what kind of place follows (مدينة
// الرقة, قرية الشاهر, Al Hasakah city); the incident's place is looked up
// without them.
var placeWords = map[string]bool{
	"مدينة": true, "قرية": true, "قريتي": true, "بلدة": true, "بلدتي": true, "حي": true, "منطقة": true, "مخيم": true, "ناحية": true,
	"city": true, "village": true, "town": true, "of": true, "the": true, "neighbourhood": true, "neighborhood": true, "area": true,
}

// incidentAdmin3 is the admin-3 area of an incident with no point: its
// named place (Arabic, else English; the first part before a comma, with
// words such as مدينة / قرية / village dropped; each name between في,
// التابعة, near, ... tried in turn) resolved in gaz. "" when the name resolves to nothing finer than
// a district: such a text's place is not scored.
func incidentAdmin3(gaz *gazetteer.Gazetteer, inc *AirwarsIncident) string {
	// First a reading whose candidate lies in a place the location names
	// elsewhere (حي الثورة في مدينة إدلب, Al Karama town, Raqqa); then, as
	// before, the first candidate that gives an area.
	if a := incidentAdmin3In(gaz, inc, true); a != "" {
		return a
	}
	return incidentAdmin3In(gaz, inc, false)
}

// incidentAdmin3In resolves the incident's named place; with inContext,
// among same-named places only one inside another place that the
// location names (in Arabic or English, before or after a comma) counts.
func incidentAdmin3In(gaz *gazetteer.Gazetteer, inc *AirwarsIncident, checkContext bool) string {
	var context []*vigil.Place
	var contextKeys []string
	if checkContext {
		context, contextKeys = locationPlaces(gaz, inc)
		if len(context) == 0 {
			return ""
		}
	}
	for _, nm := range []string{inc.Location, inc.LocationEN} {
		// Only the first part before a comma: the parts after it name the
		// district or governorate (Al Azba, Deir Ezzor).
		parts := strings.FieldsFunc(nm, func(r rune) bool { return r == ',' || r == '،' })
		if len(parts) > 1 {
			parts = parts[:1]
		}
		inContext := checkContext
		for _, part := range parts {
			var words []string
			try := func() string {
				if len(words) == 0 {
					return ""
				}
				k := gazetteer.Key(strings.Join(words, " "))
				for _, p := range gaz.Lookup(k) {
					if inContext && !inAnyOther(gaz, p, k, context, contextKeys) {
						continue
					}
					if a := placeAdmin3(gaz, p); a != "" {
						return a
					}
				}
				words = words[:0]
				return ""
			}
			for _, w := range strings.Fields(part) {
				if stop := placeStops[strings.ToLower(w)]; stop || placeBreaks[strings.ToLower(w)] {
					if a := try(); a != "" || stop {
						return a
					}
					// Only the first name must lie in a place named after
					// it; the next one is that place.
					inContext = false
					continue
				}
				if !placeWords[strings.ToLower(w)] {
					words = append(words, w)
				}
			}
			if a := try(); a != "" {
				return a
			}
		}
	}
	return ""
}

// locationPlaces are the towns, districts and governorates that runs of one
// to three words of the incident's location (Arabic and English, all its
// parts) name, with the key of the run that named each.
func locationPlaces(gaz *gazetteer.Gazetteer, inc *AirwarsIncident) ([]*vigil.Place, []string) {
	var out []*vigil.Place
	var keys []string
	for _, nm := range []string{inc.Location, inc.LocationEN} {
		var words []string
		after := false
		for _, w := range strings.Fields(strings.NewReplacer(",", " , ", "،", " , ").Replace(nm)) {
			lw := strings.ToLower(w)
			if w == "," || placeStops[lw] || placeBreaks[lw] {
				after = true
				words = append(words, ",")
				continue
			}
			if after && !placeWords[lw] {
				words = append(words, w)
			}
		}
		for i := range words {
			for n := 1; n <= 3 && i+n <= len(words); n++ {
				if words[i+n-1] == "," {
					break
				}
				k := gazetteer.Key(strings.Join(words[i:i+n], " "))
				for _, p := range gaz.Lookup(k) {
					if p.Precision == vigil.PlaceTown || p.Precision == vigil.PlaceDistrict || p.Precision == vigil.PlaceGovernorate {
						out, keys = append(out, p), append(keys, k)
					}
				}
			}
		}
	}
	return out, keys
}

// inAnyOther reports whether p lies in one of the context places named by
// another run of words than its own key k.
func inAnyOther(gaz *gazetteer.Gazetteer, p *vigil.Place, k string, context []*vigil.Place, keys []string) bool {
	own := map[string]bool{k: true, gazetteer.Key(p.Name): true, gazetteer.Key(p.NameAR): true}
	for _, v := range p.Variants {
		own[gazetteer.Key(v)] = true
	}
	for i, c := range context {
		// A place named like the candidate (its English name, a
		// translation) does not place it.
		if own[keys[i]] || c == p {
			continue
		}
		if c.Precision == vigil.PlaceGovernorate {
			if g := p.Governorate(); g != nil && c.PCode != "" && g.PCode == c.PCode {
				return true
			}
			continue
		}
		if a := placeAdmin3(gaz, p); a != "" && a == placeAdmin3(gaz, c) {
			return true
		}
		for _, u := range p.Admin {
			if c.PCode != "" && u.PCode == c.PCode || c.PCode == "" && u.Level == 4 && u.Name == c.Name {
				return true
			}
		}
	}
	return false
}

// placeBreaks end one place name within an incident's location, and the
// next is tried when it does not resolve (حي البوغزال في مدينة الباب: حي
// البوغزال, then الباب, which holds it). After placeStops nothing more is
// tried: what follows is another place (قرية الشمساني التابعة للشدادي
// بريف الحسكة lies in neither al-Shaddadi's nor al-Hasakah's area).
var placeBreaks = map[string]bool{"في": true, "و": true, "بين": true, "in": true, "and": true, "between": true}

var placeStops = map[string]bool{"التابعة": true, "بريف": true, "قرب": true, "بالقرب": true, "من": true, "near": true,
	"belongs": true, "to": true, "countryside": true, "west": true, "east": true, "north": true, "south": true, "غرب": true, "شرق": true, "شمال": true, "جنوب": true}

// AirwarsText is one scored text with its result, for error analysis.
type AirwarsText struct {
	Index                                int
	Lang                                 string
	Fold                                 int
	Claim                                *vigil.Claim
	Incident                             *AirwarsIncident
	DateOK, PlaceOK, KilledOK, InjuredOK bool
}

// EvalAirwarsExtract extracts each text of the Airwars directory dir that
// is linked to exactly one incident and compares its main claim with the
// incident: date within one day, place within 5 km of the incident's point
// (with no point: in the same OCHA admin-3 area as the incident's named
// place resolved in gaz, the area found from the boundaries that
// GazetteerWithImports loads; a text whose incident has neither a point
// nor a place that resolves to an admin-3 area or finer is not scored for
// place, and counted in PlaceUnscored), killed and injured figures within the incident's civilian
// ranges. Log-in walls, boilerplate and exact duplicates are rejected and
// counted (resolve/airwars's filters).
//
// language tells a text's language (extract.Language; this package cannot
// import extract, whose benchmarks import it).
func EvalAirwarsExtract(ctx context.Context, dir string, ex vigil.Extractor, gaz *gazetteer.Gazetteer, language func(string) string) (*AirwarsReport, []AirwarsText, error) {
	corpus, err := airwars.Load(dir)
	if err != nil {
		return nil, nil, err
	}
	incs, err := LoadAirwarsIncidents(dir)
	if err != nil {
		return nil, nil, err
	}
	rep := &AirwarsReport{Texts: len(corpus.Texts), Languages: map[string]*LangScores{}}
	rep.Folds = []map[string]*LangScores{{}, {}, {}}
	scores := func(m map[string]*LangScores, lang string) *LangScores {
		s := m[lang]
		if s == nil {
			s = &LangScores{}
			m[lang] = s
		}
		return s
	}
	classes := airwars.Classify(corpus.Texts)
	var rows []AirwarsText
	for i, t := range corpus.Texts {
		if len(t.IncidentCodes) != 1 {
			continue
		}
		rep.OneIncident++
		switch classes[i].Reason {
		case airwars.ReasonBoilerplate:
			rep.Rejected.Boilerplate++
			continue
		case airwars.ReasonDuplicate:
			rep.Rejected.Duplicate++
			continue
		}
		inc := incs[t.IncidentCodes[0]]
		if inc == nil {
			continue
		}
		clean := classes[i].Clean
		if h := strings.TrimSpace(t.PageTitle); h != "" && !strings.Contains(t.Text, h) && !strings.Contains(t.Text, titleWithoutSite(h)) {
			clean = h + "\n\n" + clean
		}
		doc := &vigil.Document{Text: clean, URL: t.OriginalURL}
		if d := airwars.PublishedDate(t, corpus.SourceDates, classes[i].Clean); d != "" {
			if fd, err := vigil.ParseFuzzyDate(d); err == nil {
				doc.Published = &fd
			}
		}
		lang := language(clean)
		claims, err := ex.Extract(ctx, doc)
		if err != nil {
			return nil, nil, fmt.Errorf("text %d: %w", i, err)
		}
		row := AirwarsText{Index: i, Lang: lang, Fold: AirwarsFold(t.SourceID), Incident: inc, Claim: MainClaim(claims)}
		for _, s := range []*LangScores{scores(rep.Languages, lang), scores(rep.Folds[row.Fold], lang)} {
			s.Texts++
			if row.Claim == nil {
				s.NoClaim++
			}
		}
		c := row.Claim
		// Date.
		if c != nil && !c.Date.Value.IsZero() {
			lo, hi := inc.From.AddDate(0, 0, -1), inc.To.AddDate(0, 0, 2)
			row.DateOK = c.Date.Value.Earliest.Before(hi) && !c.Date.Value.Latest.Before(lo) &&
				c.Date.Value.Latest.Sub(c.Date.Value.Earliest) < 72*time.Hour
		}
		// Place.
		placeScored := true
		if inc.HasPoint {
			if c != nil && c.Place != nil && c.Place.Value.HasPoint() {
				row.PlaceOK = distanceKm(*c.Place.Value.Lat, *c.Place.Value.Lon, inc.Lat, inc.Lon) <= 5
			}
		} else if goldA3 := incidentAdmin3(gaz, inc); goldA3 == "" {
			placeScored = false
		} else if c != nil && c.Place != nil {
			row.PlaceOK = placeAdmin3(gaz, &c.Place.Value) == goldA3
		}
		// Figures: the claim's civilians killed, else its killed total,
		// else the sum of its children, women and men.
		fig := func(kind vigil.FigureKind) (int, bool) {
			if c == nil {
				return 0, false
			}
			if f, ok := c.Figure(kind, vigil.CatCivilians); ok {
				return PointValue(f), true
			}
			if f, ok := c.Figure(kind, vigil.CatTotal); ok {
				return PointValue(f), true
			}
			// Only parts ("a woman and her child were killed"): their sum,
			// as for FA-KES's nb_civilians.
			n, ok := 0, false
			for _, cat := range []vigil.Category{vigil.CatChildren, vigil.CatWomen, vigil.CatMen} {
				if f, found := c.Figure(kind, cat); found {
					n, ok = n+PointValue(f), true
				}
			}
			return n, ok
		}
		k, kok := fig(vigil.Killed)
		row.KilledOK = kok && k >= inc.KilledMin && k <= inc.KilledMax
		j, jok := fig(vigil.Injured)
		row.InjuredOK = jok && j >= inc.InjuredMin && j <= inc.InjuredMax
		for _, s := range []*LangScores{scores(rep.Languages, lang), scores(rep.Folds[row.Fold], lang)} {
			s.Date.add(row.DateOK)
			if !row.DateOK && doc.Published == nil && (c == nil || c.Date.Value.IsZero()) {
				s.DateUnplaced++
			}
			if placeScored {
				s.Place.add(row.PlaceOK)
			} else {
				s.PlaceUnscored++
			}
			if inc.HasKilled {
				s.Killed.add(row.KilledOK)
				if kok {
					s.KilledStated.add(row.KilledOK)
				}
			}
			if inc.HasInjured {
				s.Injured.add(row.InjuredOK)
				if jok {
					s.InjuredStated.add(row.InjuredOK)
				}
			}
		}
		rows = append(rows, row)
	}
	return rep, rows, nil
}

// titleWithoutSite is a page title without the site's name after its last
// separator ("Headline – Site – site.com" gives "Headline"): the text
// that already opens with the headline needs no title above it (a second
// copy would read as the headline and a lead of its own).
func titleWithoutSite(h string) string {
	for {
		i := -1
		for _, sep := range []string{" | ", " - ", " – ", " — "} {
			if j := strings.LastIndex(h, sep); j > i {
				i = j
			}
		}
		if i <= 0 || len(h)-i > 80 {
			return h
		}
		short := strings.TrimSpace(h[:i])
		if len([]rune(short)) < 15 {
			return h
		}
		h = short
	}
}

// GazetteerWithImports returns the built-in gazetteer plus the OCHA
// (admin 1-3 and city neighbourhoods, CSV) and GeoNames files found under
// dir (the shared data/gazetteer folder), the admin-3 boundaries, and
// Syrian Archive's located places merged into the places they describe
// again (gazetteer.Enrich); files that are absent are skipped.
func GazetteerWithImports(dir string) (*gazetteer.Gazetteer, error) {
	g := gazetteer.Builtin().Clone()
	for _, name := range []string{"ocha_syria/syr_admin1.csv", "ocha_syria/syr_admin2.csv", "ocha_syria/syr_admin3.csv",
		"ocha_syria/city_neighbourhoods.csv", "geonames_syria/geonames_cities500_SY.tsv", "ocha_syria/syr_admin3.geojson",
		"syrianarchive_locations.csv"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		im, err := gazetteer.ImportFile(p, "")
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(name, ".geojson") {
			// Boundaries only (the places come from the CSV): they give
			// the admin-3 area of a point for scoring.
			for id, mp := range im.Polygons {
				g.AddPolygon(id, mp)
			}
			continue
		}
		if im.Format == gazetteer.FormatSyrianArchive {
			// Villages located by Syrian Archive: placed in OCHA's
			// boundaries (loaded above), not by the file's region label,
			// and used to correct the places already known (points,
			// Arabic names, sub-district), not to add names of their own.
			g.LocateAdmin(im.Places)
			g.Enrich(im.Places...)
			continue
		}
		g.AddImport(im)
	}
	return g, nil
}
