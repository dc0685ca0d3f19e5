package mse

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// sharedMSEDir finds ../shared/data/mse: $VIGIL_SHARED/data/mse when the
// variable is set, otherwise the first shared/data/mse found walking up
// from the working directory.
func sharedMSEDir() (string, error) {
	if s := os.Getenv("VIGIL_SHARED"); s != "" {
		d := filepath.Join(s, "data", "mse")
		_, err := os.Stat(d)
		return d, err
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		d := filepath.Join(dir, "shared", "data", "mse")
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, nil
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return filepath.Join(wd, "..", "..", "shared", "data", "mse"), os.ErrNotExist
}

// sharedPath returns the path of a file under shared/data/mse, or skips.
func sharedPath(tb testing.TB, rel string) string {
	tb.Helper()
	d, err := sharedMSEDir()
	if err != nil {
		tb.Skipf("shared data not found at %s: %v (set VIGIL_SHARED)", d, err)
	}
	p := filepath.Join(d, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data not found at %s: %v", p, err)
	}
	return p
}

// loadTable reads a shared capture-history CSV.
func loadTable(tb testing.TB, file string) *Table {
	tb.Helper()
	f, err := os.Open(sharedPath(tb, file))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	t, err := ReadTable(f, file)
	if err != nil {
		tb.Fatalf("ReadTable(%s): %v", file, err)
	}
	return t
}

// peerCSV reads a peer-output CSV into rows of column name -> value.
func peerCSV(tb testing.TB, file string) []map[string]string {
	tb.Helper()
	f, err := os.Open(sharedPath(tb, filepath.Join("peer_outputs", file)))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func atof(tb testing.TB, s string) float64 {
	tb.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		tb.Fatalf("bad number %q: %v", s, err)
	}
	return v
}
