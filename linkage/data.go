// Package linkage links records that describe the same person across and
// within lists: Fellegi-Sunter scoring with comparison levels per field,
// term-frequency adjustment, blocking rules combined by union, u estimated
// from random pairs and m by expectation maximisation in rounds that leave
// out the fields each round's blocking fixed (Splink's training scheme),
// explanations of every pair's match weight, and clustering into persons.
//
// Records are prepared once into columns of interned ids, integers and rune
// arenas (Builder); the comparison loop then reads only those and does not
// allocate.
package linkage

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-rec/vigil/names"
)

// Kind is how a field is compared.
type Kind uint8

const (
	// Name: a person's name (or any short text) in Arabic or Latin script,
	// normalised by names.Normalize. Levels: exact; close (Jaro-Winkler >=
	// 0.92, or the same transliteration key); fuzzy (Jaro-Winkler >= 0.80);
	// else. Across scripts Jaro-Winkler is taken on the keys.
	Name Kind = iota
	// String: a code or identifier, lowercased and trimmed. Levels: exact;
	// one edit (OSA); two edits; else.
	String
	// Date: YYYY-MM-DD, YYYYMMDD or YYYY. Levels: exact; one typo in the
	// digits; within a year; within five years; else.
	Date
	// Number: an integer such as an age. Levels: exact; off by one; within
	// Tol (default 5); else.
	Number
	// Exact: a category such as sex. Levels: exact; else.
	Exact
	// TokenSet: the words of a full name compared as a set of
	// transliteration keys, so that reordered or dropped parts still count.
	// Levels: every word of the shorter name (at least two) found; at least
	// two words shared; one shared; none.
	TokenSet
)

var kindNames = [...]string{"name", "string", "date", "number", "exact", "tokenset"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind parses a kind name.
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown comparison kind %q", s)
}

// levelNames lists each kind's levels; level 0 is always "null" (a value is
// missing on either side) and contributes no weight.
var levelNames = [...][]string{
	Name:     {"null", "exact", "close", "fuzzy", "else"},
	String:   {"null", "exact", "one edit", "two edits", "else"},
	Date:     {"null", "exact", "one typo", "within a year", "within five years", "else"},
	Number:   {"null", "exact", "off by one", "within tolerance", "else"},
	Exact:    {"null", "exact", "else"},
	TokenSet: {"null", "all words", "two or more words", "one word", "none"},
}

// Levels returns the number of comparison levels of a kind, null included.
func (k Kind) Levels() int { return len(levelNames[k]) }

// LevelName names level l of kind k.
func (k Kind) LevelName(l int) string { return levelNames[k][l] }

// Field describes one compared field.
type Field struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// TF turns on the term-frequency adjustment of the exact level (and,
	// for names, of a shared transliteration key).
	TF bool `json:"tf,omitempty"`
	// Tol is the Number kind's tolerance for its third level (default 5).
	Tol int `json:"tol,omitempty"`
	// Covers names fields whose evidence this one repeats, such as a full
	// name's token set and the name parts it is made of. Fellegi-Sunter
	// assumes fields independent; adding both would count one name two or
	// three times, so a pair's weight takes the larger of this field's
	// weight and the covered fields' summed weight (when this field is not
	// null). At most one field of a model may cover others.
	Covers []string `json:"covers,omitempty"`
}

const maxFields = 16

// column holds one field's prepared values.
type column struct {
	f    Field
	ids  []int32 // per record: value id, 0 = missing
	keys []int32 // per record: key id (Name), year (Date), 0 = missing
	nums []int32 // per record: days since 1970 (Date, noDate if unknown), value (Number)

	vocab  []string // id → normalised value; vocab[0] = ""
	vIndex map[string]int32
	vOff   []int32 // rune arena offsets, len(vocab)+1
	vRunes []rune
	vScr   []uint8
	vCount []int32
	vSig   []uint64 // sigWords words of character-bucket counts per value (appendSig)
	vToks  []int32  // TokenSet: sorted key ids of each value
	vTOff  []int32

	kvocab []string
	kIndex map[string]int32
	kOff   []int32
	kRunes []rune
	kCount []int32
	kSig   []uint64

	nonNull int

	// set by Params.bind: TF adjustments per value id / key id
	tfAdj  []float32
	ktfAdj []float32
}

const noDate = math.MinInt32

func newColumn(f Field) *column {
	c := &column{f: f, vIndex: map[string]int32{}, kIndex: map[string]int32{}}
	c.vocab = []string{""}
	c.vOff = []int32{0, 0}
	c.vScr = []uint8{0}
	c.vCount = []int32{0}
	c.vSig = make([]uint64, sigWords)
	c.kSig = make([]uint64, sigWords)
	c.vTOff = []int32{0, 0}
	c.kvocab = []string{""}
	c.kOff = []int32{0, 0}
	c.kCount = []int32{0}
	return c
}

func (c *column) runes(id int32) []rune  { return c.vRunes[c.vOff[id]:c.vOff[id+1]] }
func (c *column) krunes(id int32) []rune { return c.kRunes[c.kOff[id]:c.kOff[id+1]] }
func (c *column) toks(id int32) []int32  { return c.vToks[c.vTOff[id]:c.vTOff[id+1]] }

func (c *column) intern(v string) (int32, bool) {
	if id, ok := c.vIndex[v]; ok {
		c.vCount[id]++
		return id, false
	}
	id := int32(len(c.vocab))
	c.vIndex[v] = id
	c.vocab = append(c.vocab, v)
	c.vRunes = append(c.vRunes, []rune(v)...)
	c.vOff = append(c.vOff, int32(len(c.vRunes)))
	c.vScr = append(c.vScr, uint8(names.DetectScript(v)))
	c.vCount = append(c.vCount, 1)
	c.vSig = appendSig(c.vSig, c.runes(id))
	return id, true
}

func (c *column) internKey(k string) int32 {
	if k == "" {
		return 0
	}
	if id, ok := c.kIndex[k]; ok {
		c.kCount[id]++
		return id
	}
	id := int32(len(c.kvocab))
	c.kIndex[k] = id
	c.kvocab = append(c.kvocab, k)
	c.kRunes = append(c.kRunes, []rune(k)...)
	c.kOff = append(c.kOff, int32(len(c.kRunes)))
	c.kCount = append(c.kCount, 1)
	c.kSig = appendSig(c.kSig, c.krunes(id))
	return id
}

// Data is a set of prepared records.
type Data struct {
	Fields []Field
	cols   []*column
	source []int32
	ids    []string
	n      int
}

// Len returns the number of records.
func (d *Data) Len() int { return d.n }

// Source returns the source (list) index of record i.
func (d *Data) Source(i int) int { return int(d.source[i]) }

// ID returns the caller's id of record i.
func (d *Data) ID(i int) string { return d.ids[i] }

// Value returns record i's normalised value of field f.
func (d *Data) Value(i, f int) string { return d.cols[f].vocab[d.cols[f].ids[i]] }

// FieldIndex returns the index of the named field, or -1.
func (d *Data) FieldIndex(name string) int {
	for i, f := range d.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Builder prepares records one at a time.
type Builder struct {
	d *Data
}

// NewBuilder returns a builder for records with the given fields.
func NewBuilder(fields []Field) (*Builder, error) {
	if len(fields) == 0 || len(fields) > maxFields {
		return nil, fmt.Errorf("linkage: need 1 to %d fields, got %d", maxFields, len(fields))
	}
	seen := map[string]bool{}
	covers := 0
	d := &Data{Fields: append([]Field(nil), fields...)}
	for _, f := range fields {
		if seen[f.Name] {
			return nil, fmt.Errorf("linkage: field %q twice", f.Name)
		}
		seen[f.Name] = true
		if len(f.Covers) > 0 {
			covers++
		}
		if int(f.Kind) >= len(levelNames) {
			return nil, fmt.Errorf("linkage: field %q: unknown kind %d", f.Name, f.Kind)
		}
		d.cols = append(d.cols, newColumn(f))
	}
	if covers > 1 {
		return nil, fmt.Errorf("linkage: only one field may cover others")
	}
	for _, f := range fields {
		for _, c := range f.Covers {
			if !seen[c] || c == f.Name {
				return nil, fmt.Errorf("linkage: field %q covers unknown field %q", f.Name, c)
			}
		}
	}
	return &Builder{d: d}, nil
}

// Add adds one record from source (a list index) with one raw value per
// field, in field order; "" is missing.
func (b *Builder) Add(id string, source int, values ...string) error {
	d := b.d
	if len(values) != len(d.cols) {
		return fmt.Errorf("linkage: record %s: %d values for %d fields", id, len(values), len(d.cols))
	}
	for fi, c := range d.cols {
		c.add(values[fi])
	}
	d.source = append(d.source, int32(source))
	d.ids = append(d.ids, id)
	d.n++
	return nil
}

// Data returns the prepared records. The builder must not be used after.
func (b *Builder) Data() *Data {
	for _, c := range b.d.cols {
		c.vIndex, c.kIndex = nil, nil
	}
	return b.d
}

func (c *column) add(raw string) {
	raw = strings.TrimSpace(raw)
	id, key, num := int32(0), int32(0), int32(noDate)
	switch c.f.Kind {
	case Name:
		v := names.Normalize(raw)
		if v != "" {
			id, _ = c.intern(v)
			key = c.internKey(names.Phonetic(v))
		}
	case String, Exact:
		v := strings.ToLower(raw)
		if v != "" {
			id, _ = c.intern(v)
		}
	case Date:
		v := digits(raw)
		if v != "" {
			id, _ = c.intern(v)
			days, year, ok := parseDate(v)
			if ok {
				num = days
			}
			if year > 0 {
				key = int32(year)
			}
		}
	case Number:
		v := strings.TrimSpace(raw)
		if n, err := strconv.Atoi(v); err == nil {
			id, _ = c.intern(strconv.Itoa(n))
			num = int32(n)
		}
	case TokenSet:
		toks := names.Tokens(raw)
		if len(toks) > 0 {
			v := strings.Join(toks, " ")
			var isNew bool
			id, isNew = c.intern(v)
			if isNew {
				var ks []int32
				for _, t := range toks {
					if k := names.Key(t); k != "" {
						ks = append(ks, c.internKey(k))
					}
				}
				sort.Slice(ks, func(a, b int) bool { return ks[a] < ks[b] })
				ks = uniq(ks)
				c.vToks = append(c.vToks, ks...)
			}
			c.vTOff = growOff(c.vTOff, len(c.vocab), int32(len(c.vToks)))
		}
	}
	if id != 0 {
		c.nonNull++
	}
	c.ids = append(c.ids, id)
	c.keys = append(c.keys, key)
	c.nums = append(c.nums, num)
}

func growOff(off []int32, nvocab int, end int32) []int32 {
	for len(off) < nvocab+1 {
		off = append(off, end)
	}
	off[nvocab] = end
	return off
}

func uniq(s []int32) []int32 {
	if len(s) < 2 {
		return s
	}
	o := 1
	for i := 1; i < len(s); i++ {
		if s[i] != s[o-1] {
			s[o] = s[i]
			o++
		}
	}
	return s[:o]
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r >= '٠' && r <= '٩' {
			b.WriteRune('0' + r - '٠')
		}
	}
	return b.String()
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// parseDate reads YYYYMMDD, YYYYMM or YYYY digits.
func parseDate(v string) (days int32, year int, ok bool) {
	if len(v) < 4 {
		return 0, 0, false
	}
	y, _ := strconv.Atoi(v[:4])
	if y < 1000 || y > 2999 {
		return 0, 0, false
	}
	m, dd := 7, 1
	if len(v) >= 6 {
		m, _ = strconv.Atoi(v[4:6])
		if m < 1 || m > 12 {
			return 0, y, false
		}
		dd = 15
	}
	if len(v) >= 8 {
		dd, _ = strconv.Atoi(v[6:8])
		if dd < 1 || dd > 31 {
			return 0, y, false
		}
	}
	t := time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
	return int32(t.Sub(epoch).Hours() / 24), y, true
}

// sigSize is the number of character buckets of a value's signature,
// held as one byte each in sigWords words.
const (
	sigSize  = 32
	sigWords = sigSize / 8
)

// appendSig appends the signature of rs: how many of its first 64 runes
// (what JaroWinkler and OSA look at) fall in each of sigSize buckets
// (rune mod sigSize), one byte per bucket. Summing min(a, b) over the
// buckets of two signatures bounds from above the characters the two
// values can have in common, which bounds Jaro-Winkler from above and
// edit distance from below without looking at the runes.
func appendSig(sig []uint64, rs []rune) []uint64 {
	if len(rs) > 64 {
		rs = rs[:64]
	}
	var b [sigWords]uint64
	for _, r := range rs {
		k := uint32(r) % sigSize
		b[k/8] += 1 << (8 * (k % 8))
	}
	return append(sig, b[:]...)
}

// common bounds from above the characters values x and y share, from
// their signatures: the byte-wise minimum summed, eight buckets at a time
// (counts are at most 64, so a byte's top bit is free for the compare).
func common(sx, sy []uint64) int {
	const hi = 0x8080808080808080
	const lo = 0x0101010101010101
	sx, sy = sx[:sigWords:sigWords], sy[:sigWords:sigWords]
	var n uint64
	for k := range sigWords {
		a, b := sx[k], sy[k]
		ge := (((a | hi) - b) & hi) >> 7 // 1 in each byte where a >= b
		mask := ge * 0xff
		m := (b & mask) | (a &^ mask)
		n += (m * lo) >> 56
	}
	return int(n)
}
