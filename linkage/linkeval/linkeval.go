// Package linkeval measures record linkage on the benchmarks in
// ../shared/data/linkage (Febrl, historical_50k) and on generated lists of
// Arabic names with known truth. The data are read at run time; nothing
// from them is stored in the repository.
package linkeval

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/vigil-rec/vigil/linkage"
)

// SharedDir returns the shared data folder: $VIGIL_SHARED, else ../shared
// beside the repository root (found by walking up from the working
// directory to the folder holding go.mod).
func SharedDir() string {
	if d := os.Getenv("VIGIL_SHARED"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared")
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return filepath.Join("..", "shared")
}

// LinkageDir returns the linkage benchmark folder, or an error saying where
// it was looked for.
func LinkageDir() (string, error) {
	d := filepath.Join(SharedDir(), "data", "linkage")
	if _, err := os.Stat(d); err != nil {
		return "", fmt.Errorf("linkage benchmarks not found at %s (set VIGIL_SHARED): %w", d, err)
	}
	return d, nil
}

// Dataset is a benchmark ready to link.
type Dataset struct {
	Name      string
	Data      *linkage.Data
	Truth     []string // entity per record
	Settings  linkage.Settings
	Threshold float64 // match probability of a candidate link
	// MinAverage is the mean match probability two groups need to join
	// (average linkage; 0 = linkage.DefaultMinAverage, < 0 = connected
	// components of the candidate links).
	MinAverage float64
	OneToOne   bool
}

// Result is one benchmark's outcome.
type Result struct {
	Name        string                `json:"name"`
	Task        string                `json:"task"` // dedupe or link
	Records     int                   `json:"records"`
	Comparisons int64                 `json:"comparisons"`
	Threshold   float64               `json:"threshold"`
	MinAverage  float64               `json:"min_average,omitempty"`
	Metrics     linkage.Metrics       `json:"metrics"`
	BCubed      linkage.BCubed        `json:"bcubed"`
	Goal        float64               `json:"goal_f1"`
	Met         bool                  `json:"met"`
	Seconds     float64               `json:"seconds"`
	Train       *linkage.TrainReport  `json:"training,omitempty"`
	Rules       []linkage.RuleStat    `json:"rules,omitempty"`
	Params      *linkage.Params       `json:"-"`
	Scorer      *linkage.Scorer       `json:"-"`
	Edges       []linkage.Edge        `json:"-"`
	Labels      []int32               `json:"-"`
	Explanation []linkage.Explanation `json:"-"`
}

// Run trains, predicts, clusters and scores one dataset.
func Run(ctx context.Context, ds *Dataset, goal float64) (*Result, error) {
	start := time.Now()
	p, err := linkage.Train(ctx, ds.Data, ds.Settings)
	if err != nil {
		return nil, fmt.Errorf("%s: train: %w", ds.Name, err)
	}
	sc := linkage.NewScorer(ds.Data, p)
	minW := sc.WeightFor(ds.Threshold)
	edges, st, err := linkage.Predict(ctx, sc, ds.Settings, minW)
	if err != nil {
		return nil, fmt.Errorf("%s: predict: %w", ds.Name, err)
	}
	avg := ds.MinAverage
	if avg == 0 {
		avg = linkage.DefaultMinAverage
	}
	var labels []int32
	if avg > 0 {
		labels = sc.ClusterAverage(edges, minW, avg, linkage.ClusterOptions{OneToOne: ds.OneToOne})
	} else {
		labels = linkage.Cluster(ds.Data, edges, minW, linkage.ClusterOptions{OneToOne: ds.OneToOne})
		avg = 0
	}
	src := make([]int32, ds.Data.Len())
	for i := range src {
		src[i] = int32(ds.Data.Source(i))
	}
	m := linkage.PairMetrics(labels, ds.Truth, src, ds.Settings.Cross)
	task := "dedupe"
	if ds.Settings.Cross {
		task = "link"
	}
	return &Result{Name: ds.Name, Task: task, Records: ds.Data.Len(), Comparisons: st.Comparisons, Threshold: ds.Threshold,
		MinAverage: avg, Metrics: m, BCubed: linkage.BCubedMetrics(labels, ds.Truth), Goal: goal, Met: m.F1 >= goal, Seconds: roundS(time.Since(start)), Train: p.Report, Rules: st.Rules,
		Params: p, Scorer: sc, Edges: edges, Labels: labels}, nil
}

func roundS(d time.Duration) float64 { return float64(d.Milliseconds()) / 1000 }

// readCSV reads a CSV file with a header row, trimming spaces after commas.
func readCSV(path string) ([]string, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.ReuseRecord = false
	head, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		for len(rec) < len(head) {
			rec = append(rec, "")
		}
		rows = append(rows, rec)
	}
	return head, rows, nil
}

func colIndex(head []string, name string) int {
	for i, h := range head {
		if strings.TrimSpace(h) == name {
			return i
		}
	}
	return -1
}

var febrlFields = []linkage.Field{
	{Name: "given_name", Kind: linkage.Name, TF: true},
	{Name: "surname", Kind: linkage.Name, TF: true},
	{Name: "street_number", Kind: linkage.String},
	{Name: "address_1", Kind: linkage.Name},
	{Name: "address_2", Kind: linkage.Name},
	{Name: "suburb", Kind: linkage.Name, TF: true},
	{Name: "postcode", Kind: linkage.String, TF: true},
	{Name: "state", Kind: linkage.Exact},
	{Name: "date_of_birth", Kind: linkage.Date},
	{Name: "soc_sec_id", Kind: linkage.String},
}

var febrlEntity = regexp.MustCompile(`rec-(\d+)-`)

func febrlSettings(cross bool) linkage.Settings {
	return linkage.Settings{
		Fields: febrlFields,
		Blocking: []linkage.Rule{{"given_name"}, {"surname"}, {"date_of_birth"}, {"soc_sec_id"},
			{"given_name~", "surname~"}, {"postcode", "street_number"}},
		Training:      []linkage.Rule{{"date_of_birth"}, {"given_name", "surname"}, {"soc_sec_id"}, {"postcode"}},
		Deterministic: []linkage.Rule{{"given_name", "surname", "date_of_birth"}, {"soc_sec_id", "surname"}},
		Recall:        0.8,
		Cross:         cross,
		Seed:          1,
	}
}

// Febrl loads Febrl files (one file: deduplication; two: linking A to B).
func Febrl(files ...string) (*Dataset, error) {
	b, err := linkage.NewBuilder(febrlFields)
	if err != nil {
		return nil, err
	}
	var truth []string
	for src, path := range files {
		head, rows, err := readCSV(path)
		if err != nil {
			return nil, err
		}
		idx := make([]int, len(febrlFields))
		for i, f := range febrlFields {
			if idx[i] = colIndex(head, f.Name); idx[i] < 0 {
				return nil, fmt.Errorf("%s: no column %s", path, f.Name)
			}
		}
		ric := colIndex(head, "rec_id")
		vals := make([]string, len(idx))
		for _, row := range rows {
			for i, c := range idx {
				vals[i] = row[c]
			}
			if err := b.Add(row[ric], src, vals...); err != nil {
				return nil, err
			}
			ent := ""
			if m := febrlEntity.FindStringSubmatch(row[ric]); m != nil {
				ent = m[1]
			}
			truth = append(truth, ent)
		}
	}
	ds := &Dataset{Name: filepath.Base(files[0]), Data: b.Data(), Truth: truth, Settings: febrlSettings(len(files) > 1), Threshold: linkage.DefaultThreshold}
	if len(files) > 1 {
		ds.OneToOne = true
	}
	return ds, nil
}

var historicalFields = []linkage.Field{
	{Name: "first_name", Kind: linkage.Name, TF: true},
	{Name: "surname", Kind: linkage.Name, TF: true},
	{Name: "full_name", Kind: linkage.TokenSet, Covers: []string{"first_name", "surname"}},
	{Name: "dob", Kind: linkage.Date},
	{Name: "birth_place", Kind: linkage.Name, TF: true},
	{Name: "postcode_fake", Kind: linkage.String, TF: true},
	{Name: "gender", Kind: linkage.Exact},
	{Name: "occupation", Kind: linkage.Exact, TF: true},
}

// Historical loads splink's historical_50k (deduplication; truth in
// "cluster").
func Historical(path string) (*Dataset, error) {
	head, rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	b, err := linkage.NewBuilder(historicalFields)
	if err != nil {
		return nil, err
	}
	idx := make([]int, len(historicalFields))
	for i, f := range historicalFields {
		if idx[i] = colIndex(head, f.Name); idx[i] < 0 {
			return nil, fmt.Errorf("%s: no column %s", path, f.Name)
		}
	}
	uid, cl := colIndex(head, "unique_id"), colIndex(head, "cluster")
	var truth []string
	vals := make([]string, len(idx))
	for _, row := range rows {
		for i, c := range idx {
			vals[i] = row[c]
		}
		if err := b.Add(row[uid], 0, vals...); err != nil {
			return nil, err
		}
		truth = append(truth, row[cl])
	}
	s := linkage.Settings{
		Fields: historicalFields,
		Blocking: []linkage.Rule{{"first_name", "surname"}, {"surname", "dob"}, {"first_name", "dob"},
			{"postcode_fake", "first_name"}, {"first_name~", "surname~"}, {"dob", "birth_place"}, {"surname", "birth_place"}},
		Training:      []linkage.Rule{{"first_name", "surname"}, {"dob"}, {"postcode_fake"}},
		Deterministic: []linkage.Rule{{"first_name", "surname", "dob"}},
		Recall:        0.7,
		Seed:          1,
	}
	return &Dataset{Name: "historical_50k", Data: b.Data(), Truth: truth, Settings: s, Threshold: linkage.DefaultThreshold}, nil
}
