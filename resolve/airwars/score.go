package airwars

// Scoring of a clustering against gold labels where an item may carry
// several labels (a text Airwars cites for two incidents) and sit in several
// clusters (a text whose events vigil placed in two incidents). An item with
// no cluster counts as a singleton.

func itemClusters(it Item) []int64 {
	if len(it.Incidents) == 0 {
		return []int64{-int64(it.Index) - 1}
	}
	return it.Incidents
}

func intersect[T comparable](a, b []T) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				n++
				break
			}
		}
	}
	return n
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Pairwise scores pairs of items: a pair is predicted together when the two
// share a cluster and truly together when they share a label.
func Pairwise(items []Item) Score { return pairwise(items, false) }

// PairwiseWithLinks is Pairwise where a pair is also predicted together
// when one's cluster is linked to the other's as a possible duplicate: what
// a reviewer who accepts every proposed link would get.
func PairwiseWithLinks(items []Item) Score { return pairwise(items, true) }

func together(a, b Item, links bool) bool {
	ca, cb := itemClusters(a), itemClusters(b)
	if intersect(ca, cb) > 0 {
		return true
	}
	return links && (intersect(a.Linked, cb) > 0 || intersect(b.Linked, ca) > 0)
}

// PairErrors counts the pairs vigil gets wrong: merged pairs are together
// in vigil but not in the gold; split pairs are together in the gold but
// not in vigil, because one text gave no claim, or their incidents are
// linked as possible duplicates, or neither.
type PairErrors struct {
	Merged        int `json:"merged"`
	Split         int `json:"split"`
	SplitNoClaim  int `json:"split_no_claim"`
	SplitLinked   int `json:"split_linked"`
	SplitUnlinked int `json:"split_unlinked"`
	GoldPairs     int `json:"gold_pairs"`
}

// CountPairErrors classifies the wrong pairs of items.
func CountPairErrors(items []Item) PairErrors {
	var e PairErrors
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			pred := together(items[i], items[j], false)
			gold := intersect(items[i].Codes, items[j].Codes) > 0
			if gold {
				e.GoldPairs++
			}
			switch {
			case pred && !gold:
				e.Merged++
			case gold && !pred:
				e.Split++
				switch {
				case len(items[i].Incidents) == 0 || len(items[j].Incidents) == 0:
					e.SplitNoClaim++
				case together(items[i], items[j], true):
					e.SplitLinked++
				default:
					e.SplitUnlinked++
				}
			}
		}
	}
	return e
}

func pairwise(items []Item, links bool) Score {
	var tp, fp, fn int
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			pred := together(items[i], items[j], links)
			gold := intersect(items[i].Codes, items[j].Codes) > 0
			switch {
			case pred && gold:
				tp++
			case pred:
				fp++
			case gold:
				fn++
			}
		}
	}
	var s Score
	if tp+fp > 0 {
		s.Precision = float64(tp) / float64(tp+fp)
	} else {
		s.Precision = 1
	}
	if tp+fn > 0 {
		s.Recall = float64(tp) / float64(tp+fn)
	} else {
		s.Recall = 1
	}
	s.F1 = f1(s.Precision, s.Recall)
	s.Precision, s.Recall, s.F1 = round3(s.Precision), round3(s.Recall), round3(s.F1)
	return s
}

// BCubed is extended B-cubed (Amigó et al. 2009) for overlapping clusters:
// for each item, the average over the items it shares a cluster with of
// min(shared clusters, shared labels) / shared clusters, and symmetrically
// for recall.
func BCubed(items []Item) Score {
	var psum, rsum float64
	var pn, rn int
	for i := range items {
		ci := itemClusters(items[i])
		var p, r float64
		var np, nr int
		for j := range items {
			cj := itemClusters(items[j])
			sc := intersect(ci, cj)
			sl := intersect(items[i].Codes, items[j].Codes)
			if i == j {
				sc, sl = len(ci), len(items[i].Codes)
			}
			if sc > 0 {
				p += float64(min(sc, sl)) / float64(sc)
				np++
			}
			if sl > 0 {
				r += float64(min(sc, sl)) / float64(sl)
				nr++
			}
		}
		if np > 0 {
			psum += p / float64(np)
			pn++
		}
		if nr > 0 {
			rsum += r / float64(nr)
			rn++
		}
	}
	var s Score
	if pn > 0 {
		s.Precision = psum / float64(pn)
	}
	if rn > 0 {
		s.Recall = rsum / float64(rn)
	}
	s.F1 = f1(s.Precision, s.Recall)
	s.Precision, s.Recall, s.F1 = round3(s.Precision), round3(s.Recall), round3(s.F1)
	return s
}
