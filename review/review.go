// Package review is the service layer for incidents: listing and showing
// (with public redaction), corrections, grading, the review workflow, merge
// and split. Authorization is enforced here, for every caller (CLI, API,
// web): a nil user is the public, which sees published incidents only.
package review

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// DefaultScale is the default grading scale (Airwars'; see docs/grading.md).
var DefaultScale = []vigil.Grade{vigil.GradeConfirmed, vigil.GradeFair, vigil.GradeWeak, vigil.GradeContested, vigil.GradeDiscounted}

// Reconciler recomputes an incident from its claims (package resolve).
type Reconciler func(inc *vigil.Incident, claims []*vigil.Claim, docs map[int64]*vigil.Document)

// Service is the incident service.
type Service struct {
	Store     vigil.Store
	Reconcile Reconciler
	Scale     []vigil.Grade // configured grading scale; DefaultScale if empty
}

func (s *Service) scale() []vigil.Grade {
	if len(s.Scale) > 0 {
		return s.Scale
	}
	return DefaultScale
}

// notFound is returned both for missing incidents and for ones the caller
// may not see, so that existence does not leak.
func notFound() error { return vigil.Errorf(vigil.ENOTFOUND, "incident not found") }

func require(u *vigil.User, r vigil.Role, what string) error {
	if u == nil {
		return vigil.Errorf(vigil.EUNAUTHORIZED, "log in to %s", what)
	}
	if !u.Can(r) {
		return vigil.Errorf(vigil.EUNAUTHORIZED, "%s needs the %s role; %s is %s", what, r, u.Username, u.Role)
	}
	return nil
}

// List returns incidents the user may see; the public sees published ones, redacted.
func (s *Service) List(ctx context.Context, u *vigil.User, f vigil.IncidentFilter) ([]*vigil.Incident, int, error) {
	if !u.Can(vigil.RoleViewer) {
		f.PublishedOnly = true
	}
	list, total, err := s.Store.FindIncidents(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if !u.Can(vigil.RoleViewer) {
		for i, inc := range list {
			list[i] = vigil.RedactIncident(inc)
		}
	}
	return list, total, nil
}

// Get returns one incident the user may see.
func (s *Service) Get(ctx context.Context, u *vigil.User, id int64) (*vigil.Incident, error) {
	inc, err := s.Store.FindIncidentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !u.Can(vigil.RoleViewer) {
		if inc.Review != vigil.ReviewPublished {
			return nil, notFound()
		}
		return vigil.RedactIncident(inc), nil
	}
	return inc, nil
}

// Detail is an incident with its claims, match decisions and history.
type Detail struct {
	Incident  *vigil.Incident        `json:"incident"`
	Claims    []*vigil.Claim         `json:"claims"`
	Decisions []*vigil.MatchDecision `json:"match_decisions,omitempty"`
	History   []*vigil.AuditEntry    `json:"history,omitempty"`
}

// Show returns an incident with everything behind it. The public gets
// redacted claims and no internal history.
func (s *Service) Show(ctx context.Context, u *vigil.User, id int64) (*Detail, error) {
	inc, err := s.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	claims, _, err := s.Store.FindClaims(ctx, vigil.ClaimFilter{IncidentID: id, Limit: vigil.MaxPageSize})
	if err != nil {
		return nil, err
	}
	d := &Detail{Incident: inc, Claims: claims}
	if !u.Can(vigil.RoleViewer) {
		for i, c := range claims {
			d.Claims[i] = vigil.RedactClaim(c)
		}
		return d, nil
	}
	if d.Decisions, err = s.Store.MatchDecisions(ctx, id); err != nil {
		return nil, err
	}
	if d.History, _, err = s.Store.AuditLog(ctx, vigil.AuditFilter{Entity: "incident", EntityID: id, Limit: vigil.MaxPageSize}); err != nil {
		return nil, err
	}
	return d, nil
}

// Correction is a reviewer's or analyst's correction of an incident's own
// fields. Nil fields are left as they are.
type Correction struct {
	Title     *string          `json:"title,omitempty"`
	EventType *vigil.EventType `json:"event_type,omitempty"`
	Date      *vigil.FuzzyDate `json:"date,omitempty"`
}

// Correct applies a correction with a reason.
func (s *Service) Correct(ctx context.Context, u *vigil.User, id int64, c Correction, reason string) (*vigil.Incident, error) {
	if err := require(u, vigil.RoleAnalyst, "correcting incidents"); err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "reason", "a correction needs a reason")
	}
	inc, err := s.Store.FindIncidentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if inc.Review == vigil.ReviewPublished {
		return nil, vigil.Errorf(vigil.ECONFLICT, "incident %d is published: move it back to in_review before correcting it", id)
	}
	if c.Title != nil {
		inc.Title = strings.TrimSpace(*c.Title)
	}
	if c.EventType != nil {
		if !c.EventType.Valid() {
			return nil, vigil.FieldErrorf(vigil.EINVALID, "event_type", "unknown event type %q", *c.EventType)
		}
		inc.EventType = *c.EventType
	}
	if c.Date != nil {
		inc.Date = *c.Date
	}
	return inc, s.Store.UpdateIncident(ctx, inc, &vigil.AuditEntry{Actor: u.Username, Action: "correct", Reason: reason})
}

// Grade sets the reviewed grade. A grade that differs from vigil's proposal
// needs a reason.
func (s *Service) Grade(ctx context.Context, u *vigil.User, id int64, g vigil.Grade, reason string) (*vigil.Incident, error) {
	if err := require(u, vigil.RoleReviewer, "grading"); err != nil {
		return nil, err
	}
	if !slices.Contains(s.scale(), g) {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "grade", "%q is not on the grading scale %v", g, s.scale())
	}
	inc, err := s.Store.FindIncidentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if g != inc.ProposedGrade && strings.TrimSpace(reason) == "" {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "reason", "overriding the proposed grade %q needs a reason", inc.ProposedGrade)
	}
	inc.Grade, inc.GradeReason = g, reason
	return inc, s.Store.UpdateIncident(ctx, inc, &vigil.AuditEntry{Actor: u.Username, Action: "grade", Reason: reason})
}

// transitions lists the allowed review-state changes and the role each needs.
var transitions = map[[2]vigil.ReviewState]vigil.Role{
	{vigil.ReviewNew, vigil.ReviewInReview}:       vigil.RoleAnalyst,
	{vigil.ReviewInReview, vigil.ReviewVerified}:  vigil.RoleReviewer,
	{vigil.ReviewVerified, vigil.ReviewPublished}: vigil.RoleReviewer,
	{vigil.ReviewVerified, vigil.ReviewInReview}:  vigil.RoleReviewer,
	{vigil.ReviewPublished, vigil.ReviewInReview}: vigil.RoleReviewer,
	{vigil.ReviewNew, vigil.ReviewDiscarded}:      vigil.RoleReviewer,
	{vigil.ReviewInReview, vigil.ReviewDiscarded}: vigil.RoleReviewer,
	{vigil.ReviewVerified, vigil.ReviewDiscarded}: vigil.RoleReviewer,
	{vigil.ReviewDiscarded, vigil.ReviewInReview}: vigil.RoleReviewer,
}

// States lists the review states in workflow order.
var States = []vigil.ReviewState{vigil.ReviewNew, vigil.ReviewInReview, vigil.ReviewVerified, vigil.ReviewPublished, vigil.ReviewDiscarded}

// missingFor returns the fields an incident lacks for a state.
func missingFor(inc *vigil.Incident, to vigil.ReviewState) []string {
	var miss []string
	if to == vigil.ReviewVerified || to == vigil.ReviewPublished {
		if inc.EventType == "" || inc.EventType == vigil.EventUnknown {
			miss = append(miss, "event_type")
		}
		if inc.Date.IsZero() {
			miss = append(miss, "date")
		}
		if inc.Place == nil {
			miss = append(miss, "place")
		}
		if inc.Grade == vigil.GradeUngraded {
			miss = append(miss, "grade")
		}
		if len(inc.ClaimIDs) == 0 {
			miss = append(miss, "sources")
		}
	}
	return miss
}

// Transition moves an incident through the review workflow: new -> in_review
// -> verified -> published, or discarded (with a reason). Each state has its
// required fields; publishing needs a reviewer other than the incident's
// last editor (four eyes).
func (s *Service) Transition(ctx context.Context, u *vigil.User, id int64, to vigil.ReviewState, reason string) (*vigil.Incident, error) {
	if u == nil {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "log in to review incidents")
	}
	inc, err := s.Store.FindIncidentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	role, ok := transitions[[2]vigil.ReviewState{inc.Review, to}]
	if !ok {
		return nil, vigil.FieldErrorf(vigil.ECONFLICT, "review_state", "cannot go from %s to %s", inc.Review, to)
	}
	if err := require(u, role, fmt.Sprintf("moving an incident to %s", to)); err != nil {
		return nil, err
	}
	if miss := missingFor(inc, to); len(miss) > 0 {
		return nil, vigil.FieldErrorf(vigil.EINVALID, strings.Join(miss, ", "), "required before %s", to)
	}
	if to == vigil.ReviewDiscarded && strings.TrimSpace(reason) == "" {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "reason", "discarding needs a reason")
	}
	if to == vigil.ReviewPublished && strings.EqualFold(inc.LastEditor, u.Username) {
		return nil, vigil.Errorf(vigil.ECONFLICT, "four eyes: %s was the last to edit incident %d, so another reviewer must publish it", u.Username, id)
	}
	inc.Review = to
	action := "review"
	if to == vigil.ReviewPublished {
		action = "publish"
	}
	return inc, s.Store.UpdateIncident(ctx, inc, &vigil.AuditEntry{Actor: u.Username, Action: action, Reason: reason})
}

// claimsOf loads an incident's claims and their documents.
func (s *Service) claimsOf(ctx context.Context, ids []int64) ([]*vigil.Claim, map[int64]*vigil.Document, error) {
	docs := map[int64]*vigil.Document{}
	var claims []*vigil.Claim
	for _, id := range ids {
		c, err := s.Store.FindClaimByID(ctx, id)
		if err != nil {
			return nil, nil, fmt.Errorf("claim %d: %w", id, err)
		}
		claims = append(claims, c)
		if docs[c.DocumentID] == nil {
			d, err := s.Store.FindDocumentByID(ctx, c.DocumentID)
			if err != nil {
				return nil, nil, err
			}
			docs[c.DocumentID] = d
		}
	}
	return claims, docs, nil
}

func (s *Service) reconcile(ctx context.Context, inc *vigil.Incident) error {
	if s.Reconcile == nil {
		return nil
	}
	claims, docs, err := s.claimsOf(ctx, inc.ClaimIDs)
	if err != nil {
		return err
	}
	s.Reconcile(inc, claims, docs)
	return nil
}

func jsonIDs(ids []int64) string { b, _ := json.Marshal(ids); return string(b) }

// atomic runs fn with a service whose store changes commit together or not at all.
func (s *Service) atomic(ctx context.Context, fn func(inner *Service) error) error {
	return s.Store.Atomic(ctx, func(st vigil.Store) error {
		return fn(&Service{Store: st, Reconcile: s.Reconcile, Scale: s.Scale})
	})
}

// Merge moves every claim of the other incidents into target. The others
// are kept, discarded and marked merged into target, so history is whole.
// It all happens in one transaction.
func (s *Service) Merge(ctx context.Context, u *vigil.User, target int64, others []int64, reason string) (inc *vigil.Incident, err error) {
	err = s.atomic(ctx, func(inner *Service) error {
		inc, err = inner.merge(ctx, u, target, others, reason)
		return err
	})
	return inc, err
}

func (s *Service) merge(ctx context.Context, u *vigil.User, target int64, others []int64, reason string) (*vigil.Incident, error) {
	if err := require(u, vigil.RoleAnalyst, "merging incidents"); err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "reason", "a merge needs a reason")
	}
	if len(others) == 0 {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "incidents", "name at least one incident to merge into %d", target)
	}
	into, err := s.Store.FindIncidentByID(ctx, target)
	if err != nil {
		return nil, err
	}
	if into.MergedInto != 0 {
		return nil, vigil.Errorf(vigil.ECONFLICT, "incident %d was itself merged into %d", target, into.MergedInto)
	}
	for _, id := range others {
		if id == target {
			return nil, vigil.FieldErrorf(vigil.EINVALID, "incidents", "cannot merge incident %d into itself", id)
		}
		from, err := s.Store.FindIncidentByID(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("incident %d: %w", id, err)
		}
		if from.MergedInto != 0 {
			return nil, vigil.Errorf(vigil.ECONFLICT, "incident %d was already merged into %d", id, from.MergedInto)
		}
		for _, cid := range from.ClaimIDs {
			if err := s.Store.PlaceClaim(ctx, &vigil.MatchDecision{ClaimID: cid, IncidentID: target, Outcome: vigil.MatchManual, Score: 1, DecidedBy: u.Username,
				Features: []vigil.MatchFeature{{Name: "merge", Score: 1, Weight: 1, Detail: fmt.Sprintf("merged from incident %d by %s: %s", id, u.Username, reason)}}}); err != nil {
				return nil, err
			}
			if !slices.Contains(into.ClaimIDs, cid) {
				into.ClaimIDs = append(into.ClaimIDs, cid)
			}
		}
		from.MergedInto, from.Review, from.ClaimIDs = target, vigil.ReviewDiscarded, nil
		if err := s.Store.UpdateIncident(ctx, from, &vigil.AuditEntry{Actor: u.Username, Action: "merge", Reason: reason}); err != nil {
			return nil, err
		}
	}
	slices.Sort(into.ClaimIDs)
	into.PossibleDuplicates = slices.DeleteFunc(into.PossibleDuplicates, func(id int64) bool { return slices.Contains(others, id) })
	if err := s.reconcile(ctx, into); err != nil {
		return nil, err
	}
	if into.Review == vigil.ReviewPublished || into.Review == vigil.ReviewVerified {
		into.Review = vigil.ReviewInReview // new evidence needs review again
	}
	return into, s.Store.UpdateIncident(ctx, into, &vigil.AuditEntry{Actor: u.Username, Action: "merge", Reason: reason + " (merged " + jsonIDs(others) + ")"})
}

// Split moves the given claims out of an incident into a new one, in one
// transaction.
func (s *Service) Split(ctx context.Context, u *vigil.User, id int64, claimIDs []int64, reason string) (kept, split *vigil.Incident, err error) {
	err = s.atomic(ctx, func(inner *Service) error {
		kept, split, err = inner.split(ctx, u, id, claimIDs, reason)
		return err
	})
	return kept, split, err
}

func (s *Service) split(ctx context.Context, u *vigil.User, id int64, claimIDs []int64, reason string) (*vigil.Incident, *vigil.Incident, error) {
	if err := require(u, vigil.RoleAnalyst, "splitting incidents"); err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, nil, vigil.FieldErrorf(vigil.EINVALID, "reason", "a split needs a reason")
	}
	inc, err := s.Store.FindIncidentByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if len(claimIDs) == 0 || len(claimIDs) >= len(inc.ClaimIDs) {
		return nil, nil, vigil.FieldErrorf(vigil.EINVALID, "claims", "name some, not all, of incident %d's claims %v", id, inc.ClaimIDs)
	}
	for _, c := range claimIDs {
		if !slices.Contains(inc.ClaimIDs, c) {
			return nil, nil, vigil.FieldErrorf(vigil.EINVALID, "claims", "claim %d is not in incident %d", c, id)
		}
	}
	nu := &vigil.Incident{EventType: inc.EventType, Review: vigil.ReviewNew, ClaimIDs: slices.Clone(claimIDs), Sensitivity: inc.Sensitivity}
	slices.Sort(nu.ClaimIDs)
	if err := s.reconcile(ctx, nu); err != nil {
		return nil, nil, err
	}
	if err := s.Store.CreateIncident(ctx, nu, &vigil.AuditEntry{Actor: u.Username, Action: "split", Reason: fmt.Sprintf("%s (split from incident %d)", reason, id)}); err != nil {
		return nil, nil, err
	}
	for _, cid := range claimIDs {
		if err := s.Store.PlaceClaim(ctx, &vigil.MatchDecision{ClaimID: cid, IncidentID: nu.ID, Outcome: vigil.MatchManual, Score: 1, DecidedBy: u.Username,
			Features: []vigil.MatchFeature{{Name: "split", Score: 1, Weight: 1, Detail: fmt.Sprintf("split from incident %d by %s: %s", id, u.Username, reason)}}}); err != nil {
			return nil, nil, err
		}
	}
	inc.ClaimIDs = slices.DeleteFunc(inc.ClaimIDs, func(c int64) bool { return slices.Contains(claimIDs, c) })
	if err := s.reconcile(ctx, inc); err != nil {
		return nil, nil, err
	}
	if inc.Review == vigil.ReviewPublished || inc.Review == vigil.ReviewVerified {
		inc.Review = vigil.ReviewInReview
	}
	if err := s.Store.UpdateIncident(ctx, inc, &vigil.AuditEntry{Actor: u.Username, Action: "split", Reason: fmt.Sprintf("%s (claims %s moved to incident %d)", reason, jsonIDs(claimIDs), nu.ID)}); err != nil {
		return nil, nil, err
	}
	return inc, nu, nil
}
