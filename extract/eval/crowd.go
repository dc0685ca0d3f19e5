package eval

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// CrowdArticle is an article of the FA-KES crowd annotations
// (fakes_crowd_dev.csv) that is not one of the dev set's articles: the text
// the annotators read (column Content-Title, headline then body) and the
// words they marked as its location.
type CrowdArticle struct {
	Line      int    // line in the crowd file
	Text      string // what the annotators read
	Location  string // the words marked as the location
	Civilians string // the words marked as the civilians killed
	Actor     string // the words marked as the actor ("" when none)
	Cause     string // the words marked as the cause of death ("" when none)
}

// CrowdReport scores the location of the crowd-annotated articles that the
// dev set lacks: articles no rule was written from.
type CrowdReport struct {
	Articles int   `json:"articles"` // unseen articles in the crowd file
	Scored   int   `json:"scored"`   // whose marked location names one known place
	Location Field `json:"location"` // vigil's governorate is the marked place's
	// CiviliansScored counts the articles whose civilians mark states a
	// number ("22 civilians", "four people"); Civilians is how often
	// vigil's civilian count (as Predict maps it) is that number.
	CiviliansScored int   `json:"civilians_scored"`
	Civilians       Field `json:"civilians_exact"`
	// Actor and Cause compare vigil's actor class and cause with the
	// class and cause the marks name, read with the extractor's lexicon
	// (Namer); an empty mark is "unknown", as in FA-KES, and a mark the
	// lexicon cannot read is not scored.
	Actor Field `json:"actor"`
	Cause Field `json:"cause"`
	// Misses lists the scored articles vigil placed elsewhere (line in
	// the crowd file, marked place's governorate, vigil's).
	Misses []string `json:"misses,omitempty"`
}

// ReadCrowdUnseen reads the crowd annotations at path and returns the rows
// whose text is not one of dev's articles (compared on letters and digits,
// by stretches of 60 characters of the text). The same text annotated
// twice is kept once.
func ReadCrowdUnseen(path string, dev []Article) ([]CrowdArticle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "FA-KES crowd file: %v", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	col, err := csvColumns(cr, path, "Content-Title", "Location", "Civilians", "Actor", "Cause-Of-Death")
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, a := range dev {
		b.WriteString(lettersDigits(a.Title))
		b.WriteString(" ")
		b.WriteString(lettersDigits(a.Text))
		b.WriteString(" | ")
	}
	known := b.String()
	seen := map[string]bool{}
	var out []CrowdArticle
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, vigil.Errorf(vigil.EINVALID, "%s line %d: %v", path, line, err)
		}
		text := rec[col["Content-Title"]]
		key := lettersDigits(text)
		if len(key) < 100 || seen[key] {
			continue
		}
		seen[key] = true
		inDev := false
		// Skip the first 40 characters: the crowd text opens with the
		// date and headline, which the dev text may lack.
		for i := 40; i+60 <= len(key) && i < 400; i += 60 {
			if strings.Contains(known, key[i:i+60]) {
				inDev = true
				break
			}
		}
		if !inDev {
			out = append(out, CrowdArticle{Line: line, Text: text, Location: strings.TrimSpace(rec[col["Location"]]),
				Civilians: strings.TrimSpace(rec[col["Civilians"]]), Actor: strings.TrimSpace(rec[col["Actor"]]),
				Cause: strings.TrimSpace(rec[col["Cause-Of-Death"]])})
		}
	}
	return out, nil
}

// lettersDigits is s in lower case, ASCII letters and digits only.
func lettersDigits(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// EvalCrowdLocation extracts each article and compares the governorate of
// its labelled claim (as Predict maps it) with the governorate of the
// marked location, looked up whole in gaz, and its civilian count with the
// number the civilians mark states. An article whose location mark names
// no known place, or a place with no governorate (Syria), is not scored
// for location; one whose civilians mark states no number is not scored
// for civilians.
func EvalCrowdLocation(ctx context.Context, arts []CrowdArticle, ex vigil.Extractor, gaz *gazetteer.Gazetteer) (*CrowdReport, error) {
	rep := &CrowdReport{Articles: len(arts)}
	namer, _ := ex.(Namer)
	for i, a := range arts {
		gold := ""
		if cands := gaz.Lookup(gazetteer.Key(a.Location)); len(cands) > 0 {
			gold = Governorate(cands[0])
		}
		civ, civOK := markedNumber(a.Civilians)
		claims, err := ex.Extract(ctx, &vigil.Document{ID: int64(i + 1), Text: a.Text, Language: "en"})
		if err != nil {
			return nil, fmt.Errorf("crowd line %d: %w", a.Line, err)
		}
		p := Predict(claims)
		if namer != nil {
			if actor, ok := markedActor(namer, a.Actor); ok {
				rep.Actor.add(p.Actor == actor)
			}
			if cause, ok := markedCause(namer, a.Cause); ok {
				rep.Cause.add(p.Cause == cause)
			}
		}
		if gold != "" {
			rep.Scored++
			rep.Location.add(p.Location == gold)
			if p.Location != gold {
				rep.Misses = append(rep.Misses, fmt.Sprintf("line %d: marked %s, vigil %q", a.Line, gold, p.Location))
			}
		}
		if civOK {
			rep.CiviliansScored++
			rep.Civilians.add(p.Civilians == civ)
		}
	}
	for _, f := range []*Field{&rep.Location, &rep.Civilians, &rep.Actor, &rep.Cause} {
		f.Accuracy = round3(f.Accuracy)
	}
	return rep, nil
}

// Namer reads what a short phrase names (extract.Extractor.Named).
type Namer interface {
	Named(phrase string) (actors []string, kind vigil.EventType)
}

// markedActor is the FA-KES actor class a crowd actor mark names: unknown
// for an empty mark, the class of its actors otherwise (as actorClass
// weighs them), and not ok when the lexicon reads no actor in it.
func markedActor(n Namer, mark string) (string, bool) {
	if mark == "" {
		return ActorUnknown, true
	}
	keys, _ := n.Named(mark)
	var a vigil.Attribution
	for _, k := range keys {
		a.Candidates = append(a.Candidates, vigil.PerpetratorCandidate{Actor: k, Spans: []vigil.Span{{}}})
	}
	c := actorClass(a, 0)
	return c, c != ActorUnknown
}

// markedCause is the FA-KES cause a crowd cause mark names: unknown for an
// empty mark, and not ok when the lexicon reads no event in it.
func markedCause(n Namer, mark string) (string, bool) {
	if mark == "" {
		return "unknown", true
	}
	_, kind := n.Named(mark)
	c := Cause(kind)
	return c, c != "unknown"
}

var markWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}

// markedNumber is the number a crowd mark states: its first word that is
// digits ("22 civilians", "1,300") or a number word ("four people").
func markedNumber(mark string) (int, bool) {
	for _, w := range strings.Fields(strings.ToLower(mark)) {
		w = strings.Trim(w, ".,;:'\"()")
		if n, err := strconv.Atoi(strings.ReplaceAll(w, ",", "")); err == nil && n > 0 {
			return n, true
		}
		if n, ok := markWords[w]; ok {
			return n, true
		}
	}
	return 0, false
}
