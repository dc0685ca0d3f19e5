package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A fictional 3-list table with a stratum column.
const estimateCSV = `A,B,C,stratum,count
1,0,0,north,40
0,1,0,north,35
0,0,1,north,30
1,1,0,north,12
1,0,1,north,10
0,1,1,north,9
1,1,1,north,5
1,0,0,south,20
0,1,0,south,18
0,0,1,south,15
1,1,0,south,6
1,0,1,south,5
0,1,1,south,4
1,1,1,south,3
`

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEstimateTableText(t *testing.T) {
	p := writeFile(t, "t.csv", estimateCSV)
	svg := filepath.Join(t.TempDir(), "post.svg")
	code, out, errOut := runCLI(t, t.TempDir(), "estimate", "--table", p, "--method", "loglinear,bma,lcmcr", "--samples", "100", "--thin", "5", "--burnin", "200", "--plot", svg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"All strata together", "Stratum stratum=north", "Stratum stratum=south", "Documented: 212", "Documented: 141", "loglinear", "bma", "lcmcr", "95% interval", "Sum over the 2 strata", "Plot written to"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(svg)
	if err != nil || !strings.HasPrefix(string(b), "<svg") || !strings.Contains(string(b), "stratum=south") {
		t.Errorf("plot: %v %.80s", err, b)
	}
	if strings.Contains(errOut, "[") {
		t.Errorf("progress bar drawn on a non-terminal: %q", errOut)
	}
}

func TestEstimateTableJSON(t *testing.T) {
	p := writeFile(t, "t.csv", estimateCSV)
	code, out, errOut := runCLI(t, t.TempDir(), "estimate", "--table", p, "--method", "loglinear,closedp", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Source string   `json:"source"`
		By     []string `json:"by"`
		Lists  []string `json:"lists"`
		Pooled struct {
			Key        string `json:"key"`
			Documented int    `json:"documented"`
			Results    []struct {
				Method       string   `json:"method"`
				MethodName   string   `json:"method_name"`
				Model        string   `json:"model"`
				Documented   int      `json:"documented"`
				Total        *float64 `json:"total"`
				Undocumented *float64 `json:"undocumented"`
				Interval     *struct {
					Lower, Upper float64
					Kind         string
				} `json:"interval"`
			} `json:"results"`
		} `json:"pooled"`
		Strata []struct {
			Key    string            `json:"key"`
			Values map[string]string `json:"values"`
		} `json:"strata"`
		SumOfStrata []struct {
			Method string  `json:"method"`
			Total  float64 `json:"total"`
		} `json:"sum_of_strata"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Pooled.Key != "all" || rep.Pooled.Documented != 212 || len(rep.Strata) != 2 || rep.Strata[1].Values["stratum"] != "south" || len(rep.Lists) != 3 || len(rep.By) != 1 {
		t.Errorf("unexpected shape: %+v", rep)
	}
	if len(rep.Pooled.Results) < 2 || rep.Pooled.Results[0].Method != "loglinear" || rep.Pooled.Results[0].Total == nil ||
		rep.Pooled.Results[0].Interval == nil || rep.Pooled.Results[0].Model == "" || rep.Pooled.Results[0].Documented != 212 {
		t.Errorf("unexpected results: %+v", rep.Pooled.Results)
	}
	if len(rep.SumOfStrata) == 0 {
		t.Error("no sum over strata")
	}
}

func TestEstimateErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, "bad.csv", "A,B,C,count\n1,0,0,5\n0,2,1,3\n")
	code, _, errOut := runCLI(t, dir, "estimate", "--table", bad)
	if code != 1 || !strings.Contains(errOut, "bad.csv: line 3, column 2 (B)") || !strings.Contains(errOut, "0 or 1") {
		t.Errorf("malformed table: exit %d, %q", code, errOut)
	}
	badCount := writeFile(t, "c.csv", "A,B,C,count\n1,0,0,x\n")
	if code, _, errOut := runCLI(t, dir, "estimate", "--table", badCount); code != 1 || !strings.Contains(errOut, "line 2, column 4 (count)") {
		t.Errorf("bad count: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, dir, "estimate", "--table", filepath.Join(dir, "missing.csv")); code != 1 || !strings.Contains(errOut, "missing.csv") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
	good := writeFile(t, "g.csv", estimateCSV)
	if code, _, errOut := runCLI(t, dir, "estimate", "--table", good, "--method", "magic"); code != 2 || !strings.Contains(errOut, `unknown method "magic"`) {
		t.Errorf("unknown method: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, dir, "estimate", "--table", good, "--by", "region"); code != 1 || !strings.Contains(errOut, `no column named "region"`) {
		t.Errorf("unknown stratum column: exit %d, %q", code, errOut)
	}
	if code, _, _ := runCLI(t, dir, "estimate", "--table", good, "--plot", "x.png"); code != 2 {
		t.Errorf("--plot x.png: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, dir, "estimate", "--by", "colour"); code != 2 {
		t.Errorf("--by colour over the store: exit %d, want 2", code)
	}
	// An empty store has no linked persons: a job failure with advice.
	if code, _, errOut := runCLI(t, dir, "estimate"); code != 1 || !strings.Contains(errOut, "no linked persons") {
		t.Errorf("empty store: exit %d, %q", code, errOut)
	}
	// Two usable lists only: not estimable by 3-list methods, but two-list
	// estimators run.
	two := writeFile(t, "two.csv", "A,B,C,count\n1,0,0,30\n0,1,0,20\n1,1,0,10\n")
	code, out, errOut := runCLI(t, dir, "estimate", "--table", two)
	if code != 0 || !strings.Contains(out, "Not estimable") || !strings.Contains(out, "chapman") || !strings.Contains(out, "dropped C") {
		t.Errorf("two lists: exit %d\n%s\n%s", code, out, errOut)
	}
}
