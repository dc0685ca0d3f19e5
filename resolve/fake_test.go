package resolve

import (
	"context"
	"slices"
	"sort"
	"sync"

	vigil "github.com/vigil-rec/vigil"
)

// fakeStore is a small in-memory IncidentService, ClaimService and
// DocumentService for tests.
type fakeStore struct {
	mu        sync.Mutex
	incidents map[int64]*vigil.Incident
	claims    map[int64]*vigil.Claim
	docs      map[int64]*vigil.Document
	decisions []*vigil.MatchDecision
	audit     []*vigil.AuditEntry
	nextInc   int64
	loads     int
}

func newFakeStore() *fakeStore {
	return &fakeStore{incidents: map[int64]*vigil.Incident{}, claims: map[int64]*vigil.Claim{}, docs: map[int64]*vigil.Document{}}
}

func clone[T any](v *T) *T { c := *v; return &c }

func cloneIncident(inc *vigil.Incident) *vigil.Incident {
	c := *inc
	c.ClaimIDs = slices.Clone(inc.ClaimIDs)
	c.DocumentIDs = slices.Clone(inc.DocumentIDs)
	c.PossibleDuplicates = slices.Clone(inc.PossibleDuplicates)
	c.Figures = slices.Clone(inc.Figures)
	c.Attribution.Candidates = slices.Clone(inc.Attribution.Candidates)
	return &c
}

func (s *fakeStore) CreateIncident(ctx context.Context, inc *vigil.Incident, a *vigil.AuditEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextInc++
	inc.ID = s.nextInc
	s.incidents[inc.ID] = cloneIncident(inc)
	a.EntityID = inc.ID
	s.audit = append(s.audit, clone(a))
	return nil
}

func (s *fakeStore) UpdateIncident(ctx context.Context, inc *vigil.Incident, a *vigil.AuditEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.incidents[inc.ID]; !ok {
		return vigil.Errorf(vigil.ENOTFOUND, "incident not found")
	}
	s.incidents[inc.ID] = cloneIncident(inc)
	s.audit = append(s.audit, clone(a))
	return nil
}

func (s *fakeStore) FindIncidentByID(ctx context.Context, id int64) (*vigil.Incident, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inc, ok := s.incidents[id]
	if !ok {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "incident not found")
	}
	return cloneIncident(inc), nil
}

func (s *fakeStore) FindIncidents(ctx context.Context, f vigil.IncidentFilter) ([]*vigil.Incident, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	var all []*vigil.Incident
	for _, inc := range s.incidents {
		if f.From != nil && inc.Date.Latest.Before(*f.From) {
			continue
		}
		if f.To != nil && !inc.Date.Earliest.Before(*f.To) {
			continue
		}
		all = append(all, inc)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	total := len(all)
	if f.Offset < len(all) {
		all = all[f.Offset:]
	} else {
		all = nil
	}
	if f.Limit > 0 && len(all) > f.Limit {
		all = all[:f.Limit]
	}
	out := make([]*vigil.Incident, len(all))
	for i, inc := range all {
		out[i] = cloneIncident(inc)
	}
	return out, total, nil
}

func (s *fakeStore) PlaceClaim(ctx context.Context, d *vigil.MatchDecision) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.claims[d.ClaimID]
	if !ok {
		return vigil.Errorf(vigil.ENOTFOUND, "claim not found")
	}
	if _, ok := s.incidents[d.IncidentID]; !ok {
		return vigil.Errorf(vigil.ENOTFOUND, "incident not found")
	}
	id := d.IncidentID
	c.IncidentID = &id
	s.decisions = append(s.decisions, clone(d))
	return nil
}

func (s *fakeStore) MatchDecisions(ctx context.Context, incidentID int64) ([]*vigil.MatchDecision, error) {
	var out []*vigil.MatchDecision
	for _, d := range s.decisions {
		if d.IncidentID == incidentID {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *fakeStore) UnresolvedClaims(ctx context.Context, limit int) ([]*vigil.Claim, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*vigil.Claim
	for _, c := range s.claims {
		if c.IncidentID == nil {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].DocumentID != out[j].DocumentID {
			return out[i].DocumentID < out[j].DocumentID
		}
		return out[i].Index < out[j].Index
	})
	if len(out) > limit {
		out = out[:limit]
	}
	res := make([]*vigil.Claim, len(out))
	for i, c := range out {
		res[i] = clone(c)
	}
	return res, nil
}

func (s *fakeStore) AppendAudit(ctx context.Context, a *vigil.AuditEntry) error {
	s.audit = append(s.audit, clone(a))
	return nil
}

func (s *fakeStore) AuditLog(ctx context.Context, f vigil.AuditFilter) ([]*vigil.AuditEntry, int, error) {
	return s.audit, len(s.audit), nil
}

// ClaimService.
func (s *fakeStore) ReplaceClaims(ctx context.Context, documentID int64, claims []*vigil.Claim) error {
	panic("unused")
}

func (s *fakeStore) FindClaimByID(ctx context.Context, id int64) (*vigil.Claim, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.claims[id]
	if !ok {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "claim not found")
	}
	return clone(c), nil
}

func (s *fakeStore) FindClaims(ctx context.Context, f vigil.ClaimFilter) ([]*vigil.Claim, int, error) {
	panic("unused")
}

// DocumentService (only what Run uses).
type fakeDocs struct {
	vigil.DocumentService
	s *fakeStore
}

func (d fakeDocs) FindDocumentByID(ctx context.Context, id int64) (*vigil.Document, error) {
	doc, ok := d.s.docs[id]
	if !ok {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "document not found")
	}
	return clone(doc), nil
}

var (
	_ vigil.IncidentService = (*fakeStore)(nil)
	_ vigil.ClaimService    = (*fakeStore)(nil)
)

func (s *fakeStore) VerifyAudit(ctx context.Context) ([]vigil.Problem, int, error) {
	return nil, len(s.audit), nil
}
