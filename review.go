package vigil

import (
	"context"
	"fmt"
	"time"
)

// Review states beyond those in incident.go.
const (
	ReviewVerified  ReviewState = "verified"
	ReviewDiscarded ReviewState = "discarded"
)

// MatchFeature is one feature's contribution to a match score: which
// feature, how strongly it agreed (0..1, or negative for a conflict), its
// weight, and a human explanation.
type MatchFeature struct {
	Name   string  `json:"name"` // date, place, event_type, perpetrator, text, ...
	Score  float64 `json:"score"`
	Weight float64 `json:"weight"`
	Detail string  `json:"detail"`
}

// Match outcomes.
const (
	MatchJoined            = "joined"             // the claim joined an existing incident
	MatchNew               = "new"                // the claim started a new incident
	MatchPossibleDuplicate = "possible_duplicate" // new incident, linked to a candidate for review
	MatchManual            = "manual"             // placed by a reviewer (merge, split)
)

// MatchDecision records why a claim was placed in an incident.
type MatchDecision struct {
	ClaimID     int64          `json:"claim_id"`
	IncidentID  int64          `json:"incident_id"`
	Outcome     string         `json:"outcome"`
	Score       float64        `json:"score"`
	CandidateID int64          `json:"candidate_id,omitempty"` // best candidate considered
	Features    []MatchFeature `json:"features,omitempty"`
	Candidates  int            `json:"candidates"` // how many candidates blocking produced
	DecidedAt   time.Time      `json:"decided_at"`
	DecidedBy   string         `json:"decided_by"`
}

// AuditEntry is one append-only record of a change: who, when, what, why,
// the old and new value. Entries are hash-chained like the custody log.
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"` // create, update, merge, split, grade, review, publish, ...
	Entity   string    `json:"entity"` // "incident", "user", ...
	EntityID int64     `json:"entity_id"`
	Field    string    `json:"field,omitempty"`
	Old      string    `json:"old,omitempty"` // JSON
	New      string    `json:"new,omitempty"` // JSON
	Reason   string    `json:"reason,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// ComputeHash returns the entry's chained hash given the previous hash.
func (a *AuditEntry) ComputeHash(prev string) string {
	return chainHash(prev, jsonLine(a.At.UTC().Format(time.RFC3339Nano), a.Actor, a.Action, a.Entity, a.EntityID, a.Field, a.Old, a.New, a.Reason))
}

// IncidentFilter selects incidents. Zero values mean "any".
type IncidentFilter struct {
	IDs           []int64
	EventType     EventType
	Governorate   string // p-code or name of the level-1 unit
	PCode         string // incidents whose place or any admin unit has this p-code
	From, To      *time.Time
	Perpetrator   string // actor key
	Grade         Grade
	Review        ReviewState
	HasChildren   bool
	FacilityType  FacilityType
	Query         string // full-text over the incident's documents
	PublishedOnly bool
	Offset        int
	Limit         int
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	Entity   string
	EntityID int64
	Offset   int
	Limit    int
}

// IncidentService stores incidents, the placement of claims in them, and the
// audit log. Every change is written with its audit entries in the same
// transaction.
type IncidentService interface {
	CreateIncident(ctx context.Context, inc *Incident, audit *AuditEntry) error
	// UpdateIncident replaces the stored incident, writing audit (and one
	// entry per changed field) in the same transaction.
	UpdateIncident(ctx context.Context, inc *Incident, audit *AuditEntry) error
	FindIncidentByID(ctx context.Context, id int64) (*Incident, error)
	FindIncidents(ctx context.Context, f IncidentFilter) ([]*Incident, int, error)
	// PlaceClaim records that a claim belongs to an incident and why.
	PlaceClaim(ctx context.Context, d *MatchDecision) error
	// MatchDecisions returns the decisions that placed claims in an incident.
	MatchDecisions(ctx context.Context, incidentID int64) ([]*MatchDecision, error)
	// UnresolvedClaims returns claims not yet placed in any incident, in
	// document order, a page at a time.
	UnresolvedClaims(ctx context.Context, limit int) ([]*Claim, error)
	AppendAudit(ctx context.Context, a *AuditEntry) error
	AuditLog(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
	// VerifyAudit checks the audit chain; it returns every problem and the
	// number of entries checked.
	VerifyAudit(ctx context.Context) ([]Problem, int, error)
}

// VerifyAuditChain checks an audit log in order and returns every entry that
// was edited (content does not match its hash) or whose link to the entry
// before it is broken (deleted, inserted or reordered rows).
func VerifyAuditChain(entries []*AuditEntry, head ChainHead) []Problem {
	var problems []Problem
	prev := ""
	for _, a := range entries {
		where := fmt.Sprintf("audit entry %d (%s %s %d)", a.ID, a.Action, a.Entity, a.EntityID)
		if a.PrevHash != prev {
			problems = append(problems, Problem{Where: where, Message: "chain broken: previous-hash link does not match the entry before it (an entry was deleted, inserted or reordered)"})
		}
		if a.ComputeHash(a.PrevHash) != a.Hash {
			problems = append(problems, Problem{Where: where, Message: "entry content does not match its hash (the entry was edited)"})
		}
		prev = a.Hash
	}
	last := ""
	if len(entries) > 0 {
		last = entries[len(entries)-1].Hash
	}
	return append(problems, verifyHead("audit log", head, len(entries), last)...)
}
