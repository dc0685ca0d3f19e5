package mse

import (
	"math"
	"testing"
)

// A7: the two-list formulas on pairs of Kosovo lists, against
// peer_outputs/two_list_kosovo_pairs.csv (exact to the printed digits).
func TestTwoListKosovoPairs(t *testing.T) {
	tb := loadTable(t, "kosovo_1999_4lists.csv")
	idx := map[string]int{}
	for j, l := range tb.Lists {
		idx[l] = j
	}
	rows := peerCSV(t, "two_list_kosovo_pairs.csv")
	if len(rows) == 0 {
		t.Fatal("no peer rows")
	}
	for _, row := range rows {
		r, err := TwoList(tb, idx[row["list1"]], idx[row["list2"]])
		if err != nil {
			t.Fatal(err)
		}
		if r.N11 != int(atof(t, row["n11"])) || r.N10 != int(atof(t, row["n10"])) || r.N01 != int(atof(t, row["n01"])) {
			t.Errorf("%s×%s counts %d/%d/%d, peer %s/%s/%s", row["list1"], row["list2"], r.N11, r.N10, r.N01, row["n11"], row["n10"], row["n01"])
		}
		check := func(name string, got float64, col string) {
			want := atof(t, row[col])
			if math.Abs(got-want) > 0.0015 {
				t.Errorf("%s×%s %s = %.4f, peer %.3f", row["list1"], row["list2"], name, got, want)
			}
		}
		check("Lincoln-Petersen", r.LincolnPetersen, "lincoln_petersen")
		check("Chapman", r.Chapman, "chapman")
		check("Chapman SE", r.ChapmanSE, "chapman_se")
		check("LP = Rcapture Mt", r.LincolnPetersen, "rcapture_Mt")
		if math.Abs(r.LincolnPetersenSE-atof(t, row["rcapture_Mt_se"])) > 0.01 {
			t.Errorf("%s×%s LP SE %.3f, Rcapture Mt SE %s", row["list1"], row["list2"], r.LincolnPetersenSE, row["rcapture_Mt_se"])
		}
	}
}

func TestTwoListNoOverlap(t *testing.T) {
	r := TwoListCounts(0, 10, 12)
	if !math.IsInf(r.LincolnPetersen, 1) || math.IsInf(r.Chapman, 0) {
		t.Errorf("no overlap: LP %v Chapman %v", r.LincolnPetersen, r.Chapman)
	}
}
