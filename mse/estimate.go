package mse

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Method names accepted in Options.Methods (and by the CLI's --method).
const (
	MethodTwoList   = "two_list"  // Lincoln–Petersen and Chapman (exactly two lists)
	MethodLogLinear = "loglinear" // exhaustive hierarchical log-linear search, best by BIC (3–5 lists)
	MethodStepwise  = "stepwise"  // SparseMSE-style stepwise pairwise model (3–12 lists)
	MethodBMA       = "bma"       // Madigan–York model averaging over decomposable graphs (3–6 lists)
	MethodLCMCR     = "lcmcr"     // latent-class model of Manrique-Vallier (any number of lists)
	MethodClosedPT  = "closedp"   // Rcapture's fixed heterogeneity models (M0, Mt, Mh, Mth)
)

// AllMethods lists every method name.
var AllMethods = []string{MethodTwoList, MethodLogLinear, MethodStepwise, MethodBMA, MethodLCMCR, MethodClosedPT}

// DefaultMethods returns the methods Estimate runs when none are named:
// two-list estimators for two lists; otherwise the log-linear search (up to
// 5 lists), stepwise selection (up to 12), BMA (up to 5) and LCMCR.
func DefaultMethods(J int) []string {
	switch {
	case J < 2:
		return nil
	case J == 2:
		return []string{MethodTwoList}
	}
	var m []string
	if J <= MaxSearchLists {
		m = append(m, MethodLogLinear)
	}
	if J <= MaxLogLinearLists {
		m = append(m, MethodStepwise)
	}
	if J <= 5 {
		m = append(m, MethodBMA)
	}
	return append(m, MethodLCMCR)
}

// Options configure Estimate. The zero value runs the default methods with
// their defaults.
type Options struct {
	Methods   []string  // see DefaultMethods
	Criterion Criterion // for the log-linear search: "bic" (default) or "aic"
	// MinListSize: lists with fewer records are dropped first (default 1,
	// HRDAG's rule).
	MinListSize int
	LCMCR       LCMCROptions
	BMA         BMAOptions
	Stepwise    StepwiseOptions
	// Progress, when set, receives the method being run and its progress
	// (done of total, in the method's own units: models, sweeps…). It may be
	// called from several goroutines.
	Progress func(method string, done, total int)
}

// Result is one method's estimate. Every number comes with the method and
// the model that produced it.
type Result struct {
	Method       string    `json:"method"`      // e.g. "loglinear"
	MethodName   string    `json:"method_name"` // plain-language name of the method
	Model        string    `json:"model"`       // the model behind the number
	Documented   int       `json:"documented"`  // people on at least one list
	Total        float64   `json:"total"`       // estimated total (documented + undocumented)
	Undocumented float64   `json:"undocumented"`
	SE           float64   `json:"se,omitempty"`
	Interval     *Interval `json:"interval,omitempty"`
	Warnings     []string  `json:"warnings,omitempty"`
	// Details holds the method's full output (*LogLinearFit, *BMAResult,
	// *LCMCRResult, *StepwiseResult, TwoListResult).
	Details any `json:"details,omitempty"`
}

// Report is the outcome of Estimate.
type Report struct {
	Table        string       `json:"table"`
	Lists        []string     `json:"lists"`                   // usable lists
	ListSizes    []int        `json:"list_sizes"`              // records per usable list
	DroppedLists []string     `json:"dropped_lists,omitempty"` // lists with too few records
	Documented   int          `json:"documented"`
	Estimability Estimability `json:"estimability"`
	Results      []Result     `json:"results"`
	Warnings     []string     `json:"warnings,omitempty"` // about the table and across methods
	// Errors records methods that could not run, with the reason.
	Errors map[string]string `json:"errors,omitempty"`
}

// Estimate drops lists with too few records, checks that the table is
// estimable, runs the chosen methods and collects plain-language warnings
// (small lists, sparse table, methods disagreeing by more than a factor of
// 1.5). A table that is not estimable gives a Report with the reason and no
// results (two-list results when exactly two lists remain), not an error;
// errors are for bad options or a cancelled context.
func Estimate(ctx context.Context, t *Table, opt Options) (*Report, error) {
	minN := opt.MinListSize
	if minN <= 0 {
		minN = 1
	}
	kept, dropped, lost := t.DropLists(minN)
	rep := &Report{Table: t.Name, Lists: kept.Lists, ListSizes: kept.ListTotals(), DroppedLists: dropped, Documented: kept.N(), Errors: map[string]string{}}
	if len(dropped) > 0 {
		msg := fmt.Sprintf("dropped %s: fewer than %d records", strings.Join(dropped, ", "), minN)
		if lost > 0 {
			msg += fmt.Sprintf(" (%d people recorded only there are left out)", lost)
		}
		rep.Warnings = append(rep.Warnings, msg)
	}
	rep.Estimability = kept.CheckEstimable()
	methods := opt.Methods
	if len(methods) == 0 {
		methods = DefaultMethods(kept.J())
	}
	for _, m := range methods {
		if !validMethod(m) {
			return nil, fmt.Errorf("mse: unknown method %q (known: %s)", m, strings.Join(AllMethods, ", "))
		}
	}
	if !rep.Estimability.Estimable {
		if rep.Estimability.TwoLists {
			methods = []string{MethodTwoList}
		} else {
			return rep, nil
		}
	}
	rep.Warnings = append(rep.Warnings, tableWarnings(kept)...)
	rep.Warnings = append(rep.Warnings, heterogeneityWarning(kept)...)
	progress := func(method string) func(int, int) {
		if opt.Progress == nil {
			return nil
		}
		return func(d, tot int) { opt.Progress(method, d, tot) }
	}
	for _, m := range methods {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res, err := runMethod(ctx, kept, m, opt, progress(m))
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			rep.Errors[m] = err.Error()
			continue
		}
		rep.Results = append(rep.Results, res...)
	}
	if len(rep.Errors) == 0 {
		rep.Errors = nil
	}
	rep.Warnings = append(rep.Warnings, disagreementWarning(rep.Results)...)
	return rep, nil
}

func validMethod(m string) bool {
	for _, k := range AllMethods {
		if k == m {
			return true
		}
	}
	return false
}

func runMethod(ctx context.Context, t *Table, m string, opt Options, progress func(int, int)) ([]Result, error) {
	n := t.N()
	switch m {
	case MethodTwoList:
		if t.J() != 2 {
			return nil, fmt.Errorf("two-list estimators need exactly 2 lists, the table has %d", t.J())
		}
		r, _ := TwoList(t, 0, 1)
		warn := "two-list estimates assume the lists are independent and that everyone is equally likely to be recorded; in conflict data both usually fail, and the estimate is then too low"
		model := fmt.Sprintf("independence of %s and %s", t.Lists[0], t.Lists[1])
		lp := Result{Method: m, MethodName: "Lincoln–Petersen", Model: model, Documented: n, Total: r.LincolnPetersen,
			Undocumented: r.LincolnPetersen - float64(n), SE: r.LincolnPetersenSE, Warnings: []string{warn}, Details: r}
		ch := Result{Method: m, MethodName: "Chapman (bias-corrected Lincoln–Petersen)", Model: model, Documented: n, Total: r.Chapman,
			Undocumented: r.Chapman - float64(n), SE: r.ChapmanSE, Warnings: []string{warn}, Details: r}
		if r.N11 > 0 {
			lp.Interval = waldInterval(r.LincolnPetersen, r.LincolnPetersenSE, float64(n))
		} else {
			lp.Warnings = append(lp.Warnings, "no one is on both lists: the Lincoln–Petersen estimate is infinite")
		}
		ch.Interval = waldInterval(r.Chapman, r.ChapmanSE, float64(n))
		return []Result{lp, ch}, nil
	case MethodLogLinear:
		crit := opt.Criterion
		if crit == "" {
			crit = BIC
		}
		s, err := SearchHierarchical(ctx, t, SearchOptions{Criterion: crit, Progress: progress})
		if err != nil {
			return nil, err
		}
		best := s.Best
		res := Result{Method: m, MethodName: fmt.Sprintf("log-linear model chosen by %s among all %d hierarchical models", strings.ToUpper(string(crit)), s.Count),
			Model: best.Model + ": " + best.Description, Documented: n, Total: best.Total, Undocumented: best.Unobserved, SE: best.SE, Details: s}
		model, _ := ParseModel(t.J(), best.Model)
		if ck, err := CheckModel(t, model); err == nil {
			best.Check = &ck
			if !ck.OK() {
				res.Warnings = append(res.Warnings, ck.Message)
			}
		}
		if p, err := ProfileCI(t, model, 0.95); err == nil {
			res.Interval = &p.Interval
		} else {
			res.Interval = &Interval{Lower: best.LogNormalLower, Upper: best.LogNormalUpper, Level: 0.95, Kind: "lognormal"}
		}
		// Close competitors (within 2 of the criterion) with different
		// answers.
		var close []string
		for _, f := range s.All[1:] {
			d := crit.value(f) - crit.value(best)
			if d > 2 || len(close) == 3 {
				break
			}
			if r := f.Total / best.Total; r > 1.1 || r < 0.9 {
				close = append(close, fmt.Sprintf("%s (%s +%.2f) gives %.0f", f.Model, strings.ToUpper(string(crit)), d, f.Total))
			}
		}
		if len(close) > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("other models fit almost as well but give different totals: %s, against %.0f for the chosen model; the choice of model matters", strings.Join(close, "; "), best.Total))
		}
		if len(best.EmptyTerms) > 0 {
			res.Warnings = append(res.Warnings, "the chosen model includes lists with no one in common ("+strings.Join(best.EmptyTerms, ", ")+"): its estimate is unreliable")
		}
		return []Result{res}, nil
	case MethodStepwise:
		s, err := Stepwise(ctx, t, opt.Stepwise)
		if err != nil {
			return nil, err
		}
		f := s.Fit
		res := Result{Method: m, MethodName: "log-linear model chosen by stepwise selection of list pairs (SparseMSE)",
			Model: f.Model + ": " + f.Description, Documented: n, Total: f.Total, Undocumented: f.Unobserved, SE: f.SE, Interval: &s.Interval, Details: s}
		if f.Check != nil && !f.Check.OK() {
			res.Warnings = append(res.Warnings, f.Check.Message)
		}
		return []Result{res}, nil
	case MethodBMA:
		b, err := BMA(ctx, t, opt.BMA)
		if err != nil {
			return nil, err
		}
		model := "average over all decomposable graphical models"
		if len(b.Top) > 0 {
			model += fmt.Sprintf("; most probable: %s (%s, posterior probability %.2f)", b.Top[0].Graph, b.Top[0].Description, b.Top[0].Probability)
		}
		res := Result{Method: m, MethodName: fmt.Sprintf("Bayesian model averaging over decomposable graphs (Madigan & York; δ = %.4g, p(N) ∝ 1/N), posterior median", b.Delta),
			Model: model, Documented: n, Total: b.Median, Undocumented: b.Median - float64(n), Interval: &b.Interval, Details: b}
		if b.TailMassLast > 1e-6 {
			res.Warnings = append(res.Warnings, "the posterior still has weight at the largest value considered: the upper end is uncertain")
		}
		return []Result{res}, nil
	case MethodLCMCR:
		lo := opt.LCMCR
		if lo.Progress == nil {
			lo.Progress = progress
		}
		r, err := LCMCR(ctx, t, lo)
		if err != nil {
			return nil, err
		}
		res := Result{Method: m, MethodName: "Bayesian latent-class model (LCMCR, Manrique-Vallier 2016), posterior median",
			Model:      fmt.Sprintf("up to %d latent classes, stick-breaking prior a = %g, b = %g; %d chains × %d draws", r.K, r.AAlpha, r.BAlpha, r.Chains, r.Samples),
			Documented: n, Total: r.Median, Undocumented: r.Median - float64(n), SE: r.SD, Interval: &r.Interval, Warnings: r.Warnings, Details: r}
		return []Result{res}, nil
	case MethodClosedPT:
		fs, err := ClosedPT(t)
		if err != nil {
			return nil, err
		}
		var out []Result
		for _, f := range fs {
			out = append(out, Result{Method: m, MethodName: "Rcapture closedp.t model " + f.Model, Model: f.Model + ": " + f.Description,
				Documented: n, Total: f.Total, Undocumented: f.Unobserved, SE: f.SE,
				Interval: &Interval{Lower: f.LogNormalLower, Upper: f.LogNormalUpper, Level: 0.95, Kind: "lognormal"}, Details: f})
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown method %q", m)
}

func waldInterval(est, se, n float64) *Interval {
	return &Interval{Lower: math.Max(n, est-1.959963984540054*se), Upper: est + 1.959963984540054*se, Level: 0.95, Kind: "wald"}
}

// tableWarnings flags small lists and sparse tables.
func tableWarnings(t *Table) []string {
	var w []string
	var small []string
	for j, c := range t.ListTotals() {
		if c < 10 {
			small = append(small, fmt.Sprintf("%s (%d)", t.Lists[j], c))
		}
	}
	if len(small) > 0 {
		w = append(w, "some lists are very small: "+strings.Join(small, ", ")+"; estimates that lean on them are fragile")
	}
	if J := t.J(); J <= 20 {
		cells := 1<<uint(J) - 1
		zero := cells - len(t.Patterns)
		small := zero
		for _, c := range t.Counts {
			if c < 5 {
				small++
			}
		}
		if J <= MaxLogLinearLists && 3*small > cells {
			w = append(w, fmt.Sprintf("the table is sparse: %d of the %d combinations of lists hold fewer than 5 people (%d hold none), so log-linear estimates depend heavily on the model chosen", small, cells, zero))
		}
		// Pairs of lists with no one in common.
		var empty []string
		for a := 0; a < J && J <= MaxLogLinearLists; a++ {
			for b := a + 1; b < J; b++ {
				pr := uint64(1)<<uint(a) | uint64(1)<<uint(b)
				s := 0
				for i, p := range t.Patterns {
					if p&pr == pr {
						s += t.Counts[i]
					}
				}
				if s == 0 {
					empty = append(empty, t.Lists[a]+"–"+t.Lists[b])
				}
			}
		}
		if len(empty) > 0 {
			w = append(w, "some pairs of lists have no one in common ("+strings.Join(empty, ", ")+"): they may cover different populations, which no method can correct")
		}
	}
	if t.N() < 50 {
		w = append(w, fmt.Sprintf("only %d people are documented: every estimate is very uncertain", t.N()))
	}
	return w
}

// disagreementWarning compares the methods' totals (one per method: the
// first result of each) and warns when they differ by more than 1.5×.
func disagreementWarning(rs []Result) []string {
	type est struct {
		name  string
		total float64
	}
	var es []est
	seen := map[string]bool{}
	for _, r := range rs {
		if seen[r.Method] || math.IsInf(r.Total, 0) || math.IsNaN(r.Total) || r.Total <= 0 {
			continue
		}
		seen[r.Method] = true
		es = append(es, est{r.Method, r.Total})
	}
	if len(es) < 2 {
		return nil
	}
	sort.Slice(es, func(a, b int) bool { return es[a].total < es[b].total })
	lo, hi := es[0], es[len(es)-1]
	if hi.total > 1.5*lo.total {
		return []string{fmt.Sprintf("the methods disagree: estimates range from %.0f (%s) to %.0f (%s), more than a factor of 1.5; the lists' overlaps do not pin the total down, so report the range and the assumptions of each method rather than one number", lo.total, lo.name, hi.total, hi.name)}
	}
	return nil
}

// HeterogeneityAIC is how much lower (better) the AIC of the best model in
// which people differ in how likely they are to be recorded (Rcapture's
// Mth models) must be than that of the model in which they are alike (Mt,
// lists independent) before Estimate warns of heterogeneity. A difference
// of 10 leaves the model of alike people essentially no support (Burnham
// and Anderson's scale).
const HeterogeneityAIC = 10

// heterogeneityWarning fits Mt and the Mth models (three to
// MaxLogLinearLists lists) and warns, in plain words, when people do not
// look equally likely to be recorded: estimates that assume they are (two
// lists, the independence model) are then too low.
func heterogeneityWarning(t *Table) []string {
	if J := t.J(); J < 3 || J > MaxLogLinearLists {
		return nil
	}
	fits, err := ClosedPT(t)
	if err != nil {
		return nil
	}
	var mt, best *LogLinearFit
	for _, f := range fits {
		if !f.Converged || math.IsNaN(f.AIC) || math.IsInf(f.Total, 0) {
			continue
		}
		switch {
		case f.Model == "Mt":
			mt = f
		case strings.HasPrefix(f.Model, "Mth "):
			if best == nil || f.AIC < best.AIC {
				best = f
			}
		}
	}
	if mt == nil || best == nil || mt.AIC-best.AIC < HeterogeneityAIC {
		return nil
	}
	return []string{fmt.Sprintf("people do not all seem equally likely to be recorded: a model in which they differ (%s, AIC %.1f, total %.0f) fits far better than one in which they are alike (Mt, AIC %.1f, total %.0f); estimates that assume everyone alike (two lists, independence) are then too low — prefer methods that allow for it (LCMCR, log-linear models with interactions)",
		best.Model, best.AIC, best.Total, mt.AIC, mt.Total)}
}
