package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/extract/eval"
	"github.com/vigil-rec/vigil/gazetteer"
)

// fakesDocs loads the FA-KES dev articles as documents, or skips.
func fakesDocs(b *testing.B) ([]*vigil.Document, int64) {
	p := filepath.Join(sharedDir(), "data", "extraction", "fakes", "fakes_dev.csv")
	f, err := os.Open(p)
	if err != nil {
		b.Skipf("FA-KES dev set not available (%v): set VIGIL_SHARED", err)
	}
	defer f.Close()
	arts, err := eval.ReadFakes(f)
	if err != nil {
		b.Fatal(err)
	}
	var docs []*vigil.Document
	var n int64
	for _, a := range arts {
		docs = append(docs, &vigil.Document{Text: a.Text, Published: a.Published})
		n += int64(len(a.Text))
	}
	return docs, n
}

// BenchmarkExtractFakes extracts every FA-KES dev article once per
// iteration; MB/s is text throughput on one core, allocs/op are per pass
// over the whole set (divide by the article count for allocs per document).
func BenchmarkExtractFakes(b *testing.B) {
	docs, n := fakesDocs(b)
	x := New(gazetteer.Builtin())
	ctx := context.Background()
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			if _, err := x.Extract(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(docs)), "docs/op")
}

// BenchmarkExtractWorkedExample extracts the Aleppo report.
func BenchmarkExtractWorkedExample(b *testing.B) {
	text, err := os.ReadFile(filepath.Join(sharedDir(), "samples", "aleppo-qaterji-2016-08-17.txt"))
	if err != nil {
		b.Skipf("sample not available: %v", err)
	}
	pub := vigil.Day(2016, 8, 18)
	doc := &vigil.Document{Text: string(text), Published: &pub}
	x := New(gazetteer.Builtin())
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := x.Extract(context.Background(), doc); err != nil {
			b.Fatal(err)
		}
	}
}
