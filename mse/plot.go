package mse

import (
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strings"
)

// WriteSVG draws one panel per report (the pooled table first, then each
// stratum; at most 24): the posterior of N from LCMCR (histogram of the
// draws) and BMA (the exact posterior), and below them every method's
// estimate with its interval, next to the documented count.
func WriteSVG(w io.Writer, sr *StratifiedReport) error {
	var panels []*StratumReport
	if sr.Pooled != nil {
		panels = append(panels, sr.Pooled)
	}
	for i := range sr.Strata {
		if len(panels) == 24 {
			break
		}
		panels = append(panels, &sr.Strata[i])
	}
	const width, plotH, rowH, pad = 760.0, 170.0, 16.0, 10.0
	heights := make([]float64, len(panels))
	total := 30.0
	for i, p := range panels {
		heights[i] = 40 + plotH + rowH*float64(len(p.Results)) + 30
		total += heights[i]
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="11">`+"\n", width, total, width, total)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%.0f" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", pad, esc("Estimated total: "+sr.Source))
	y := 30.0
	for i, p := range panels {
		drawPanel(&b, p, pad, y, width-2*pad, plotH, rowH)
		y += heights[i]
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func esc(s string) string { return html.EscapeString(s) }

var methodColors = map[string]string{
	MethodTwoList: "#7f7f7f", MethodLogLinear: "#1f77b4", MethodStepwise: "#2ca02c",
	MethodBMA: "#9467bd", MethodLCMCR: "#d62728", MethodClosedPT: "#8c564b",
}

func drawPanel(b *strings.Builder, p *StratumReport, x0, y0, w, h, rowH float64) {
	title := "All documented"
	if p.Key != "" && p.Key != "all" {
		title = p.Key
	} else if p.Key == "all" {
		title = "All strata together"
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" font-weight="bold">%s — documented %d</text>`+"\n", x0, y0+16, esc(title), p.Documented)
	if len(p.Results) == 0 {
		reason := "no estimate"
		if p.Estimability.Reason != "" {
			reason = "not estimable: " + p.Estimability.Reason
		}
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="#a00">%s</text>`+"\n", x0, y0+34, esc(reason))
		return
	}
	// x range: documented to the largest finite upper bound (capped at 4×
	// the largest total so one wild interval does not flatten the rest).
	lo := float64(p.Documented)
	hi := lo
	maxTot := lo
	for _, r := range p.Results {
		if r.Total > maxTot && !math.IsInf(r.Total, 0) {
			maxTot = r.Total
		}
	}
	for _, r := range p.Results {
		v := r.Total
		if r.Interval != nil && !math.IsInf(r.Interval.Upper, 0) && !math.IsNaN(r.Interval.Upper) {
			v = math.Max(v, r.Interval.Upper)
		}
		if !math.IsInf(v, 0) && !math.IsNaN(v) {
			hi = math.Max(hi, math.Min(v, 4*maxTot))
		}
	}
	if hi <= lo {
		hi = lo + 1
	}
	span := hi - lo
	lo = math.Max(0, lo-0.05*span)
	hi += 0.05 * span
	left, right := x0+170, x0+w-10
	X := func(v float64) float64 { return left + (math.Min(math.Max(v, lo), hi)-lo)/(hi-lo)*(right-left) }
	top, base := y0+26, y0+26+h
	fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#ccc"/>`+"\n", left, top, right-left, h)
	// Posterior densities.
	var legend []string
	for _, r := range p.Results {
		switch d := r.Details.(type) {
		case *LCMCRResult:
			var all []float64
			for _, c := range d.Draws {
				all = append(all, c...)
			}
			if len(all) == 0 {
				continue
			}
			sort.Float64s(all)
			const bins = 60
			counts := make([]float64, bins)
			for _, v := range all {
				if v < lo || v > hi {
					continue
				}
				i := int((v - lo) / (hi - lo) * bins)
				if i >= bins {
					i = bins - 1
				}
				counts[i]++
			}
			mx := 0.0
			for _, c := range counts {
				mx = math.Max(mx, c)
			}
			for i, c := range counts {
				if c == 0 {
					continue
				}
				bh := c / mx * (h - 10)
				x := left + float64(i)/bins*(right-left)
				fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="0.35"/>`+"\n", x, base-bh, (right-left)/bins, bh, methodColors[MethodLCMCR])
			}
			legend = append(legend, "bars: LCMCR posterior draws")
		case *BMAResult:
			if len(d.PosteriorN) == 0 {
				continue
			}
			mx := 0.0
			for _, v := range d.PosteriorN {
				mx = math.Max(mx, v)
			}
			var pts []string
			step := 1
			if len(d.PosteriorN) > 2000 {
				step = len(d.PosteriorN) / 2000
			}
			for i := 0; i < len(d.PosteriorN); i += step {
				n := float64(d.Observed + d.MinMissing + i)
				if n < lo || n > hi {
					continue
				}
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", X(n), base-d.PosteriorN[i]/mx*(h-10)))
			}
			if len(pts) > 1 {
				fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5"/>`+"\n", strings.Join(pts, " "), methodColors[MethodBMA])
				legend = append(legend, "line: BMA posterior")
			}
		}
	}
	if len(legend) > 0 {
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="#555">%s</text>`+"\n", left+4, top+12, esc(strings.Join(legend, "; ")))
	}
	// Documented count.
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-dasharray="4,3"/>`+"\n", X(float64(p.Documented)), top, X(float64(p.Documented)), base+rowH*float64(len(p.Results)))
	// Axis ticks.
	for _, t := range ticks(lo, hi) {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999"/><text x="%.1f" y="%.1f" text-anchor="middle" fill="#555">%s</text>`+"\n", X(t), base, X(t), base+4, X(t), base+rowH*float64(len(p.Results))+14, fmtThousands(t))
	}
	// One row per result: interval and point.
	for i, r := range p.Results {
		yy := base + rowH*float64(i) + rowH/2 + 2
		col := methodColors[r.Method]
		label := r.Method
		if r.Method == MethodTwoList || r.Method == MethodClosedPT {
			label = r.MethodName
		}
		if len(label) > 28 {
			label = label[:28] + "…"
		}
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="%s">%s</text>`+"\n", x0, yy+4, col, esc(label))
		if r.Interval != nil && !math.IsNaN(r.Interval.Lower) && !math.IsNaN(r.Interval.Upper) {
			fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`+"\n", X(r.Interval.Lower), yy, X(r.Interval.Upper), yy, col)
		}
		if !math.IsInf(r.Total, 0) && !math.IsNaN(r.Total) {
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s</title></circle>`+"\n", X(r.Total), yy, col, esc(fmt.Sprintf("%s: %s", r.MethodName, fmtThousands(r.Total))))
		}
	}
}

func ticks(lo, hi float64) []float64 {
	span := hi - lo
	step := math.Pow(10, math.Floor(math.Log10(span/5)))
	for _, m := range []float64{1, 2, 5, 10} {
		if span/(step*m) <= 7 {
			step *= m
			break
		}
	}
	var t []float64
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		t = append(t, v)
	}
	return t
}

// fmtThousands formats a count with thousands separators ("10,357").
func fmtThousands(v float64) string {
	if math.IsInf(v, 1) {
		return "∞"
	}
	if math.IsNaN(v) {
		return "–"
	}
	s := fmt.Sprintf("%.0f", math.Abs(v))
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if v < 0 && s != "0" {
		return "-" + string(out)
	}
	return string(out)
}

// FormatCount formats a count with thousands separators, "∞" for +Inf.
func FormatCount(v float64) string { return fmtThousands(v) }
