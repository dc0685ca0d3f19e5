package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/extract"
	"github.com/vigil-rec/vigil/gazetteer"
	"github.com/vigil-rec/vigil/ingest"
	"github.com/vigil-rec/vigil/mse"
	"github.com/vigil-rec/vigil/postgres"
	"github.com/vigil-rec/vigil/resolve"
	"github.com/vigil-rec/vigil/victims"
)

func init() {
	register(newWorkerCmd)
	register(newJobsCmd)
}

// queue returns the PostgreSQL store that holds the job queue.
func (a *App) queue(ctx context.Context) (*postgres.DB, vigil.BlobStore, error) {
	if !a.usesPostgres() {
		return nil, nil, Usagef("the job queue lives in PostgreSQL: give --db postgres://... (or VIGIL_DB)")
	}
	db, blobs, err := a.Store(ctx)
	if err != nil {
		return nil, nil, err
	}
	return db.(*postgres.DB), blobs, nil
}

// Job kinds and their payloads.
const (
	jobIngest   = "ingest"   // {"path": "/shared/path/file.txt"}
	jobExtract  = "extract"  // {"document_id": 12}
	jobResolve  = "resolve"  // {"config": {...}, "max_claims": 2000}
	jobLink     = "link"     // {"lists": ["A", "B"], "threshold": 0.9, ...}
	jobEstimate = "estimate" // {"csv": "...", "by": [...], "methods": [...], ...}
)

// resolveBatch is how many claims one resolve job places by default: its
// transaction holds the hash-chain lock from its first audit entry to its
// commit, so it is kept short; a job that leaves claims unresolved queues
// the next one in the same transaction.
const resolveBatch = 2000

// autoResolve prefixes the keys of the resolve jobs that extraction queues
// (worker --then-resolve); at most one of them waits at a time.
const autoResolve = "auto:"

type resolvePayload struct {
	Config    json.RawMessage `json:"config,omitempty"` // resolve.Config as JSON; defaults when absent
	MaxClaims int             `json:"max_claims,omitempty"`
}

type linkPayload struct {
	Lists      []string `json:"lists,omitempty"`
	Threshold  float64  `json:"threshold,omitempty"`
	MinAverage float64  `json:"min_average,omitempty"`
	OneToOne   bool     `json:"one_to_one,omitempty"`
}

type estimatePayload struct {
	Name        string       `json:"name,omitempty"` // the table's file name
	CSV         string       `json:"csv,omitempty"`  // capture histories; the store's linked persons when empty
	By          []string     `json:"by,omitempty"`
	Methods     []string     `json:"methods,omitempty"`
	MinListSize int          `json:"min_list_size,omitempty"`
	LCMCR       lcmcrPayload `json:"lcmcr"`
}

// lcmcrPayload is the part of mse.LCMCROptions a job carries.
type lcmcrPayload struct {
	K       int    `json:"k,omitempty"`
	Burnin  int    `json:"burnin,omitempty"`
	Samples int    `json:"samples,omitempty"`
	Thin    int    `json:"thin,omitempty"`
	Chains  int    `json:"chains,omitempty"`
	Seed    uint64 `json:"seed"`
}

// limitClaims hands resolve.Run at most left unresolved claims.
type limitClaims struct {
	vigil.Store
	left int
}

func (l *limitClaims) UnresolvedClaims(ctx context.Context, limit int) ([]*vigil.Claim, error) {
	if l.left <= 0 {
		return nil, nil
	}
	page, err := l.Store.UnresolvedClaims(ctx, min(max(limit, 1), l.left))
	l.left -= len(page)
	return page, err
}

type ingestPayload struct {
	Path string `json:"path"`
}

type extractPayload struct {
	DocumentID int64 `json:"document_id"`
}

// ingestFiles lists the files under paths that vigil ingest would store,
// leaving out sidecars (NAME.json beside NAME.txt or NAME.html).
func ingestFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			if strings.EqualFold(filepath.Ext(path), ".json") {
				stem := strings.TrimSuffix(path, filepath.Ext(path))
				for _, ext := range []string{".txt", ".html", ".htm", ".TXT", ".HTML"} {
					if _, err := os.Stat(stem + ext); err == nil {
						return nil
					}
				}
			}
			abs, err := filepath.Abs(path)
			if err != nil {
				return err
			}
			out = append(out, abs)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readInput reads a file and its sidecar as vigil ingest does.
func readInput(path string, maxSize int64) ([]byte, *ingest.Metadata, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if st.Size() > maxSize {
		return nil, nil, vigil.FieldErrorf(vigil.EINVALID, path, "file is %d bytes, over the %d-byte limit", st.Size(), maxSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var meta *ingest.Metadata
	if !strings.EqualFold(filepath.Ext(path), ".json") {
		sidecar := strings.TrimSuffix(path, filepath.Ext(path)) + ".json"
		if b, err := os.ReadFile(sidecar); err == nil {
			if meta, err = ingest.ParseMetadata(sidecar, b); err != nil {
				return nil, nil, err
			}
		}
	}
	return data, meta, nil
}

// prepared is the work a job does before its transaction.
type prepared struct {
	doc    *vigil.Document
	data   []byte
	claims []*vigil.Claim
}

func newWorkerCmd(a *App) *cobra.Command {
	var conc int
	var lease, poll time.Duration
	var exitIdle, noExtract, thenRes bool
	var id string
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run jobs from the queue in PostgreSQL (ingest, extract, resolve, link, estimate) until stopped",
		Long: `Claims jobs from the queue (FOR UPDATE SKIP LOCKED) and runs them; any
number of workers on any number of machines share the queue. A job's work and
its completion commit in one transaction, so a worker killed mid-job loses
nothing: its lease expires and another worker runs the job again. Failed jobs
are retried with exponential backoff; invalid input fails for good.
SIGTERM or Ctrl-C finishes the jobs in hand and stops.`,
		Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, blobs, err := a.queue(ctx)
			if err != nil {
				return err
			}
			if id == "" {
				host, _ := os.Hostname()
				id = fmt.Sprintf("%s:%d", host, os.Getpid())
			}
			// one extractor per job in flight
			g := gazetteer.Builtin().Clone()
			if err := g.LoadFrom(ctx, db); err != nil {
				return err
			}
			pool := make(chan vigil.Extractor, max(conc, 1))
			for i := 0; i < cap(pool); i++ {
				pool <- extract.New(g)
			}
			withExtractor := func(f func(x vigil.Extractor) error) error {
				x := <-pool
				defer func() { pool <- x }()
				return f(x)
			}
			actor := "vigil worker " + id
			w := &postgres.Worker{DB: db, ID: id, Concurrency: conc, Lease: lease, Poll: poll, ExitIdle: exitIdle,
				Log: func(msg string, args ...any) { a.Log.Debug(msg, append(args, "worker", id)...) }}
			w.Prepare = func(ctx context.Context, j *postgres.Job) (any, error) {
				switch j.Kind {
				case jobIngest:
					var p ingestPayload
					if err := json.Unmarshal([]byte(j.Payload), &p); err != nil || p.Path == "" {
						return nil, vigil.FieldErrorf(vigil.EINVALID, "payload", "an ingest job needs a path")
					}
					data, meta, err := readInput(p.Path, ingest.DefaultMaxSize)
					if err != nil {
						return nil, err
					}
					in := &ingest.Ingester{Actor: actor}
					doc, err := in.Prepare(filepath.Base(p.Path), data, meta)
					if err != nil {
						return nil, err
					}
					pr := &prepared{doc: doc, data: data}
					if !noExtract {
						err = withExtractor(func(x vigil.Extractor) (err error) {
							pr.claims, err = x.Extract(ctx, doc)
							return err
						})
					}
					return pr, err
				case jobExtract:
					var p extractPayload
					if err := json.Unmarshal([]byte(j.Payload), &p); err != nil || p.DocumentID == 0 {
						return nil, vigil.FieldErrorf(vigil.EINVALID, "payload", "an extract job needs a document_id")
					}
					doc, err := db.FindDocumentByID(ctx, p.DocumentID)
					if err != nil {
						return nil, err
					}
					pr := &prepared{doc: doc}
					err = withExtractor(func(x vigil.Extractor) (err error) {
						pr.claims, err = x.Extract(ctx, doc)
						return err
					})
					return pr, err
				case jobResolve, jobLink:
					return nil, nil // all their work is inside the transaction
				case jobEstimate:
					return a.runEstimateJob(ctx, j)
				}
				return nil, vigil.Errorf(vigil.EINVALID, "unknown job kind %q", j.Kind)
			}
			// thenResolve queues a resolve job after an extraction that gave
			// claims, unless one is already waiting (deduplicated).
			thenResolve := func(ctx context.Context, st vigil.Store, j *postgres.Job, claims int) error {
				if !thenRes || claims == 0 {
					return nil
				}
				_, err := st.(*postgres.DB).EnqueueFollowUp(ctx, jobResolve, autoResolve, strconv.FormatInt(j.ID, 10), "{}")
				return err
			}
			extractor := extract.New(g).Name()
			storeClaims := func(ctx context.Context, st vigil.Store, doc *vigil.Document, claims []*vigil.Claim) error {
				if err := st.ReplaceClaims(ctx, doc.ID, claims); err != nil {
					return err
				}
				return st.AddCustodyEvent(ctx, &vigil.CustodyEvent{DocumentID: doc.ID, Action: vigil.CustodyExtracted, Actor: extractor,
					SHA256: doc.SHA256, Detail: fmt.Sprintf("%d claims", len(claims))})
			}
			w.Handlers = map[string]postgres.Handler{
				jobIngest: func(ctx context.Context, st vigil.Store, j *postgres.Job) (string, error) {
					pr := postgres.PreparedFrom(ctx).(*prepared)
					in := &ingest.Ingester{Docs: st, Blobs: blobs, Actor: actor}
					r := in.Store(ctx, pr.doc, pr.data)
					if r.Err != nil {
						return "", r.Err
					}
					if r.Created && !noExtract {
						if err := storeClaims(ctx, st, r.Document, pr.claims); err != nil {
							return "", err
						}
						if err := thenResolve(ctx, st, j, len(pr.claims)); err != nil {
							return "", err
						}
					}
					return fmt.Sprintf("document %d: %s", r.Document.ID, r.Message), nil
				},
				jobExtract: func(ctx context.Context, st vigil.Store, j *postgres.Job) (string, error) {
					pr := postgres.PreparedFrom(ctx).(*prepared)
					if err := storeClaims(ctx, st, pr.doc, pr.claims); err != nil {
						return "", err
					}
					if err := thenResolve(ctx, st, j, len(pr.claims)); err != nil {
						return "", err
					}
					return fmt.Sprintf("document %d: %d claims", pr.doc.ID, len(pr.claims)), nil
				},
				jobResolve: resolveJob,
				jobLink:    linkJob,
				jobEstimate: func(ctx context.Context, st vigil.Store, j *postgres.Job) (string, error) {
					return postgres.PreparedFrom(ctx).(string), nil
				},
			}
			a.Log.Info("worker started", "worker", id, "concurrency", max(conc, 1), "lease", w.Lease)
			err = w.Run(ctx)
			a.Log.Info("worker stopped", "worker", id)
			return err
		}),
	}
	cmd.Flags().IntVar(&conc, "concurrency", 1, "jobs run at once by this process")
	cmd.Flags().DurationVar(&lease, "lease", 30*time.Second, "how long a claimed job is ours without renewal; a dead worker's jobs are taken over after it")
	cmd.Flags().DurationVar(&poll, "poll", 500*time.Millisecond, "wait between looks at an empty queue")
	cmd.Flags().BoolVar(&exitIdle, "exit-when-idle", false, "stop when no job is pending or running")
	cmd.Flags().BoolVar(&noExtract, "no-extract", false, "ingest jobs store documents without extracting claims")
	cmd.Flags().StringVar(&id, "id", "", "worker name in the queue (default HOST:PID)")
	cmd.Flags().BoolVar(&thenRes, "then-resolve", false, "an ingest or extract job that stores claims queues a resolve job (at most one waits at a time)")
	return cmd
}

// resolveJob places unresolved claims in incidents (resolve.Run), at most
// max_claims of them, all in the job's transaction: a worker killed
// mid-job commits nothing and the job is run again. The advisory lock makes
// resolve jobs run one at a time, so two can never place the same claim;
// the second reads the unresolved claims only once the first committed.
func resolveJob(ctx context.Context, st vigil.Store, j *postgres.Job) (string, error) {
	var p resolvePayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return "", vigil.FieldErrorf(vigil.EINVALID, "payload", "resolve job: %v", err)
	}
	cfg := resolve.DefaultConfig()
	if len(p.Config) > 0 {
		c, err := resolve.ParseConfig("payload config", p.Config)
		if err != nil {
			return "", vigil.FieldErrorf(vigil.EINVALID, "config", "%v", err)
		}
		cfg = c
	}
	if p.MaxClaims <= 0 {
		p.MaxClaims = resolveBatch
	}
	db := st.(*postgres.DB)
	if err := db.LockJobKind(ctx, jobResolve); err != nil {
		return "", err
	}
	lim := &limitClaims{Store: st, left: p.MaxClaims}
	stats, err := resolve.Run(ctx, lim, lim, lim, cfg)
	if err != nil {
		return "", err
	}
	res := fmt.Sprintf("%d claims: %d joined, %d new, %d possible duplicates (%d incidents created, %d updated)",
		stats.Claims, stats.Joined, stats.New, stats.PossibleDuplicates, stats.IncidentsCreated, stats.IncidentsUpdated)
	if lim.left <= 0 {
		rest, err := st.UnresolvedClaims(ctx, 1)
		if err != nil {
			return "", err
		}
		if len(rest) > 0 {
			if _, err := db.Enqueue(ctx, []postgres.NewJob{{Kind: jobResolve, Key: fmt.Sprintf("next:%d", j.ID), Payload: j.Payload}}); err != nil {
				return "", err
			}
			res += "; more remain: next resolve job queued"
		}
	}
	return res, nil
}

// linkJob runs a linkage over the named lists (all when none) inside the
// job's transaction, one link job at a time (advisory lock): the run, the
// person ids and the review queue commit with the job or not at all.
func linkJob(ctx context.Context, st vigil.Store, j *postgres.Job) (string, error) {
	var p linkPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return "", vigil.FieldErrorf(vigil.EINVALID, "payload", "link job: %v", err)
	}
	if err := st.(*postgres.DB).LockJobKind(ctx, jobLink); err != nil {
		return "", err
	}
	run, err := victims.Link(ctx, st, victims.LinkOptions{Lists: p.Lists, Threshold: p.Threshold, MinAverage: p.MinAverage, OneToOne: p.OneToOne})
	if err != nil {
		if vigil.ErrorKind(err) == vigil.ENOTFOUND {
			return "", vigil.Errorf(vigil.EINVALID, "%v", err)
		}
		return "", err
	}
	return fmt.Sprintf("run %d: linked %d records from %d lists into %d persons (%d comparisons, threshold %.2f)",
		run.ID, run.Records, len(run.Lists), run.Persons, run.Comparisons, run.Threshold), nil
}

// runEstimateJob estimates over the payload's capture histories (or the
// store's linked persons) before the job's transaction; the report, as
// JSON, becomes the job's result. Estimation only reads, so running it
// twice is harmless.
func (a *App) runEstimateJob(ctx context.Context, j *postgres.Job) (string, error) {
	var p estimatePayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return "", vigil.FieldErrorf(vigil.EINVALID, "payload", "estimate job: %v", err)
	}
	var st *mse.Stratified
	var err error
	if p.CSV != "" {
		st, err = mse.ReadStratified(strings.NewReader(p.CSV), p.Name, p.By)
		if err != nil {
			err = vigil.Errorf(vigil.EINVALID, "%v", err)
		}
	} else {
		st, err = a.storeHistories(ctx, p.By)
	}
	if err != nil {
		return "", err
	}
	rep, err := mse.EstimateStrata(ctx, st, mse.Options{Methods: p.Methods, MinListSize: max(p.MinListSize, 1),
		LCMCR: mse.LCMCROptions{K: p.LCMCR.K, Burnin: p.LCMCR.Burnin, Samples: p.LCMCR.Samples, Thin: p.LCMCR.Thin, Chains: p.LCMCR.Chains, Seed: p.LCMCR.Seed}})
	if err != nil {
		return "", err
	}
	if !anyResult(rep) {
		return "", vigil.Errorf(vigil.EINVALID, "nothing could be estimated")
	}
	b, err := json.Marshal(rep)
	return string(b), err
}

func newJobsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "jobs", Short: "Enqueue and inspect jobs in the PostgreSQL queue"}
	var all, oneToOne, showResult bool
	var cfgPath, table string
	var maxClaims, minList int
	var threshold, minAverage float64
	var lists, by, methods []string
	var lcm lcmcrPayload
	enqueue := &cobra.Command{
		Use:   "enqueue ingest PATH... | extract DOC-ID...|--all | resolve | link [--lists A,B] | estimate [--table FILE]",
		Short: "Queue ingest jobs (one per file, on a path every worker can read), extract, resolve, link or estimate jobs",
		Args:  cobra.MinimumNArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, _, err := a.queue(ctx)
			if err != nil {
				return err
			}
			var jobs []postgres.NewJob
			switch args[0] {
			case jobIngest:
				if len(args) < 2 {
					return Usagef("jobs enqueue ingest: give files or directories")
				}
				files, err := ingestFiles(args[1:])
				if err != nil {
					return err
				}
				for _, f := range files {
					b, _ := json.Marshal(ingestPayload{Path: f})
					jobs = append(jobs, postgres.NewJob{Kind: jobIngest, Key: f, Payload: string(b)})
				}
			case jobExtract:
				var ids []int64
				if all {
					for offset := 0; ; {
						page, total, err := db.FindDocuments(ctx, vigil.DocumentFilter{Offset: offset, Limit: vigil.MaxPageSize})
						if err != nil {
							return err
						}
						for _, d := range page {
							ids = append(ids, d.ID)
						}
						offset += len(page)
						if len(page) == 0 || offset >= total {
							break
						}
					}
				}
				for _, s := range args[1:] {
					id, err := strconv.ParseInt(s, 10, 64)
					if err != nil {
						return Usagef("jobs enqueue extract: %q is not a document id", s)
					}
					ids = append(ids, id)
				}
				for _, id := range ids {
					b, _ := json.Marshal(extractPayload{DocumentID: id})
					// one extraction per document and enqueue time
					jobs = append(jobs, postgres.NewJob{Kind: jobExtract, Key: fmt.Sprintf("%d@%d", id, time.Now().UnixNano()), Payload: string(b)})
				}
			case jobResolve, jobLink, jobEstimate:
				if len(args) > 1 {
					return Usagef("jobs enqueue %s takes flags, not arguments", args[0])
				}
				var payload any
				switch args[0] {
				case jobResolve:
					p := resolvePayload{MaxClaims: maxClaims}
					if cfgPath != "" {
						if _, err := resolveConfig(cfgPath); err != nil {
							return err
						}
						b, err := os.ReadFile(cfgPath)
						if err != nil {
							return err
						}
						p.Config = b
					}
					payload = p
				case jobLink:
					if threshold < 0 || threshold >= 1 || minAverage >= 1 {
						return Usagef("--threshold and --min-average: probabilities below 1")
					}
					payload = linkPayload{Lists: lists, Threshold: threshold, MinAverage: minAverage, OneToOne: oneToOne}
				case jobEstimate:
					for _, m := range methods {
						if !validMethod(m) {
							return Usagef("--method: unknown method %q (known: %s)", m, strings.Join(mse.AllMethods, ", "))
						}
					}
					p := estimatePayload{By: by, Methods: methods, MinListSize: minList, LCMCR: lcm}
					if table != "" {
						b, err := os.ReadFile(table)
						if err != nil {
							return err
						}
						// checked now, so that a malformed table is reported here
						if _, err := mse.ReadStratified(strings.NewReader(string(b)), filepath.Base(table), by); err != nil {
							return Usagef("--table: %v", err)
						}
						p.Name, p.CSV = filepath.Base(table), string(b)
					} else {
						for _, b := range by {
							if !contains(storeStrata, b) {
								return Usagef("--by %s: over the store's linked persons, stratify by %s (or give --table)", b, strings.Join(storeStrata, ", "))
							}
						}
					}
					payload = p
				}
				b, err := json.Marshal(payload)
				if err != nil {
					return err
				}
				// each enqueue is a new run (the store has changed since the last)
				jobs = append(jobs, postgres.NewJob{Kind: args[0], Key: fmt.Sprintf("%s@%d", args[0], time.Now().UnixNano()), Payload: string(b)})
			default:
				return Usagef("jobs enqueue: unknown kind %q (ingest, extract, resolve, link, estimate)", args[0])
			}
			n, err := db.Enqueue(ctx, jobs)
			if err != nil {
				return err
			}
			a.Printf("%d jobs queued (%d already queued)\n", n, len(jobs)-n)
			return nil
		}),
	}
	ef := enqueue.Flags()
	ef.BoolVar(&all, "all", false, "extract: every stored document")
	ef.StringVar(&cfgPath, "config", "", "resolve: resolution configuration (JSON), carried in the job")
	ef.IntVar(&maxClaims, "max-claims", resolveBatch, "resolve: claims placed per job (one transaction); the rest go to a follow-up job")
	ef.StringSliceVar(&lists, "lists", nil, "link: list names (default: all)")
	ef.Float64Var(&threshold, "threshold", 0, "link: match probability of a candidate link (default as vigil link)")
	ef.Float64Var(&minAverage, "min-average", 0, "link: as vigil link --min-average")
	ef.BoolVar(&oneToOne, "one-to-one", false, "link: at most one record per list in a person")
	ef.StringVar(&table, "table", "", "estimate: capture-history CSV, carried in the job (default: the store's linked persons)")
	ef.StringSliceVar(&by, "by", nil, "estimate: strata, as vigil estimate --by")
	ef.StringSliceVar(&methods, "method", nil, "estimate: methods, as vigil estimate --method")
	ef.IntVar(&minList, "min-list-size", 1, "estimate: drop lists with fewer records")
	ef.IntVar(&lcm.Chains, "chains", 0, "estimate: LCMCR chains")
	ef.IntVar(&lcm.Samples, "samples", 0, "estimate: LCMCR draws kept per chain")
	ef.IntVar(&lcm.Thin, "thin", 0, "estimate: LCMCR sweeps per kept draw")
	ef.IntVar(&lcm.Burnin, "burnin", 0, "estimate: LCMCR sweeps discarded per chain")
	ef.Uint64Var(&lcm.Seed, "seed", 1, "estimate: LCMCR random seed")
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Print one job and its result (an estimate job's result is its report as JSON)",
		Args:  cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return Usagef("jobs show: %q is not a job id", args[0])
			}
			db, _, err := a.queue(cmd.Context())
			if err != nil {
				return err
			}
			j, err := db.FindJob(cmd.Context(), id)
			if err != nil {
				return err
			}
			if showResult {
				a.Printf("%s\n", j.Result)
				return nil
			}
			return a.JSON(j)
		}),
	}
	show.Flags().BoolVar(&showResult, "result", false, "print only the result")
	var asJSON bool
	status := &cobra.Command{
		Use:   "status",
		Short: "Count jobs by state",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.queue(cmd.Context())
			if err != nil {
				return err
			}
			c, err := db.JobCounts(cmd.Context(), "")
			if err != nil {
				return err
			}
			if asJSON {
				return a.JSON(c)
			}
			a.Printf("pending %d, running %d, done %d, failed %d\n", c[postgres.JobPending], c[postgres.JobRunning], c[postgres.JobDone], c[postgres.JobFailed])
			return nil
		}),
	}
	status.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	var state string
	var limit, offset int
	list := &cobra.Command{
		Use:   "list",
		Short: "List jobs (--state pending|running|done|failed)",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.queue(cmd.Context())
			if err != nil {
				return err
			}
			jobs, total, err := db.FindJobs(cmd.Context(), state, limit, offset)
			if err != nil {
				return err
			}
			if asJSON {
				return a.JSON(struct {
					Jobs  []*postgres.Job `json:"jobs"`
					Total int             `json:"total"`
				}{jobs, total})
			}
			for _, j := range jobs {
				a.Printf("%d\t%s\t%s\t%s\tattempts %d\t%s%s\n", j.ID, j.Kind, j.State, j.Key, j.Attempts, j.Result, j.LastError)
			}
			a.Printf("%d of %d jobs\n", len(jobs), total)
			return nil
		}),
	}
	list.Flags().StringVar(&state, "state", "", "only jobs in this state")
	list.Flags().IntVar(&limit, "limit", 50, "page size")
	list.Flags().IntVar(&offset, "offset", 0, "page offset")
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	retry := &cobra.Command{
		Use:   "retry",
		Short: "Queue failed jobs again",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.queue(cmd.Context())
			if err != nil {
				return err
			}
			n, err := db.RetryFailed(cmd.Context())
			if err != nil {
				return err
			}
			a.Printf("%d failed jobs queued again\n", n)
			return nil
		}),
	}
	cmd.AddCommand(enqueue, status, list, retry, show)
	return cmd
}
