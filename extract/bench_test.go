package extract

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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

// airwarsDocs loads the Airwars source texts of one language (by script
// ratio), or skips.
func airwarsDocs(b *testing.B, lang string) ([]*vigil.Document, int64) {
	data, err := os.ReadFile(filepath.Join(sharedDir(), "data", "incidents", "airwars", "airwars_texts_dev.jsonl"))
	if err != nil {
		b.Skipf("Airwars texts not available (%v): set VIGIL_SHARED", err)
	}
	var docs []*vigil.Document
	var n int64
	pub := vigil.Day(2024, 1, 1)
	for _, line := range strings.Split(string(data), "\n") {
		var t struct {
			Text string `json:"text"`
		}
		if json.Unmarshal([]byte(line), &t) != nil || Language(t.Text) != lang {
			continue
		}
		docs = append(docs, &vigil.Document{Text: t.Text, Published: &pub})
		n += int64(len(t.Text))
	}
	return docs, n
}

func benchDocs(b *testing.B, docs []*vigil.Document, n int64) {
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

// BenchmarkExtractAirwarsArabic and BenchmarkExtractAirwarsEnglish extract
// the Airwars source texts of each language: the same kind of texts (posts
// and news pages about the same incidents), so their MB/s compare.
func BenchmarkExtractAirwarsArabic(b *testing.B) {
	docs, n := airwarsDocs(b, LangArabic)
	benchDocs(b, docs, n)
}

func BenchmarkExtractAirwarsEnglish(b *testing.B) {
	docs, n := airwarsDocs(b, LangEnglish)
	benchDocs(b, docs, n)
}
