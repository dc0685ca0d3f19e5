package web

import (
	"html/template"
	"sort"
	"strings"
	"unicode/utf8"

	vigil "github.com/vigil-rec/vigil"
)

// mark is a span of a document's text to highlight, with what it supports.
type mark struct {
	vigil.Span
	Class string // figure, date, place, actor, type, facility, victim, source, context
	Label string
}

// claimMarks returns the spans behind every value of a claim.
func claimMarks(c *vigil.Claim) []mark {
	var out []mark
	add := func(class, label string, spans []vigil.Span) {
		for _, s := range spans {
			out = append(out, mark{Span: s, Class: class, Label: label})
		}
	}
	add("type", string(c.EventType.Value), c.EventType.Spans)
	add("date", c.Date.Value.String(), c.Date.Spans)
	if c.Place != nil {
		add("place", c.Place.Value.Name, c.Place.Spans)
	}
	add("actor", "", c.Attribution.Spans)
	for _, p := range c.Attribution.Candidates {
		add("actor", p.Actor, p.Spans)
	}
	for _, f := range c.Figures {
		add("figure", string(f.Kind)+" "+string(f.Category)+": "+f.String(), f.Spans)
	}
	for _, f := range c.Facilities {
		add("facility", string(f.Type), f.Spans)
	}
	for _, v := range c.Victims {
		add("victim", string(v.Status), v.Spans)
	}
	for _, s := range c.Sources {
		add("source", string(s.Type), s.Spans)
	}
	for _, f := range c.ContextFigures {
		add("context", "context: "+f.Description, f.Spans)
	}
	return out
}

// maskRanges returns the byte ranges of text to withhold: the restricted
// spans, and every other occurrence of the words in them (an extractor may
// have tied a name to one mention only).
func maskRanges(text string, restricted []vigil.Span) []vigil.Span {
	var out []vigil.Span
	for _, s := range restricted {
		if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
			continue
		}
		out = append(out, vigil.Span{Start: s.Start, End: s.End})
		words := strings.TrimSpace(text[s.Start:s.End])
		if s.Text != "" {
			words = s.Text
		}
		if utf8.RuneCountInString(words) < 4 {
			continue
		}
		for off := 0; ; {
			i := strings.Index(text[off:], words)
			if i < 0 {
				break
			}
			out = append(out, vigil.Span{Start: off + i, End: off + i + len(words)})
			off += i + len(words)
		}
	}
	return out
}

func validSpan(text string, s vigil.Span) bool {
	return s.Start >= 0 && s.End <= len(text) && s.Start < s.End && utf8.RuneStart(text[s.Start]) && (s.End == len(text) || utf8.RuneStart(text[s.End]))
}

// Highlight renders text with marks as <mark> elements and masked ranges
// replaced by withheld. Overlapping marks are merged: each piece of text
// carries the classes of every mark over it. Masking wins over marking.
func Highlight(text string, marks []mark, masks []vigil.Span, withheld string) template.HTML {
	cuts := map[int]bool{0: true, len(text): true}
	var ms []mark
	for _, m := range marks {
		if validSpan(text, m.Span) {
			ms = append(ms, m)
			cuts[m.Start], cuts[m.End] = true, true
		}
	}
	var mk []vigil.Span
	for _, s := range masks {
		if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
			continue
		}
		// Widen to rune boundaries so that no half character survives.
		for s.Start > 0 && !utf8.RuneStart(text[s.Start]) {
			s.Start--
		}
		for s.End < len(text) && !utf8.RuneStart(text[s.End]) {
			s.End++
		}
		mk = append(mk, s)
		cuts[s.Start], cuts[s.End] = true, true
	}
	pos := make([]int, 0, len(cuts))
	for p := range cuts {
		pos = append(pos, p)
	}
	sort.Ints(pos)
	var b strings.Builder
	masked := false
	for i := 0; i+1 < len(pos); i++ {
		a, z := pos[i], pos[i+1]
		isMasked := false
		for _, s := range mk {
			if s.Start <= a && z <= s.End {
				isMasked = true
				break
			}
		}
		if isMasked {
			if !masked {
				b.WriteString(`<span class="withheld">` + template.HTMLEscapeString(withheld) + `</span>`)
			}
			masked = true
			continue
		}
		masked = false
		var classes, labels []string
		for _, m := range ms {
			if m.Start <= a && z <= m.End {
				if !contains(classes, m.Class) {
					classes = append(classes, m.Class)
				}
				if m.Label != "" && !contains(labels, m.Label) {
					labels = append(labels, m.Label)
				}
			}
		}
		piece := template.HTMLEscapeString(text[a:z])
		if len(classes) == 0 {
			b.WriteString(piece)
			continue
		}
		b.WriteString(`<mark class="span ` + template.HTMLEscapeString("span-"+strings.Join(classes, " span-")) + `" title="` + template.HTMLEscapeString(strings.Join(labels, "; ")) + `">` + piece + `</mark>`)
	}
	return template.HTML(b.String())
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
