package gazetteer

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	vigil "github.com/vigil-rec/vigil"
)

// syria.txt is the built-in gazetteer, written for vigil as facts (names,
// hierarchy, approximate coordinates); see docs/gazetteer.md for its format.
//
//go:embed syria.txt
var syriaTxt []byte

var (
	builtinOnce sync.Once
	builtinG    *Gazetteer
	builtinErr  error
)

// Builtin returns the built-in gazetteer of Syria. It is parsed once and
// shared: it is read-only (Add panics on it); extend Builtin().Clone().
func Builtin() *Gazetteer {
	builtinOnce.Do(func() {
		places, err := ParseBuiltin(syriaTxt)
		if err != nil {
			builtinErr = err
			panic(fmt.Sprintf("gazetteer: built-in data: %v", err))
		}
		g := New()
		g.add(func(*vigil.Place) int { return rankBuiltin }, places...)
		g.frozen = true
		builtinG = g
	})
	return builtinG
}

type kindInfo struct {
	level     int
	precision vigil.PlacePrecision
}

var kinds = map[string]kindInfo{
	"country": {0, vigil.PlaceCountry},
	"gov":     {1, vigil.PlaceGovernorate},
	"dist":    {2, vigil.PlaceDistrict},
	"region":  {3, vigil.PlaceDistrict},
	"town":    {4, vigil.PlaceTown},
	"nbhd":    {5, vigil.PlaceNeighbourhood},
}

// ParseBuiltin parses the built-in gazetteer format: one place a line,
// nested by two-space indentation under its parent,
//
//	KIND [PCODE] | English name | Arabic name | LAT LON | variant; variant
//
// where KIND is country, gov, dist, region, town or nbhd. Blank lines and
// lines starting with # are ignored. Errors name the line.
func ParseBuiltin(data []byte) ([]*vigil.Place, error) {
	type frame struct {
		indent int
		place  *vigil.Place
		kind   string
	}
	var stack []frame
	var out []*vigil.Place
	ids := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		trimmed := strings.TrimLeft(line, " ")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(line) - len(trimmed)
		errf := func(field, format string, args ...any) error {
			return vigil.FieldErrorf(vigil.EINVALID, fmt.Sprintf("syria.txt:%d: %s", ln, field), format, args...)
		}
		f := strings.Split(trimmed, "|")
		if len(f) < 4 || len(f) > 5 {
			return nil, errf("line", "want 4 or 5 |-separated fields, got %d", len(f))
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		head := strings.Fields(f[0])
		if len(head) == 0 || len(head) > 2 {
			return nil, errf("kind", "want KIND [PCODE], got %q", f[0])
		}
		ki, ok := kinds[head[0]]
		if !ok {
			return nil, errf("kind", "unknown kind %q", head[0])
		}
		p := &vigil.Place{Name: f[1], NameAR: f[2], Precision: ki.precision}
		if p.Name == "" {
			return nil, errf("name", "empty English name")
		}
		if len(head) == 2 {
			p.PCode = head[1]
		}
		if f[3] != "" {
			ll := strings.Fields(f[3])
			if len(ll) != 2 {
				return nil, errf("coordinates", "want LAT LON, got %q", f[3])
			}
			lat, err1 := strconv.ParseFloat(ll[0], 64)
			lon, err2 := strconv.ParseFloat(ll[1], 64)
			if err1 != nil || err2 != nil || lat < 32 || lat > 37.5 || lon < 35.5 || lon > 42.5 {
				return nil, errf("coordinates", "bad or out-of-Syria point %q", f[3])
			}
			p.Lat, p.Lon = &lat, &lon
		}
		if len(f) == 5 && f[4] != "" {
			for _, v := range strings.Split(f[4], ";") {
				if v = strings.TrimSpace(v); v != "" {
					p.Variants = append(p.Variants, v)
				}
			}
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 && head[0] != "country" {
			return nil, errf("indent", "%s %q has no parent", head[0], p.Name)
		}
		if len(stack) > 0 {
			parent := stack[len(stack)-1].place
			p.Admin = append(p.Admin, parent.Admin...)
		}
		p.Admin = append(p.Admin, vigil.AdminUnit{Level: ki.level, PCode: p.PCode, Name: p.Name, NameAR: p.NameAR})
		p.Variants = append(p.Variants, generatedVariants(head[0], p)...)
		if p.PCode != "" {
			p.ID = p.PCode
		} else {
			p.ID = builtinID(head[0], p)
		}
		if prev, dup := ids[p.ID]; dup {
			return nil, errf("id", "duplicate id %q (first on line %d)", p.ID, prev)
		}
		ids[p.ID] = ln
		stack = append(stack, frame{indent: indent, place: p, kind: head[0]})
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// builtinID is "sy:" and the slugs of the governorate, the town and the
// place (districts and regions get a suffix, as they often share a town's
// name).
func builtinID(kind string, p *vigil.Place) string {
	parts := []string{}
	for _, a := range p.Admin {
		switch a.Level {
		case 1, 4, 5:
			parts = append(parts, slug(a.Name))
		}
	}
	switch kind {
	case "dist":
		parts = append(parts, slug(p.Name)+"-district")
	case "region":
		parts = append(parts, slug(p.Name)+"-region")
	}
	return "sy:" + strings.Join(parts, "/")
}

// generatedVariants adds the usual "X province" style names of governorates
// and districts.
func generatedVariants(kind string, p *vigil.Place) []string {
	var out []string
	latin := append([]string{p.Name}, p.Variants...)
	switch kind {
	case "gov":
		for _, n := range latin {
			if isArabicText(n) {
				continue
			}
			out = append(out, n+" governorate", n+" province")
			if p.PCode != "SY01" && p.PCode != "SY03" {
				out = append(out, n+" countryside", "rural "+n, "countryside of "+n)
			}
		}
		for _, a := range arabicNames(p) {
			out = append(out, "محافظة "+a)
			if p.PCode != "SY01" && p.PCode != "SY03" {
				out = append(out, "ريف "+a)
			}
		}
	case "dist":
		for _, n := range latin {
			if !isArabicText(n) {
				out = append(out, n+" district")
			}
		}
		for _, a := range arabicNames(p) {
			out = append(out, "منطقة "+a)
			if strings.HasSuffix(p.PCode, "00") {
				out = append(out, "مركز "+a) // the governorate's centre district
			}
		}
	}
	return out
}

func arabicNames(p *vigil.Place) []string {
	var out []string
	if p.NameAR != "" {
		out = append(out, p.NameAR)
	}
	for _, v := range p.Variants {
		if isArabicText(v) {
			out = append(out, v)
		}
	}
	return out
}

func isArabicText(s string) bool {
	for _, r := range s {
		if isArabicLetter(r) {
			return true
		}
	}
	return false
}
