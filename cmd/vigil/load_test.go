package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-rec/vigil/sqlite"
)

// TestLoad runs 200 concurrent clients against vigil serve on loopback
// for VIGIL_LOAD seconds (unset: skipped), each mixing reads (incident
// list and show, document list, victim records) with writes (one in five
// requests: an incident correction, which writes one audit entry). It
// checks zero errors and zero lost writes (audit entries added = writes
// answered 200) and logs p50/p99 latency of reads and writes.
//
//	VIGIL_LOAD=60 go test -run TestLoad -v ./cmd/vigil
func TestLoad(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("VIGIL_LOAD"))
	if secs <= 0 {
		t.Skip("set VIGIL_LOAD=SECONDS to run the load test")
	}
	const clients = 200
	bin := buildBinary(t)
	data, _, token := hostileStore(t)
	base := startServe(t, bin, data)
	auditCount := func() int64 {
		db, err := sqlite.Open(context.Background(), filepath.Join(data, "vigil.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		c, err := db.TableCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return c["audit_log"]
	}
	auditBefore := auditCount()
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	reads := []string{"/api/v1/incidents?limit=20", "/api/v1/incidents/2", "/api/v1/documents?limit=10", "/api/v1/victim-lists/Fictional/records?limit=20", "/api/v1/documents/1/claims"}
	type result struct {
		reads, writes []time.Duration
		errs          []string
	}
	results := make([]result, clients)
	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			res := &results[c]
			for i := 0; time.Now().Before(deadline); i++ {
				var r *http.Request
				write := i%5 == 4
				if write {
					body := fmt.Sprintf(`{"title":"Fictional incident, load %d-%d","reason":"load test"}`, c, i)
					r, _ = http.NewRequest("PATCH", base+"/api/v1/incidents/"+strconv.Itoa(1+c%3), strings.NewReader(body))
					r.Header.Set("Content-Type", "application/json")
				} else {
					r, _ = http.NewRequest("GET", base+reads[(c+i)%len(reads)], nil)
				}
				r.Header.Set("Authorization", "Bearer "+token)
				start := time.Now()
				resp, err := client.Do(r)
				if err != nil {
					res.errs = append(res.errs, err.Error())
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				if resp.StatusCode != 200 {
					res.errs = append(res.errs, fmt.Sprintf("%s %s: %d", r.Method, r.URL.Path, resp.StatusCode))
					continue
				}
				if write {
					res.writes = append(res.writes, d)
				} else {
					res.reads = append(res.reads, d)
				}
			}
		}(c)
	}
	wg.Wait()
	var all, rd, wr []time.Duration
	var errs []string
	for _, r := range results {
		rd = append(rd, r.reads...)
		wr = append(wr, r.writes...)
		errs = append(errs, r.errs...)
	}
	all = append(append(all, rd...), wr...)
	pct := func(ds []time.Duration, p float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[int(p*float64(len(ds)-1))]
	}
	t.Logf("%d clients, %ds: %d requests (%d reads, %d writes), %d errors, %.0f req/s", clients, secs, len(all), len(rd), len(wr), len(errs), float64(len(all))/float64(secs))
	t.Logf("all    p50 %v  p99 %v", pct(all, 0.5), pct(all, 0.99))
	t.Logf("reads  p50 %v  p99 %v", pct(rd, 0.5), pct(rd, 0.99))
	t.Logf("writes p50 %v  p99 %v", pct(wr, 0.5), pct(wr, 0.99))
	if len(errs) > 0 {
		t.Errorf("%d errors, first: %v", len(errs), errs[0])
	}
	if got := auditCount() - auditBefore; got != int64(len(wr)) {
		t.Errorf("%d writes answered 200, %d audit entries added: writes lost", len(wr), got)
	}
	if out, err := runVerify(bin, data); err != nil {
		t.Errorf("verify after load: %v %s", err, out)
	}
}

func runVerify(bin, data string) ([]byte, error) {
	return exec.Command(bin, "--data", data, "verify").CombinedOutput()
}
