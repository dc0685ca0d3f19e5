package mse

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// PersonStrata are the stratum dimensions of PersonHistories: period (year
// of the record's date), governorate (the last comma-separated part of the
// record's place), sex and age (child < 18, adult < 60, older, unknown) and perpetrator (the
// alleged perpetrator the record carries, case and spaces folded).
var PersonStrata = []string{"period", "governorate", "sex", "age", "perpetrator"}

// ErrNoPersons is PersonHistories' error for a store with no linked persons.
var ErrNoPersons = errors.New("the store has no linked persons: import victim lists (vigil victims import) and link them (vigil link), or give a capture-history table")

// PersonHistories builds capture histories from linked persons: person p
// is on list L when one of p's records is in L. Strata (dimensions of
// PersonStrata) take the first value found among a person's records.
func PersonHistories(persons []*vigil.Person, by []string) (*Stratified, error) {
	return PersonHistoriesWith(persons, by, PersonOptions{})
}

// PersonOptions refine the strata of PersonHistoriesWith.
type PersonOptions struct {
	// Governorate, when set, names the governorate of a record's place
	// (through a gazetteer); "" falls back to the place's last
	// comma-separated part.
	Governorate func(place string) string
}

// PersonHistoriesWith is PersonHistories with options.
func PersonHistoriesWith(persons []*vigil.Person, by []string, opt PersonOptions) (*Stratified, error) {
	for _, b := range by {
		ok := false
		for _, s := range PersonStrata {
			ok = ok || s == b
		}
		if !ok {
			return nil, fmt.Errorf("stratum %q: over linked persons, stratify by %s", b, strings.Join(PersonStrata, ", "))
		}
	}
	if len(persons) == 0 {
		return nil, ErrNoPersons
	}
	listIdx := map[string]int{}
	var lists []string
	for _, p := range persons {
		for _, r := range p.Records {
			if _, ok := listIdx[r.List]; !ok {
				listIdx[r.List] = -1
				lists = append(lists, r.List)
			}
		}
	}
	sort.Strings(lists)
	if len(lists) > MaxLists {
		return nil, fmt.Errorf("%d victim lists; at most %d can be estimated together", len(lists), MaxLists)
	}
	for i, l := range lists {
		listIdx[l] = i
	}
	type group struct {
		vals map[string]string
		pats []uint64
		cnts []int
	}
	groups := map[string]*group{}
	var keys []string
	var all []uint64
	for _, p := range persons {
		var pat uint64
		for _, r := range p.Records {
			pat |= 1 << uint(listIdx[r.List])
		}
		if pat == 0 {
			continue
		}
		all = append(all, pat)
		vals := map[string]string{}
		for _, b := range by {
			vals[b] = opt.stratum(p, b)
		}
		key := KeyOf(by, vals)
		g := groups[key]
		if g == nil {
			g = &group{vals: vals}
			groups[key] = g
			keys = append(keys, key)
		}
		g.pats = append(g.pats, pat)
		g.cnts = append(g.cnts, 1)
	}
	ones := make([]int, len(all))
	for i := range ones {
		ones[i] = 1
	}
	pooled, err := NewTable("linked persons", lists, all, ones)
	if err != nil {
		return nil, err
	}
	st := &Stratified{By: by, Lists: lists, Pooled: pooled}
	if len(by) == 0 {
		st.Strata = []Stratum{{Table: pooled}}
		return st, nil
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := groups[k]
		t, err := NewTable("linked persons["+k+"]", lists, g.pats, g.cnts)
		if err != nil {
			return nil, err
		}
		st.Strata = append(st.Strata, Stratum{Key: k, Values: g.vals, Table: t})
	}
	return st, nil
}

// PersonStratum is a person's value of one stratum dimension: the first
// one found among the person's records, "unknown" when none has it.
func PersonStratum(p *vigil.Person, dim string) string {
	for _, r := range p.Records {
		switch dim {
		case "period":
			if len(r.Date) >= 4 {
				return r.Date[:4]
			}
		case "governorate":
			if pl := strings.TrimSpace(r.Place); pl != "" {
				// "Town, Governorate": the last part names the widest unit.
				parts := strings.Split(pl, ",")
				return strings.TrimSpace(parts[len(parts)-1])
			}
		case "perpetrator":
			if pp := strings.Join(strings.Fields(strings.ToLower(r.Perpetrator)), " "); pp != "" {
				return pp
			}
		case "sex":
			if r.Sex != vigil.SexUnknown {
				return string(r.Sex)
			}
		case "age":
			if r.Age != nil {
				switch {
				case *r.Age < 18:
					return "child"
				case *r.Age < 60:
					return "adult"
				default:
					return "older"
				}
			}
			if r.Minor {
				return "child"
			}
		}
	}
	return "unknown"
}

// stratum is PersonStratum, with the governorate through opt.Governorate
// when it is set and knows the place.
func (opt PersonOptions) stratum(p *vigil.Person, dim string) string {
	if dim == "governorate" && opt.Governorate != nil {
		for _, r := range p.Records {
			if pl := strings.TrimSpace(r.Place); pl != "" {
				if g := opt.Governorate(pl); g != "" {
					return g
				}
				break
			}
		}
	}
	return PersonStratum(p, dim)
}
