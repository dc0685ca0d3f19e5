package vigil

// Withheld replaces a restricted value in public views.
const Withheld = "[withheld]"

// RedactVictim returns the victim as a public view may show it: a minor's or
// restricted record keeps its status, sex and age group but loses its name,
// exact age, details and supporting spans.
func RedactVictim(v Victim) Victim {
	if !v.Minor && v.Sensitivity != Restricted {
		return v
	}
	return Victim{Status: v.Status, Sex: v.Sex, AgeGroup: ageGroupOf(v), Minor: v.Minor, Sensitivity: Restricted, Name: Withheld}
}

func ageGroupOf(v Victim) string {
	if v.AgeGroup != "" {
		return v.AgeGroup
	}
	if v.Minor {
		return "child"
	}
	return ""
}

// RedactSource returns the source as a public view may show it: an anonymous
// or restricted source keeps only its type.
func RedactSource(s Source) Source {
	if !s.Anonymous && s.Sensitivity != Restricted {
		return s
	}
	name := "anonymous source"
	switch s.Type {
	case SourceMedical:
		name = "anonymous medical source"
	case SourceWitness:
		name = "anonymous witness"
	case SourceOfficial:
		name = "anonymous official"
	}
	return Source{ID: s.ID, Name: name, Type: s.Type, Anonymous: true, Sensitivity: Restricted}
}

// RedactIncident returns a copy of the incident fit for a public view.
func RedactIncident(inc *Incident) *Incident {
	c := *inc
	c.Victims = make([]Victim, len(inc.Victims))
	for i, v := range inc.Victims {
		c.Victims[i] = RedactVictim(v)
	}
	c.Sources = make([]Source, len(inc.Sources))
	for i, s := range inc.Sources {
		c.Sources[i] = RedactSource(s)
	}
	c.LastEditor = ""
	c.GradeReason = ""
	return &c
}

// RedactClaim returns a copy of the claim fit for a public view.
func RedactClaim(cl *Claim) *Claim {
	c := *cl
	c.Victims = make([]Victim, len(cl.Victims))
	for i, v := range cl.Victims {
		c.Victims[i] = RedactVictim(v)
	}
	c.Sources = make([]Source, len(cl.Sources))
	for i, s := range cl.Sources {
		c.Sources[i] = RedactSource(s)
	}
	return &c
}

// RestrictedSpans returns the spans of a claim's restricted values (named
// minors, restricted victims, anonymous sources), which a public view of the
// document text must mask.
func RestrictedSpans(cl *Claim) []Span {
	var out []Span
	for _, v := range cl.Victims {
		if v.Minor || v.Sensitivity == Restricted {
			out = append(out, v.Spans...)
		}
	}
	for _, s := range cl.Sources {
		if s.Anonymous || s.Sensitivity == Restricted {
			out = append(out, s.Spans...)
		}
	}
	return out
}
