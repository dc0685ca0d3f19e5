package vigil

import "time"

// Grade is how sure reviewers are that an incident happened as recorded. The
// default scale follows Airwars (docs/grading.md); the scale is configuration.
type Grade string

const (
	GradeConfirmed  Grade = "confirmed"
	GradeFair       Grade = "fair"
	GradeWeak       Grade = "weak"
	GradeContested  Grade = "contested"
	GradeDiscounted Grade = "discounted"
	GradeUngraded   Grade = ""
)

// ReviewState is where an incident is in the review workflow.
type ReviewState string

const (
	ReviewNew       ReviewState = "new"
	ReviewInReview  ReviewState = "in_review"
	ReviewReviewed  ReviewState = "reviewed"
	ReviewPublished ReviewState = "published"
)

// SourcedFigure is one source's figure within an incident.
type SourcedFigure struct {
	Figure
	ClaimID    int64  `json:"claim_id"`
	DocumentID int64  `json:"document_id"`
	Source     string `json:"source"`
	Superseded bool   `json:"superseded,omitempty"`
}

// FigureRange is an incident's figure for one kind and category: the min and
// max over its sources (never a sum), with the sources behind each bound.
type FigureRange struct {
	Kind       FigureKind      `json:"kind"`
	Category   Category        `json:"category"`
	Min        int             `json:"min"`
	Max        *int            `json:"max"`
	MinSources []string        `json:"min_sources"`
	MaxSources []string        `json:"max_sources"`
	BySource   []SourcedFigure `json:"by_source"`
}

// Incident is one event, resolved from the claims of one or more documents.
type Incident struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	EventType   EventType     `json:"event_type"`
	Date        FuzzyDate     `json:"date"`
	Place       *Place        `json:"place,omitempty"`
	Figures     []FigureRange `json:"figures"`
	Attribution Attribution   `json:"attribution"`
	Facilities  []Facility    `json:"facilities,omitempty"`
	Grade       Grade         `json:"grade"`
	GradeReason string        `json:"grade_reason,omitempty"`
	Review      ReviewState   `json:"review_state"`
	// ProposedGrade is what vigil proposes from the evidence, with its
	// rationale; Grade is the reviewed grade (equal to the proposal until a
	// reviewer overrides it with GradeReason).
	ProposedGrade     Grade    `json:"proposed_grade"`
	ProposedRationale string   `json:"proposed_rationale,omitempty"`
	ClaimIDs          []int64  `json:"claim_ids"`
	DocumentIDs       []int64  `json:"document_ids"`
	Sources           []Source `json:"sources,omitempty"`
	Victims           []Victim `json:"victims,omitempty"`
	// PossibleDuplicates are other incidents the resolver linked for review.
	PossibleDuplicates []int64     `json:"possible_duplicates,omitempty"`
	MergedInto         int64       `json:"merged_into,omitempty"`
	LastEditor         string      `json:"last_editor,omitempty"`
	Sensitivity        Sensitivity `json:"sensitivity"`
	CreatedAt          time.Time   `json:"created_at"`
	UpdatedAt          time.Time   `json:"updated_at"`
}

// HasChildren reports whether children are among the incident's casualties:
// a children figure that may be above zero, or a victim who is a minor.
func (inc *Incident) HasChildren() bool {
	for _, f := range inc.Figures {
		if f.Category == CatChildren && (f.Min > 0 || f.Max == nil || *f.Max > 0) {
			return true
		}
	}
	for _, v := range inc.Victims {
		if v.Minor {
			return true
		}
	}
	return false
}

// KilledMax returns the upper bound of the incident's total killed, if it
// has one.
func (inc *Incident) KilledMax() (int, bool) {
	for _, f := range inc.Figures {
		if f.Kind == Killed && f.Category == CatTotal && f.Max != nil {
			return *f.Max, true
		}
	}
	return 0, false
}

// IndexKey is one value an incident is found by: a p-code of its place or
// any admin unit above it, an alleged actor, or a facility type.
type IndexKey struct {
	Kind  string // "pcode", "actor", "facility"
	Value string
}

// IndexKeys returns the incident's index keys without duplicates; storage
// backends index incidents by them for the pcode, perpetrator and facility
// filters.
func (inc *Incident) IndexKeys() []IndexKey {
	seen := map[IndexKey]bool{}
	var keys []IndexKey
	add := func(kind, v string) {
		k := IndexKey{kind, v}
		if v != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if inc.Place != nil {
		add("pcode", inc.Place.PCode)
		for _, a := range inc.Place.Admin {
			add("pcode", a.PCode)
		}
	}
	for _, c := range inc.Attribution.Candidates {
		add("actor", c.Actor)
	}
	for _, f := range inc.Facilities {
		add("facility", string(f.Type))
	}
	return keys
}
