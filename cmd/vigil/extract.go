package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/extract"
	"github.com/vigil-rec/vigil/extract/eval"
	"github.com/vigil-rec/vigil/gazetteer"
)

func init() {
	register(newExtractCmd)
	register(newClaimsCmd)
	register(newEvalCmd)
	registerEval(newEvalExtractCmd)
	afterIngest = append(afterIngest, func(a *App) func(ctx context.Context, doc *vigil.Document) error {
		return func(ctx context.Context, doc *vigil.Document) error {
			db, _, err := a.Store(ctx)
			if err != nil {
				return err
			}
			x, err := a.extractor(ctx, db)
			if err != nil {
				return err
			}
			_, err = extractDocument(ctx, db, x, doc)
			return err
		}
	})
}

// evalCommands are the subcommands of "vigil eval", one per evaluation;
// other command files add theirs with registerEval.
var evalCommands []func(*App) *cobra.Command

func registerEval(f func(*App) *cobra.Command) { evalCommands = append(evalCommands, f) }

func newEvalCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "eval", Short: "Measure vigil against annotated data sets"}
	for _, f := range evalCommands {
		cmd.AddCommand(f(a))
	}
	return cmd
}

// extractor returns the rule-based extractor over the built-in gazetteer
// plus any places imported into the store, built once per command.
func (a *App) extractor(ctx context.Context, db vigil.Store) (vigil.Extractor, error) {
	if a.x != nil {
		return a.x, nil
	}
	g := gazetteer.Builtin().Clone()
	if err := g.LoadFrom(ctx, db); err != nil {
		return nil, err
	}
	a.x = extract.New(g)
	return a.x, nil
}

// extractDocument replaces the document's claims with fresh ones and logs
// the extraction in its custody log.
func extractDocument(ctx context.Context, db vigil.Store, x vigil.Extractor, doc *vigil.Document) ([]*vigil.Claim, error) {
	claims, err := x.Extract(ctx, doc)
	if err != nil {
		return nil, err
	}
	// The claims and their custody entry are stored together or not at all.
	err = db.Atomic(ctx, func(st vigil.Store) error {
		if err := st.ReplaceClaims(ctx, doc.ID, claims); err != nil {
			return err
		}
		return st.AddCustodyEvent(ctx, &vigil.CustodyEvent{DocumentID: doc.ID, Action: vigil.CustodyExtracted, Actor: x.Name(),
			At: time.Now().UTC(), SHA256: doc.SHA256, Detail: fmt.Sprintf("%d claims", len(claims))})
	})
	return claims, err
}

func newExtractCmd(a *App) *cobra.Command {
	var all, asJSON bool
	cmd := &cobra.Command{
		Use:   "extract DOC...|--all",
		Short: "Extract claims from stored documents (replacing earlier claims)",
		Long: `Runs the rule-based extractor on each document (by id or SHA-256 prefix), or on
every stored document with --all, and replaces the documents' claims.`,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 0) {
				return Usagef("give document ids or --all (not both)")
			}
			ctx := cmd.Context()
			db, _, err := a.Store(ctx)
			if err != nil {
				return err
			}
			x, err := a.extractor(ctx, db)
			if err != nil {
				return err
			}
			var docs []*vigil.Document
			if all {
				for off := 0; ; {
					page, total, err := db.FindDocuments(ctx, vigil.DocumentFilter{Offset: off, Limit: vigil.MaxPageSize})
					if err != nil {
						return err
					}
					for _, d := range page {
						docs = append(docs, d)
					}
					off += len(page)
					if len(page) == 0 || off >= total {
						break
					}
				}
			} else {
				for _, ref := range args {
					d, err := findDoc(cmd, db, ref)
					if err != nil {
						return err
					}
					docs = append(docs, d)
				}
			}
			type result struct {
				DocumentID int64   `json:"document_id"`
				Claims     int     `json:"claims"`
				ClaimIDs   []int64 `json:"claim_ids"`
			}
			var results []result
			for _, d := range docs {
				if all {
					// The listing omits nothing we need, but fetch the full
					// record to be sure the text is there.
					full, err := db.FindDocumentByID(ctx, d.ID)
					if err != nil {
						return err
					}
					d = full
				}
				claims, err := extractDocument(ctx, db, x, d)
				if err != nil {
					return fmt.Errorf("document %d: %w", d.ID, err)
				}
				r := result{DocumentID: d.ID, Claims: len(claims), ClaimIDs: []int64{}}
				for _, c := range claims {
					r.ClaimIDs = append(r.ClaimIDs, c.ID)
				}
				results = append(results, r)
				if !asJSON {
					a.Printf("document %d: %d claims\n", d.ID, len(claims))
					for _, c := range claims {
						a.Printf("  claim %d: %s\n", c.ID, c.Summary)
					}
				}
			}
			if asJSON {
				if results == nil {
					results = []result{}
				}
				return a.JSON(struct {
					Extractor string   `json:"extractor"`
					Results   []result `json:"results"`
				}{x.Name(), results})
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&all, "all", false, "extract from every stored document")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// redact blanks restricted personal data (minors' names and ages, anonymous
// sources' descriptions) unless the caller asked for the restricted tier.
func redact(c *vigil.Claim, restricted bool) *vigil.Claim {
	if restricted {
		return c
	}
	cp := *c
	cp.Victims = nil
	for _, v := range c.Victims {
		if v.Sensitivity == vigil.Restricted || v.Minor {
			v.Name, v.Transliterations, v.Age, v.Spans, v.Detail = "", nil, nil, nil, ""
		}
		cp.Victims = append(cp.Victims, v)
	}
	cp.Sources = nil
	for _, s := range c.Sources {
		if s.Sensitivity == vigil.Restricted || s.Anonymous {
			s.Description, s.Spans = "", nil
		}
		cp.Sources = append(cp.Sources, s)
	}
	return &cp
}

func newClaimsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "claims", Short: "List and show extracted claims"}
	var asJSON, restricted bool
	var f vigil.ClaimFilter
	var evType string
	list := &cobra.Command{
		Use:   "list",
		Short: "List claims (filters: --document --type --incident)",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if evType != "" {
				f.EventType = vigil.EventType(evType)
				if !f.EventType.Valid() {
					return Usagef("--type: unknown event type %q", evType)
				}
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			claims, total, err := db.FindClaims(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]*vigil.Claim, 0, len(claims))
				for _, c := range claims {
					out = append(out, redact(c, restricted))
				}
				return a.JSON(struct {
					Claims []*vigil.Claim `json:"claims"`
					Total  int            `json:"total"`
					Offset int            `json:"offset"`
				}{out, total, f.Offset})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tDOC\tTYPE\tDATE\tPLACE\tKILLED\tINJURED")
			for _, c := range claims {
				place := ""
				if c.Place != nil {
					place = c.Place.Value.Name
				}
				fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.DocumentID, c.EventType.Value, c.Date.Value.String(),
					clip(place, 30), figureOf(c, vigil.Killed), figureOf(c, vigil.Injured))
			}
			tw.Flush()
			a.Printf("%d of %d claims\n", len(claims), total)
			return nil
		}),
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	list.Flags().BoolVar(&restricted, "restricted", false, "include restricted personal data (minors, anonymous sources)")
	list.Flags().Int64Var(&f.DocumentID, "document", 0, "only claims from this document id")
	list.Flags().Int64Var(&f.IncidentID, "incident", 0, "only claims of this incident")
	list.Flags().StringVar(&evType, "type", "", "only this event type (air_strike, shelling, ...)")
	list.Flags().IntVar(&f.Limit, "limit", vigil.DefaultPageSize, "page size")
	list.Flags().IntVar(&f.Offset, "offset", 0, "skip this many")

	var showJSON, showRestricted bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one claim with the text behind every value",
		Args:  cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return Usagef("claim id %q: %v", args[0], err)
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			c, err := db.FindClaimByID(cmd.Context(), id)
			if err != nil {
				return err
			}
			c = redact(c, showRestricted)
			if showJSON {
				return a.JSON(c)
			}
			printClaim(a, c)
			return nil
		}),
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")
	show.Flags().BoolVar(&showRestricted, "restricted", false, "include restricted personal data (minors, anonymous sources)")
	cmd.AddCommand(list, show)
	return cmd
}

func figureOf(c *vigil.Claim, kind vigil.FigureKind) string {
	for _, cat := range []vigil.Category{vigil.CatTotal, vigil.CatCivilians} {
		if f, ok := c.Figure(kind, cat); ok {
			return f.String()
		}
	}
	return ""
}

func quotes(spans []vigil.Span) string {
	var q []string
	for _, s := range spans {
		if s.Text != "" {
			q = append(q, strconv.Quote(clip(s.Text, 60)))
		}
	}
	if len(q) > 4 {
		q = append(q[:4], "...")
	}
	return strings.Join(q, " ")
}

func printClaim(a *App, c *vigil.Claim) {
	a.Printf("Claim %d (document %d, event %d, %s)\n", c.ID, c.DocumentID, c.Index, c.Extractor)
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	row := func(k, v, q string) { fmt.Fprintf(tw, "  %s\t%s\t%s\n", k, v, q) }
	row("Event", string(c.EventType.Value), quotes(c.EventType.Spans))
	date := c.Date.Value.String()
	if c.Date.Value.PartOfDay != "" {
		date += " " + c.Date.Value.PartOfDay
	}
	row("Date", date, quotes(c.Date.Spans))
	if c.Place != nil {
		p := c.Place.Value
		var h []string
		for _, u := range p.Admin {
			h = append(h, u.Name)
		}
		row("Place", fmt.Sprintf("%s (%s; %s)", p.Name, p.Precision, strings.Join(h, " > ")), quotes(c.Place.Spans))
	}
	for _, pc := range c.Attribution.Candidates {
		v := pc.Label + ": " + string(pc.Status)
		if pc.Hedge != "" {
			v += ", " + pc.Hedge
		}
		row("Perpetrator", v, quotes(pc.Spans))
	}
	if c.Attribution.Unidentified {
		row("Perpetrator", "unidentified", quotes(c.Attribution.Spans))
	}
	for _, f := range c.Figures {
		row("Figure", fmt.Sprintf("%s %s %s (%s)", f.Kind, f.Category, f.String(), f.Qualifier), quotes(f.Spans))
	}
	for _, f := range c.Facilities {
		row("Facility", strings.TrimSpace(fmt.Sprintf("%s %s, %s", f.Type, f.Name, f.Role)), quotes(f.Spans))
	}
	for _, v := range c.Victims {
		name := v.Name
		if name == "" {
			name = "[restricted]"
		}
		desc := []string{name, string(v.Status)}
		if v.Age != nil {
			desc = append(desc, "age "+strconv.Itoa(*v.Age))
		}
		if v.Sex != "" {
			desc = append(desc, string(v.Sex))
		}
		if v.Minor {
			desc = append(desc, "minor")
		}
		row("Victim", strings.Join(desc, ", "), quotes(v.Spans))
	}
	for _, s := range c.Sources {
		row("Source", fmt.Sprintf("%s (%s)", s.Name, s.Type), quotes(s.Spans))
	}
	for _, cf := range c.ContextFigures {
		v := fmt.Sprintf("%s %s %d", cf.Kind, cf.Category, cf.Min)
		if cf.Max == nil {
			v += "+"
		}
		row("Context", fmt.Sprintf("%s [%s] %s", v, cf.Reason, cf.Scope), quotes(cf.Spans))
	}
	tw.Flush()
}

func newEvalExtractCmd(a *App) *cobra.Command {
	var fakes, aw, gazDir, crowd string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "extract --fakes FILE [--crowd FILE] | --airwars DIR",
		Short: "Score extraction against the FA-KES gold labels or Airwars incidents",
		Long: `--fakes: extracts a claim from each FA-KES article and compares its governorate,
actor class, cause and death counts with the gold labels (mapping in
docs/extraction.md). With --crowd (fakes_crowd_dev.csv), also scores the
location of the crowd-annotated articles that the dev set lacks, against the
place the annotators marked ("crowd_unseen" in the JSON).

--airwars: extracts each Airwars source text linked to exactly one incident
and reports, for Arabic and English texts separately (and per validation
fold), how often the date is within one day of the incident's, the place
within 5 km of its point (same OCHA admin-3 area when it has none; texts
whose incident has neither a point nor a place that resolves to an admin-3
area are not scored for place), and the killed and injured figures within
its civilian ranges. Places resolve through the built-in gazetteer plus the
OCHA and GeoNames files under --gazetteer (default
$VIGIL_SHARED/data/gazetteer, ../shared beside the repository).`,
		Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if (fakes == "") == (aw == "") {
				return Usagef("give one of --fakes FILE or --airwars DIR")
			}
			if crowd != "" && fakes == "" {
				return Usagef("--crowd goes with --fakes")
			}
			if aw != "" {
				if gazDir == "" {
					shared := os.Getenv("VIGIL_SHARED")
					if shared == "" {
						shared = filepath.Join("..", "shared")
					}
					gazDir = filepath.Join(shared, "data", "gazetteer")
				}
				g, err := eval.GazetteerWithImports(gazDir)
				if err != nil {
					return err
				}
				rep, _, err := eval.EvalAirwarsExtract(cmd.Context(), aw, extract.New(g), g, extract.Language)
				if err != nil {
					return err
				}
				if asJSON {
					return a.JSON(rep)
				}
				a.Printf("Airwars: %d texts, %d linked to one incident, rejected: %d boilerplate, %d duplicates\n",
					rep.Texts, rep.OneIncident, rep.Rejected.Boilerplate, rep.Rejected.Duplicate)
				for _, lang := range []string{extract.LangArabic, extract.LangEnglish} {
					s := rep.Languages[lang]
					if s == nil {
						continue
					}
					a.Printf("  %s: %d texts (%d without claims): date %.3f  place %.3f  killed %.3f  injured %.3f\n", lang, s.Texts, s.NoClaim,
						s.Date.Share, s.Place.Share, s.Killed.Share, s.Injured.Share)
					a.Printf("      place not scored %d; dates missed with no date in the text and no publication date %d\n",
						s.PlaceUnscored, s.DateUnplaced)
				}
				return nil
			}
			g := gazetteer.Builtin()
			rep, err := eval.EvalFakes(fakes, extract.New(g))
			if err != nil {
				return err
			}
			if crowd != "" {
				f, err := os.Open(fakes)
				if err != nil {
					return vigil.Errorf(vigil.ENOTFOUND, "FA-KES file: %v", err)
				}
				dev, err := eval.ReadFakes(f)
				f.Close()
				if err != nil {
					return err
				}
				arts, err := eval.ReadCrowdUnseen(crowd, dev)
				if err != nil {
					return err
				}
				if rep.CrowdUnseen, err = eval.EvalCrowdLocation(cmd.Context(), arts, extract.New(g), g); err != nil {
					return err
				}
			}
			if asJSON {
				return a.JSON(rep)
			}
			a.Printf("FA-KES: %d articles\n", rep.Articles)
			for _, n := range eval.FieldNames {
				f := rep.Fields[n]
				a.Printf("  %-24s %.3f  (%d/%d)\n", n, f.Accuracy, f.Correct, f.Total)
			}
			if c := rep.CrowdUnseen; c != nil {
				a.Printf("crowd-annotated articles not in the dev set: %d\n", c.Articles)
				for _, f := range []struct {
					name string
					f    eval.Field
				}{{"location", c.Location}, {"civilians_exact", c.Civilians}, {"actor", c.Actor}, {"cause", c.Cause}} {
					a.Printf("  %-24s %.3f  (%d/%d)\n", f.name, f.f.Accuracy, f.f.Correct, f.f.Total)
				}
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&fakes, "fakes", "", "FA-KES CSV file (e.g. ../shared/data/extraction/fakes/fakes_dev.csv)")
	cmd.Flags().StringVar(&crowd, "crowd", "", "with --fakes: FA-KES crowd annotations (e.g. ../shared/data/extraction/fakes/fakes_crowd_dev.csv)")
	cmd.Flags().StringVar(&aw, "airwars", "", "Airwars directory (e.g. ../shared/data/incidents/airwars)")
	cmd.Flags().StringVar(&gazDir, "gazetteer", "", "folder of OCHA and GeoNames files for --airwars (default $VIGIL_SHARED/data/gazetteer)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
