package victims

import (
	"sort"
	"strconv"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/names"
)

// DocumentsList is the list that victims named in documents' claims join.
const DocumentsList = "documents"

// FromClaims turns the victims named in claims into victim records, so
// that linkage treats them like any list. Each document's victims are
// numbered in the order of its claims (by claim id) and of the victims in
// each claim; the record id is "DOCUMENT-N", and DocumentID points back to
// the document. A victim named twice in one document (the same name and
// status in two of its claims) is one record. The date is the claim's date
// when it is known to a day, a month or a year; the place is the claim's
// place name. Every record is restricted, and so are minors.
func FromClaims(claims []*vigil.Claim) []*vigil.VictimRecord {
	cs := append([]*vigil.Claim(nil), claims...)
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].DocumentID != cs[j].DocumentID {
			return cs[i].DocumentID < cs[j].DocumentID
		}
		return cs[i].ID < cs[j].ID
	})
	var out []*vigil.VictimRecord
	n := map[int64]int{}
	seen := map[string]bool{}
	for _, c := range cs {
		date := ""
		switch c.Date.Value.Precision {
		case vigil.PrecisionDay, vigil.PrecisionMonth, vigil.PrecisionYear, vigil.PrecisionTime:
			date = c.Date.Value.Earliest.Format("2006-01-02")
			switch c.Date.Value.Precision {
			case vigil.PrecisionMonth:
				date = date[:7]
			case vigil.PrecisionYear:
				date = date[:4]
			}
		}
		perp := claimPerpetrator(c.Attribution)
		place := ""
		if c.Place != nil {
			place = c.Place.Value.Name
			if place == "" {
				place = c.Place.Value.NameAR
			}
		}
		for _, v := range c.Victims {
			name := strings.TrimSpace(v.Name)
			if name == "" && len(v.Transliterations) > 0 {
				name = strings.TrimSpace(v.Transliterations[0])
			}
			if name == "" {
				continue // an unnamed victim is a count, not a record
			}
			key := strconv.FormatInt(c.DocumentID, 10) + "\x00" + names.Normalize(name) + "\x00" + string(v.Status)
			if seen[key] {
				continue
			}
			seen[key] = true
			n[c.DocumentID]++
			status := v.Status
			if status == "" {
				status = vigil.Killed
			}
			r := &vigil.VictimRecord{
				List:        DocumentsList,
				RecordID:    strconv.FormatInt(c.DocumentID, 10) + "-" + strconv.Itoa(n[c.DocumentID]),
				FullName:    name,
				Sex:         v.Sex,
				Age:         v.Age,
				Date:        date,
				Place:       place,
				Perpetrator: perp,
				Status:      status,
				Minor:       v.Minor || (v.Age != nil && *v.Age < 18) || v.AgeGroup == "child",
				Sensitivity: vigil.Restricted,
				DocumentID:  c.DocumentID,
			}
			out = append(out, r)
		}
	}
	return out
}

// claimPerpetrator is the perpetrator a victim record from a claim
// carries: the one candidate alleged and not denied, "contested" when
// several are, "" when none is.
func claimPerpetrator(a vigil.Attribution) string {
	var alleged []string
	for _, c := range a.Candidates {
		if c.Status == vigil.Denied || c.Actor == "" {
			continue
		}
		alleged = append(alleged, c.Actor)
	}
	switch len(alleged) {
	case 0:
		return ""
	case 1:
		return alleged[0]
	}
	return "contested"
}
