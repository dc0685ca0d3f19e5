package resolve

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Stats counts what Run did.
type Stats struct {
	Claims             int `json:"claims"`
	Joined             int `json:"joined"`
	New                int `json:"new"`
	PossibleDuplicates int `json:"possible_duplicates"`
	IncidentsCreated   int `json:"incidents_created"`
	IncidentsUpdated   int `json:"incidents_updated"`
	Candidates         int `json:"candidates"` // candidates compared, over all claims
}

// Run resolves every unresolved claim: it reads them a page at a time from
// svc.UnresolvedClaims, decides for each whether it joins an incident,
// starts one, or starts one linked to possible duplicates, writes the
// incidents (reconciled, with a proposed grade; audit actor cfg.Actor) and
// records each decision with svc.PlaceClaim.
func Run(ctx context.Context, svc vigil.IncidentService, claims vigil.ClaimService, docs vigil.DocumentService, cfg Config) (Stats, error) {
	var st Stats
	if err := cfg.Normalize(); err != nil {
		return st, err
	}
	d := &driver{svc: svc, claims: claims, docs: docs, cfg: cfg, docCache: map[int64]*vigil.Document{}}
	r, err := New(cfg, d.load)
	if err != nil {
		return st, err
	}
	d.r = r
	done := map[int64]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		page, err := svc.UnresolvedClaims(ctx, cfg.PageSize)
		if err != nil {
			return st, fmt.Errorf("unresolved claims: %w", err)
		}
		if len(page) == 0 {
			return st, nil
		}
		progress := false
		for _, c := range page {
			if done[c.ID] {
				continue
			}
			done[c.ID] = true
			progress = true
			if err := d.resolve(ctx, c, &st); err != nil {
				return st, fmt.Errorf("claim %d: %w", c.ID, err)
			}
		}
		if !progress {
			return st, vigil.Errorf(vigil.EINTERNAL, "claims %d.. stay unresolved after being placed", page[0].ID)
		}
		if len(d.docCache) > 4096 {
			clear(d.docCache)
		}
	}
}

type driver struct {
	svc      vigil.IncidentService
	claims   vigil.ClaimService
	docs     vigil.DocumentService
	cfg      Config
	r        *Resolver
	docCache map[int64]*vigil.Document
}

func (d *driver) load(ctx context.Context, from, to time.Time) ([]*vigil.Incident, error) {
	var out []*vigil.Incident
	for off := 0; ; {
		page, total, err := d.svc.FindIncidents(ctx, vigil.IncidentFilter{From: &from, To: &to, Offset: off, Limit: vigil.MaxPageSize})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		off += len(page)
		if len(page) == 0 || off >= total {
			return out, nil
		}
	}
}

func (d *driver) doc(ctx context.Context, id int64) (*vigil.Document, error) {
	if doc, ok := d.docCache[id]; ok {
		return doc, nil
	}
	doc, err := d.docs.FindDocumentByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("document %d: %w", id, err)
	}
	doc.Text = "" // not needed; keeps the cache small
	d.docCache[id] = doc
	return doc, nil
}

func (d *driver) docsOf(ctx context.Context, claims []*vigil.Claim) (map[int64]*vigil.Document, error) {
	m := map[int64]*vigil.Document{}
	for _, c := range claims {
		if _, ok := m[c.DocumentID]; ok {
			continue
		}
		doc, err := d.doc(ctx, c.DocumentID)
		if err != nil {
			return nil, err
		}
		m[c.DocumentID] = doc
	}
	return m, nil
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (d *driver) resolve(ctx context.Context, c *vigil.Claim, st *Stats) error {
	doc, err := d.doc(ctx, c.DocumentID)
	if err != nil {
		return err
	}
	dec, err := d.r.Decide(ctx, c, doc)
	if err != nil {
		return err
	}
	st.Claims++
	st.Candidates += dec.Candidates
	md := dec.MatchDecision
	md.DecidedAt = time.Now().UTC()
	if md.Outcome == vigil.MatchJoined {
		inc, err := d.svc.FindIncidentByID(ctx, md.IncidentID)
		if err != nil {
			return fmt.Errorf("incident %d: %w", md.IncidentID, err)
		}
		members := make([]*vigil.Claim, 0, len(inc.ClaimIDs)+1)
		for _, id := range inc.ClaimIDs {
			if id == c.ID {
				continue
			}
			mc, err := d.claims.FindClaimByID(ctx, id)
			if err != nil {
				return fmt.Errorf("claim %d of incident %d: %w", id, inc.ID, err)
			}
			members = append(members, mc)
		}
		members = append(members, c)
		dm, err := d.docsOf(ctx, members)
		if err != nil {
			return err
		}
		old := summary(inc)
		Reconcile(inc, members, dm)
		Propose(inc, d.cfg.Grading)
		inc.UpdatedAt = md.DecidedAt
		audit := &vigil.AuditEntry{At: md.DecidedAt, Actor: d.cfg.Actor, Action: "update", Entity: "incident", EntityID: inc.ID,
			Old: old, New: summary(inc), Reason: fmt.Sprintf("claim %d (document %d) joined with score %.2f", c.ID, c.DocumentID, md.Score)}
		if err := d.svc.UpdateIncident(ctx, inc, audit); err != nil {
			return fmt.Errorf("update incident %d: %w", inc.ID, err)
		}
		if err := d.svc.PlaceClaim(ctx, &md); err != nil {
			return fmt.Errorf("place claim: %w", err)
		}
		d.r.Put(inc, members, dm)
		st.Joined++
		st.IncidentsUpdated++
		return nil
	}

	inc := &vigil.Incident{Review: vigil.ReviewNew, CreatedAt: md.DecidedAt, UpdatedAt: md.DecidedAt, PossibleDuplicates: slices.Clone(dec.Links)}
	dm := map[int64]*vigil.Document{c.DocumentID: doc}
	Reconcile(inc, []*vigil.Claim{c}, dm)
	Propose(inc, d.cfg.Grading)
	reason := fmt.Sprintf("claim %d (document %d) started a new incident", c.ID, c.DocumentID)
	if len(dec.Links) > 0 {
		reason += fmt.Sprintf("; possible duplicate of %v (score %.2f)", dec.Links, md.Score)
	}
	audit := &vigil.AuditEntry{At: md.DecidedAt, Actor: d.cfg.Actor, Action: "create", Entity: "incident", New: summary(inc), Reason: reason}
	if err := d.svc.CreateIncident(ctx, inc, audit); err != nil {
		return fmt.Errorf("create incident: %w", err)
	}
	md.IncidentID = inc.ID
	if err := d.svc.PlaceClaim(ctx, &md); err != nil {
		return fmt.Errorf("place claim: %w", err)
	}
	d.r.Put(inc, []*vigil.Claim{c}, dm)
	st.IncidentsCreated++
	if md.Outcome == vigil.MatchPossibleDuplicate {
		st.PossibleDuplicates++
		for _, other := range dec.Links {
			if err := d.link(ctx, other, inc.ID, md.DecidedAt); err != nil {
				return err
			}
		}
	} else {
		st.New++
	}
	return nil
}

// link records on an existing incident that a new one may duplicate it.
func (d *driver) link(ctx context.Context, id, dup int64, at time.Time) error {
	inc, err := d.svc.FindIncidentByID(ctx, id)
	if err != nil {
		return fmt.Errorf("incident %d: %w", id, err)
	}
	if slices.Contains(inc.PossibleDuplicates, dup) {
		return nil
	}
	old := asJSON(inc.PossibleDuplicates)
	inc.PossibleDuplicates = append(inc.PossibleDuplicates, dup)
	inc.UpdatedAt = at
	audit := &vigil.AuditEntry{At: at, Actor: d.cfg.Actor, Action: "link", Entity: "incident", EntityID: id, Field: "possible_duplicates",
		Old: old, New: asJSON(inc.PossibleDuplicates), Reason: fmt.Sprintf("incident %d may duplicate this one", dup)}
	if err := d.svc.UpdateIncident(ctx, inc, audit); err != nil {
		return fmt.Errorf("link incident %d: %w", id, err)
	}
	return nil
}

// summary is the audit form of an incident: the fields resolution changes.
func summary(inc *vigil.Incident) string {
	type fr struct {
		Kind     vigil.FigureKind `json:"kind"`
		Category vigil.Category   `json:"category"`
		Min      int              `json:"min"`
		Max      *int             `json:"max"`
	}
	var figs []fr
	for _, f := range inc.Figures {
		figs = append(figs, fr{f.Kind, f.Category, f.Min, f.Max})
	}
	return asJSON(struct {
		Title    string          `json:"title"`
		Type     vigil.EventType `json:"event_type"`
		Date     string          `json:"date"`
		Figures  []fr            `json:"figures"`
		Claims   []int64         `json:"claim_ids"`
		Proposed vigil.Grade     `json:"proposed_grade"`
	}{inc.Title, inc.EventType, inc.Date.String(), figs, inc.ClaimIDs, inc.ProposedGrade})
}
