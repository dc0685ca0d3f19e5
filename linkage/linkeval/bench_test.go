package linkeval

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/vigil-rec/vigil/linkage"
)

// BenchmarkScoreFebrl measures scored comparisons per second on one core:
// random record pairs of Febrl3 (10 fields, Jaro-Winkler, OSA, dates, TF).
func BenchmarkScoreFebrl(b *testing.B) {
	d, err := LinkageDir()
	if err != nil {
		b.Skip(err.Error())
	}
	ds, err := Febrl(filepath.Join(d, "febrl", "febrl_dataset3.csv"))
	if err != nil {
		b.Fatal(err)
	}
	benchScore(b, ds)
}

// BenchmarkScoreArabic is the same on the victims model over generated
// Arabic lists (10 fields including a token set).
func BenchmarkScoreArabic(b *testing.B) {
	d, err := LinkageDir()
	if err != nil {
		b.Skip(err.Error())
	}
	ds, err := ArabicDataset(filepath.Join(d, "arabic_names"), GenOptions{Entities: 4000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchScore(b, ds)
}

func benchScore(b *testing.B, ds *Dataset) {
	p, err := linkage.Train(context.Background(), ds.Data, ds.Settings)
	if err != nil {
		b.Fatal(err)
	}
	sc := linkage.NewScorer(ds.Data, p)
	n := int32(ds.Data.Len())
	rng := rand.New(rand.NewPCG(1, 2))
	pairs := make([][2]int32, 1<<16)
	for i := range pairs {
		pairs[i] = [2]int32{rng.Int32N(n), rng.Int32N(n)}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sink float32
	for i := 0; i < b.N; i++ {
		pr := pairs[i&(len(pairs)-1)]
		sink += sc.Weight(pr[0], pr[1])
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comparisons/s")
	_ = sink
}

// BenchmarkDedupeMillion deduplicates generated Arabic victim lists of
// about 1,000,000 records end to end (train, predict, cluster) and reports
// the time and the Go heap's peak. Run it alone:
//
//	go test ./linkage/linkeval -run '^$' -bench DedupeMillion -benchtime 1x
func BenchmarkDedupeMillion(b *testing.B) {
	d, err := LinkageDir()
	if err != nil {
		b.Skip(err.Error())
	}
	pools, err := LoadNamePools(filepath.Join(d, "arabic_names"))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		recs, truth := GenerateArabic(pools, GenOptions{Entities: 560_000, Seed: 7})
		data, err := VictimData(recs)
		if err != nil {
			b.Fatal(err)
		}
		recs = nil
		runtime.GC()
		var peak uint64
		done := make(chan bool)
		go func() {
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(200 * time.Millisecond):
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peak {
						peak = ms.HeapInuse
					}
				}
			}
		}()
		ds := &Dataset{Name: "million", Data: data, Truth: truth, Settings: victimsSettings(), Threshold: linkage.DefaultThreshold}
		start := time.Now()
		r, err := Run(context.Background(), ds, 0)
		if err != nil {
			b.Fatal(err)
		}
		close(done)
		b.ReportMetric(float64(data.Len()), "records")
		b.ReportMetric(time.Since(start).Seconds(), "link_s")
		b.ReportMetric(float64(r.Comparisons), "comparisons")
		b.ReportMetric(float64(peak)/(1<<20), "peak_heap_MiB")
		b.ReportMetric(r.Metrics.F1, "F1")
		b.ReportMetric(r.Metrics.Precision, "P")
		b.ReportMetric(r.Metrics.Recall, "R")
		b.ReportMetric(r.BCubed.F1, "bcubed_F1")
	}
}
