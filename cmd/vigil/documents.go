package main

import (
	"context"
	"fmt"
	"io"
	"os/user"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/ingest"
)

func init() {
	register(newIngestCmd)
	register(newDocumentsCmd)
	register(newVerifyCmd)
}

// afterIngest hooks run on each newly stored document, in order (extraction
// registers one). Each is built from the app so it can reach the store.
var afterIngest []func(a *App) func(ctx context.Context, doc *vigil.Document) error

func newIngestCmd(a *App) *cobra.Command {
	var asJSON bool
	var maxSize int64
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Store documents (text, HTML, JSON; directories recursively) with their custody",
		Long: `Stores each document once by the SHA-256 of its bytes. A sidecar NAME.json
beside NAME.txt or NAME.html gives its metadata (title, publisher, published,
language, url). Exits 1 if any file was rejected; the others are still stored.`,
		Args: cobra.MinimumNArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if maxSize <= 0 {
				return Usagef("--max-size: want a positive number of bytes, got %d", maxSize)
			}
			ctx := cmd.Context()
			db, blobs, err := a.Store(ctx)
			if err != nil {
				return err
			}
			in := &ingest.Ingester{Docs: db, Blobs: blobs, Actor: actor(), MaxSize: maxSize, Log: a.Log}
			var hooks []func(ctx context.Context, doc *vigil.Document) error
			for _, h := range afterIngest {
				hooks = append(hooks, h(a))
			}
			in.AfterCreate = func(ctx context.Context, doc *vigil.Document) error {
				for _, h := range hooks {
					if err := h(ctx, doc); err != nil {
						return err
					}
				}
				return nil
			}
			results := in.Paths(ctx, args)
			failed := 0
			for _, r := range results {
				if r.Err != nil {
					failed++
				}
			}
			if asJSON {
				if err := a.JSON(struct {
					Results  []ingest.Result `json:"results"`
					Stored   int             `json:"stored"`
					Rejected int             `json:"rejected"`
				}{results, len(results) - failed, failed}); err != nil {
					return err
				}
			} else {
				for _, r := range results {
					if r.Err != nil {
						fmt.Fprintf(a.Stderr, "%s: rejected: %s\n", r.Path, r.Error)
					} else {
						a.Printf("%s: %s (sha256 %s)\n", r.Path, r.Message, r.Document.SHA256)
					}
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d files rejected", failed, len(results))
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print results as JSON")
	cmd.Flags().Int64Var(&maxSize, "max-size", ingest.DefaultMaxSize, "largest file accepted, in bytes")
	return cmd
}

func newDocumentsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "documents", Aliases: []string{"docs"}, Short: "List and show stored documents"}
	var asJSON bool
	var f vigil.DocumentFilter
	var after, before string
	list := &cobra.Command{
		Use:   "list",
		Short: "List documents (filters: --language --publisher --query --after --before)",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if f.Limit < 1 || f.Limit > vigil.MaxPageSize {
				return Usagef("--limit: want 1 to %d, got %d", vigil.MaxPageSize, f.Limit)
			}
			if f.Offset < 0 {
				return Usagef("--offset: want 0 or more, got %d", f.Offset)
			}
			var err error
			if f.After, err = parseDateFlag("--after", after); err != nil {
				return err
			}
			if f.Before, err = parseDateFlag("--before", before); err != nil {
				return err
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			docs, total, err := db.FindDocuments(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				for _, d := range docs {
					d.Text = ""
				}
				return a.JSON(struct {
					Documents []*vigil.Document `json:"documents"`
					Total     int               `json:"total"`
					Offset    int               `json:"offset"`
				}{docs, total, f.Offset})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSHA256\tLANG\tPUBLISHED\tPUBLISHER\tTITLE")
			for _, d := range docs {
				pub := ""
				if d.Published != nil {
					pub = d.Published.String()
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.SHA256[:12], d.Language, pub, clip(d.Publisher, 24), clip(d.Title, 50))
			}
			tw.Flush()
			a.Printf("%d of %d documents\n", len(docs), total)
			return nil
		}),
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	list.Flags().StringVar(&f.Language, "language", "", "only this language")
	list.Flags().StringVar(&f.Publisher, "publisher", "", "only this publisher")
	list.Flags().StringVar(&f.Query, "query", "", "full-text search")
	list.Flags().StringVar(&after, "after", "", "published on or after this date (YYYY-MM-DD)")
	list.Flags().StringVar(&before, "before", "", "published before this date (YYYY-MM-DD)")
	list.Flags().IntVar(&f.Limit, "limit", vigil.DefaultPageSize, "page size")
	list.Flags().IntVar(&f.Offset, "offset", 0, "skip this many")

	var showJSON, raw bool
	show := &cobra.Command{
		Use:   "show ID|SHA256",
		Short: "Show a document's metadata, custody log and text (--raw: original bytes)",
		Args:  cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, blobs, err := a.Store(ctx)
			if err != nil {
				return err
			}
			doc, err := findDoc(cmd, db, args[0])
			if err != nil {
				return err
			}
			if raw {
				r, err := blobs.Open(ctx, doc.SHA256)
				if err != nil {
					return err
				}
				defer r.Close()
				_, err = io.Copy(a.Stdout, r)
				return err
			}
			log, err := db.CustodyLog(ctx, doc.ID)
			if err != nil {
				return err
			}
			if showJSON {
				return a.JSON(struct {
					*vigil.Document
					Custody []*vigil.CustodyEvent `json:"custody"`
				}{doc, log})
			}
			a.Printf("Document %d\n", doc.ID)
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			row := func(k, v string) {
				if v != "" {
					fmt.Fprintf(tw, "  %s\t%s\n", k, v)
				}
			}
			row("SHA-256", doc.SHA256)
			row("Media type", doc.MediaType)
			row("Size", strconv.FormatInt(doc.Size, 10)+" bytes")
			row("File", doc.Filename)
			row("Title", doc.Title)
			row("Publisher", doc.Publisher)
			row("URL", doc.URL)
			row("Language", doc.Language)
			if doc.Published != nil {
				row("Published", doc.Published.String())
			}
			row("Captured", doc.Captured.Format(time.RFC3339))
			tw.Flush()
			a.Printf("Custody log\n")
			for _, ev := range log {
				a.Printf("  %s  %-10s  %s  %s\n", ev.At.Format(time.RFC3339), ev.Action, ev.Actor, ev.Detail)
			}
			a.Printf("Text\n%s\n", doc.Text)
			return nil
		}),
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")
	show.Flags().BoolVar(&raw, "raw", false, "print the original bytes")
	cmd.AddCommand(list, show)
	return cmd
}

// findDoc finds a document by numeric id or by SHA-256 (full or a prefix of
// at least 8 hex digits).
func findDoc(cmd *cobra.Command, db vigil.Store, ref string) (*vigil.Document, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && len(ref) < 8 {
		return db.FindDocumentByID(cmd.Context(), id)
	}
	ref = strings.ToLower(ref)
	if len(ref) == 64 {
		return db.FindDocumentBySHA256(cmd.Context(), ref)
	}
	if len(ref) < 8 || strings.Trim(ref, "0123456789abcdef") != "" {
		return nil, Usagef("document %q: give a numeric id or at least 8 hex digits of its SHA-256", ref)
	}
	docs, total, err := db.FindDocuments(cmd.Context(), vigil.DocumentFilter{SHA256Prefix: ref, Limit: 2})
	switch {
	case err != nil:
		return nil, err
	case total == 0:
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no document with SHA-256 starting %s", ref)
	case total > 1:
		return nil, vigil.Errorf(vigil.ECONFLICT, "%d documents have SHA-256 starting %s: give more digits", total, ref)
	}
	return docs[0], nil
}

func newVerifyCmd(a *App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Re-hash every blob, check every document's bytes and the custody chain; exit 1 on any mismatch",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, blobs, err := a.Store(ctx)
			if err != nil {
				return err
			}
			rep, err := vigil.Verify(ctx, db, blobs)
			if err != nil {
				return err
			}
			if asJSON {
				if err := a.JSON(rep); err != nil {
					return err
				}
			} else {
				for _, p := range rep.Problems {
					a.Printf("%s: %s\n", p.Where, p.Message)
				}
				a.Printf("checked %d documents, %d blobs, %d custody events, %d audit entries: %d problems\n", rep.Documents, rep.Blobs, rep.CustodyEvents, rep.AuditEntries, len(rep.Problems))
			}
			if len(rep.Problems) > 0 {
				return fmt.Errorf("verification failed: %d problems", len(rep.Problems))
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func parseDateFlag(name, v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return nil, Usagef("%s: want a date YYYY-MM-DD, got %q", name, v)
	}
	return &t, nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// actor names who runs a command, for the custody log.
func actor() string {
	u := "unknown user"
	if cu, err := user.Current(); err == nil && cu.Username != "" {
		u = cu.Username
	}
	return "vigil cli (" + u + ")"
}
