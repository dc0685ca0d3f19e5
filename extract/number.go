package extract

import vigil "github.com/vigil-rec/vigil"

// number is a stated quantity: digits or number words, with its qualifier
// and, for ranges, an upper bound.
type number struct {
	from, to int // tokens, qualifier included
	numFrom  int // first token of the number itself
	min      int
	max      int // -1: no upper bound
	qual     vigil.Qualifier
	weak     bool // "a", "an", "another": one, only next to a person noun
	vague    bool // "dozens", "scores", "hundreds"
	value    int  // the number as written (upper end of a range)
}

// parseNumber reads a number phrase starting at token i.
func (d *doc) parseNumber(i int) (number, bool) {
	n := number{from: i, qual: vigil.QualExact, max: -1}
	j := i
	if e, end := d.find(i, clsQual); e != nil && end < len(d.toks) {
		n.qual = qualifiers[e.val]
		j = end
	}
	n.numFrom = j
	v, k, kind := d.numberValue(j)
	if kind == 0 {
		return n, false
	}
	switch kind {
	case 2:
		n.vague = true
	case 3:
		n.weak = true
		if n.qual != vigil.QualExact {
			return n, false
		}
	}
	n.value = v
	hi := -1
	// Dates written with hyphens (20-02-2016, 02-2016) are not counts.
	year := func(x int) bool { return x >= 1900 && x <= 2100 }
	joinedNum := func(x int) bool { return x < len(d.toks) && d.toks[x].kind == tokNum && d.toks[x].is(flagJoined) }
	if kind == 1 && (joinedNum(j) && year(v) ||
		joinedNum(k) && (joinedNum(k+1) || year(int(d.toks[k].num)))) {
		return n, false
	}
	// Ranges: 12 to 15, 12-15, 12 or 13, between 12 and 15.
	if kind == 1 && k < len(d.toks) {
		t := &d.toks[k]
		if t.kind == tokNum && t.is(flagJoined) {
			hi = int(t.num)
			k++
		} else if d.isWord(k, "to", "or") || (d.isWord(k, "and") && d.isWord(i-1, "between")) {
			if v2, k2, kind2 := d.numberValue(k + 1); kind2 == 1 && v2 > v {
				hi, k = v2, k2
			}
		}
	}
	n.to = k
	switch {
	case hi > v:
		n.min, n.max = v, hi
		n.value = hi
	case n.vague:
		n.min = v
		if n.qual == vigil.QualExact {
			n.qual = vigil.QualAtLeast
		}
	default:
		switch n.qual {
		case vigil.QualAtLeast, vigil.QualMoreThan:
			n.min = v
		case vigil.QualUpTo:
			n.min, n.max = 0, v
		default:
			n.min, n.max = v, v
		}
	}
	return n, true
}

// maxCount bounds what can be a count of people; larger numbers (and
// arithmetic that would overflow) are not read as counts.
const maxCount = 100_000_000

// numberValue reads the value at token j. kind: 0 none, 1 a number, 2 a
// vague quantity (dozens), 3 a weak one (a, an, another).
func (d *doc) numberValue(j int) (int, int, int) {
	if j >= len(d.toks) {
		return 0, j, 0
	}
	t := &d.toks[j]
	if t.kind == tokNum {
		if t.num < 0 || t.num > maxCount {
			return 0, j, 0 // not a count of people
		}
		v := int(t.num)
		k := j + 1
		// 1.5 million is rare in casualty counts; 300 thousand is handled.
		if k < len(d.toks) {
			if e, end := d.find(k, clsNumWord); e != nil && e.weight == 1 {
				if v > maxCount/e.val {
					return 0, j, 0
				}
				v *= e.val
				k = end
			}
		}
		return v, k, 1
	}
	e, end := d.find(j, clsNumWord)
	if e == nil {
		return 0, j, 0
	}
	switch e.weight {
	case 2:
		return e.val, end, 2
	case 3:
		return 1, end, 3
	}
	if len(e.words) > 1 { // a dozen, a couple of
		return e.val, end, 1
	}
	// Compound number words: twenty-three, one hundred and twenty, two thousand.
	total, cur := 0, 0
	k := j
	for k < len(d.toks) {
		e, end := d.find(k, clsNumWord)
		if e == nil || len(e.words) > 1 || e.weight > 1 {
			if d.isWord(k, "and") && k+1 < len(d.toks) && cur > 0 && cur%100 == 0 {
				if e2, _ := d.find(k+1, clsNumWord); e2 != nil && e2.weight == 0 && e2.val < 100 {
					k++
					continue
				}
			}
			break
		}
		if total > maxCount || cur > maxCount {
			return 0, j, 0 // "hundred hundred hundred ...": not a count of people
		}
		switch {
		case e.weight == 1 && e.val == 100:
			if cur == 0 {
				cur = 1
			}
			cur *= 100
		case e.weight == 1:
			if cur == 0 {
				cur = 1
			}
			total += cur * e.val
			cur = 0
		default:
			if cur%100 != 0 && cur%10 == 0 && e.val < 10 && cur%100 >= 20 {
				cur += e.val // twenty three
			} else if cur%100 == 0 {
				cur += e.val
			} else {
				goto done
			}
		}
		k = end
	}
done:
	if k == j {
		return 0, j, 0
	}
	return total + cur, k, 1
}
