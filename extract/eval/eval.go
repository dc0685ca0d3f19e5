// Package eval measures an extractor against annotated article sets. The
// FA-KES set (Abu Salem et al., ICWSM 2019) labels each Syrian-war news
// article with the governorate, one of seven actor classes, one of six
// causes of death and death counts; EvalFakes maps vigil's richer claims
// onto those labels (see docs/extraction.md) and reports accuracy per field.
package eval

import (
	"context"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Field is the accuracy on one label.
type Field struct {
	Accuracy float64 `json:"accuracy"`
	Correct  int     `json:"-"`
	Total    int     `json:"-"`
}

func (f *Field) add(ok bool) {
	f.Total++
	if ok {
		f.Correct++
	}
	f.Accuracy = float64(f.Correct) / float64(f.Total)
}

// Report is the result of an evaluation, in the JSON shape of issue 3.
type Report struct {
	Articles int               `json:"articles"`
	Fields   map[string]*Field `json:"fields"`
	// Rows holds each article's gold and predicted labels (not part of the
	// JSON report; for error analysis).
	Rows []Row `json:"-"`
	// CrowdUnseen scores the location of the crowd-annotated articles the
	// dev set lacks, when asked for (vigil eval extract --crowd).
	CrowdUnseen *CrowdReport `json:"crowd_unseen,omitempty"`
}

// Fold is the validation fold (0, 1 or 2) of a FA-KES article: FNV-1a of its
// unit_id modulo 3. Rules are changed by reading the misses of one fold and
// kept only when the other two improve too (docs/extraction.md).
func Fold(unitID string) int {
	h := fnv.New32a()
	h.Write([]byte(unitID))
	return int(h.Sum32() % 3)
}

// Subset scores only the rows for which keep is true.
func (r *Report) Subset(keep func(Row) bool) *Report {
	out := &Report{Fields: map[string]*Field{}}
	for _, n := range FieldNames {
		out.Fields[n] = &Field{}
	}
	for _, row := range r.Rows {
		if !keep(row) {
			continue
		}
		out.Articles++
		out.Rows = append(out.Rows, row)
		score(out, row.Pred, row.Gold)
	}
	return out
}

func score(rep *Report, p, g Labels) {
	rep.Fields["location"].add(p.Location == g.Location)
	rep.Fields["actor"].add(p.Actor == g.Actor)
	rep.Fields["cause"].add(p.Cause == g.Cause)
	rep.Fields["civilians_exact"].add(p.Civilians == g.Civilians)
	rep.Fields["civilians_within_10pct"].add(within10(p.Civilians, g.Civilians))
	rep.Fields["children_exact"].add(p.Children == g.Children)
	rep.Fields["women_exact"].add(p.Women == g.Women)
	rep.Fields["noncivilians_exact"].add(p.NonCivilians == g.NonCivilians)
}

// Row is one article's gold and predicted labels.
type Row struct {
	ID         string
	Gold, Pred Labels
	Claims     int
}

// Labels are the FA-KES fields of one article.
type Labels struct {
	Location     string
	Actor        string
	Cause        string
	Civilians    int
	Children     int
	Women        int
	NonCivilians int
}

// FieldNames lists the report's fields in order.
var FieldNames = []string{"location", "actor", "cause", "civilians_exact", "civilians_within_10pct",
	"children_exact", "women_exact", "noncivilians_exact"}

// Article is one FA-KES article with its gold labels.
type Article struct {
	ID        string
	Title     string
	Text      string
	Source    string
	Published *vigil.FuzzyDate
	Gold      Labels
}

// ReadFakes reads a FA-KES CSV (columns unit_id, article_title,
// article_content, source, date, location, actor, cause_of_death,
// nb_children, nb_civilians, nb_noncivilians, nb_women, label).
func ReadFakes(r io.Reader) ([]Article, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	col, err := csvColumns(cr, "FA-KES file", "article_content", "location", "actor", "cause_of_death", "nb_civilians")
	if err != nil {
		return nil, err
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	atoi := func(s string) int {
		n, _ := strconv.Atoi(strings.TrimSpace(s))
		return n
	}
	var out []Article
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, vigil.Errorf(vigil.EINVALID, "FA-KES line %d: %v", line, err)
		}
		a := Article{
			ID:     get(rec, "unit_id"),
			Title:  get(rec, "article_title"),
			Text:   get(rec, "article_content"),
			Source: get(rec, "source"),
			Gold: Labels{
				Location:     strings.ToLower(get(rec, "location")),
				Actor:        strings.ToLower(get(rec, "actor")),
				Cause:        strings.ToLower(get(rec, "cause_of_death")),
				Civilians:    atoi(get(rec, "nb_civilians")),
				Children:     atoi(get(rec, "nb_children")),
				Women:        atoi(get(rec, "nb_women")),
				NonCivilians: atoi(get(rec, "nb_noncivilians")),
			},
		}
		if t, err := time.Parse("1/2/06", get(rec, "date")); err == nil {
			fd := vigil.Day(t.Year(), t.Month(), t.Day())
			a.Published = &fd
		}
		out = append(out, a)
	}
	return out, nil
}

// csvColumns reads the header of a CSV file (named name in errors) and
// returns each column's index by its name (a byte-order mark and blanks
// trimmed); a column of need that is missing is an invalid-input error.
func csvColumns(cr *csv.Reader, name string, need ...string) (map[string]int, error) {
	head, err := cr.Read()
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: reading the header: %v", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range need {
		if _, ok := col[c]; !ok {
			return nil, vigil.Errorf(vigil.EINVALID, "%s lacks column %q", name, c)
		}
	}
	return col, nil
}

// EvalFakes runs ex over every article of the FA-KES CSV at csvPath and
// compares the article's main claim with the gold labels.
func EvalFakes(csvPath string, ex vigil.Extractor) (*Report, error) {
	f, err := os.Open(csvPath)
	if err != nil {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "FA-KES file: %v", err)
	}
	defer f.Close()
	arts, err := ReadFakes(f)
	if err != nil {
		return nil, err
	}
	return Evaluate(context.Background(), arts, ex)
}

// Evaluate runs ex over articles and scores them.
func Evaluate(ctx context.Context, arts []Article, ex vigil.Extractor) (*Report, error) {
	rep := &Report{Fields: map[string]*Field{}}
	for _, n := range FieldNames {
		rep.Fields[n] = &Field{}
	}
	for i, a := range arts {
		doc := &vigil.Document{ID: int64(i + 1), Title: a.Title, Text: Headed(a.Title, a.Text), Language: "en", Published: a.Published}
		claims, err := ex.Extract(ctx, doc)
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", a.ID, err)
		}
		p := PredictHeaded(claims, headlineEnd(a.Title, doc.Text))
		g := a.Gold
		rep.Articles++
		score(rep, p, g)
		rep.Rows = append(rep.Rows, Row{ID: a.ID, Gold: g, Pred: p, Claims: len(claims)})
	}
	return rep, nil
}

// Headed is the article as FA-KES annotators read it: the headline, then the
// body. The crowd annotations (fakes_crowd_dev.csv, column Content-Title)
// show the headline first, and most marked spans come from it; some sources'
// bodies already begin with their headline, which is then not repeated.
func Headed(title, body string) string {
	title = strings.TrimSpace(title)
	if title == "" || strings.Contains(headKey(body, 3*len(title)+200), headKey(title, 60)) {
		return body
	}
	return title + "\n\n" + body
}

// headKey is the first n bytes of s in lower case, letters and digits only.
func headKey(s string, n int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if b.Len() >= n {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func within10(p, g int) bool {
	d := p - g
	if d < 0 {
		d = -d
	}
	return float64(d) <= 0.1*float64(g)
}

// headlineEnd is the byte offset where the headline ends in text (the
// article as Headed builds it), 0 when it cannot be found.
func headlineEnd(title, text string) int {
	title = strings.TrimSpace(title)
	if title == "" {
		return 0
	}
	if strings.HasPrefix(text, title) {
		return len(title)
	}
	tail := strings.ToLower(title)
	if len(tail) > 24 {
		tail = tail[len(tail)-24:]
	}
	lim := min(len(text), 3*len(title)+200)
	if i := strings.Index(strings.ToLower(text[:lim]), tail); i >= 0 {
		return i + len(tail)
	}
	return 0
}

// MainClaim is the claim an article-level label describes: the first event
// the article reports (the headline and lead describe the main event; later
// events are background or follow-ups).
func MainClaim(claims []*vigil.Claim) *vigil.Claim {
	if len(claims) == 0 {
		return nil
	}
	return claims[0]
}

// FakesClaim is the claim a FA-KES label describes: the first event the
// article reports that states deaths, else the first event. FA-KES labels a
// casualty event: cause_of_death is how the counted people died, and the
// location and actor are where and by whom they were killed; a report that
// opens on an event with no deaths (an offensive, a capture, a strike that
// destroyed a building) and then counts the dead of another event is
// labelled with that other event.
func FakesClaim(claims []*vigil.Claim) *vigil.Claim {
	for _, c := range claims {
		if statesDeaths(c) {
			return c
		}
	}
	return MainClaim(claims)
}

// Predict maps the claim a FA-KES label describes (FakesClaim) onto FA-KES
// labels.
func Predict(claims []*vigil.Claim) Labels { return PredictHeaded(claims, 0) }

// PredictHeaded is Predict for an article whose headline ends at byte
// headEnd of the text: an actor the headline names as the agent gives the
// actor label (FA-KES labels follow the headline's event; see
// docs/extraction.md).
func PredictHeaded(claims []*vigil.Claim, headEnd int) Labels {
	c := FakesClaim(claims)
	l := Labels{Actor: "unknown", Cause: "unknown"}
	if c == nil {
		return l
	}
	if c.Place != nil {
		l.Location = Governorate(&c.Place.Value)
	}
	// FA-KES gives every article a governorate: when the claim's place is
	// none (or the country), the article's first other event placed in one.
	for _, o := range claims {
		if l.Location != "" {
			break
		}
		if o.Place != nil {
			l.Location = Governorate(&o.Place.Value)
		}
	}
	l.Actor = actorClass(c.Attribution, headEnd)
	l.Cause = Cause(c.EventType.Value)
	killed := func(cat vigil.Category) (int, bool) {
		f, ok := c.Figure(vigil.Killed, cat)
		if !ok {
			return 0, false
		}
		return PointValue(f), true
	}
	comb, _ := killed(vigil.CatCombatants)
	l.NonCivilians = comb
	l.Children, _ = killed(vigil.CatChildren)
	l.Women, _ = killed(vigil.CatWomen)
	if civ, ok := killed(vigil.CatCivilians); ok {
		l.Civilians = civ
	} else if tot, ok := killed(vigil.CatTotal); ok {
		l.Civilians = max(tot-comb, 0)
	} else {
		men, _ := killed(vigil.CatMen)
		l.Civilians = l.Children + l.Women + men
	}
	return l
}

func statesDeaths(c *vigil.Claim) bool {
	for _, f := range c.Figures {
		if f.Kind == vigil.Killed && PointValue(f) > 0 {
			return true
		}
	}
	return false
}

// PointValue is the single number a figure states: its lower bound, or for
// "up to N" its upper bound.
func PointValue(f vigil.Figure) int {
	if f.Qualifier == vigil.QualUpTo && f.Max != nil {
		return *f.Max
	}
	return f.Min
}

// fakesGovernorates maps words of governorate names (English, any common
// spelling) to FA-KES location labels. Matching by name rather than p-code
// keeps the mapping independent of which p-code set the gazetteer uses.
// FA-KES has no separate label for Rural Damascus: it is "damascus".
var fakesGovernorates = []struct{ word, label string }{
	{"damascus", "damascus"}, {"dimashq", "damascus"}, {"aleppo", "aleppo"}, {"halab", "aleppo"},
	{"homs", "homs"}, {"hama", "hama"}, {"lattakia", "lattakia"}, {"latakia", "lattakia"},
	{"idleb", "idlib"}, {"idlib", "idlib"}, {"hasakeh", "hasakeh"}, {"hasakah", "hasakeh"}, {"hasaka", "hasakeh"},
	{"deir", "deir ezzor"}, {"raqqa", "raqqa"}, {"sweida", "sweida"}, {"suwayda", "sweida"},
	{"dara", "daraa"}, {"daraa", "daraa"}, {"quneitra", "quneitra"}, {"tartous", "tartous"}, {"tartus", "tartous"},
}

// Governorate returns the FA-KES location label of a place, "" when unknown.
func Governorate(p *vigil.Place) string {
	name := ""
	if p.Precision == vigil.PlaceGovernorate {
		name = p.Name
	} else if g := p.Governorate(); g != nil {
		name = g.Name
	}
	name = strings.ToLower(name)
	name = strings.NewReplacer("'", "", "\u2019", "", "-", " ").Replace(name)
	for _, w := range strings.Fields(name) {
		for _, g := range fakesGovernorates {
			if w == g.word {
				return g.label
			}
		}
	}
	return ""
}

// FA-KES actor classes.
const (
	ActorGovernment = "syrian government or russian troops"
	ActorCoalition  = "international coalition forces"
	ActorISIS       = "the organization of the islamic state in iraq and the levant - isis"
	ActorOpposition = "armed opposition groups"
	ActorNusra      = "al-nusra front"
	ActorSDF        = "self administration forces"
	ActorUnknown    = "unknown"
)

var actorClasses = map[string]string{
	"syrian_government": ActorGovernment, "russia": ActorGovernment, "hezbollah": ActorGovernment,
	"iran": ActorGovernment, "coalition": ActorCoalition, "isis": ActorISIS, "opposition": ActorOpposition,
	"nusra": ActorNusra, "sdf": ActorSDF,
}

// ActorClass maps an attribution onto a FA-KES actor class: the class of the
// candidate the text alleges most often (first named on ties); denied
// candidates and actors FA-KES has no class for (Turkey, Israel) do not
// count; none gives "unknown".
func ActorClass(a vigil.Attribution) string { return actorClass(a, 0) }

// actorClass is ActorClass where a candidate named before byte headEnd (in
// the headline) outweighs any number of mentions in the body.
func actorClass(a vigil.Attribution, headEnd int) string {
	score := map[string]int{}
	order := []string{}
	for _, c := range a.Candidates {
		if c.Status == vigil.Denied {
			continue
		}
		cl, ok := actorClasses[c.Actor]
		if !ok {
			continue
		}
		if _, seen := score[cl]; !seen {
			order = append(order, cl)
		}
		score[cl] += len(c.Spans)
		for _, sp := range c.Spans {
			if sp.Start < headEnd {
				score[cl] += 1000
				break
			}
		}
	}
	best := ActorUnknown
	for _, cl := range order {
		if best == ActorUnknown || score[cl] > score[best] {
			best = cl
		}
	}
	return best
}

// Cause maps an event type onto a FA-KES cause of death.
func Cause(t vigil.EventType) string {
	switch t {
	case vigil.EventAirStrike, vigil.EventShelling:
		return "shelling"
	case vigil.EventIED, vigil.EventSuicideBomb, vigil.EventLandmine, vigil.EventGrenade:
		return "explosion"
	case vigil.EventChemical:
		return "chemical and toxic gases"
	case vigil.EventAttackCivilians, vigil.EventArmedClash:
		return "shooting"
	case vigil.EventExecution:
		return "execution"
	}
	return "unknown"
}
