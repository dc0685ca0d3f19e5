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
