package linkage

import (
	"container/heap"
	"slices"
)

// Default clustering settings, measured to hold together on Febrl,
// historical_50k and generated Arabic lists (docs/linkage.md): a pair is a
// candidate link at match probability DefaultThreshold, and two groups of
// records join when the mean match probability over all pairs across them
// is at least DefaultMinAverage.
const (
	DefaultThreshold  = 0.8
	DefaultMinAverage = 0.3
)

// ClusterAverage groups records by average linkage: starting from single
// records, it repeatedly merges the two clusters whose mean pairwise match
// probability is highest, as long as that mean is at least minProb. Only
// clusters joined by at least one edge of weight >= minWeight are
// candidates; pairs across two candidate clusters that blocking did not
// produce are scored on the spot, so the mean covers every pair. A weak
// link between two groups therefore no longer chains them together, as it
// does with connected components: the groups join only when their records
// agree on the whole.
//
// The options' constraints hold as in Cluster: Must pairs are joined first
// whatever their score, a merge that would put two records of one source
// together (OneToOne) or join a Cannot pair is skipped. Labels are the
// smallest record index of each cluster.
func (s *Scorer) ClusterAverage(edges []Edge, minWeight float32, minProb float64, opt ClusterOptions) []int32 {
	d := s.d
	n := d.n
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	members := map[int32][]int32{} // root → members, only for clusters of 2 or more
	mem := func(r int32, buf *[1]int32) []int32 {
		if m, ok := members[r]; ok {
			return m
		}
		buf[0] = r
		return buf[:]
	}
	ver := make([]uint32, n)

	// adjacency of candidate edges (CSR)
	deg := make([]int32, n+1)
	var sel []Edge
	for _, e := range edges {
		if e.W >= minWeight && e.A != e.B {
			sel = append(sel, e)
			deg[e.A+1]++
			deg[e.B+1]++
		}
	}
	for i := 1; i <= n; i++ {
		deg[i] += deg[i-1]
	}
	adj := make([]int32, deg[n])
	fill := slices.Clone(deg[:n])
	for _, e := range sel {
		adj[fill[e.A]] = e.B
		fill[e.A]++
		adj[fill[e.B]] = e.A
		fill[e.B]++
	}

	var cannot map[int32][]int32
	if len(opt.Cannot) > 0 {
		cannot = map[int32][]int32{}
		for _, c := range opt.Cannot {
			cannot[c[0]] = append(cannot[c[0]], c[1])
			cannot[c[1]] = append(cannot[c[1]], c[0])
		}
	}
	allowed := func(ra, rb int32) bool {
		var ba, bb [1]int32
		ma, mb := mem(ra, &ba), mem(rb, &bb)
		if opt.OneToOne {
			for _, x := range ma {
				for _, y := range mb {
					if d.source[x] == d.source[y] {
						return false
					}
				}
			}
		}
		if cannot != nil {
			for _, x := range ma {
				for _, y := range cannot[x] {
					if find(y) == rb {
						return false
					}
				}
			}
		}
		return true
	}
	merge := func(ra, rb int32) int32 {
		if ra > rb {
			ra, rb = rb, ra
		}
		var ba, bb [1]int32
		m := append(append([]int32(nil), mem(ra, &ba)...), mem(rb, &bb)...)
		delete(members, rb)
		members[ra] = m
		parent[rb] = ra
		ver[ra]++
		ver[rb]++
		return ra
	}
	// mean match probability over every pair across two clusters
	mean := func(ra, rb int32) float64 {
		var ba, bb [1]int32
		ma, mb := mem(ra, &ba), mem(rb, &bb)
		var sum float64
		for _, x := range ma {
			for _, y := range mb {
				sum += s.Probability(s.Weight(x, y))
			}
		}
		return sum / float64(len(ma)*len(mb))
	}

	for _, m := range opt.Must {
		ra, rb := find(m[0]), find(m[1])
		if ra != rb {
			merge(ra, rb)
		}
	}

	h := &mergeHeap{}
	for _, e := range sel {
		ra, rb := find(e.A), find(e.B)
		if ra == rb {
			continue
		}
		var p float64
		if len(members[ra]) == 0 && len(members[rb]) == 0 {
			p = s.Probability(e.W)
		} else {
			p = mean(ra, rb)
		}
		if p >= minProb {
			h.items = append(h.items, mergeItem{p, ra, rb, ver[ra], ver[rb]})
		}
	}
	heap.Init(h)
	seen := map[int32]bool{}
	for h.Len() > 0 {
		it := heap.Pop(h).(mergeItem)
		if find(it.a) != it.a || find(it.b) != it.b || ver[it.a] != it.va || ver[it.b] != it.vb {
			continue // stale: one side has changed since
		}
		if !allowed(it.a, it.b) {
			continue
		}
		r := merge(it.a, it.b)
		// the new cluster's neighbours, with their means
		clear(seen)
		var buf [1]int32
		for _, x := range mem(r, &buf) {
			for _, y := range adj[deg[x]:deg[x+1]] {
				ry := find(y)
				if ry == r || seen[ry] {
					continue
				}
				seen[ry] = true
				if p := mean(r, ry); p >= minProb {
					heap.Push(h, mergeItem{p, r, ry, ver[r], ver[ry]})
				}
			}
		}
	}
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = find(int32(i))
	}
	return labels
}

type mergeItem struct {
	p      float64
	a, b   int32
	va, vb uint32
}

type mergeHeap struct{ items []mergeItem }

func (h *mergeHeap) Len() int { return len(h.items) }
func (h *mergeHeap) Less(i, j int) bool {
	x, y := h.items[i], h.items[j]
	if x.p != y.p {
		return x.p > y.p
	}
	if x.a != y.a {
		return x.a < y.a
	}
	return x.b < y.b
}
func (h *mergeHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *mergeHeap) Push(x any)    { h.items = append(h.items, x.(mergeItem)) }
func (h *mergeHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}
