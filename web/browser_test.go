package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/vigil-rec/vigil/web"
	"github.com/vigil-rec/vigil/web/webtest"
)

// chromium returns Debian's chromium, or skips the test with a message
// that says how to install it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "browser tests skipped: chromium is not installed (run ./scripts/browser-setup)"
	fmt.Fprintln(os.Stderr, "web:", msg)
	t.Skip(msg)
	return ""
}

// artifacts is where screenshots go: $VIGIL_ARTIFACTS, else a temporary
// directory (named in the test log).
func artifacts(t *testing.T) string {
	dir := os.Getenv("VIGIL_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "vigil-artifacts")
	}
	dir = filepath.Join(dir, "browser")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowser drives headless chromium through the pages: log in, filter
// the list, open the Aleppo example incident and see its highlighted spans,
// see markers on the map, open the chart, switch to Arabic and check that
// the page runs right to left. No network: the server is local and the
// map uses its offline base layer. Screenshots are written as artifacts.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	exe := chromium(t)
	if !web.VendorInstalled() {
		msg := "browser tests skipped: Leaflet and Chart.js are not in web/static/vendor (run ./scripts/setup)"
		fmt.Fprintln(os.Stderr, "web:", msg)
		t.Skip(msg)
	}
	e := newEnv(t)
	out := artifacts(t)
	t.Logf("screenshots in %s", out)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "en-GB"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// Collect script errors and console errors (CSP violations among them).
	var mu sync.Mutex
	var problems []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException) && !strings.Contains(m.Text, "favicon") {
				mu.Lock()
				problems = append(problems, string(m.Type)+": "+m.Text+" "+m.URL)
				mu.Unlock()
			}
		}
	}()
	shot := func(name string) {
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
			return
		}
		os.WriteFile(filepath.Join(out, name+".png"), buf, 0o644)
	}
	do := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			shot("failed-" + strings.ReplaceAll(name, " ", "-"))
			t.Fatalf("%s: %v", name, err)
		}
	}
	str := func(name string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	num := func(name, expr string) int {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	attr := func(name, sel, a string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), a))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v.Value
	}
	base := e.ts.URL

	// Log in.
	do("login", chromedp.Navigate(base+"/login?lang=en"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "reviewer"), chromedp.SendKeys(chromedp.ID("password"), webtest.Password))
	shot("01-login")
	do("login", chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.ID("logout")))

	// Filter the list.
	do("filter the list", chromedp.SetValue(chromedp.CSS(`select[name="governorate"]`), "SY02"), chromedp.SetValue(chromedp.CSS(`select[name="type"]`), "air_strike"),
		chromedp.Click(chromedp.ID("apply-filters")), chromedp.WaitVisible(`//p[@id="total" and contains(., "1 incidents")]`))
	shot("02-list-filtered")
	if total := str("total", chromedp.Text(chromedp.ID("total"))); !strings.Contains(total, "1 incidents") {
		t.Errorf("filtered list says %q", total)
	}

	// Open the Aleppo incident and see the highlighted spans.
	do("open the Aleppo incident", chromedp.Click(chromedp.CSS("a.incident-link")), chromedp.WaitVisible(chromedp.CSS("mark.span")),
		chromedp.WaitVisible(chromedp.CSS("#incident-map[data-markers]")))
	shot("03-incident")
	if n := num("marks", `document.querySelectorAll('.doctext mark.span').length`); n < 5 {
		t.Errorf("%d highlighted spans", n)
	}
	if txt := str("marked", chromedp.Text(chromedp.CSS(`.doctext mark.span-figure`))); !strings.Contains(txt, "Three patients were killed") {
		t.Errorf("first highlighted figure %q", txt)
	}

	// Markers on the map.
	do("map", chromedp.Navigate(base+"/map"), chromedp.WaitVisible(chromedp.CSS("#map[data-markers]")))
	shot("04-map")
	if m := attr("markers", "#map", "data-markers"); m != "3" {
		t.Errorf("map has %s markers, want 3", m)
	}
	if n := num("marker elements", `document.querySelectorAll('#map .leaflet-interactive, #map .marker-cluster').length`); n == 0 {
		t.Error("no marker on the map")
	}
	if n := num("base layer", `document.querySelectorAll('#map .leaflet-overlay-pane path').length`); n < 3 {
		t.Errorf("offline base layer: %d shapes", n)
	}

	// The chart.
	do("chart", chromedp.Navigate(base+"/charts"), chromedp.WaitVisible(chromedp.CSS("#chart-timeline[data-rendered]")))
	shot("05-charts")
	if r := attr("chart", "#chart-timeline", "data-rendered"); r == "" || r == "0" {
		t.Errorf("chart rendered %q buckets", r)
	}

	// Arabic, right to left.
	do("Arabic", chromedp.Navigate(base+"/incidents/"+id(e.fx.Aleppo.ID)), chromedp.WaitVisible(chromedp.ID("lang-switch")),
		chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"] #figures`)))
	shot("06-incident-ar")
	dir := str("dir", chromedp.Evaluate[string](`document.documentElement.dir`))
	lang := str("lang", chromedp.Evaluate[string](`document.documentElement.lang`))
	css := str("direction", chromedp.Evaluate[string](`getComputedStyle(document.body).direction`))
	h2 := str("heading", chromedp.Text(chromedp.CSS("#figures h2")))
	if dir != "rtl" || css != "rtl" || lang != "ar" || !strings.Contains(h2, "الأرقام") {
		t.Errorf("Arabic page: dir %q, computed direction %q, lang %q, heading %q", dir, css, lang, h2)
	}
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
}
