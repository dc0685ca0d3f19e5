package mse

import (
	"math"
	"testing"
)

// Profile-likelihood intervals against Rcapture closedpCI.t
// (peer_outputs/rcapture_console.log for Mt; mse.md A1 for [123,14,34],
// printed there as whole numbers). Rcapture evaluates the profile on a grid,
// so its printed maximiser can be off by up to 0.5.
func TestProfileCIRcapture(t *testing.T) {
	cases := []struct {
		file, model      string
		lo, hi, estimate float64
		tol              float64
	}{
		{"kosovo_1999_4lists.csv", "[123,14,34]", 8994, 12110, 10334.5, 1},
		{"kosovo_1999_4lists.csv", "[1,2,3,4]", 7147.749, 7656.195, 7392.917, 0.01},
		{"rcapture_HIV.csv", "[1,2,3,4]", 9531.736, 13114.12, 11117.02, 0.01},
		{"rcapture_lesbian.csv", "[1,2,3,4]", 3559.359, 3933.211, 3736.762, 0.01},
		{"uk_modern_slavery_2013_5lists.csv", "[1,2,3,4,5]", 11985.12, 15165.9, 13437.92, 0.1},
		{"new_orleans_trafficking_5lists.csv", "[1,2,3,4,5]", 665.5825, 1762.031, 1027.303, 0.01},
		{"dga_madigan_york_3lists.csv", "[1,2,3]", 726.0628, 807.0298, 762.6226, 0.01},
	}
	for _, c := range cases {
		tb := loadTable(t, c.file)
		m, err := ParseModel(tb.J(), c.model)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ProfileCI(tb, m, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(p.Interval.Lower-c.lo) > c.tol || math.Abs(p.Interval.Upper-c.hi) > c.tol {
			t.Errorf("%s %s: CI %.4f–%.4f, Rcapture %.4f–%.4f (±%g)", c.file, c.model, p.Interval.Lower, p.Interval.Upper, c.lo, c.hi, c.tol)
		}
		if math.Abs(p.Mode-c.estimate) > 0.5 {
			t.Errorf("%s %s: profile maximum %.3f, Rcapture %.3f", c.file, c.model, p.Mode, c.estimate)
		}
	}
}
