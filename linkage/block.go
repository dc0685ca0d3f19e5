package linkage

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Rule is a blocking rule: two records are compared when they agree exactly
// on every term. A term is a field name, or a field name followed by "~" to
// agree on its key instead: a Name's transliteration key, a Date's year.
// Rules are combined by union: a pair found by several rules is compared
// once.
type Rule []string

func (r Rule) String() string { return strings.Join(r, "+") }

// ParseRules reads rules written "given+family,father~+family".
func ParseRules(s string) []Rule {
	var out []Rule
	for _, part := range strings.Split(s, ",") {
		var r Rule
		for _, t := range strings.Split(part, "+") {
			if t = strings.TrimSpace(t); t != "" {
				r = append(r, t)
			}
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	return out
}

type term struct {
	f   int
	key bool
}

type crule struct {
	name  string
	terms []term
}

func (d *Data) compile(rs []Rule) ([]crule, error) {
	out := make([]crule, 0, len(rs))
	for _, r := range rs {
		cr := crule{name: r.String()}
		if len(r) == 0 {
			return nil, fmt.Errorf("linkage: empty blocking rule")
		}
		for _, t := range r {
			key := strings.HasSuffix(t, "~")
			name := strings.TrimSuffix(t, "~")
			f := d.FieldIndex(name)
			if f < 0 {
				return nil, fmt.Errorf("linkage: blocking rule %s: no field %q", r, name)
			}
			k := d.Fields[f].Kind
			if key && k != Name && k != Date {
				return nil, fmt.Errorf("linkage: blocking rule %s: field %q has no key (only name and date fields do)", r, name)
			}
			if k == TokenSet {
				return nil, fmt.Errorf("linkage: blocking rule %s: cannot block on token set %q", r, name)
			}
			cr.terms = append(cr.terms, term{f, key})
		}
		out = append(out, cr)
	}
	return out, nil
}

// hash returns record i's blocking key under r, 0 when a term is missing.
func (d *Data) hash(r *crule, i int) uint64 {
	h := uint64(14695981039346656037)
	for _, t := range r.terms {
		c := d.cols[t.f]
		v := c.ids[i]
		if t.key {
			v = c.keys[i]
		}
		if v == 0 {
			return 0
		}
		h ^= uint64(uint32(v)) + uint64(t.f)<<32
		h *= 1099511628211
		h ^= h >> 29
	}
	if h == 0 {
		h = 1
	}
	return h
}

// blocking is the prepared union of rules.
type blocking struct {
	d      *Data
	rules  []crule
	hashes [][]uint64 // per rule, per record
	groups [][]int32  // per rule: record indices sorted by hash
	starts [][]int32  // per rule: start of each block in groups, plus the end
	cross  bool
	stats  []RuleStat
	// skipped holds, per rule, the keys of blocks over the size limit
	skipped []map[uint64]bool
}

type hi struct {
	h uint64
	i int32
}

// RuleStat reports one blocking rule.
type RuleStat struct {
	Rule          string `json:"rule"`
	Blocks        int    `json:"blocks"`
	Comparisons   int64  `json:"comparisons"` // pairs in its blocks, before removing those an earlier rule found
	SkippedBlocks int    `json:"skipped_blocks,omitempty"`
	SkippedPairs  int64  `json:"skipped_pairs,omitempty"` // pairs in blocks over the size limit
}

// newBlocking builds the blocks of every rule. Blocks larger than maxBlock
// records (0: no limit) are skipped and reported.
func newBlocking(d *Data, rs []Rule, cross bool, maxBlock int) (*blocking, error) {
	rules, err := d.compile(rs)
	if err != nil {
		return nil, err
	}
	b := &blocking{d: d, rules: rules, cross: cross}
	for ri := range rules {
		r := &rules[ri]
		hs := make([]uint64, d.n)
		tmp := make([]hi, 0, d.n)
		for i := 0; i < d.n; i++ {
			hs[i] = d.hash(r, i)
			if hs[i] != 0 {
				tmp = append(tmp, hi{hs[i], int32(i)})
			}
		}
		slices.SortFunc(tmp, func(a, b hi) int {
			if a.h != b.h {
				if a.h < b.h {
					return -1
				}
				return 1
			}
			return int(a.i - b.i)
		})
		st := RuleStat{Rule: r.name}
		skipped := map[uint64]bool{}
		var idx, starts []int32
		for s := 0; s < len(tmp); {
			e := s + 1
			for e < len(tmp) && tmp[e].h == tmp[s].h {
				e++
			}
			if e-s >= 2 {
				var cmp int64
				if cross {
					cmp = crossPairs(d, tmp[s:e])
				} else {
					n := int64(e - s)
					cmp = n * (n - 1) / 2
				}
				if maxBlock > 0 && e-s > maxBlock {
					st.SkippedBlocks++
					st.SkippedPairs += cmp
					skipped[tmp[s].h] = true
				} else if cmp > 0 {
					starts = append(starts, int32(len(idx)))
					for k := s; k < e; k++ {
						idx = append(idx, tmp[k].i)
					}
					st.Blocks++
					st.Comparisons += cmp
				}
			}
			s = e
		}
		starts = append(starts, int32(len(idx)))
		b.hashes = append(b.hashes, hs)
		b.groups = append(b.groups, idx)
		b.starts = append(b.starts, starts)
		b.stats = append(b.stats, st)
		b.skipped = append(b.skipped, skipped)
	}
	return b, nil
}

func crossPairs(d *Data, g []hi) int64 {
	counts := map[int32]int64{}
	n := int64(len(g))
	for _, x := range g {
		counts[d.source[x.i]]++
	}
	var same int64
	for _, c := range counts {
		same += c * c
	}
	return (n*n - same) / 2
}

// total returns the number of comparisons over all rules before removing
// duplicates.
func (b *blocking) total() int64 {
	var t int64
	for _, s := range b.stats {
		t += s.Comparisons
	}
	return t
}

// run calls fn(worker, i, j) for every pair of the union of rules, each pair
// once, on workers goroutines. fn must be safe for its worker index.
// progress, if not nil, is called now and then with pairs enumerated so far.
func (b *blocking) run(ctx context.Context, workers int, fn func(w int, i, j int32), progress func(done int64)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	d := b.d
	var done atomic.Int64
	for ri := range b.rules {
		starts := b.starts[ri]
		idx := b.groups[ri]
		nblocks := len(starts) - 1
		var next atomic.Int64
		var wg sync.WaitGroup
		var stop atomic.Bool
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				var local int64
				for !stop.Load() {
					bi := int(next.Add(1) - 1)
					if bi >= nblocks {
						break
					}
					g := idx[starts[bi]:starts[bi+1]]
					for x := 0; x < len(g); x++ {
						i := g[x]
						si := d.source[i]
						for y := x + 1; y < len(g); y++ {
							j := g[y]
							if b.cross && d.source[j] == si {
								continue
							}
							if b.seenEarlier(ri, i, j) {
								continue
							}
							fn(w, i, j)
						}
					}
					local += int64(len(g)) * int64(len(g)-1) / 2
					if local > 1<<20 {
						if progress != nil {
							progress(done.Add(local))
						} else {
							done.Add(local)
						}
						local = 0
						if ctx.Err() != nil {
							stop.Store(true)
						}
					}
				}
				done.Add(local)
			}(w)
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if progress != nil {
		progress(done.Load())
	}
	return nil
}

func (b *blocking) seenEarlier(ri int, i, j int32) bool {
	for r := 0; r < ri; r++ {
		h := b.hashes[r]
		// the earlier rule compared them unless their block was skipped
		if h[i] != 0 && h[i] == h[j] && b.inKeptBlock(r, h[i]) {
			return true
		}
	}
	return false
}

// inKeptBlock reports whether rule r kept the block of hash h (it was not
// over the size limit).
func (b *blocking) inKeptBlock(r int, h uint64) bool {
	return len(b.skipped[r]) == 0 || !b.skipped[r][h]
}
