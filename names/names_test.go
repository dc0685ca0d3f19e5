package names

import (
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNormalizeArabic(t *testing.T) {
	cases := []struct{ in, want string }{
		{"أحمد", "احمد"},
		{"إبراهيم", "ابراهيم"},
		{"آمنة", "امنه"},
		{"مُحَمَّد", "محمد"},
		{"محـــمد", "محمد"},
		{"مصطفى", "مصطفي"},
		{"فاطمة", "فاطمه"},
		{"عبد الله", "عبدالله"},
		{"عبد الرحمن بن خالد", "عبدالرحمن خالد"},
		{"ابو بكر", "ابوبكر"},
		{"نور الدين", "نورالدين"},
		{"سؤدد", "سودد"},
		{"رائد", "رايد"},
		{"ﷲ", "الله"},
		{"علي ٣", "علي 3"},
		{"  يوسف   ", "يوسف"},
	}
	for _, c := range cases {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeLatin(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Mohammed", "mohammed"},
		{"  ÉLIAS  Khoury ", "elias khoury"},
		{"Abd al-Rahman", "abd-rahman"},
		{"Abdul Rahman", "abd-rahman"},
		{"Abdel Rahman", "abd-rahman"},
		{"Sa'ad bin Ali", "saad ali"},
		{"Nour al-Din", "nour-din"},
		{"Abu al-Hassan", "abu-hassan"},
		{"el-Masri", "al-masri"},
	}
	for _, c := range cases {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestKeyVariantsAgree(t *testing.T) {
	groups := [][]string{
		{"محمد", "Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohamad", "Muhammed"},
		{"أحمد", "Ahmad", "Ahmed"},
		{"يوسف", "Yusuf", "Youssef", "Yousef", "Yousif"},
		{"حسين", "Hussein", "Hussain", "Husain", "Hossein"},
		{"عمر", "Omar", "Umar"},
		{"فاطمة", "Fatima", "Fatimah", "Fatma"},
		{"خالد", "Khaled", "Khalid"},
		{"عبد الرحمن", "عبدالرحمن", "Abd al-Rahman", "Abdul Rahman", "Abdelrahman", "Abdurrahman", "Abdulrahman"},
		{"عبد الله", "Abdullah", "Abdallah", "Abd Allah", "Abdulla"},
		{"عبد العزيز", "Abdulaziz", "Abdel Aziz", "Abd al-Aziz"},
		{"ابو بكر", "Abu Bakr", "Abou Bakr", "Abubakr"},
		{"نور الدين", "Nour al-Din", "Nureddin", "Nour Eddine", "Nuraldin"},
		{"جمال", "Jamal", "Gamal"},
		{"شريف", "Sharif", "Cherif", "Shareef"},
		{"وائل", "Wael", "Wa'il"},
		{"صالح", "Saleh", "Salih"},
		{"الحسن", "al-Hassan", "El Hasan", "Hassan"},
		{"إياد", "Iyad", "Eyad", "Ayad"},
		{"مصطفى", "Mustafa", "Moustafa", "Mostafa"},
	}
	for _, g := range groups {
		want := KeyOf(g[0])
		if want == "" {
			t.Errorf("KeyOf(%q) empty", g[0])
		}
		for _, v := range g[1:] {
			if got := KeyOf(v); got != want {
				t.Errorf("KeyOf(%q) = %q, KeyOf(%q) = %q", v, got, g[0], want)
			}
		}
	}
}

func TestKeyDistinguishes(t *testing.T) {
	pairs := [][2]string{{"خالد", "Walid"}, {"Omar", "Amr Zaki"}, {"سمير", "Samer Khoury"}, {"Hassan", "Hashem"}, {"محمد", "Ahmed"}}
	for _, p := range pairs {
		if KeyOf(p[0]) == KeyOf(p[1]) {
			t.Errorf("KeyOf(%q) == KeyOf(%q) == %q", p[0], p[1], KeyOf(p[0]))
		}
	}
}

func TestParts(t *testing.T) {
	g, f, gf, fam := Parts("محمد بن أحمد علي الحسن")
	if g != "محمد" || f != "احمد" || gf != "علي" || fam != "الحسن" {
		t.Errorf("Parts = %q %q %q %q", g, f, gf, fam)
	}
	g, f, gf, fam = Parts("Omar Khaled Saleh")
	if g != "omar" || f != "khaled" || gf != "" || fam != "saleh" {
		t.Errorf("Parts = %q %q %q %q", g, f, gf, fam)
	}
}

func TestDetectScript(t *testing.T) {
	if DetectScript("محمد Ali") != ScriptArabic || DetectScript("Ali") != ScriptLatin || DetectScript("12") != ScriptNone {
		t.Error("DetectScript wrong")
	}
}

func TestJaroWinklerKnownValues(t *testing.T) {
	// Reference values from Winkler (1990) and common implementations
	// (jellyfish, strutil).
	cases := []struct {
		a, b string
		want float64
	}{
		{"MARTHA", "MARHTA", 0.9611},
		{"DWAYNE", "DUANE", 0.84},
		{"DIXON", "DICKSONX", 0.8133},
		{"JELLYFISH", "SMELLYFISH", 0.8963},
		{"abc", "abc", 1},
		{"abc", "xyz", 0},
		{"", "", 1},
		{"a", "", 0},
		{"محمد", "محمود", 0.9533},
	}
	for _, c := range cases {
		got := JaroWinklerString(c.a, c.b)
		if math.Abs(got-c.want) > 0.0005 {
			t.Errorf("JW(%q,%q) = %.4f, want %.4f", c.a, c.b, got, c.want)
		}
		if back := JaroWinklerString(c.b, c.a); math.Abs(back-got) > 1e-12 {
			t.Errorf("JW not symmetric on %q,%q", c.a, c.b)
		}
	}
}

func TestOSA(t *testing.T) {
	cases := []struct {
		a, b   string
		max, d int
	}{
		{"19560409", "19560490", 2, 1},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3},
		{"abc", "abc", 1, 0},
		{"", "ab", 2, 2},
		{"ca", "abc", 3, 3},
	}
	for _, c := range cases {
		if got := OSA([]rune(c.a), []rune(c.b), c.max); got != c.d {
			t.Errorf("OSA(%q,%q,%d) = %d, want %d", c.a, c.b, c.max, got, c.d)
		}
	}
}

func TestJaroWinklerDoesNotAllocate(t *testing.T) {
	a, b := []rune("mohammed"), []rune("muhammad")
	n := testing.AllocsPerRun(100, func() { JaroWinkler(a, b); OSA(a, b, 2) })
	if n != 0 {
		t.Errorf("allocations per run = %v", n)
	}
}

// sharedDir returns the shared data folder or skips the test.
func sharedDir(t testing.TB) string {
	d := os.Getenv("VIGIL_SHARED")
	if d == "" {
		d = filepath.Join("..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(d, "data", "linkage", "arabic_names")); err != nil {
		t.Skipf("shared data not found at %s (set VIGIL_SHARED): %v", d, err)
	}
	return d
}

// TestKeyOnVariantTable measures, on the Arabic-key → Latin-spellings table
// (spellings attested by TFP or ANETAC, the reliable sources), how often the
// Arabic form and a Latin spelling share a key, and how often their keys are
// close (Jaro-Winkler >= 0.8).
func TestKeyOnVariantTable(t *testing.T) {
	d := sharedDir(t)
	f, err := os.Open(filepath.Join(d, "data", "linkage", "arabic_names", "derived_latin_variants_by_arabic_key.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	var n, same, close int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(rec) < 4 {
			continue
		}
		vars := strings.Split(rec[2], "|")
		srcs := strings.Split(rec[3], "|")
		ak := KeyOf(rec[0])
		for i, v := range vars {
			if i >= len(srcs) || !(strings.Contains(srcs[i], "tfp") || strings.Contains(srcs[i], "anetac")) {
				continue
			}
			lk := KeyOf(v)
			n++
			if lk == ak {
				same++
			}
			if JaroWinklerString(lk, ak) >= 0.8 {
				close++
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d reliable spellings read", n)
	}
	fs, fc := float64(same)/float64(n), float64(close)/float64(n)
	t.Logf("reliable spellings %d: same key %.3f, key JW>=0.8 %.3f", n, fs, fc)
	if fs < 0.5 || fc < 0.8 {
		t.Errorf("key agreement too low: same %.3f close %.3f", fs, fc)
	}
}

func BenchmarkJaroWinkler(b *testing.B) {
	x, y := []rune("mohammed"), []rune("muhammad")
	for i := 0; i < b.N; i++ {
		JaroWinkler(x, y)
	}
}

// osaFull is the textbook optimal string alignment distance.
func osaFull(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func TestOSAAgainstFullTable(t *testing.T) {
	letters := []rune("abcd")
	seed := uint32(1)
	rnd := func(n int) int { seed = seed*1664525 + 1013904223; return int(seed>>8) % n }
	word := func() []rune {
		w := make([]rune, rnd(8))
		for i := range w {
			w[i] = letters[rnd(len(letters))]
		}
		return w
	}
	for k := 0; k < 20000; k++ {
		a, b := word(), word()
		max := rnd(4)
		want := osaFull(a, b)
		if want > max {
			want = max + 1
		}
		if got := OSA(a, b, max); got != want {
			t.Fatalf("OSA(%q,%q,%d) = %d, want %d", string(a), string(b), max, got, want)
		}
	}
}
