package mse

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// StratumReport is the estimate for one stratum (or for all strata pooled).
type StratumReport struct {
	Key    string            `json:"key"`              // "" for an unstratified table, "all" for the pooled table
	Values map[string]string `json:"values,omitempty"` // stratum column → value
	*Report
	// Comparison lists the methods' totals from low to high with what each
	// assumes, when the methods disagree by more than a factor of 1.5.
	Comparison []Comparison `json:"comparison,omitempty"`
}

// Comparison is one row of the comparison of methods.
type Comparison struct {
	Method      string    `json:"method"`
	MethodName  string    `json:"method_name"`
	Model       string    `json:"model"`
	Total       float64   `json:"total"`
	Interval    *Interval `json:"interval,omitempty"`
	Assumptions string    `json:"assumptions"`
}

// StratifiedReport collects the reports of a stratified estimate.
type StratifiedReport struct {
	Source string   `json:"source"`
	By     []string `json:"by,omitempty"`
	Lists  []string `json:"lists"`
	// Pooled is the estimate from all strata added together (present only
	// when there are strata).
	Pooled *StratumReport `json:"pooled,omitempty"`
	// Strata holds one report per stratum (one entry, key "", without
	// strata).
	Strata []StratumReport `json:"strata"`
	// SumOfStrata adds the strata's totals method by method, where every
	// stratum has a result for the method (HRDAG estimates per stratum and
	// adds up).
	SumOfStrata []StrataSum `json:"sum_of_strata,omitempty"`
	Warnings    []string    `json:"warnings,omitempty"`
}

// StrataSum is a method's total summed over strata.
type StrataSum struct {
	Method     string  `json:"method"`
	MethodName string  `json:"method_name"`
	Documented int     `json:"documented"`
	Total      float64 `json:"total"`
	// Strata is how many strata have a result for this method.
	Strata int `json:"strata"`
}

// Assumptions says in plain language what a method assumes.
func Assumptions(method string) string {
	switch method {
	case MethodTwoList:
		return "the two lists are independent and everyone is equally likely to be recorded"
	case MethodLogLinear:
		return "dependence between lists is captured by the interactions of the chosen model; no interaction of all lists"
	case MethodStepwise:
		return "only the pairwise dependences found significant matter; suited to sparse tables"
	case MethodBMA:
		return "the truth is one of the decomposable graphical models, weighted by how well each fits"
	case MethodLCMCR:
		return "people fall into latent groups; within a group lists record people independently (heterogeneity allowed)"
	case MethodClosedPT:
		return "fixed models of time and heterogeneity effects (Rcapture)"
	}
	return ""
}

// EstimateStrata runs Estimate on every stratum of st and, when there are
// strata, on the pooled table. Progress (if set) receives the stratum key
// with the method name ("all/lcmcr", "eth=white/bma").
func EstimateStrata(ctx context.Context, st *Stratified, opt Options) (*StratifiedReport, error) {
	out := &StratifiedReport{Source: st.Pooled.Name, By: st.By, Lists: st.Lists}
	run := func(key string, vals map[string]string, t *Table) (*StratumReport, error) {
		o := opt
		if opt.Progress != nil {
			o.Progress = func(m string, d, tot int) {
				if key != "" {
					m = key + "/" + m
				}
				opt.Progress(m, d, tot)
			}
		}
		rep, err := Estimate(ctx, t, o)
		if err != nil {
			return nil, err
		}
		sr := &StratumReport{Key: key, Values: vals, Report: rep}
		sr.Comparison = compare(rep.Results)
		return sr, nil
	}
	if len(st.By) > 0 {
		p, err := run("all", nil, st.Pooled)
		if err != nil {
			return nil, err
		}
		out.Pooled = p
	}
	small := 0
	for _, s := range st.Strata {
		r, err := run(s.Key, s.Values, s.Table)
		if err != nil {
			return nil, err
		}
		out.Strata = append(out.Strata, *r)
		if len(st.By) > 0 && (s.Table.N() < 50 || !r.Estimability.Estimable) {
			small++
		}
	}
	if len(st.By) > 0 {
		out.SumOfStrata = sumStrata(out.Strata)
		if small > 0 {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%d of %d strata are sparse (fewer than 50 documented, or not estimable): their estimates are very uncertain; consider coarser strata", small, len(out.Strata)))
		}
	}
	return out, nil
}

// compare returns the comparison of methods when their totals disagree by
// more than a factor of 1.5 (first result of each method).
func compare(rs []Result) []Comparison {
	var c []Comparison
	seen := map[string]bool{}
	lo, hi := 0.0, 0.0
	for _, r := range rs {
		if seen[r.Method] || !(r.Total > 0) || r.Total > 1e300 {
			continue
		}
		seen[r.Method] = true
		c = append(c, Comparison{Method: r.Method, MethodName: r.MethodName, Model: r.Model, Total: r.Total, Interval: r.Interval, Assumptions: Assumptions(r.Method)})
		if lo == 0 || r.Total < lo {
			lo = r.Total
		}
		if r.Total > hi {
			hi = r.Total
		}
	}
	if len(c) < 2 || hi <= 1.5*lo {
		return nil
	}
	sort.SliceStable(c, func(a, b int) bool { return c[a].Total < c[b].Total })
	return c
}

func sumStrata(strata []StratumReport) []StrataSum {
	var order []string
	sums := map[string]*StrataSum{}
	for _, s := range strata {
		seen := map[string]bool{}
		for _, r := range s.Results {
			if seen[r.Method] {
				continue
			}
			seen[r.Method] = true
			ss := sums[r.Method]
			if ss == nil {
				ss = &StrataSum{Method: r.Method, MethodName: r.MethodName}
				sums[r.Method] = ss
				order = append(order, r.Method)
			}
			ss.Documented += r.Documented
			ss.Total += r.Total
			ss.Strata++
		}
	}
	var out []StrataSum
	for _, m := range order {
		if sums[m].Strata == len(strata) {
			out = append(out, *sums[m])
		}
	}
	return out
}

// KeyOf builds a stratum key from column names and values, as
// ReadStratified does.
func KeyOf(by []string, vals map[string]string) string {
	var parts []string
	for _, b := range by {
		parts = append(parts, b+"="+vals[b])
	}
	return strings.Join(parts, ", ")
}
