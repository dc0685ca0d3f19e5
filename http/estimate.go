package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/mse"
)

// Limits of POST /api/v1/estimate: the body size, the LCMCR sweeps one
// request may ask for (over all chains and strata) and the time it may run.
const (
	EstimateMaxBody   = 4 << 20
	EstimateMaxSweeps = 20_000_000
	EstimateTimeout   = 2 * time.Minute
)

// EstimateRequest is the JSON body of POST /api/v1/estimate: either CSV
// text (as for vigil estimate --table) or lists and rows, each row the 0/1
// memberships followed by the count.
type EstimateRequest struct {
	CSV     string   `json:"csv,omitempty"`
	Lists   []string `json:"lists,omitempty"`
	Rows    [][]int  `json:"rows,omitempty"`
	Methods []string `json:"methods,omitempty"`
	By      []string `json:"by,omitempty"` // stratum columns of the CSV
	Seed    uint64   `json:"seed,omitempty"`
	Chains  int      `json:"chains,omitempty"`
	Samples int      `json:"samples,omitempty"`
	Thin    int      `json:"thin,omitempty"`
	K       int      `json:"k,omitempty"`
}

// RegisterEstimateRoutes adds POST /api/v1/estimate: the body is a
// capture-history table, as CSV (Content-Type text/csv; query parameters
// method, by, seed, chains, samples, thin, k) or JSON (EstimateRequest),
// and the answer the mse.StratifiedReport that vigil estimate --json
// prints. A malformed table is a 400 naming the line and column. The
// table is not stored, so no log-in is needed; bodies over 4 MiB, LCMCR
// runs over 20 M sweeps and runs over two minutes are refused.
func (s *Server) RegisterEstimateRoutes() {
	s.mux.HandleFunc("POST /api/v1/estimate", s.handleEstimate)
}

func (s *Server) handleEstimate(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, EstimateMaxBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			s.Error(w, r, vigil.Errorf(vigil.EINVALID, "body over %d bytes", EstimateMaxBody))
			return
		}
		s.Error(w, r, vigil.Errorf(vigil.EINVALID, "reading body: %v", err))
		return
	}
	req, err := estimateRequest(r, body)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var st *mse.Stratified
	if req.CSV != "" {
		st, err = mse.ReadStratified(strings.NewReader(req.CSV), "table", req.By)
	} else {
		st, err = tableFromRows(req)
	}
	if err != nil {
		var pe *mse.ParseError
		if errors.As(err, &pe) {
			s.Error(w, r, vigil.Errorf(vigil.EINVALID, "%s", pe.Error()))
			return
		}
		s.Error(w, r, vigil.Errorf(vigil.EINVALID, "%v", err))
		return
	}
	for _, m := range req.Methods {
		if !validMethod(m) {
			s.Error(w, r, vigil.Errorf(vigil.EINVALID, "unknown method %q (known: %s)", clip(m), strings.Join(mse.AllMethods, ", ")))
			return
		}
	}
	lo := mse.LCMCROptions{Seed: req.Seed, Chains: req.Chains, Samples: req.Samples, Thin: req.Thin, K: req.K}
	if err := CheckEstimateLimits(st, lo); err != nil {
		s.Error(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), EstimateTimeout)
	defer cancel()
	rep, err := mse.EstimateStrata(ctx, st, mse.Options{Methods: req.Methods, LCMCR: lo})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			s.Error(w, r, vigil.Errorf(vigil.EINVALID, "the estimate took longer than %s: ask for fewer methods or shorter LCMCR runs", EstimateTimeout))
			return
		}
		if ctx.Err() != nil {
			return // client gone
		}
		s.Error(w, r, vigil.Errorf(vigil.EINVALID, "%v", err))
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// CheckEstimateLimits refuses LCMCR options that are negative or too
// large, and runs that would take more than EstimateMaxSweeps sweeps over
// all chains and strata (the web page uses the same limits).
func CheckEstimateLimits(st *mse.Stratified, lo mse.LCMCROptions) error {
	if lo.Chains < 0 || lo.Samples < 0 || lo.Thin < 0 || lo.K < 0 || lo.Chains > 16 || lo.K > 50 {
		return vigil.Errorf(vigil.EINVALID, "chains (at most 16), samples, thin and k (at most 50) must not be negative")
	}
	sweeps := func(v, def int) int {
		if v == 0 {
			return def
		}
		return v
	}
	perChain := 10500 + sweeps(lo.Samples, 1000)*sweeps(lo.Thin, 100)
	strata := len(st.Strata)
	if len(st.By) > 0 {
		strata++
	}
	if total := perChain * sweeps(lo.Chains, 4) * strata; total > EstimateMaxSweeps {
		return vigil.Errorf(vigil.EINVALID, "the LCMCR run would take %d sweeps (over %d strata); at most %d per request: lower samples, thin or chains, or use vigil estimate", total, strata, EstimateMaxSweeps)
	}
	return nil
}

func validMethod(m string) bool {
	for _, k := range mse.AllMethods {
		if k == m {
			return true
		}
	}
	return false
}

// estimateRequest reads the options from a JSON body, or the query of a
// CSV body.
func estimateRequest(r *http.Request, body []byte) (*EstimateRequest, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" || (ct == "" && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))) {
		var req EstimateRequest
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return nil, vigil.Errorf(vigil.EINVALID, "malformed JSON: %v", err)
		}
		if req.CSV == "" && len(req.Lists) == 0 {
			return nil, vigil.Errorf(vigil.EINVALID, `give "csv" or "lists" and "rows"`)
		}
		return &req, nil
	}
	if ct != "" && ct != "text/csv" && ct != "text/plain" {
		return nil, vigil.Errorf(vigil.EINVALID, "Content-Type %q: send text/csv or application/json", clip(ct))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "empty body: send a capture-history table as CSV or JSON")
	}
	q := r.URL.Query()
	req := &EstimateRequest{CSV: string(body)}
	for _, m := range q["method"] {
		req.Methods = append(req.Methods, splitComma(m)...)
	}
	for _, b := range q["by"] {
		req.By = append(req.By, splitComma(b)...)
	}
	for name, dst := range map[string]*int{"chains": &req.Chains, "samples": &req.Samples, "thin": &req.Thin, "k": &req.K} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, vigil.FieldErrorf(vigil.EINVALID, name, "%s: want a whole number, got %q", name, clip(v))
			}
			*dst = n
		}
	}
	if v := q.Get("seed"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, vigil.FieldErrorf(vigil.EINVALID, "seed", "seed: want a whole number, got %q", clip(v))
		}
		req.Seed = n
	}
	return req, nil
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func tableFromRows(req *EstimateRequest) (*mse.Stratified, error) {
	J := len(req.Lists)
	var pats []uint64
	var cnts []int
	for i, row := range req.Rows {
		if len(row) != J+1 {
			return nil, fmt.Errorf("rows[%d]: %d values; want %d memberships and a count", i, len(row), J)
		}
		var p uint64
		for j := 0; j < J; j++ {
			switch row[j] {
			case 1:
				p |= 1 << uint(j)
			case 0:
			default:
				return nil, fmt.Errorf("rows[%d][%d] (%s): list membership must be 0 or 1, got %d", i, j, req.Lists[j], row[j])
			}
		}
		c := row[J]
		if c < 0 {
			return nil, fmt.Errorf("rows[%d]: negative count %d", i, c)
		}
		if p == 0 {
			if c > 0 {
				return nil, fmt.Errorf("rows[%d]: on no list but count %d: people on no list cannot be observed", i, c)
			}
			continue
		}
		pats = append(pats, p)
		cnts = append(cnts, c)
	}
	t, err := mse.NewTable("table", req.Lists, pats, cnts)
	if err != nil {
		return nil, err
	}
	return &mse.Stratified{Lists: req.Lists, Pooled: t, Strata: []mse.Stratum{{Table: t}}}, nil
}
