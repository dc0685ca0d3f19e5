package resolve

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	vigil "github.com/vigil-rec/vigil"
)

// SourceName is the name a claim's figures are credited to: its
// document's publisher, else its title, else the document id.
func SourceName(doc *vigil.Document, documentID int64) string {
	if doc != nil {
		if p := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(doc.Publisher), "'")); p != "" {
			return p
		}
	}
	return fmt.Sprintf("document %d", documentID)
}

var minorWords = map[string]bool{"for": true, "of": true, "the": true, "and": true, "in": true, "on": true, "al": true}

// SourceKey is the key under which two publisher names count as the same
// source: letters and digits only, lower case, so "SOHR", "@SOHR" and
// "Syrian Observatory for Human Rights" (whose initials are SOHR) agree,
// and "SANA" and "SANA news" share their first word when it is an acronym.
func SourceKey(name string) string {
	name = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(name), "'@"))
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		return ""
	}
	if len(words) >= 3 {
		var b strings.Builder
		for _, w := range words {
			if minorWords[strings.ToLower(w)] {
				continue
			}
			r := []rune(w)
			b.WriteRune(unicode.ToLower(r[0]))
		}
		if b.Len() >= 3 {
			return b.String()
		}
	}
	first := words[0]
	if len(first) >= 3 && strings.ToUpper(first) == first {
		return strings.ToLower(first)
	}
	return normName(strings.Join(words, ""))
}

type claimDoc struct {
	c     *vigil.Claim
	doc   *vigil.Document
	src   string
	key   string
	order time.Time
}

// docTime orders reports of one source: by publication, then by capture.
func docTime(doc *vigil.Document) time.Time {
	if doc == nil {
		return time.Time{}
	}
	if doc.Published != nil && !doc.Published.IsZero() {
		return doc.Published.Latest
	}
	return doc.Captured
}

// Reconcile recomputes an incident from its claims: figures per kind and
// category as min and max over sources (never a sum), with every source's
// own figure and spans, a later report of the same source superseding its
// earlier one (kept, marked superseded); the date as the most precise one
// consistent with all claims; the most precise place; the event type most
// reports give; attribution per candidate with the sources alleging it and
// its derived status (confirmed and denied set by review are kept);
// facilities, victims and sources merged without duplicates. docs maps
// document ids to documents (for publishers and publication dates).
// Review fields (grade, review state, reasons) are left as they are.
func Reconcile(inc *vigil.Incident, claims []*vigil.Claim, docs map[int64]*vigil.Document) {
	cds := make([]claimDoc, 0, len(claims))
	for _, c := range claims {
		doc := docs[c.DocumentID]
		src := SourceName(doc, c.DocumentID)
		cds = append(cds, claimDoc{c: c, doc: doc, src: src, key: SourceKey(src), order: docTime(doc)})
	}
	// Oldest first; within a source the last one is the latest report.
	slices.SortStableFunc(cds, func(a, b claimDoc) int {
		if c := a.order.Compare(b.order); c != 0 {
			return c
		}
		if c := cmp.Compare(a.c.DocumentID, b.c.DocumentID); c != 0 {
			return c
		}
		return cmp.Compare(a.c.ID, b.c.ID)
	})

	inc.ClaimIDs = inc.ClaimIDs[:0]
	inc.DocumentIDs = inc.DocumentIDs[:0]
	for _, cd := range cds {
		inc.ClaimIDs = append(inc.ClaimIDs, cd.c.ID)
		inc.DocumentIDs = append(inc.DocumentIDs, cd.c.DocumentID)
	}
	slices.Sort(inc.ClaimIDs)
	inc.ClaimIDs = slices.Compact(inc.ClaimIDs)
	slices.Sort(inc.DocumentIDs)
	inc.DocumentIDs = slices.Compact(inc.DocumentIDs)

	inc.Figures = reconcileFigures(cds)
	inc.EventType = reconcileType(cds)
	inc.Date = reconcileDate(cds)
	inc.Place = reconcilePlace(cds)
	inc.Attribution = reconcileAttribution(inc.Attribution, cds)
	inc.Facilities = reconcileFacilities(cds)
	inc.Victims = reconcileVictims(cds)
	inc.Sources = reconcileSources(cds)
	inc.Sensitivity = vigil.Public
	for _, v := range inc.Victims {
		if v.Minor || v.Sensitivity == vigil.Restricted {
			inc.Sensitivity = vigil.Restricted
		}
	}
	for _, s := range inc.Sources {
		if s.Anonymous || s.Sensitivity == vigil.Restricted {
			inc.Sensitivity = vigil.Restricted
		}
	}
	inc.Title = Title(inc)
}

type figKey struct {
	kind vigil.FigureKind
	cat  vigil.Category
}

func upper(f vigil.Figure) int {
	if f.Max != nil {
		return *f.Max
	}
	return f.Min
}

func reconcileFigures(cds []claimDoc) []vigil.FigureRange {
	ranges := map[figKey]*vigil.FigureRange{}
	var order []figKey
	// latest[key][source] is the index in BySource of the source's current figure.
	latest := map[figKey]map[string]int{}
	for _, cd := range cds {
		for _, f := range cd.c.Figures {
			k := figKey{f.Kind, f.Category}
			fr := ranges[k]
			if fr == nil {
				fr = &vigil.FigureRange{Kind: f.Kind, Category: f.Category}
				ranges[k] = fr
				order = append(order, k)
				latest[k] = map[string]int{}
			}
			if i, ok := latest[k][cd.key]; ok {
				fr.BySource[i].Superseded = true
			}
			latest[k][cd.key] = len(fr.BySource)
			fr.BySource = append(fr.BySource, vigil.SourcedFigure{Figure: f, ClaimID: cd.c.ID, DocumentID: cd.c.DocumentID, Source: cd.src})
		}
	}
	slices.SortFunc(order, func(a, b figKey) int {
		if c := cmp.Compare(kindRank(a.kind), kindRank(b.kind)); c != 0 {
			return c
		}
		return cmp.Compare(catRank(a.cat), catRank(b.cat))
	})
	out := make([]vigil.FigureRange, 0, len(order))
	for _, k := range order {
		fr := ranges[k]
		first := true
		for _, sf := range fr.BySource {
			if sf.Superseded {
				continue
			}
			u := upper(sf.Figure)
			if first || sf.Min < fr.Min {
				fr.Min = sf.Min
			}
			if first || u > *fr.Max {
				fr.Max = &u
			}
			first = false
		}
		for _, sf := range fr.BySource {
			if sf.Superseded {
				continue
			}
			if sf.Min == fr.Min && !slices.Contains(fr.MinSources, sf.Source) {
				fr.MinSources = append(fr.MinSources, sf.Source)
			}
			if upper(sf.Figure) == *fr.Max && !slices.Contains(fr.MaxSources, sf.Source) {
				fr.MaxSources = append(fr.MaxSources, sf.Source)
			}
		}
		out = append(out, *fr)
	}
	return out
}

func kindRank(k vigil.FigureKind) int {
	switch k {
	case vigil.Killed:
		return 0
	case vigil.Injured:
		return 1
	}
	return 2
}

func catRank(c vigil.Category) int {
	if i := slices.Index(vigil.Categories(), c); i >= 0 {
		return i
	}
	return 99
}

func reconcileType(cds []claimDoc) vigil.EventType {
	count := map[vigil.EventType]int{}
	best, n := vigil.EventUnknown, 0
	for _, cd := range cds {
		t := cd.c.EventType.Value
		if t == "" || t == vigil.EventUnknown {
			continue
		}
		count[t]++
		if count[t] > n {
			best, n = t, count[t]
		}
	}
	return best
}

// reconcileDate picks the narrowest claim date that overlaps every other
// claim date; when the claims disagree, the narrowest date overall.
func reconcileDate(cds []claimDoc) vigil.FuzzyDate {
	var dates []vigil.FuzzyDate
	for _, cd := range cds {
		if !cd.c.Date.Value.IsZero() {
			dates = append(dates, cd.c.Date.Value)
		}
	}
	if len(dates) == 0 {
		return vigil.FuzzyDate{}
	}
	slices.SortStableFunc(dates, func(a, b vigil.FuzzyDate) int {
		return cmp.Compare(a.Latest.Sub(a.Earliest), b.Latest.Sub(b.Earliest))
	})
	for _, d := range dates {
		ok := true
		for _, o := range dates {
			if !d.Overlaps(o) {
				ok = false
				break
			}
		}
		if ok {
			return d
		}
	}
	return dates[0]
}

func reconcilePlace(cds []claimDoc) *vigil.Place {
	var best *vigil.Place
	for _, cd := range cds {
		if cd.c.Place == nil {
			continue
		}
		p := &cd.c.Place.Value
		if best == nil || p.Precision.FinerThan(best.Precision) {
			best = p
		}
	}
	if best == nil {
		return nil
	}
	cp := *best
	cp.Variants = slices.Clone(best.Variants)
	cp.Admin = slices.Clone(best.Admin)
	return &cp
}

func addUnique(s []string, v string) []string {
	if v == "" || slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func reconcileAttribution(prev vigil.Attribution, cds []claimDoc) vigil.Attribution {
	reviewed := map[string]vigil.AttributionStatus{}
	for _, c := range prev.Candidates {
		if c.Status == vigil.Confirmed || c.Status == vigil.Denied {
			reviewed[c.Actor] = c.Status
		}
	}
	var out vigil.Attribution
	idx := map[string]int{}
	for _, cd := range cds {
		a := cd.c.Attribution
		out.Unidentified = out.Unidentified || a.Unidentified
		for _, c := range a.Candidates {
			if c.Actor == "" {
				continue
			}
			i, ok := idx[c.Actor]
			if !ok {
				i = len(out.Candidates)
				idx[c.Actor] = i
				out.Candidates = append(out.Candidates, vigil.PerpetratorCandidate{Actor: c.Actor, Label: c.Label, Hedge: c.Hedge})
			}
			pc := &out.Candidates[i]
			if c.Status == vigil.Denied {
				pc.DeniedBy = addUnique(pc.DeniedBy, cd.src)
			} else {
				pc.AllegedBy = addUnique(pc.AllegedBy, cd.src)
			}
			if pc.Hedge == "" {
				pc.Hedge = c.Hedge
			}
			if pc.Label == "" {
				pc.Label = c.Label
			}
		}
	}
	// Keep reviewed candidates even when no claim names them any more.
	for _, c := range prev.Candidates {
		if _, ok := idx[c.Actor]; !ok && reviewed[c.Actor] != "" {
			idx[c.Actor] = len(out.Candidates)
			out.Candidates = append(out.Candidates, vigil.PerpetratorCandidate{Actor: c.Actor, Label: c.Label, Status: c.Status})
		}
	}
	for i := range out.Candidates {
		c := &out.Candidates[i]
		if st, ok := reviewed[c.Actor]; ok {
			c.Status = st
		} else if len(c.AllegedBy) == 0 && len(c.DeniedBy) > 0 {
			// Only denials: not alleged by anyone here.
			c.Status = vigil.Denied
		}
	}
	// DeriveStatus keeps confirmed and denied; a candidate denied by sources
	// (not by review) that others allege is contested.
	out.DeriveStatus()
	for i := range out.Candidates {
		c := &out.Candidates[i]
		if _, ok := reviewed[c.Actor]; !ok && len(c.AllegedBy) > 0 && len(c.DeniedBy) > 0 {
			c.Status = vigil.Contested
		}
	}
	return out
}

func reconcileFacilities(cds []claimDoc) []vigil.Facility {
	var out []vigil.Facility
	seen := map[string]int{}
	for _, cd := range cds {
		for _, f := range cd.c.Facilities {
			k := string(f.Type) + "|" + normName(f.Name)
			if i, ok := seen[k]; ok {
				if out[i].Role == "" {
					out[i].Role = f.Role
				}
				continue
			}
			// An unnamed facility of a type already present by name adds nothing.
			if f.Name == "" && slices.ContainsFunc(out, func(o vigil.Facility) bool { return o.Type == f.Type }) {
				continue
			}
			seen[k] = len(out)
			out = append(out, f)
		}
	}
	return out
}

// reconcileVictims merges named victims by name and status; unnamed victims
// are kept from the one report that describes most of them, since several
// reports of unnamed victims usually describe the same people.
func reconcileVictims(cds []claimDoc) []vigil.Victim {
	var out []vigil.Victim
	seen := map[string]bool{}
	var unnamed []vigil.Victim
	for _, cd := range cds {
		var mine []vigil.Victim
		for _, v := range cd.c.Victims {
			if strings.TrimSpace(v.Name) == "" {
				mine = append(mine, v)
				continue
			}
			k := normName(v.Name) + "|" + string(v.Status)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, v)
		}
		if len(mine) > len(unnamed) {
			unnamed = mine
		}
	}
	return append(out, unnamed...)
}

func reconcileSources(cds []claimDoc) []vigil.Source {
	var out []vigil.Source
	seen := map[string]bool{}
	add := func(s vigil.Source) {
		k := SourceKey(s.Name) + "|" + string(s.Type)
		if s.Anonymous {
			k += "|anon|" + s.Description
		}
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, s)
	}
	for _, cd := range cds {
		if cd.doc != nil && cd.doc.Publisher != "" {
			add(vigil.Source{Name: cd.src, Type: vigil.SourceMedia, Sensitivity: vigil.Public})
		}
		for _, s := range cd.c.Sources {
			add(s)
		}
	}
	return out
}

// Title is a short generated title: event type, place, date.
func Title(inc *vigil.Incident) string {
	t := strings.ReplaceAll(string(inc.EventType), "_", " ")
	if t == "" || inc.EventType == vigil.EventUnknown {
		t = "event"
	}
	t = strings.ToUpper(t[:1]) + t[1:]
	if inc.Place != nil && inc.Place.Name != "" {
		t += ", " + inc.Place.Name
		if g := inc.Place.Governorate(); g != nil && g.Name != inc.Place.Name {
			t += ", " + g.Name
		}
	}
	if !inc.Date.IsZero() {
		t += ", " + inc.Date.String()
	}
	return t
}
