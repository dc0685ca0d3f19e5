// Package airwars measures incident resolution against Airwars' incident
// records: it ingests the captured source texts into a temporary store,
// rejects log-in walls, page boilerplate, duplicates and texts in a script
// vigil does not read (neither Latin nor Arabic), extracts claims, resolves
// them into incidents and scores vigil's grouping of texts against Airwars'
// incident codes (pairwise and B-cubed, over all used texts and per
// script), and how often vigil's killed range overlaps Airwars' range.
package airwars

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
	"github.com/vigil-rec/vigil/ingest"
	"github.com/vigil-rec/vigil/resolve"
	"github.com/vigil-rec/vigil/sqlite"
)

// Text is one captured source text and the Airwars incidents that cite it.
type Text struct {
	SourceID        string   `json:"source_id"`
	IncidentCodes   []string `json:"incident_codes"`
	OriginalURL     string   `json:"original_url"`
	Publisher       string   `json:"publisher"`
	PublicationDate string   `json:"publication_date"`
	PageTitle       string   `json:"page_title"`
	Language        string   `json:"text_language"`
	Text            string   `json:"text"`
}

// Range is Airwars' min-max of civilians killed for one incident.
type Range struct {
	Min, Max int
}

// Corpus is what the evaluation reads from an Airwars directory.
type Corpus struct {
	Texts []Text
	// Killed maps incident codes to Airwars' civilians-killed range, where
	// one is given.
	Killed map[string]Range
	// SourceDates maps a cited URL to the source's date (ISO), from the
	// sources table.
	SourceDates map[string]string
}

func findFile(dir, pattern string) (string, error) {
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return "", err
	}
	if len(m) == 0 {
		return "", vigil.FieldErrorf(vigil.EINVALID, dir, "no file matching %s", pattern)
	}
	return m[0], nil
}

// Load reads the texts (*texts*.jsonl), incidents (*incidents*.csv) and
// sources (*sources*.csv) of an Airwars directory.
func Load(dir string) (*Corpus, error) {
	c := &Corpus{Killed: map[string]Range{}, SourceDates: map[string]string{}}
	tp, err := findFile(dir, "*texts*.jsonl")
	if err != nil {
		return nil, err
	}
	f, err := os.Open(tp)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for ln := 1; sc.Scan(); ln++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var t Text
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return nil, vigil.FieldErrorf(vigil.EINVALID, fmt.Sprintf("%s:%d", tp, ln), "malformed JSON: %v", err)
		}
		c.Texts = append(c.Texts, t)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if ip, err := findFile(dir, "*incidents*.csv"); err == nil {
		err := readCSV(ip, func(get func(string) string) {
			lo, e1 := strconv.Atoi(get("civilians_killed_min"))
			hi, e2 := strconv.Atoi(get("civilians_killed_max"))
			switch {
			case e1 == nil && e2 == nil:
				c.Killed[get("code")] = Range{lo, hi}
			case e1 == nil:
				c.Killed[get("code")] = Range{lo, lo}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if sp, err := findFile(dir, "*sources*.csv"); err == nil {
		err := readCSV(sp, func(get func(string) string) {
			if u, d := get("source_url"), get("source_date_iso"); u != "" && d != "" {
				c.SourceDates[u] = d
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func readCSV(path string, row func(get func(string) string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		row(func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		})
	}
}

// Score is a precision, recall and F1.
type Score struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Rejected counts the texts left out, by reason. NotLatin counts the texts
// mostly in a script other than Latin that the evaluation leaves out: those
// in neither Latin nor Arabic script, and with Options.LatinOnly the Arabic
// ones too (the count issue #4 asked for before Arabic was read).
type Rejected struct {
	Boilerplate int `json:"boilerplate"`
	Duplicate   int `json:"duplicate"`
	NotLatin    int `json:"not_latin"`
}

// RangeOverlap says how often vigil's killed range overlaps Airwars'.
type RangeOverlap struct {
	Compared    int     `json:"compared"`
	Overlapping int     `json:"overlapping"`
	Share       float64 `json:"share"`
}

// Report is the evaluation's result, in the shape `vigil eval resolve
// --json` prints.
type Report struct {
	Texts              int          `json:"texts"`
	Used               int          `json:"used"`
	Rejected           Rejected     `json:"rejected"`
	Pairwise           Score        `json:"pairwise"`
	BCubed             Score        `json:"bcubed"`
	KilledRangeOverlap RangeOverlap `json:"killed_range_overlap"`

	// Beyond the shape: texts that gave no claim (each scored as a
	// singleton above), the pairwise score counting a possible-duplicate
	// link as together, the pairwise score over the texts that gave a
	// claim only, and the pair errors by kind.
	NoClaims          int        `json:"texts_without_claims"`
	PairwiseWithLinks Score      `json:"pairwise_with_links"`
	PairwiseClaimed   Score      `json:"pairwise_texts_with_claims"`
	PairErrors        PairErrors `json:"pair_errors"`

	// Scripts holds the same scores over the used texts of one script
	// ("latin", "arabic"): pairs of two texts of that script, resolved
	// together with all the others. The issue #4 goal is on "latin".
	Scripts map[string]*Subset `json:"scripts"`
	// GoldPairCauses counts the gold pairs by the first cause that keeps
	// them apart before resolution decides anything (a text with no
	// claim, no date, places in different governorates, ...; see the
	// Cause constants), and how many of each vigil put together.
	GoldPairCauses map[string]*PairCause `json:"gold_pair_causes"`
	// Folds holds the scores over the texts whose first incident code falls
	// in each validation fold (FNV-1a of the code modulo 3, Fold), for
	// rules read on one fold and checked on the others.
	Folds []*Subset `json:"folds"`

	// Details for people (not in the JSON).
	Incidents int           `json:"-"`
	Claims    int           `json:"-"`
	Stats     resolve.Stats `json:"-"`
	Elapsed   time.Duration `json:"-"`
	Items     []Item        `json:"-"`
}

// Subset is the scores over a subset of the used texts.
type Subset struct {
	Used              int        `json:"used"`
	NoClaims          int        `json:"texts_without_claims"`
	Pairwise          Score      `json:"pairwise"`
	BCubed            Score      `json:"bcubed"`
	PairwiseWithLinks Score      `json:"pairwise_with_links"`
	PairErrors        PairErrors `json:"pair_errors"`
	// GoldPairCauses as in Report (set for the scripts, not the folds).
	GoldPairCauses map[string]*PairCause `json:"gold_pair_causes,omitempty"`
}

// ScoreSubset scores the items keep selects.
func ScoreSubset(items []Item, keep func(Item) bool) *Subset {
	var sub []Item
	s := &Subset{}
	for _, it := range items {
		if keep(it) {
			sub = append(sub, it)
			if len(it.Incidents) == 0 {
				s.NoClaims++
			}
		}
	}
	s.Used = len(sub)
	s.Pairwise = Pairwise(sub)
	s.BCubed = BCubed(sub)
	s.PairwiseWithLinks = PairwiseWithLinks(sub)
	s.PairErrors = CountPairErrors(sub)
	return s
}

// Fold is the validation fold of an Airwars incident code: FNV-1a of the
// code modulo 3.
func Fold(code string) int {
	h := fnv.New32a()
	h.Write([]byte(code))
	return int(h.Sum32() % 3)
}

// Item is one used text: its gold codes and vigil's incidents.
type Item struct {
	Index      int
	DocumentID int64
	Publisher  string
	Title      string
	Script     string // ScriptLatin or ScriptArabic
	Fold       int    // Fold of its first incident code
	Codes      []string
	Incidents  []int64
	// Linked are the incidents the resolver linked to Incidents as
	// possible duplicates.
	Linked []int64
}

// Options configure an evaluation.
type Options struct {
	Extractor vigil.Extractor
	Config    resolve.Config
	// WorkDir holds the temporary store; empty means a fresh temporary
	// directory, removed afterwards.
	WorkDir string
	Log     *slog.Logger
	// LatinOnly leaves out the Arabic texts as not_latin, as the
	// evaluation did before vigil read Arabic.
	LatinOnly bool
}

// Evaluate runs the whole evaluation on the Airwars directory dir.
func Evaluate(ctx context.Context, dir string, opt Options) (*Report, error) {
	start := time.Now()
	if opt.Extractor == nil {
		return nil, vigil.Errorf(vigil.EINVALID, "no extractor")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	corpus, err := Load(dir)
	if err != nil {
		return nil, err
	}
	work := opt.WorkDir
	if work == "" {
		work, err = os.MkdirTemp("", "vigil-eval-resolve-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(work)
	}
	db, err := sqlite.Open(ctx, filepath.Join(work, "vigil.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	blobs, err := blob.Open(filepath.Join(work, "blobs"))
	if err != nil {
		return nil, err
	}
	in := &ingest.Ingester{Docs: db, Blobs: blobs, Actor: "vigil eval resolve", Log: opt.Log}

	classes := Classify(corpus.Texts)
	rep := &Report{Texts: len(corpus.Texts)}
	docOf := map[int]int64{}
	pubOf := map[int]*vigil.FuzzyDate{}
	views := map[int][]claimView{}
	for i, t := range corpus.Texts {
		switch classes[i].Reason {
		case ReasonBoilerplate:
			rep.Rejected.Boilerplate++
			continue
		case ReasonDuplicate:
			rep.Rejected.Duplicate++
			continue
		case ReasonNotLatin:
			if classes[i].Script != ScriptArabic || opt.LatinOnly {
				rep.Rejected.NotLatin++
				continue
			}
		}
		rep.Used++
		// A headline the captured text does not repeat is part of the
		// report: the stored text begins with it (the extractor reads only
		// the text).
		clean := classes[i].Clean
		if h := strings.TrimSpace(t.PageTitle); h != "" && !strings.Contains(t.Text, h) {
			t.Text = h + "\n\n" + t.Text
			clean = h + "\n\n" + clean
		}
		doc, err := ingestText(ctx, in, i, t, classes[i].Clean, corpus.SourceDates)
		if err != nil {
			return nil, err
		}
		docOf[i] = doc.ID
		pubOf[i] = doc.Published
		// The extractor reads the text with page chrome blanked out; the
		// byte offsets of its spans still point into the stored text.
		view := *doc
		view.Text = clean
		claims, err := opt.Extractor.Extract(ctx, &view)
		if err != nil {
			return nil, fmt.Errorf("extract text %d: %w", i, err)
		}
		if len(claims) == 0 {
			rep.NoClaims++
		}
		rep.Claims += len(claims)
		if err := db.ReplaceClaims(ctx, doc.ID, claims); err != nil {
			return nil, fmt.Errorf("store claims of text %d: %w", i, err)
		}
	}
	st, err := resolve.Run(ctx, db, db, db, opt.Config)
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	rep.Stats = st
	rep.Incidents = st.IncidentsCreated

	// Group: each used text's incidents; a text with no claim is its own
	// singleton.
	incDocs := map[int64][]int{}
	for i, t := range corpus.Texts {
		id, ok := docOf[i]
		if !ok {
			continue
		}
		claims, _, err := db.FindClaims(ctx, vigil.ClaimFilter{DocumentID: id, Limit: vigil.MaxPageSize})
		if err != nil {
			return nil, err
		}
		item := Item{Index: i, DocumentID: id, Publisher: t.Publisher, Title: t.PageTitle, Codes: t.IncidentCodes, Script: classes[i].Script}
		if len(t.IncidentCodes) > 0 {
			item.Fold = Fold(t.IncidentCodes[0])
		}
		views[i] = viewClaims(claims, pubOf[i])
		for _, c := range claims {
			if c.IncidentID != nil && !containsID(item.Incidents, *c.IncidentID) {
				item.Incidents = append(item.Incidents, *c.IncidentID)
				incDocs[*c.IncidentID] = append(incDocs[*c.IncidentID], i)
			}
		}
		rep.Items = append(rep.Items, item)
	}
	links := map[int64][]int64{}
	for id := range incDocs {
		inc, err := db.FindIncidentByID(ctx, id)
		if err != nil {
			return nil, err
		}
		links[id] = inc.PossibleDuplicates
	}
	var claimed []Item
	for k := range rep.Items {
		it := &rep.Items[k]
		for _, id := range it.Incidents {
			for _, l := range links[id] {
				if !containsID(it.Linked, l) {
					it.Linked = append(it.Linked, l)
				}
			}
		}
		if len(it.Incidents) > 0 {
			claimed = append(claimed, *it)
		}
	}
	rep.Pairwise = Pairwise(rep.Items)
	rep.BCubed = BCubed(rep.Items)
	rep.PairwiseWithLinks = PairwiseWithLinks(rep.Items)
	rep.PairwiseClaimed = Pairwise(claimed)
	rep.PairErrors = CountPairErrors(rep.Items)
	rep.GoldPairCauses = countPairCauses(rep.Items, views)
	rep.Scripts = map[string]*Subset{}
	for _, sc := range []string{ScriptLatin, ScriptArabic} {
		rep.Scripts[sc] = ScoreSubset(rep.Items, func(it Item) bool { return it.Script == sc })
		var sub []Item
		for _, it := range rep.Items {
			if it.Script == sc {
				sub = append(sub, it)
			}
		}
		rep.Scripts[sc].GoldPairCauses = countPairCauses(sub, views)
	}
	for f := range 3 {
		rep.Folds = append(rep.Folds, ScoreSubset(rep.Items, func(it Item) bool { return it.Fold == f }))
	}
	rep.KilledRangeOverlap, err = killedOverlap(ctx, db, incDocs, corpus)
	if err != nil {
		return nil, err
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

func containsID(s []int64, id int64) bool {
	for _, x := range s {
		if x == id {
			return true
		}
	}
	return false
}

// ingestText stores one text as a JSON document through the ingest path.
// Its publication date is the one the record gives, else the one the
// sources table gives for its URL, else the date the page shows at its top.
func ingestText(ctx context.Context, in *ingest.Ingester, i int, t Text, clean string, sourceDates map[string]string) (*vigil.Document, error) {
	meta := map[string]any{
		"title":     t.PageTitle,
		"publisher": strings.TrimLeft(t.Publisher, "'"),
		"url":       t.OriginalURL,
		"kind":      "captured source text",
		"text":      t.Text,
	}
	if l := strings.ToLower(t.Language); len(l) >= 2 && l != "und" {
		meta["language"] = l
	}
	d, _ := publishedDate(t, sourceDates)
	if d == "" {
		d = pageDate(t.PageTitle + "\n" + clean)
	}
	if d != "" {
		meta["published"] = d
	}
	name := fmt.Sprintf("airwars-text-%04d.json", i)
	data, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	res := in.Bytes(ctx, name, data, nil)
	if res.Err != nil && meta["published"] != nil {
		// A date the ingester refuses (in the future of this machine's
		// clock, say) is dropped rather than losing the text.
		delete(meta, "published")
		data, _ = json.Marshal(meta)
		res = in.Bytes(ctx, name, data, nil)
	}
	if res.Err != nil {
		return nil, fmt.Errorf("ingest text %d: %w", i, res.Err)
	}
	return res.Document, nil
}

// publishedDate is the text's publication date as ISO 8601 and where it
// comes from: the record's own date (ISO, or "day month year" with an
// Arabic or English month name), else the date the sources table gives for
// its URL (the recorder's metadata for each cited document, not Airwars'
// incident date), else the date its URL states (a post id's time on X, a
// news site's dated path).
func publishedDate(t Text, sourceDates map[string]string) (string, string) {
	if d, ok := ParseDate(t.PublicationDate); ok {
		return d, "record"
	}
	if d, ok := ParseDate(sourceDates[t.OriginalURL]); ok {
		return d, "sources table"
	}
	if d := URLDate(t.OriginalURL); d != "" {
		return d, "url"
	}
	return "", ""
}

// killedOverlap compares each resolved incident's killed range with the
// range Airwars gives for the incident code most of its texts cite.
func killedOverlap(ctx context.Context, db *sqlite.DB, incDocs map[int64][]int, c *Corpus) (RangeOverlap, error) {
	var ro RangeOverlap
	for id, idx := range incDocs {
		votes := map[string]int{}
		best, n := "", 0
		for _, i := range idx {
			for _, code := range c.Texts[i].IncidentCodes {
				votes[code]++
				if votes[code] > n || votes[code] == n && code < best {
					best, n = code, votes[code]
				}
			}
		}
		gold, ok := c.Killed[best]
		if !ok {
			continue
		}
		inc, err := db.FindIncidentByID(ctx, id)
		if err != nil {
			return ro, err
		}
		var fr *vigil.FigureRange
		for i := range inc.Figures {
			f := &inc.Figures[i]
			if f.Kind != vigil.Killed {
				continue
			}
			if f.Category == vigil.CatCivilians || (fr == nil && f.Category == vigil.CatTotal) {
				fr = f
			}
		}
		if fr == nil {
			continue
		}
		ro.Compared++
		hi := fr.Min
		if fr.Max != nil {
			hi = *fr.Max
		}
		if fr.Min <= gold.Max && gold.Min <= hi {
			ro.Overlapping++
		}
	}
	if ro.Compared > 0 {
		ro.Share = round3(float64(ro.Overlapping) / float64(ro.Compared))
	}
	return ro, nil
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// Reasons a text is not used.
const (
	ReasonNone        = ""
	ReasonBoilerplate = "boilerplate"
	ReasonDuplicate   = "duplicate"
	ReasonNotLatin    = "not_latin"
)

// Scripts of a text.
const (
	ScriptLatin  = "latin"
	ScriptArabic = "arabic"
	ScriptOther  = "other"
)

// Class is the verdict on one text: why it is rejected, if it is, its
// script, and its text with page chrome blanked out (same length, so
// offsets still hold).
type Class struct {
	Reason string
	// Script is ScriptLatin, or for a text with Reason ReasonNotLatin
	// ScriptArabic when most of its letters outside Latin are Arabic,
	// else ScriptOther.
	Script string
	Clean  string
}

// wallMarkers are phrases of log-in walls, bot checks and empty shells that
// replace the page a collector meant to capture.
var wallMarkers = []string{
	"log in", "sign up", "log into", "create new account", "one moment, please", "please wait while your request",
	"verify you are human", "enable javascript", "this post is unavailable", "this page isn't available",
	"content isn't available", "something went wrong", "access denied", "are you a robot", "checking your browser",
	"page not found", "404",
	// Redirect and embed shells: a link checker's notice, a messenger's
	// embed widget or members-only note, a video platform's page blurb.
	"redirect notice", "is sending you to", "this link will only work if you are a member", "view in channel",
	"<script", "popular videos", "enjoy videos",
}

// Classify decides for every text whether it is used or rejected. Page
// chrome is found from the corpus itself: a short line that recurs in texts
// of several publishers (menus, share buttons, a platform's error notes) is
// chrome. What remains is boilerplate when it is too short to report an
// event (a log-in wall, a bot check, an empty shell), a duplicate when it
// repeats an earlier text word for word, and not Latin when most of its
// letters are in another script.
func Classify(texts []Text) []Class {
	// Line frequency over distinct texts, counted once per publisher.
	type lineInfo struct {
		pubs map[string]bool
	}
	lines := map[string]*lineInfo{}
	seenText := map[[32]byte]bool{}
	for _, t := range texts {
		h := sha256.Sum256([]byte(t.Text))
		if seenText[h] {
			continue
		}
		seenText[h] = true
		seen := map[string]bool{}
		for _, l := range strings.Split(t.Text, "\n") {
			l = strings.TrimSpace(l)
			if l == "" || len(l) > 200 || seen[l] {
				continue
			}
			seen[l] = true
			li := lines[l]
			if li == nil {
				li = &lineInfo{pubs: map[string]bool{}}
				lines[l] = li
			}
			li.pubs[strings.ToLower(strings.TrimLeft(t.Publisher, "'@"))] = true
		}
	}
	chrome := func(l string) bool {
		li := lines[l]
		return li != nil && len(li.pubs) >= 3
	}
	out := make([]Class, len(texts))
	seenClean := map[[32]byte]bool{}
	for i, t := range texts {
		var b strings.Builder
		b.Grow(len(t.Text))
		var content strings.Builder
		for j, l := range strings.Split(t.Text, "\n") {
			if j > 0 {
				b.WriteByte('\n')
			}
			if chrome(strings.TrimSpace(l)) {
				b.WriteString(strings.Repeat(" ", len(l)))
				continue
			}
			b.WriteString(l)
			content.WriteString(l)
			content.WriteByte('\n')
		}
		clean := b.String()
		out[i].Clean = clean
		latin, other, arabic := letters(content.String())
		body := strings.ToLower(content.String())
		wall := false
		for _, m := range wallMarkers {
			if strings.Contains(body, m) {
				wall = true
				break
			}
		}
		switch {
		case latin+other < 80, wall && latin+other < 400:
			out[i].Reason = ReasonBoilerplate
			continue
		}
		key := sha256.Sum256([]byte(strings.Join(strings.Fields(strings.ToLower(content.String())), " ")))
		if seenClean[key] {
			out[i].Reason = ReasonDuplicate
			continue
		}
		seenClean[key] = true
		// A post in Arabic script wrapped in a platform's Latin chrome
		// (names, buttons, counters) is still an Arabic post: a quarter of
		// the letters in another script is enough.
		out[i].Script = ScriptLatin
		if 3*other >= latin {
			out[i].Reason = ReasonNotLatin
			out[i].Script = ScriptOther
			if 2*arabic > other {
				out[i].Script = ScriptArabic
			}
		}
	}
	return out
}

// letters counts Latin-script letters, letters of other scripts, and
// among those the Arabic-script ones.
func letters(s string) (latin, other, arabic int) {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.Is(unicode.Latin, r) {
			latin++
		} else {
			other++
			if unicode.Is(unicode.Arabic, r) {
				arabic++
			}
		}
	}
	return
}
