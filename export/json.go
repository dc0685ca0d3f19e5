package export

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/xuri/excelize/v2"
)

// writeJSON writes {"incidents":[...],"total":N}, one incident at a time.
func writeJSON(ctx context.Context, w io.Writer, src *Source) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	bw.WriteString(`{"incidents":[`)
	n := 0
	err := src.Each(ctx, func(inc *vigil.Incident) error {
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		bw.WriteByte('\n')
		return enc.Encode(inc)
	})
	if err != nil {
		bw.Flush()
		return err
	}
	bw.WriteString("],\n\"total\":" + strconv.Itoa(n) + "}\n")
	return bw.Flush()
}

// geoColumns are the GeoJSON properties: the flat columns less coordinates.
func geoColumns() []Column {
	var out []Column
	for _, c := range Columns() {
		if c.Name != "lat" && c.Name != "lon" {
			out = append(out, c)
		}
	}
	return out
}

// writeGeoJSON writes a FeatureCollection with one Point feature per
// incident (geometry null when its place has no coordinates).
func writeGeoJSON(ctx context.Context, w io.Writer, src *Source) error {
	cols := geoColumns()
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	n := 0
	err := src.Each(ctx, func(inc *vigil.Incident) error {
		props := make(map[string]any, len(cols))
		for _, c := range cols {
			if v := c.Value(inc); v != "" {
				props[c.Name] = v
			}
		}
		props["id"] = inc.ID
		for _, k := range []string{"killed_min", "killed_max", "injured_min", "injured_max"} {
			if s, ok := props[k].(string); ok {
				props[k], _ = strconv.Atoi(s)
			}
		}
		feat := map[string]any{"type": "Feature", "id": inc.ID, "properties": props, "geometry": nil}
		if inc.Place.HasPoint() {
			feat["geometry"] = map[string]any{"type": "Point", "coordinates": []float64{*inc.Place.Lon, *inc.Place.Lat}}
		}
		b, err := json.Marshal(feat)
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		bw.WriteByte('\n')
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		bw.Flush()
		return err
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// writeXLSX writes one sheet with the flat columns through excelize's
// streaming writer, which keeps rows on disk rather than in memory.
func writeXLSX(ctx context.Context, w io.Writer, src *Source) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "incidents"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	cols := Columns()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	head := make([]any, len(cols))
	tags := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: bold, Value: c.Name}
		tags[i] = c.HXL
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	if err := sw.SetRow("A2", tags); err != nil {
		return err
	}
	numeric := map[int]bool{}
	for i, c := range cols {
		switch c.Name {
		case "id", "lat", "lon":
			numeric[i] = true
		default:
			if (strings.HasSuffix(c.Name, "_min") || strings.HasSuffix(c.Name, "_max")) && !strings.Contains(c.Name, "sources") {
				numeric[i] = true
			}
		}
	}
	row := 3
	err = src.Each(ctx, func(inc *vigil.Incident) error {
		vals := Row(cols, inc)
		cells := make([]any, len(vals))
		for i, v := range vals {
			cells[i] = v
			if numeric[i] && v != "" {
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					cells[i] = x
				}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
