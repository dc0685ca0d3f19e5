package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/export"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/review"
	"github.com/vigil-rec/vigil/sqlite"
	"github.com/vigil-rec/vigil/web"
	"github.com/vigil-rec/vigil/web/webtest"
)

// benchN is how many generated incidents the benchmarks load
// (VIGIL_BENCH_N, default 100,000).
func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

type bigEnv struct {
	db      *sqlite.DB
	svc     *review.Service
	handler http.Handler // the whole server: API, exports and pages
	index   *web.Index
	pubID   int64 // a published incident deep in the list
	viewer  *vigil.User
	n       int
}

var (
	bigOnce sync.Once
	big     *bigEnv
	bigErr  error
)

// bigStore opens (generating it the first time, then reusing it from the
// temporary directory) a store of benchN() fictional incidents, seed 1.
func bigStore(tb testing.TB) *bigEnv {
	tb.Helper()
	bigOnce.Do(func() {
		ctx := context.Background()
		n := benchN()
		dir := filepath.Join(os.TempDir(), "vigil-bench", fmt.Sprintf("%d-seed1", n))
		done := filepath.Join(dir, "complete")
		if _, err := os.Stat(done); err != nil {
			os.RemoveAll(dir)
			os.MkdirAll(dir, 0o755)
			db, err := sqlite.Open(ctx, filepath.Join(dir, "vigil.db"))
			if err != nil {
				bigErr = err
				return
			}
			start := time.Now()
			if err := webtest.GenerateInto(ctx, db, webtest.GenOptions{N: n, Seed: 1}); err != nil {
				bigErr = err
				return
			}
			db.Close()
			fmt.Fprintf(os.Stderr, "generated %d incidents in %s (%s)\n", n, time.Since(start).Round(time.Millisecond), dir)
			os.WriteFile(done, nil, 0o644)
		}
		db, err := sqlite.Open(ctx, filepath.Join(dir, "vigil.db"))
		if err != nil {
			bigErr = err
			return
		}
		svc := &review.Service{Store: db}
		s := vhttp.NewServer(db, db, nil, nil)
		s.Incidents = svc
		h, err := web.New(svc, db, nil, nil)
		if err != nil {
			bigErr = err
			return
		}
		h.Register(s)
		s.RegisterExportRoutes(h.Index)
		start := time.Now()
		if err := h.Index.Build(ctx); err != nil {
			bigErr = err
			return
		}
		fmt.Fprintf(os.Stderr, "index of %d incidents built in %s\n", h.Index.Len(), time.Since(start).Round(time.Millisecond))
		ids, err := h.Index.MatchingIDs(ctx, vigil.IncidentFilter{PublishedOnly: true})
		if err != nil || len(ids) == 0 {
			bigErr = fmt.Errorf("no published incident: %v", err)
			return
		}
		big = &bigEnv{db: db, svc: svc, handler: s, index: h.Index, pubID: ids[len(ids)/2], viewer: &vigil.User{Username: "bench", Role: vigil.RoleViewer}, n: n}
	})
	if bigErr != nil {
		tb.Fatal(bigErr)
	}
	return big
}

// serve runs one request through the server and returns its status.
func (e *bigEnv) serve(tb testing.TB, path string) int {
	path = strings.ReplaceAll(path, "{published}", strconv.FormatInt(e.pubID, 10))
	req := httptest.NewRequest("GET", path, nil)
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		tb.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
	return rec.Code
}

// calls are the requests measured, as the public sees them (published
// incidents, about half of the generated ones).
var calls = []struct{ name, path string }{
	{"api-list", "/api/v1/incidents"},
	{"api-list-page-100", "/api/v1/incidents?offset=5000"},
	{"api-filter-gov-type-dates", "/api/v1/incidents?governorate=SY02&type=air_strike&from=2014-01-01&to=2016-12-31"},
	{"api-filter-perpetrator-children", "/api/v1/incidents?perpetrator=russia&children=1"},
	{"api-filter-pcode-grade", "/api/v1/incidents?pcode=SY07&grade=confirmed"},
	{"aggregate-month", "/api/v1/aggregate/incidents?by=month"},
	{"aggregate-week-filtered", "/api/v1/aggregate/incidents?by=week&governorate=SY02&from=2015-01-01&to=2016-01-01"},
	{"aggregate-perpetrator", "/api/v1/aggregate/incidents?by=perpetrator"},
	{"aggregate-governorate", "/api/v1/aggregate/incidents?by=governorate&type=shelling"},
	{"map-points-filtered", "/api/v1/map/incidents?governorate=SY04"},
	{"page-list", "/incidents"},
	{"page-list-filtered", "/incidents?governorate=SY02&type=air_strike&from=2014-01-01"},
	{"page-list-deep", "/incidents?offset=20000"},
	{"page-incident", "/incidents/{published}"},
}

func BenchmarkCalls(b *testing.B) {
	e := bigStore(b)
	for _, c := range calls {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				e.serve(b, c.path)
			}
		})
	}
}

// countingWriter counts bytes and discards them. With sample set, it
// measures the live heap (after a collection) every 2 MB written.
type countingWriter struct {
	n, next    int64
	sample     bool
	base, peak uint64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	if w.sample && w.n >= w.next {
		w.next = w.n + 2<<20
		w.peak = max(w.peak, liveHeap())
	}
	return len(p), nil
}

// liveHeap returns the bytes of live objects after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkExportCSV streams every published incident as CSV, as the
// public, through the service with its fixed page size (ids from the index).
func BenchmarkExportCSV(b *testing.B) {
	e := bigStore(b)
	fm, _ := export.ByName("csv")
	for b.Loop() {
		w := &countingWriter{}
		if err := export.Write(context.Background(), w, e.svc, nil, vigil.IncidentFilter{}, fm, export.WithIDs(e.index)); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.n)/1e6, "MB")
	}
}

// TestSpeed measures the p95 server time of each call over 100 requests
// and the 100k CSV export, and checks them against issue 5's limits. It
// runs only with VIGIL_SPEED=1 (it generates 100,000 incidents the first
// time, which takes minutes): VIGIL_SPEED=1 go test -run TestSpeed -v ./web/
func TestSpeed(t *testing.T) {
	if os.Getenv("VIGIL_SPEED") == "" {
		t.Skip("speed test skipped: set VIGIL_SPEED=1 (see docs/web.md)")
	}
	e := bigStore(t)
	for _, c := range calls {
		limit := 100 * time.Millisecond
		if c.path[:4] != "/api" {
			limit = 300 * time.Millisecond
		}
		var ds []time.Duration
		for range 100 {
			start := time.Now()
			e.serve(t, c.path)
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		p50, p95 := ds[49], ds[94]
		t.Logf("%-34s p50 %7.1f ms  p95 %7.1f ms  (limit %s)", c.name, ms(p50), ms(p95), limit)
		if p95 > limit {
			t.Errorf("%s: p95 %s over %s", c.name, p95, limit)
		}
	}
	fm, _ := export.ByName("csv")
	for _, run := range []struct {
		name string
		user *vigil.User
		opts []export.Option
	}{
		{"public, ids from the index", nil, []export.Option{export.WithIDs(e.index)}},
		{"viewer, ids from the index", e.viewer, []export.Option{export.WithIDs(e.index)}},
		{"viewer, offset paging", e.viewer, nil},
	} {
		w := &countingWriter{}
		start := time.Now()
		if err := export.Write(context.Background(), w, e.svc, run.user, vigil.IncidentFilter{}, fm, run.opts...); err != nil {
			t.Fatal(err)
		}
		d := time.Since(start)
		// Again, measuring the live heap every 2 MB written.
		m := &countingWriter{sample: true, base: liveHeap()}
		if err := export.Write(context.Background(), m, e.svc, run.user, vigil.IncidentFilter{}, fm, run.opts...); err != nil {
			t.Fatal(err)
		}
		t.Logf("export-csv %-28s %6.2f s  %5.1f MB  live heap before %.1f MiB, at most +%.2f MiB while streaming", run.name, d.Seconds(), float64(w.n)/1e6, float64(m.base)/(1<<20), float64(m.peak-min(m.peak, m.base))/(1<<20))
		if d > 10*time.Second {
			t.Errorf("CSV export (%s) took %s", run.name, d)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
