package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A three-list table on which log-linear models and BMA disagree by far
// more than a factor of 1.5.
const estTable = "A,B,C,count\n1,0,0,300\n0,1,0,250\n0,0,1,280\n1,1,0,20\n1,0,1,25\n0,1,1,22\n1,1,1,15\n"

func (c *client) postMultipart(path string, fields url.Values, fileName, file string) (int, string) {
	c.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		io.WriteString(fw, file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func checkPage(t *testing.T, what, body string, hd http.Header, lang string) {
	t.Helper()
	dir := map[string]string{"en": "ltr", "ar": "rtl"}[lang]
	if !strings.Contains(body, fmt.Sprintf(`<html lang="%s" dir="%s">`, lang, dir)) {
		t.Errorf("%s: not %s %s", what, lang, dir)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, " style=") || strings.Contains(body, " onclick=") || strings.Contains(body, "onload=") {
		t.Errorf("%s: inline script or style", what)
	}
	if hd != nil && strings.Contains(hd.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Errorf("%s: CSP %q", what, hd.Get("Content-Security-Policy"))
	}
}

func TestEstimatePageForm(t *testing.T) {
	e := newEnv(t)
	pub := e.client(t)
	view := e.client(t)
	view.login("viewer")
	for _, lang := range []string{"en", "ar"} {
		code, body, hd := pub.get("/estimate?lang=" + lang)
		if code != 200 || !strings.Contains(body, `id="estimate-form"`) || !strings.Contains(body, `enctype="multipart/form-data"`) || csrfOf(body) == "" {
			t.Fatalf("%s public form: %d\n%s", lang, code, body)
		}
		checkPage(t, "form "+lang, body, hd, lang)
		if strings.Contains(body, `id="estimate-store-form"`) {
			t.Errorf("%s: the public gets the store form", lang)
		}
		if !strings.Contains(body, `href="/estimate"`) {
			t.Errorf("%s: no navigation link", lang)
		}
		code, body, _ = view.get("/estimate?lang=" + lang)
		if code != 200 || !strings.Contains(body, `id="estimate-store-form"`) || !strings.Contains(body, `name="stratum" value="governorate"`) {
			t.Fatalf("%s viewer form: %d", lang, code)
		}
	}
	_, body, _ := pub.get("/estimate?lang=ar")
	if !strings.Contains(body, "تقدير الضحايا غير الموثقين") {
		t.Error("Arabic title missing")
	}
	// Other pages link to it too.
	if _, body, _ := pub.get("/incidents?lang=en"); !strings.Contains(body, `<a href="/estimate">Estimate</a>`) {
		t.Error("no navigation link on the incident list")
	}
}

func TestEstimatePageResult(t *testing.T) {
	e := newEnv(t)
	for _, lang := range []string{"en", "ar"} {
		for _, who := range []string{"public", "viewer"} {
			c := e.client(t)
			if who == "viewer" {
				c.login("viewer")
			}
			_, form, _ := c.get("/estimate?lang=" + lang)
			tok := csrfOf(form)
			code, body := c.postMultipart("/estimate", url.Values{"csrf": {tok}, "source": {"table"}, "method": {"loglinear", "bma"}, "csv": {estTable}}, "", "")
			if code != 200 {
				t.Fatalf("%s %s: %d\n%s", lang, who, code, body)
			}
			checkPage(t, "result "+lang+" "+who, body, nil, lang)
			for _, want := range []string{
				`id="estimate-result"`,
				`class="documented">912<`,   // documented count
				`class="num total">29,548<`, // loglinear total
				">28,636<",                  // undocumented
				"12,451 – 72,117",           // profile interval
				"[12,13,23]",                // model
				`class="num total">917<`,    // BMA
				`class="comparison"`,        // the methods disagree by > 1.5x
				"dependence between lists is captured",
				"<svg xmlns=\"http://www.w3.org/2000/svg\"",
				`id="estimate-plot"`,
				"⚠ the methods disagree",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s: lacks %q", lang, who, want)
				}
			}
			if lang == "ar" && !strings.Contains(body, "المجموع المقدَّر") {
				t.Error("Arabic column heading missing")
			}
			// The SVG has no script and no event handler.
			if i := strings.Index(body, "<svg"); i >= 0 {
				svg := body[i:strings.Index(body, "</svg>")]
				if strings.Contains(svg, "<script") || strings.Contains(svg, " on") && strings.Contains(svg, "=\"javascript") {
					t.Error("script in the SVG")
				}
			}
		}
	}
}

func TestEstimatePageUploadAndStrata(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	_, form, _ := c.get("/estimate")
	csv := "A,B,C,stratum,count\n1,0,0,x,30\n0,1,0,x,25\n0,0,1,x,28\n1,1,0,x,6\n1,0,1,x,5\n0,1,1,x,7\n1,1,1,x,3\n" +
		"1,0,0,y,40\n0,1,0,y,35\n0,0,1,y,30\n1,1,0,y,8\n1,0,1,y,9\n0,1,1,y,7\n1,1,1,y,4\n"
	code, body := c.postMultipart("/estimate", url.Values{"csrf": {csrfOf(form)}, "method": {"loglinear"}}, "kosovo-like.csv", csv)
	if code != 200 {
		t.Fatalf("upload: %d\n%s", code, body)
	}
	for _, want := range []string{"kosovo-like.csv", `id="pooled"`, `id="stratum-1" data-key="stratum=x"`, `id="stratum-2" data-key="stratum=y"`, "Stratum stratum=x", "All strata together", `id="estimate-sum"`} {
		if !strings.Contains(body, want) {
			t.Errorf("strata: lacks %q", want)
		}
	}
}

func TestEstimatePageErrors(t *testing.T) {
	e := newEnv(t)
	for _, lang := range []string{"en", "ar"} {
		c := e.client(t)
		_, form, _ := c.get("/estimate?lang=" + lang)
		tok := csrfOf(form)
		// No CSRF token, a wrong one: refused, nothing run.
		for _, bad := range []string{"", "forged"} {
			code, body := c.postMultipart("/estimate", url.Values{"csrf": {bad}, "csv": {estTable}}, "", "")
			if code != http.StatusForbidden || !strings.Contains(body, "CSRF") || strings.Contains(body, `id="estimate-result"`) {
				t.Errorf("%s csrf %q: %d", lang, bad, code)
			}
		}
		// A cross-site urlencoded post without the cookie's token.
		other := e.client(t)
		if code, _, _ := other.post("/estimate", url.Values{"csrf": {tok}, "csv": {estTable}}); code != http.StatusForbidden {
			t.Errorf("%s: token of another visitor accepted: %d", lang, code)
		}
		// A malformed table: the page names the line and column.
		code, body := c.postMultipart("/estimate", url.Values{"csrf": {tok}, "csv": {"A,B,C,count\n1,0,0,5\n1,2,0,3\n"}}, "", "")
		if code != http.StatusBadRequest || !strings.Contains(body, "line 3, column 2 (B)") || !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s bad table: %d\n%s", lang, code, body)
		}
		checkPage(t, "bad table "+lang, body, nil, lang)
		if !strings.Contains(body, "1,2,0,3") {
			t.Errorf("%s: the pasted table is not kept in the form", lang)
		}
		// Empty, unknown method, bad seed.
		for _, f := range []url.Values{
			{"csv": {"  "}},
			{"csv": {estTable}, "method": {"magic"}},
			{"csv": {estTable}, "seed": {"x"}},
		} {
			f.Set("csrf", tok)
			if code, _ := c.postMultipart("/estimate", f, "", ""); code != http.StatusBadRequest {
				t.Errorf("%s %v: %d", lang, f, code)
			}
		}
		// The API's limit on LCMCR sweeps: 50 strata × 4 chains × 110,500 sweeps.
		var b strings.Builder
		b.WriteString("A,B,C,stratum,count\n")
		for s := 0; s < 50; s++ {
			fmt.Fprintf(&b, "1,0,0,s%d,3\n0,1,0,s%d,4\n1,1,1,s%d,1\n", s, s, s)
		}
		code, body = c.postMultipart("/estimate", url.Values{"csrf": {tok}, "csv": {b.String()}, "method": {"lcmcr"}}, "", "")
		if code != http.StatusBadRequest || !strings.Contains(body, "sweeps") {
			t.Errorf("%s sweep limit: %d", lang, code)
		}
		// The store form needs a viewer.
		code, _ = c.postMultipart("/estimate", url.Values{"csrf": {tok}, "source": {"store"}}, "", "")
		if code != http.StatusUnauthorized {
			t.Errorf("%s store as public: %d", lang, code)
		}
	}
	// Over the body limit.
	c := e.client(t)
	_, form, _ := c.get("/estimate")
	code, _ := c.postMultipart("/estimate", url.Values{"csrf": {csrfOf(form)}}, "big.csv", strings.Repeat("1,0,0,1\n", 700_000))
	if code != http.StatusRequestEntityTooLarge {
		t.Errorf("big body: %d", code)
	}
}

func TestEstimatePageStore(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	c.login("viewer")
	code, body := c.postMultipart("/estimate", url.Values{"csrf": {c.csrf}, "source": {"store"}, "stratum": {"sex"}}, "", "")
	// The fixture has no linked persons: a clear message, not a crash.
	if code != http.StatusBadRequest || !strings.Contains(body, "no linked persons") {
		t.Errorf("store without persons: %d", code)
	}
}

func TestEstimatePagePublicViewOff(t *testing.T) {
	e := newEnv(t)
	e.h.RequireLogin = true
	c := e.client(t)
	if code, _, hd := c.get("/estimate"); code != 303 || !strings.HasPrefix(hd.Get("Location"), "/login") {
		t.Errorf("public view off: %d", code)
	}
	if code, _, _ := c.post("/estimate", url.Values{"csv": {estTable}}); code != 303 {
		t.Errorf("public view off, POST: %d", code)
	}
}
