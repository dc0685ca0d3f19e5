package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/mse"
)

func init() {
	register(newEstimateCmd)
	serveHooks = append(serveHooks, func(a *App, s *vhttp.Server) error {
		s.RegisterEstimateRoutes()
		return nil
	})
}

// storeStrata are the --by dimensions for estimates over the store's
// linked persons.
var storeStrata = mse.PersonStrata

func newEstimateCmd(a *App) *cobra.Command {
	var table, plot string
	var methods, by []string
	var asJSON bool
	var lcm mse.LCMCROptions
	var minList int
	cmd := &cobra.Command{
		Use:   "estimate (--table FILE.csv | --by DIM,...) [--method M,...] [--json] [--plot FILE.svg]",
		Short: "Estimate how many victims no list recorded (multiple systems estimation)",
		Long: `Estimates the total number of victims, documented and undocumented, from how
several lists overlap (multiple systems estimation, docs/mse.md).

With --table, reads a capture-history CSV: one 0/1 column per list and a
"count" column (without one, each row is one person). A column named
"stratum", or the columns named with --by, split the table into strata;
each stratum and all strata together are estimated.

Without --table, builds the capture histories from the store's linked
persons (vigil link): which lists recorded each person. --by then takes
period (year of death), governorate, sex, age (child, adult, older,
unknown) and perpetrator (as the records allege it).

Methods (--method, default by number of lists): ` + strings.Join(mse.AllMethods, ", ") + `.
Each number is printed with its method and model, and with plain-language
warnings when assumptions look doubtful. Exit status 1 when the table is
malformed (the error names the line and column) or nothing is estimable.`,
		Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			for _, m := range methods {
				if !validMethod(m) {
					return Usagef("--method: unknown method %q (known: %s)", m, strings.Join(mse.AllMethods, ", "))
				}
			}
			if lcm.Chains < 0 || lcm.Samples < 0 || lcm.Thin < 0 || lcm.K < 0 {
				return Usagef("--chains, --samples, --thin and --k must not be negative")
			}
			if plot != "" && !strings.EqualFold(filepath.Ext(plot), ".svg") {
				return Usagef("--plot: write an .svg file, got %q", plot)
			}
			var st *mse.Stratified
			var err error
			if table != "" {
				st, err = readTableFile(table, by)
			} else {
				for _, b := range by {
					if !contains(storeStrata, b) {
						return Usagef("--by %s: over the store's linked persons, stratify by %s (or give --table)", b, strings.Join(storeStrata, ", "))
					}
				}
				st, err = a.storeHistories(cmd.Context(), by)
			}
			if err != nil {
				return err
			}
			opt := mse.Options{Methods: methods, MinListSize: minList, LCMCR: lcm}
			bar := newEstimateBar(a.Stderr)
			if bar != nil {
				opt.Progress = bar.update
			}
			rep, err := mse.EstimateStrata(cmd.Context(), st, opt)
			bar.finish()
			if err != nil {
				return err
			}
			if plot != "" {
				if err := writePlot(plot, rep); err != nil {
					return err
				}
			}
			if asJSON {
				if err := a.JSON(rep); err != nil {
					return err
				}
			} else {
				printEstimate(a.Stdout, rep)
				if plot != "" {
					fmt.Fprintf(a.Stdout, "\nPlot written to %s\n", plot)
				}
			}
			if !anyResult(rep) {
				return errors.New("nothing could be estimated (see the reasons above)")
			}
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&table, "table", "", "capture-history CSV (0/1 list columns and count)")
	f.StringSliceVar(&methods, "method", nil, "methods to run, comma-separated: "+strings.Join(mse.AllMethods, ", ")+" (default: by number of lists)")
	f.StringSliceVar(&by, "by", nil, "strata: table columns with --table; otherwise "+strings.Join(storeStrata, ", "))
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	f.StringVar(&plot, "plot", "", "write a posterior plot (SVG) to this file")
	f.IntVar(&minList, "min-list-size", 1, "drop lists with fewer records (HRDAG's rule: 1)")
	f.IntVar(&lcm.K, "k", 0, "LCMCR: most latent classes (default min(2^J−1, 15))")
	f.IntVar(&lcm.Chains, "chains", 0, "LCMCR: chains run in parallel (default 4)")
	f.IntVar(&lcm.Samples, "samples", 0, "LCMCR: draws kept per chain (default 1000)")
	f.IntVar(&lcm.Thin, "thin", 0, "LCMCR: sweeps per kept draw (default 100)")
	f.IntVar(&lcm.Burnin, "burnin", 0, "LCMCR: sweeps discarded per chain (default 10000)")
	f.Uint64Var(&lcm.Seed, "seed", 1, "LCMCR: random seed (the same seed gives the same draws)")
	return cmd
}

func validMethod(m string) bool { return contains(mse.AllMethods, m) }

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func anyResult(r *mse.StratifiedReport) bool {
	if r.Pooled != nil && len(r.Pooled.Results) > 0 {
		return true
	}
	for _, s := range r.Strata {
		if len(s.Results) > 0 {
			return true
		}
	}
	return false
}

func readTableFile(path string, by []string) (*mse.Stratified, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return mse.ReadStratified(f, filepath.Base(path), by)
}

func writePlot(path string, rep *mse.StratifiedReport) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := mse.WriteSVG(f, rep); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// storeHistories builds capture histories from the store's linked persons
// (mse.PersonHistories).
func (a *App) storeHistories(ctx context.Context, by []string) (*mse.Stratified, error) {
	db, _, err := a.Store(ctx)
	if err != nil {
		return nil, err
	}
	persons, _, err := db.FindPersons(ctx, vigil.PersonFilter{Limit: -1})
	if err != nil {
		return nil, err
	}
	if len(persons) == 0 {
		return nil, errors.New("the store has no linked persons: import victim lists (vigil victims import) and link them (vigil link), or give --table FILE.csv")
	}
	g := gazetteer.Builtin().Clone()
	if err := g.LoadFrom(ctx, db); err != nil {
		return nil, err
	}
	return mse.PersonHistoriesWith(persons, by, mse.PersonOptions{Governorate: g.GovernorateOf})
}

// printEstimate prints the report for people: for each stratum, a table of
// methods with documented, total, undocumented and interval, the warnings
// next to each method, and a comparison when the methods disagree.
func printEstimate(w io.Writer, rep *mse.StratifiedReport) {
	fmt.Fprintf(w, "Estimate for %s (%d lists: %s)\n", rep.Source, len(rep.Lists), strings.Join(rep.Lists, ", "))
	for _, m := range rep.Warnings {
		fmt.Fprintf(w, "  ! %s\n", m)
	}
	if rep.Pooled != nil {
		printStratum(w, rep.Pooled, "All strata together")
	}
	for i := range rep.Strata {
		title := ""
		if rep.Strata[i].Key != "" {
			title = "Stratum " + rep.Strata[i].Key
		}
		printStratum(w, &rep.Strata[i], title)
	}
	if len(rep.SumOfStrata) > 0 {
		fmt.Fprintf(w, "\nSum over the %d strata (each stratum estimated on its own, then added):\n", len(rep.Strata))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "method\tdocumented\ttotal\tundocumented\t")
		for _, s := range rep.SumOfStrata {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", s.Method, mse.FormatCount(float64(s.Documented)), mse.FormatCount(s.Total), mse.FormatCount(s.Total-float64(s.Documented)))
		}
		tw.Flush()
	}
}

func printStratum(w io.Writer, s *mse.StratumReport, title string) {
	fmt.Fprintln(w)
	if title != "" {
		fmt.Fprintf(w, "== %s ==\n", title)
	}
	var sizes []string
	for i, l := range s.Lists {
		sizes = append(sizes, fmt.Sprintf("%s %s", l, mse.FormatCount(float64(s.ListSizes[i]))))
	}
	fmt.Fprintf(w, "Documented: %s people on %d lists (%s)\n", mse.FormatCount(float64(s.Documented)), len(s.Lists), strings.Join(sizes, ", "))
	if !s.Estimability.Estimable {
		fmt.Fprintf(w, "Not estimable: %s\n", s.Estimability.Reason)
	}
	for _, m := range s.Warnings {
		fmt.Fprintf(w, "  ! %s\n", m)
	}
	if len(s.Results) > 0 {
		rows := [][]string{{"method", "total", "undocumented", "95% interval", "model"}}
		for _, r := range s.Results {
			rows = append(rows, []string{shortMethod(r), mse.FormatCount(r.Total), mse.FormatCount(r.Undocumented), fmtInterval(r.Interval), clipText(r.Model, 60)})
		}
		width := make([]int, 5)
		for _, row := range rows {
			for i, c := range row {
				width[i] = max(width[i], len([]rune(c)))
			}
		}
		line := func(row []string) string {
			var b strings.Builder
			for i, c := range row {
				pad := strings.Repeat(" ", width[i]-len([]rune(c)))
				if i == 1 || i == 2 {
					b.WriteString(pad + c) // numbers right-aligned
				} else if i < len(row)-1 {
					b.WriteString(c + pad)
				} else {
					b.WriteString(c)
				}
				b.WriteString("  ")
			}
			return strings.TrimRight(b.String(), " ")
		}
		fmt.Fprintln(w, line(rows[0]))
		for i, r := range s.Results {
			fmt.Fprintln(w, line(rows[i+1]))
			for _, m := range r.Warnings {
				fmt.Fprintf(w, "    ! %s\n", m)
			}
		}
		fmt.Fprintln(w, "Methods:")
		seen := map[string]bool{}
		for _, r := range s.Results {
			if !seen[r.Method] {
				seen[r.Method] = true
				name := r.MethodName
				if r.Method == mse.MethodClosedPT {
					name = "Rcapture closedp.t fixed models (M0, Mt, Mh, Mth)"
				}
				fmt.Fprintf(w, "  %s: %s\n", r.Method, name)
			}
		}
	}
	for m, e := range s.Errors {
		fmt.Fprintf(w, "  ! %s could not run: %s\n", m, e)
	}
	if len(s.Comparison) > 0 {
		fmt.Fprintln(w, "The methods disagree; what each assumes, from the lowest total to the highest:")
		for _, c := range s.Comparison {
			fmt.Fprintf(w, "  %-10s %10s  %s\n", c.Method, mse.FormatCount(c.Total), c.Assumptions)
		}
	}
}

func shortMethod(r mse.Result) string {
	switch r.Method {
	case mse.MethodTwoList:
		if strings.HasPrefix(r.MethodName, "Chapman") {
			return "chapman"
		}
		return "lincoln-petersen"
	case mse.MethodClosedPT:
		return "closedp " + strings.TrimPrefix(r.MethodName, "Rcapture closedp.t model ")
	}
	return r.Method
}

func fmtInterval(iv *mse.Interval) string {
	if iv == nil || math.IsNaN(iv.Lower) || math.IsNaN(iv.Upper) {
		return "–"
	}
	return fmt.Sprintf("%s – %s (%s)", mse.FormatCount(iv.Lower), mse.FormatCount(iv.Upper), strings.ReplaceAll(iv.Kind, "_", " "))
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// estimateBar draws one line on a terminal's standard error; nil (a no-op)
// when standard error is not a terminal.
type estimateBar struct {
	mu    sync.Mutex
	w     io.Writer
	last  time.Time
	drawn bool
}

func newEstimateBar(w io.Writer) *estimateBar {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &estimateBar{w: w}
}

func (p *estimateBar) update(what string, done, total int) {
	if p == nil || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last = time.Now()
	const width = 30
	frac := math.Min(1, float64(done)/float64(total))
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r%-28s [%s%s] %3.0f%%", clipText(what, 28), strings.Repeat("=", n), strings.Repeat(" ", width-n), 100*frac)
	p.drawn = true
}

func (p *estimateBar) finish() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 70))
}
