package linkage

import (
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"sync/atomic"
	"time"
)

// Edge is a scored pair of records.
type Edge struct {
	A, B int32
	W    float32 // match weight, prior excluded
}

// PredictStats reports a prediction run.
type PredictStats struct {
	Rules       []RuleStat    `json:"rules"`
	Comparisons int64         `json:"comparisons"` // pairs scored
	Kept        int           `json:"kept"`        // pairs at or above the minimum weight
	Elapsed     time.Duration `json:"elapsed_ns"`
}

// Predict scores every pair of the union of s.Blocking and returns those
// whose match weight is at least minWeight.
func Predict(ctx context.Context, sc *Scorer, s Settings, minWeight float32) ([]Edge, PredictStats, error) {
	s.defaults()
	start := time.Now()
	b, err := newBlocking(sc.d, s.Blocking, s.Cross, s.MaxBlock)
	if err != nil {
		return nil, PredictStats{}, err
	}
	st := PredictStats{Rules: b.stats}
	total := b.total()
	s.progress("predict", 0, total)
	out := make([][]Edge, s.Workers)
	cnt := make([]int64, s.Workers*8) // padded against false sharing
	err = b.run(ctx, s.Workers, func(w int, i, j int32) {
		cnt[w*8]++
		if wt := sc.Weight(i, j); wt >= minWeight {
			out[w] = append(out[w], Edge{i, j, wt})
		}
	}, func(done int64) { s.progress("predict", done, total) })
	if err != nil {
		return nil, st, err
	}
	var edges []Edge
	for w := range out {
		edges = append(edges, out[w]...)
		st.Comparisons += cnt[w*8]
	}
	// deterministic order whatever the scheduling
	slices.SortFunc(edges, func(x, y Edge) int {
		if x.A != y.A {
			return int(x.A - y.A)
		}
		return int(x.B - y.B)
	})
	st.Kept = len(edges)
	st.Elapsed = time.Since(start)
	return edges, st, nil
}

// ClusterOptions constrain clustering.
type ClusterOptions struct {
	// OneToOne allows at most one record per source in a cluster (for
	// sources free of duplicates): edges are taken strongest first and an
	// edge that would put two records of one source together is dropped.
	OneToOne bool
	// Must are pairs a reviewer decided match: always joined.
	Must [][2]int32
	// Cannot are pairs a reviewer decided do not match: never in one
	// cluster.
	Cannot [][2]int32
}

// Cluster groups n records into clusters: connected components of the
// edges with weight >= minWeight (plus Must pairs), under the options'
// constraints. It returns a cluster label per record (labels are the
// smallest record index of each cluster).
func Cluster(d *Data, edges []Edge, minWeight float32, opt ClusterOptions) []int32 {
	n := d.n
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	var find func(x int32) int32
	find = func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	constrained := opt.OneToOne || len(opt.Cannot) > 0
	var sources map[int32][]int32 // root → sorted sources
	var cannot map[int32][]int32  // root → records it must not join
	if opt.OneToOne {
		sources = map[int32][]int32{}
	}
	if len(opt.Cannot) > 0 {
		cannot = map[int32][]int32{}
		for _, c := range opt.Cannot {
			cannot[c[0]] = append(cannot[c[0]], c[1])
			cannot[c[1]] = append(cannot[c[1]], c[0])
		}
	}
	srcOf := func(r int32) []int32 {
		if s, ok := sources[r]; ok {
			return s
		}
		return []int32{d.source[r]}
	}
	union := func(a, b int32) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if constrained {
			if opt.OneToOne {
				sa, sb := srcOf(ra), srcOf(rb)
				for _, x := range sa {
					if _, ok := slices.BinarySearch(sb, x); ok {
						return
					}
				}
			}
			for _, x := range cannot[ra] {
				if find(x) == rb {
					return
				}
			}
			for _, x := range cannot[rb] {
				if find(x) == ra {
					return
				}
			}
		}
		if ra > rb {
			ra, rb = rb, ra
		}
		if constrained {
			if opt.OneToOne {
				merged := append(append([]int32(nil), srcOf(ra)...), srcOf(rb)...)
				slices.Sort(merged)
				sources[ra] = merged
				delete(sources, rb)
			}
			if cannot != nil && len(cannot[rb]) > 0 {
				cannot[ra] = append(cannot[ra], cannot[rb]...)
				delete(cannot, rb)
			}
		}
		parent[rb] = ra
	}
	for _, m := range opt.Must {
		union(m[0], m[1])
	}
	if constrained {
		sel := make([]Edge, 0, len(edges))
		for _, e := range edges {
			if e.W >= minWeight {
				sel = append(sel, e)
			}
		}
		sort.SliceStable(sel, func(i, j int) bool { return sel[i].W > sel[j].W })
		edges = sel
	}
	for _, e := range edges {
		if e.W >= minWeight {
			union(e.A, e.B)
		}
	}
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = find(int32(i))
	}
	return labels
}

// StableIDs names clusters so that ids survive re-linking. prev[i] is the
// id record i had before ("" for a new record). Clusters are taken largest
// first; each takes the previous id most of its records had, unless a
// larger cluster took it already; the rest get fresh ids from next.
func StableIDs(labels []int32, prev []string, next func() string) []string {
	members := map[int32][]int32{}
	for i, l := range labels {
		members[l] = append(members[l], int32(i))
	}
	order := make([]int32, 0, len(members))
	for l := range members {
		order = append(order, l)
	}
	sort.Slice(order, func(a, b int) bool {
		ma, mb := members[order[a]], members[order[b]]
		if len(ma) != len(mb) {
			return len(ma) > len(mb)
		}
		return order[a] < order[b]
	})
	taken := map[string]bool{}
	ids := make([]string, len(labels))
	for _, l := range order {
		votes := map[string]int{}
		for _, i := range members[l] {
			if i < int32(len(prev)) && prev[i] != "" {
				votes[prev[i]]++
			}
		}
		best, bestN := "", 0
		for id, n := range votes {
			if taken[id] {
				continue
			}
			if n > bestN || (n == bestN && id < best) {
				best, bestN = id, n
			}
		}
		if best == "" {
			best = next()
		}
		taken[best] = true
		for _, i := range members[l] {
			ids[i] = best
		}
	}
	return ids
}

// Counter returns a function giving "P" + 1, 2, 3, ... after the largest
// numbered id among existing ones.
func Counter(prefix string, existing []string) func() string {
	var max int64
	for _, id := range existing {
		if len(id) > len(prefix) && id[:len(prefix)] == prefix {
			if n, err := strconv.ParseInt(id[len(prefix):], 10, 64); err == nil && n > max {
				max = n
			}
		}
	}
	var c atomic.Int64
	c.Store(max)
	return func() string { return prefix + strconv.FormatInt(c.Add(1), 10) }
}

// Metrics are pairwise precision, recall and F1.
type Metrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	TruePos   int64   `json:"true_positives"`
	Predicted int64   `json:"predicted_pairs"`
	Truth     int64   `json:"true_pairs"`
}

// PairMetrics compares the pairs implied by predicted clusters with those
// implied by the true entities. With cross set only pairs of records from
// different sources count (linking).
func PairMetrics(pred []int32, truth []string, source []int32, cross bool) Metrics {
	type key struct {
		p int32
		t string
	}
	pairs := func(groups map[any]map[int32]int64) int64 {
		var total int64
		for _, bySrc := range groups {
			var n, same int64
			for _, c := range bySrc {
				n += c
				same += c * c
			}
			if cross {
				total += (n*n - same) / 2
			} else {
				total += n * (n - 1) / 2
			}
		}
		return total
	}
	gp := map[any]map[int32]int64{}
	gt := map[any]map[int32]int64{}
	gb := map[any]map[int32]int64{}
	add := func(g map[any]map[int32]int64, k any, s int32) {
		m := g[k]
		if m == nil {
			m = map[int32]int64{}
			g[k] = m
		}
		m[s]++
	}
	for i := range pred {
		var s int32
		if source != nil {
			s = source[i]
		}
		if !cross {
			s = 0
		}
		add(gp, pred[i], s)
		if truth[i] != "" {
			add(gt, truth[i], s)
			add(gb, key{pred[i], truth[i]}, s)
		}
	}
	m := Metrics{Predicted: pairs(gp), Truth: pairs(gt), TruePos: pairs(gb)}
	if m.Predicted > 0 {
		m.Precision = float64(m.TruePos) / float64(m.Predicted)
	}
	if m.Truth > 0 {
		m.Recall = float64(m.TruePos) / float64(m.Truth)
	}
	if m.Precision+m.Recall > 0 {
		m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
	}
	m.Precision = round4(m.Precision)
	m.Recall = round4(m.Recall)
	m.F1 = round4(m.F1)
	return m
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// BCubed are cluster metrics: the mean over records of the share of its
// predicted cluster that truly belongs with it (precision) and of its true
// entity that its predicted cluster holds (recall). Records without a true
// entity ("") are left out.
type BCubed struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// BCubedMetrics computes B-cubed precision, recall and F1.
func BCubedMetrics(pred []int32, truth []string) BCubed {
	type key struct {
		p int32
		t string
	}
	cp := map[int32]int{}
	ct := map[string]int{}
	cb := map[key]int{}
	for i, t := range truth {
		if t == "" {
			continue
		}
		cp[pred[i]]++
		ct[t]++
		cb[key{pred[i], t}]++
	}
	var p, r float64
	var n int
	for i, t := range truth {
		if t == "" {
			continue
		}
		both := float64(cb[key{pred[i], t}])
		p += both / float64(cp[pred[i]])
		r += both / float64(ct[t])
		n++
	}
	var b BCubed
	if n > 0 {
		b.Precision, b.Recall = p/float64(n), r/float64(n)
	}
	if b.Precision+b.Recall > 0 {
		b.F1 = 2 * b.Precision * b.Recall / (b.Precision + b.Recall)
	}
	b.Precision, b.Recall, b.F1 = round4(b.Precision), round4(b.Recall), round4(b.F1)
	return b
}
