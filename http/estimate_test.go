package http_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	vhttp "github.com/vigil-rec/vigil/http"
)

func estimateServer(t *testing.T) *httptest.Server {
	t.Helper()
	s := vhttp.NewServer(nil, nil, nil, nil)
	s.RegisterEstimateRoutes()
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

func postEstimate(t *testing.T, url, ctype, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, ctype, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return resp.StatusCode, v
}

const apiCSV = "A,B,C,count\n1,0,0,40\n0,1,0,35\n0,0,1,30\n1,1,0,12\n1,0,1,10\n0,1,1,9\n1,1,1,5\n"

func TestEstimateCSV(t *testing.T) {
	ts := estimateServer(t)
	code, v := postEstimate(t, ts.URL+"/api/v1/estimate?method=loglinear,bma", "text/csv", apiCSV)
	if code != 200 {
		t.Fatalf("status %d: %v", code, v)
	}
	strata := v["strata"].([]any)
	if len(strata) != 1 {
		t.Fatalf("strata: %v", strata)
	}
	st := strata[0].(map[string]any)
	res := st["results"].([]any)
	if st["documented"].(float64) != 141 || len(res) != 2 {
		t.Fatalf("report: %v", st)
	}
	r0 := res[0].(map[string]any)
	for _, k := range []string{"method", "method_name", "model", "total", "undocumented", "interval"} {
		if r0[k] == nil {
			t.Errorf("result lacks %q: %v", k, r0)
		}
	}
}

func TestEstimateJSONRows(t *testing.T) {
	ts := estimateServer(t)
	body := `{"lists":["A","B","C"],"rows":[[1,0,0,40],[0,1,0,35],[0,0,1,30],[1,1,0,12],[1,0,1,10],[0,1,1,9],[1,1,1,5]],"methods":["lcmcr"],"samples":50,"thin":2,"seed":3}`
	code, v := postEstimate(t, ts.URL+"/api/v1/estimate", "application/json", body)
	if code != 200 {
		t.Fatalf("status %d: %v", code, v)
	}
	res := v["strata"].([]any)[0].(map[string]any)["results"].([]any)
	if res[0].(map[string]any)["method"] != "lcmcr" {
		t.Errorf("results: %v", res)
	}
	// Stratified CSV inside JSON.
	code, v = postEstimate(t, ts.URL+"/api/v1/estimate", "application/json", `{"csv":"A,B,C,region,count\n1,0,0,x,4\n0,1,0,x,3\n1,1,0,x,2\n0,0,1,x,3\n1,0,0,y,5\n0,1,1,y,2\n0,0,1,y,3\n1,1,1,y,1\n","by":["region"],"methods":["loglinear"]}`)
	if code != 200 || v["pooled"] == nil || len(v["strata"].([]any)) != 2 {
		t.Errorf("stratified: %d %v", code, v)
	}
}

func TestEstimateErrors(t *testing.T) {
	ts := estimateServer(t)
	for _, c := range []struct {
		name, ctype, body, query, want string
	}{
		{"bad cell", "text/csv", "A,B,C,count\n1,0,0,5\n0,2,1,3\n", "", "line 3, column 2 (B)"},
		{"empty", "text/csv", "", "", "empty body"},
		{"bad method", "text/csv", apiCSV, "?method=magic", "unknown method"},
		{"bad json", "application/json", `{"lists":`, "", "malformed JSON"},
		{"unknown field", "application/json", `{"table":"x"}`, "", "malformed JSON"},
		{"bad row", "application/json", `{"lists":["A","B","C"],"rows":[[1,0,3,4]]}`, "", "rows[0][2] (C)"},
		{"too long", "text/csv", apiCSV, "?method=lcmcr&samples=100000&thin=1000", "at most"},
		{"bad seed", "text/csv", apiCSV, "?seed=x", "seed"},
		{"media type", "application/xml", "<x/>", "", "Content-Type"},
	} {
		code, v := postEstimate(t, ts.URL+"/api/v1/estimate"+c.query, c.ctype, c.body)
		e, _ := v["error"].(map[string]any)
		if code != 400 || e == nil || e["kind"] != "invalid" || !strings.Contains(e["message"].(string), c.want) {
			t.Errorf("%s: status %d, %v; want 400 invalid mentioning %q", c.name, code, v, c.want)
		}
	}
	big := "A,B,C,count\n" + strings.Repeat("1,0,0,1\n", vhttp.EstimateMaxBody/8+10)
	code, v := postEstimate(t, ts.URL+"/api/v1/estimate", "text/csv", big)
	if code != 400 || !strings.Contains(v["error"].(map[string]any)["message"].(string), "body over") {
		t.Errorf("big body: %d %v", code, v)
	}
}
