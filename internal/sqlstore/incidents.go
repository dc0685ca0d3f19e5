package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

var _ vigil.IncidentService = (*Store)(nil)

func (s *Store) incidentColumns(inc *vigil.Incident) (body string, args []any, err error) {
	b, err := json.Marshal(inc)
	if err != nil {
		return "", nil, err
	}
	var de, dl any
	if !inc.Date.IsZero() {
		de, dl = s.d.Time(inc.Date.Earliest), s.d.Time(inc.Date.Latest)
	}
	gov, govName := "", ""
	if g := inc.Place.Governorate(); g != nil {
		gov, govName = g.PCode, g.Name
	}
	children := inc.HasChildren()
	var killedMax any
	if k, ok := inc.KilledMax(); ok {
		killedMax = k
	}
	var merged any
	if inc.MergedInto != 0 {
		merged = inc.MergedInto
	}
	return string(b), []any{string(inc.EventType), de, dl, gov, govName, string(inc.Grade), string(inc.Review), children, killedMax, merged}, nil
}

func (s *Store) writeIncidentKeys(ctx context.Context, tx Querier, inc *vigil.Incident) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM incident_keys WHERE incident_id = ?`, inc.ID); err != nil {
		return err
	}
	for _, k := range inc.IndexKeys() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_keys (incident_id, kind, value) VALUES (?, ?, ?)`, inc.ID, k.Kind, k.Value); err != nil {
			return err
		}
	}
	return nil
}

// CreateIncident implements vigil.IncidentService.
func (s *Store) CreateIncident(ctx context.Context, inc *vigil.Incident, audit *vigil.AuditEntry) error {
	if inc.Review == "" {
		inc.Review = vigil.ReviewNew
	}
	if inc.Sensitivity == "" {
		inc.Sensitivity = vigil.Public
	}
	now := s.Now()
	inc.CreatedAt, inc.UpdatedAt = now, now
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `INSERT INTO incidents (body, event_type, created_at, updated_at, review) VALUES ('{}', '', ?, ?, '') RETURNING id`, s.d.Time(now), s.d.Time(now)).Scan(&inc.ID); err != nil {
		return err
	}
	if err := s.writeIncident(ctx, tx, inc); err != nil {
		return err
	}
	if audit != nil {
		audit.Entity, audit.EntityID = "incident", inc.ID
		if audit.Action == "" {
			audit.Action = "create"
		}
		if audit.New == "" {
			audit.New = summaryJSON(inc)
		}
		if err := s.appendAudit(ctx, tx, audit); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *Store) writeIncident(ctx context.Context, tx Querier, inc *vigil.Incident) error {
	body, cols, err := s.incidentColumns(inc)
	if err != nil {
		return err
	}
	args := append([]any{body}, cols...)
	args = append(args, s.d.Time(inc.UpdatedAt), inc.ID)
	if _, err := tx.ExecContext(ctx, `UPDATE incidents SET body = ?, event_type = ?, date_earliest = ?, date_latest = ?, governorate = ?, governorate_name = ?, grade = ?, review = ?, has_children = ?, killed_max = ?, merged_into = ?, updated_at = ? WHERE id = ?`, args...); err != nil {
		return fmt.Errorf("write incident %d: %w", inc.ID, err)
	}
	return s.writeIncidentKeys(ctx, tx, inc)
}

// auditedFields are the incident fields whose changes get an audit entry
// each, with old and new value.
var auditedFields = []string{"title", "event_type", "date", "place", "figures", "attribution", "facilities", "grade", "grade_reason", "review_state", "proposed_grade", "claim_ids", "possible_duplicates", "merged_into", "sensitivity", "victims", "sources"}

// UpdateIncident implements vigil.IncidentService.
func (s *Store) UpdateIncident(ctx context.Context, inc *vigil.Incident, audit *vigil.AuditEntry) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	old, err := findIncident(ctx, tx, inc.ID)
	if err != nil {
		return err
	}
	inc.CreatedAt = old.CreatedAt
	inc.UpdatedAt = s.Now()
	if audit != nil && audit.Actor != "" {
		inc.LastEditor = audit.Actor
	}
	if err := s.writeIncident(ctx, tx, inc); err != nil {
		return err
	}
	if audit != nil {
		oldF, newF := fieldsJSON(old), fieldsJSON(inc)
		changed := 0
		for _, f := range auditedFields {
			if oldF[f] == newF[f] {
				continue
			}
			changed++
			e := &vigil.AuditEntry{At: audit.At, Actor: audit.Actor, Action: audit.Action, Entity: "incident", EntityID: inc.ID,
				Field: f, Old: oldF[f], New: newF[f], Reason: audit.Reason}
			if e.Action == "" {
				e.Action = "update"
			}
			if err := s.appendAudit(ctx, tx, e); err != nil {
				return err
			}
		}
		if changed == 0 && audit.Action != "" && audit.Action != "update" {
			e := *audit
			e.Entity, e.EntityID = "incident", inc.ID
			if err := s.appendAudit(ctx, tx, &e); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

func fieldsJSON(inc *vigil.Incident) map[string]string {
	b, _ := json.Marshal(inc)
	var m map[string]json.RawMessage
	json.Unmarshal(b, &m)
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

func summaryJSON(inc *vigil.Incident) string {
	b, _ := json.Marshal(struct {
		Title     string          `json:"title"`
		EventType vigil.EventType `json:"event_type"`
		Date      string          `json:"date"`
		ClaimIDs  []int64         `json:"claim_ids"`
	}{inc.Title, inc.EventType, inc.Date.String(), inc.ClaimIDs})
	return string(b)
}

func findIncident(ctx context.Context, q Querier, id int64) (*vigil.Incident, error) {
	var body string
	err := q.QueryRowContext(ctx, `SELECT body FROM incidents WHERE id = ?`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "incident not found")
	}
	if err != nil {
		return nil, err
	}
	var inc vigil.Incident
	if err := json.Unmarshal([]byte(body), &inc); err != nil {
		return nil, fmt.Errorf("incident %d: %w", id, err)
	}
	inc.ID = id
	return &inc, nil
}

// FindIncidentByID implements vigil.IncidentService.
func (s *Store) FindIncidentByID(ctx context.Context, id int64) (*vigil.Incident, error) {
	return findIncident(ctx, s.q(), id)
}

// FindIncidents implements vigil.IncidentService.
func (s *Store) FindIncidents(ctx context.Context, f vigil.IncidentFilter) ([]*vigil.Incident, int, error) {
	var c Conds

	if len(f.IDs) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(f.IDs)), ",")
		ids := make([]any, len(f.IDs))
		for i, id := range f.IDs {
			ids[i] = id
		}
		c.Add(`id IN (`+ph+`)`, ids...)
	}
	if f.EventType != "" {
		c.Add(`event_type = ?`, string(f.EventType))
	}
	if f.Governorate != "" {
		c.Add(`(governorate = ? OR `+s.d.EqualFold(`governorate_name`)+`)`, f.Governorate, f.Governorate)
	}
	if f.PCode != "" {
		c.Add(`id IN (SELECT incident_id FROM incident_keys WHERE kind = 'pcode' AND value = ?)`, f.PCode)
	}
	if f.Perpetrator != "" {
		c.Add(`id IN (SELECT incident_id FROM incident_keys WHERE kind = 'actor' AND value = ?)`, f.Perpetrator)
	}
	if f.FacilityType != "" {
		c.Add(`id IN (SELECT incident_id FROM incident_keys WHERE kind = 'facility' AND value = ?)`, string(f.FacilityType))
	}
	if f.From != nil {
		c.Add(`date_latest >= ?`, s.d.Time(*f.From))
	}
	if f.To != nil {
		c.Add(`date_earliest < ?`, s.d.Time(*f.To))
	}
	if f.Grade != "" {
		c.Add(`grade = ?`, string(f.Grade))
	}
	if f.Review != "" {
		c.Add(`review = ?`, string(f.Review))
	}
	if f.PublishedOnly {
		c.Add(`review = ?`, string(vigil.ReviewPublished))
	}
	if f.HasChildren {
		c.Add(`has_children = ?`, true)
	}
	if cond, args, ok := s.d.TextMatch("d", f.Query); ok {
		c.Add(`id IN (SELECT c.incident_id FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.incident_id IS NOT NULL AND `+cond+`)`, args...)
	}
	return FindPage(ctx, s, `id, body`, `incidents`, c, `date_earliest DESC, id DESC`, f.Limit, f.Offset, scanIncident)
}

func scanIncident(sc Scanner) (*vigil.Incident, error) {
	var id int64
	var body string
	if err := sc.Scan(&id, &body); err != nil {
		return nil, err
	}
	var inc vigil.Incident
	if err := json.Unmarshal([]byte(body), &inc); err != nil {
		return nil, err
	}
	inc.ID = id
	return &inc, nil
}

// PlaceClaim implements vigil.IncidentService.
func (s *Store) PlaceClaim(ctx context.Context, md *vigil.MatchDecision) error {
	if md.DecidedAt.IsZero() {
		md.DecidedAt = s.Now()
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findIncident(ctx, tx, md.IncidentID); err != nil {
		return err
	}
	c, err := scanClaim(tx.QueryRowContext(ctx, `SELECT id, body FROM claims WHERE id = ?`, md.ClaimID))
	if errors.Is(err, sql.ErrNoRows) {
		return vigil.Errorf(vigil.ENOTFOUND, "claim not found")
	} else if err != nil {
		return err
	}
	c.IncidentID = &md.IncidentID
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE claims SET incident_id = ?, body = ? WHERE id = ?`, md.IncidentID, string(body), md.ClaimID); err != nil {
		return err
	}
	mb, err := json.Marshal(md)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO match_decisions (claim_id, incident_id, body, decided_at) VALUES (?, ?, ?, ?)`, md.ClaimID, md.IncidentID, string(mb), s.d.Time(md.DecidedAt)); err != nil {
		return err
	}
	return tx.Commit()
}

// MatchDecisions implements vigil.IncidentService: the latest decision for
// each claim now in the incident, and the history of earlier ones.
func (s *Store) MatchDecisions(ctx context.Context, incidentID int64) ([]*vigil.MatchDecision, error) {
	return All(ctx, s.q(), func(sc Scanner) (*vigil.MatchDecision, error) {
		var body string
		if err := sc.Scan(&body); err != nil {
			return nil, err
		}
		var md vigil.MatchDecision
		return &md, json.Unmarshal([]byte(body), &md)
	}, `SELECT body FROM match_decisions WHERE incident_id = ? ORDER BY id`, incidentID)
}

// UnresolvedClaims implements vigil.IncidentService.
func (s *Store) UnresolvedClaims(ctx context.Context, limit int) ([]*vigil.Claim, error) {
	if limit <= 0 {
		limit = vigil.MaxPageSize
	}
	return All(ctx, s.q(), scanClaim, `SELECT id, body FROM claims WHERE incident_id IS NULL ORDER BY document_id, idx LIMIT ?`, limit)
}

// AppendAudit implements vigil.IncidentService.
func (s *Store) AppendAudit(ctx context.Context, a *vigil.AuditEntry) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.appendAudit(ctx, tx, a); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) appendAudit(ctx context.Context, tx Querier, a *vigil.AuditEntry) error {
	if a.Actor == "" || a.Action == "" || a.Entity == "" {
		return vigil.FieldErrorf(vigil.EINVALID, "audit", "actor, action and entity are required")
	}
	return s.appendChain(ctx, tx, "audit", "audit_log", &a.At, func(prev string) (string, error) {
		a.PrevHash = prev
		a.Hash = a.ComputeHash(prev)
		err := tx.QueryRowContext(ctx, `INSERT INTO audit_log (at, actor, action, entity, entity_id, field, old, new, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			TimeText(a.At), a.Actor, a.Action, a.Entity, a.EntityID, a.Field, a.Old, a.New, a.Reason, a.PrevHash, a.Hash).Scan(&a.ID)
		return a.Hash, err
	})
}

const auditColumns = `id, at, actor, action, entity, entity_id, field, old, new, reason, prev_hash, hash`

func scanAudit(rows Scanner) (*vigil.AuditEntry, error) {
	var a vigil.AuditEntry
	if err := rows.Scan(&a.ID, Time(&a.At), &a.Actor, &a.Action, &a.Entity, &a.EntityID, &a.Field, &a.Old, &a.New, &a.Reason, &a.PrevHash, &a.Hash); err != nil {
		return nil, err
	}
	return &a, nil
}

// AuditLog implements vigil.IncidentService.
func (s *Store) AuditLog(ctx context.Context, f vigil.AuditFilter) ([]*vigil.AuditEntry, int, error) {
	var c Conds
	if f.Entity != "" {
		c.Add(`entity = ?`, f.Entity)
	}
	if f.EntityID != 0 {
		c.Add(`entity_id = ?`, f.EntityID)
	}
	return FindPage(ctx, s, auditColumns, `audit_log`, c, `id`, f.Limit, f.Offset, scanAudit)
}

// VerifyAudit checks the audit chain and returns every problem.
func (s *Store) VerifyAudit(ctx context.Context) ([]vigil.Problem, int, error) {
	entries, err := All(ctx, s.q(), scanAudit, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return nil, 0, err
	}
	head, err := s.chainHead(ctx, "audit")
	if err != nil {
		return nil, 0, err
	}
	return vigil.VerifyAuditChain(entries, head), len(entries), nil
}
