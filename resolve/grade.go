package resolve

import (
	"fmt"
	"slices"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// Propose sets inc.ProposedGrade and inc.ProposedRationale from the
// evidence of a reconciled incident (see docs/grading.md):
//
//   - discounted: every perpetrator candidate was denied by review;
//   - confirmed: a reviewer confirmed a perpetrator (vigil never proposes
//     confirmed from reports alone);
//   - contested: several perpetrators are alleged, or one is both alleged
//     and denied;
//   - fair: at least FairSources independent sources (distinct
//     publishers), whose killed and injured figures agree within
//     AgreementRatio, with a perpetrator alleged;
//   - weak: anything less (one source, disagreeing figures, no perpetrator).
//
// When no reviewer has set a grade (GradeReason empty), Grade follows the
// proposal.
func Propose(inc *vigil.Incident, g GradeConfig) {
	if g.FairSources == 0 {
		g = DefaultConfig().Grading
	}
	grade, why := propose(inc, g)
	inc.ProposedGrade = grade
	inc.ProposedRationale = why
	if inc.GradeReason == "" {
		inc.Grade = grade
	}
}

func propose(inc *vigil.Incident, g GradeConfig) (vigil.Grade, string) {
	indep := independentSources(inc)
	n := len(indep)
	srcWords := fmt.Sprintf("%d independent source", n)
	if n != 1 {
		srcWords += "s"
	}
	if n > 0 {
		srcWords += " (" + strings.Join(indep, ", ") + ")"
	}
	var confirmed, denied, alleged, contested []string
	for _, c := range inc.Attribution.Candidates {
		name := c.Label
		if name == "" {
			name = c.Actor
		}
		switch c.Status {
		case vigil.Confirmed:
			confirmed = append(confirmed, name)
		case vigil.Denied:
			denied = append(denied, name)
		case vigil.Contested:
			contested = append(contested, name)
		default:
			alleged = append(alleged, name)
		}
		if c.Status != vigil.Confirmed && c.Status != vigil.Denied && len(c.AllegedBy) > 0 && len(c.DeniedBy) > 0 && !slices.Contains(contested, name) {
			contested = append(contested, name)
		}
	}
	agree, spread := figuresAgree(inc, g.AgreementRatio)
	switch {
	case len(inc.Attribution.Candidates) > 0 && len(denied) == len(inc.Attribution.Candidates):
		return vigil.GradeDiscounted, fmt.Sprintf("every alleged perpetrator (%s) was denied on review; %s", strings.Join(denied, ", "), srcWords)
	case len(confirmed) > 0:
		return vigil.GradeConfirmed, fmt.Sprintf("responsibility of %s confirmed on review; %s", strings.Join(confirmed, ", "), srcWords)
	case len(contested) > 0:
		return vigil.GradeContested, fmt.Sprintf("responsibility contested between %s; %s", strings.Join(contested, " and "), srcWords)
	case n >= g.FairSources && agree && len(alleged) > 0:
		return vigil.GradeFair, fmt.Sprintf("%s agree on the event%s; %s alleged", srcWords, spread, strings.Join(alleged, ", "))
	case n >= g.FairSources && !agree:
		return vigil.GradeWeak, fmt.Sprintf("%s, but their figures disagree%s", srcWords, spread)
	case n >= g.FairSources:
		return vigil.GradeWeak, fmt.Sprintf("%s, but no perpetrator is named", srcWords)
	case len(alleged) > 0:
		return vigil.GradeWeak, fmt.Sprintf("a single source (%s); %s alleged", strings.Join(indep, ", "), strings.Join(alleged, ", "))
	default:
		return vigil.GradeWeak, fmt.Sprintf("%s; no perpetrator named", srcWords)
	}
}

// independentSources lists the distinct publishers behind an incident: the
// sources of its figures, else its publisher sources, by SourceKey.
func independentSources(inc *vigil.Incident) []string {
	var out []string
	seen := map[string]bool{}
	add := func(name string) {
		k := SourceKey(name)
		if k == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, name)
	}
	for _, fr := range inc.Figures {
		for _, sf := range fr.BySource {
			add(sf.Source)
		}
	}
	for _, s := range inc.Sources {
		if s.Type == vigil.SourceMedia && !s.Anonymous {
			add(s.Name)
		}
	}
	for _, c := range inc.Attribution.Candidates {
		for _, s := range c.AllegedBy {
			add(s)
		}
	}
	return out
}

// figuresAgree reports whether the current killed (else injured) figures
// of the sources lie within ratio of each other.
func figuresAgree(inc *vigil.Incident, ratio float64) (bool, string) {
	for _, kind := range []vigil.FigureKind{vigil.Killed, vigil.Injured} {
		for _, fr := range inc.Figures {
			if fr.Kind != kind || len(fr.BySource) == 0 {
				continue
			}
			if fr.Max == nil {
				return true, ""
			}
			lo := max(fr.Min, 1)
			spread := fmt.Sprintf(" (%s %s %d-%d)", kind, fr.Category, fr.Min, *fr.Max)
			return float64(*fr.Max) <= ratio*float64(lo), spread
		}
	}
	return true, ""
}
