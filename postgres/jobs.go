package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/internal/sqlstore"
)

// Job states.
const (
	JobPending = "pending"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// Job is one unit of work in the queue.
type Job struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	Key         string    `json:"key"`
	Payload     string    `json:"payload"`
	State       string    `json:"state"`
	Attempts    int       `json:"attempts"`
	MaxAttempts int       `json:"max_attempts"`
	RunAt       time.Time `json:"run_at"`
	LockedBy    string    `json:"locked_by,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
	Result      string    `json:"result,omitempty"`
}

// NewJob is a job to enqueue.
type NewJob struct {
	Kind    string
	Key     string // one job per (Kind, Key): enqueueing it again does nothing
	Payload string // JSON
}

// Enqueue adds jobs, in batches, skipping any whose (kind, key) is already
// queued (in whatever state), and returns how many were added.
func (d *DB) Enqueue(ctx context.Context, jobs []NewJob) (int, error) {
	added := 0
	const batch = 500
	for start := 0; start < len(jobs); start += batch {
		end := min(start+batch, len(jobs))
		var b strings.Builder
		b.WriteString(`INSERT INTO jobs (kind, key, payload) VALUES `)
		args := make([]any, 0, 3*(end-start))
		for i, j := range jobs[start:end] {
			if j.Kind == "" || j.Key == "" {
				return added, vigil.FieldErrorf(vigil.EINVALID, "job", "a job needs a kind and a key")
			}
			if j.Payload == "" {
				j.Payload = "{}"
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?)")
			args = append(args, j.Kind, j.Key, j.Payload)
		}
		b.WriteString(` ON CONFLICT (kind, key) DO NOTHING`)
		res, err := d.q().ExecContext(ctx, b.String(), args...)
		if err != nil {
			return added, err
		}
		n, _ := res.RowsAffected()
		added += int(n)
	}
	return added, nil
}

const jobColumns = `id, kind, key, payload, state, attempts, max_attempts, run_at, coalesce(locked_by, ''), last_error, result`

func scanJob(s sqlstore.Scanner) (*Job, error) {
	var j Job
	if err := s.Scan(&j.ID, &j.Kind, &j.Key, &j.Payload, &j.State, &j.Attempts, &j.MaxAttempts, &j.RunAt, &j.LockedBy, &j.LastError, &j.Result); err != nil {
		return nil, err
	}
	j.RunAt = j.RunAt.UTC()
	return &j, nil
}

// Claim leases up to n jobs of the given kinds (all kinds when none) to
// worker for lease: pending jobs whose time has come, and running jobs
// whose lease has expired (their worker died or stalled). FOR UPDATE SKIP
// LOCKED lets any number of workers claim at once without taking the same
// job; each claim counts an attempt.
func (d *DB) Claim(ctx context.Context, worker string, kinds []string, n int, lease time.Duration) ([]*Job, error) {
	if n <= 0 {
		n = 1
	}
	kindCond, args := "", []any{}
	if len(kinds) > 0 {
		kindCond = ` AND kind IN (` + strings.TrimSuffix(strings.Repeat("?,", len(kinds)), ",") + `)`
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	q := `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = ?, locked_until = now() + ? * interval '1 millisecond', updated_at = now()
		WHERE id IN (
			SELECT id FROM jobs
			WHERE ((state = 'pending' AND run_at <= now()) OR (state = 'running' AND locked_until < now()))` + kindCond + `
			ORDER BY run_at, id
			LIMIT ?
			FOR UPDATE SKIP LOCKED)
		RETURNING ` + jobColumns
	all := append([]any{worker, lease.Milliseconds()}, args...)
	all = append(all, n)
	return sqlstore.All(ctx, d.q(), scanJob, q, all...)
}

// ErrLeaseLost is returned when a job's lease passed to another worker: the
// work of this attempt must not be committed.
var ErrLeaseLost = errors.New("job lease lost to another worker")

// Extend renews the lease of a running job held by worker (attempt
// j.Attempts); it returns ErrLeaseLost if the job is no longer ours.
func (d *DB) Extend(ctx context.Context, worker string, j *Job, lease time.Duration) error {
	res, err := d.q().ExecContext(ctx, `UPDATE jobs SET locked_until = now() + ? * interval '1 millisecond', updated_at = now()
		WHERE id = ? AND state = 'running' AND locked_by = ? AND attempts = ?`, lease.Milliseconds(), j.ID, worker, j.Attempts)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// Complete marks a job done. Called on the store that Atomic passes to its
// function, it commits together with the job's work: either both are
// committed or neither is, and a worker whose lease was taken over gets
// ErrLeaseLost and commits nothing, so a job's work is committed once.
func (d *DB) Complete(ctx context.Context, worker string, j *Job, result string) error {
	res, err := d.q().ExecContext(ctx, `UPDATE jobs SET state = 'done', result = ?, locked_by = NULL, locked_until = NULL, finished_at = now(), updated_at = now()
		WHERE id = ? AND state = 'running' AND locked_by = ? AND attempts = ?`, result, j.ID, worker, j.Attempts)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// Backoff is the wait before attempt n+1 after n failed attempts:
// exponential from 2 s, capped at 10 minutes, with up to 25% jitter so that
// jobs failing together do not retry together.
func Backoff(n int) time.Duration {
	d := 2 * time.Second << min(max(n-1, 0), 10)
	if d > 10*time.Minute {
		d = 10 * time.Minute
	}
	return d + time.Duration(rand.Int64N(int64(d/4)+1))
}

// Fail records a failed attempt: the job is retried after Backoff, or is
// failed for good when permanent or out of attempts.
func (d *DB) Fail(ctx context.Context, worker string, j *Job, cause error, permanent bool) error {
	msg := cause.Error()
	if len(msg) > 4000 {
		msg = msg[:4000]
	}
	state := JobPending
	if permanent || j.Attempts >= j.MaxAttempts {
		state = JobFailed
	}
	_, err := d.q().ExecContext(ctx, `UPDATE jobs SET state = ?, last_error = ?, run_at = now() + ? * interval '1 millisecond', locked_by = NULL, locked_until = NULL,
		finished_at = CASE WHEN ? = 'failed' THEN now() END, updated_at = now()
		WHERE id = ? AND state = 'running' AND locked_by = ? AND attempts = ?`,
		state, msg, Backoff(j.Attempts).Milliseconds(), state, j.ID, worker, j.Attempts)
	return err
}

// JobCounts returns the number of jobs in each state, of the given kind
// (all kinds when empty).
func (d *DB) JobCounts(ctx context.Context, kind string) (map[string]int, error) {
	q, args := `SELECT state, count(*) FROM jobs`, []any{}
	if kind != "" {
		q += ` WHERE kind = ?`
		args = append(args, kind)
	}
	rows, err := d.q().QueryContext(ctx, q+` GROUP BY state`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{JobPending: 0, JobRunning: 0, JobDone: 0, JobFailed: 0}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// FindJobs lists jobs in a state (any when empty), oldest first.
func (d *DB) FindJobs(ctx context.Context, state string, limit, offset int) ([]*Job, int, error) {
	var c sqlstore.Conds
	if state != "" {
		c.Add(`state = ?`, state)
	}
	return sqlstore.FindPage(ctx, d.store, jobColumns, `jobs`, c, `id`, limit, offset, scanJob)
}

// FindJob returns one job.
func (d *DB) FindJob(ctx context.Context, id int64) (*Job, error) {
	j, err := scanJob(d.q().QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "job %d not found", id)
	}
	return j, err
}

// RetryFailed puts failed jobs back in the queue with fresh attempts.
func (d *DB) RetryFailed(ctx context.Context) (int, error) {
	res, err := d.q().ExecContext(ctx, `UPDATE jobs SET state = 'pending', attempts = 0, run_at = now(), finished_at = NULL, updated_at = now() WHERE state = 'failed'`)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Handler does one job's work on st, a store inside a transaction that
// also marks the job done: return nil to commit both. An error marked
// vigil.EINVALID fails the job for good; any other is retried.
type Handler func(ctx context.Context, st vigil.Store, j *Job) (result string, err error)

// Worker consumes the queue.
type Worker struct {
	DB       *DB
	ID       string             // unique per process, e.g. host:pid
	Handlers map[string]Handler // by job kind
	// Prepare, if set, runs before the transaction (work that needs no
	// lock, such as parsing and extraction); its value is passed to the
	// handler through the context (PreparedFrom).
	Prepare     func(ctx context.Context, j *Job) (any, error)
	Concurrency int           // jobs in flight at once (default 1)
	Lease       time.Duration // default 30 s; renewed every third of it
	Poll        time.Duration // wait when the queue is empty (default 500 ms)
	ExitIdle    bool          // return when no job is pending or running
	Log         func(msg string, args ...any)
}

type preparedKey struct{}

// PreparedFrom returns what Worker.Prepare returned for this job.
func PreparedFrom(ctx context.Context) any { return ctx.Value(preparedKey{}) }

// Run consumes jobs until ctx is done (finishing the jobs in hand) or, with
// ExitIdle, until the queue holds nothing pending or running.
func (w *Worker) Run(ctx context.Context) error {
	conc := max(w.Concurrency, 1)
	if w.Lease <= 0 {
		w.Lease = 30 * time.Second
	}
	if w.Poll <= 0 {
		w.Poll = 500 * time.Millisecond
	}
	kinds := make([]string, 0, len(w.Handlers))
	for k := range w.Handlers {
		kinds = append(kinds, k)
	}
	jobs := make(chan *Job)
	errc := make(chan error, conc)
	for i := 0; i < conc; i++ {
		go func() {
			for j := range jobs {
				w.runOne(context.WithoutCancel(ctx), j)
			}
			errc <- nil
		}()
	}
	defer func() {
		close(jobs)
		for i := 0; i < conc; i++ {
			<-errc
		}
	}()
	for ctx.Err() == nil {
		claimed, err := w.DB.Claim(ctx, w.ID, kinds, 1, w.Lease)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("claim: %w", err)
		}
		if len(claimed) == 0 {
			if w.ExitIdle {
				c, err := w.DB.JobCounts(ctx, "")
				if err == nil && c[JobPending] == 0 && c[JobRunning] == 0 {
					return nil
				}
			}
			select {
			case <-ctx.Done():
			case <-time.After(w.Poll):
			}
			continue
		}
		for _, j := range claimed {
			select {
			case jobs <- j:
			case <-ctx.Done():
				// not started: give it back at once
				w.DB.Fail(context.WithoutCancel(ctx), w.ID, j, errors.New("worker stopping"), false)
			}
		}
	}
	return nil
}

func (w *Worker) logf(msg string, args ...any) {
	if w.Log != nil {
		w.Log(msg, args...)
	}
}

func (w *Worker) runOne(ctx context.Context, j *Job) {
	h := w.Handlers[j.Kind]
	// Renew the lease while the job runs.
	hbCtx, stop := context.WithCancel(ctx)
	lost := make(chan struct{})
	go func() {
		t := time.NewTicker(w.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-hbCtx.Done():
				return
			case <-t.C:
				if err := w.DB.Extend(hbCtx, w.ID, j, w.Lease); errors.Is(err, ErrLeaseLost) {
					close(lost)
					return
				}
			}
		}
	}()
	var result string
	var err error
	jctx := ctx
	if w.Prepare != nil {
		var v any
		if v, err = w.Prepare(ctx, j); err == nil {
			jctx = context.WithValue(ctx, preparedKey{}, v)
		}
	}
	if err == nil {
		err = w.DB.Atomic(jctx, func(st vigil.Store) error {
			select {
			case <-lost:
				return ErrLeaseLost
			default:
			}
			var herr error
			if result, herr = h(jctx, st, j); herr != nil {
				return herr
			}
			return st.(*DB).Complete(jctx, w.ID, j, result)
		})
	}
	stop()
	switch {
	case err == nil:
		w.logf("job done", "id", j.ID, "kind", j.Kind, "key", j.Key, "attempt", j.Attempts)
	case errors.Is(err, ErrLeaseLost):
		w.logf("job lease lost; another worker has it", "id", j.ID, "kind", j.Kind)
	default:
		permanent := vigil.ErrorKind(err) == vigil.EINVALID
		w.logf("job failed", "id", j.ID, "kind", j.Kind, "key", j.Key, "attempt", j.Attempts, "permanent", permanent, "err", err)
		if ferr := w.DB.Fail(ctx, w.ID, j, err, permanent); ferr != nil {
			w.logf("recording a job failure failed", "id", j.ID, "err", ferr)
		}
	}
}

// LockJobKind takes a transaction-scoped advisory lock named after a job
// kind (and the schema), held until the transaction that Atomic opened
// ends: jobs whose work must not overlap (resolution, linkage) take it
// first, so a second such job waits for the first to commit or roll back
// and then sees its results. A worker that dies releases it with its
// connection. It must be called on the store Atomic passes to its function.
func (d *DB) LockJobKind(ctx context.Context, kind string) error {
	if !sqlstore.InTx(d.store) {
		return vigil.Errorf(vigil.EINTERNAL, "LockJobKind outside a transaction")
	}
	_, err := d.q().ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('vigil-job:' || current_schema() || ':' || ?))`, kind)
	return err
}

// EnqueueFollowUp queues a job of kind unless one of that kind whose key
// starts with prefix is still pending, and reports whether it added one.
// Called inside a transaction (the store Atomic passes), it locks the
// pending job it finds (FOR UPDATE SKIP LOCKED) so that no worker can claim
// it before this transaction commits: the follow-up therefore always starts
// after the work of this transaction is visible. Without a pending job (or
// when every pending one is locked by another transaction) it inserts
// prefix+key; at worst two follow-ups run one after the other.
func (d *DB) EnqueueFollowUp(ctx context.Context, kind, prefix, key, payload string) (bool, error) {
	if !sqlstore.InTx(d.store) {
		return false, vigil.Errorf(vigil.EINTERNAL, "EnqueueFollowUp outside a transaction")
	}
	var id int64
	err := d.q().QueryRowContext(ctx, `SELECT id FROM jobs WHERE kind = ? AND state = 'pending' AND starts_with(key, ?) LIMIT 1 FOR UPDATE SKIP LOCKED`, kind, prefix).Scan(&id)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	n, err := d.Enqueue(ctx, []NewJob{{Kind: kind, Key: prefix + key, Payload: payload}})
	return n > 0, err
}
