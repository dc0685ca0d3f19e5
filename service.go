package vigil

import "context"

// ClaimFilter selects claims. Zero values mean "any".
type ClaimFilter struct {
	DocumentID int64
	EventType  EventType
	IncidentID int64
	Offset     int
	Limit      int
}

// ClaimService stores the claims extracted from documents.
type ClaimService interface {
	// ReplaceClaims atomically replaces every claim of a document with
	// claims (re-extraction is idempotent), filling their IDs.
	ReplaceClaims(ctx context.Context, documentID int64, claims []*Claim) error
	FindClaimByID(ctx context.Context, id int64) (*Claim, error)
	FindClaims(ctx context.Context, f ClaimFilter) ([]*Claim, int, error)
}

// PlaceFilter selects gazetteer places.
type PlaceFilter struct {
	PCode  string
	Offset int
	Limit  int
}

// PlaceService stores imported gazetteer places.
type PlaceService interface {
	// UpsertPlaces inserts or replaces places by ID in one transaction;
	// every place needs an ID.
	UpsertPlaces(ctx context.Context, places []*Place) error
	FindPlaces(ctx context.Context, f PlaceFilter) ([]*Place, int, error)
}

// Store is everything a storage backend provides. A backend passes the
// conformance suite in storetest.
type Store interface {
	DocumentService
	ClaimService
	PlaceService
	IncidentService
	UserService
	VictimService
	// Atomic runs fn on a store whose changes all commit together when fn
	// returns nil, and none of them otherwise.
	Atomic(ctx context.Context, fn func(Store) error) error
	Close() error
}

// Extractor turns a stored document into claims. The rule-based extractor in
// package extract is the default; other backends (a language-model endpoint,
// say) implement the same interface.
type Extractor interface {
	// Name returns the extractor's name and version, recorded on each claim.
	Name() string
	Extract(ctx context.Context, doc *Document) ([]*Claim, error)
}
