package linkeval

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/linkage"
	"github.com/vigil-rec/vigil/names"
	"github.com/vigil-rec/vigil/victims"
)

// NamePools are Arabic name words with their Latin spellings, read at run
// time from ../shared/data/linkage/arabic_names.
type NamePools struct {
	Given   []string            // given names (Arabic script)
	Family  []string            // family-name segments, most with the article
	Latin   map[string][]string // normalised Arabic word → Latin spellings
	Sources []string
}

// LoadNamePools reads the TFP segment dictionary, the npm given-name list
// and the derived variant table (spellings from TFP or ANETAC only).
func LoadNamePools(dir string) (*NamePools, error) {
	p := &NamePools{Latin: map[string][]string{}}
	addLatin := func(ar, en string) {
		k := strings.ReplaceAll(names.Normalize(ar), " ", "")
		en = strings.ToLower(strings.TrimSpace(en))
		if k == "" || en == "" || strings.ContainsAny(en, "()") {
			return
		}
		for _, x := range p.Latin[k] {
			if x == en {
				return
			}
		}
		p.Latin[k] = append(p.Latin[k], en)
	}
	// TFP segments: "ar,en" after some junk lines
	tfp, err := readPairs(filepath.Join(dir, "tfp_dict_ar_en.csv"), "ar,en")
	if err != nil {
		return nil, err
	}
	famSeen := map[string]bool{}
	for _, r := range tfp {
		ar := strings.TrimSpace(r[0])
		if ar == "" || strings.ContainsAny(ar, " ()") || names.DetectScript(ar) != names.ScriptArabic {
			continue
		}
		addLatin(ar, r[1])
		if strings.HasPrefix(ar, "ال") && len([]rune(ar)) >= 5 && !famSeen[ar] {
			famSeen[ar] = true
			p.Family = append(p.Family, ar)
		}
	}
	npm, err := readPairs(filepath.Join(dir, "npm_arabic-name-to-en_fullnamedb.csv"), "arabic,latin")
	if err != nil {
		return nil, err
	}
	givenSeen := map[string]bool{}
	for _, r := range npm {
		ar := strings.TrimSpace(r[0])
		if ar == "" || strings.Contains(ar, " ") || names.DetectScript(ar) != names.ScriptArabic || givenSeen[ar] {
			continue
		}
		givenSeen[ar] = true
		p.Given = append(p.Given, ar)
		addLatin(ar, r[1])
	}
	// derived variants, reliable sources only
	f, err := os.Open(filepath.Join(dir, "derived_latin_variants_by_arabic_key.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = -1
	cr.Read()
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) < 4 {
			continue
		}
		vars, srcs := strings.Split(rec[2], "|"), strings.Split(rec[3], "|")
		for i, v := range vars {
			if i < len(srcs) && (strings.Contains(srcs[i], "tfp") || strings.Contains(srcs[i], "anetac")) {
				addLatin(rec[0], v)
			}
		}
	}
	if len(p.Given) < 100 || len(p.Family) < 100 {
		return nil, fmt.Errorf("%s: too few names (%d given, %d family)", dir, len(p.Given), len(p.Family))
	}
	p.Sources = []string{"tfp_dict_ar_en.csv", "npm_arabic-name-to-en_fullnamedb.csv", "derived_latin_variants_by_arabic_key.csv (tfp, anetac)"}
	return p, nil
}

func readPairs(path, header string) ([][2]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(b), "\n")
	start := 0
	for i, l := range lines {
		if strings.TrimSpace(l) == header {
			start = i + 1
			break
		}
	}
	var out [][2]string
	for _, l := range lines[start:] {
		a, b, ok := strings.Cut(strings.TrimSpace(l), ",")
		if ok {
			out = append(out, [2]string{a, b})
		}
	}
	return out, nil
}

// Places are governorates (Arabic, Latin) used by the generator.
var places = [][2]string{{"دمشق", "Damascus"}, {"حلب", "Aleppo"}, {"حمص", "Homs"}, {"حماة", "Hama"}, {"إدلب", "Idlib"},
	{"درعا", "Daraa"}, {"دير الزور", "Deir ez-Zor"}, {"الرقة", "Raqqa"}, {"اللاذقية", "Latakia"}, {"طرطوس", "Tartus"},
	{"الحسكة", "Hasakah"}, {"السويداء", "Suwayda"}, {"القنيطرة", "Quneitra"}, {"ريف دمشق", "Rif Dimashq"}}

type entity struct {
	given, father, grand, family string
	sex                          vigil.Sex
	age                          int
	date                         time.Time
	place                        int
}

// GenOptions configure the generator.
type GenOptions struct {
	Entities int
	Lists    int     // lists; the last is written in Latin script
	Coverage float64 // probability an entity is on a list (default 0.55)
	Seed     uint64
}

// GenerateArabic builds victim lists of fictional people from the name
// pools with realistic variation: spelling variants (hamza and alef forms,
// taa marbuta, alef maqsura, diacritics, tatweel, split or joined
// compounds), dropped grandfather or father, "bin" inserted, typos, Latin
// transliterations (one list in Latin script, spellings drawn from the
// attested variants), age off by one, a date a day off, missing fields and
// duplicates within a list. It returns the records and the true entity of
// each.
func GenerateArabic(p *NamePools, o GenOptions) ([]*vigil.VictimRecord, []string) {
	if o.Lists == 0 {
		o.Lists = 3
	}
	if o.Coverage == 0 {
		o.Coverage = 0.55
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	base := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	var recs []*vigil.VictimRecord
	var truth []string
	counts := make([]int, o.Lists)
	for e := 0; e < o.Entities; e++ {
		en := entity{given: pick(p.Given), father: pick(p.Given), grand: pick(p.Given), sex: vigil.SexMale,
			age: rng.IntN(80), date: base.AddDate(0, 0, rng.IntN(8*365)), place: rng.IntN(len(places))}
		if rng.Float64() < 0.75 {
			en.family = pick(p.Family)
		} else {
			en.family = pick(p.Given)
		}
		if rng.Float64() < 0.4 {
			en.sex = vigil.SexFemale
		}
		on := false
		for l := 0; l < o.Lists; l++ {
			if rng.Float64() >= o.Coverage && (on || l < o.Lists-1) {
				continue
			}
			on = true
			n := 1
			if rng.Float64() < 0.03 {
				n = 2 // duplicate within the list
			}
			for k := 0; k < n; k++ {
				counts[l]++
				r := variant(rng, p, en, l == o.Lists-1 && o.Lists > 1)
				r.List = "generated-" + strconv.Itoa(l+1)
				r.RecordID = strconv.Itoa(l+1) + "-" + strconv.Itoa(counts[l])
				recs = append(recs, r)
				truth = append(truth, strconv.Itoa(e))
			}
		}
	}
	return recs, truth
}

func variant(rng *rand.Rand, p *NamePools, e entity, latin bool) *vigil.VictimRecord {
	parts := []string{e.given, e.father, e.grand, e.family}
	switch x := rng.Float64(); {
	case x < 0.4:
		parts = []string{e.given, e.father, e.family}
	case x < 0.5:
		parts = []string{e.given, e.family}
	}
	var words []string
	for i, w := range parts {
		if latin {
			words = append(words, latinSpelling(rng, p, w))
		} else {
			words = append(words, arabicVariant(rng, w))
		}
		if i == 0 && len(parts) > 2 && rng.Float64() < 0.1 {
			if latin {
				words = append(words, "bin")
			} else {
				words = append(words, "بن")
			}
		}
	}
	if rng.Float64() < 0.04 {
		i := rng.IntN(len(words))
		words[i] = typo(rng, words[i])
	}
	r := &vigil.VictimRecord{FullName: strings.Join(words, " "), Sex: e.sex, Status: vigil.Killed}
	if rng.Float64() < 0.1 {
		r.Sex = vigil.SexUnknown
	}
	if rng.Float64() < 0.8 {
		a := e.age
		if rng.Float64() < 0.15 {
			a += []int{-1, 1}[rng.IntN(2)]
			if a < 0 {
				a = 0
			}
		}
		r.Age = &a
	}
	if rng.Float64() < 0.75 {
		d := e.date
		if rng.Float64() < 0.1 {
			d = d.AddDate(0, 0, []int{-1, 1}[rng.IntN(2)])
		}
		r.Date = d.Format("2006-01-02")
	}
	if rng.Float64() < 0.7 {
		if latin {
			r.Place = places[e.place][1]
		} else {
			r.Place = places[e.place][0]
		}
	}
	return r
}

func arabicVariant(rng *rand.Rand, w string) string {
	rs := []rune(w)
	if rng.Float64() < 0.3 && len(rs) > 2 {
		switch rs[0] {
		case 'ا':
			rs[0] = []rune{'أ', 'إ'}[rng.IntN(2)]
		case 'أ', 'إ', 'آ':
			rs[0] = 'ا'
		}
	}
	if rng.Float64() < 0.3 && len(rs) > 2 {
		switch rs[len(rs)-1] {
		case 'ة':
			rs[len(rs)-1] = 'ه'
		case 'ه':
			rs[len(rs)-1] = 'ة'
		case 'ى':
			rs[len(rs)-1] = 'ي'
		case 'ي':
			rs[len(rs)-1] = 'ى'
		}
	}
	s := string(rs)
	if rng.Float64() < 0.05 && len(rs) > 3 {
		i := 1 + rng.IntN(len(rs)-2)
		s = string(rs[:i]) + "ـ" + string(rs[i:])
	}
	if rng.Float64() < 0.05 {
		s = string(rs[:1]) + "َ" + string(rs[1:])
	}
	switch {
	case strings.HasPrefix(s, "عبدال") && rng.Float64() < 0.5:
		s = "عبد " + strings.TrimPrefix(s, "عبد")
	case strings.HasPrefix(s, "عبد ") && rng.Float64() < 0.5:
		s = strings.Replace(s, " ", "", 1)
	}
	return s
}

func latinSpelling(rng *rand.Rand, p *NamePools, w string) string {
	k := strings.ReplaceAll(names.Normalize(w), " ", "")
	vs := p.Latin[k]
	article := ""
	if len(vs) == 0 && strings.HasPrefix(k, "ال") {
		vs = p.Latin[strings.TrimPrefix(k, "ال")]
		article = []string{"al-", "Al ", "el-", "Al-"}[rng.IntN(4)]
	}
	if len(vs) == 0 {
		return w // no known spelling: left in Arabic script, as lists do
	}
	v := vs[rng.IntN(len(vs))]
	if strings.HasPrefix(v, "al-") || strings.HasPrefix(v, "el-") {
		if rng.Float64() < 0.5 {
			v = []string{"al ", "el-", "al", "el "}[rng.IntN(4)] + v[3:]
		}
	}
	return article + capitalise(v)
}

func capitalise(s string) string {
	b := []byte(s)
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == ' ' || c == '-'
	}
	return string(b)
}

func typo(rng *rand.Rand, w string) string {
	rs := []rune(w)
	if len(rs) < 4 {
		return w
	}
	i := 1 + rng.IntN(len(rs)-2)
	if rng.IntN(2) == 0 {
		return string(append(rs[:i:i], rs[i+1:]...))
	}
	rs[i], rs[i+1] = rs[i+1], rs[i]
	return string(rs)
}

// ArabicDataset builds the generated Arabic benchmark for the victims
// model.
func ArabicDataset(dir string, o GenOptions) (*Dataset, error) {
	p, err := LoadNamePools(dir)
	if err != nil {
		return nil, err
	}
	recs, truth := GenerateArabic(p, o)
	d, err := VictimData(recs)
	if err != nil {
		return nil, err
	}
	return &Dataset{Name: "arabic_generated", Data: d, Truth: truth, Settings: victimsSettings(), Threshold: linkage.DefaultThreshold}, nil
}

// VictimData prepares victim records for the victims model.
func VictimData(recs []*vigil.VictimRecord) (*linkage.Data, error) {
	b, err := linkage.NewBuilder(victims.Fields)
	if err != nil {
		return nil, err
	}
	lists := map[string]int{}
	for i, r := range recs {
		l, ok := lists[r.List]
		if !ok {
			l = len(lists)
			lists[r.List] = l
		}
		if err := b.Add(strconv.Itoa(i), l, victims.Values(r)...); err != nil {
			return nil, err
		}
	}
	return b.Data(), nil
}

func victimsSettings() linkage.Settings { return victims.Settings() }
