package mse

import (
	"context"
	"testing"
)

func benchSweep(b *testing.B, file string, K int) {
	tb := loadTable(b, file)
	s := newLCMCRSampler(tb, K, 0.25, 0.25, newRNG(1, 0))
	if err := s.init(func(int) error { return nil }); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 2000; i++ {
		s.sweep(true)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.sweep(true)
	}
}

// Per-sweep cost of one chain (R LCMCR 0.4.14: 13 µs Kosovo K=10; 87 µs for
// the 20-list Colombian stratum at K=15; 472 µs synthetic 12 lists K=10).
func BenchmarkLCMCRSweepKosovoK10(b *testing.B) { benchSweep(b, "kosovo_1999_4lists.csv", 10) }
func BenchmarkLCMCRSweepColombiaK15(b *testing.B) {
	benchSweep(b, "colombia_verdata_reclutamiento_R1_hombre_1999_20lists.csv", 15)
}
func BenchmarkLCMCRSweepSyntheticK10(b *testing.B) {
	benchSweep(b, "synthetic_3class_12lists_N20000.csv", 10)
}

func TestLCMCRQuick(t *testing.T) {
	tb := loadTable(t, "kosovo_1999_4lists.csv")
	r, err := LCMCR(context.Background(), tb, LCMCROptions{K: 10, Seed: 1, Samples: 2000, Thin: 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("mean %.0f median %.0f [%.0f, %.0f] rhat %.3f ess %.0f kstar %.2f chains %v %.1fs %.2f us/sweep warn %v",
		r.Mean, r.Median, r.Interval.Lower, r.Interval.Upper, r.RHat, r.ESS, r.KStarMean, r.ChainMedians, r.Seconds, r.MicrosPerIter, r.Warnings)
}
