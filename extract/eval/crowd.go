package eval

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

// CrowdArticle is an article of the FA-KES crowd annotations
// (fakes_crowd_dev.csv) that is not one of the dev set's articles: the text
// the annotators read (column Content-Title, headline then body) and the
// words they marked as its location.
type CrowdArticle struct {
	Line     int    // line in the crowd file
	Text     string // what the annotators read
	Location string // the words marked as the location
}

// CrowdReport scores the location of the crowd-annotated articles that the
// dev set lacks: articles no rule was written from.
type CrowdReport struct {
	Articles int   `json:"articles"` // unseen articles in the crowd file
	Scored   int   `json:"scored"`   // whose marked location names one known place
	Location Field `json:"location"` // vigil's governorate is the marked place's
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
	head, err := cr.Read()
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: reading the header: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range []string{"Content-Title", "Location"} {
		if _, ok := col[need]; !ok {
			return nil, vigil.Errorf(vigil.EINVALID, "%s lacks column %q", path, need)
		}
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
			out = append(out, CrowdArticle{Line: line, Text: text, Location: strings.TrimSpace(rec[col["Location"]])})
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
// marked location, looked up whole in gaz. An article whose mark names no
// known place, or a place with no governorate (Syria), is not scored.
func EvalCrowdLocation(ctx context.Context, arts []CrowdArticle, ex vigil.Extractor, gaz *gazetteer.Gazetteer) (*CrowdReport, error) {
	rep := &CrowdReport{Articles: len(arts)}
	for i, a := range arts {
		cands := gaz.Lookup(gazetteer.Key(a.Location))
		if len(cands) == 0 {
			continue
		}
		gold := Governorate(cands[0])
		if gold == "" {
			continue
		}
		claims, err := ex.Extract(ctx, &vigil.Document{ID: int64(i + 1), Text: a.Text, Language: "en"})
		if err != nil {
			return nil, fmt.Errorf("crowd line %d: %w", a.Line, err)
		}
		rep.Scored++
		got := Predict(claims).Location
		rep.Location.add(got == gold)
		if got != gold {
			rep.Misses = append(rep.Misses, fmt.Sprintf("line %d: marked %s, vigil %q", a.Line, gold, got))
		}
	}
	rep.Location.Accuracy = round3(rep.Location.Accuracy)
	return rep, nil
}
