package names

// maxJW is the longest input JaroWinkler looks at; longer inputs are
// compared on their first maxJW runes. Fixed-size arrays keep the function
// free of allocations.
const maxJW = 64

// JaroWinkler returns the Jaro-Winkler similarity of a and b in [0, 1]
// (prefix scale 0.1, prefix of at most 4, boost applied above 0.7). Both
// empty gives 1; one empty gives 0. It does not allocate.
func JaroWinkler(a, b []rune) float64 {
	if len(a) > maxJW {
		a = a[:maxJW]
	}
	if len(b) > maxJW {
		b = b[:maxJW]
	}
	la, lb := len(a), len(b)
	if la == 0 && lb == 0 {
		return 1
	}
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	window := lb/2 - 1
	if window < 0 {
		window = 0
	}
	var am, bm [maxJW]bool
	matches := 0
	for i := 0; i < la; i++ {
		lo := i - window
		if lo < 0 {
			lo = 0
		}
		hi := i + window + 1
		if hi > lb {
			hi = lb
		}
		for j := lo; j < hi; j++ {
			if !bm[j] && a[i] == b[j] {
				am[i], bm[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans := 0
	k := 0
	for i := 0; i < la; i++ {
		if !am[i] {
			continue
		}
		for !bm[k] {
			k++
		}
		if a[i] != b[k] {
			trans++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(trans)/2)/m) / 3
	if jaro <= 0.7 {
		return jaro
	}
	prefix := 0
	for prefix < 4 && prefix < la && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// JaroWinklerString is JaroWinkler on strings (it converts, so it allocates).
func JaroWinklerString(a, b string) float64 { return JaroWinkler([]rune(a), []rune(b)) }

// OSA returns the optimal string alignment distance (Levenshtein with
// adjacent transpositions) between a and b if it is at most max, and max+1
// otherwise. Inputs longer than 62 runes are cut. It does not allocate.
func OSA(a, b []rune, max int) int {
	const n = 63
	if len(a) > n-1 {
		a = a[:n-1]
	}
	if len(b) > n-1 {
		b = b[:n-1]
	}
	la, lb := len(a), len(b)
	if d := la - lb; d > max || -d > max {
		return max + 1
	}
	if la == 0 || lb == 0 {
		if la+lb > max {
			return max + 1
		}
		return la + lb
	}
	var rows [3][n]int32
	p2, p1, c := 2, 0, 1 // indices of the rows two back, one back, current
	for j := 0; j <= lb; j++ {
		rows[p1][j] = int32(j)
	}
	m := int32(max)
	for i := 1; i <= la; i++ {
		cur, prev, prev2 := &rows[c], &rows[p1], &rows[p2]
		cur[0] = int32(i)
		rowMin := int32(i)
		ai := a[i-1]
		// only cells within max of the diagonal can stay within max
		lo, hi := i-max, i+max
		if lo < 1 {
			lo = 1
		} else {
			cur[lo-1] = m + 1
		}
		if hi > lb {
			hi = lb
		}
		for j := lo; j <= hi; j++ {
			cost := int32(1)
			if ai == b[j-1] {
				cost = 0
			}
			v := prev[j] + 1
			if j > i-max || i-max < 1 {
				if x := cur[j-1] + 1; x < v {
					v = x
				}
			}
			if x := prev[j-1] + cost; x < v {
				v = x
			}
			if i > 1 && j > 1 && ai == b[j-2] && a[i-2] == b[j-1] {
				if x := prev2[j-2] + 1; x < v {
					v = x
				}
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if hi < lb {
			cur[hi+1] = m + 1
		}
		if rowMin > m {
			return max + 1
		}
		p2, p1, c = p1, c, p2
	}
	if d := int(rows[p1][lb]); d <= max {
		return d
	}
	return max + 1
}
