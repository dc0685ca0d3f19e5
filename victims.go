package vigil

import (
	"context"
	"encoding/json"
	"time"
)

// VictimList is a list of named victims kept by one source (an NGO, a
// hospital, a local council). A list is a source: its records are evidence,
// linked across lists into persons.
type VictimList struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Records     int       `json:"records"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// VictimRecord is one row of a victim list, or a victim named in a document
// (list "documents", record id naming the document and claim).
type VictimRecord struct {
	ID              int64       `json:"id"`
	List            string      `json:"list"`
	RecordID        string      `json:"record_id"` // the list's own id, unique within the list
	Line            int         `json:"line,omitempty"`
	FullName        string      `json:"full_name,omitempty"` // in the original script
	GivenName       string      `json:"given_name,omitempty"`
	FatherName      string      `json:"father_name,omitempty"`
	GrandfatherName string      `json:"grandfather_name,omitempty"`
	FamilyName      string      `json:"family_name,omitempty"`
	Sex             Sex         `json:"sex,omitempty"`
	Age             *int        `json:"age,omitempty"`
	BirthDate       string      `json:"birth_date,omitempty"` // ISO 8601, YYYY, YYYY-MM or YYYY-MM-DD
	Date            string      `json:"date,omitempty"`       // date of death or injury
	Place           string      `json:"place,omitempty"`
	Perpetrator     string      `json:"perpetrator,omitempty"` // the alleged perpetrator, as the list records it
	Status          FigureKind  `json:"status,omitempty"`      // killed or injured
	Minor           bool        `json:"minor,omitempty"`
	Sensitivity     Sensitivity `json:"sensitivity,omitempty"`
	DocumentID      int64       `json:"document_id,omitempty"`
	PersonID        string      `json:"person_id,omitempty"`
}

// DisplayName returns the full name, or the name parts joined.
func (r *VictimRecord) DisplayName() string {
	if r.FullName != "" {
		return r.FullName
	}
	s := ""
	for _, p := range []string{r.GivenName, r.FatherName, r.GrandfatherName, r.FamilyName} {
		if p != "" {
			if s != "" {
				s += " "
			}
			s += p
		}
	}
	return s
}

// RejectedRow is an input row an import did not take, with why.
type RejectedRow struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ImportResult reports a victim-list import.
type ImportResult struct {
	List      *VictimList   `json:"list"`
	Inserted  int           `json:"inserted"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Rejected  []RejectedRow `json:"rejected"`
}

// VictimFilter selects victim records. Limit 0 means every record.
type VictimFilter struct {
	Lists    []string
	PersonID string
	Offset   int
	Limit    int
}

// Person is one individual: the victim records linked together.
type Person struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Lists   []string        `json:"lists"`
	Records []*VictimRecord `json:"records"`
}

// PersonFilter selects persons.
type PersonFilter struct {
	List   string // persons with a record in this list
	Query  string // a substring of a record's name
	Offset int
	Limit  int
}

// PairDecision is a reviewer's decision on whether two victim records are
// the same person. Later linkage runs respect it.
type PairDecision struct {
	A         int64     `json:"a"` // record ids, A < B
	B         int64     `json:"b"`
	Match     bool      `json:"match"`
	Reviewer  string    `json:"reviewer"`
	Note      string    `json:"note,omitempty"`
	DecidedAt time.Time `json:"decided_at"`
}

// ReviewPair is an uncertain pair in the clerical review queue, with its
// match weight explained field by field.
type ReviewPair struct {
	A           int64           `json:"a"`
	B           int64           `json:"b"`
	RecordA     *VictimRecord   `json:"record_a,omitempty"`
	RecordB     *VictimRecord   `json:"record_b,omitempty"`
	Weight      float64         `json:"match_weight"`
	Probability float64         `json:"match_probability"`
	Explanation json.RawMessage `json:"explanation,omitempty"`
	Decision    *PairDecision   `json:"decision,omitempty"`
}

// ReviewFilter selects review pairs.
type ReviewFilter struct {
	Pending bool // only undecided pairs
	Offset  int
	Limit   int
}

// LinkRun records one linkage run.
type LinkRun struct {
	ID          int64           `json:"id"`
	StartedAt   time.Time       `json:"started_at"`
	FinishedAt  time.Time       `json:"finished_at"`
	Lists       []string        `json:"lists"`
	Records     int             `json:"records"`
	Persons     int             `json:"persons"`
	Comparisons int64           `json:"comparisons"`
	Threshold   float64         `json:"threshold"`
	Model       json.RawMessage `json:"model,omitempty"` // trained parameters and training report
}

// VictimService stores victim lists, their records, the persons linkage
// made of them and the clerical review queue.
type VictimService interface {
	// ImportVictims upserts records into the named list (created if new) in
	// one transaction, keyed by the list and each record's RecordID:
	// re-importing updates, never duplicates. Every record needs a RecordID.
	ImportVictims(ctx context.Context, list string, records []*VictimRecord) (*ImportResult, error)
	FindVictimLists(ctx context.Context) ([]*VictimList, error)
	FindVictimRecords(ctx context.Context, f VictimFilter) ([]*VictimRecord, int, error)
	FindVictimRecordByID(ctx context.Context, id int64) (*VictimRecord, error)
	// SaveLinkRun stores a run, the person id of each linked record and the
	// new review queue (replacing undecided pairs), in one transaction.
	SaveLinkRun(ctx context.Context, run *LinkRun, persons map[int64]string, queue []*ReviewPair) error
	LatestLinkRun(ctx context.Context) (*LinkRun, error)
	FindPersons(ctx context.Context, f PersonFilter) ([]*Person, int, error)
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	ReviewQueue(ctx context.Context, f ReviewFilter) ([]*ReviewPair, int, error)
	// DecidePair stores (or replaces) a decision on a pair of records.
	DecidePair(ctx context.Context, d *PairDecision) error
	PairDecisions(ctx context.Context) ([]*PairDecision, error)
}
