package mse

import (
	"fmt"
	"math"
)

// TwoListResult holds the closed-form two-list estimates. Both assume that
// the two lists are independent and that everyone has the same chance of
// being on each list; when those fail they are usually too low.
type TwoListResult struct {
	Lists [2]string `json:"lists"`
	N11   int       `json:"n11"` // on both lists
	N10   int       `json:"n10"` // on the first only
	N01   int       `json:"n01"` // on the second only
	// Lincoln–Petersen N = n1·n2/m, identical to the MLE of the two-list
	// independence log-linear model; SE from the delta method,
	// sqrt(n1·n2·(n1−m)·(n2−m)/m³). Infinite when m = 0.
	LincolnPetersen   float64 `json:"lincoln_petersen"`
	LincolnPetersenSE float64 `json:"lincoln_petersen_se"`
	// Chapman's bias-corrected estimator (n1+1)(n2+1)/(m+1) − 1 with
	// Seber's variance (n1+1)(n2+1)(n1−m)(n2−m)/((m+1)²(m+2)).
	Chapman   float64 `json:"chapman"`
	ChapmanSE float64 `json:"chapman_se"`
}

// TwoListCounts computes the two-list estimators from the overlap counts.
func TwoListCounts(n11, n10, n01 int) TwoListResult {
	m := float64(n11)
	n1 := float64(n11 + n10)
	n2 := float64(n11 + n01)
	r := TwoListResult{N11: n11, N10: n10, N01: n01}
	if n11 > 0 {
		r.LincolnPetersen = n1 * n2 / m
		r.LincolnPetersenSE = math.Sqrt(n1 * n2 * (n1 - m) * (n2 - m) / (m * m * m))
	} else {
		r.LincolnPetersen = math.Inf(1)
		r.LincolnPetersenSE = math.Inf(1)
	}
	r.Chapman = (n1+1)*(n2+1)/(m+1) - 1
	r.ChapmanSE = math.Sqrt((n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) * (m + 1) * (m + 2)))
	return r
}

// TwoList computes the two-list estimators for lists a and b of a table
// (indices into t.Lists), ignoring every other list: a person counts as on
// list a whatever else recorded them.
func TwoList(t *Table, a, b int) (TwoListResult, error) {
	if a < 0 || b < 0 || a >= t.J() || b >= t.J() || a == b {
		return TwoListResult{}, fmt.Errorf("mse: bad list pair %d, %d for %d lists", a, b, t.J())
	}
	var n11, n10, n01 int
	ma, mb := uint64(1)<<uint(a), uint64(1)<<uint(b)
	for i, p := range t.Patterns {
		ia, ib := p&ma != 0, p&mb != 0
		switch {
		case ia && ib:
			n11 += t.Counts[i]
		case ia:
			n10 += t.Counts[i]
		case ib:
			n01 += t.Counts[i]
		}
	}
	r := TwoListCounts(n11, n10, n01)
	r.Lists = [2]string{t.Lists[a], t.Lists[b]}
	return r, nil
}
