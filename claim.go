package vigil

import (
	"fmt"
	"time"
)

// Span is a range of the document's extracted text, in byte offsets
// [Start, End) into the UTF-8 text, with the quoted text for reference.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text,omitempty"`
}

// EventType is a kind of violent event. Each maps onto an ACLED event type
// and sub-type (see ACLED).
type EventType string

const (
	EventAirStrike       EventType = "air_strike"
	EventShelling        EventType = "shelling"
	EventChemical        EventType = "chemical_weapon"
	EventIED             EventType = "remote_explosive"
	EventSuicideBomb     EventType = "suicide_bomb"
	EventGrenade         EventType = "grenade"
	EventArmedClash      EventType = "armed_clash"
	EventAttackCivilians EventType = "attack_on_civilians"
	EventAbduction       EventType = "abduction"
	EventSexualViolence  EventType = "sexual_violence"
	EventLandmine        EventType = "landmine"
	EventExecution       EventType = "execution"
	EventDetentionDeath  EventType = "death_in_detention"
	EventOther           EventType = "other"
	EventUnknown         EventType = "unknown"
)

// ACLEDType is the ACLED event type and sub-type an EventType maps to.
type ACLEDType struct {
	EventType string `json:"event_type"`
	SubType   string `json:"sub_event_type"`
}

var acled = map[EventType]ACLEDType{
	EventAirStrike:       {"Explosions/Remote violence", "Air/drone strike"},
	EventShelling:        {"Explosions/Remote violence", "Shelling/artillery/missile attack"},
	EventChemical:        {"Explosions/Remote violence", "Chemical weapon"},
	EventIED:             {"Explosions/Remote violence", "Remote explosive/landmine/IED"},
	EventLandmine:        {"Explosions/Remote violence", "Remote explosive/landmine/IED"},
	EventSuicideBomb:     {"Explosions/Remote violence", "Suicide bomb"},
	EventGrenade:         {"Explosions/Remote violence", "Grenade"},
	EventArmedClash:      {"Battles", "Armed clash"},
	EventAttackCivilians: {"Violence against civilians", "Attack"},
	EventExecution:       {"Violence against civilians", "Attack"},
	EventDetentionDeath:  {"Violence against civilians", "Attack"},
	EventAbduction:       {"Violence against civilians", "Abduction/forced disappearance"},
	EventSexualViolence:  {"Violence against civilians", "Sexual violence"},
	EventOther:           {"Strategic developments", "Other"},
	EventUnknown:         {"", ""},
}

// ACLED returns the ACLED type and sub-type; ok is false for unknown types.
func (t EventType) ACLED() (ACLEDType, bool) {
	a, ok := acled[t]
	return a, ok
}

// Valid reports whether t is a known event type.
func (t EventType) Valid() bool { _, ok := acled[t]; return ok }

// EventTypes lists every known event type.
func EventTypes() []EventType {
	return []EventType{EventAirStrike, EventShelling, EventChemical, EventIED, EventLandmine,
		EventSuicideBomb, EventGrenade, EventArmedClash, EventAttackCivilians, EventExecution,
		EventDetentionDeath, EventAbduction, EventSexualViolence, EventOther, EventUnknown}
}

// FigureKind says whether a figure counts the killed or the injured.
type FigureKind string

const (
	Killed  FigureKind = "killed"
	Injured FigureKind = "injured"
	Missing FigureKind = "missing"
)

// Category is the group of people a figure counts.
type Category string

const (
	CatTotal      Category = "total"
	CatCivilians  Category = "civilians"
	CatChildren   Category = "children"
	CatWomen      Category = "women"
	CatMen        Category = "men"
	CatCombatants Category = "combatants"
	CatUnknown    Category = "unknown"
)

// Categories lists every category.
func Categories() []Category {
	return []Category{CatTotal, CatCivilians, CatChildren, CatWomen, CatMen, CatCombatants, CatUnknown}
}

// Qualifier says how a figure was stated.
type Qualifier string

const (
	QualExact    Qualifier = "exact"
	QualAtLeast  Qualifier = "at_least"
	QualMoreThan Qualifier = "more_than"
	QualAbout    Qualifier = "about"
	QualUpTo     Qualifier = "up_to"
)

// Figure is a count of killed or injured people in one category, as a range.
// Max is nil when there is no upper bound ("at least 12", "dozens").
type Figure struct {
	Kind      FigureKind `json:"kind"`
	Category  Category   `json:"category"`
	Min       int        `json:"min"`
	Max       *int       `json:"max"`
	Qualifier Qualifier  `json:"qualifier"`
	Spans     []Span     `json:"spans,omitempty"`
}

// Exact returns an exact figure.
func Exact(kind FigureKind, cat Category, n int) Figure {
	return Figure{Kind: kind, Category: cat, Min: n, Max: &n, Qualifier: QualExact}
}

// Validate checks the figure's internal consistency.
func (f Figure) Validate() error {
	if f.Min < 0 {
		return FieldErrorf(EINVALID, "figure.min", "negative count %d", f.Min)
	}
	if f.Max != nil && *f.Max < f.Min {
		return FieldErrorf(EINVALID, "figure.max", "max %d below min %d", *f.Max, f.Min)
	}
	return nil
}

// String gives a short human form: "8", "12-15", "300000+".
func (f Figure) String() string {
	switch {
	case f.Max == nil:
		return fmt.Sprintf("%d+", f.Min)
	case *f.Max == f.Min:
		return fmt.Sprintf("%d", f.Min)
	default:
		return fmt.Sprintf("%d-%d", f.Min, *f.Max)
	}
}

// SourceType says who a source is.
type SourceType string

const (
	SourceMedia    SourceType = "media"
	SourceNGO      SourceType = "ngo"
	SourceMedical  SourceType = "medical"
	SourceOfficial SourceType = "official"
	SourceSocial   SourceType = "social_media"
	SourceWitness  SourceType = "witness"
	SourceList     SourceType = "victim_list"
	SourceOther    SourceType = "other"
)

// Source is who says something: the publisher of a document, or a person or
// body a document cites. An anonymous source's identifying details are
// restricted.
type Source struct {
	ID          string      `json:"id,omitempty"`
	Name        string      `json:"name"`
	Type        SourceType  `json:"type"`
	Anonymous   bool        `json:"anonymous"`
	Description string      `json:"description,omitempty"`
	Sensitivity Sensitivity `json:"sensitivity"`
	Spans       []Span      `json:"spans,omitempty"`
}

// AttributionStatus is how far a perpetrator is established.
type AttributionStatus string

const (
	Alleged   AttributionStatus = "alleged"
	Contested AttributionStatus = "contested"
	Confirmed AttributionStatus = "confirmed"
	Denied    AttributionStatus = "denied"
)

// PerpetratorCandidate is one actor alleged to be responsible.
type PerpetratorCandidate struct {
	Actor     string            `json:"actor"`                // canonical actor key, e.g. "russia", "syrian_government"
	Label     string            `json:"label,omitempty"`      // display name
	AllegedBy []string          `json:"alleged_by,omitempty"` // source ids or names
	DeniedBy  []string          `json:"denied_by,omitempty"`
	Status    AttributionStatus `json:"status"`
	Hedge     string            `json:"hedge,omitempty"` // "suspected", "claimed responsibility", ...
	Spans     []Span            `json:"spans,omitempty"`
}

// Attribution lists perpetrator candidates. Unidentified is set when the text
// names an unidentified actor ("unidentified aircraft").
type Attribution struct {
	Candidates   []PerpetratorCandidate `json:"candidates"`
	Unidentified bool                   `json:"unidentified,omitempty"`
	Spans        []Span                 `json:"spans,omitempty"`
}

// DeriveStatus sets each candidate's status from the evidence: denied when
// only denials, contested when several candidates are alleged, alleged when
// one. Confirmed and denied set by review are kept.
func (a *Attribution) DeriveStatus() {
	alleged := 0
	for _, c := range a.Candidates {
		if c.Status != Confirmed && c.Status != Denied {
			alleged++
		}
	}
	for i := range a.Candidates {
		c := &a.Candidates[i]
		if c.Status == Confirmed || c.Status == Denied {
			continue
		}
		if alleged > 1 {
			c.Status = Contested
		} else {
			c.Status = Alleged
		}
	}
}

// FacilityType is a kind of protected or notable facility.
type FacilityType string

const (
	FacilityHealth      FacilityType = "health"
	FacilityEducation   FacilityType = "education"
	FacilityWorship     FacilityType = "place_of_worship"
	FacilityMarket      FacilityType = "market"
	FacilityWater       FacilityType = "water"
	FacilityResidential FacilityType = "residential"
	FacilityOther       FacilityType = "other"
)

// Facility is a facility hit by, or involved in, an event.
type Facility struct {
	Type  FacilityType `json:"type"`
	Name  string       `json:"name,omitempty"` // e.g. "M10"
	Role  string       `json:"role,omitempty"` // "hit", "treated_casualties", "involved"
	Spans []Span       `json:"spans,omitempty"`
}

// Sex of a victim.
type Sex string

const (
	SexFemale  Sex = "female"
	SexMale    Sex = "male"
	SexUnknown Sex = ""
)

// Victim is one person killed or injured, from a document or a list.
// Names and ages of victims are restricted when the victim is a minor or the
// record is marked restricted.
type Victim struct {
	ID               string      `json:"id,omitempty"`
	Name             string      `json:"name,omitempty"` // in the original script
	Transliterations []string    `json:"transliterations,omitempty"`
	Sex              Sex         `json:"sex,omitempty"`
	Age              *int        `json:"age,omitempty"`
	AgeGroup         string      `json:"age_group,omitempty"` // "child", "adult", "elderly"
	Status           FigureKind  `json:"status"`              // killed or injured
	Minor            bool        `json:"minor"`
	Sensitivity      Sensitivity `json:"sensitivity"`
	Detail           string      `json:"detail,omitempty"`
	ListID           string      `json:"list_id,omitempty"`   // the victim list this record came from
	RecordID         string      `json:"record_id,omitempty"` // the list's own record id
	Spans            []Span      `json:"spans,omitempty"`
}

// ContextFigure is a background statistic, a figure about another place or
// time, a daily intake or a forecast. It is never part of an incident's
// figures.
type ContextFigure struct {
	Description string     `json:"description"`
	Kind        FigureKind `json:"kind"`
	Category    Category   `json:"category"`
	Min         int        `json:"min"`
	Max         *int       `json:"max"`
	Qualifier   Qualifier  `json:"qualifier"`
	Scope       string     `json:"scope,omitempty"`  // place and period the figure covers
	Reason      string     `json:"reason,omitempty"` // background, other_incidents, daily_intake, forecast, unknown
	Spans       []Span     `json:"spans,omitempty"`
}

// Valued is a single value with its supporting spans.
type Valued[T any] struct {
	Value T      `json:"value"`
	Spans []Span `json:"spans,omitempty"`
}

// Claim is what one document says about one event. Every value carries the
// spans of the document text that support it.
type Claim struct {
	ID             int64             `json:"id"`
	DocumentID     int64             `json:"document_id"`
	Index          int               `json:"index"` // order of the event within the document
	EventType      Valued[EventType] `json:"event_type"`
	Date           Valued[FuzzyDate] `json:"date"`
	Place          *Valued[Place]    `json:"place,omitempty"`
	Attribution    Attribution       `json:"attribution"`
	Figures        []Figure          `json:"figures"`
	Facilities     []Facility        `json:"facilities,omitempty"`
	Victims        []Victim          `json:"victims,omitempty"`
	Sources        []Source          `json:"sources,omitempty"`
	ContextFigures []ContextFigure   `json:"context_figures,omitempty"`
	Summary        string            `json:"summary,omitempty"`
	Extractor      string            `json:"extractor"` // name and version of what produced it
	IncidentID     *int64            `json:"incident_id,omitempty"`
	CreatedAt      time.Time         `json:"created_at"`
}

// Figure returns the claim's figure for kind and category, if stated.
func (c *Claim) Figure(kind FigureKind, cat Category) (Figure, bool) {
	for _, f := range c.Figures {
		if f.Kind == kind && f.Category == cat {
			return f, true
		}
	}
	return Figure{}, false
}
