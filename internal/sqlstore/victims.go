package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

var _ vigil.VictimService = (*Store)(nil)

// ImportVictims implements vigil.VictimService.
func (s *Store) ImportVictims(ctx context.Context, list string, records []*vigil.VictimRecord) (*vigil.ImportResult, error) {
	list = strings.TrimSpace(list)
	if list == "" {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "list", "a victim list needs a name")
	}
	seen := map[string]int{}
	for i, r := range records {
		if strings.TrimSpace(r.RecordID) == "" {
			return nil, vigil.FieldErrorf(vigil.EINVALID, fmt.Sprintf("records[%d].record_id", i), "every record needs the list's record id")
		}
		if j, ok := seen[r.RecordID]; ok {
			return nil, vigil.FieldErrorf(vigil.EINVALID, fmt.Sprintf("records[%d].record_id", i), "record id %q also at records[%d]", r.RecordID, j)
		}
		seen[r.RecordID] = i
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := s.d.Time(s.Now())
	var listID int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM victim_lists WHERE name = ?`, list).Scan(&listID)
	if errors.Is(err, sql.ErrNoRows) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO victim_lists (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`, list, now, now).Scan(&listID); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	sel, err := tx.PrepareContext(ctx, `SELECT id, body FROM victim_records WHERE list_id = ? AND record_id = ?`)
	if err != nil {
		return nil, err
	}
	defer sel.Close()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO victim_records (list_id, record_id, line, body, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE victim_records SET line = ?, body = ?, updated_at = ? WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	defer upd.Close()
	out := &vigil.ImportResult{Rejected: []vigil.RejectedRow{}}
	for _, r := range records {
		r.List = list
		body, err := recordBody(r)
		if err != nil {
			return nil, err
		}
		var id int64
		var old string
		err = sel.QueryRowContext(ctx, listID, r.RecordID).Scan(&id, &old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := ins.QueryRowContext(ctx, listID, r.RecordID, r.Line, body, now).Scan(&r.ID); err != nil {
				return nil, err
			}
			out.Inserted++
		case err != nil:
			return nil, err
		case old == body:
			r.ID = id
			out.Unchanged++
		default:
			r.ID = id
			if _, err := upd.ExecContext(ctx, r.Line, body, now, id); err != nil {
				return nil, err
			}
			out.Updated++
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE victim_lists SET updated_at = ? WHERE id = ?`, now, listID); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	l, err := s.findList(ctx, list)
	if err != nil {
		return nil, err
	}
	out.List = l
	return out, nil
}

// recordBody is the stored JSON of a record: everything but the ids the
// store assigns.
func recordBody(r *vigil.VictimRecord) (string, error) {
	c := *r
	c.ID, c.PersonID, c.Line, c.List = 0, "", 0, ""
	b, err := json.Marshal(&c)
	return string(b), err
}

const listCols = `l.id, l.name, l.description, l.created_at, l.updated_at, (SELECT count(*) FROM victim_records r WHERE r.list_id = l.id)`

func scanList(sc Scanner) (*vigil.VictimList, error) {
	var l vigil.VictimList
	if err := sc.Scan(&l.ID, &l.Name, &l.Description, Time(&l.CreatedAt), Time(&l.UpdatedAt), &l.Records); err != nil {
		return nil, err
	}
	return &l, nil
}

func (s *Store) findList(ctx context.Context, name string) (*vigil.VictimList, error) {
	l, err := scanList(s.q().QueryRowContext(ctx, `SELECT `+listCols+` FROM victim_lists l WHERE l.name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.FieldErrorf(vigil.ENOTFOUND, "list", "no victim list %q", name)
	}
	return l, err
}

// FindVictimLists implements vigil.VictimService.
func (s *Store) FindVictimLists(ctx context.Context) ([]*vigil.VictimList, error) {
	return All(ctx, s.q(), scanList, `SELECT `+listCols+` FROM victim_lists l ORDER BY l.name`)
}

const recordCols = `r.id, l.name, r.record_id, r.line, r.body, coalesce(r.person_id, '')`

func scanRecord(sc Scanner) (*vigil.VictimRecord, error) {
	var id int64
	var list, rid, body, person string
	var line int
	if err := sc.Scan(&id, &list, &rid, &line, &body, &person); err != nil {
		return nil, err
	}
	var r vigil.VictimRecord
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return nil, err
	}
	r.ID, r.List, r.RecordID, r.Line, r.PersonID = id, list, rid, line, person
	return &r, nil
}

// FindVictimRecords implements vigil.VictimService. Limit 0 returns every
// matching record.
func (s *Store) FindVictimRecords(ctx context.Context, f vigil.VictimFilter) ([]*vigil.VictimRecord, int, error) {
	var conds []string
	var args []any
	if len(f.Lists) > 0 {
		conds = append(conds, `l.name IN (`+strings.TrimSuffix(strings.Repeat("?,", len(f.Lists)), ",")+`)`)
		for _, l := range f.Lists {
			args = append(args, l)
		}
	}
	if f.PersonID != "" {
		conds = append(conds, `r.person_id = ?`)
		args = append(args, f.PersonID)
	}
	where := ""
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, ` AND `)
	}
	from := ` FROM victim_records r JOIN victim_lists l ON l.id = r.list_id`
	var total int
	if err := s.q().QueryRowContext(ctx, `SELECT count(*)`+from+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + recordCols + from + where + ` ORDER BY r.id`
	if f.Limit > 0 {
		limit, offset := Page(f.Limit, f.Offset)
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, offset)
	}
	out, err := All(ctx, s.q(), scanRecord, q, args...)
	return out, total, err
}

// FindVictimRecordByID implements vigil.VictimService.
func (s *Store) FindVictimRecordByID(ctx context.Context, id int64) (*vigil.VictimRecord, error) {
	r, err := scanRecord(s.q().QueryRowContext(ctx, `SELECT `+recordCols+` FROM victim_records r JOIN victim_lists l ON l.id = r.list_id WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.FieldErrorf(vigil.ENOTFOUND, "id", "no victim record %d", id)
	}
	return r, err
}

// SaveLinkRun implements vigil.VictimService.
func (s *Store) SaveLinkRun(ctx context.Context, run *vigil.LinkRun, persons map[int64]string, queue []*vigil.ReviewPair) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if run.FinishedAt.IsZero() {
		run.FinishedAt = s.Now()
	}
	if run.StartedAt.IsZero() {
		run.StartedAt = run.FinishedAt
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO link_runs (started_at, finished_at, body) VALUES (?, ?, '{}') RETURNING id`,
		s.d.Time(run.StartedAt), s.d.Time(run.FinishedAt)).Scan(&run.ID); err != nil {
		return err
	}
	body, err := json.Marshal(run)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE link_runs SET body = ? WHERE id = ?`, string(body), run.ID); err != nil {
		return err
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE victim_records SET person_id = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	ids := make([]int64, 0, len(persons))
	for id := range persons {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		res, err := upd.ExecContext(ctx, persons[id], id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return vigil.FieldErrorf(vigil.EINVALID, "persons", "no victim record %d", id)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM review_pairs`); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO review_pairs (a, b, run_id, weight, probability, explanation) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (a, b) DO UPDATE SET run_id = excluded.run_id, weight = excluded.weight, probability = excluded.probability, explanation = excluded.explanation`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, p := range queue {
		a, b := p.A, p.B
		if a > b {
			a, b = b, a
		}
		if a == b {
			return vigil.FieldErrorf(vigil.EINVALID, "queue", "pair of record %d with itself", a)
		}
		if _, err := ins.ExecContext(ctx, a, b, run.ID, p.Weight, p.Probability, string(p.Explanation)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// LatestLinkRun implements vigil.VictimService.
func (s *Store) LatestLinkRun(ctx context.Context) (*vigil.LinkRun, error) {
	var id int64
	var body string
	err := s.q().QueryRowContext(ctx, `SELECT id, body FROM link_runs ORDER BY id DESC LIMIT 1`).Scan(&id, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no linkage run yet")
	}
	if err != nil {
		return nil, err
	}
	var r vigil.LinkRun
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return nil, err
	}
	r.ID = id
	return &r, nil
}

// FindPersons implements vigil.VictimService.
func (s *Store) FindPersons(ctx context.Context, f vigil.PersonFilter) ([]*vigil.Person, int, error) {
	conds := []string{`r.person_id IS NOT NULL`}
	var args []any
	if f.List != "" {
		conds = append(conds, `r.person_id IN (SELECT r2.person_id FROM victim_records r2 JOIN victim_lists l2 ON l2.id = r2.list_id WHERE l2.name = ? AND r2.person_id IS NOT NULL)`)
		args = append(args, f.List)
	}
	if f.Query != "" {
		conds = append(conds, `r.person_id IN (SELECT r3.person_id FROM victim_records r3 WHERE `+s.d.LikeFold(`r3.body`)+`)`)
		args = append(args, LikeContains(f.Query))
	}
	where := ` WHERE ` + strings.Join(conds, ` AND `)
	var total int
	if err := s.q().QueryRowContext(ctx, `SELECT count(DISTINCT r.person_id) FROM victim_records r`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pq := `SELECT r.person_id FROM victim_records r` + where + ` GROUP BY r.person_id ORDER BY length(r.person_id), r.person_id`
	pargs := append([]any(nil), args...)
	if f.Limit >= 0 {
		limit, offset := Page(f.Limit, f.Offset)
		pq += ` LIMIT ? OFFSET ?`
		pargs = append(pargs, limit, offset)
	}
	ids, err := Strings(ctx, s.q(), pq, pargs...)
	if err != nil {
		return nil, 0, err
	}
	out := []*vigil.Person{}
	for _, id := range ids {
		p, err := s.FindPersonByID(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, nil
}

// FindPersonByID implements vigil.VictimService.
func (s *Store) FindPersonByID(ctx context.Context, id string) (*vigil.Person, error) {
	recs, _, err := s.FindVictimRecords(ctx, vigil.VictimFilter{PersonID: id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, vigil.FieldErrorf(vigil.ENOTFOUND, "id", "no person %q", id)
	}
	p := &vigil.Person{ID: id, Records: recs, Lists: []string{}}
	seen := map[string]bool{}
	for _, r := range recs {
		if p.Name == "" {
			p.Name = r.DisplayName()
		}
		if !seen[r.List] {
			seen[r.List] = true
			p.Lists = append(p.Lists, r.List)
		}
	}
	sort.Strings(p.Lists)
	return p, nil
}

// ReviewQueue implements vigil.VictimService: pairs of the latest run,
// most uncertain first, with their records and any decision.
func (s *Store) ReviewQueue(ctx context.Context, f vigil.ReviewFilter) ([]*vigil.ReviewPair, int, error) {
	where := ``
	if f.Pending {
		where = ` WHERE NOT EXISTS (SELECT 1 FROM pair_decisions d WHERE d.a = q.a AND d.b = q.b)`
	}
	var total int
	if err := s.q().QueryRowContext(ctx, `SELECT count(*) FROM review_pairs q`+where).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := Page(f.Limit, f.Offset)
	out, err := All(ctx, s.q(), func(sc Scanner) (*vigil.ReviewPair, error) {
		var p vigil.ReviewPair
		var expl string
		if err := sc.Scan(&p.A, &p.B, &p.Weight, &p.Probability, &expl); err != nil {
			return nil, err
		}
		if expl != "" {
			p.Explanation = json.RawMessage(expl)
		}
		return &p, nil
	}, `SELECT q.a, q.b, q.weight, q.probability, q.explanation FROM review_pairs q`+where+
		` ORDER BY abs(q.probability - 0.5), q.a, q.b LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	decisions, err := s.decisionMap(ctx)
	if err != nil {
		return nil, 0, err
	}
	for _, p := range out {
		if p.RecordA, err = s.FindVictimRecordByID(ctx, p.A); err != nil {
			return nil, 0, err
		}
		if p.RecordB, err = s.FindVictimRecordByID(ctx, p.B); err != nil {
			return nil, 0, err
		}
		p.Decision = decisions[[2]int64{p.A, p.B}]
	}
	return out, total, nil
}

func (s *Store) decisionMap(ctx context.Context) (map[[2]int64]*vigil.PairDecision, error) {
	all, err := s.PairDecisions(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[[2]int64]*vigil.PairDecision, len(all))
	for _, x := range all {
		m[[2]int64{x.A, x.B}] = x
	}
	return m, nil
}

// DecidePair implements vigil.VictimService.
func (s *Store) DecidePair(ctx context.Context, x *vigil.PairDecision) error {
	if x.A == x.B {
		return vigil.FieldErrorf(vigil.EINVALID, "b", "a record is always the same person as itself")
	}
	if x.A > x.B {
		x.A, x.B = x.B, x.A
	}
	if strings.TrimSpace(x.Reviewer) == "" {
		return vigil.FieldErrorf(vigil.EINVALID, "reviewer", "a decision needs a reviewer")
	}
	for _, id := range []int64{x.A, x.B} {
		if _, err := s.FindVictimRecordByID(ctx, id); err != nil {
			return err
		}
	}
	if x.DecidedAt.IsZero() {
		x.DecidedAt = s.Now()
	}
	_, err := s.q().ExecContext(ctx, `INSERT INTO pair_decisions (a, b, match, reviewer, note, decided_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (a, b) DO UPDATE SET match = excluded.match, reviewer = excluded.reviewer, note = excluded.note, decided_at = excluded.decided_at`,
		x.A, x.B, x.Match, x.Reviewer, x.Note, s.d.Time(x.DecidedAt))
	return err
}

// PairDecisions implements vigil.VictimService.
func (s *Store) PairDecisions(ctx context.Context) ([]*vigil.PairDecision, error) {
	return All(ctx, s.q(), func(sc Scanner) (*vigil.PairDecision, error) {
		var x vigil.PairDecision
		return &x, sc.Scan(&x.A, &x.B, &x.Match, &x.Reviewer, &x.Note, Time(&x.DecidedAt))
	}, `SELECT a, b, match, reviewer, note, decided_at FROM pair_decisions ORDER BY a, b`)
}
