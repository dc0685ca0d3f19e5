package linkage

import (
	"math"

	"github.com/vigil-rec/vigil/names"
)

// Jaro-Winkler bands of the Name kind.
const (
	jwClose = 0.92
	jwFuzzy = 0.80
)

// level returns the comparison level of records i and j on this column.
// It does not allocate.
func (c *column) level(i, j int32) uint8 {
	a, b := c.ids[i], c.ids[j]
	if a == 0 || b == 0 {
		return 0
	}
	switch c.f.Kind {
	case Name:
		if a == b {
			return 1
		}
		ka, kb := c.keys[i], c.keys[j]
		if ka != 0 && ka == kb {
			return 2
		}
		var s float64
		if c.vScr[a] == c.vScr[b] {
			if !jwMayReach(c.vSig, c.vOff, c.vRunes, a, b) {
				return 4
			}
			s = names.JaroWinkler(c.runes(a), c.runes(b))
		} else {
			if ka == 0 || kb == 0 || !jwMayReach(c.kSig, c.kOff, c.kRunes, ka, kb) {
				return 4
			}
			s = names.JaroWinkler(c.krunes(ka), c.krunes(kb))
		}
		switch {
		case s >= jwClose:
			return 2
		case s >= jwFuzzy:
			return 3
		}
		return 4
	case String:
		if a == b {
			return 1
		}
		if !editMayReach(c.vSig, c.vOff, a, b, 2) {
			return 4
		}
		switch names.OSA(c.runes(a), c.runes(b), 2) {
		case 1:
			return 2
		case 2:
			return 3
		}
		return 4
	case Date:
		if a == b {
			return 1
		}
		if editMayReach(c.vSig, c.vOff, a, b, 1) && names.OSA(c.runes(a), c.runes(b), 1) <= 1 {
			return 2
		}
		da, db := c.nums[i], c.nums[j]
		if da != noDate && db != noDate {
			diff := da - db
			if diff < 0 {
				diff = -diff
			}
			switch {
			case diff <= 366:
				return 3
			case diff <= 5*366:
				return 4
			}
			return 5
		}
		// years only
		ya, yb := c.keys[i], c.keys[j]
		if ya != 0 && yb != 0 {
			diff := ya - yb
			if diff < 0 {
				diff = -diff
			}
			switch {
			case diff <= 1:
				return 3
			case diff <= 5:
				return 4
			}
		}
		return 5
	case Number:
		diff := c.nums[i] - c.nums[j]
		if diff < 0 {
			diff = -diff
		}
		tol := int32(c.f.Tol)
		if tol <= 0 {
			tol = 5
		}
		switch {
		case diff == 0:
			return 1
		case diff <= 1:
			return 2
		case diff <= tol:
			return 3
		}
		return 4
	case Exact:
		if a == b {
			return 1
		}
		return 2
	case TokenSet:
		ta, tb := c.toks(a), c.toks(b)
		shared := 0
		x, y := 0, 0
		for x < len(ta) && y < len(tb) {
			switch {
			case ta[x] == tb[y]:
				shared++
				x++
				y++
			case ta[x] < tb[y]:
				x++
			default:
				y++
			}
		}
		short := len(ta)
		if len(tb) < short {
			short = len(tb)
		}
		switch {
		case shared >= 2 && shared == short:
			return 1
		case shared >= 2:
			return 2
		case shared == 1:
			return 3
		}
		return 4
	}
	return 0
}

// pattern returns the comparison vector of i and j, 4 bits per field.
func (d *Data) pattern(i, j int32) uint64 {
	var p uint64
	for f, c := range d.cols {
		p |= uint64(c.level(i, j)) << (4 * f)
	}
	return p
}

func patternLevel(p uint64, f int) int { return int(p>>(4*f)) & 15 }

// Scorer scores pairs of one Data set with trained parameters.
type Scorer struct {
	d       *Data
	p       *Params
	w       [maxFields][8]float32
	tf      [maxFields][]float32 // exact level, by value id
	ktf     [maxFields][]float32 // close level with a shared key, by key id
	prior   float32              // log2(λ/(1-λ))
	cover   int                  // the field covering others, or -1
	covered [maxFields]bool      // fields the cover field covers
	ncols   int
	colsArr [maxFields]*column
}

// NewScorer binds parameters to data: it precomputes the weight of every
// level and the term-frequency adjustment of every value.
func NewScorer(d *Data, p *Params) *Scorer {
	s := &Scorer{d: d, p: p, ncols: len(d.cols), cover: -1}
	for f, c := range d.cols {
		if len(c.f.Covers) == 0 {
			continue
		}
		s.cover = f
		for _, name := range c.f.Covers {
			if g := d.FieldIndex(name); g >= 0 {
				s.covered[g] = true
			}
		}
	}
	s.prior = float32(math.Log2(p.Lambda / (1 - p.Lambda)))
	for f, c := range d.cols {
		s.colsArr[f] = c
		for l := 1; l < c.f.Kind.Levels(); l++ {
			s.w[f][l] = float32(math.Log2(p.M[f][l] / p.U[f][l]))
		}
		if !c.f.TF {
			continue
		}
		minU := p.TFMinU
		if minU <= 0 {
			minU = 1e-7
		}
		if c.nonNull > 0 {
			s.tf[f] = make([]float32, len(c.vocab))
			lu := math.Log2(p.U[f][1])
			for id := 1; id < len(c.vocab); id++ {
				tf := float64(c.vCount[id]) / float64(c.nonNull)
				s.tf[f][id] = float32(lu - math.Log2(math.Max(tf, minU)))
			}
			if c.f.Kind == Name {
				s.ktf[f] = make([]float32, len(c.kvocab))
				lu2 := math.Log2(p.U[f][2])
				for id := 1; id < len(c.kvocab); id++ {
					tf := float64(c.kCount[id]) / float64(c.nonNull)
					s.ktf[f][id] = float32(lu2 - math.Log2(math.Max(tf, minU)))
				}
			}
		}
	}
	return s
}

// Weight returns the match weight (log2 Bayes factor, prior excluded) of
// records i and j. It does not allocate.
func (s *Scorer) Weight(i, j int32) float32 {
	var w, wg, wc float32
	coverNull := true
	for f := 0; f < s.ncols; f++ {
		c := s.colsArr[f]
		l := c.level(i, j)
		fw := s.w[f][l]
		if l == 1 && s.tf[f] != nil {
			fw += s.tf[f][c.ids[i]]
		} else if l == 2 && s.ktf[f] != nil && c.keys[i] == c.keys[j] {
			fw += s.ktf[f][c.keys[i]]
		}
		switch {
		case s.covered[f]:
			wg += fw
		case f == s.cover:
			wc, coverNull = fw, l == 0
		default:
			w += fw
		}
	}
	if !coverNull && wc > wg {
		wg = wc
	}
	return w + wg
}

// Prior returns log2(λ/(1-λ)), the weight of the prior odds of a match.
func (s *Scorer) Prior() float32 { return s.prior }

// Probability turns a match weight into a match probability.
func (s *Scorer) Probability(w float32) float64 {
	return 1 / (1 + math.Exp2(-float64(w+s.prior)))
}

// WeightFor returns the match weight at which the match probability is p.
func (s *Scorer) WeightFor(p float64) float32 {
	return float32(math.Log2(p/(1-p))) - s.prior
}

// FieldWeight is one field's part of a pair's match weight.
type FieldWeight struct {
	Field  string  `json:"field"`
	A      string  `json:"a"`
	B      string  `json:"b"`
	Level  string  `json:"level"`
	M      float64 `json:"m"`
	U      float64 `json:"u"`
	Weight float64 `json:"weight"`              // log2(m/u)
	TF     float64 `json:"tf_adjust,omitempty"` // term-frequency adjustment
	// Overlap is what is taken off this field (a field covering others)
	// so that evidence the covered fields already counted is counted once.
	Overlap float64 `json:"overlap_adjust,omitempty"`
}

// Explanation is a pair's match weight explained field by field.
type Explanation struct {
	A           string        `json:"a"`
	B           string        `json:"b"`
	Prior       float64       `json:"prior"` // log2(λ/(1-λ))
	Fields      []FieldWeight `json:"fields"`
	Weight      float64       `json:"match_weight"` // sum of the fields' weights and adjustments
	Probability float64       `json:"match_probability"`
}

// Explain returns the match weight of records i and j field by field.
func (s *Scorer) Explain(i, j int) Explanation {
	e := Explanation{A: s.d.ids[i], B: s.d.ids[j], Prior: float64(s.prior)}
	var total, wg, wc float32
	coverAt, coverNull := -1, true
	for f, c := range s.d.cols {
		l := c.level(int32(i), int32(j))
		fw := FieldWeight{Field: c.f.Name, A: c.vocab[c.ids[i]], B: c.vocab[c.ids[j]], Level: c.f.Kind.LevelName(int(l)),
			M: s.p.M[f][l], U: s.p.U[f][l], Weight: float64(s.w[f][l])}
		w := s.w[f][l]
		if l == 1 && s.tf[f] != nil {
			fw.TF = float64(s.tf[f][c.ids[i]])
			w += s.tf[f][c.ids[i]]
		} else if l == 2 && s.ktf[f] != nil && c.keys[i] == c.keys[j] {
			fw.TF = float64(s.ktf[f][c.keys[i]])
			w += s.ktf[f][c.keys[i]]
		}
		switch {
		case s.covered[f]:
			wg += w
		case f == s.cover:
			wc, coverNull, coverAt = w, l == 0, len(e.Fields)
		}
		total += w
		e.Fields = append(e.Fields, fw)
	}
	if coverAt >= 0 {
		// the pair's weight counts max(wc, wg) for the group, not wc + wg
		adj := -wc
		if !coverNull && wc > wg {
			adj = -wg
		}
		e.Fields[coverAt].Overlap = float64(adj)
		total += adj
	}
	e.Weight = float64(total)
	e.Probability = s.Probability(total)
	return e
}

// jwMayReach reports whether values x and y (ids into an arena with
// offsets off and signatures sig) can reach the fuzzy band: with m shared
// characters at most, Jaro is at most (m/|x| + m/|y| + 1)/3, and the
// Winkler boost adds 0.1·p·(1 − Jaro) for a common prefix of p ≤ 4 runes.
func jwMayReach(sig []uint64, off []int32, ar []rune, x, y int32) bool {
	lx, ly := min(int(off[x+1]-off[x]), 64), min(int(off[y+1]-off[y]), 64)
	if lx == 0 || ly == 0 {
		return lx == ly
	}
	m := float64(common(sig[int(x)*sigWords:], sig[int(y)*sigWords:]))
	jaro := (m/float64(lx) + m/float64(ly) + 1) / 3
	if jaro <= 0.7 {
		return jaro >= jwFuzzy
	}
	p := 0
	for ax, ay := ar[off[x]:], ar[off[y]:]; p < 4 && p < lx && p < ly && ax[p] == ay[p]; p++ {
	}
	return jaro+0.1*float64(p)*(1-jaro) >= jwFuzzy
}

// editMayReach reports whether values x and y can be within max edits:
// an edit fixes at most one character, so at least max(|x|, |y|) − m edits
// are needed when they share at most m characters.
func editMayReach(sig []uint64, off []int32, x, y int32, max int) bool {
	lx, ly := min(int(off[x+1]-off[x]), 62), min(int(off[y+1]-off[y]), 62)
	if d := lx - ly; d > max || -d > max {
		return false
	}
	if lx == 0 || ly == 0 {
		return true
	}
	m := common(sig[int(x)*sigWords:], sig[int(y)*sigWords:])
	return lx-m <= max && ly-m <= max
}
