package review

import (
	"context"

	vigil "github.com/vigil-rec/vigil"
)

// Records is the service for the restricted records behind incidents:
// documents, their custody logs and claims, victim lists, persons and the
// clerical review queue. Every method checks the caller's role first: a
// caller who may not read them (the public) gets "not found", exactly as for
// a record that does not exist, so that existence does not leak; deciding a
// pair needs an analyst. The HTTP API and the web pages call it rather than
// the store.
type Records struct {
	Docs    vigil.DocumentService
	Claims  vigil.ClaimService
	Victims vigil.VictimService
}

// CanRead is the rule for reading restricted records: viewers and above;
// anyone else is told "not found". Handlers may call it to answer early.
func CanRead(u *vigil.User) error {
	if !u.Can(vigil.RoleViewer) {
		return vigil.Errorf(vigil.ENOTFOUND, "not found")
	}
	return nil
}

// CanDecide is the rule for deciding record pairs: analysts and above.
func CanDecide(u *vigil.User) error {
	switch {
	case u.Can(vigil.RoleAnalyst):
		return nil
	case u.Can(vigil.RoleViewer):
		return vigil.Errorf(vigil.EWITHHELD, "deciding pairs needs the analyst role")
	default:
		return vigil.Errorf(vigil.EUNAUTHORIZED, "log in to decide pairs")
	}
}

// FindDocuments returns a page of documents.
func (s *Records) FindDocuments(ctx context.Context, u *vigil.User, f vigil.DocumentFilter) ([]*vigil.Document, int, error) {
	if err := CanRead(u); err != nil {
		return nil, 0, err
	}
	return s.Docs.FindDocuments(ctx, f)
}

// Document returns one document by id.
func (s *Records) Document(ctx context.Context, u *vigil.User, id int64) (*vigil.Document, error) {
	if err := CanRead(u); err != nil {
		return nil, err
	}
	return s.Docs.FindDocumentByID(ctx, id)
}

// DocumentBySHA256 returns one document by the SHA-256 of its bytes.
func (s *Records) DocumentBySHA256(ctx context.Context, u *vigil.User, sha string) (*vigil.Document, error) {
	if err := CanRead(u); err != nil {
		return nil, err
	}
	return s.Docs.FindDocumentBySHA256(ctx, sha)
}

// CustodyLog returns a document's custody log.
func (s *Records) CustodyLog(ctx context.Context, u *vigil.User, documentID int64) ([]*vigil.CustodyEvent, error) {
	if err := CanRead(u); err != nil {
		return nil, err
	}
	return s.Docs.CustodyLog(ctx, documentID)
}

// FindClaims returns a page of claims.
func (s *Records) FindClaims(ctx context.Context, u *vigil.User, f vigil.ClaimFilter) ([]*vigil.Claim, int, error) {
	if err := CanRead(u); err != nil {
		return nil, 0, err
	}
	return s.Claims.FindClaims(ctx, f)
}

// Claim returns one claim.
func (s *Records) Claim(ctx context.Context, u *vigil.User, id int64) (*vigil.Claim, error) {
	if err := CanRead(u); err != nil {
		return nil, err
	}
	return s.Claims.FindClaimByID(ctx, id)
}

// VictimLists returns the victim lists.
func (s *Records) VictimLists(ctx context.Context, u *vigil.User) ([]*vigil.VictimList, error) {
	if err := CanRead(u); err != nil {
		return nil, err
	}
	return s.Victims.FindVictimLists(ctx)
}

// VictimRecords returns a page of victim records.
func (s *Records) VictimRecords(ctx context.Context, u *vigil.User, f vigil.VictimFilter) ([]*vigil.VictimRecord, int, error) {
	if err := CanRead(u); err != nil {
		return nil, 0, err
	}
	return s.Victims.FindVictimRecords(ctx, f)
}

// Persons returns a page of persons.
func (s *Records) Persons(ctx context.Context, u *vigil.User, f vigil.PersonFilter) ([]*vigil.Person, int, error) {
	if err := CanRead(u); err != nil {
		return nil, 0, err
	}
	return s.Victims.FindPersons(ctx, f)
}

// Person returns one person with their records.
func (s *Records) Person(ctx context.Context, u *vigil.User, id string) (*vigil.Person, error) {
	if err := CanRead(u); err != nil {
		return nil, err
	}
	return s.Victims.FindPersonByID(ctx, id)
}

// ReviewQueue returns a page of the clerical review queue.
func (s *Records) ReviewQueue(ctx context.Context, u *vigil.User, f vigil.ReviewFilter) ([]*vigil.ReviewPair, int, error) {
	if err := CanRead(u); err != nil {
		return nil, 0, err
	}
	return s.Victims.ReviewQueue(ctx, f)
}

// DecidePair stores a reviewer's decision on a pair of records; it needs an
// analyst, and records who decided.
func (s *Records) DecidePair(ctx context.Context, u *vigil.User, d *vigil.PairDecision) error {
	if err := CanDecide(u); err != nil {
		return err
	}
	d.Reviewer = u.Username
	return s.Victims.DecidePair(ctx, d)
}
