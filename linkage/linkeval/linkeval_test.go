package linkeval

import (
	"context"
	"path/filepath"
	"testing"
)

func needData(t *testing.T) string {
	d, err := LinkageDir()
	if err != nil {
		t.Skip(err.Error())
	}
	return d
}

func TestFebrl4(t *testing.T) {
	d := needData(t)
	ds, err := Febrl(filepath.Join(d, "febrl", "febrl_dataset4a.csv"), filepath.Join(d, "febrl", "febrl_dataset4b.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), ds, 0.99)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("febrl4: %+v comparisons %d in %.2fs", r.Metrics, r.Comparisons, r.Seconds)
	if r.Metrics.F1 < 0.99 {
		t.Errorf("febrl4 F1 %.4f < 0.99", r.Metrics.F1)
	}
}

func TestFebrl3(t *testing.T) {
	d := needData(t)
	ds, err := Febrl(filepath.Join(d, "febrl", "febrl_dataset3.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), ds, 0.99)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("febrl3: %+v comparisons %d in %.2fs", r.Metrics, r.Comparisons, r.Seconds)
	if r.Metrics.F1 < 0.99 {
		t.Errorf("febrl3 F1 %.4f < 0.99", r.Metrics.F1)
	}
}

func TestHistorical(t *testing.T) {
	d := needData(t)
	ds, err := Historical(filepath.Join(d, "splink", "historical_50k.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), ds, 0.80)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("historical: %+v comparisons %d in %.2fs", r.Metrics, r.Comparisons, r.Seconds)
	if r.Metrics.F1 < 0.80 {
		t.Errorf("historical F1 %.4f < 0.80", r.Metrics.F1)
	}
}

func TestArabicGenerated(t *testing.T) {
	d := needData(t)
	ds, err := ArabicDataset(filepath.Join(d, "arabic_names"), GenOptions{Entities: 4000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), ds, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("arabic: %d records %+v comparisons %d in %.2fs", r.Records, r.Metrics, r.Comparisons, r.Seconds)
	for _, th := range []float64{0.5, 0.8, 0.9, 0.99} {
		t.Logf("th %v: %+v", th, metricsAt(r, ds, th))
	}
	if r.Metrics.F1 < 0.95 {
		t.Errorf("arabic F1 %.4f < 0.95", r.Metrics.F1)
	}
}
