package mse

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"sort"
	"strconv"
	"strings"
)

// MaxLists is the largest number of lists a Table can hold (patterns are
// stored as bit masks).
const MaxLists = 62

// Table is a capture-history table: for each observed pattern of lists, the
// number of people recorded by exactly that set of lists.
//
// Pattern bit j (1<<j) means "on list j", with j the position of the list in
// Lists. Only patterns with a positive count are stored, in increasing order
// of the mask; the all-zero pattern is never stored (it is the unknown).
type Table struct {
	Name     string   // where the table came from (file name), for messages
	Lists    []string // list names, in column order
	Patterns []uint64 // distinct observed patterns (bit masks), increasing
	Counts   []int    // Counts[i] people have pattern Patterns[i]; all > 0
}

// NewTable builds a table from parallel slices of patterns and counts.
// Patterns may repeat (their counts are added) and zero counts are dropped.
// It returns an error for the all-zero pattern with a positive count, for
// negative counts and for bits beyond len(lists).
func NewTable(name string, lists []string, patterns []uint64, counts []int) (*Table, error) {
	if len(patterns) != len(counts) {
		return nil, errors.New("mse: patterns and counts differ in length")
	}
	if len(lists) > MaxLists {
		return nil, fmt.Errorf("mse: %d lists; at most %d are supported", len(lists), MaxLists)
	}
	agg := map[uint64]int{}
	for i, p := range patterns {
		if counts[i] < 0 {
			return nil, fmt.Errorf("mse: negative count %d for pattern %s", counts[i], patternString(p, len(lists)))
		}
		if counts[i] == 0 {
			continue
		}
		if p == 0 {
			return nil, fmt.Errorf("mse: %d people recorded on no list: the all-zero pattern is the unknown and cannot be observed", counts[i])
		}
		if len(lists) < 64 && p>>uint(len(lists)) != 0 {
			return nil, fmt.Errorf("mse: pattern %b uses lists beyond the %d named", p, len(lists))
		}
		agg[p] += counts[i]
	}
	t := &Table{Name: name, Lists: append([]string(nil), lists...)}
	for p := range agg {
		t.Patterns = append(t.Patterns, p)
	}
	sort.Slice(t.Patterns, func(a, b int) bool { return t.Patterns[a] < t.Patterns[b] })
	t.Counts = make([]int, len(t.Patterns))
	for i, p := range t.Patterns {
		t.Counts[i] = agg[p]
	}
	return t, nil
}

// J returns the number of lists.
func (t *Table) J() int { return len(t.Lists) }

// N returns the number of people recorded on at least one list.
func (t *Table) N() int {
	s := 0
	for _, c := range t.Counts {
		s += c
	}
	return s
}

// ListTotals returns the number of people on each list.
func (t *Table) ListTotals() []int {
	tot := make([]int, t.J())
	for i, p := range t.Patterns {
		for q := p; q != 0; q &= q - 1 {
			tot[bits.TrailingZeros64(q)] += t.Counts[i]
		}
	}
	return tot
}

// Dense returns the full table over all 2^J patterns, indexed by mask
// (entry 0, the unobserved cell, is 0). It panics when J > 24.
func (t *Table) Dense() []float64 {
	if t.J() > 24 {
		panic("mse: Dense on a table with more than 24 lists")
	}
	y := make([]float64, 1<<uint(t.J()))
	for i, p := range t.Patterns {
		y[p] = float64(t.Counts[i])
	}
	return y
}

// Count returns the count of a pattern (0 when unobserved).
func (t *Table) Count(p uint64) int {
	i := sort.Search(len(t.Patterns), func(i int) bool { return t.Patterns[i] >= p })
	if i < len(t.Patterns) && t.Patterns[i] == p {
		return t.Counts[i]
	}
	return 0
}

// DropLists returns the lists that have fewer than minN records (HRDAG's
// verdata rule, default minN = 1) and a table without them. Patterns that
// become all-zero cannot occur: a person on a dropped list with fewer than
// minN records is still on it; when minN > 1 such people are on no remaining
// list, and are removed from the table (they are reported in the second
// return value's count).
func (t *Table) DropLists(minN int) (kept *Table, dropped []string, lostRecords int) {
	if minN < 1 {
		minN = 1
	}
	tot := t.ListTotals()
	var keepIdx []int
	for j, c := range tot {
		if c >= minN {
			keepIdx = append(keepIdx, j)
		} else {
			dropped = append(dropped, t.Lists[j])
		}
	}
	if len(dropped) == 0 {
		return t, nil, 0
	}
	lists := make([]string, len(keepIdx))
	for i, j := range keepIdx {
		lists[i] = t.Lists[j]
	}
	var pats []uint64
	var cnts []int
	for i, p := range t.Patterns {
		var q uint64
		for nj, j := range keepIdx {
			if p&(1<<uint(j)) != 0 {
				q |= 1 << uint(nj)
			}
		}
		if q == 0 {
			lostRecords += t.Counts[i]
			continue
		}
		pats = append(pats, q)
		cnts = append(cnts, t.Counts[i])
	}
	kept, _ = NewTable(t.Name, lists, pats, cnts)
	return kept, dropped, lostRecords
}

// Estimability says whether a table can be used for multiple systems
// estimation, and why not.
type Estimability struct {
	Estimable bool   `json:"estimable"`           // at least three usable lists
	TwoLists  bool   `json:"two_lists,omitempty"` // exactly two usable lists: only two-list estimators apply
	Reason    string `json:"reason,omitempty"`    // plain-language reason when not estimable
}

// CheckEstimable applies the "at least three lists with records" rule.
func (t *Table) CheckEstimable() Estimability {
	tot := t.ListTotals()
	usable := 0
	for _, c := range tot {
		if c > 0 {
			usable++
		}
	}
	switch {
	case t.N() == 0:
		return Estimability{Reason: "the table has no records"}
	case usable >= 3:
		return Estimability{Estimable: true}
	case usable == 2:
		return Estimability{TwoLists: true, Reason: "only 2 lists have records; multiple systems estimation needs at least 3 (only the two-list estimators, which assume the lists are independent, are available)"}
	default:
		return Estimability{Reason: fmt.Sprintf("only %d list has records; at least 3 lists are needed", usable)}
	}
}

// ParseError is returned by ReadTable for malformed input; Line and Column
// are 1-based (Column 0 when the whole line is at fault).
type ParseError struct {
	Name   string
	Line   int
	Column int
	Header string // column name, when known
	Msg    string
}

func (e *ParseError) Error() string {
	loc := fmt.Sprintf("%s: line %d", e.Name, e.Line)
	if e.Column > 0 {
		loc += fmt.Sprintf(", column %d", e.Column)
		if e.Header != "" {
			loc += fmt.Sprintf(" (%s)", e.Header)
		}
	}
	return loc + ": " + e.Msg
}

// ReadTable reads a capture-history table from CSV.
//
// The first row is a header. A column named "count" (any case; also "freq",
// "n" or "y") holds the number of people with that row's pattern; every other
// column is a list and must hold 0 or 1. Without a count column every row is
// one person. Rows may repeat a pattern (counts are added). A row that is on
// no list is accepted only with an empty or NA count (a placeholder for the
// unknown cell, as some packages write it); a positive count there is an
// error. Lists with no records are kept; use DropLists or Estimate, which
// drops them.
func ReadTable(r io.Reader, name string) (*Table, error) {
	st, err := readTable(r, name, nil, false)
	if err != nil {
		return nil, err
	}
	return st.Strata[0].Table, nil
}

// Stratum is one stratum of a stratified table: the values of the stratum
// columns and the capture histories of the people in it.
type Stratum struct {
	Key    string            `json:"key"`    // e.g. "eth=caucasian" or "Region=GGC, Gender=Male"
	Values map[string]string `json:"values"` // stratum column → value
	Table  *Table            `json:"-"`
}

// Stratified is a table read with stratum columns.
type Stratified struct {
	By     []string  // the stratum columns, in header order
	Lists  []string  // the list columns
	Strata []Stratum // in order of first appearance
	// Pooled is every stratum added together.
	Pooled *Table
}

// ReadStratified reads a capture-history CSV whose columns named in by are
// strata (any values) rather than lists; with by empty, a column named
// "stratum" (any case) is used when there is one. Rows are grouped by their
// stratum values; each group becomes one Table, named NAME[KEY]. The other
// rules are ReadTable's. Naming a column that is not in the header is an
// error.
func ReadStratified(r io.Reader, name string, by []string) (*Stratified, error) {
	return readTable(r, name, by, true)
}

func readTable(r io.Reader, name string, by []string, autoStratum bool) (*Stratified, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{Name: name, Line: 1, Msg: "empty input: expected a header row"}
	}
	if err != nil {
		return nil, wrapCSVErr(name, err)
	}
	isBy := map[string]bool{}
	for _, b := range by {
		isBy[strings.TrimSpace(b)] = true
	}
	if len(by) == 0 && autoStratum {
		for _, h := range header {
			h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
			if strings.EqualFold(h, "stratum") {
				isBy[h] = true
			}
		}
	}
	countCol := -1
	var listCols, byCols []int
	var lists, byNames []string
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		if isBy[h] {
			if prev, ok := seen[h]; ok {
				return nil, &ParseError{Name: name, Line: 1, Column: i + 1, Header: h, Msg: fmt.Sprintf("duplicate column name (also column %d)", prev+1)}
			}
			seen[h] = i
			byCols = append(byCols, i)
			byNames = append(byNames, h)
			continue
		}
		switch strings.ToLower(h) {
		case "count", "freq", "frequency", "n", "y":
			if countCol >= 0 {
				return nil, &ParseError{Name: name, Line: 1, Column: i + 1, Header: h, Msg: fmt.Sprintf("second count column (first is column %d)", countCol+1)}
			}
			countCol = i
			continue
		}
		if h == "" {
			return nil, &ParseError{Name: name, Line: 1, Column: i + 1, Msg: "empty column name"}
		}
		if prev, ok := seen[h]; ok {
			return nil, &ParseError{Name: name, Line: 1, Column: i + 1, Header: h, Msg: fmt.Sprintf("duplicate list name (also column %d)", prev+1)}
		}
		seen[h] = i
		listCols = append(listCols, i)
		lists = append(lists, h)
	}
	for _, b := range by {
		if _, ok := seen[strings.TrimSpace(b)]; !ok {
			return nil, &ParseError{Name: name, Line: 1, Msg: fmt.Sprintf("no column named %q to stratify by (columns: %s)", b, strings.Join(header, ", "))}
		}
	}
	if len(lists) == 0 {
		return nil, &ParseError{Name: name, Line: 1, Msg: "no list columns in header"}
	}
	if len(lists) > MaxLists {
		return nil, &ParseError{Name: name, Line: 1, Msg: fmt.Sprintf("%d list columns; at most %d are supported", len(lists), MaxLists)}
	}
	type group struct {
		key  string
		vals map[string]string
		pats []uint64
		cnts []int
	}
	var groups []*group
	byKey := map[string]*group{}
	var allPats []uint64
	var allCnts []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, wrapCSVErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, &ParseError{Name: name, Line: line, Msg: fmt.Sprintf("%d fields, header has %d", len(rec), len(header))}
		}
		var p uint64
		for k, c := range listCols {
			v := strings.TrimSpace(rec[c])
			switch v {
			case "1", "TRUE", "true", "T":
				p |= 1 << uint(k)
			case "0", "FALSE", "false", "F":
			default:
				msg := fmt.Sprintf("list membership must be 0 or 1, got %q", v)
				if len(byCols) == 0 && autoStratum {
					msg += " (if this column is a stratum, name it with --by)"
				}
				return nil, &ParseError{Name: name, Line: line, Column: c + 1, Header: header[c], Msg: msg}
			}
		}
		cnt := 1
		if countCol >= 0 {
			v := strings.TrimSpace(rec[countCol])
			if v == "" || strings.EqualFold(v, "NA") {
				if p == 0 {
					continue // placeholder for the unobserved cell
				}
				return nil, &ParseError{Name: name, Line: line, Column: countCol + 1, Header: header[countCol], Msg: "missing count"}
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				f, ferr := strconv.ParseFloat(v, 64)
				if ferr != nil || f != float64(int(f)) {
					return nil, &ParseError{Name: name, Line: line, Column: countCol + 1, Header: header[countCol], Msg: fmt.Sprintf("count must be a whole number, got %q", v)}
				}
				n = int(f)
			}
			if n < 0 {
				return nil, &ParseError{Name: name, Line: line, Column: countCol + 1, Header: header[countCol], Msg: fmt.Sprintf("negative count %d", n)}
			}
			cnt = n
		}
		if p == 0 && cnt > 0 {
			return nil, &ParseError{Name: name, Line: line, Msg: fmt.Sprintf("row is on no list but has count %d: people recorded on no list cannot be observed (leave the count empty or NA, or remove the row)", cnt)}
		}
		key := ""
		var vals map[string]string
		if len(byCols) > 0 {
			vals = map[string]string{}
			var parts []string
			for i, c := range byCols {
				v := strings.TrimSpace(rec[c])
				if v == "" {
					return nil, &ParseError{Name: name, Line: line, Column: c + 1, Header: header[c], Msg: "empty stratum value"}
				}
				vals[byNames[i]] = v
				parts = append(parts, byNames[i]+"="+v)
			}
			key = strings.Join(parts, ", ")
		}
		g := byKey[key]
		if g == nil {
			g = &group{key: key, vals: vals}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.pats = append(g.pats, p)
		g.cnts = append(g.cnts, cnt)
		allPats = append(allPats, p)
		allCnts = append(allCnts, cnt)
	}
	out := &Stratified{By: byNames, Lists: lists}
	pooled, err := NewTable(name, lists, allPats, allCnts)
	if err != nil {
		return nil, err
	}
	out.Pooled = pooled
	if len(byCols) == 0 {
		out.Strata = []Stratum{{Table: pooled}}
		return out, nil
	}
	for _, g := range groups {
		t, err := NewTable(name+"["+g.key+"]", lists, g.pats, g.cnts)
		if err != nil {
			return nil, err
		}
		out.Strata = append(out.Strata, Stratum{Key: g.key, Values: g.vals, Table: t})
	}
	return out, nil
}

func wrapCSVErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{Name: name, Line: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
	}
	return fmt.Errorf("%s: %w", name, err)
}

func patternString(p uint64, j int) string {
	b := make([]byte, j)
	for k := 0; k < j; k++ {
		if p&(1<<uint(k)) != 0 {
			b[k] = '1'
		} else {
			b[k] = '0'
		}
	}
	return string(b)
}
