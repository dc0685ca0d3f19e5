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
	"github.com/vigil-rec/vigil/postgres"
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
	jobIngest  = "ingest"  // {"path": "/shared/path/file.txt"}
	jobExtract = "extract" // {"document_id": 12}
)

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
	var exitIdle, noExtract bool
	var id string
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run jobs from the queue in PostgreSQL (ingest, extract) until stopped",
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
				}
				return nil, vigil.Errorf(vigil.EINVALID, "unknown job kind %q", j.Kind)
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
					}
					return fmt.Sprintf("document %d: %s", r.Document.ID, r.Message), nil
				},
				jobExtract: func(ctx context.Context, st vigil.Store, j *postgres.Job) (string, error) {
					pr := postgres.PreparedFrom(ctx).(*prepared)
					if err := storeClaims(ctx, st, pr.doc, pr.claims); err != nil {
						return "", err
					}
					return fmt.Sprintf("document %d: %d claims", pr.doc.ID, len(pr.claims)), nil
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
	return cmd
}

func newJobsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "jobs", Short: "Enqueue and inspect jobs in the PostgreSQL queue"}
	var all bool
	enqueue := &cobra.Command{
		Use:   "enqueue ingest PATH... | enqueue extract DOC-ID...|--all",
		Short: "Queue ingest jobs (one per file, on a path every worker can read) or extract jobs",
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
			default:
				return Usagef("jobs enqueue: unknown kind %q (ingest, extract)", args[0])
			}
			n, err := db.Enqueue(ctx, jobs)
			if err != nil {
				return err
			}
			a.Printf("%d jobs queued (%d already queued)\n", n, len(jobs)-n)
			return nil
		}),
	}
	enqueue.Flags().BoolVar(&all, "all", false, "extract: every stored document")
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
	cmd.AddCommand(enqueue, status, list, retry)
	return cmd
}
