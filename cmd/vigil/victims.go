package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/linkage"
	"github.com/vigil-rec/vigil/linkage/linkeval"
	"github.com/vigil-rec/vigil/victims"
)

func init() {
	register(newVictimsCmd)
	register(newLinkCmd)
	register(newPersonsCmd)
	register(newReviewPairsCmd)
	registerEval(newEvalLinkCmd)
	serveHooks = append(serveHooks, func(a *App, s *vhttp.Server) error {
		db, _, err := a.Store(context.Background())
		if err != nil {
			return err
		}
		s.RegisterVictimRoutes(db)
		return nil
	})
}

func newVictimsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "victims", Short: "Import and list victim lists"}
	var list, mapping string
	var asJSON, allOrNothing bool
	imp := &cobra.Command{
		Use:   "import FILE --list NAME [--map col=field,...]",
		Short: "Import a victim list from CSV or XLSX (re-importing updates, never duplicates)",
		Long: `Imports the rows of FILE (CSV, or the first sheet of an XLSX workbook) into the
victim list NAME. Columns are matched by common header names (id, name,
given_name, father_name, grandfather_name, family_name, sex, age, birth_date,
date, place, status) or mapped with --map, e.g. --map "الاسم=full_name,No=record_id".
Fields: ` + strings.Join(victims.Targets, ", ") + `.
Rows are keyed by the list and the list's record id; without a record id
column a row is keyed by a hash of its cells. Rejected rows are reported with
their line numbers (exit 1); the other rows are imported in one transaction,
or, with --all-or-nothing, nothing is stored when any row is rejected.`,
		Args: cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(list) == "" {
				return Usagef("--list NAME is required")
			}
			m, err := victims.ParseMapping(mapping)
			if err != nil {
				return Usagef("%v", err)
			}
			t, err := victims.ReadFile(args[0])
			if err != nil {
				return err
			}
			recs, rejected, err := t.Records(m, time.Now())
			if err != nil {
				return err
			}
			name := filepath.Base(args[0])
			if allOrNothing && len(rejected) > 0 {
				if asJSON {
					if err := a.JSON(&vigil.ImportResult{Rejected: rejected}); err != nil {
						return err
					}
				} else {
					a.Printf("%s: list %q: nothing stored (--all-or-nothing): %d rows rejected, %d valid\n", name, list, len(rejected), len(recs))
					for _, r := range rejected {
						fmt.Fprintf(a.Stderr, "%s:%d: %s: %s\n", name, r.Line, r.Field, r.Message)
					}
				}
				return fmt.Errorf("%d rows rejected; nothing stored", len(rejected))
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			res, err := db.ImportVictims(cmd.Context(), list, recs)
			if err != nil {
				return err
			}
			res.Rejected = rejected
			if asJSON {
				if err := a.JSON(res); err != nil {
					return err
				}
			} else {
				a.Printf("%s: list %q: %d inserted, %d updated, %d unchanged, %d rejected (list has %d records)\n",
					name, list, res.Inserted, res.Updated, res.Unchanged, len(rejected), res.List.Records)
				for _, r := range rejected {
					fmt.Fprintf(a.Stderr, "%s:%d: %s: %s\n", name, r.Line, r.Field, r.Message)
				}
			}
			if len(rejected) > 0 {
				return fmt.Errorf("%d rows rejected", len(rejected))
			}
			return nil
		}),
	}
	imp.Flags().StringVar(&list, "list", "", "name of the victim list (a source)")
	imp.Flags().StringVar(&mapping, "map", "", "column mapping col=field,... (fields: "+strings.Join(victims.Targets, ", ")+")")
	imp.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	imp.Flags().BoolVar(&allOrNothing, "all-or-nothing", false, "store nothing when any row is rejected")

	var claimsJSON bool
	fromClaims := &cobra.Command{
		Use:   "import-claims [--json]",
		Short: "Make the victims named in documents' claims a list (\"" + victims.DocumentsList + "\")",
		Long: `Collects the named victims of every claim in the store into the victim list
"` + victims.DocumentsList + `", so that linkage treats them like any list. Record ids are
DOCUMENT-N (the document id and the victim's number in that document); each
record points back to its document. Re-running updates, never duplicates.
Records are restricted; minors stay restricted.`,
		Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			var claims []*vigil.Claim
			for off := 0; ; {
				page, total, err := db.FindClaims(cmd.Context(), vigil.ClaimFilter{Offset: off, Limit: 500})
				if err != nil {
					return err
				}
				claims = append(claims, page...)
				off += len(page)
				if len(page) == 0 || off >= total {
					break
				}
			}
			recs := victims.FromClaims(claims)
			if len(recs) == 0 {
				if claimsJSON {
					return a.JSON(&vigil.ImportResult{})
				}
				a.Printf("no named victims in %d claims\n", len(claims))
				return nil
			}
			res, err := db.ImportVictims(cmd.Context(), victims.DocumentsList, recs)
			if err != nil {
				return err
			}
			if claimsJSON {
				return a.JSON(res)
			}
			a.Printf("list %q from %d claims: %d inserted, %d updated, %d unchanged (list has %d records)\n",
				victims.DocumentsList, len(claims), res.Inserted, res.Updated, res.Unchanged, res.List.Records)
			return nil
		}),
	}
	fromClaims.Flags().BoolVar(&claimsJSON, "json", false, "print the result as JSON")

	var listJSON bool
	ls := &cobra.Command{
		Use:   "lists",
		Short: "List the victim lists",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			lists, err := db.FindVictimLists(cmd.Context())
			if err != nil {
				return err
			}
			if listJSON {
				return a.JSON(lists)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "LIST\tRECORDS\tUPDATED")
			for _, l := range lists {
				fmt.Fprintf(tw, "%s\t%d\t%s\n", l.Name, l.Records, l.UpdatedAt.Format(time.RFC3339))
			}
			return tw.Flush()
		}),
	}
	ls.Flags().BoolVar(&listJSON, "json", false, "print JSON")
	cmd.AddCommand(imp, fromClaims, ls)
	return cmd
}

func newLinkCmd(a *App) *cobra.Command {
	var lists string
	var threshold, minAverage float64
	var oneToOne, asJSON, quiet bool
	cmd := &cobra.Command{
		Use:   "link [--lists A,B]",
		Short: "Link victim records into persons (training, scoring, clustering; person ids stay stable)",
		Long: `Trains the Fellegi-Sunter model on the stored victim records (u from random
pairs, m by EM rounds), scores the candidate pairs of the blocking rules,
clusters records into persons (respecting review decisions) and fills the
clerical review queue with uncertain pairs. Existing person ids are kept.`,
		Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if threshold <= 0 || threshold >= 1 {
				return Usagef("--threshold: want a probability between 0 and 1, got %v", threshold)
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			if minAverage >= 1 {
				return Usagef("--min-average: want a probability below 1 (negative: connected components), got %v", minAverage)
			}
			opt := victims.LinkOptions{Threshold: threshold, MinAverage: minAverage, OneToOne: oneToOne}
			if lists != "" {
				for _, l := range strings.Split(lists, ",") {
					if l = strings.TrimSpace(l); l != "" {
						opt.Lists = append(opt.Lists, l)
					}
				}
			}
			if !quiet {
				opt.Progress = progressBar(a)
			}
			run, err := victims.Link(cmd.Context(), db, opt)
			if err != nil {
				return err
			}
			if asJSON {
				run.Model = nil
				return a.JSON(run)
			}
			a.Printf("linked %d records from %d lists into %d persons (%d comparisons, threshold %.2f); run %d\n",
				run.Records, len(run.Lists), run.Persons, run.Comparisons, run.Threshold, run.ID)
			_, pending, err := db.ReviewQueue(cmd.Context(), vigil.ReviewFilter{Pending: true, Limit: 1})
			if err == nil && pending > 0 {
				a.Printf("%d uncertain pairs await review: vigil review-pairs list\n", pending)
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&lists, "lists", "", "comma-separated list names (default: all)")
	cmd.Flags().Float64Var(&threshold, "threshold", linkage.DefaultThreshold, "match probability of a candidate link")
	cmd.Flags().Float64Var(&minAverage, "min-average", linkage.DefaultMinAverage, "mean match probability over all pairs across two groups needed to join them (negative: connected components)")
	cmd.Flags().BoolVar(&oneToOne, "one-to-one", false, "at most one record per list in a person (lists free of duplicates)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the run as JSON")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "no progress on standard error")
	return cmd
}

// progressBar reports long stages on standard error.
func progressBar(a *App) func(stage string, done, total int64) {
	var last time.Time
	return func(stage string, done, total int64) {
		if time.Since(last) < 500*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		if total <= 0 {
			return
		}
		pct := float64(done) / float64(total)
		if pct > 1 {
			pct = 1
		}
		n := int(pct * 30)
		fmt.Fprintf(a.Stderr, "\r%-28s [%s%s] %3.0f%% %d/%d", clipStage(stage), strings.Repeat("#", n), strings.Repeat(" ", 30-n), pct*100, done, total)
		if done >= total {
			fmt.Fprintln(a.Stderr)
		}
	}
}

func clipStage(s string) string {
	if len(s) > 28 {
		return s[:28]
	}
	return s
}

func newPersonsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "persons", Short: "List, show and export the persons linkage found"}
	var asJSON, asCSV bool
	var list, query string
	var limit, offset int
	ls := &cobra.Command{
		Use:   "list",
		Short: "List persons (--list NAME, --query TEXT)",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			ps, total, err := db.FindPersons(cmd.Context(), vigil.PersonFilter{List: list, Query: query, Limit: limit, Offset: offset})
			if err != nil {
				return err
			}
			if asJSON {
				return a.JSON(struct {
					Persons []*vigil.Person `json:"persons"`
					Total   int             `json:"total"`
				}{ps, total})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PERSON\tRECORDS\tLISTS\tNAME")
			for _, p := range ps {
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", p.ID, len(p.Records), strings.Join(p.Lists, ","), p.Name)
			}
			tw.Flush()
			a.Printf("%d of %d persons\n", len(ps), total)
			return nil
		}),
	}
	ls.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	ls.Flags().StringVar(&list, "list", "", "only persons with a record in this list")
	ls.Flags().StringVar(&query, "query", "", "only persons with a record containing this text")
	ls.Flags().IntVar(&limit, "limit", 50, "persons per page")
	ls.Flags().IntVar(&offset, "offset", 0, "skip this many persons")

	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one person with every record linked to it",
		Args:  cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			p, err := db.FindPersonByID(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if showJSON {
				return a.JSON(p)
			}
			a.Printf("person %s: %s (%d records in %s)\n", p.ID, p.Name, len(p.Records), strings.Join(p.Lists, ", "))
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "LIST\tRECORD\tNAME\tSEX\tAGE\tDATE\tPLACE")
			for _, r := range p.Records {
				age := ""
				if r.Age != nil {
					age = strconv.Itoa(*r.Age)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.List, r.RecordID, r.DisplayName(), r.Sex, age, r.Date, r.Place)
			}
			return tw.Flush()
		}),
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")

	var exJSON, exCSV bool
	export := &cobra.Command{
		Use:   "export [--json|--csv]",
		Short: "Export every person with the list name and list record id of each of its records",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if exJSON && exCSV {
				return Usagef("--json and --csv exclude each other")
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			recs, _, err := db.FindVictimRecords(cmd.Context(), vigil.VictimFilter{})
			if err != nil {
				return err
			}
			type ref struct {
				List     string `json:"list"`
				RecordID string `json:"record_id"`
				Name     string `json:"name"`
			}
			type person struct {
				ID      string `json:"id"`
				Records []ref  `json:"records"`
			}
			var order []string
			byID := map[string]*person{}
			for _, r := range recs {
				if r.PersonID == "" {
					continue
				}
				p := byID[r.PersonID]
				if p == nil {
					p = &person{ID: r.PersonID}
					byID[r.PersonID] = p
					order = append(order, r.PersonID)
				}
				p.Records = append(p.Records, ref{r.List, r.RecordID, r.DisplayName()})
			}
			if !exCSV {
				out := make([]*person, 0, len(order))
				for _, id := range order {
					out = append(out, byID[id])
				}
				return a.JSON(out)
			}
			w := csv.NewWriter(a.Stdout)
			w.Write([]string{"person_id", "list", "record_id", "name"})
			for _, id := range order {
				for _, r := range byID[id].Records {
					w.Write([]string{id, r.List, r.RecordID, r.Name})
				}
			}
			w.Flush()
			return w.Error()
		}),
	}
	export.Flags().BoolVar(&exJSON, "json", false, "JSON (the default)")
	export.Flags().BoolVar(&exCSV, "csv", false, "CSV: one row per record")
	_ = asCSV
	cmd.AddCommand(ls, show, export)
	return cmd
}

func newReviewPairsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "review-pairs", Short: "The clerical review queue of uncertain record pairs"}
	var asJSON, all bool
	var limit, offset int
	ls := &cobra.Command{
		Use:   "list",
		Short: "List pairs awaiting review, most uncertain first (--all: decided ones too)",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			q, total, err := db.ReviewQueue(cmd.Context(), vigil.ReviewFilter{Pending: !all, Limit: limit, Offset: offset})
			if err != nil {
				return err
			}
			if asJSON {
				return a.JSON(struct {
					Pairs []*vigil.ReviewPair `json:"pairs"`
					Total int                 `json:"total"`
				}{q, total})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "A\tB\tP(MATCH)\tWEIGHT\tDECISION\tNAME A\tNAME B")
			for _, p := range q {
				dec := ""
				if p.Decision != nil {
					dec = map[bool]string{true: "match", false: "non-match"}[p.Decision.Match]
				}
				fmt.Fprintf(tw, "%d\t%d\t%.3f\t%.2f\t%s\t%s (%s)\t%s (%s)\n", p.A, p.B, p.Probability, p.Weight, dec,
					p.RecordA.DisplayName(), p.RecordA.List, p.RecordB.DisplayName(), p.RecordB.List)
			}
			tw.Flush()
			a.Printf("%d of %d pairs\n", len(q), total)
			return nil
		}),
	}
	ls.Flags().BoolVar(&asJSON, "json", false, "print JSON (with each pair's weight explained field by field)")
	ls.Flags().BoolVar(&all, "all", false, "include decided pairs")
	ls.Flags().IntVar(&limit, "limit", 20, "pairs per page")
	ls.Flags().IntVar(&offset, "offset", 0, "skip this many pairs")

	var reviewer, note string
	decide := &cobra.Command{
		Use:   "decide A B match|non-match [--note TEXT]",
		Short: "Record a decision on a pair of records; later link runs respect it",
		Args:  cobra.ExactArgs(3),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ida, err1 := strconv.ParseInt(args[0], 10, 64)
			idb, err2 := strconv.ParseInt(args[1], 10, 64)
			if err1 != nil || err2 != nil {
				return Usagef("A and B are record ids (numbers), got %q %q", args[0], args[1])
			}
			var match bool
			switch args[2] {
			case "match", "same", "yes":
				match = true
			case "non-match", "nonmatch", "different", "no":
			default:
				return Usagef("decision: want match or non-match, got %q", args[2])
			}
			if reviewer == "" {
				reviewer = actor()
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			d := &vigil.PairDecision{A: ida, B: idb, Match: match, Reviewer: reviewer, Note: note}
			if err := db.DecidePair(cmd.Context(), d); err != nil {
				return err
			}
			a.Printf("pair %d %d: %s (by %s); run vigil link to apply\n", d.A, d.B, args[2], d.Reviewer)
			return nil
		}),
	}
	decide.Flags().StringVar(&reviewer, "reviewer", "", "who decides (default: the login name)")
	decide.Flags().StringVar(&note, "note", "", "why")
	cmd.AddCommand(ls, decide)
	return cmd
}

func newEvalLinkCmd(a *App) *cobra.Command {
	var asJSON bool
	var entities int
	link := &cobra.Command{
		Use:   "link [--json]",
		Short: "Precision, recall and F1 of record linkage on Febrl4, febrl3, historical_50k and generated Arabic lists",
		Long: `Reads the benchmarks from $VIGIL_SHARED/data/linkage (default ../shared beside
the repository) and prints pairwise precision, recall and F1 of the clusters
for each, with the goal F1 and whether it was met.`,
		Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			dir, err := linkeval.LinkageDir()
			if err != nil {
				return err
			}
			type job struct {
				goal float64
				load func() (*linkeval.Dataset, error)
			}
			jobs := []job{
				{0.99, func() (*linkeval.Dataset, error) {
					ds, err := linkeval.Febrl(filepath.Join(dir, "febrl", "febrl_dataset4a.csv"), filepath.Join(dir, "febrl", "febrl_dataset4b.csv"))
					if ds != nil {
						ds.Name = "febrl4_link"
					}
					return ds, err
				}},
				{0.99, func() (*linkeval.Dataset, error) {
					ds, err := linkeval.Febrl(filepath.Join(dir, "febrl", "febrl_dataset3.csv"))
					if ds != nil {
						ds.Name = "febrl3_dedupe"
					}
					return ds, err
				}},
				{0.80, func() (*linkeval.Dataset, error) {
					return linkeval.Historical(filepath.Join(dir, "splink", "historical_50k.csv"))
				}},
				{0.95, func() (*linkeval.Dataset, error) {
					return linkeval.ArabicDataset(filepath.Join(dir, "arabic_names"), linkeval.GenOptions{Entities: entities, Seed: 1})
				}},
			}
			var results []*linkeval.Result
			allMet := true
			for _, j := range jobs {
				ds, err := j.load()
				if err != nil {
					return err
				}
				r, err := linkeval.Run(cmd.Context(), ds, j.goal)
				if err != nil {
					return err
				}
				r.Train = nil
				allMet = allMet && r.Met
				results = append(results, r)
				if !asJSON {
					a.Printf("%-18s %-6s records %6d  P %.4f  R %.4f  F1 %.4f  B-cubed F1 %.4f  (goal %.2f, %s)  %.1fs\n", r.Name, r.Task, r.Records,
						r.Metrics.Precision, r.Metrics.Recall, r.Metrics.F1, r.BCubed.F1, r.Goal, map[bool]string{true: "met", false: "NOT met"}[r.Met], r.Seconds)
				}
			}
			if asJSON {
				if err := a.JSON(struct {
					Data    string             `json:"data"`
					Results []*linkeval.Result `json:"results"`
				}{dir, results}); err != nil {
					return err
				}
			}
			if !allMet {
				return fmt.Errorf("a quality goal was not met")
			}
			return nil
		}),
	}
	link.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	link.Flags().IntVar(&entities, "arabic-entities", 4000, "people in the generated Arabic lists")
	return link
}

var _ = linkage.Name
var _ = os.Stdout
