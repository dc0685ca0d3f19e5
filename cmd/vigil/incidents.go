package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/review"
)

func init() { register(newIncidentsCmd) }

// reconciler recomputes an incident from its claims; package resolve sets it
// (cmd/vigil/resolve.go) so that merge and split recompute figures.
var reconciler review.Reconciler

// reviewService returns the incident service on the app's store.
func (a *App) reviewService(cmd *cobra.Command) (*review.Service, error) {
	db, _, err := a.Store(cmd.Context())
	if err != nil {
		return nil, err
	}
	return &review.Service{Store: db, Reconcile: reconciler}, nil
}

// actingUser returns the user named by --as (or VIGIL_USER). The CLI trusts
// whoever can open the data directory to say who they are; roles still
// decide what each named user may do, and the audit log records the name.
func (a *App) actingUser(cmd *cobra.Command, as string) (*vigil.User, error) {
	if as == "" {
		as = os.Getenv("VIGIL_USER")
	}
	if as == "" {
		return nil, Usagef("say who is acting with --as USERNAME (or VIGIL_USER); add users with 'vigil user add'")
	}
	db, _, err := a.Store(cmd.Context())
	if err != nil {
		return nil, err
	}
	u, err := db.FindUserByName(cmd.Context(), as)
	if err != nil {
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "no user %q", as)
	}
	return u, nil
}

func parseIDs(args []string) ([]int64, error) {
	var ids []int64
	for _, a := range args {
		for _, p := range strings.Split(a, ",") {
			if p == "" {
				continue
			}
			id, err := strconv.ParseInt(p, 10, 64)
			if err != nil || id <= 0 {
				return nil, Usagef("%q is not an id", p)
			}
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func figureText(f vigil.FigureRange) string {
	switch {
	case f.Max == nil:
		return fmt.Sprintf("%d+", f.Min)
	case *f.Max == f.Min:
		return strconv.Itoa(f.Min)
	default:
		return fmt.Sprintf("%d-%d", f.Min, *f.Max)
	}
}

// killedInjured returns the killed and injured figures to show in a list:
// the total when stated, else the first stated of civilians, combatants and
// unknown (categories are never added up: they may overlap).
func killedInjured(inc *vigil.Incident) (string, string) {
	pick := func(kind vigil.FigureKind) string {
		for _, cat := range []vigil.Category{vigil.CatTotal, vigil.CatCivilians, vigil.CatCombatants, vigil.CatUnknown} {
			for _, f := range inc.Figures {
				if f.Kind == kind && f.Category == cat {
					if cat == vigil.CatTotal {
						return figureText(f)
					}
					return figureText(f) + " " + string(cat)
				}
			}
		}
		return ""
	}
	return pick(vigil.Killed), pick(vigil.Injured)
}

func newIncidentsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "incidents", Aliases: []string{"incident"}, Short: "List, show, review, grade, merge, split and publish incidents"}
	var as string
	cmd.PersistentFlags().StringVar(&as, "as", "", "the user acting (env VIGIL_USER); required for changes")

	var asJSON bool
	var f vigil.IncidentFilter
	var from, to, eventType, grade, state, facility string
	list := &cobra.Command{
		Use: "list", Short: "List incidents with filters", Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			var err error
			if f.From, err = parseDateFlag("--from", from); err != nil {
				return err
			}
			if f.To, err = parseDateFlag("--to", to); err != nil {
				return err
			}
			f.EventType, f.Grade, f.Review, f.FacilityType = vigil.EventType(eventType), vigil.Grade(grade), vigil.ReviewState(state), vigil.FacilityType(facility)
			if f.EventType != "" && !f.EventType.Valid() {
				return Usagef("--type: unknown event type %q", eventType)
			}
			svc, err := a.reviewService(cmd)
			if err != nil {
				return err
			}
			var u *vigil.User
			if as != "" || os.Getenv("VIGIL_USER") != "" {
				if u, err = a.actingUser(cmd, as); err != nil {
					return err
				}
			} else {
				u = &vigil.User{Username: actor(), Role: vigil.RoleViewer} // local reading
			}
			incs, total, err := svc.List(cmd.Context(), u, f)
			if err != nil {
				return err
			}
			if asJSON {
				return a.JSON(map[string]any{"incidents": incs, "total": total, "offset": f.Offset})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tDATE\tTYPE\tPLACE\tKILLED\tINJURED\tGRADE\tSTATE\tSOURCES")
			for _, inc := range incs {
				place := ""
				if inc.Place != nil {
					place = inc.Place.Name
				}
				k, i := killedInjured(inc)
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", inc.ID, inc.Date.String(), inc.EventType, clip(place, 28), k, i, inc.Grade, inc.Review, len(inc.DocumentIDs))
			}
			tw.Flush()
			a.Printf("%d of %d incidents\n", len(incs), total)
			return nil
		}),
	}
	lf := list.Flags()
	lf.BoolVar(&asJSON, "json", false, "print JSON")
	lf.StringVar(&from, "from", "", "on or after this date (YYYY-MM-DD)")
	lf.StringVar(&to, "to", "", "before this date (YYYY-MM-DD)")
	lf.StringVar(&eventType, "type", "", "event type, e.g. air_strike")
	lf.StringVar(&f.Governorate, "governorate", "", "governorate name or p-code")
	lf.StringVar(&f.PCode, "pcode", "", "any admin p-code of the place")
	lf.StringVar(&f.Perpetrator, "perpetrator", "", "alleged perpetrator key")
	lf.StringVar(&grade, "grade", "", "grade")
	lf.StringVar(&state, "state", "", "review state")
	lf.StringVar(&facility, "facility", "", "facility type")
	lf.BoolVar(&f.HasChildren, "children", false, "only incidents with children among the victims")
	lf.StringVar(&f.Query, "query", "", "full-text search in the incidents' documents")
	lf.IntVar(&f.Limit, "limit", vigil.DefaultPageSize, "page size")
	lf.IntVar(&f.Offset, "offset", 0, "skip this many")

	var showJSON bool
	show := &cobra.Command{
		Use: "show ID", Short: "Show an incident: figures with their sources, attribution, grade, claims, match decisions, history", Args: cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ids, err := parseIDs(args)
			if err != nil {
				return err
			}
			svc, err := a.reviewService(cmd)
			if err != nil {
				return err
			}
			u := &vigil.User{Username: actor(), Role: vigil.RoleViewer}
			d, err := svc.Show(cmd.Context(), u, ids[0])
			if err != nil {
				return err
			}
			if showJSON {
				return a.JSON(d)
			}
			printIncident(a, d)
			return nil
		}),
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")

	var reason string
	mutate := func(use, short string, nargs cobra.PositionalArgs, body func(cmd *cobra.Command, svc *review.Service, u *vigil.User, args []string) (any, error)) *cobra.Command {
		var mJSON bool
		c := &cobra.Command{Use: use, Short: short, Args: nargs,
			RunE: RunE(func(cmd *cobra.Command, args []string) error {
				u, err := a.actingUser(cmd, as)
				if err != nil {
					return err
				}
				svc, err := a.reviewService(cmd)
				if err != nil {
					return err
				}
				out, err := body(cmd, svc, u, args)
				if err != nil {
					return err
				}
				if mJSON {
					return a.JSON(out)
				}
				switch v := out.(type) {
				case *vigil.Incident:
					a.Printf("incident %d: %s, grade %q, %d claims\n", v.ID, v.Review, v.Grade, len(v.ClaimIDs))
				case [2]*vigil.Incident:
					a.Printf("incident %d keeps claims %v; new incident %d has claims %v\n", v[0].ID, v[0].ClaimIDs, v[1].ID, v[1].ClaimIDs)
				}
				return nil
			}),
		}
		c.Flags().StringVar(&reason, "reason", "", "why (recorded in the audit log)")
		c.Flags().BoolVar(&mJSON, "json", false, "print the result as JSON")
		return c
	}
	merge := mutate("merge TARGET-ID OTHER-ID... --reason WHY", "Merge incidents into the first one (history kept)", cobra.MinimumNArgs(2),
		func(cmd *cobra.Command, svc *review.Service, u *vigil.User, args []string) (any, error) {
			ids, err := parseIDs(args)
			if err != nil {
				return nil, err
			}
			return svc.Merge(cmd.Context(), u, ids[0], ids[1:], reason)
		})
	split := mutate("split ID CLAIM-ID... --reason WHY", "Move the given claims out of an incident into a new one", cobra.MinimumNArgs(2),
		func(cmd *cobra.Command, svc *review.Service, u *vigil.User, args []string) (any, error) {
			ids, err := parseIDs(args)
			if err != nil {
				return nil, err
			}
			l, r, err := svc.Split(cmd.Context(), u, ids[0], ids[1:], reason)
			if err != nil {
				return nil, err
			}
			return [2]*vigil.Incident{l, r}, nil
		})
	gradeCmd := mutate("grade ID GRADE [--reason WHY]", "Set the reviewed grade (overriding the proposal needs a reason)", cobra.ExactArgs(2),
		func(cmd *cobra.Command, svc *review.Service, u *vigil.User, args []string) (any, error) {
			ids, err := parseIDs(args[:1])
			if err != nil {
				return nil, err
			}
			return svc.Grade(cmd.Context(), u, ids[0], vigil.Grade(args[1]), reason)
		})
	reviewCmd := mutate("review ID STATE [--reason WHY]", "Move an incident to in_review, verified or discarded (or back)", cobra.ExactArgs(2),
		func(cmd *cobra.Command, svc *review.Service, u *vigil.User, args []string) (any, error) {
			ids, err := parseIDs(args[:1])
			if err != nil {
				return nil, err
			}
			return svc.Transition(cmd.Context(), u, ids[0], vigil.ReviewState(args[1]), reason)
		})
	publish := mutate("publish ID", "Publish a verified incident (needs a reviewer other than its last editor)", cobra.ExactArgs(1),
		func(cmd *cobra.Command, svc *review.Service, u *vigil.User, args []string) (any, error) {
			ids, err := parseIDs(args)
			if err != nil {
				return nil, err
			}
			return svc.Transition(cmd.Context(), u, ids[0], vigil.ReviewPublished, reason)
		})
	var title, date, etype string
	correct := mutate("correct ID [--title T] [--type TYPE] [--date D] --reason WHY", "Correct an incident's title, event type or date", cobra.ExactArgs(1),
		func(cmd *cobra.Command, svc *review.Service, u *vigil.User, args []string) (any, error) {
			ids, err := parseIDs(args)
			if err != nil {
				return nil, err
			}
			var c review.Correction
			if cmd.Flags().Changed("title") {
				c.Title = &title
			}
			if etype != "" {
				et := vigil.EventType(etype)
				c.EventType = &et
			}
			if date != "" {
				d, err := vigil.ParseFuzzyDate(date)
				if err != nil {
					return nil, Usagef("--date: %v", err)
				}
				c.Date = &d
			}
			return svc.Correct(cmd.Context(), u, ids[0], c, reason)
		})
	correct.Flags().StringVar(&title, "title", "", "new title")
	correct.Flags().StringVar(&etype, "type", "", "new event type")
	correct.Flags().StringVar(&date, "date", "", "new date (ISO 8601 / EDTF)")
	cmd.AddCommand(list, show, merge, split, gradeCmd, reviewCmd, publish, correct)
	return cmd
}

func printIncident(a *App, d *review.Detail) {
	inc := d.Incident
	a.Printf("Incident %d: %s\n", inc.ID, inc.Title)
	a.Printf("  type       %s\n  date       %s %s (%s precision)\n", inc.EventType, inc.Date.String(), inc.Date.PartOfDay, inc.Date.Precision)
	if inc.Place != nil {
		var admin []string
		for _, u := range inc.Place.Admin {
			admin = append(admin, u.Name)
		}
		a.Printf("  place      %s (%s; %s precision; p-code %s)\n", inc.Place.Name, strings.Join(admin, " > "), inc.Place.Precision, inc.Place.PCode)
	}
	a.Printf("  grade      %s (proposed %s: %s)\n  state      %s\n", inc.Grade, inc.ProposedGrade, inc.ProposedRationale, inc.Review)
	a.Printf("Figures (min-max over sources, never summed)\n")
	for _, f := range inc.Figures {
		a.Printf("  %-8s %-11s %-8s min from %s; max from %s\n", f.Kind, f.Category, figureText(f), strings.Join(f.MinSources, ", "), strings.Join(f.MaxSources, ", "))
		for _, s := range f.BySource {
			sup := ""
			if s.Superseded {
				sup = " (superseded)"
			}
			a.Printf("             %s says %s (claim %d)%s\n", s.Source, s.Figure.String(), s.ClaimID, sup)
		}
	}
	a.Printf("Attribution\n")
	for _, c := range inc.Attribution.Candidates {
		a.Printf("  %-20s %-10s alleged by %s\n", c.Actor, c.Status, strings.Join(c.AllegedBy, ", "))
	}
	a.Printf("Claims: %d from documents %v\n", len(d.Claims), inc.DocumentIDs)
	for _, md := range d.Decisions {
		a.Printf("  claim %d: %s (score %.2f)\n", md.ClaimID, md.Outcome, md.Score)
		for _, f := range md.Features {
			a.Printf("      %-12s %+.2f x %.2f  %s\n", f.Name, f.Score, f.Weight, f.Detail)
		}
	}
	a.Printf("History\n")
	for _, e := range d.History {
		a.Printf("  %s %-14s %-8s %-14s %s\n", e.At.Format(time.RFC3339), e.Actor, e.Action, e.Field, e.Reason)
	}
}
